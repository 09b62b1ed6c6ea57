/**
 * Opens an input file (or standard input) as a stream of decoded text.
 *
 * - gzip is recognised by its magic bytes (1f 8b), whatever the file is called;
 * - the encoding comes from the byte-order mark (UTF-8, UTF-16 LE/BE), else from the NUL-byte pattern
 *   of ASCII text in UTF-16 without a mark, else UTF-8 when the sample is valid UTF-8, else
 *   Windows-1258 (the Vietnamese ANSI code page: tone marks as combining bytes after vowels) or
 *   Windows-1252 (with a warning); the whole sample (the first read, 1 MiB of a file) is looked at;
 * - decoding is streamed, so a multi-byte character split between two reads comes out whole, and the
 *   whole file is never held in memory;
 * - the byte-order mark is removed from the text.
 *
 * Problems a user can fix are thrown as `InputError` with one message naming the file.
 */
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { InputError } from './errors.js';

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'windows-1258';

/** The encodings a user can name (--encoding). */
export const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252', 'windows-1258'];

export interface TextSource {
  /** as given ('-' for stdin) */
  path: string;
  encoding: Encoding;
  bom: boolean;
  gzip: boolean;
  /** bytes on disk (null for stdin and other non-regular files) */
  sizeBytes: number | null;
  /** the first ≥64 KiB of decoded text (BOM removed), for sniffing; also the start of chunks() */
  sample: string;
  /** e.g. 'not valid UTF-8; read as Windows-1252'; may grow while chunks() is read */
  warnings: string[];
  /** whole decoded text from the start (BOM removed), single use, streamed */
  chunks(): AsyncIterable<string>;
  /** release the file when chunks() will not be read to the end (e.g. only the sample was needed) */
  close(): void;
}

export interface OpenTextOptions {
  /** skip detection and decode as this */
  encoding?: Encoding;
  /** the stream read for path '-' (default process.stdin) */
  stdin?: NodeJS.ReadableStream;
  /** bytes per read (default 1 MiB); small values exist for tests */
  highWaterMark?: number;
  /** a regular file read up to this byte only (the first part of a file split between threads: split.ts) */
  endByte?: number;
}

const DEFAULT_HWM = 1 << 20;
/** Bytes of a regular file that its sample (and so the encoding and dialect) is read from: its first read. */
export const SAMPLE_SPAN = DEFAULT_HWM;
/** Raw bytes read before deciding the encoding: ≥ 64 Ki UTF-16 code units in every supported encoding. */
const SAMPLE_BYTES = 256 * 1024 + 4;
/** Bytes inspected for the UTF-16 NUL pattern and for binary signatures. */
const PROBE_BYTES = 4096;

