/**
 * `redflag inspect FILE…`: what each file is and how it will be read — the first thing to run on an export
 * the tool has never seen.
 */
import { InputError } from '../io/errors.js';
import { fitsTable, guessKind, mapHeaders, missingRequired, type UserMap } from '../io/headers.js';
import { finishTable, readHeader, readTable, type FileReport } from '../io/load.js';
import { looksLikeJson } from '../io/json-items.js';
import { parseOcds, type OcdsSummary } from '../io/ocds.js';
import { openText, type Encoding } from '../io/source.js';
import { notCsv, sniffDialect } from '../io/sniff.js';
import { Parties } from '../model/dataset.js';
import { SCHEMA, TABLE_KINDS, type TableKind } from '../model/schema.js';
import type { Table } from '../model/table.js';
import { EXIT, type Io } from './io.js';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';

async function spoolStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'redflag-inspect-')), 'stdin');
  await pipeline(stdin, createWriteStream(path));
  return path;
}
import { plural } from '../util/format.js';
import { readUserMap, rejectSummary } from './analyze-command.js';

interface InspectResult {
  path: string;
  kind: TableKind | 'ocds' | null;
  kindSource: 'option' | 'headers' | 'content' | null;
  encoding?: string;
  gzip?: boolean;
  delimiter?: string;
  rows?: number;
  rejected?: number;
  blankLines?: number;
  columns?: { canonical: string; header: string; type: string; convention?: string; unreadable?: number; unknownValues?: { value: string; count: number }[]; invalidTaxCodes?: number }[];
  unmapped?: string[];
  /** 'json' for a file read as OCDS (delimiter and columns then say nothing) */
  format?: 'json';
  /** an OCDS file: what it holds, and the tables it gives (each with its columns) */
  ocds?: Omit<OcdsSummary, 'format'> & { format: string };
  tables?: { kind: TableKind; rows: number; rejected: number; columns: ColumnInfo[] }[];
  problems: string[];
}

type ColumnInfo = NonNullable<InspectResult['columns']>[number];

const DELIMS: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

function typeName(kind: TableKind, col: string): string {
  const t = SCHEMA[kind].find((c) => c.name === col)?.type;
  return typeof t === 'object' ? `code:${t.code}` : (t ?? '');
}

async function inspectOne(
  path: string,
  kindOpt: TableKind | undefined,
  userMap: UserMap | undefined,
  dateOrder: 'dmy' | 'mdy' | 'ymd' | undefined,
  io: Io,
  encoding?: Encoding,
): Promise<InspectResult> {
  const res: InspectResult = { path: path === '-' ? 'stdin' : path, kind: null, kindSource: null, problems: [] };
  const src = await openText(path, { stdin: io.stdin, encoding });
  if (looksLikeJson(src.sample)) {
    src.close();
    res.encoding = `${src.encoding}${src.bom ? ' with BOM' : ''}`;
    res.gzip = src.gzip;
    return inspectOcds(res, path, kindOpt, dateOrder, io, encoding);
  }
  const dialect = sniffDialect(src.sample);
  const headers = (await readHeader(src, dialect, (fields) => (kindOpt ? fitsTable(kindOpt, fields, userMap) : guessKind(fields, userMap) !== null))) ?? [];
  src.close();
  res.encoding = `${src.encoding}${src.bom ? ' with BOM' : ''}`;
  res.gzip = src.gzip;
  res.delimiter = DELIMS[dialect.delimiter];
  res.problems.push(...src.warnings);
  let kind = kindOpt ?? null;
  if (kind) res.kindSource = 'option';
  else {
    const g = guessKind(headers, userMap);
    if (g) {
      kind = g.kind;
      res.kindSource = 'headers';
    }
  }
  if (!kind) {
    const other = notCsv(src.sample);
    if (other) {
      res.problems.push(other);
      return res;
    }
    const closest = TABLE_KINDS.map((k) => ({ k, m: mapHeaders(k, headers, userMap) })).sort((a, b) => b.m.index.size - a.m.index.size)[0];
    res.problems.push(
      `not recognised as any table: closest is ${closest.k} (${plural(closest.m.index.size, 'column')} matched), missing ${missingRequired(closest.k, closest.m).join(', ')}; ` +
        `map the headers with --map FILE.json or pass --kind`,
    );
    res.unmapped = headers;
    return res;
  }
  res.kind = kind;
  let report: FileReport;
  let table: Table;
  try {
    ({ report, table } = await readTable(path, kind, new Parties(), 0, { userMap, dateOrder, encoding, stdin: io.stdin }));
  } catch (e) {
    if (e instanceof InputError) {
      res.problems.push(e.message);
      return res;
    }
    throw e;
  }
  res.rows = report.rows;
  res.rejected = report.rejected;
  res.blankLines = report.blankLines;
  res.columns = describeTable(report, table, kind, dateOrder, res.problems, path);
  res.unmapped = report.mapping.unmapped;
  return res;
}

/**
 * The columns of a file as read (canonical ← header, type, convention), and its problems added to
 * `problems`: the reader's warnings, rejected rows, unreadable values, unknown codes, blank and absent columns.
 */
