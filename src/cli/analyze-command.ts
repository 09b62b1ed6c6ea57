/**
 * `redflag analyze`: inputs → dataset → detectors → report → exit code.
 */
import { createWriteStream, readFileSync, writeFileSync, type WriteStream } from 'node:fs';
import { analyze, countBySeverity, type Report } from '../analyze.js';
import { applyConfigFile, applySelection, applySets, defaultConfig, type Config } from '../config/config.js';
import { DETECTORS } from '../detectors/index.js';
import { loadDataset, rejectRateProblems, type InputSpec } from '../io/dataset.js';
import { InputError, UsageError } from '../io/errors.js';
import { parseUserMap, type UserMap } from '../io/headers.js';
import type { FileReport, RejectedRow } from '../io/load.js';
import type { TableKind } from '../model/schema.js';
import { RENDERERS, type Format } from '../report/index.js';
import { csvCell } from '../report/csv.js';
import { severityRank, type Severity } from '../scoring/score.js';
import { EXIT, toolVersion, type Io } from './main.js';
import { Progress } from './progress.js';

export interface AnalyzeOptions {
  bids?: string[];
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
  color: boolean;
  quiet?: boolean;
}

export function readJsonFile(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${what} ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`, path);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new InputError(`${path}: not valid JSON (${(e as Error).message})`, path);
  }
}

export function loadConfig(opts: Pick<AnalyzeOptions, 'config' | 'detectors' | 'exclude' | 'set'>): Config {
  let cfg = defaultConfig(DETECTORS);
  if (opts.config) {
    let text: string;
    try {
      text = readFileSync(opts.config, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read config ${opts.config}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
    cfg = applyConfigFile(cfg, text, opts.config, DETECTORS);
  }
  cfg = applySelection(cfg, opts.detectors, opts.exclude, DETECTORS);
  if (opts.set?.length) cfg = applySets(cfg, opts.set, DETECTORS);
  return cfg;
}

export function mergeMaps(a: UserMap | undefined, b: UserMap | undefined): UserMap | undefined {
  if (!a) return b;
  if (!b) return a;
  const out: UserMap = { ...a };
  for (const [k, m] of Object.entries(b)) out[k as keyof UserMap] = { ...(a[k as keyof UserMap] ?? {}), ...m };
  return out;
}

/** Warnings about how the inputs were read: rejected rows, unreadable values, unknown codes, invalid tax codes. */
export function inputWarnings(reports: FileReport[]): string[] {
  const out: string[] = [];
  for (const r of reports) {
    out.push(...r.warnings);
    if (r.rejected) {
      const reasons = Object.entries(r.rejectReasons)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ');
      out.push(`${r.path}: ${r.rejected} row${r.rejected > 1 ? 's' : ''} rejected (${reasons}); first at line ${r.rejectLines.join(', ')}`);
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
      if (c.invalidTaxCodes) out.push(`${r.path}: column ${name}: ${c.invalidTaxCodes} tax code${c.invalidTaxCodes > 1 ? 's' : ''} fail the check digit`);
    }
  }
  return out;
}

class RejectsWriter {
  private stream: WriteStream;
  constructor(path: string) {
    this.stream = createWriteStream(path);
    this.stream.write('file,line,reason,record\r\n');
  }
  write(r: RejectedRow): void {
    this.stream.write([r.file, r.line, r.reason, r.fields.join(',')].map(csvCell).join(',') + '\r\n');
  }
  close(): Promise<void> {
    return new Promise((resolve, reject) => this.stream.end((e?: Error | null) => (e ? reject(e) : resolve())));
  }
}

export function filterFindings(report: Report, opts: { top?: number; minSeverity: Severity }): Report {
  const min = severityRank(opts.minSeverity);
  let findings = report.findings.filter((f) => severityRank(f.severity) >= min);
  if (opts.top) findings = findings.slice(0, opts.top);
  if (findings.length === report.findings.length) return report;
  return {
    ...report,
    findings,
    summary: { ...report.summary, shown: findings.length, suppressed: { ...report.summary.suppressed, filtered: report.findings.length - findings.length } },
  };
}

export async function runAnalyze(opts: AnalyzeOptions, io: Io): Promise<number> {
  const specs: InputSpec[] = [];
  for (const kind of ['tenders', 'bids', 'companies', 'invoices'] as TableKind[]) for (const path of opts[kind] ?? []) specs.push({ kind, path });
  if (!specs.length) throw new UsageError('nothing to analyze: give at least one of --bids, --tenders, --companies, --invoices');

  const config = loadConfig(opts);
  const userMap = mergeMaps(config.columns, opts.map ? parseUserMap(readJsonFile(opts.map, 'column map'), opts.map) : undefined);
  const maxRejectRate = opts.maxRejectRate ?? config.max_reject_rate;
  const warn = (s: string) => {
    if (!opts.quiet) io.stderr.write(`redflag: warning: ${s}\n`);
  };

  const progress = new Progress(io.stderr, !opts.quiet && !!io.stderr.isTTY);
  const rejects = opts.rejects ? new RejectsWriter(opts.rejects) : null;
  let loaded;
  try {
    loaded = await loadDataset(
      specs,
      {
        userMap,
        dateOrder: opts.dateOrder ?? config.date_order,
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
  for (const w of inputWarnings(reports)) warn(w);
  const tooMany = rejectRateProblems(reports, maxRejectRate);
  if (tooMany.length) {
    for (const m of tooMany) io.stderr.write(`redflag: ${m}\n`);
    if (!opts.rejects) io.stderr.write('redflag: write the rejected rows out with --rejects FILE, or raise --max-reject-rate\n');
    return EXIT.usage;
  }

  progress.stage('running detectors');
  const { report: full, errors } = analyze(dataset, config, DETECTORS, toolVersion());
  progress.done();
  for (const w of full.warnings) warn(w);
  for (const { id, error } of errors)
    io.stderr.write(`redflag: detector ${id} crashed (a bug; please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);

  const report = filterFindings(full, opts);
  const color = opts.color && opts.format === 'table' && !opts.output && !!io.stdout.isTTY && !('NO_COLOR' in io.env && io.env.NO_COLOR !== '');
  const text = RENDERERS[opts.format](report, { color, width: io.stdout.columns ?? 150 });
  if (opts.output) writeFileSync(opts.output, text);
  else io.stdout.write(text);

  if (!opts.quiet) {
    const rows = reports.reduce((n, r) => n + r.rows, 0);
    const rejected = reports.reduce((n, r) => n + r.rejected, 0);
    const s = full.summary;
    io.stderr.write(
      `redflag: ${rows.toLocaleString('en-US')} rows read, ${rejected} rejected; ${s.detectors.ran} detectors ran, ${s.detectors.skipped} skipped` +
        `${s.detectors.error ? `, ${s.detectors.error} crashed` : ''}; ${s.findings} findings (${s.bySeverity.high} high, ${s.bySeverity.medium} medium, ${s.bySeverity.low} low)` +
        `${progress.elapsed()}\n`,
    );
  }

  if (errors.length) return EXIT.internal;
  if (opts.failOn === 'never') return EXIT.ok;
  const failAt = severityRank(opts.failOn);
  const counted = countBySeverity(full.findings);
  const hit = (['low', 'medium', 'high'] as Severity[]).some((s) => severityRank(s) >= failAt && counted[s] > 0);
  return hit ? EXIT.findings : EXIT.ok;
}