export async function openText(path: string, opts: OpenTextOptions = {}): Promise<TextSource> {
  const name = path === '-' ? 'standard input' : path;
  const hwm = Math.max(1, Math.floor(opts.highWaterMark ?? DEFAULT_HWM));
  const warnings: string[] = [];

  let input: NodeJS.ReadableStream | null = null;
  let file: FileReader | null = null;
  let sizeBytes: number | null = null;
  if (path === '-') {
    input = opts.stdin ?? process.stdin;
    if (input === process.stdin && process.stdin.isTTY) {
      throw new InputError(`${name}: is a terminal; pipe a file in or give a file name`, path);
    }
  } else {
    let st;
    try {
      st = await stat(path);
    } catch (e) {
      throw openError(e, name, path);
    }
    if (st.isDirectory()) throw new InputError(`${name}: is a directory, not a file`, path);
    if (st.isFile()) {
      sizeBytes = st.size;
      if (st.size === 0) throw new InputError(`${name}: empty file (0 bytes)`, path);
    }
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      throw openError(e, name, path);
    }
    file = fileReader(handle, hwm, name, path, opts.endByte);
  }

  const rawIter = file ?? byteIterator(input!, name, path);
  const cleanup: (() => void)[] = [file ? file.close : () => destroy(input!)];
  try {
    // Peek at the first bytes for the gzip magic.
    const head: Buffer[] = [];
    let headLen = 0;
    let rawDone = false;
    while (headLen < 2) {
      const r = await rawIter.next();
      if (r.done) {
        rawDone = true;
        break;
      }
      head.push(r.value);
      headLen += r.value.length;
    }
    if (headLen === 0) throw new InputError(`${name}: empty file (0 bytes)`, path);
    const first = head[0].length >= 2 ? head[0] : Buffer.concat(head);
    const gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    if (!gzip && /\.gz$/i.test(path)) warnings.push('named .gz but not gzip-compressed; read as plain text');

    let bytes: AsyncIterator<Buffer>;
    if (gzip) {
      const gz = gunzipStream(head, rawDone ? null : rawIter, hwm, name, path);
      cleanup.push(gz.destroy);
      bytes = gz.iter;
    } else {
      bytes = prefixed(head, rawDone ? null : rawIter);
    }

    // Read the sample bytes.
    const sampleBufs: Buffer[] = [];
    let sampleLen = 0;
    let eof = false;
    while (sampleLen < SAMPLE_BYTES) {
      const r = await bytes.next();
      if (r.done) {
        eof = true;
        break;
      }
      if (r.value.length === 0) continue;
      sampleBufs.push(r.value);
      sampleLen += r.value.length;
    }
    if (sampleLen === 0) throw new InputError(`${name}: empty file (no data after decompressing)`, path);
    // every byte of the sample decides: the sample is decoded and handed on whole, so a byte past the
    // decision would be read as U+FFFD without any warning (chunks() warns only for bytes after it)
    const probe = Buffer.concat(sampleBufs, sampleLen);

    const detected = detectEncoding(probe, eof, opts.encoding, name, path);
    if (detected.warning) warnings.push(detected.warning);
    const { encoding, bom } = detected;

    const decoder = makeDecoder(encoding);
    const pieces: string[] = [];
    for (const b of sampleBufs) pieces.push(decoder.decode(b));
    if (eof) pieces.push(decoder.flush());
    const sample = pieces.join('');

    if (eof && sample.trim() === '') {
      const what = !bom ? 'only whitespace' : sample.length > 0 ? 'only a byte-order mark and whitespace' : 'only a byte-order mark';
      throw new InputError(`${name}: empty file (${what})`, path);
    }
    if (opts.encoding === 'utf-8' && sample.includes('\uFFFD')) warnings.push(`invalid UTF-8 in the first ${Math.round(sampleLen / 1024)} KiB; those bytes read as U+FFFD`);
    if (sample.includes('\u0000')) {
      throw new InputError(`${name}: not a text file (NUL characters in ${describe(encoding)} text)`, path);
    }

    const checkReplacement = encoding === 'utf-8' && !sample.includes('\uFFFD');
    let used = false;

    return {
      path,
      encoding,
      bom,
      gzip,
      sizeBytes,
      sample,
      warnings,
      close(): void {
        for (const c of cleanup) c();
      },
      chunks(): AsyncIterable<string> {
        if (used) throw new Error(`${name}: chunks() can be read only once`);
        used = true;
        return (async function* () {
          let warned = false;
          try {
            if (sample.length > 0) yield sample;
            if (eof) return;
            // each piece is decoded before the next is read: the file's read buffer can be refilled
            if (file && !gzip) file.reuse = true;
            for (;;) {
              const r = await bytes.next();
              if (r.done) break;
              const text = decoder.decode(r.value);
              if (text.length === 0) continue;
              if (checkReplacement && !warned && text.includes('\uFFFD')) {
                warned = true;
                warnings.push(LATE_INVALID_UTF8);
              }
              yield text;
            }
            const tail = decoder.flush();
            if (tail.length > 0) yield tail;
          } finally {
            for (const c of cleanup) c();
          }
        })();
      },
    };
  } catch (e) {
    for (const c of cleanup) c();
    throw e;
  }
}

// ---- errors ----

function openError(e: unknown, name: string, path: string): InputError {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new InputError(`${name}: no such file`, path);
    case 'EISDIR':
      return new InputError(`${name}: is a directory, not a file`, path);
    case 'EACCES':
    case 'EPERM':
      return new InputError(`${name}: permission denied`, path);
    default:
      return new InputError(`${name}: cannot open (${(e as Error).message})`, path);
  }
}

function readError(e: unknown, name: string, path: string): unknown {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'Z_BUF_ERROR') {
    // the compressed stream stops before its end: an interrupted download or copy
    return new InputError(`${name}: corrupt gzip data (${(e as Error).message}): the file is cut short, e.g. an interrupted download; get it again`, path);
  }
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new InputError(`${name}: corrupt gzip data (${(e as Error).message})`, path);
  }
  if (code === 'EISDIR') return new InputError(`${name}: is a directory, not a file`, path);
  return new InputError(`${name}: cannot read (${(e as Error).message})`, path);
}

