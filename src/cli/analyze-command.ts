/**
 * `redflag analyze`: inputs → dataset → detectors → report → exit code.
 */
import { accessSync, constants, createWriteStream, readFileSync, statSync, type WriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { evidenceGroups, type Report } from '../analyze.js';
import { analyzeParallel } from '../analyze-parallel.js';
import type { Detector } from '../detectors/types.js';
import type { Dataset } from '../model/dataset.js';
import { baselineMismatch, parseBaseline, type BaselineUse } from '../scoring/baseline.js';
import { applyConfigFile, applySelection, applySets, checkMapTables, checkSomeEnabled, defaultConfig, type Config } from '../config/config.js';
import { DETECTORS } from '../detectors/index.js';
import { plural } from '../util/format.js';
import { loadDataset, rejectRateProblems, type InputKind, type InputSpec } from '../io/dataset.js';
import { InputError, UsageError } from '../io/errors.js';
import { parseMapText, parseUserMap, type UserMap } from '../io/headers.js';
import { firstRejects, type FileReport, type RejectedRow } from '../io/load.js';
import type { Encoding } from '../io/source.js';
import { RENDERERS, type Format } from '../report/index.js';
import { datasetFigures } from '../figures.js';
import { collectorFor } from '../graph/dataset-cache.js';
import { csvCell } from '../report/csv.js';
import { entityKey } from '../scoring/rank.js';
import { severityRank, type Severity } from '../scoring/score.js';
import { EXIT, toolVersion, type Io } from './io.js';
import { Progress } from './progress.js';
import { batches, regularFileFd, writeToFd, writeToFile } from './write-report.js';

export interface AnalyzeOptions {
  bids?: string[];
  /** OCDS JSON files (ocds.ts): they fill the bids, tenders and companies tables */
  ocds?: string[];
  tenders?: string[];
  companies?: string[];
  invoices?: string[];
  config?: string;
  format: Format;
  output?: string;
  top?: number;
  minSeverity: Severity;
  failOn: Severity | 'never';
  detectors?: string[];
  exclude?: string[];
  set?: string[];
  rejects?: string;
  maxRejectRate?: number;
  map?: string;
  dateOrder?: 'dmy' | 'mdy' | 'ymd';
  /** read every input in this encoding instead of detecting it */
  encoding?: Encoding;
  color: boolean;
  quiet?: boolean;
  /** a baseline file from `redflag baseline`: score against its frozen references */
  baseline?: string;
  /** previous JSON reports: report only findings whose id is in none of them */
  newSince?: string[];
  /** use a baseline made by another version or configuration */
  force?: boolean;
  /** threads for the detectors (analyze-parallel.ts) */
  jobs?: number;
}

/**
 * A settings file (config, column map, baseline, previous report) as text. Windows editors and shells
 * write these with a byte-order mark: Notepad's UTF-8 with BOM, and Windows PowerShell's `>` writes
 * UTF-16 LE — so `redflag analyze … --format json > report.json` there gives a UTF-16 report that
 * --new-since must still read. The BOM decides; without one the file is UTF-8.
 */
export function decodeSettingsText(buf: Buffer): string {
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) {
    const le = Buffer.from(buf.subarray(2, 2 + ((buf.length - 2) & ~1)));
    le.swap16();
    return le.toString('utf16le');
  }
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Read a settings file with `decodeSettingsText`; a missing or unreadable file is an input error naming it. */
export function readSettingsFile(path: string, what: string): string {
  try {
    return decodeSettingsText(readFileSync(path));
  } catch (e) {
    throw new InputError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, path);
  }
}

