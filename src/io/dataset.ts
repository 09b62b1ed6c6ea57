/**
 * Reading every input of a run into one Dataset: files of one kind are concatenated, ids of every table
 * share one party dictionary so that bids, tenders, invoices and companies join.
 */
import { Dataset, Parties, type InputInfo } from '../model/dataset.js';
import type { TableKind } from '../model/schema.js';
import { concatTables, type Table } from '../model/table.js';
import { InputError } from './errors.js';
import { statSync } from 'node:fs';
import { finishTable, firstRejects, parseTable, type FileReport, type ParsedTable, type ReadOptions, type RejectedRow } from './load.js';
import { parseOcds } from './ocds.js';
import { startWorkerRead } from './parallel.js';
import { planSplit, type SplitOptions, type SplitPlan } from './split.js';

/** A table of one kind (CSV), or an OCDS JSON file, which fills the bids, tenders and companies tables (ocds.ts). */
export type InputKind = TableKind | 'ocds';

export interface InputSpec {
  kind: InputKind;
  path: string;
}

/** A spec read as CSV. */
type CsvSpec = InputSpec & { kind: TableKind };
const isCsv = (s: InputSpec): s is CsvSpec => s.kind !== 'ocds';

export interface LoadResult {
  dataset: Dataset;
  reports: FileReport[];
}

export interface LoadOptions extends ReadOptions {
  onFile?: (spec: InputSpec, index: number) => void;
  /**
   * Read the largest input on this thread while a worker thread reads the other files (default: when the
   * largest has at least PARALLEL_MIN_BYTES). `minBytes` lowers the bar (tests force small files through
   * the worker); false reads every file here.
   */
  parallel?: boolean | { minBytes: number };
  /**
   * Split the largest input (a regular UTF-8 file of at least SPLIT_MIN_BYTES) between this thread and the
   * worker (split.ts); `minBytes` and `at` exist for tests; false reads it in one piece.
   */
  split?: false | SplitOptions;
}

/** Below this the files are read faster than a worker starts and hands its columns back. */
export const PARALLEL_MIN_BYTES = 16 << 20;

export async function loadDataset(specs: InputSpec[], opts: LoadOptions = {}, onReject?: (r: RejectedRow) => void): Promise<LoadResult> {
  if (specs.filter((s) => s.path === '-').length > 1) throw new InputError('only one input can be read from standard input (-)');
  const inWorker = workerInputs(specs, opts.parallel);
  const plan = opts.parallel === false ? null : await splitOf(specs, inWorker, opts);
  const parsed = inWorker.length || plan ? await parseParallel(specs, inWorker, opts, onReject, plan) : null;
  const parties = new Parties();
  const parts = new Map<TableKind, Table[]>();
  const reports: FileReport[] = [];
  const inputs: InputInfo[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    let read: ParsedTable[];
    if (parsed) {
      read = parsed[i]!;
      parsed[i] = null;
    } else {
      opts.onFile?.(spec, i);
      read = await parseOne(spec, opts, onReject);
    }
    // an OCDS file gives several tables: each is an input of its own kind (origin.file indexes `inputs`)
    for (const p of read) {
      const report = p.report;
      const table = finishTable(p, parties, inputs.length);
      reports.push(report);
      inputs.push({ path: report.path, kind: p.kind, rows: report.rows, rejected: report.rejected, columns: report.mapping.written });
      const list = parts.get(p.kind) ?? [];
      list.push(table);
      parts.set(p.kind, list);
    }
  }
  const tables: Partial<Record<TableKind, Table>> = {};
  for (const [kind, list] of parts) tables[kind] = concatTables(kind, list);
  return { dataset: new Dataset(parties, tables, inputs), reports };
}

/** One input read into its tables (one for a CSV file; the bids, tenders and companies an OCDS file holds). */
async function parseOne(spec: InputSpec, opts: ReadOptions, onReject?: (r: RejectedRow) => void, split?: Parameters<typeof parseTable>[4]): Promise<ParsedTable[]> {
  if (!isCsv(spec)) return (await parseOcds(spec.path, opts, onReject)).tables;
  return [await parseTable(spec.path, spec.kind, opts, onReject, split)];
}

/**
 * The inputs a worker reads, in input order: every regular file but the largest, which this thread reads
 * (with standard input), when the largest is over the threshold; else none.
 */
export function workerInputs(specs: InputSpec[], parallel: LoadOptions['parallel']): number[] {
  if (parallel === false || specs.length < 2) return [];
  const minBytes = typeof parallel === 'object' ? parallel.minBytes : PARALLEL_MIN_BYTES;
  const sizes = specs.map((s) => {
    // standard input and OCDS files are read on this thread (the worker reads CSV)
    if (s.path === '-' || !isCsv(s)) return -1;
    try {
      const st = statSync(s.path);
      return st.isFile() ? st.size : -1;
    } catch {
      return -1; // read here: the sequential read names the problem
    }
  });
  let largest = -1;
  for (let i = 0; i < specs.length; i++) if (sizes[i] >= 0 && (largest < 0 || sizes[i] > sizes[largest])) largest = i;
  if (largest < 0 || sizes[largest] < minBytes) return [];
  return specs.map((_, i) => i).filter((i) => i !== largest && sizes[i] >= 0);
}

