/**
 * Append-only typed arrays that double their capacity. Columns are built row by row while a file streams,
 * then frozen with `finish()`, which returns a view trimmed to the rows written.
 */
type TypedArrayCtor<T> = { new (n: number): T; BYTES_PER_ELEMENT: number };

abstract class Growable<T extends Float64Array | Int32Array | Int8Array | Uint8Array | Uint16Array> {
  protected buf: T;
  length = 0;
  constructor(private readonly ctor: TypedArrayCtor<T>, capacity = 1024) {
    this.buf = new ctor(capacity);
  }
  protected grow(): void {
    const next = new this.ctor(this.buf.length * 2);
    (next as unknown as { set(a: T): void }).set(this.buf);
    this.buf = next;
  }
  get(i: number): number {
    return this.buf[i];
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  push(v: number): void {
    if (this.length === this.buf.length) this.grow();
    this.buf[this.length++] = v;
  }
  /** The rows written so far, as an exact-length array (copied, so the builder's slack is released). */
  finish(): T {
    return this.buf.slice(0, this.length) as T;
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
export class GrowableUint16 extends Growable<Uint16Array> {
  constructor(capacity?: number) {
    super(Uint16Array, capacity);
  }
}
