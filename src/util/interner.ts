/**
 * Dictionary encoding: string → dense integer id, in first-seen order.
 *
 * Two paths:
 * - strings of 1–14 ASCII digits (invoice numbers, tax codes, numeric ids — the bulk of high-cardinality
 *   columns) go to an open-addressing hash on typed arrays keyed by (value, length), which keeps leading
 *   zeros apart: no string hashing and no Map entry per value (PERF.md: ~3× faster, no 2^24 limit);
 * - everything else goes to a Map, sharded by a cheap hash once it grows large (a V8 Map holds at most
 *   2^24 entries).
 */
const SHARD_AT = 1 << 22;
const SHARDS = 16;
const MAX_DIGITS = 14;

export class Interner {
  readonly values: string[] = [];
  private single: Map<string, number> | null = new Map();
  private shards: Map<string, number>[] | null = null;
  // numeric table: key = value * 16 + length (exact below 2^53 for up to 14 digits)
  private numKeys = new Float64Array(1 << 10);
  private numIds = new Int32Array(1 << 10).fill(-1);
  private numCount = 0;

  get size(): number {
    return this.values.length;
  }

  /** The id of `s`, adding it when new. */
  intern(s: string): number {
    const key = digitKey(s);
    if (key >= 0) return this.internDigits(s, key, true);
    const m = this.mapFor(s);
    let id = m.get(s);
    if (id === undefined) {
      id = this.values.length;
      // a field parsed from a chunk is a slice of it: copy before keeping, or one kept id pins a whole
      // megabyte chunk in memory
      const own = s.length > 12 ? (' ' + s).slice(1) : s;
      this.values.push(own);
      m.set(own, id);
      if (this.single && this.values.length >= SHARD_AT) this.reshard();
    }
    return id;
  }

  /** The id of `s`, or -1 when it was never interned. */
  lookup(s: string): number {
    const key = digitKey(s);
    if (key >= 0) return this.internDigits(s, key, false);
    return this.mapFor(s).get(s) ?? -1;
  }

  private internDigits(s: string, key: number, add: boolean): number {
    let mask = this.numKeys.length - 1;
    let h = hashKey(key) & mask;
    for (;;) {
      const id = this.numIds[h];
      if (id < 0) break;
      if (this.numKeys[h] === key) return id;
      h = (h + 1) & mask;
    }
    if (!add) return -1;
    const id = this.values.length;
    this.values.push(s.length > 12 ? (' ' + s).slice(1) : s);
    this.numKeys[h] = key;
    this.numIds[h] = id;
    if (++this.numCount * 2 > this.numKeys.length) this.growDigits();
    return id;
  }

  private growDigits(): void {
    const oldKeys = this.numKeys;
    const oldIds = this.numIds;
    this.numKeys = new Float64Array(oldKeys.length * 2);
    this.numIds = new Int32Array(oldIds.length * 2).fill(-1);
    const mask = this.numKeys.length - 1;
    for (let i = 0; i < oldIds.length; i++) {
      if (oldIds[i] < 0) continue;
      let h = hashKey(oldKeys[i]) & mask;
      while (this.numIds[h] >= 0) h = (h + 1) & mask;
      this.numKeys[h] = oldKeys[i];
      this.numIds[h] = oldIds[i];
    }
  }

  private mapFor(s: string): Map<string, number> {
    if (this.single) return this.single;
    return this.shards![shardOf(s)];
  }

  private reshard(): void {
    this.shards = Array.from({ length: SHARDS }, () => new Map<string, number>());
    for (let i = 0; i < this.values.length; i++) if (digitKey(this.values[i]) < 0) this.shards[shardOf(this.values[i])].set(this.values[i], i);
    this.single = null;
  }
}

/** value × 16 + length for a string of 1–14 ASCII digits, else -1. */
function digitKey(s: string): number {
  const n = s.length;
  if (n === 0 || n > MAX_DIGITS) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v * 16 + n;
}

function hashKey(k: number): number {
  // mix the high and low 32 bits of the (integer) key
  const lo = k % 4294967296 | 0;
  const hi = (k / 4294967296) | 0;
  let h = Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function shardOf(s: string): number {
  let h = s.length;
  const n = Math.min(s.length, 8);
  for (let i = 0; i < n; i++) h = (h * 31 + s.charCodeAt(s.length - 1 - i)) | 0;
  return (h >>> 0) % SHARDS;
}
