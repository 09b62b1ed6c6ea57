/**
 * Reading one export into a columnar table, streaming: decode → parse → map headers → typed columns.
 *
 * Nothing is lost silently: every record is either read or rejected with a reason (wrong field count, no
 * value for the row's own key, an unterminated quote), and unreadable values are counted per column.
 */
import { CsvParser } from './csv.js';
import { InputError } from './errors.js';
import { fitsTable, mapHeaders, missingRequired, type HeaderMapping, type UserMap } from './headers.js';
import { LATE_INVALID_UTF8, openText, rangeText, type Encoding, type TextSource } from './source.js';
import { notCsv, sniffDialect, type Dialect } from './sniff.js';
import { PartyBuilder, PartyNameBuilder, columnBuilder, type ColumnBuilder, type ColumnReport, type IdNotes, type LocalPartyColumn, type PartState } from './columns.js';
export type { LocalPartyColumn } from './columns.js';

/** Name columns kept as "the name of the id beside them" (columns.ts PartyNameBuilder). */
const NAME_OF_ID: Record<string, string> = {
  bidder_name: 'bidder_id',
  seller_name: 'seller_id',
  buyer_name: 'buyer_id',
  winner_name: 'winner_id',
};
import type { DateOrder } from '../normalize/date.js';
import { currencyList } from '../normalize/amount.js';
import { Parties } from '../model/dataset.js';
import { SCHEMA, requiredColumns, rowKeyColumns, type TableKind } from '../model/schema.js';
import { Table, type Column } from '../model/table.js';
import { GrowableInt32 } from '../util/growable.js';
import { foldKey } from '../normalize/fold.js';

export interface ReadOptions {
  userMap?: UserMap;
  dateOrder?: DateOrder;
  encoding?: Encoding;
  stdin?: NodeJS.ReadableStream;
  /** called every few thousand rows with the decoded characters read so far */
  onProgress?: (chars: number) => void;
  /** checked between chunks: once set, the read stops with ReadAborted (the result is no longer wanted) */
  abort?: { aborted: boolean };
}

/** A read stopped through ReadOptions.abort. */
export class ReadAborted extends Error {
  constructor() {
    super('read aborted');
    this.name = 'ReadAborted';
  }
}

export interface RejectedRow {
  file: string;
  line: number;
  reason: string;
  /** the fields as parsed; for an unterminated quoted field, those before it, then its text so far */
  fields: string[];
  /** the file's delimiter, so that the record can be written back as it was (--rejects) */
  delimiter: string;
  /** the last field opened a quote that never closed */
  unterminated?: boolean;
  /** where in a JSON file the record stood (`releases[3].bids.details[1]`): OCDS input, whose "line" is that of the release */
  place?: string;
}

export interface FileReport {
  path: string;
  kind: TableKind;
  encoding: Encoding;
  bom: boolean;
  gzip: boolean;
  sizeBytes: number | null;
  delimiter: Dialect['delimiter'];
  headers: string[];
  mapping: HeaderMapping;
  rows: number;
  rejected: number;
  /** reason → count */
  rejectReasons: Record<string, number>;
  /** first few rejected line numbers, for the stderr summary */
  rejectLines: number[];
  /** OCDS input: where in the JSON each of the first few rejected rows stood, beside rejectLines */
  rejectPlaces?: string[];
  blankLines: number;
  columns: Record<string, ColumnReport>;
  warnings: string[];
}

const MAX_REJECT_LINES = 5;
/** Records held back below a totals line as a possible footer; past this many, the table goes on. */
const MAX_FOOTER = 30;
/** Said of a record with many times the fields of a row: a file whose line breaks were lost reads as one record. */
const RUN_TOGETHER = ' (rows run together: are the line breaks missing?)';

/** stands in for a finished column builder */
const NONE: ColumnBuilder = {
  push() {},
  finish() {
    throw new Error('column already finished');
  },
};

/** Read the header record only (for `inspect` and kind guessing). */
/**
 * Exports from spreadsheets often carry a title, a date or notes above the table. The header is the first
 * of the first MAX_PREAMBLE records that has every required column of the table; the records above it
 * are skipped with a warning. When none qualifies, the first record is the header (and the missing
 * columns are reported against it).
 */
const MAX_PREAMBLE = 20;

/** Read the header record only (for `inspect` and kind guessing): the first record that maps to a table. */
export async function readHeader(src: TextSource, dialect: Dialect, isHeader: (fields: string[]) => boolean = () => true): Promise<string[] | null> {
  const records: string[][] = [];
  let skip = dialect.sepLine;
  const parser = new CsvParser(dialect.delimiter, {
    onRecord(fields) {
      if (skip) {
        skip = false;
        return;
      }
      if (records.length < MAX_PREAMBLE) records.push(fields);
    },
    onError() {},
  });
  parser.push(src.sample);
  const open = parser.openQuote;
  if (records.length === 0 && open) throw unclosedBeforeHeader(src.path === '-' ? 'stdin' : src.path, open.field, open.line);
  return records.find(isHeader) ?? records[0] ?? null;
}

/** A quote that never closes before any header was read: the rest of the file is one field, there is no table. */
function unclosedBeforeHeader(name: string, field: number, line: number): InputError {
  return new InputError(
    `${name}: line ${line}, field ${field}: a quote opens and never closes, so the rest of the file reads as one field and no header is found; close or remove that quote`,
    name,
    line,
  );
}

/**
 * One file read into columns, before its party ids join the dataset's: everything about the file that does
 * not depend on the other inputs. Reading this much needs no shared state, so it can run in a worker.
 */
export interface ParsedTable {
  kind: TableKind;
  rows: number;
  /** canonical column names, in the order their party ids are interned */
  names: string[];
  columns: (Column | LocalPartyColumn)[];
  /** 1-based line of each row */
  lines: Int32Array;
  report: FileReport;
  /**
   * companies rows that are not a registry (the parties of an OCDS file): their names do not replace a
   * registry's, as registry names replace the names written beside ids elsewhere
   */
  notRegistry?: boolean;
}