export function readJsonFile(path: string, what: string): unknown {
  const text = readSettingsFile(path, what);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${path}${jsonErrorPlace(text, (e as Error).message)}: not valid JSON (${(e as Error).message})`, path);
  }
}

/** ":line:column" of a JSON.parse error that gives a character position ("… at position 12"), else "". */
export function jsonErrorPlace(text: string, message: string): string {
  const m = /at position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1])).split('\n');
  return `:${before.length}:${before.at(-1)!.length + 1}`;
}

export function loadConfig(opts: Pick<AnalyzeOptions, 'config' | 'detectors' | 'exclude' | 'set'>, registry: readonly Detector[] = DETECTORS): Config {
  let cfg = defaultConfig(registry);
  if (opts.config) {
    let text: string;
    try {
      text = decodeSettingsText(readFileSync(opts.config));
    } catch (e) {
      throw new UsageError(`cannot read config ${opts.config}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    cfg = applyConfigFile(cfg, text, opts.config, registry);
  }
  cfg = applySelection(cfg, opts.detectors, opts.exclude, registry);
  if (opts.set?.length) cfg = applySets(cfg, opts.set, registry);
  checkSomeEnabled(cfg, opts.detectors, opts.exclude);
  return cfg;
}

/** Read a --map file: JSON with comments, per table only under a table's name, every target a canonical column. */
export function readUserMap(path: string): UserMap {
  const raw = parseMapText(readSettingsFile(path, 'column map'), path);
  checkMapTables(raw, path);
  return parseUserMap(raw, path);
}


export function mergeMaps(a: UserMap | undefined, b: UserMap | undefined): UserMap | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: UserMap = { ...a };
  for (const [k, m] of Object.entries(b)) out[k as keyof UserMap] = { ...(a[k as keyof UserMap] ?? {}), ...m };
  return out;
}

/**
 * Why rows were rejected and where: "expected 23 fields, found 5 (1 row); no tender_id (2 rows); first at
 * lines 12, 22, 40". Reasons carry commas of their own, so they are separated by semicolons.
 */
export function rejectSummary(r: Pick<FileReport, 'rejectReasons' | 'rejectLines' | 'rejectPlaces'>): string {
  const reasons = Object.entries(r.rejectReasons).map(([k, v]) => `${k} (${plural(v, 'row')})`);
  return `${reasons.join('; ')}; first at ${firstRejects(r)}`;
}

/** Warnings about how the inputs were read: the files' own (encoding, ids, tax codes…), rejected rows, unreadable values, unknown codes. */
export function inputWarnings(reports: FileReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    out.push(...r.warnings);
    if (r.rejected) {
      out.push(`${r.path}: ${plural(r.rejected, 'row')} rejected: ${rejectSummary(r)}`);
    }
    for (const [col, c] of Object.entries(r.columns)) {
      const header = r.mapping.written[col];
      const name = header && header !== col ? `${col} ("${header}")` : col;
      if (c.problems.count)
        out.push(
          `${r.path}: column ${name}: ${c.problems.count} value${c.problems.count > 1 ? 's' : ''} unreadable, read as blank ` +
            `(line ${c.problems.lines.join(', ')}: ${c.problems.samples.map((s) => JSON.stringify(s)).join(', ')})`,
        );
      if (c.unknown?.length)
        out.push(
          `${r.path}: column ${name}: ${c.unknown.length} unknown coded value${c.unknown.length > 1 ? 's' : ''} kept as written: ` +
            c.unknown
              .slice(0, 5)
              .map((u) => `${JSON.stringify(u.value)} ×${u.count}`)
              .join(', '),
        );
    }
  }
  return out;
}

/**
 * A rejected record as it stood in its file, to be repaired and read again: the fields joined with the
 * file's own delimiter, quoted (RFC 4180) where they hold the delimiter, a quote or a line break; an
 * unterminated quoted field is written with its opening quote and no closing one, to the end of the file
 * as the reader saw it.
 */
