/**
 * Reading one export into a columnar table, streaming: decode → parse → map headers → typed columns.
 *
 * Nothing is lost silently: every record is either read or rejected with a reason (wrong field count, no
 * value for the row's own key, an unterminated quote), and unreadable values are counted per column.
 */
import { basename } from 'node:path';
import { CsvParser } from './csv.js';
import { InputError } from './errors.js';
import { fitsTable, mapHeaders, missingRequired, type HeaderMapping, type UserMap } from './headers.js';
import { openText, type Encoding, type TextSource } from './source.js';
import { sniffDialect, type Dialect } from './sniff.js';
import { PartyBuilder, PartyNameBuilder, columnBuilder, type ColumnBuilder, type ColumnReport, type LocalPartyColumn } from './columns.js';
export type { LocalPartyColumn } from './columns.js';

/** Name columns kept as "the name of the id beside them" (columns.ts PartyNameBuilder). */
const NAME_OF_ID: Record<string, string> = {
  bidder_name: 'bidder_id',
  seller_name: 'seller_id',
  buyer_name: 'buyer_id',
  winner_name: 'winner_id',
};
import type { DateOrder } from '../normalize/date.js';
import { Parties } from '../model/dataset.js';
import { SCHEMA, rowKeyColumns, type TableKind } from '../model/schema.js';
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
  fields: string[];
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
  blankLines: number;
  columns: Record<string, ColumnReport>;
  warnings: string[];
}

const MAX_REJECT_LINES = 5;

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
  return records.find(isHeader) ?? records[0] ?? null;
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
  nameParties(table, parties);
  return table;
}

