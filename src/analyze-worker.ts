/**
 * Worker thread of analyze-parallel.ts: rebuilds the shared dataset, runs the detectors it was given (by
 * id, from the registry) exactly as the main thread would, and posts what each gave.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runDetectors, type DetectorOutcome } from './analyze.js';
import type { Config } from './config/config.js';
import { collectGarbage } from './graph/dataset-cache.js';
import { DETECTORS } from './detectors/index.js';
import { datasetFrom, type SharedDataset } from './model/shared.js';

export interface DetectorJob {
  shared: SharedDataset;
  config: Config;
  ids: string[];
  references?: Record<string, unknown>;
  /** whether the caller passed a `collectGarbage`: a function cannot cross threads, so this thread makes a full collection in its place */
  collectGarbage?: boolean;
}

const job = workerData as DetectorJob;
const byId = new Map(DETECTORS.map((d) => [d.id, d]));
const data = datasetFrom(job.shared);
const outcomes: DetectorOutcome[] = runDetectors(
  data,
  job.config,
  job.ids.map((id) => byId.get(id)!),
  { references: job.references, collectGarbage: job.collectGarbage ? collectGarbage : undefined },
);
// what a detector threw crosses as an Error with its message and stack, whatever it was
for (const o of outcomes)
  if (o.error) {
    const e = o.error.error;
    const copy = new Error(e instanceof Error ? e.message : String(e));
    copy.stack = e instanceof Error ? e.stack : copy.stack;
    o.error = { error: copy };
  }
parentPort!.postMessage(outcomes);