export function recordText(r: Pick<RejectedRow, 'fields' | 'delimiter' | 'unterminated'>): string {
  const d = r.delimiter;
  const quoted = (f: string) => `"${f.replaceAll('"', '""')}"`;
  const field = (f: string) => (f.includes(d) || /["\r\n]/.test(f) ? quoted(f) : f);
  if (!r.unterminated) return r.fields.map(field).join(d);
  const open = r.fields.at(-1) ?? '';
  return [...r.fields.slice(0, -1).map(field), quoted(open).slice(0, -1)].join(d);
}

/** The --rejects CSV. `open` creates the file before any input is read, so a bad path is a clean exit 2. */
class RejectsWriter {
  private error: Error | null = null;
  private constructor(
    private readonly stream: WriteStream,
    private readonly path: string,
  ) {
    stream.on('error', (e) => (this.error ??= e));
    this.stream.write('file,line,reason,record\r\n');
  }
  static async open(path: string): Promise<RejectsWriter> {
    try {
      return new RejectsWriter(await openOutput(path), path);
    } catch (e) {
      throw new UsageError(`cannot write --rejects ${path}: ${fileError(e)}`);
    }
  }
  write(r: RejectedRow): void {
    // an OCDS record is written as its JSON, and the reason says where in the file it stood
    const ocds = r.place !== undefined;
    const reason = ocds && r.place ? `${r.reason} at ${r.place}` : r.reason;
    if (!this.error) this.stream.write([r.file, r.line, reason, ocds ? r.fields.join('') : recordText(r)].map(csvCell).join(',') + '\r\n');
  }
  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.stream.end(() => (this.error ? reject(new UsageError(`cannot write --rejects ${this.path}: ${fileError(this.error)}`)) : resolve())),
    );
  }
}

/**
 * Fail early, before the inputs are read, when an output file (`--output`, a baseline) cannot be written:
 * a missing directory or a read-only place would otherwise end a long run with a bare ENOENT. Nothing is
 * created or truncated here; the file is opened once the report is ready.
 */
export function checkWritable(path: string, flag: string): void {
  let reason: string | null = null;
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) reason = 'it is a directory';
    else if (st) accessSync(path, constants.W_OK);
    else {
      const dir = statSync(dirname(path), { throwIfNoEntry: false });
      if (!dir || !dir.isDirectory()) reason = 'no such directory';
      else accessSync(dirname(path), constants.W_OK);
    }
  } catch (e) {
    reason = fileError(e);
  }
  if (reason) throw new UsageError(`cannot write ${flag} ${path}: ${reason}`);
}

/**
 * The files a run writes must not be the files it reads: `--rejects bids.csv` truncated the export before
 * reading it, and `--output bids.csv` replaced it with the report. Compared by device and inode, so a
 * relative path, a symlink or a hard link to an input is caught too. Throws a usage error (exit 2).
 */
export function checkNotInput(outputs: { path?: string; flag: string }[], inputs: { path?: string; flag: string }[]): void {
  const id = (p: string) => {
    const st = statSync(p, { throwIfNoEntry: false });
    return st && st.isFile() ? `${st.dev}:${st.ino}` : null;
  };
  const read = new Map<string, string>();
  for (const i of inputs) {
    if (!i.path || i.path === '-') continue;
    const k = id(i.path);
    if (k && !read.has(k)) read.set(k, i.flag);
  }
  const written = new Map<string, string>();
  for (const o of outputs) {
    if (!o.path || o.path === '-') continue;
    // two outputs that do not exist yet are compared by their absolute path
    const k = id(o.path) ?? `path:${resolve(o.path)}`;
    const clash = read.get(k) ?? written.get(k);
    if (clash) throw new UsageError(`${o.flag} ${o.path} is the file given to ${clash}: it would be overwritten; write to another file`);
    written.set(k, o.flag);
  }
}

/** The data and settings files a run reads, with the flag that named each (for checkNotInput). */
export function inputFiles(opts: InputOptions & { config?: string; baseline?: string; newSince?: string[] }): { path?: string; flag: string }[] {
  const out: { path?: string; flag: string }[] = [];
  for (const kind of ['bids', 'tenders', 'companies', 'invoices', 'ocds'] as const) for (const path of opts[kind] ?? []) out.push({ path, flag: `--${kind}` });
  out.push({ path: opts.map, flag: '--map' }, { path: opts.config, flag: '--config' }, { path: opts.baseline, flag: '--baseline' });
  // a reviewed report overwritten by the run that reads it loses what was known: the next run fails on old findings
  for (const path of opts.newSince ?? []) out.push({ path, flag: '--new-since' });
  return out;
}

const FORMAT_OF_EXTENSION: Record<string, Format> = { json: 'json', ndjson: 'ndjson', jsonl: 'ndjson', csv: 'csv', md: 'markdown', markdown: 'markdown', html: 'html', htm: 'html' };