/** Read one file into columns; party columns keep file-local codes (finishTable gives them party ids). */
export async function parseTable(
  path: string,
  kind: TableKind,
  opts: ReadOptions = {},
  onReject: (r: RejectedRow) => void = () => {},
): Promise<ParsedTable> {
  const src = await openText(path, { encoding: opts.encoding, stdin: opts.stdin });
  const dialect = sniffDialect(src.sample);
  const name = path === '-' ? 'stdin' : path;

  let headers: string[] | null = null;
  let mapping: HeaderMapping | null = null;
  let builders: ColumnBuilder[] = [];
  let indexes: number[] = [];
  const names: string[] = [];
  let keyIdx: number[] = [];
  let keyNames: string[] = [];
  let width = 0;
  let skipSep = dialect.sepLine;
  let rows = 0;
  let rejected = 0;
  const rejectReasons: Record<string, number> = {};
  const rejectLines: number[] = [];
  const lines = new GrowableInt32(4096);
  let allBlankRecords = 0;
  const preamble: { fields: string[]; line: number }[] = [];
  let partyIdx: number[] = [];
  let totalRows = 0;
  const totalLines: number[] = [];
  let warnPreamble = '';

  const reject = (line: number, reason: string, fields: string[], count = 1) => {
    rejected += count;
    rejectReasons[reason] = (rejectReasons[reason] ?? 0) + count;
    if (rejectLines.length < MAX_REJECT_LINES) rejectLines.push(line);
    onReject({ file: name, line, reason, fields });
  };

  const onHeader = (fields: string[], line: number) => {
    headers = fields.map((h) => h.trim());
    width = headers.length;
    mapping = mapHeaders(kind, headers, opts.userMap);
    const missing = missingRequired(kind, mapping);
    if (missing.length) {
      const shown = headers.slice(0, 12).map((h) => JSON.stringify(h)).join(', ') + (headers.length > 12 ? ', …' : '');
      throw new InputError(
        `${name}: missing required ${kind} column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (line ${line}: the header has ${shown}). ` +
          `Map your column names with --map FILE.json, or check the delimiter.`,
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
      builders.push(b);
      names.push(canonical);
      indexes.push(mapping.index.get(canonical)!);
    }
    partyIdx = [...mapping.index].filter(([c]) => SCHEMA[kind].find((col) => col.name === c)?.type === 'party').map(([, i]) => i);
    keyNames = rowKeyColumns(kind).filter((k) => mapping!.index.has(k));
    keyIdx = keyNames.map((k) => mapping!.index.get(k)!);
  };

  const parser = new CsvParser(dialect.delimiter, {
    onRecord(fields, line) {
      if (skipSep) {
        skipSep = false;
        return;
      }
      if (!headers) {
        if (fitsTable(kind, fields, opts.userMap)) {
          if (preamble.length) warnPreamble = `${preamble.length} line${preamble.length > 1 ? 's' : ''} above the header (line ${line}) skipped: a title or notes above the table`;
          preamble.length = 0;
          onHeader(fields, line);
        } else {
          preamble.push({ fields, line });
          // no header among the first records: the first one is the header, and the error names what it lacks
          if (preamble.length >= MAX_PREAMBLE) onHeader(preamble[0].fields, preamble[0].line);
        }
        return;
      }
      if (fields.length !== width) {
        if (fields.length > width && fields.slice(width).every((f) => f.trim() === '')) {
          // trailing empty fields (a trailing delimiter) are harmless
        } else {
          if (fields.every((f) => f.trim() === '')) {
            allBlankRecords++;
            return;
          }
          reject(line, `expected ${width} fields, found ${fields.length}`, fields);
          return;
        }
      }
      let blank = true;
      for (let i = 0; i < width; i++)
        if (fields[i] !== '' && fields[i].trim() !== '') {
          blank = false;
          break;
        }
      if (blank) {
        allBlankRecords++;
        return;
      }
      if (isTotalRow(fields, partyIdx)) {
        totalRows++;
        if (totalLines.length < MAX_REJECT_LINES) totalLines.push(line);
        return;
      }
      for (let k = 0; k < keyIdx.length; k++) {
        if (fields[keyIdx[k]].trim() === '') {
          reject(line, `no ${keyNames[k]}`, fields);
          return;
        }
      }
      for (let c = 0; c < builders.length; c++) builders[c].push(fields[indexes[c]], line);
      lines.push(line);
      rows++;
      if (opts.onProgress && (rows & 0x3fff) === 0) opts.onProgress(charsRead);
    },
    onError(line, message, spanned) {
      reject(line, message, [], Math.max(1, spanned));
    },
  });

  let charsRead = 0;
  try {
    for await (const chunk of src.chunks()) {
      if (opts.abort?.aborted) throw new ReadAborted();
      charsRead += chunk.length;
      parser.push(chunk);
    }
    parser.end();
    if (!headers && preamble.length) onHeader(preamble[0].fields, preamble[0].line);
  } catch (e) {
    if (e instanceof InputError || e instanceof ReadAborted) throw e;
    throw new InputError(`${name}: cannot read: ${(e as Error).message}`, name);
  }
  if (!headers) throw new InputError(`${name}: no header row (the file holds no records)`, name);
  opts.onProgress?.(charsRead);

  const columns: (Column | LocalPartyColumn)[] = [];
  const reports: Record<string, ColumnReport> = {};
  // each builder is dropped once finished, so its buffers can be freed while the next column is copied
  const finishing = builders;
  builders = [];
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
  indexes = [];
  const lineArr = lines.finish();

  const warnings = src.warnings.map((w) => `${name}: ${w}`);
  if (warnPreamble) warnings.push(`${name}: ${warnPreamble}`);
  if (totalRows)
    warnings.push(`${name}: ${totalRows} total row${totalRows > 1 ? 's' : ''} ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line ${totalLines.join(', ')}`);
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
      encoding: src.encoding,
      bom: src.bom,
      gzip: src.gzip,
      sizeBytes: src.sizeBytes,
      delimiter: dialect.delimiter,
      headers: headers!,
      mapping: mapping!,
      rows,
      rejected,
      rejectReasons,
      rejectLines,
      blankLines: parser.blankLines + allBlankRecords,
      columns: reports,
      warnings,
    },
  };
}

const TOTAL_WORDS = new Set(['tong_cong', 'tong', 'cong', 'tong_so', 'total', 'totals', 'grand_total', 'sum', 'subtotal', 'sub_total']);
const TOTAL_FIRST = new Set('TtCcGgSs'.split('').map((ch) => ch.charCodeAt(0)));

/**
 * A spreadsheet's totals line ("Tổng cộng", "Total") at the foot of an export is not a record: its first
 * cell is a total word and it names no firm or buyer. Cheap to test: most rows fail on the first character.
 */
function isTotalRow(fields: string[], partyIdx: number[]): boolean {
  const first = fields[0].trim();
  if (first.length === 0 || first.length > 16 || !TOTAL_FIRST.has(first.charCodeAt(0))) return false;
  if (!TOTAL_WORDS.has(foldKey(first.replace(/:$/, '')))) return false;
  for (const i of partyIdx) if (fields[i].trim() !== '') return false;
  return true;
}

/** Give parties the names written beside their ids. */
function nameParties(t: Table, parties: Parties): void {
  const pairs: [string, string, boolean][] = [
    ['bidder_id', 'bidder_name', false],
    ['buyer_id', 'buyer_name', false],
    ['seller_id', 'seller_name', false],
    ['winner_id', 'winner_name', false],
    ['company_id', 'name', true],
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

export function displayName(path: string): string {
  return path === '-' ? 'stdin' : basename(path);
}
