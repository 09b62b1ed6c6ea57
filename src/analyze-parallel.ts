/**
 * The pipeline of analyze.ts on both cores: the detectors that read no invoices (bids, tenders, the
 * registry: competition, prices, market, linked firms, thresholds) run in a worker thread while this
 * thread runs the invoice and bids × invoice detectors. The two halves take about the same time on the
 * benchmark economy (22 s and 24 s of 46 s).
 *
 * The report is the one `analyze` gives, byte for byte: each detector reads the same dataset (the worker's
 * is rebuilt from shared memory with the same ids, dictionaries and units), the shared structures of each
 * half are built and dropped in that half, and the outcomes are put back in registry order before the
 * report is assembled. With one thread (the default), a registry other than the built-in one (tests), or a
 * worker that fails to start or dies, everything runs here, in order.
 *
 * The cost is memory: the two halves' working sets (the invoice index here, the co-bidding graph and
 * identity links there) are held at the same time, about 0.4 GB more at 5 M invoices, so it is asked for
 * (`--jobs 2`) rather than the default.
 */
import { Worker } from 'node:worker_threads';
import { analyze, assemble, missingNeeds, runDetectors, type AnalyzeOptions, type AnalyzeResult, type DetectorOutcome } from './analyze.js';
import type { Config } from './config/config.js';
import { DETECTORS } from './detectors/index.js';
import type { Detector } from './detectors/types.js';
import type { CacheName } from './graph/dataset-cache.js';
import type { Dataset } from './model/dataset.js';
import { shareDataset } from './model/shared.js';
import type { DetectorJob } from './analyze-worker.js';

const INVOICE_CACHES: ReadonlySet<CacheName> = new Set<CacheName>(['invoice-index', 'standing-orders', 'invoice-graph', 'awards']);

/** Whether a detector reads nothing of the invoices table (so it can run on a dataset without it). */
export function readsNoInvoices(d: Detector): boolean {
  const fields = [...d.needs, ...(d.needsAny ?? []).flat()];
  return !fields.some((f) => f.startsWith('invoices.')) && !(d.uses ?? []).some((n) => INVOICE_CACHES.has(n));
}

export interface ParallelOptions extends AnalyzeOptions {
  /** threads for the detectors (default 1; more than 2 is 2: there are two halves) */
  threads?: number;
  /** the worker's module (tests: one that fails, to see the fallback) */
  workerUrl?: URL;
}

export interface ParallelResult extends AnalyzeResult {
  /** how many threads ran detectors: 2 when the worker ran its half, 1 otherwise */
  threads: 1 | 2;
  /** why the worker's half ran here after all (it could not start, or died), when it did */
  fallback?: string;
}

export async function analyzeParallel(
  data: Dataset,
  config: Config,
  registry: readonly Detector[],
  version: string,
  opts: ParallelOptions = {},
): Promise<ParallelResult> {
  const enabled = registry.filter((d) => config.detectors[d.id]?.enabled);
  const runnable = enabled.filter((d) => missingNeeds(d, data).length === 0);
  const away = runnable.filter(readsNoInvoices);
  const here = enabled.filter((d) => !away.includes(d));
  if ((opts.threads ?? 1) < 2 || registry !== DETECTORS || !away.length || !here.some((d) => runnable.includes(d)))
    return { ...analyze(data, config, registry, version, opts), threads: 1 };

  const position = new Map(enabled.map((d, i) => [d.id, i]));
  const job: DetectorJob = {
    shared: shareDataset(data, ['bids', 'tenders', 'companies']),
    config,
    ids: away.map((d) => d.id),
    references: opts.references,
    collectGarbage: !!opts.collectGarbage,
  };
  const theirs = runInWorker(job, opts.workerUrl ?? new URL('./analyze-worker.js', import.meta.url));
  // progress counts every enabled detector, whichever thread runs it
  const part = { ...opts, indexOf: (id: string) => position.get(id)!, total: enabled.length };
  const mine = runDetectors(data, config, here, part);
  let other: DetectorOutcome[];
  let fallback: string | undefined;
  try {
    other = await theirs;
  } catch (e) {
    // the worker could not start or died (out of memory…): the same detectors, here; the caller says so
    fallback = e instanceof Error ? e.message : String(e);
    other = runDetectors(data, config, away, part);
  }
  const byId = new Map([...mine, ...other].map((o) => [o.id, o]));
  const result = assemble(data, config, registry, version, enabled.map((d) => byId.get(d.id)!));
  return fallback === undefined ? { ...result, threads: 2 } : { ...result, threads: 1, fallback };
}

function runInWorker(job: DetectorJob, url: URL): Promise<DetectorOutcome[]> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(url, { workerData: job });
    } catch (e) {
      reject(e);
      return;
    }
    let result: DetectorOutcome[] | null = null;
    worker.once('message', (m: DetectorOutcome[]) => (result = m));
    worker.once('error', reject);
    worker.once('exit', (code) => (result && code === 0 ? resolve(result) : reject(new Error(`detector worker exited with code ${code}`))));
  });
}