function destroy(s: NodeJS.ReadableStream): void {
  const d = (s as Partial<Readable>).destroy;
  if (typeof d === 'function' && s !== process.stdin) d.call(s);
}

// ---- byte streams ----

/** The stream's chunks as Buffers, with read errors turned into InputError. */
function byteIterator(s: NodeJS.ReadableStream, name: string, path: string): AsyncIterator<Buffer> {
  const it = (s as AsyncIterable<string | Buffer>)[Symbol.asyncIterator]();
  return {
    async next(): Promise<IteratorResult<Buffer>> {
      try {
        const r = await it.next();
        if (r.done) return { done: true, value: undefined };
        const v = r.value;
        return { done: false, value: typeof v === 'string' ? Buffer.from(v, 'utf8') : v };
      } catch (e) {
        throw readError(e, name, path);
      }
    },
    async return(): Promise<IteratorResult<Buffer>> {
      await it.return?.();
      return { done: true, value: undefined };
    },
  };
}

interface FileReader extends AsyncIterator<Buffer> {
  /** refill one buffer instead of allocating one per read (the caller keeps no piece past the next read) */
  reuse: boolean;
  close: () => void;
}

/**
 * A regular file read in `hwm`-byte pieces. Reading 1.6 GB through a read stream allocates 1.6 GB of
 * buffers that V8 frees late (5 M invoices: 1 GB of dead buffers at the end of loading); once `reuse`
 * is set, one buffer serves every read.
 */
function fileReader(handle: FileHandle, hwm: number, name: string, path: string, endByte = Infinity): FileReader {
  let shared: Buffer | null = null;
  let closed = false;
  let pos = 0;
  const close = (): void => {
    if (closed) return;
    closed = true;
    handle.close().catch(() => {});
  };
  const reader: FileReader = {
    reuse: false,
    close,
    async next(): Promise<IteratorResult<Buffer>> {
      if (closed) return { done: true, value: undefined };
      const buf = reader.reuse ? (shared ??= Buffer.allocUnsafe(hwm)) : Buffer.allocUnsafe(hwm);
      const want = Math.min(hwm, endByte - pos);
      let n = 0;
      try {
        if (want > 0) n = (await handle.read(buf, 0, want, null)).bytesRead;
        pos += n;
      } catch (e) {
        close();
        throw readError(e, name, path);
      }
      if (n === 0) {
        close();
        return { done: true, value: undefined };
      }
      return { done: false, value: buf.subarray(0, n) };
    },
  };
  return reader;
}

/** `head` then whatever `rest` still yields. */
function prefixed(head: Buffer[], rest: AsyncIterator<Buffer> | null): AsyncIterator<Buffer> {
  let k = 0;
  return {
    async next(): Promise<IteratorResult<Buffer>> {
      if (k < head.length) return { done: false, value: head[k++] };
      if (rest === null) return { done: true, value: undefined };
      return rest.next();
    },
  };
}