export async function readTable(
  path: string,
  kind: TableKind,
  parties: Parties,
  fileIndex: number,
  opts: ReadOptions = {},
  onReject: (r: RejectedRow) => void = () => {},
): Promise<{ table: Table; report: FileReport }> {
  const parsed = await parseTable(path, kind, opts, onReject);
  return { table: finishTable(parsed, parties, fileIndex), report: parsed.report };
}

/**
 * Give a parsed file's party columns their dataset-wide ids (interned in column order, as the file's
 * columns were finished) and the parties their names: the one step of reading that must run in input order.
 */
export function finishTable(parsed: ParsedTable, parties: Parties, fileIndex: number): Table {
  const columns = new Map<string, Column>();
  for (let i = 0; i < parsed.names.length; i++) {
    const col = parsed.columns[i];
    if (col.type === 'local-party') {
      const global = new Int32Array(col.keys.length);
      for (let k = 0; k < col.keys.length; k++) global[k] = parties.interner.intern(col.keys[k]);
      // in place: the local codes become party ids
      const ids = col.codes;
      for (let r = 0; r < ids.length; r++) if (ids[r] >= 0) ids[r] = global[ids[r]];
      columns.set(parsed.names[i], { type: 'party', ids });
    } else {
      columns.set(parsed.names[i], col);
    }
  }
  const rows = parsed.rows;
  const table = new Table(parsed.kind, rows, columns, { file: new Uint16Array(rows).fill(fileIndex), line: parsed.lines });
  nameParties(table, parties, !parsed.notRegistry);
  return table;
}

/** The rows of one file as they are read: header, column builders, rejects, counters. */
interface RowState {
  headers: string[] | null;
  mapping: HeaderMapping | null;
  builders: ColumnBuilder[];
  indexes: number[];
  names: string[];
  width: number;
  /** fields a row needs: up to the last header that is not empty (or mapped); fewer lack named columns */
  minWidth: number;
  rows: number;
  rejected: number;
  rejectReasons: Record<string, number>;
  rejectLines: number[];
  rejectPlaces: string[];
  lines: GrowableInt32;
  allBlankRecords: number;
  totalRows: number;
  totalLines: number[];
  /** rows with a total label and no party id but their own key: read as records (a firm named "TOTAL") */
  labelledRows: number;
  labelledLines: number[];
  /** records equal to the header (concatenated or paged exports) */
  repeatedHeaders: number;
  repeatedHeaderLines: number[];
  warnPreamble: string;
  /** the row under the header that numbers the columns ("(1)", "(2)"…), skipped: its line and first cells */
  columnNumbers: { line: number; cells: string[] } | null;
  /** lines below a totals line at the end of the file that hold no id, amount or date (signatures, amount in words) */
  footerRows: number;
  footerLines: number[];
}

/**
 * The record handlers of a file read into columns (every record after the header goes through `row`),
 * shared by a whole file and by the second part of a split one.
 */