/**
 * `--output report.json` without `--format json` writes the terminal table into report.json, and the next
 * run's `--new-since report.json` then fails on it: say so before the run, when the file's extension names
 * another format than the one chosen.
 */
export function formatMismatch(output: string, format: Format): string | null {
  const ext = /\.([a-z]+)$/i.exec(output)?.[1]?.toLowerCase();
  const implied = ext ? FORMAT_OF_EXTENSION[ext] : undefined;
  if (!implied || implied === format) return null;
  return `--output ${output} will hold the ${format} format${format === 'table' ? ' (the default)' : ''}, not ${implied}; add --format ${implied} if that is what you meant`;
}

/** "no such directory", "permission denied"… for a file the run cannot write */
export function fileError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such directory';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  return (e as Error).message;
}

/**
 * The report listing only `findings` of its own (--top, --min-severity, --new-since): `summary.findings` and
 * `bySeverity` still count everything found, `shown` counts what is listed and `suppressed[why]` what was
 * left out. `entities` keeps the entities of the findings listed, in the ranking's order. OUTPUT.md:
 * `entities` holds "every entity named by any finding" — of the report, so a script joining `entities` to
 * `findings` finds no dangling entry. Their risk, detectors and finding counts are not recomputed: entity
 * risk combines every finding of the run (DETECTORS.md §8), so leaving findings out does not lower the risk
 * of a firm listed.
 */
function listing(report: Report, findings: Report['findings'], why: 'filtered' | 'previous'): Report {
  const named = new Set<string>();
  for (const f of findings) for (const e of f.entities) named.add(entityKey(e));
  return {
    ...report,
    findings,
    entities: report.entities.filter((e) => named.has(entityKey(e))),
    summary: { ...report.summary, shown: findings.length, suppressed: { ...report.summary.suppressed, [why]: report.findings.length - findings.length } },
  };
}

export function filterFindings(report: Report, opts: { top?: number; minSeverity: Severity }): Report {
  const min = severityRank(opts.minSeverity);
  let findings = report.findings.filter((f) => severityRank(f.severity) >= min);
  if (opts.top) findings = findings.slice(0, opts.top);
  return findings.length === report.findings.length ? report : listing(report, findings, 'filtered');
}

export type InputOptions = Pick<AnalyzeOptions, 'bids' | 'ocds' | 'tenders' | 'companies' | 'invoices' | 'rejects' | 'maxRejectRate' | 'map' | 'dateOrder' | 'encoding' | 'quiet'>;

export interface LoadedInputs {
  dataset: Dataset;
  reports: FileReport[];
  /** how the inputs were read (inputWarnings), in input order: printed on stderr and kept for the report */
  warnings: string[];
}

