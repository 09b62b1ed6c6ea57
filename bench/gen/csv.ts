/**
 * CSV cells and a buffered, back-pressure-aware file writer.
 */
import { createWriteStream, type WriteStream } from 'node:fs';

/** Quote a cell for a CSV with the given delimiter when it needs it (RFC 4180). */
export function cell(v: string, delim = ','): string {
  if (v === '') return v;
  let needs = false;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c === 34 || c === 10 || c === 13 || v[i] === delim) {
      needs = true;
      break;
    }
  }
  return needs ? '"' + v.replace(/"/g, '""') + '"' : v;
}

export function row(cells: readonly string[], delim = ','): string {
  let s = '';
  for (let i = 0; i < cells.length; i++) {
    if (i) s += delim;
    s += cell(cells[i], delim);
  }
  return s;
}

/** 1234567000 → `1.234.567.000` (Vietnamese thousands separator). */
export function vnAmount(n: number): string {
  const neg = n < 0;
  let s = String(Math.abs(Math.round(n)));
  let out = '';
  while (s.length > 3) {
    out = '.' + s.slice(-3) + out;
    s = s.slice(0, -3);
  }
  return (neg ? '-' : '') + s + out;
}

const FLUSH_AT = 1 << 20;

/**
 * Collects text and writes it in ~1 MB chunks; `flush()` waits for 'drain' whenever the stream
 * asks for it, so a fast generator cannot run ahead of the disk.
 */
export class BufferedWriter {
  private buf = '';
  private readonly stream: WriteStream;
  rows = 0;
  bytes = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
  }

  /** Append text (no newline added). */
  write(s: string): void {
    this.buf += s;
  }

  /** Append one line (a row) and count it. */
  line(s: string, eol = '\n'): void {
    this.buf += s + eol;
    this.rows++;
  }

  get pending(): number {
    return this.buf.length;
  }

  /** Flush when the buffer is large; cheap to call after every row. */
  async maybeFlush(): Promise<void> {
    if (this.buf.length >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.buf) return;
    const chunk = this.buf;
    this.buf = '';
    this.bytes += Buffer.byteLength(chunk, 'utf8');
    if (!this.stream.write(chunk, 'utf8')) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          this.stream.off('error', onError);
          resolve();
        };
        const onError = (e: Error): void => {
          this.stream.off('drain', onDrain);
          reject(e);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

/** Many short texts encoded once into one contiguous buffer (good locality for random access). */
export class PackedTexts {
  readonly bytes: Buffer;
  readonly start: Int32Array;

  constructor(texts: readonly string[]) {
    this.start = new Int32Array(texts.length + 1);
    let total = 0;
    for (let i = 0; i < texts.length; i++) {
      total += Buffer.byteLength(texts[i], 'utf8');
      this.start[i + 1] = total;
    }
    this.bytes = Buffer.allocUnsafe(total);
    for (let i = 0; i < texts.length; i++) this.bytes.write(texts[i], this.start[i], 'utf8');
  }
}

/**
 * Builds rows as UTF-8 bytes: names and other fixed texts are encoded once (`enc`) and copied,
 * numbers and ASCII fields are written digit by digit, so millions of rows cost no string
 * garbage. Flushes ~1 MB chunks with back-pressure like BufferedWriter.
 */
export class ByteWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly stream: WriteStream;
  rows = 0;
  bytes = 0;
  private static readonly CAP = 2 << 20;
  private static readonly FLUSH = 1 << 20;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { highWaterMark: 1 << 20 });
    this.buf = Buffer.allocUnsafe(ByteWriter.CAP);
  }

  static enc(s: string): Buffer {
    return Buffer.from(s, 'utf8');
  }

  /** Room for at least n more bytes (grows the buffer when a burst of rows outran flushing). */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Any string (UTF-8). */
  str(s: string): void {
    this.ensure(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A string known to be ASCII. */
  ascii(s: string): void {
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  bytes_(x: Buffer): void {
    const n = x.length;
    if (n < 96) {
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) b[p++] = x[i];
      this.pos = p;
    } else {
      this.buf.set(x, this.pos);
      this.pos += n;
    }
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** An integer (exact up to 2^53). */
  int(n: number): void {
    if (n < 0) {
      this.buf[this.pos++] = 45;
      n = -n;
    }
    if (n >= 1e9) {
      const hi = Math.floor(n / 1e9);
      this.int(hi);
      this.intPad(n - hi * 1e9, 9);
      return;
    }
    const b = this.buf;
    let p = this.pos;
    let x = n | 0;
    const start = p;
    do {
      const q = (x / 10) | 0;
      b[p++] = 48 + x - q * 10;
      x = q;
    } while (x > 0);
    for (let i = start, j = p - 1; i < j; i++, j--) {
      const t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    this.pos = p;
  }

  /** Bytes [from, to) of a packed table (see PackedTexts). */
  packed(t: PackedTexts, i: number): void {
    const src = t.bytes;
    const end = t.start[i + 1];
    const b = this.buf;
    let p = this.pos;
    for (let k = t.start[i]; k < end; k++) b[p++] = src[k];
    this.pos = p;
  }

  /** A non-negative integer below 1e9, left-padded with zeros to `width` digits. */
  intPad(n: number, width: number): void {
    const b = this.buf;
    const p = this.pos;
    let x = n | 0;
    for (let i = width - 1; i >= 0; i--) {
      const q = (x / 10) | 0;
      b[p + i] = 48 + x - q * 10;
      x = q;
    }
    this.pos = p + width;
  }

  /** Start a row: make sure a long row fits. */
  begin(): void {
    this.ensure(16384);
  }

  end(eol = 10): void {
    this.buf[this.pos++] = eol;
    this.rows++;
  }

  get pending(): number {
    return this.pos;
  }

  /** The ASCII text written since `from` (a value of `pending`). */
  slice(from: number): string {
    return this.buf.toString("latin1", from, this.pos);
  }

  async maybeFlush(): Promise<void> {
    if (this.pos >= ByteWriter.FLUSH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return;
    const chunk = this.buf.subarray(0, this.pos);
    this.bytes += this.pos;
    this.buf = Buffer.allocUnsafe(ByteWriter.CAP);
    this.pos = 0;
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onDrain = (): void => {
          this.stream.off('error', onError);
          resolve();
        };
        const onError = (e: Error): void => {
          this.stream.off('drain', onDrain);
          reject(e);
        };
        this.stream.once('drain', onDrain);
        this.stream.once('error', onError);
      });
    }
  }

  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}