function rowReader(
  kind: TableKind,
  name: string,
  opts: ReadOptions,
  onReject: (r: RejectedRow) => void,
  skipSepLine: boolean,
  delimiter: string,
  /** the start of the file's text, to say what it is when it has no header (an HTML page, JSON) */
  sample = '',
) {
  const st: RowState = {
    headers: null,
    mapping: null,
    builders: [],
    indexes: [],
    names: [],
    width: 0,
    minWidth: 0,
    rows: 0,
    rejected: 0,
    rejectReasons: {},
    rejectLines: [],
    rejectPlaces: [],
    lines: new GrowableInt32(4096),
    allBlankRecords: 0,
    totalRows: 0,
    totalLines: [],
    labelledRows: 0,
    labelledLines: [],
    repeatedHeaders: 0,
    repeatedHeaderLines: [],
    warnPreamble: '',
    columnNumbers: null,
    footerRows: 0,
    footerLines: [],
  };
  let keyIdx: number[] = [];
  let keyNames: string[] = [];
  let partyIdx: number[] = [];
  /** the row's own key columns that are not party ids (tender_id, an invoice's number) */
  let ownKeyIdx: number[] = [];
  /** the party, amount and date columns: a line below the totals line with no value in them is a footer */
  let valueIdx: number[] = [];
  /**
   * Records below a totals line that hold no party id, amount or date, held back: at the end of the file
   * they are its footer (the amount in words, place and date, signatures) and are skipped; when a record
   * with values follows, the table went on and they are read as rows after all.
   */
  let footer: { fields: string[]; line: number }[] | null = null;
  let header0 = '';
  let skipSep = skipSepLine;
  /** the next record is the first under a header this reader found (not the second part of a split file) */
  let underHeader = false;
  const preamble: { fields: string[]; line: number }[] = [];
  let progress: () => void = () => {};

  const reject = (line: number, reason: string, fields: string[], count = 1, unterminated = false, place?: string) => {
    st.rejected += count;
    st.rejectReasons[reason] = (st.rejectReasons[reason] ?? 0) + count;
    if (st.rejectLines.length < MAX_REJECT_LINES) {
      st.rejectLines.push(line);
      if (place !== undefined) st.rejectPlaces.push(place);
    }
    const r: RejectedRow = { file: name, line, reason, fields, delimiter };
    if (unterminated) r.unterminated = true;
    if (place !== undefined) r.place = place;
    onReject(r);
  };

  /** `searched`: records looked at for a header (the first is taken when none has the required columns) */
  const onHeader = (fields: string[], line: number, searched = 1) => {
    const headers = fields.map((h) => h.trim());
    st.headers = headers;
    st.width = headers.length;
    const mapping = mapHeaders(kind, headers, opts.userMap);
    st.mapping = mapping;
    let minWidth = 0;
    headers.forEach((h, i) => {
      if (h !== '') minWidth = i + 1;
    });
    for (const i of mapping.index.values()) minWidth = Math.max(minWidth, i + 1);
    st.minWidth = minWidth;
    header0 = unBom(headers[0] ?? '');
    const missing = missingRequired(kind, mapping);
    if (missing.length) {
      const other = mapping.index.size === 0 ? notCsv(sample) : null;
      if (other) throw new InputError(`${name}: ${other}`, name, line);
      const shown = headers.slice(0, 12).map((h) => JSON.stringify(h)).join(', ') + (headers.length > 12 ? ', …' : '');
      const hint = headers.length >= 1000 ? ` Line ${line} holds ${headers.length.toLocaleString('en-US')} fields${RUN_TOGETHER}.` : '';
      const others =
        searched >= MAX_PREAMBLE
          ? `; nor has any other of the first ${searched} lines, where the header is looked for: remove the lines above the header`
          : searched > 1
            ? `; nor has any other of the ${searched} lines`
            : '';
      throw new InputError(
        `${name}: missing required ${kind} column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (line ${line}: the header has ${shown}${others}). ` +
          `Map your column names with --map FILE.json, or check the delimiter.${hint}`,
        name,
        line,
        missing[0],
      );
    }
    // ids before the names written beside them: a name column reads its id's code in the same row
    const order = [...mapping.index.keys()].sort((a, b) => Number(a in NAME_OF_ID) - Number(b in NAME_OF_ID));
    const partyBuilders = new Map<string, PartyBuilder>();
    for (const canonical of order) {
      const spec = SCHEMA[kind].find((col) => col.name === canonical)!;
      const idCol = NAME_OF_ID[canonical];
      const idBuilder = idCol ? partyBuilders.get(idCol) : undefined;
      const b = idBuilder ? new PartyNameBuilder(idBuilder) : columnBuilder(spec.type, opts.dateOrder, spec.onDemand);
      if (b instanceof PartyBuilder) partyBuilders.set(canonical, b);
      st.builders.push(b);
      st.names.push(canonical);
      st.indexes.push(mapping.index.get(canonical)!);
    }
    partyIdx = [...mapping.index].filter(([c]) => SCHEMA[kind].find((col) => col.name === c)?.type === 'party').map(([, i]) => i);
    keyNames = rowKeyColumns(kind).filter((k) => mapping.index.has(k));
    keyIdx = keyNames.map((k) => mapping.index.get(k)!);
    ownKeyIdx = keyNames.filter((k) => SCHEMA[kind].find((col) => col.name === k)?.type !== 'party').map((k) => mapping.index.get(k)!);
    const valueTypes = new Set(['party', 'amount', 'date']);
    valueIdx = [...mapping.index].filter(([c]) => valueTypes.has(SCHEMA[kind].find((col) => col.name === c)?.type as string)).map(([, i]) => i);
  };

  const noValues = (fields: string[]): boolean => {
    for (const i of valueIdx) if (i < fields.length && looksLikeValue(fields[i])) return false;
    return true;
  };

  /** The records held back below a totals line read as rows after all: the table goes on. */
  const flushFooter = (): void => {
    const held = footer;
    footer = null;
    if (held) for (const r of held) row(r.fields, r.line);
  };

  const handlers = {
    onRecord(fields: string[], line: number) {
      if (skipSep) {
        skipSep = false;
        return;
      }
      if (!st.headers) {
        if (fitsTable(kind, fields, opts.userMap)) {
          if (preamble.length) st.warnPreamble = `${preamble.length} line${preamble.length > 1 ? 's' : ''} above the header (line ${line}) skipped: a title or notes above the table`;
          preamble.length = 0;
          onHeader(fields, line);
          underHeader = true;
        } else {
          preamble.push({ fields, line });
          // no header among the first records: the first one is the header, and the error names what it lacks
          if (preamble.length >= MAX_PREAMBLE) onHeader(preamble[0].fields, preamble[0].line, preamble.length);
        }
        return;
      }
      if (underHeader && !emptyFrom(fields, 0)) {
        underHeader = false;
        if (numbersColumns(fields)) {
          st.columnNumbers = { line, cells: fields.filter((f) => !blankCell(f)).slice(0, 3) };
          return;
        }
      }
      if (footer) {
        if (emptyFrom(fields, 0)) {
          st.allBlankRecords++;
          return;
        }
        if (noValues(fields) && footer.length < MAX_FOOTER) {
          footer.push({ fields, line });
          return;
        }
        flushFooter();
      }
      row(fields, line);
    },
    onError(line: number, message: string, spanned: number, fields: string[]) {
      if (!st.headers) throw unclosedBeforeHeader(name, fields.length, line);
      const column = st.headers[fields.length - 1];
      const where = column ? ` in column ${fields.length} "${column}"` : ` in field ${fields.length}`;
      reject(line, `${message}${where}, running to the end of the file`, fields, Math.max(1, spanned), true);
    },
  };

  function totalLine(line: number): void {
    st.totalRows++;
    if (st.totalLines.length < MAX_REJECT_LINES) st.totalLines.push(line);
    // what follows may be the footer of the export
    footer ??= [];
  }

  /** A record under the header: read, rejected or skipped (and counted). */
  function row(fields: string[], line: number): void {
    const width = st.width;
    const n = fields.length;
    // more fields than the header: harmless when the extra ones are empty (a trailing delimiter); fewer:
    // harmless when only fields under empty headers are missing (a header ending in a delimiter)
    if (n !== width && !(n > width ? emptyFrom(fields, width) : n >= st.minWidth)) {
      if (emptyFrom(fields, 0)) {
        st.allBlankRecords++;
        return;
      }
      // a totals line is no record: its field count does not matter (a spreadsheet may drop its empty cells)
      if (totalRow(fields, partyIdx, ownKeyIdx, n < width ? n : width) === TOTAL_LINE) {
        totalLine(line);
        return;
      }
      reject(line, `expected ${width} fields, found ${n}${n >= 100 && n >= 10 * width ? RUN_TOGETHER : ''}`, fields);
      return;
    }
    const used = n < width ? n : width;
    let blank = true;
    for (let i = 0; i < used; i++)
      if (fields[i] !== '' && fields[i].trim() !== '') {
        blank = false;
        break;
      }
    if (blank) {
      st.allBlankRecords++;
      return;
    }
    if (header0 !== '' && isHeaderAgain(fields, st.headers, header0, used)) {
      st.repeatedHeaders++;
      if (st.repeatedHeaderLines.length < MAX_REJECT_LINES) st.repeatedHeaderLines.push(line);
      return;
    }
    const total = totalRow(fields, partyIdx, ownKeyIdx, used);
    if (total === TOTAL_LINE) {
      totalLine(line);
      return;
    }
    for (let k = 0; k < keyIdx.length; k++) {
      if (fields[keyIdx[k]].trim() === '') {
        reject(line, `no ${keyNames[k]}`, fields);
        return;
      }
    }
    if (total === LABELLED_RECORD) {
      st.labelledRows++;
      if (st.labelledLines.length < MAX_REJECT_LINES) st.labelledLines.push(line);
    }
    const builders = st.builders;
    const indexes = st.indexes;
    for (let c = 0; c < builders.length; c++) builders[c].push(fields[indexes[c]], line);
    st.lines.push(line);
    st.rows++;
    if ((st.rows & 0x3fff) === 0) progress();
  }
  return {
    st,
    handlers,
    onHeader,
    reject,
    /** no header seen among the records: the first record is the header (its missing columns are reported) */
    endHeader() {
      if (!st.headers && preamble.length) onHeader(preamble[0].fields, preamble[0].line, preamble.length);
    },
    /** the end of the file: the records held back below the last totals line are its footer */
    endFooter() {
      if (!footer) return;
      st.footerRows += footer.length;
      for (const r of footer) if (st.footerLines.length < MAX_REJECT_LINES) st.footerLines.push(r.line);
      footer = null;
    },
    /** the end of the first part of a split file: the second part goes on, so what was held back is read */
    flushFooter,
    setProgress(f: () => void) {
      progress = f;
    },
  };
}