/** The split of the largest input, the one this thread reads (split.ts), or null. */
async function splitOf(specs: InputSpec[], inWorker: number[], opts: LoadOptions): Promise<SplitPlan | null> {
  if (opts.split === false) return null;
  const size = (i: number): number => {
    if (specs[i].path === '-') return -1;
    try {
      const st = statSync(specs[i].path);
      return st.isFile() ? st.size : -1;
    } catch {
      return -1;
    }
  };
  const mine = specs.map((_, i) => i).filter((i) => !inWorker.includes(i));
  if (mine.length !== 1) return null;
  const i = mine[0];
  const spec = specs[i];
  if (!isCsv(spec)) return null;
  let workerBytes = 0;
  for (const k of inWorker) workerBytes += Math.max(0, size(k));
  const s = size(i);
  return s < 0 ? null : planSplit(spec, i, s, workerBytes, opts);
}

interface OwnRead {
  parsed?: ParsedTable[];
  error?: unknown;
  /** rejected rows held until the inputs before this one have passed theirs on */
  rejects: RejectedRow[];
}

/**
 * Parse every input: those listed in a worker, the others here, in order. Rejected rows reach `onReject`
 * in input order, and the error that stops the load is the one a sequential read would have met first.
 */
async function parseParallel(
  specs: InputSpec[],
  inWorker: number[],
  opts: LoadOptions,
  onReject?: (r: RejectedRow) => void,
  plan: SplitPlan | null = null,
): Promise<(ParsedTable[] | null)[]> {
  const slot = new Map(inWorker.map((i, k) => [i, k]));
  // this thread's read stops once a file before it has failed: a sequential read would not have reached it
  const abort = { aborted: false };
  let reading = -1;
  let failedAt = Infinity;
  const job = startWorkerRead(
    {
      files: inWorker.map((i) => {
        const spec = specs[i];
        if (!isCsv(spec)) throw new Error(`the worker reads CSV only: ${spec.path}`);
        return { path: spec.path, kind: spec.kind };
      }),
      userMap: opts.userMap,
      dateOrder: opts.dateOrder,
      encoding: opts.encoding,
      wantRejects: !!onReject,
      tail: plan ? { path: plan.path, kind: plan.kind, start: plan.start, header: plan.header, headerLine: plan.headerLine, delimiter: plan.delimiter } : undefined,
    },
    (k) => {
      failedAt = Math.min(failedAt, inWorker[k]);
      if (failedAt < reading) abort.aborted = true;
    },
  );
  try {
    const own = new Map<number, OwnRead>();
    for (let i = 0; i < specs.length; i++) {
      if (slot.has(i)) continue;
      if (failedAt < i) break;
      opts.onFile?.(specs[i], i);
      reading = i;
      const read: OwnRead = { rejects: [] };
      own.set(i, read);
      // passed on at once while no worker input comes before this one
      const direct = inWorker.length === 0 || inWorker[0] > i;
      const split = plan?.index === i ? { end: plan.start, rest: () => job.tail(), onOutcome: opts.split ? opts.split.onOutcome : undefined } : undefined;
      try {
        read.parsed = await parseOne(specs[i], { ...opts, abort }, onReject && (direct ? onReject : (r) => read.rejects.push(r)), split);
      } catch (e) {
        read.error = e;
        break;
      }
    }
    reading = specs.length;

    const parsed: (ParsedTable[] | null)[] = specs.map(() => null);
    for (let i = 0; i < specs.length; i++) {
      const k = slot.get(i);
      if (k === undefined) {
        const read = own.get(i)!;
        if (onReject) for (const r of read.rejects) onReject(r);
        if (read.error !== undefined) throw read.error;
        parsed[i] = read.parsed!;
        continue;
      }
      opts.onFile?.(specs[i], i);
      const out = await job.outcome(k);
      if (out.ok === null) {
        // the worker failed, not the file: read it here
        parsed[i] = await parseOne(specs[i], opts, onReject);
        continue;
      }
      if (onReject) for (const r of out.rejects) onReject(r);
      if (!out.ok) throw out.error;
      parsed[i] = [out.table];
    }
    return parsed;
  } finally {
    job.stop();
  }
}

/** The files whose share of rejected rows exceeds the limit, as messages. */
export function rejectRateProblems(reports: FileReport[], maxRate: number): string[] {
  const out: string[] = [];
  for (const r of reports) {
    const total = r.rows + r.rejected;
    if (total === 0 || r.rejected === 0) continue;
    const rate = r.rejected / total;
    const reason = Object.keys(r.rejectReasons)[0];
    // most often a column written once per group: merged cells in the spreadsheet keep the value in the first row only
    const key = /^no (tender_id|number|seller_id|company_id)$/.exec(reason)?.[1];
    const hint = key && r.rows > 0 ? ` (if the export writes the ${key} only on the first row of a group, as merged cells do, fill the column down)` : '';
    if (rate > maxRate)
      out.push(
        `${r.path}: ${r.rejected} of ${total} rows rejected (${(rate * 100).toFixed(1)}%, more than --max-reject-rate ${(maxRate * 100).toFixed(1)}%); ` +
          `first at ${firstRejects(r)}: ${reason}${hint}`,
      );
  }
  return out;
}