function describeTable(report: FileReport, table: Table, kind: TableKind, dateOrder: 'dmy' | 'mdy' | 'ymd' | undefined, problems: string[], path: string, label = ''): ColumnInfo[] {
  const blank = [...report.mapping.index.keys()].filter((canonical) => report.rows > 0 && !table.hasValues(canonical));
  const columns = [...report.mapping.index.keys()].map((canonical) => {
    const c = report.columns[canonical];
    const convention = blank.includes(canonical) ? 'no values' : c.convention && dateConvention(c.convention, dateOrder);
    return {
      canonical,
      header: report.mapping.written[canonical],
      type: typeName(kind, canonical),
      ...(convention ? { convention } : {}),
      ...(c.problems.count ? { unreadable: c.problems.count } : {}),
      ...(c.unknown ? { unknownValues: c.unknown } : {}),
      ...(c.invalidTaxCodes ? { invalidTaxCodes: c.invalidTaxCodes } : {}),
    };
  });
  // the reader repeats the source's warnings (encoding) with the path: list each once
  const seen = new Set(problems);
  for (const w of report.warnings) {
    const bare = w.startsWith(`${path}: `) ? w.slice(path.length + 2) : w;
    if (!seen.has(bare)) problems.push(w);
    seen.add(bare);
  }
  if (report.rejected) problems.push(`${label}${plural(report.rejected, 'row')} rejected: ${rejectSummary(report)}`);
  for (const [col, c] of Object.entries(report.columns)) {
    if (c.problems.count) problems.push(`${label}${col}: ${plural(c.problems.count, 'unreadable value')} read as blank (line ${c.problems.lines.join(', ')}: ${c.problems.samples.map((s) => JSON.stringify(s)).join(', ')})`);
    if (c.unknown?.length) problems.push(`${label}${col}: unknown coded values kept as written: ${c.unknown.map((u) => `${JSON.stringify(u.value)} ×${u.count}`).join(', ')}`);
  }
  if (blank.length) problems.push(`${label}columns present but blank on every row (detectors needing them will be skipped): ${blank.join(', ')}`);
  const optional = SCHEMA[kind].filter((c) => !report.mapping.index.has(c.name)).map((c) => c.name);
  if (optional.length) problems.push(`${label}absent optional columns (detectors needing them will be skipped): ${optional.join(', ')}`);
  return columns;
}

/** An OCDS file: what it holds and the tables it gives, each described as a CSV table would be. */
async function inspectOcds(res: InspectResult, path: string, kindOpt: TableKind | undefined, dateOrder: 'dmy' | 'mdy' | 'ymd' | undefined, io: Io, encoding?: Encoding): Promise<InspectResult> {
  res.format = 'json';
  if (kindOpt) res.problems.push(`--kind ${kindOpt} does not apply: an OCDS file gives the bids, tenders and companies tables`);
  let read;
  try {
    read = await parseOcds(path, { dateOrder, encoding, stdin: io.stdin });
  } catch (e) {
    if (e instanceof InputError) {
      res.problems.push(e.message);
      return res;
    }
    throw e;
  }
  const { summary, tables } = read;
  res.kind = 'ocds';
  res.kindSource = 'content';
  res.ocds = summary;
  res.tables = [];
  res.rows = 0;
  res.rejected = 0;
  res.blankLines = 0;
  for (const parsed of tables) {
    const report = parsed.report;
    const table = finishTable(parsed, new Parties(), 0);
    res.rows += report.rows;
    res.rejected += report.rejected;
    res.tables.push({ kind: parsed.kind, rows: report.rows, rejected: report.rejected, columns: describeTable(report, table, parsed.kind, dateOrder, res.problems, path, `${parsed.kind}: `) });
  }
  return res;
}

/**
 * `--date-order ymd` orders only dates written year first (yy/mm/dd); dates with the year last are still
 * read day or month first, as their column decides. The reader reports "order ymd (set by --date-order)"
 * for the whole column: say what it does with the day and month instead.
 */
export function dateConvention(convention: string, dateOrder: string | undefined): string {
  if (dateOrder !== 'ymd') return convention;
  const m = /^(.*); order ymd \(set by --date-order\)$/.exec(convention);
  if (!m) return convention;
  const formats = m[1].split(', ');
  const yearLast = formats.filter((f) => /^(dd|mm)\W/.test(f));
  if (!yearLast.length) return convention;
  const dayFirst = yearLast[0].startsWith('dd');
  return `${m[1]}; order ${dayFirst ? 'dmy' : 'mdy'} (${dayFirst ? 'day' : 'month'} first: --date-order ymd applies only to dates written year first)`;
}