/**
 * A file split between threads (split.ts): this thread reads bytes [0, end) with the header; the rows
 * from `end` on come parsed from `rest()` (null when that read failed or was not made: then they are read
 * here, after the first part). Used only when the text before `end` ends exactly at a record boundary.
 */
export interface FirstPart {
  end: number;
  rest(): Promise<SecondPartResult | null>;
  /** told whether the second part was merged (false: this thread read it) */
  onOutcome?: (merged: boolean) => void;
}

/** The rows of the second part of a split file, every line counted from the part's start. */
export interface SecondPartResult {
  /** header the part was read under (the first part's must be the same) */
  headers: string[];
  rows: number;
  lines: Int32Array;
  builders: PartState[];
  rejected: number;
  rejectReasons: Record<string, number>;
  rejectLines: number[];
  rejects: RejectedRow[];
  allBlankRecords: number;
  blankLines: number;
  totalRows: number;
  totalLines: number[];
  labelledRows: number;
  labelledLines: number[];
  footerRows: number;
  footerLines: number[];
  repeatedHeaders: number;
  repeatedHeaderLines: number[];
  /** a piece held U+FFFD (invalid UTF-8) */
  replaced: boolean;
  chars: number;
}

/** Read one file into columns; party columns keep file-local codes (finishTable gives them party ids). */
export async function parseTable(
  path: string,
  kind: TableKind,
  opts: ReadOptions = {},
  onReject: (r: RejectedRow) => void = () => {},
  split?: FirstPart,
): Promise<ParsedTable> {
  const src = await openText(path, { encoding: opts.encoding, stdin: opts.stdin, endByte: split?.end });
  const dialect = sniffDialect(src.sample);
  const name = path === '-' ? 'stdin' : path;
  const reader = rowReader(kind, name, opts, onReject, dialect.sepLine, dialect.delimiter, src.sample);
  const st = reader.st;
  let charsRead = 0;
  if (opts.onProgress) {
    const onProgress = opts.onProgress;
    reader.setProgress(() => onProgress(charsRead));
  }
  const parser = new CsvParser(dialect.delimiter, reader.handlers);

  let extraBlank = 0;
  try {
    for await (const chunk of src.chunks()) {
      if (opts.abort?.aborted) throw new ReadAborted();
      charsRead += chunk.length;
      parser.push(chunk);
    }
    if (split) {
      // the rows after the split: parsed by the other thread when this part ended at a record boundary
      // under the same header, else read here as one read would have
      const rest = parser.atRecordStart && st.headers ? await split.rest() : null;
      const merged = !!rest && sameHeader(rest.headers, st.headers!);
      split.onOutcome?.(merged);
      if (rest && merged) {
        reader.flushFooter();
        extraBlank = mergeSecondPart(reader.st, rest, parser.lines, onReject);
        charsRead += rest.chars;
        if (rest.replaced && !src.warnings.includes(LATE_INVALID_UTF8) && src.encoding === 'utf-8' && !src.sample.includes('\uFFFD'))
          src.warnings.push(LATE_INVALID_UTF8);
      } else {
        const seen = { replaced: false };
        for await (const chunk of rangeText(path, split.end, seen)) {
          if (opts.abort?.aborted) throw new ReadAborted();
          charsRead += chunk.length;
          parser.push(chunk);
        }
        if (seen.replaced && !src.warnings.includes(LATE_INVALID_UTF8) && src.encoding === 'utf-8' && !src.sample.includes('\uFFFD'))
          src.warnings.push(LATE_INVALID_UTF8);
      }
    }
    parser.end();
    reader.endHeader();
    reader.endFooter();
  } catch (e) {
    if (e instanceof InputError || e instanceof ReadAborted) throw e;
    throw new InputError(`${name}: cannot read: ${(e as Error).message}`, name);
  }
  if (!st.headers) throw new InputError(`${name}: no header row (the file holds no records)`, name);
  opts.onProgress?.(charsRead);

  return finishRows(st, kind, name, {
    encoding: src.encoding,
    bom: src.bom,
    gzip: src.gzip,
    sizeBytes: src.sizeBytes,
    warnings: src.warnings,
    delimiter: dialect.delimiter,
    blankLines: parser.blankLines + st.allBlankRecords + extraBlank,
  });
}