/** Read the inputs the way analyze does (warnings, rejected rows, reject-rate check); null → exit 2 was reported. */
export async function loadInputs(opts: InputOptions, config: Config, io: Io, progress: Progress, what = 'analyze'): Promise<LoadedInputs | null> {
  const specs: InputSpec[] = [];
  // OCDS after the CSV companies: a registry's row is the first of a firm (data.companyRow), before its OCDS party's
  for (const kind of ['tenders', 'bids', 'companies', 'ocds', 'invoices'] as InputKind[]) for (const path of opts[kind] ?? []) specs.push({ kind, path });
  if (!specs.length) throw new UsageError(`nothing to ${what}: give at least one of --bids, --tenders, --companies, --invoices, --ocds`);
  const userMap = mergeMaps(config.columns, opts.map ? readUserMap(opts.map) : undefined);
  const maxRejectRate = opts.maxRejectRate ?? config.max_reject_rate;
  const warn = (s: string) => {
    if (!opts.quiet) io.stderr.write(`redflag: warning: ${s}\n`);
  };
  const rejects = opts.rejects ? await RejectsWriter.open(opts.rejects) : null;
  progress.inputs(specs.map((s) => s.path));
  let loaded;
  try {
    loaded = await loadDataset(
      specs,
      {
        userMap,
        dateOrder: opts.dateOrder ?? config.date_order,
        encoding: opts.encoding,
        stdin: io.stdin,
        onFile: (spec) => progress.file(spec.path),
        onProgress: (chars) => progress.update(chars),
      },
      rejects ? (r) => rejects.write(r) : undefined,
    );
  } finally {
    progress.done();
    await rejects?.close();
  }
  const { dataset, reports } = loaded;
  // a header and nothing else (or only blank and delimiter-only lines) is a failed export, not a clean batch;
  // said once, as the error (not also as the reader's warning before it)
  for (const r of reports)
    if (r.rows === 0 && r.rejected === 0)
      throw new InputError(`${r.path}: no data rows, only a header (${r.kind}); an empty export cannot be analyzed`, r.path);
  const warnings = inputWarnings(reports);
  for (const w of warnings) warn(w);
  const tooMany = rejectRateProblems(reports, maxRejectRate);
  if (tooMany.length) {
    // the limit may come from the config file rather than the flag: name where it was set
    const from = opts.maxRejectRate === undefined ? config.setIn?.max_reject_rate : undefined;
    const limit = from ? (m: string) => m.replace(/--max-reject-rate (\S+%)/, `max_reject_rate $1 (config ${from})`) : (m: string) => m;
    for (const m of tooMany) io.stderr.write(`redflag: ${limit(m)}\n`);
    if (!opts.rejects)
      io.stderr.write(`redflag: write the rejected rows out with --rejects FILE, or raise ${from ? `max_reject_rate in ${from} (or pass --max-reject-rate)` : '--max-reject-rate'}\n`);
    return null;
  }
  return { dataset, reports, warnings };
}

/** Read a baseline file and check it fits this run; mismatches are usage errors unless forced. */
export function loadBaseline(path: string, config: Config, force: boolean | undefined, warn: (s: string) => void) {
  const parsed = parseBaseline(readJsonFile(path, 'baseline'));
  if (typeof parsed === 'string') throw new InputError(`${path}: ${parsed}`, path);
  const problems = baselineMismatch(parsed, config, toolVersion());
  if (problems.length && !force)
    throw new UsageError(
      `baseline ${path} does not fit this run: ${problems.join('; ')}. Make a new one with \`redflag baseline\`, or use it anyway with --force`,
    );
  for (const p of problems) warn(`baseline ${path} used with --force although ${p}`);
  return { baseline: parsed, problems };
}

/** The finding ids of previous JSON reports (what --new-since compares with). */
export function previousIds(paths: string[]): Set<string> {
  const ids = new Set<string>();
  for (const path of paths) {
    let findings: unknown[];
    try {
      const prev = readJsonFile(path, 'previous report') as { findings?: unknown } | null;
      if (!prev || typeof prev !== 'object' || !Array.isArray(prev.findings))
        throw new InputError(`${path}: not a redflag JSON report (no "findings" list); --new-since reads a report written with --format json or ndjson`, path);
      findings = prev.findings;
    } catch (e) {
      // a report written with --format ndjson: one finding per line (none at all when the run found nothing)
      const lines = e instanceof InputError && e.message.includes('not valid JSON') ? ndjsonFindings(path) : null;
      if (!lines) throw e;
      findings = lines;
    }
    for (const f of findings) if (f && typeof (f as { id?: unknown }).id === 'string') ids.add((f as { id: string }).id);
  }
  return ids;
}

/** The findings of an ndjson report (every line a finding with an id and a detector), or null when it is not one. */
function ndjsonFindings(path: string): unknown[] | null {
  const text = readSettingsFile(path, 'previous report');
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  // an empty file is a report without findings only when its name says it is ndjson
  if (!lines.length) return /\.(ndjson|jsonl)$/i.test(path) ? [] : null;
  const out: unknown[] = [];
  for (const line of lines) {
    let f: unknown;
    try {
      f = JSON.parse(line);
    } catch {
      return null;
    }
    if (!f || typeof f !== 'object' || typeof (f as { id?: unknown }).id !== 'string' || typeof (f as { detector?: unknown }).detector !== 'string') return null;
    out.push(f);
  }
  return out;
}

