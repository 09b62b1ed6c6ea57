/**
 * Dictionary encoding: string → dense integer id, in first-seen order.
 *
 * Two paths:
 * - strings that end in a run of 1–14 ASCII digits after a short prefix (invoice numbers, invoice ids
 *   such as `HD000000123`, tax codes, tender ids such as `IB2400011431` — the bulk of high-cardinality
 *   columns) go to an open-addressing hash on typed arrays keyed by (prefix id, digits value, digits
 *   length), which keeps leading zeros apart. The prefix of the previous such string is remembered, so a
 *   column of `HD…` ids hashes no string at all (PERF.md: typed-array hashes ~3× faster than a Map, and no
 *   2^24 limit);
 * - everything else goes to a Map, sharded by a cheap hash once it grows large (a V8 Map holds at most
 *   2^24 entries).
 */
const SHARD_AT = 1 << 22;
const SHARDS = 16;
const MAX_DIGITS = 14;
const MAX_PREFIX = 24;
/** Int32s per slot of the digit table */
const SLOT = 4;
const RUN_BITS = 5;
const RUN = 1 << RUN_BITS;

/**
 * The keys of an interner whose every value is a prefix + digits, by id: enough to write each string back
 * (digit-dict.ts) without keeping 5 M strings.
 */
export interface DigitKeys {
  /** prefix id → prefix */
  prefixes: string[];
  /** 3 Int32s per id: prefix id * 16 + digits length, value of the last 9 digits, value of the digits before them */
  keys: Int32Array;
}

export class Interner {
  /** the string of each id (in on-demand mode: empty while every value is prefix + digits) */
  readonly values: string[] = [];
  /** on-demand mode: values of the form prefix + digits are kept as numbers only, until another value comes */
  private digitsOnly: boolean;
  private count = 0;
  private single: Map<string, number> | null = new Map();
  private shards: Map<string, number>[] | null = null;
  // digit-suffix table, one slot of SLOT Int32s: id + 1 (0 = empty), prefix id * 16 + digits length, the
  // value of the last 9 digits and of the up to 5 digits before them. One slot is one cache line read, and runs of RUN consecutive values
  // (invoice ids HD…001, HD…002…) take consecutive slots, so a column of sequential ids walks the table
  // instead of jumping across it.
  private numTab = new Int32Array(SLOT << 10);
  private numCount = 0;
  private readonly prefixes = new Map<string, number>();
  private lastPrefix = '';
  private lastPrefixId = 0;

  /**
   * `onDemand`: keep values of the form prefix + digits as numbers only, not as strings (digitKeys()); the
   * first value of another form brings the strings back and the interner goes on as usual.
   */
  constructor(onDemand = false) {
    this.prefixes.set('', 0);
    this.digitsOnly = onDemand;
  }

  get size(): number {
    return this.digitsOnly ? this.count : this.values.length;
  }

  /** The id of `s`, adding it when new. */
  intern(s: string): number {
    const start = digitSuffixStart(s);
    if (start >= 0) return this.internDigits(s, start, true);
    if (this.digitsOnly) this.writeStrings();
    const m = this.mapFor(s);
    let id = m.get(s);
    if (id === undefined) {
      id = this.values.length;
      const own = copy(s);
      this.values.push(own);
      m.set(own, id);
      if (this.single && this.values.length >= SHARD_AT) this.reshard();
    }
    return id;
  }

  /** The id of `s`, or -1 when it was never interned. */
  lookup(s: string): number {
    const start = digitSuffixStart(s);
    if (start >= 0) return this.internDigits(s, start, false);
    return this.mapFor(s).get(s) ?? -1;
  }

  private prefixId(s: string, start: number, add: boolean): number {
    if (start === 0) return 0;
    const last = this.lastPrefix;
    if (start === last.length) {
      let same = true;
      for (let i = 0; i < start; i++)
        if (s.charCodeAt(i) !== last.charCodeAt(i)) {
          same = false;
          break;
        }
      if (same) return this.lastPrefixId;
    }
    const p = s.slice(0, start);
    let id = this.prefixes.get(p);
    if (id === undefined) {
      if (!add) return -1;
      id = this.prefixes.size;
      this.prefixes.set(p, id);
    }
    this.lastPrefix = p;
    this.lastPrefixId = id;
    return id;
  }

  private internDigits(s: string, start: number, add: boolean): number {
    const pre = this.prefixId(s, start, add);
    if (pre < 0) return -1;
    // the value in two integer parts: the last 9 digits (lo) and the up to 5 before them (hi)
    const n = s.length;
    const cut = n - 9 > start ? n - 9 : start;
    let hi = 0;
    for (let i = start; i < cut; i++) hi = hi * 10 + (s.charCodeAt(i) - 48);
    let lo = 0;
    for (let i = cut; i < n; i++) lo = lo * 10 + (s.charCodeAt(i) - 48);
    return this.internKey(pre * 16 + (n - start), lo, hi, add, s, null, 0);
  }

  /**
   * The ids of every id of another interner's DigitKeys, adding the new ones in their order: as interning
   * their strings one by one would give, without making the strings (unless this interner keeps strings).
   */
  internAll(k: DigitKeys): Int32Array {
    const prefixOf = k.prefixes.map((p) => {
      let id = this.prefixes.get(p);
      if (id === undefined) {
        id = this.prefixes.size;
        this.prefixes.set(p, id);
      }
      return id;
    });
    const n = k.keys.length / 3;
    const out = new Int32Array(n);
    const keys = k.keys;
    for (let i = 0; i < n; i++) {
      const pl = keys[i * 3];
      out[i] = this.internKey(prefixOf[pl >> 4] * 16 + (pl & 15), keys[i * 3 + 1], keys[i * 3 + 2], true, null, k, i);
    }
    return out;
  }