/** How a file was read, as its report says. */
interface SourceFacts {
  encoding: Encoding;
  bom: boolean;
  gzip: boolean;
  sizeBytes: number | null;
  /** the source's own warnings (encoding), without the file name */
  warnings: string[];
  delimiter: Dialect['delimiter'];
  blankLines: number;
}

/** The rows read into a file's column builders, finished into columns, with the file's report and warnings. */
function finishRows(st: RowState, kind: TableKind, name: string, source: SourceFacts): ParsedTable {
  const { names, mapping, rows, rejected } = st;
  const columns: (Column | LocalPartyColumn)[] = [];
  const reports: Record<string, ColumnReport> = {};
  // each builder is dropped once finished, so its buffers can be freed while the next column is copied
  const finishing = st.builders;
  st.builders = [];
  for (let i = 0; i < finishing.length; i++) {
    const b = finishing[i];
    const { column, report } = b instanceof PartyBuilder ? b.finishLocal() : b.finish();
    const unit = mapping!.scale[names[i]];
    if (unit && column.type === 'num') {
      for (let r = 0; r < column.values.length; r++) column.values[r] *= unit;
      report.convention = `${report.convention ?? ''}; × ${unit.toLocaleString('en-US')} (unit in the header)`;
    }
    columns.push(column);
    reports[names[i]] = report;
    finishing[i] = NONE;
  }
  st.indexes = [];
  const lineArr = st.lines.finish();
  const ordinalWarnings: string[] = [];
  for (const canonical of mapping!.ordinal) {
    const spec = SCHEMA[kind].find((col) => col.name === canonical)!;
    const i = names.indexOf(canonical);
    const g = names.indexOf(spec.ordinal!.within);
    const col = columns[i];
    const groups = columns[g];
    if (i < 0 || g < 0 || col.type !== 'num' || groups?.type !== 'str') continue;
    const header = mapping!.written[canonical];
    const { restart, seen } = restartShare(col.values, groups.codes, groups.dict.length);
    const counted = `${restart.toLocaleString('en-US')} of ${seen.toLocaleString('en-US')} ${spec.ordinal!.groups}`;
    if (restart > seen / 2) {
      reports[canonical].convention = `${reports[canonical].convention ?? ''}; "${header}" read as ${canonical}: it starts at 1 for ${counted}`;
      continue;
    }
    // a row ordinal of the export: as line_no it would fold a re-entered invoice into the one before as a further line
    names.splice(i, 1);
    columns.splice(i, 1);
    delete reports[canonical];
    mapping!.index.delete(canonical);
    delete mapping!.written[canonical];
    mapping!.unmapped.push(header);
    ordinalWarnings.push(
      `${name}: column "${header}" numbers the rows of the export (it starts at 1 for only ${counted}, where a ${canonical} would for each): ` +
        `not read as ${canonical}; map it with --map to read it so`,
    );
  }

  const warnings = source.warnings.map((w) => `${name}: ${w}`);
  for (let i = 0; i < names.length; i++) {
    const { ids, currencies } = reports[names[i]];
    const header = mapping!.written[names[i]];
    const column = `${name}: column ${header && header !== names[i] ? `${names[i]} ("${header}")` : names[i]}`;
    if (ids) warnings.push(...idWarnings(column, ids, lineArr));
    if (currencies)
      warnings.push(`${column}: amounts in several currencies (${currencyList(currencies)}), read as they are and compared as one currency: give one file per currency, or convert them first`);
  }
  if (st.warnPreamble) warnings.push(`${name}: ${st.warnPreamble}`);
  warnings.push(...ordinalWarnings);
  if (st.columnNumbers) {
    const { line, cells } = st.columnNumbers;
    warnings.push(`${name}: line ${line} under the header numbers the columns (${cells.map((c) => JSON.stringify(c.trim())).join(', ')}…), skipped`);
  }
  if (st.repeatedHeaders)
    warnings.push(
      `${name}: the header repeated ${st.repeatedHeaders === 1 ? 'once' : `${st.repeatedHeaders} times`} in the data (concatenated or paged exports), skipped at line ${st.repeatedHeaderLines.join(', ')}`,
    );
  if (st.totalRows)
    warnings.push(`${name}: ${st.totalRows} total row${st.totalRows > 1 ? 's' : ''} ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line ${st.totalLines.join(', ')}`);
  if (st.footerRows) {
    const one = st.footerRows === 1;
    warnings.push(
      `${name}: ${st.footerRows} line${one ? '' : 's'} below the totals line with no id, amount or date (the amount in words, signatures…) skipped at line ${st.footerLines.join(', ')}`,
    );
  }
  if (st.labelledRows) {
    const one = st.labelledRows === 1;
    warnings.push(
      `${name}: ${st.labelledRows} row${one ? '' : 's'} at line ${st.labelledLines.join(', ')} ${one ? 'has' : 'have'} a total label ("Tổng cộng", "Total"…) and no firm or buyer id ` +
        `but a ${ownKeyLabel(kind)} of ${one ? 'its' : 'their'} own: read as ${one ? 'a record' : 'records'}, not as ${one ? 'a totals line' : 'totals lines'} (remove ${one ? 'it if it is a subtotal' : 'them if they are subtotals'})`,
    );
  }
  if (rows === 0 && rejected === 0) warnings.push(`${name}: the file has a header but no data rows`);
  for (const d of mapping!.duplicates) warnings.push(`${name}: column "${d.header}" also maps to ${d.canonical}; the first such column is used`);
  return {
    kind,
    rows,
    names,
    columns,
    lines: lineArr,
    report: {
      path: name,
      kind,
      encoding: source.encoding,
      bom: source.bom,
      gzip: source.gzip,
      sizeBytes: source.sizeBytes,
      delimiter: source.delimiter,
      headers: st.headers!,
      mapping: mapping!,
      rows,
      rejected,
      rejectReasons: st.rejectReasons,
      rejectLines: st.rejectLines,
      ...(st.rejectPlaces.length ? { rejectPlaces: st.rejectPlaces } : {}),
      blankLines: source.blankLines,
      columns: reports,
      warnings,
    },
  };
}