/** Keep only the findings whose id no previous report has; `suppressed.previous` counts those it had. */
export function onlyNew(report: Report, known: Set<string>): Report {
  return listing(report, report.findings.filter((f) => !known.has(f.id)), 'previous');
}

/** Write a report (one string or chunks) to a pipe or a terminal, with back-pressure. */
async function writeReport(rendered: string | Iterable<string>, out: NodeJS.WritableStream): Promise<void> {
  // a reader that went away (`| head`) closes stdout: what is left is not written, and the run ends normally
  const gone = () => (out as NodeJS.WritableStream & { destroyed?: boolean }).destroyed === true;
  const write = (chunk: string) =>
    gone() || out.write(chunk)
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const done = () => {
            out.off('drain', done);
            out.off('close', done);
            resolve();
          };
          out.on('drain', done);
          out.on('close', done);
        });
  for (const b of batches(rendered)) await write(b);
}

/** A file stream for --rejects, opened before anything is written so that a bad path is a clean exit 2. */
function openOutput(path: string): Promise<WriteStream> {
  return new Promise((resolve, reject) => {
    const s = createWriteStream(path);
    s.once('open', () => resolve(s));
    s.once('error', reject);
  });
}

/**
 * A run in which every detector was skipped (a companies file alone; --detectors benford without invoices)
 * checked nothing: exit 0 and "No findings" would read as a clean batch, so it is an input error (exit 2)
 * saying why each was skipped. Counted per kind of reason: the "missing: …" column lists differ per detector.
 */
export function nothingChecked(report: Report): void {
  if (report.summary.detectors.ran > 0 || report.summary.detectors.error > 0) return;
  const reasons = new Map<string, number>();
  for (const d of report.detectors) {
    if (!d.reason) continue;
    const r = d.reason.startsWith('missing:') ? 'missing columns' : d.reason;
    reasons.set(r, (reasons.get(r) ?? 0) + 1);
  }
  const why = [...reasons].map(([r, n]) => `${n} ${r}`).join(', ');
  throw new UsageError(`nothing to check: no detector could run on these inputs (skipped: ${why}); \`redflag detectors\` lists the columns each one needs`);
}

