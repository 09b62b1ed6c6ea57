/**
 * Reading inputs in a worker thread (read-worker.ts) while the main thread reads the largest: the machine's
 * second core parses the bids and companies files while the first parses the invoices.
 *
 * Memory a worker frees is not reused by the main thread: glibc gives each thread its own malloc arena,
 * and an arena gives memory back only from its top, so the buffers a worker frees while parsing (column
 * blocks, hash tables) below the columns it hands over stay resident after it exits. Hence the largest
 * file is read on the main thread, and the columns that arrive are copied at once into the main thread's
 * memory, so that every buffer of the worker's arena is freed and the arena can be trimmed. Analyze peak
 * on the x0.2 economy: invoices in the worker 702-730 MB; the other files there 633-656 MB; the same with
 * the copy 613-628 MB (sequential: 608-631 MB).
 *
 * The worker does everything that depends on its file alone (load.ts parseTable: decoding, parsing, header
 * mapping, typed columns with their conventions decided from the whole column, rejects and warnings). Party
 * ids are given on the main thread, in input order (finishTable), so ids, dictionaries and so the report
 * are those of a sequential read.
 *
 * Crossing threads: typed arrays are transferred, and so are the numbers of an on-demand dictionary
 * (invoice ids); any other string dictionary crosses as one joined string and the length of each entry
 * (cloning an array of 5 M short strings took 1.2–1.35 s; joined, 0.25 s to join, 0.13 s to send and
 * 0.5 s to cut).
 */
import { Worker } from 'node:worker_threads';
import type { DateOrder } from '../normalize/date.js';
import type { TableKind } from '../model/schema.js';
import type { Codes, Column } from '../model/table.js';
import type { LocalPartyColumn } from './columns.js';
import { digitDict, digitKeysOf } from '../util/digit-dict.js';
import { packStrings, unpackStrings, type PackedStrings } from '../util/packed-strings.js';
import type { DigitKeys } from '../util/interner.js';
import { InputError } from './errors.js';
import type { UserMap } from './headers.js';
import type { FileReport, ParsedTable, RejectedRow, SecondPartResult } from './load.js';
import type { Dialect } from './sniff.js';
import type { Encoding } from './source.js';

/** What the worker is asked to read: files in order, stopping at the first that fails. */
export interface WorkerJob {
  files: { path: string; kind: TableKind }[];
  userMap?: UserMap;
  dateOrder?: DateOrder;
  encoding?: Encoding;
  /** collect rejected rows for the caller (else only counted) */
  wantRejects: boolean;
  /** then, when every file is read, the second part of a file split between the threads (split.ts) */
  tail?: TailJob;
}

export interface TailJob {
  path: string;
  kind: TableKind;
  start: number;
  header: string[];
  headerLine: number;
  delimiter: Dialect['delimiter'];
}

export type PackedColumn =
  | Exclude<Column, { type: 'str' }>
  | { type: 'str'; codes: Codes; dict: PackedStrings }
  /** an on-demand dictionary crosses as its numbers */
  | { type: 'str'; codes: Codes; digits: DigitKeys }
  | { type: 'local-party'; codes: Int32Array; keys: PackedStrings };

export interface PackedTable {
  kind: TableKind;
  rows: number;
  names: string[];
  columns: PackedColumn[];
  lines: Int32Array;
  report: FileReport;
}

export type WorkerMessage =
  /** file k of the job is read */
  | { t: 'done'; k: number; table: PackedTable; rejects: RejectedRow[] }
  /** file k of the job failed; the worker reads no further */
  | {
      t: 'error';
      k: number;
      /** an InputError (a problem with the file): the same clean message as a sequential read */
      input: boolean;
      message: string;
      file?: string;
      line?: number;
      column?: string;
      stack?: string;
      rejects: RejectedRow[];
    }
  /** the second part of the split file is read */
  | { t: 'tail'; part: SecondPartResult }
  /** it could not be: the first part's thread reads it */
  | { t: 'tail-failed'; reason: string };

export function packTable(t: ParsedTable): PackedTable {
  const columns: PackedColumn[] = t.columns.map((c): PackedColumn => {
    if (c.type === 'str') {
      const digits = digitKeysOf(c.dict);
      return digits ? { type: 'str', codes: c.codes, digits } : { type: 'str', codes: c.codes, dict: packStrings(c.dict) };
    }
    if (c.type === 'local-party') return { type: 'local-party', codes: c.codes, keys: packStrings(c.keys) };
    return c;
  });
  return { kind: t.kind, rows: t.rows, names: t.names, columns, lines: t.lines, report: t.report };
}

export function unpackTable(t: PackedTable): ParsedTable {
  const columns: (Column | LocalPartyColumn)[] = t.columns.map((c): Column | LocalPartyColumn => {
    if (c.type === 'str') return { type: 'str', codes: c.codes, dict: 'digits' in c ? digitDict(c.digits) : unpackStrings(c.dict) };
    if (c.type === 'local-party') return { type: 'local-party', codes: c.codes, keys: unpackStrings(c.keys) };
    return c;
  });
  return { kind: t.kind, rows: t.rows, names: t.names, columns, lines: t.lines, report: t.report };
}

/**
 * The table with every typed array copied into memory allocated by this thread: the worker's own buffers
 * can then all be freed, and the memory it used given back (see the note on malloc arenas above).
 */
