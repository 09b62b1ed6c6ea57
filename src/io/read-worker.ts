/**
 * Worker thread that reads input files into columns (load.ts parseTable) while the main thread reads the
 * largest; started by parallel.ts. For each file in order it posts the packed table (its typed arrays
 * transferred, not copied) with the rows it rejected, or the error that stopped it, and then reads no further.
 * When every file is read, it reads the second part of a file split between the threads (load.ts
 * parseSecondPart) and posts that.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from './errors.js';
import { parseSecondPart, parseTable, type RejectedRow } from './load.js';
import { packTable, partTransferList, transferList, type WorkerJob, type WorkerMessage } from './parallel.js';

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
  const tail = job.tail;
  if (!tail) return;
  try {
    const part = await parseSecondPart(tail.path, tail.kind, tail, { userMap: job.userMap, dateOrder: job.dateOrder }, job.wantRejects);
    post({ t: 'tail', part }, partTransferList(part));
  } catch (e) {
    post({ t: 'tail-failed', reason: (e as Error)?.message ?? String(e) });
  }
}

void run();