function gunzipStream(
  head: Buffer[],
  rest: AsyncIterator<Buffer> | null,
  hwm: number,
  name: string,
  path: string,
): { iter: AsyncIterator<Buffer>; destroy: () => void } {
  const source = prefixed(head, rest);
  const src = Readable.from({ [Symbol.asyncIterator]: () => source }, { objectMode: false });
  const gz = createGunzip({ chunkSize: Math.min(Math.max(hwm, 64), DEFAULT_HWM) });
  // pipeline destroys both on any error; iterating gz then rejects with that error
  pipeline(src, gz, () => {});
  const it = gz[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  return {
    iter: {
      async next(): Promise<IteratorResult<Buffer>> {
        try {
          return await it.next();
        } catch (e) {
          throw readError(e, name, path);
        }
      },
    },
    destroy: () => {
      src.destroy();
      gz.destroy();
    },
  };
}

// ---- encodings ----

interface Detected {
  encoding: Encoding;
  bom: boolean;
  warning?: string;
}

function detectEncoding(b: Buffer, eof: boolean, forced: Encoding | undefined, name: string, path: string): Detected {
  const bomOf: Encoding | null =
    b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf
      ? 'utf-8'
      : b.length >= 2 && b[0] === 0xff && b[1] === 0xfe
        ? 'utf-16le'
        : b.length >= 2 && b[0] === 0xfe && b[1] === 0xff
          ? 'utf-16be'
          : null;
  // a workbook, archive or PDF is never a CSV, whatever encoding was asked for
  const document = documentKind(b);
  if (document) throw new InputError(`${name}: not a text file (${document})`, path);
  if (forced) return { encoding: forced, bom: bomOf === forced };
  if (bomOf === 'utf-16le' || bomOf === 'utf-16be') return { encoding: bomOf, bom: true };

  if (b.indexOf(0) >= 0 && bomOf === null) {
    const u16 = utf16ByNulPattern(b);
    if (u16) return { encoding: u16, bom: false };
    throw new InputError(`${name}: not a text file (contains NUL bytes)`, path);
  }
  if (isValidUtf8(b, eof)) return { encoding: 'utf-8', bom: bomOf === 'utf-8' };
  if (bomOf === 'utf-8') {
    return { encoding: 'utf-8', bom: true, warning: 'invalid UTF-8 despite the UTF-8 byte-order mark; those bytes read as U+FFFD' };
  }
  // a stray byte in text that is otherwise UTF-8 (Vietnamese: nearly every word) is a damaged character,
  // not a sign of another encoding: reading the whole file as Windows-1252 would garble every name
  const { valid, invalid } = utf8Sequences(b, eof);
  if (valid >= 8 && invalid * 20 <= valid) {
    return {
      encoding: 'utf-8',
      bom: false,
      warning: `${invalid} invalid UTF-8 byte${invalid === 1 ? '' : 's'} among ${valid} valid multi-byte characters in the first ${Math.round(b.length / 1024)} KiB; read as UTF-8, those bytes as U+FFFD`,
    };
  }
  if (looksWindows1258(b))
    return { encoding: 'windows-1258', bom: false, warning: 'not valid UTF-8; read as Windows-1258 (Vietnamese: tone marks written as bytes after vowels); use --encoding to choose another' };
  return { encoding: 'windows-1252', bom: false, warning: 'not valid UTF-8; read as Windows-1252; use --encoding to choose another' };
}

/** cp1258 bytes of the combining tone marks: grave 0xCC, hook 0xD2, tilde 0xDE, acute 0xEC, dot below 0xF2. */
const TONE_BYTES = new Uint8Array(256);
for (const b of [0xcc, 0xd2, 0xde, 0xec, 0xf2]) TONE_BYTES[b] = 1;
/** Plain vowels a tone mark follows in Vietnamese: a, e, i, o, u, y in both cases. */
const PLAIN_VOWEL = new Uint8Array(256);
for (const c of 'aeiouyAEIOUY') PLAIN_VOWEL[c.charCodeAt(0)] = 1;
/** The vowels only Vietnamese puts a tone on: â ê ô and ă ơ ư (cp1258 bytes, both cases). */
const VN_VOWEL = new Uint8Array(256);
for (const b of [0xe2, 0xea, 0xf4, 0xc2, 0xca, 0xd4, 0xe3, 0xc3, 0xf5, 0xd5, 0xfd, 0xdd]) VN_VOWEL[b] = 1;

/**
 * Vietnamese in Windows-1258 writes most tones as a combining byte after the vowel (`Cổ` is ô + 0xD2,
 * `Thị` is i + 0xF2), ư/Ư as 0xFD/0xDD and đ/Đ as 0xF0/0xD0. In Windows-1252 the tone bytes are Ì Ò Þ ì ò,
 * which Italian writes after a vowel too (può, ciò), and 0xE3/0xF5 are Portuguese ã/õ; so only evidence
 * no Western language gives is decisive: a tone byte after â ê ô ă ơ ư (ê + ò never occurs in Italian,
 * ã + ò never in Portuguese), or an ư or đ (ý and ð of Icelandic are their only cp1252 readings). The text
 * is taken for cp1258 when such bytes are seen and are at least a third as many as the tones after plain vowels
 * (Vietnamese: about three times as many; Italian: none, so a stray ý among a thousand "può" is no
 * evidence), when tone and letter bytes together are at least 3 and make up a fifth or more of its
 * non-ASCII bytes (Vietnamese names: about half), and when hardly any tone byte stands after a consonant,
 * where Vietnamese never puts one and Italian does (così, sì, lunedì).
 */
export function looksWindows1258(b: Buffer): boolean {
  let high = 0;
  let strong = 0;
  let weak = 0;
  let orphan = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b[i];
    if (c < 0x80) continue;
    high++;
    if (c === 0xf0 || c === 0xd0 || c === 0xfd || c === 0xdd) strong++;
    if (!TONE_BYTES[c]) continue;
    const before = i > 0 ? b[i - 1] : 0;
    if (VN_VOWEL[before]) strong++;
    else if (PLAIN_VOWEL[before]) weak++;
    else orphan++;
  }
  const marks = strong + weak;
  return strong > 0 && strong * 3 >= weak && marks >= 3 && marks * 5 >= high && orphan * 10 <= marks;
}