function textOf(r: InspectResult): string {
  const out: string[] = [r.path];
  const row = (k: string, v: string) => out.push(`  ${k.padEnd(10)} ${v}`);
  if (r.format === 'json') return ocdsText(r, out, row);
  row('kind', r.kind ? `${r.kind}${r.kindSource === 'headers' ? ' (recognised from the headers)' : ' (--kind)'}` : 'unknown');
  if (r.encoding) row('format', `${r.encoding}${r.gzip ? ', gzip' : ''}, ${r.delimiter}-delimited`);
  if (r.rows !== undefined) row('rows', `${r.rows} read, ${r.rejected} rejected, ${plural(r.blankLines ?? 0, 'blank line')} skipped`);
  if (r.columns?.length) {
    out.push('  columns');
    columnLines(r.columns, out, '    ');
  }
  if (r.unmapped?.length) row('unmapped', r.unmapped.map((h) => JSON.stringify(h)).join(', '));
  if (r.problems.length) {
    out.push('  problems');
    for (const p of r.problems) out.push(`    - ${p}`);
  }
  return out.join('\n') + '\n';
}

function columnLines(columns: ColumnInfo[], out: string[], indent: string): void {
  const w = Math.max(...columns.map((c) => c.canonical.length));
  for (const c of columns) out.push(`${indent}${c.canonical.padEnd(w)} ← ${JSON.stringify(c.header)}  [${c.type}]${c.convention ? `  ${c.convention}` : ''}`);
}

/** a count as the other lines write it (1,234) */
const count = (x: number) => x.toLocaleString('en-US');

function ocdsText(r: InspectResult, out: string[], row: (k: string, v: string) => void): string {
  const o = r.ocds;
  row('kind', o ? `OCDS ${o.format} (recognised from the content)` : 'unknown (JSON, not read as OCDS)');
  if (r.encoding) row('format', `JSON, ${r.encoding}${r.gzip ? ', gzip' : ''}`);
  if (o) {
    const releases = [
      o.packages > 1 ? plural(o.packages, 'package') : '',
      o.records ? plural(o.records, 'record') : '',
      plural(o.releases, 'release') + (o.compiledReleases ? ` (${count(o.compiledReleases)} compiled)` : ''),
    ].filter(Boolean);
    row('holds', `${releases.join(', ')} of ${plural(o.ocids, 'ocid')}${o.mergedOcids ? ` (${count(o.mergedOcids)} with several releases, merged)` : ''}`);
    row(
      'tenders',
      `${count(o.tendersWithBids)} with bids (bid extension), ${count(o.tendersWithTenderersOnly)} with tenderers only (no bid amounts), ${count(o.tendersWithoutBids)} without bids or tenderers` +
        (o.withoutTender ? `; ${plural(o.withoutTender, 'ocid')} without a tender` : ''),
    );
    row('parties', count(o.parties));
  }
  for (const t of r.tables ?? []) {
    row(t.kind, `${count(t.rows)} rows read, ${count(t.rejected)} rejected`);
    if (t.columns.length) columnLines(t.columns, out, '    ');
  }
  if (r.problems.length) {
    out.push('  problems');
    for (const p of r.problems) out.push(`    - ${p}`);
  }
  return out.join('\n') + '\n';
}

export async function runInspect(
  files: string[],
  opts: { kind?: TableKind; map?: string; dateOrder?: 'dmy' | 'mdy' | 'ymd'; encoding?: Encoding; format: 'text' | 'json' },
  io: Io,
): Promise<number> {
  const userMap = opts.map ? readUserMap(opts.map) : undefined;
  const results: InspectResult[] = [];
  let code: number = EXIT.ok;
  // errors (exit 2) on stderr as with analyze; the report on stdout still lists every file's problems
  const failed = (m: string) => io.stderr.write(`redflag: ${m}\n`);
  for (const f of files) {
    // standard input can be read once: keep a copy so the header and the rows can both be read; the copy
    // (an export, possibly sensitive) is removed afterwards, and messages name "stdin", not the copy
    const spooled = f === '-' ? await spoolStdin(io.stdin) : null;
    const named = (m: string) => (spooled ? m.split(spooled).join('stdin') : m);
    try {
      const r = await inspectOne(spooled ?? f, opts.kind, userMap, opts.dateOrder, io, opts.encoding);
      if (spooled) {
        r.path = 'stdin';
        r.problems = r.problems.map(named);
      }
      // not recognised, or not readable as the table --kind names (missing required columns): as analyze, exit 2
      if (!r.kind || r.rows === undefined) {
        code = EXIT.usage;
        // the reason goes to stderr too (a script that keeps only stderr learns why): the last problem is
        // the one that stopped the reading (after the encoding notes)
        const why = r.problems.at(-1) ?? 'cannot be read';
        failed(why.startsWith(`${r.path}: `) ? why : `${r.path}: ${why}`);
      }
      results.push(r);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      code = EXIT.usage;
      failed(named(e.message));
      results.push({ path: spooled ? 'stdin' : f, kind: null, kindSource: null, problems: [named(e.message)] });
    } finally {
      if (spooled) rmSync(dirname(spooled), { recursive: true, force: true });
    }
  }
  if (opts.format === 'json') io.stdout.write(JSON.stringify({ schemaVersion: 1, files: results }, null, 2) + '\n');
  else io.stdout.write(results.map(textOf).join('\n'));
  return code;
}
