/**
 * Structures derived from a dataset and shared by several detectors (the co-bidding graph, the identity
 * links, the invoice index and standing orders, the invoice graph, the awards) are built on first use and
 * kept per dataset under a name. A detector lists the names it reads in `uses`; the engine
 * (src/analyze.ts) drops a structure as soon as the last detector that uses it has run, so that the bids
 * detectors' structures are gone before the invoice detectors build theirs, and none outlives the run.
 * A structure dropped too early is only rebuilt (same values), never wrong.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Dataset } from '../model/dataset.js';

export const CACHE_NAMES = ['cobid-graph', 'identity-links', 'invoice-index', 'standing-orders', 'invoice-graph', 'awards'] as const;
export type CacheName = (typeof CACHE_NAMES)[number];

const stores = new Map<CacheName, WeakMap<Dataset, unknown>>(CACHE_NAMES.map((n) => [n, new WeakMap()]));
/** the names read while `recordCacheUse` runs (what the registry test compares with `uses`) */
let reading: Set<CacheName> | null = null;

/** The structure `name` of `data`, built by `build` on first use. */
export function cached<T>(name: CacheName, data: Dataset, build: () => T): T {
  reading?.add(name);
  const store = stores.get(name)!;
  let v = store.get(data) as T | undefined;
  if (v === undefined) store.set(data, (v = build()));
  return v;
}

/** Whether `name` is held for `data` now. */
export function isCached(name: CacheName, data: Dataset): boolean {
  return stores.get(name)!.has(data);
}

/**
 * The structures of hundreds of MB at 5 M invoices (arrays as long as the invoices table; the identity
 * links' strings): the engine has the garbage collected before one is built and after one is dropped.
 * For the others a full collection (~0.4 s with 5 M invoices loaded) costs more than it gives back.
 */
export const LARGE_CACHES: ReadonlySet<CacheName> = new Set<CacheName>(['identity-links', 'invoice-index', 'invoice-graph']);

/** Let the structures go (all of them by default); a later use builds them again. Returns those that were held. */
export function dropCached(data: Dataset, names: Iterable<CacheName> = CACHE_NAMES): CacheName[] {
  const held: CacheName[] = [];
  for (const n of names) if (stores.get(n)!.delete(data)) held.push(n);
  return held;
}

let fullGc: (() => void) | null | undefined;

/**
 * A full garbage collection. V8 collects the old generation only once it has grown by some factor since
 * the last collection, so the hundreds of MB of a structure just dropped would otherwise still be held
 * while the next detector builds its own.
 */
export function collectGarbage(): void {
  if (fullGc === undefined) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    try {
      if (!exposed) setFlagsFromString('--expose-gc');
      fullGc = exposed ?? (runInNewContext('gc') as () => void);
    } catch {
      fullGc = null;
    }
  }
  fullGc?.();
}

/** From this many input rows the large shared structures take hundreds of MB and a full collection (~0.4 s at 6 M rows) pays. */
export const BIG_INPUT_ROWS = 500_000;

/**
 * What a program passes as the engine's `collectGarbage` (AnalyzeOptions): `collectGarbage` when the
 * inputs have BIG_INPUT_ROWS rows or more, else nothing. The engine itself never collects unless asked,
 * so that `analyze()` used as a library sets no V8 flag of its caller's process; the CLI asks.
 */
export function collectorFor(data: Dataset): (() => void) | undefined {
  return data.inputs.reduce((n, i) => n + i.rows, 0) >= BIG_INPUT_ROWS ? collectGarbage : undefined;
}

/** Run `fn` and say which structures it read (directly or through another structure's build). */
export function recordCacheUse<T>(fn: () => T): { result: T; used: Set<CacheName> } {
  const outer = reading;
  const used = new Set<CacheName>();
  reading = used;
  try {
    return { result: fn(), used };
  } finally {
    reading = outer;
    if (outer) for (const n of used) outer.add(n);
  }
}