function ownCopy(t: PackedTable): PackedTable {
  const columns = t.columns.map((c): PackedColumn => {
    switch (c.type) {
      case 'num':
        return { type: 'num', values: c.values.slice() };
      case 'bool':
        return { type: 'bool', values: c.values.slice() };
      case 'party':
        return { type: 'party', ids: c.ids.slice() };
      case 'local-party':
        return { type: 'local-party', codes: c.codes.slice(), keys: { ...c.keys, lens: c.keys.lens.slice() } };
      default:
        return 'digits' in c
          ? { type: 'str', codes: c.codes.slice(), digits: { prefixes: c.digits.prefixes, keys: c.digits.keys.slice() } }
          : { type: 'str', codes: c.codes.slice(), dict: { ...c.dict, lens: c.dict.lens.slice() } };
    }
  });
  return { ...t, columns, lines: t.lines.slice() };
}

/** The buffers of a packed table's typed arrays, each once. */
export function transferList(t: PackedTable): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView) => {
    if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
  };
  add(t.lines);
  for (const c of t.columns) {
    if (c.type === 'num' || c.type === 'bool') add(c.values);
    else if (c.type === 'party') add(c.ids);
    else {
      add(c.codes);
      add(c.type === 'local-party' ? c.keys.lens : 'digits' in c ? c.digits.keys : c.dict.lens);
    }
  }
  return [...out];
}

/** The buffers of the typed arrays of a second part, each once. */
export function partTransferList(p: SecondPartResult): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (a: unknown) => {
    if (ArrayBuffer.isView(a) && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) out.add(a.buffer);
  };
  add(p.lines);
  for (const b of p.builders) {
    for (const v of Object.values(b)) add(v);
    if (b.t === 'str' && b.digits) add(b.digits.keys);
  }
  return [...out];
}

/** The outcome of a worker read: the table, or an input error to report as a sequential read would. */
export type WorkerOutcome =
  | { ok: true; table: ParsedTable; rejects: RejectedRow[] }
  | { ok: false; error: InputError; rejects: RejectedRow[] }
  /** the worker itself failed (not the file), or stopped before it: read the file on the main thread instead */
  | { ok: null; reason: string };

export interface WorkerRead {
  /** the outcome of file k of the job (its strings are unpacked on this call) */
  outcome(k: number): Promise<WorkerOutcome>;
  /** the second part of the split file (job.tail), or null when the worker did not read it */
  tail(): Promise<SecondPartResult | null>;
  /** stop the worker (no-op once it has finished) */
  stop(): void;
}

/**
 * The compiled worker beside this module; tests run the TypeScript sources, whose worker is the compiled
 * copy under dist/ (npm test compiles first).
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/src/io/read-worker.js', here) : new URL('./read-worker.js', here);
}

type Arrived = { t: 'done'; table: PackedTable; rejects: RejectedRow[] } | { t: 'failed'; outcome: WorkerOutcome };

/**
 * Start reading the job's files in a worker. `onFailed(k)` is told as soon as file k fails with an input
 * error, so a read that a sequential run would never have reached can stop.
 */
export function startWorkerRead(job: WorkerJob, onFailed: (k: number) => void = () => {}): WorkerRead {
  const n = job.files.length;
  const arrived: (Arrived | undefined)[] = new Array(n);
  const waiting: (((a: Arrived) => void) | undefined)[] = new Array(n);
  let worker: Worker | null = null;
  let over = false;
  let tailDone = !job.tail;
  let tailResult: SecondPartResult | null | undefined;
  let tailWaiting: ((p: SecondPartResult | null) => void) | undefined;
  const deliverTail = (p: SecondPartResult | null) => {
    if (tailResult !== undefined) return;
    tailResult = p;
    tailWaiting?.(p);
  };
  const deliver = (k: number, a: Arrived) => {
    if (arrived[k]) return;
    arrived[k] = a;
    waiting[k]?.(a);
  };
  /** the worker is gone: every file without a result is read on the main thread */
  const end = (reason: string) => {
    if (over) return;
    over = true;
    void worker?.terminate();
    worker = null;
    for (let k = 0; k < n; k++) if (!arrived[k]) deliver(k, { t: 'failed', outcome: { ok: null, reason } });
    deliverTail(null);
  };
  try {
    worker = new Worker(workerUrl(), { workerData: job });
  } catch (e) {
    end((e as Error).message);
  }
  worker?.on('message', (m: WorkerMessage) => {
    if (over) return;
    if (m.t === 'tail' || m.t === 'tail-failed') {
      tailDone = true;
      deliverTail(m.t === 'tail' ? m.part : null);
      end('finished');
      return;
    }
    if (m.t === 'done') {
      deliver(m.k, { t: 'done', table: ownCopy(m.table), rejects: m.rejects });
      // the worker's heap goes as soon as its last file is in
      if (m.k === n - 1 && tailDone) end('finished');
      return;
    }
    const outcome: WorkerOutcome = m.input
      ? { ok: false, error: new InputError(m.message, m.file, m.line, m.column), rejects: m.rejects }
      : { ok: null, reason: m.stack ?? m.message };
    deliver(m.k, { t: 'failed', outcome });
    if (m.input) onFailed(m.k);
    // a sequential read stops at an input error; after a failure of the worker, the main thread reads on
    end(m.input ? 'stopped at an earlier file' : m.message);
  });
  worker?.on('error', (e) => end(e.message));
  worker?.on('exit', (code) => end(`worker exited with code ${code}`));
  return {
    async outcome(k) {
      const a = arrived[k] ?? (await new Promise<Arrived>((resolve) => (waiting[k] = resolve)));
      if (a.t === 'failed') return a.outcome;
      try {
        return { ok: true, table: unpackTable(a.table), rejects: a.rejects };
      } catch (e) {
        return { ok: null, reason: (e as Error).message };
      }
    },
    tail() {
      if (tailResult !== undefined) return Promise.resolve(tailResult);
      return new Promise((resolve) => (tailWaiting = resolve));
    },
    stop() {
      deliverTail(null);
      over = true;
      void worker?.terminate();
      worker = null;
    },
  };
}