/** Well-formed UTF-8 multi-byte sequences and bytes that start none, in a sample (a sequence cut off at its end is neither). */
export function utf8Sequences(b: Buffer, eof: boolean): { valid: number; invalid: number } {
  let valid = 0;
  let invalid = 0;
  for (let i = 0; i < b.length; ) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    const len = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (len && i + len > b.length && !eof) break;
    let ok = len > 0 && i + len <= b.length;
    for (let k = 1; ok && k < len; k++) ok = (b[i + k] & 0xc0) === 0x80;
    if (ok) {
      valid++;
      i += len;
    } else {
      invalid++;
      i++;
    }
  }
  return { valid, invalid };
}

/** ASCII text in UTF-16 has a NUL in every other byte: odd bytes for LE, even bytes for BE. */
function utf16ByNulPattern(b: Buffer): Encoding | null {
  const pairs = Math.min(b.length, PROBE_BYTES) >> 1;
  if (pairs < 1) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let k = 0; k < pairs; k++) {
    if (b[2 * k] === 0) evenNul++;
    if (b[2 * k + 1] === 0) oddNul++;
  }
  if (oddNul >= pairs * 0.4 && evenNul <= pairs * 0.02) return 'utf-16le';
  if (evenNul >= pairs * 0.4 && oddNul <= pairs * 0.02) return 'utf-16be';
  return null;
}

/**
 * What a file that is a document rather than text is, from its first bytes: the formats spreadsheets and
 * portals hand out instead of CSV. For a ZIP archive the name of its first member (in the local header
 * that starts the file) tells a workbook from an archive holding the CSV.
 */
export function documentKind(b: Buffer): string | null {
  if (b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04) {
    const nameLen = b.length >= 30 ? b.readUInt16LE(26) : 0;
    const first = nameLen > 0 && b.length >= 30 + nameLen ? b.toString('utf8', 30, 30 + nameLen) : '';
    if (/^(\[Content_Types\]\.xml|_rels\/|docProps\/|xl\/)/.test(first)) return 'an Excel .xlsx workbook, a ZIP archive; open it in a spreadsheet program and save the sheet as CSV';
    if (first === 'mimetype') return 'an OpenDocument file (.ods), a ZIP archive; open it in a spreadsheet program and save the sheet as CSV';
    if (first && !first.endsWith('/')) return `a ZIP archive whose first file is ${JSON.stringify(first)}; unzip it and give the CSV inside`;
    return 'a ZIP archive, e.g. an Excel .xlsx workbook; unzip it, or save the sheet as CSV';
  }
  if (b.length >= 4 && b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) {
    return 'an Office document, e.g. an Excel .xls workbook; open it in a spreadsheet program and save the sheet as CSV';
  }
  if (b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-') return 'a PDF document; export the table from its source as CSV';
  return null;
}

function isValidUtf8(b: Buffer, eof: boolean): boolean {
  try {
    // stream: a character cut off at the end of the sample is not an error unless the file ends there
    new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: !eof });
    return true;
  } catch {
    return false;
  }
}

function describe(e: Encoding): string {
  return e === 'windows-1252' ? 'Windows-1252' : e === 'windows-1258' ? 'Windows-1258' : e.toUpperCase();
}

interface Decoder {
  decode(b: Buffer): string;
  flush(): string;
}

function makeDecoder(encoding: Encoding): Decoder {
  if (encoding === 'windows-1252') return { decode: decodeWindows1252, flush: () => '' };
  if (encoding === 'windows-1258') return windows1258Decoder();
  // ignoreBOM false: a leading BOM is consumed by the decoder
  const d = new TextDecoder(encoding, { ignoreBOM: false });
  return {
    decode: (b) => d.decode(b, { stream: true }),
    flush: () => d.decode(),
  };
}

/**
 * Windows-1252 by hand: Node's TextDecoder('windows-1252') decodes 0x80–0x9F as Latin-1 controls
 * (nodejs/node#56542, #60888), losing €, curly quotes and dashes.
 */
const CP1252_C1 =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1_ANY = /[\u0080-\u009f]/;
const C1_ALL = /[\u0080-\u009f]/g;

