/**
 * Dictionary encoding: string → dense integer id, in first-seen order.
 *
 * A V8 Map holds at most 2^24 entries, so the table is sharded by a cheap hash of the string once it
 * grows large; a single Map serves small dictionaries without the hashing cost.
 */
const SHARD_AT = 1 << 22;
const SHARDS = 16;

export class Interner {
  readonly values: string[] = [];
  private single: Map<string, number> | null = new Map();
  private shards: Map<string, number>[] | null = null;

  get size(): number {
    return this.values.length;
  }

  /** The id of `s`, adding it when new. */
  intern(s: string): number {
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
    return this.mapFor(s).get(s) ?? -1;
  }

  private mapFor(s: string): Map<string, number> {
    if (this.single) return this.single;
    return this.shards![shardOf(s)];
  }

  private reshard(): void {
    this.shards = Array.from({ length: SHARDS }, () => new Map<string, number>());
    for (let i = 0; i < this.values.length; i++) this.shards[shardOf(this.values[i])].set(this.values[i], i);
    this.single = null;
  }
}

function shardOf(s: string): number {
  let h = s.length;
  const n = Math.min(s.length, 8);
  for (let i = 0; i < n; i++) h = (h * 31 + s.charCodeAt(s.length - 1 - i)) | 0;
  return (h >>> 0) % SHARDS;
}