  /** Find or add the digit key; its string (when kept) is `s`, or made from `k`'s id `ki`. */
  private internKey(pl: number, lo: number, hi: number, add: boolean, s: string | null, k: DigitKeys | null, ki: number): number {
    const tab = this.numTab;
    const mask = tab.length / SLOT - 1;
    let h = slotOf(lo, hi, pl) & mask;
    for (;;) {
      const at = h * SLOT;
      const id = tab[at] - 1;
      if (id < 0) break;
      if (tab[at + 2] === lo && tab[at + 1] === pl && tab[at + 3] === hi) return id;
      h = (h + 1) & mask;
    }
    if (!add) return -1;
    let id: number;
    if (this.digitsOnly) id = this.count++;
    else {
      id = this.values.length;
      this.values.push(s !== null ? copy(s) : digitString(k!, ki));
    }
    const at = h * SLOT;
    tab[at] = id + 1;
    tab[at + 1] = pl;
    tab[at + 2] = lo;
    tab[at + 3] = hi;
    if (++this.numCount * 2 > tab.length / SLOT) this.growDigits();
    return id;
  }

  /** In on-demand mode, the keys of every id; else null (the strings are in `values`). */
  digitKeys(): DigitKeys | null {
    if (!this.digitsOnly) return null;
    const keys = new Int32Array(this.count * 3);
    const tab = this.numTab;
    for (let o = 0; o < tab.length; o += SLOT) {
      const id = tab[o] - 1;
      if (id < 0) continue;
      keys[id * 3] = tab[o + 1];
      keys[id * 3 + 1] = tab[o + 2];
      keys[id * 3 + 2] = tab[o + 3];
    }
    const prefixes: string[] = [];
    for (const [p, i] of this.prefixes) prefixes[i] = p;
    return { prefixes, keys };
  }

  /** Leave on-demand mode: write the string of every id so far. */
  private writeStrings(): void {
    const k = this.digitKeys()!;
    this.digitsOnly = false;
    for (let id = 0; id < this.count; id++) this.values.push(digitString(k, id));
  }

  private growDigits(): void {
    const old = this.numTab;
    const tab = new Int32Array(old.length * 2);
    const mask = tab.length / SLOT - 1;
    for (let o = 0; o < old.length; o += SLOT) {
      if (old[o] === 0) continue;
      let h = slotOf(old[o + 2], old[o + 3], old[o + 1]) & mask;
      while (tab[h * SLOT] !== 0) h = (h + 1) & mask;
      const at = h * SLOT;
      tab[at] = old[o];
      tab[at + 1] = old[o + 1];
      tab[at + 2] = old[o + 2];
      tab[at + 3] = old[o + 3];
    }
    this.numTab = tab;
  }

  private mapFor(s: string): Map<string, number> {
    if (this.single) return this.single;
    return this.shards![shardOf(s)];
  }

  private reshard(): void {
    this.shards = Array.from({ length: SHARDS }, () => new Map<string, number>());
    for (let i = 0; i < this.values.length; i++) if (digitSuffixStart(this.values[i]) < 0) this.shards[shardOf(this.values[i])].set(this.values[i], i);
    this.single = null;
  }
}

/** The string of an id of DigitKeys: the prefix, then the digits with their leading zeros. */
export function digitString(k: DigitKeys, id: number): string {
  const pl = k.keys[id * 3];
  const len = pl & 15;
  const lo = String(k.keys[id * 3 + 1]);
  const prefix = k.prefixes[pl >> 4];
  if (len <= 9) return prefix + (lo.length < len ? ZEROS.slice(0, len - lo.length) + lo : lo);
  const hi = String(k.keys[id * 3 + 2]);
  return prefix + ZEROS.slice(0, len - 9 - hi.length) + hi + ZEROS.slice(0, 9 - lo.length) + lo;
}

const ZEROS = '00000000000000';

/**
 * A field parsed from a chunk is a slice of it: copy before keeping, or one kept id pins a whole megabyte
 * chunk in memory (V8 slices strings of 13 characters or more).
 */
function copy(s: string): string {
  return s.length > 12 ? (' ' + s).slice(1) : s;
}

/**
 * Where the trailing run of digits starts, when the string is a short prefix followed by 1–14 digits;
 * else -1.
 */
function digitSuffixStart(s: string): number {
  const n = s.length;
  let i = n;
  while (i > 0) {
    const c = s.charCodeAt(i - 1);
    if (c < 48 || c > 57) break;
    i--;
  }
  const digits = n - i;
  if (digits === 0 || digits > MAX_DIGITS || i > MAX_PREFIX) return -1;
  return i;
}

/**
 * The slot of a digit key: RUN consecutive values of one prefix and length share a randomly placed run of
 * RUN slots, in order.
 */
function slotOf(lo: number, hi: number, pl: number): number {
  let h = Math.imul((lo >>> RUN_BITS) ^ Math.imul(hi ^ Math.imul(pl, 0x27d4eb2f), 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return ((h << RUN_BITS) | (lo & (RUN - 1))) >>> 0;
}

function shardOf(s: string): number {
  let h = s.length;
  const n = Math.min(s.length, 8);
  for (let i = 0; i < n; i++) h = (h * 31 + s.charCodeAt(s.length - 1 - i)) | 0;
  return (h >>> 0) % SHARDS;
}