/**
 * Rows that a reader of another format (OCDS JSON: ocds.ts) gives as fields under canonical column names.
 * They go through the same record handling, column builders, reject accounting and warnings as the rows
 * of a CSV file, so a value, a rejected row or a warning reads exactly as it would from that CSV.
 */
export interface CanonicalRows {
  push(fields: string[], line: number): void;
  /** a record the reader could not map to a row: counted and reported as a CSV reject, `place` saying where it stood */
  reject(line: number, reason: string, record: string, place: string): void;
  finish(source: Omit<SourceFacts, 'delimiter' | 'blankLines'>): ParsedTable;
}

export function canonicalRows(
  kind: TableKind,
  name: string,
  columns: string[],
  /** canonical → where the reader takes it from, shown as the column's header in messages and reports */
  written: Record<string, string>,
  opts: Pick<ReadOptions, 'dateOrder'>,
  onReject: (r: RejectedRow) => void,
): CanonicalRows {
  const reader = rowReader(kind, name, { dateOrder: opts.dateOrder }, onReject, false, ',');
  reader.onHeader(columns, 0);
  const mapping = reader.st.mapping!;
  if (mapping.index.size !== columns.length) throw new Error(`canonical ${kind} columns not all mapped: ${columns.join(', ')}`);
  for (const c of columns) if (written[c]) mapping.written[c] = written[c];
  return {
    push: (fields, line) => reader.handlers.onRecord(fields, line),
    reject: (line, reason, record, place) => reader.reject(line, reason, [record], 1, false, place),
    finish(source) {
      reader.endFooter();
      const parsed = finishRows(reader.st, kind, name, { ...source, delimiter: ',', blankLines: reader.st.allBlankRecords });
      dropBlankColumns(parsed);
      return parsed;
    },
  };
}

/**
 * Leave out the columns of a parsed table that hold no value on any row, required ones aside: a reader that
 * fills a fixed set of columns lists in the report only the fields its file gave.
 */
function dropBlankColumns(parsed: ParsedTable): void {
  const required = new Set(requiredColumns(parsed.kind).flat());
  for (let i = parsed.names.length - 1; i >= 0; i--) {
    const name = parsed.names[i];
    if (required.has(name) || columnHasValues(parsed.columns[i])) continue;
    parsed.names.splice(i, 1);
    parsed.columns.splice(i, 1);
    delete parsed.report.columns[name];
    parsed.report.mapping.index.delete(name);
    delete parsed.report.mapping.written[name];
  }
}

function columnHasValues(col: Column | LocalPartyColumn): boolean {
  switch (col.type) {
    case 'num':
      for (const v of col.values) if (v === v) return true;
      return false;
    case 'bool':
      for (const v of col.values) if (v >= 0) return true;
      return false;
    case 'party':
      for (const v of col.ids) if (v >= 0) return true;
      return false;
    default:
      for (const v of col.codes) if (v >= 0) return true;
      return false;
  }
}

/**
 * Where the first rejected rows of a file stood: "line 12", "lines 12, 22, 40"; for OCDS input each line with
 * the place in the JSON ("line 14 (releases[3].bids.details[1])").
 */
export function firstRejects(r: Pick<FileReport, 'rejectLines' | 'rejectPlaces'>): string {
  const places = r.rejectPlaces;
  if (places?.some(Boolean))
    return r.rejectLines.map((line, i) => `line ${line}${places[i] ? ` (${places[i]})` : ''}`).join(', ');
  return `line${r.rejectLines.length > 1 ? 's' : ''} ${r.rejectLines.join(', ')}`;
}

/** What the warnings say about the ids of a party column that could not be read as tax codes. */
function idWarnings(column: string, ids: NonNullable<ColumnReport['ids']>, lines: Int32Array): string[] {
  const out: string[] = [];
  const examples = (n: IdNotes) =>
    n.examples.map((e) => `${JSON.stringify(e.value)}${e.count > 1 ? ` ×${e.count}` : ''} (line ${lines[e.row]})`).join(', ') + (n.distinct > n.examples.length ? ', …' : '');
  const rows = (k: number) => `${k.toLocaleString('en-US')} row${k > 1 ? 's' : ''}`;
  const { invalid, notTaxCodes, scientific } = ids;
  if (invalid.distinct)
    out.push(`${column}: ${invalid.distinct.toLocaleString('en-US')} tax code${invalid.distinct > 1 ? 's fail' : ' fails'} the check digit (${rows(invalid.rows)}): ${examples(invalid)}`);
  if (notTaxCodes.distinct)
    out.push(`${column}: ${rows(notTaxCodes.rows)} hold${notTaxCodes.rows > 1 ? '' : 's'} no tax code and ${notTaxCodes.rows > 1 ? 'are' : 'is'} kept as written: ${examples(notTaxCodes)}`);
  if (scientific.distinct)
    out.push(
      `${column}: ${rows(scientific.rows)} hold${scientific.rows > 1 ? '' : 's'} an id in scientific notation, its last digits rounded away by a spreadsheet; ` +
        `it cannot be restored and is kept as written (export the column as text): ${examples(scientific)}`,
    );
  return out;
}

