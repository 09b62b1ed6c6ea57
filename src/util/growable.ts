/**
 * Append-only typed arrays. Columns are built row by row while a file streams, then frozen with
 * `finish()`, which returns an exact-length array of the rows written.
 *
 * Storage: one buffer that doubles up to BLOCK elements, then a list of BLOCK-sized blocks. Doubling
 * a single buffer to millions of rows leaves a chain of dead buffers as large again as the column, plus
 * up to 2× slack, all of it external memory that V8 collects late (5 M invoices: 1 GB of dead
 * ArrayBuffers after loading); blocks leave only the blocks themselves once `finish()` has copied them.
 */
export type TypedArrayCtor<T> = { new (n: number): T; BYTES_PER_ELEMENT: number };

const BLOCK_SHIFT = 16;
const BLOCK = 1 << BLOCK_SHIFT;
const BLOCK_MASK = BLOCK - 1;

abstract class Growable<T extends Float64Array | Int32Array | Int8Array | Uint8Array | Uint16Array> {
  /** full blocks of BLOCK elements each, before `buf` */
  private readonly blocks: T[] = [];
  /** elements held by `blocks` */
  private base = 0;
  protected buf: T;
  length = 0;
  /** whole arrays taken after every row pushed (appendTail), copied once by finish() */
  private tails: ArrayLike<number>[] = [];
  private tailLength = 0;
  constructor(private readonly ctor: TypedArrayCtor<T>, capacity = 1024) {
    this.buf = new ctor(Math.max(1, Math.min(capacity, BLOCK)));
  }
  protected grow(): void {
    if (this.buf.length === BLOCK) {
      this.blocks.push(this.buf);
      this.base += this.buf.length;
      this.buf = new this.ctor(BLOCK);
      return;
    }
    // below BLOCK: double up to BLOCK; above it (only a finished array written on): double
    const next = new this.ctor(this.buf.length < BLOCK ? Math.min(this.buf.length * 2, BLOCK) : this.buf.length * 2);
    (next as unknown as { set(a: T): void }).set(this.buf);
    this.buf = next;
  }
  /**
   * Take `rows` as the rows after every row pushed, without copying them before finish() (the second part
   * of a split file: io/split.ts). Nothing may be pushed afterwards; length counts them only after finish().
   */
  appendTail(rows: ArrayLike<number>): void {
    this.tails.push(rows);
    this.tailLength += rows.length;
  }
  /** rows pushed and taken by appendTail */
  get total(): number {
    return this.length + this.tailLength;
  }
  get(i: number): number {
    return i >= this.base ? this.buf[i - this.base] : this.blocks[i >>> BLOCK_SHIFT][i & BLOCK_MASK];
  }
  set(i: number, v: number): void {
    if (i >= this.base) this.buf[i - this.base] = v;
    else this.blocks[i >>> BLOCK_SHIFT][i & BLOCK_MASK] = v;
  }
  push(v: number): void {
    if (this.length - this.base === this.buf.length) this.grow();
    this.buf[this.length++ - this.base] = v;
  }
  /**
   * The rows written so far, as an exact-length array. The blocks are dropped at once (the array becomes
   * the storage), so a builder kept alive after finishing does not keep them alive too.
   */
  finish(): T {
    return this.finishAs(this.ctor) as T;
  }
  /**
   * The same as finish(), into an array of another type (each value converted as TypedArray.set does):
   * e.g. codes known to fit 8 bits, without an exact-length copy of the wide type first. Into another
   * type, the growable is left empty.
   */
  finishAs<U extends Float64Array | Int32Array | Int16Array | Int8Array | Uint8Array | Uint16Array>(ctor: TypedArrayCtor<U>): U {
    const out = new ctor(this.length + this.tailLength);
    const setAt = out as unknown as { set(a: ArrayLike<number>, offset: number): void };
    for (let b = 0; b < this.blocks.length; b++) setAt.set(this.blocks[b], b * BLOCK);
    setAt.set(this.buf.subarray(0, this.length - this.base) as T, this.base);
    let at = this.length;
    for (const t of this.tails) {
      setAt.set(t, at);
      at += t.length;
    }
    this.length = at;
    this.tails = [];
    this.tailLength = 0;
    this.blocks.length = 0;
    this.base = 0;
    if ((out as unknown) instanceof this.ctor) {
      this.buf = out.length > 0 ? (out as unknown as T) : new this.ctor(1);
    } else {
      // the rows now live only in the returned array of another type: this growable starts over empty
      this.buf = new this.ctor(1);
      this.length = 0;
    }
    return out;
  }
}

export class GrowableFloat64 extends Growable<Float64Array> {
  constructor(capacity?: number) {
    super(Float64Array, capacity);
  }
}
export class GrowableInt32 extends Growable<Int32Array> {
  constructor(capacity?: number) {
    super(Int32Array, capacity);
  }
}
export class GrowableInt8 extends Growable<Int8Array> {
  constructor(capacity?: number) {
    super(Int8Array, capacity);
  }
}