export async function runAnalyze(opts: AnalyzeOptions, io: Io): Promise<number> {
  const registry = io.registry ?? DETECTORS;
  const config = loadConfig(opts, registry);
  const warn = (s: string) => {
    if (!opts.quiet) io.stderr.write(`redflag: warning: ${s}\n`);
  };
  const used = opts.baseline ? loadBaseline(opts.baseline, config, opts.force, warn) : null;
  const known = opts.newSince?.length ? previousIds(opts.newSince) : null;
  if (opts.output && opts.output !== '-') checkWritable(opts.output, '--output');
  checkNotInput([{ path: opts.rejects, flag: '--rejects' }, { path: opts.output, flag: '--output' }], inputFiles(opts));
  const hint = opts.output ? formatMismatch(opts.output, opts.format) : null;
  if (hint) warn(hint);

  const progress = new Progress(io.stderr, !opts.quiet && !!io.stderr.isTTY, io.progressMinBytes);
  const loaded = await loadInputs(opts, config, io, progress);
  if (!loaded) return EXIT.usage;
  const { dataset, reports } = loaded;

  progress.stage('running detectors');
  const analyzed = await analyzeParallel(dataset, config, registry, toolVersion(), {
    references: used?.baseline.references,
    threads: opts.jobs,
    onDetector: (id, i, n) => progress.stage(`running detectors (${i + 1}/${n}): ${id}`),
    collectGarbage: collectorFor(dataset),
  });
  const { errors } = analyzed;
  let full = analyzed.report;
  progress.done();
  if (analyzed.fallback) warn(`--jobs ${opts.jobs}: the detector thread failed (${analyzed.fallback}); its detectors ran in this one`);
  nothingChecked(full);
  if (used) {
    const b = used.baseline;
    const applied = full.detectors.filter((d) => d.status === 'ran' && b.references[d.id] !== undefined).map((d) => d.id);
    const baseline: BaselineUse = { toolVersion: b.tool.version, configHash: b.configHash, rows: b.rows, detectors: applied };
    if (used.problems.length) baseline.forced = used.problems;
    // detectors that keep a reference but found none in the baseline (made without their input) say so
    const ownOnly = full.detectors.filter((d) => d.status === 'ran' && b.references[d.id] === undefined && analyzed.references[d.id] !== undefined);
    const warnings = ownOnly.length
      ? [...full.warnings, `the baseline has no reference for ${ownOnly.map((d) => d.id).join(', ')}: scored against this batch itself`]
      : full.warnings;
    full = { ...full, warnings, baseline };
  }
  if (known) {
    full = onlyNew(full, known);
    if (!opts.quiet)
      io.stderr.write(
        `redflag: ${full.summary.suppressed?.previous ?? 0} finding${full.summary.suppressed?.previous === 1 ? '' : 's'} already in ${opts.newSince!.join(', ')} suppressed; ${full.findings.length} new\n`,
      );
  }
  for (const w of full.warnings) warn(w);
  // the warnings about how the inputs were read (already on stderr) come first in the report, so that a
  // report kept alone (--output, --quiet) still says that dates were blanked or rows rejected
  if (loaded.warnings.length) full = { ...full, warnings: [...loaded.warnings, ...full.warnings] };
  for (const { id, error } of errors)
    io.stderr.write(`redflag: detector ${id} crashed (a bug; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);

  const report = filterFindings(full, opts);
  const toFile = !!opts.output && opts.output !== '-';
  const color = opts.color && opts.format === 'table' && !toFile && !!io.stdout.isTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
  const figures = opts.format === 'html' || opts.format === 'markdown' ? datasetFigures(dataset, report) : undefined;
  const rendered = RENDERERS[opts.format](report, { color, width: io.stdout.columns ?? 150, figures, sameEvidence: evidenceGroups(registry) });
  // a file (--output, or stdout redirected to one) is written so that a short write is not lost: a full
  // disk is exit 2 naming the output, not a truncated report (write-report.ts)
  const stdoutFd = toFile ? null : regularFileFd(io.stdout);
  if (toFile) writeToFile(opts.output!, rendered, fileError);
  else if (stdoutFd !== null) writeToFd(stdoutFd, rendered);
  else await writeReport(rendered, io.stdout);

  if (!opts.quiet) {
    const rows = reports.reduce((n, r) => n + r.rows, 0);
    const rejected = reports.reduce((n, r) => n + r.rejected, 0);
    const s = full.summary;
    io.stderr.write(
      `redflag: ${plural(rows, 'row')} read, ${rejected} rejected; ${plural(s.detectors.ran, 'detector')} ran, ${s.detectors.skipped} skipped` +
        `${s.detectors.error ? `, ${s.detectors.error} crashed` : ''}; ${plural(s.findings, 'finding')} (${s.bySeverity.high} high, ${s.bySeverity.medium} medium, ${s.bySeverity.low} low)` +
        `${progress.elapsed()}\n`,
    );
  }

  if (errors.length) return EXIT.internal;
  if (opts.failOn === 'never') return EXIT.ok;
  const failAt = severityRank(opts.failOn);
  // every finding the run found counts, except those already in a --new-since report (the known findings no
  // longer fail the run). --top and --min-severity choose what is listed, not what fails: a display option
  // does not silence the gate, and a hidden finding that decides the exit code is named on stderr
  const failing = (findings: Report['findings']) => findings.reduce((n, f) => n + (severityRank(f.severity) >= failAt ? 1 : 0), 0);
  const hits = failing(full.findings);
  const hidden = hits - failing(report.findings);
  if (hidden > 0 && !opts.quiet)
    io.stderr.write(
      `redflag: ${plural(hidden, 'finding')} at or above --fail-on ${opts.failOn} ${hidden === 1 ? 'is' : 'are'} not listed ` +
        `(--min-severity ${opts.minSeverity}${opts.top ? `, --top ${opts.top}` : ''}) but ${hidden === 1 ? 'counts' : 'count'} for the exit code\n`,
    );
  return hits > 0 ? EXIT.findings : EXIT.ok;
}