/**
 * Of the groups (codes of a dictionary column, e.g. invoice numbers) with a value, how many have 1 as their
 * smallest value: nearly all when the column numbers the rows within each group (an invoice's lines), only
 * the first few when it numbers the rows of the whole file.
 */
export function restartShare(values: Float64Array, groups: ArrayLike<number>, nGroups: number): { restart: number; seen: number } {
  const min = new Float64Array(nGroups).fill(Infinity);
  for (let r = 0; r < values.length; r++) {
    const g = groups[r];
    const v = values[r];
    if (g >= 0 && v < min[g]) min[g] = v;
  }
  let seen = 0;
  let restart = 0;
  for (let g = 0; g < nGroups; g++) {
    if (min[g] === Infinity) continue;
    seen++;
    if (min[g] === 1) restart++;
  }
  return { restart, seen };
}

function sameHeader(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((h, i) => h === b[i]);
}

/**
 * The rows of the second part after the first part's, as one read would have had them: lines shifted by
 * the first part's physical lines, rejected rows passed on in order. Returns the part's blank lines.
 */
function mergeSecondPart(st: RowState, rest: SecondPartResult, lineOffset: number, onReject: (r: RejectedRow) => void): number {
  for (let c = 0; c < st.builders.length; c++) {
    const b = st.builders[c];
    if (!b.mergePart) throw new Error(`column ${st.names[c]} cannot take a second part`);
    b.mergePart(rest.builders[c], lineOffset);
    rest.builders[c] = null as unknown as PartState;
  }
  const lines = rest.lines;
  for (let i = 0; i < lines.length; i++) lines[i] += lineOffset;
  st.lines.appendTail(lines);
  st.rows += rest.rows;
  st.rejected += rest.rejected;
  for (const [reason, n] of Object.entries(rest.rejectReasons)) st.rejectReasons[reason] = (st.rejectReasons[reason] ?? 0) + n;
  for (const line of rest.rejectLines) if (st.rejectLines.length < MAX_REJECT_LINES) st.rejectLines.push(line + lineOffset);
  for (const r of rest.rejects) onReject({ ...r, line: r.line + lineOffset });
  st.allBlankRecords += rest.allBlankRecords;
  st.totalRows += rest.totalRows;
  for (const line of rest.totalLines) if (st.totalLines.length < MAX_REJECT_LINES) st.totalLines.push(line + lineOffset);
  st.labelledRows += rest.labelledRows;
  for (const line of rest.labelledLines) if (st.labelledLines.length < MAX_REJECT_LINES) st.labelledLines.push(line + lineOffset);
  st.footerRows += rest.footerRows;
  for (const line of rest.footerLines) if (st.footerLines.length < MAX_REJECT_LINES) st.footerLines.push(line + lineOffset);
  st.repeatedHeaders += rest.repeatedHeaders;
  for (const line of rest.repeatedHeaderLines) if (st.repeatedHeaderLines.length < MAX_REJECT_LINES) st.repeatedHeaderLines.push(line + lineOffset);
  return rest.blankLines;
}

/**
 * Read the second part of a split file: bytes from `start` (a line start) to the end, as rows under
 * `header` (the record the first part takes as its header, at `headerLine`). Every line counts from the
 * part's start; the column builders are not finished, their state is returned to be merged.
 */
export async function parseSecondPart(
  path: string,
  kind: TableKind,
  part: { start: number; header: string[]; headerLine: number; delimiter: Dialect['delimiter'] },
  opts: ReadOptions,
  wantRejects: boolean,
): Promise<SecondPartResult> {
  const name = path === '-' ? 'stdin' : path;
  const rejects: RejectedRow[] = [];
  const reader = rowReader(kind, name, opts, wantRejects ? (r) => rejects.push(r) : () => {}, false, part.delimiter);
  reader.onHeader(part.header, part.headerLine);
  const parser = new CsvParser(part.delimiter, reader.handlers, true);
  const seen = { replaced: false };
  let chars = 0;
  for await (const chunk of rangeText(path, part.start, seen)) {
    if (opts.abort?.aborted) throw new ReadAborted();
    chars += chunk.length;
    parser.push(chunk);
  }
  parser.end();
  reader.endFooter();
  const st = reader.st;
  const builders = st.builders.map((b, c) => {
    if (!b.exportPart) throw new Error(`column ${st.names[c]} cannot be read in parts`);
    return b.exportPart();
  });
  return {
    headers: st.headers!,
    rows: st.rows,
    lines: st.lines.finish(),
    builders,
    rejected: st.rejected,
    rejectReasons: st.rejectReasons,
    rejectLines: st.rejectLines,
    rejects,
    allBlankRecords: st.allBlankRecords,
    blankLines: parser.blankLines,
    totalRows: st.totalRows,
    totalLines: st.totalLines,
    labelledRows: st.labelledRows,
    labelledLines: st.labelledLines,
    footerRows: st.footerRows,
    footerLines: st.footerLines,
    repeatedHeaders: st.repeatedHeaders,
    repeatedHeaderLines: st.repeatedHeaderLines,
    replaced: seen.replaced,
    chars,
  };
}

const TOTAL_WORDS = new Set([
  'tong_cong', 'tong', 'cong', 'tong_so', 'tong_tien', 'tong_so_tien', 'cong_tien', 'cong_tien_hang', 'tong_tien_hang', 'tong_cong_tien_hang',
  'tong_tien_thanh_toan', 'tong_cong_tien_thanh_toan', 'cong_tien_thanh_toan', 'total', 'totals', 'grand_total', 'sum', 'subtotal', 'sub_total',
]);
const TOTAL_FIRST = new Set('TtCcGgSs'.split('').map((ch) => ch.charCodeAt(0)));
const MAX_TOTAL_LABEL = 40;