function decodeWindows1252(b: Buffer): string {
  const s = b.toString('latin1');
  return C1_ANY.test(s) ? s.replace(C1_ALL, (c) => CP1252_C1[c.charCodeAt(0) - 0x80]) : s;
}

/** Windows-1258 from 0x80 on; bytes it leaves undefined read as the C1 control of the same number, as in Windows. */
const CP1258_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u008a\u2039\u0152\u008d\u008e\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u009a\u203a\u0153\u009d\u009e\u0178' +
  '\u00a0\u00a1\u00a2\u00a3\u00a4\u00a5\u00a6\u00a7\u00a8\u00a9\u00aa\u00ab\u00ac\u00ad\u00ae\u00af' +
  '\u00b0\u00b1\u00b2\u00b3\u00b4\u00b5\u00b6\u00b7\u00b8\u00b9\u00ba\u00bb\u00bc\u00bd\u00be\u00bf' +
  '\u00c0\u00c1\u00c2\u0102\u00c4\u00c5\u00c6\u00c7\u00c8\u00c9\u00ca\u00cb\u0300\u00cd\u00ce\u00cf' +
  '\u0110\u00d1\u0309\u00d3\u00d4\u01a0\u00d6\u00d7\u00d8\u00d9\u00da\u00db\u00dc\u01af\u0303\u00df' +
  '\u00e0\u00e1\u00e2\u0103\u00e4\u00e5\u00e6\u00e7\u00e8\u00e9\u00ea\u00eb\u0301\u00ed\u00ee\u00ef' +
  '\u0111\u00f1\u0323\u00f3\u00f4\u01a1\u00f6\u00f7\u00f8\u00f9\u00fa\u00fb\u00fc\u01b0\u20ab\u00ff';
const CP1258_DIFF = /[\u0080-\u009f\u00c3\u00cc\u00d0\u00d2\u00d5\u00dd\u00de\u00e3\u00ec\u00f0\u00f2\u00f5\u00fd\u00fe]/g;

function isCombining(c: number): boolean {
  return c >= 0x300 && c <= 0x36f;
}

/**
 * Windows-1258, composed (NFC): `Cổ` arrives as ô + U+0309 and is read as ổ, so names and headers compare
 * as in UTF-8 exports. The last character of a piece waits for the next, whose first byte may be its tone.
 */
function windows1258Decoder(): Decoder {
  let held = '';
  return {
    decode(b: Buffer): string {
      const s = held + b.toString('latin1').replace(CP1258_DIFF, (c) => CP1258_HIGH[c.charCodeAt(0) - 0x80]);
      let cut = s.length;
      while (cut > 0 && isCombining(s.charCodeAt(cut - 1))) cut--;
      if (cut > 0) cut--; // the base character before the marks
      held = s.slice(cut);
      return s.slice(0, cut).normalize('NFC');
    },
    flush(): string {
      const s = held.normalize('NFC');
      held = '';
      return s;
    },
  };
}

/** The warning of invalid UTF-8 met after the sample (once per file). */
export const LATE_INVALID_UTF8 =
  'invalid UTF-8 past the start the encoding was decided from (the first MiB of a file); those bytes read as U+FFFD (--encoding names the encoding)';

/**
 * The UTF-8 text of a regular file from byte `start` (a line start: the byte before it is a line feed) to
 * its end, in pieces: the second part of a file split between threads (split.ts). `replaced` is set when
 * a piece holds U+FFFD.
 */
export async function* rangeText(path: string, start: number, seen: { replaced: boolean } = { replaced: false }, hwm = DEFAULT_HWM): AsyncGenerator<string> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw openError(e, path, path);
  }
  try {
    const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
    const buf = Buffer.allocUnsafe(hwm);
    let pos = start;
    for (;;) {
      let n: number;
      try {
        n = (await handle.read(buf, 0, hwm, pos)).bytesRead;
      } catch (e) {
        throw readError(e, path, path);
      }
      if (n === 0) break;
      pos += n;
      const text = decoder.decode(buf.subarray(0, n), { stream: true });
      if (text.length === 0) continue;
      if (!seen.replaced && text.includes('\uFFFD')) seen.replaced = true;
      yield text;
    }
    const tail = decoder.decode();
    if (tail.length > 0) {
      if (tail.includes('\uFFFD')) seen.replaced = true;
      yield tail;
    }
  } finally {
    await handle.close().catch(() => {});
  }
}
