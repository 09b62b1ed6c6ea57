/**
 * Worker thread that reads input files into columns (load.ts parseTable) while the main thread reads the
 * largest; started by parallel.ts. For each file in order it posts the packed table (its typed arrays
 * transferred, not copied) with the rows it rejected, or the error that stopped it, and then reads no further.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from './errors.js';
import { parseTable, type RejectedRow } from './load.js';
import { packTable, transferList, type WorkerJob, type WorkerMessage } from './parallel.js';

const job = workerData as WorkerJob;
const port = parentPort!;
const post = (m: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

async function run(): Promise<void> {
  for (let k = 0; k < job.files.length; k++) {
    const { path, kind } = job.files[k];
    const rejects: RejectedRow[] = [];
    try {
      const parsed = await parseTable(
        path,
        kind,
        { userMap: job.userMap, dateOrder: job.dateOrder, encoding: job.encoding },
        job.wantRejects ? (r) => rejects.push(r) : undefined,
      );
      const table = packTable(parsed);
      post({ t: 'done', k, table, rejects }, transferList(table));
    } catch (e) {
      const err = e as Error;
      post({
        t: 'error',
        k,
        input: e instanceof InputError,
        message: err?.message ?? String(e),
        file: (e as InputError).file,
        line: (e as InputError).line,
        column: (e as InputError).column,
        stack: err?.stack,
        rejects,
      });
      return;
    }
  }
}

void run();