function blankCell(s: string): boolean {
  return s.length === 0 || (s.charCodeAt(0) <= 32 && s.trim() === '');
}

/** Whether every field from `from` on is empty or white space. */
function emptyFrom(fields: string[], from: number): boolean {
  for (let i = from; i < fields.length; i++) if (!blankCell(fields[i])) return false;
  return true;
}

function unBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

/**
 * A record equal to the header (its first cell's byte-order mark and every cell's white space aside): the
 * header again, as concatenated files (`cat a.csv b.csv`) and paged exports repeat it. Cheap: most rows
 * fail on the length of their first cell.
 */
function isHeaderAgain(fields: string[], headers: string[] | null, header0: string, used: number): boolean {
  const f0 = fields[0];
  if (f0.length < header0.length || f0.length > header0.length + 8 || !headers) return false;
  if (unBom(f0).trim() !== header0) return false;
  for (let i = 1; i < used; i++) if (fields[i].trim() !== headers[i]) return false;
  return true;
}

/**
 * Whether a cell reads like an id, amount or date (`0100233488`, `1.000.000 đ`, `05/03/2024`): it has digits,
 * at least as many as letters. The text of a footer has none (`Kế toán trưởng`, `(Ký, họ tên)`) or few
 * (`ngày 05 tháng 03 năm 2024`).
 */
function looksLikeValue(cell: string): boolean {
  let digits = 0;
  let letters = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else if ((c | 32) >= 97 && (c | 32) <= 122) letters++;
    else if (c >= 0xc0 && cell[i].toLowerCase() !== cell[i].toUpperCase()) letters++;
  }
  return digits > 0 && digits >= letters;
}

/** A column number as reports write them under the header: `1`, `(2)`, `(4)=(2)x(3)`, `[5]`. */
const COLUMN_NUMBER = /^[([]?(\d{1,3})[)\]]?(?:\s*[=x×*+\-/.]\s*[([]?\d{1,3}[)\]]?)*$/i;

/**
 * The row under a header that numbers its columns (Vietnamese reports: "(1)", "(2)", "(3)=(1)x(2)"…): every
 * cell that is not blank is a column number, at least three of them, counting up by one from left to right
 * (a blank cell may skip one). Read as data it would be a bid of tender "(1)" by firm "(3)".
 */
function numbersColumns(fields: string[]): boolean {
  let prev = 0;
  let seen = 0;
  let blanks = 0;
  for (let i = 0; i < fields.length; i++) {
    const cell = fields[i].trim();
    if (cell === '') {
      blanks++;
      continue;
    }
    const m = COLUMN_NUMBER.exec(cell);
    if (!m) return false;
    const k = Number(m[1]);
    if (k <= prev || k > prev + 1 + blanks) return false;
    prev = k;
    blanks = 0;
    seen++;
  }
  return seen >= 3 && seen * 2 >= fields.length;
}

/** A total label as a cell writes it ("Tổng cộng:", "TOTAL", "Cộng tiền hàng"). */
function isTotalLabel(cell: string): boolean {
  const s = cell.trim();
  if (s.length === 0 || s.length > MAX_TOTAL_LABEL || !TOTAL_FIRST.has(s.charCodeAt(0))) return false;
  return TOTAL_WORDS.has(foldKey(s.replace(/:$/, '')));
}

const NOT_TOTAL = 0;
/** a totals line: skipped and counted */
const TOTAL_LINE = 1;
/** a record that carries a total label (a bidder named "TOTAL" without a tax code): read, and reported */
const LABELLED_RECORD = 2;

/**
 * A spreadsheet's totals line ("Tổng cộng", "Total") at the foot of an export is not a record: it names no
 * firm or buyer, one of its cells is a total label (the first, or another when the label cell was merged
 * across columns and landed under a name), and it has no key of its own: its tender_id or invoice number
 * is blank or the label itself. A row that has its own key is a record even with a label and no party id
 * (a bidder named "TOTAL" in an export without tax codes): it is read (or rejected for a missing party
 * key, an invoice's seller_id), and reported. Cheap to test:
 * nearly every row has a party id.
 */
function totalRow(fields: string[], partyIdx: number[], ownKeyIdx: number[], used: number): number {
  for (const i of partyIdx) if (i < used && !blankCell(fields[i])) return NOT_TOTAL;
  let label = false;
  for (let i = 0; i < used; i++)
    if (isTotalLabel(fields[i])) {
      label = true;
      break;
    }
  if (!label) return NOT_TOTAL;
  for (const i of ownKeyIdx) if (i < used && !blankCell(fields[i]) && !isTotalLabel(fields[i])) return LABELLED_RECORD;
  return TOTAL_LINE;
}

/** The row-key columns of a table that are not party ids (tender_id; an invoice's number), for messages. */
function ownKeyLabel(kind: TableKind): string {
  return rowKeyColumns(kind)
    .filter((k) => SCHEMA[kind].find((col) => col.name === k)?.type !== 'party')
    .join(' and ');
}

/** Give parties the names written beside their ids; a registry's names (`registry`) replace those. */
function nameParties(t: Table, parties: Parties, registry: boolean): void {
  const pairs: [string, string, boolean][] = [
    ['bidder_id', 'bidder_name', false],
    ['buyer_id', 'buyer_name', false],
    ['seller_id', 'seller_name', false],
    ['winner_id', 'winner_name', false],
    ['company_id', 'name', registry],
  ];
  for (const [idCol, nameCol, prefer] of pairs) {
    const ids = t.party(idCol);
    const names = t.str(nameCol);
    if (!ids || !names) continue;
    for (let r = 0; r < t.n; r++) {
      if (ids[r] >= 0 && names.codes[r] >= 0) parties.setName(ids[r], names.dict[names.codes[r]], prefer);
    }
  }
}
