/**
 * One large file parsed by both threads: this thread reads bytes [0, S) and the worker, once its own files
 * are read, reads [S, end) (load.ts parseSecondPart); the second part's rows are then merged after the
 * first part's as if the file had been read in one piece (load.ts parseTable with a FirstPart).
 *
 * Kept as one read would have it:
 * - S is the byte after a line feed, and the split is used only when the first part's parser ends there
 *   outside any record (a line feed inside a quoted field is not a boundary: then this thread reads the
 *   rest itself, after its part, and the worker's part is dropped);
 * - the header and the delimiter are the first part's (the second part is read under the header found in
 *   the sample, and dropped if the first part found another);
 * - each column's conventions (decimal mark, date order, tax-code form) are decided from the whole
 *   column: the second part hands over its cells and evidence before deciding anything (columns.ts
 *   PartState), and the first part's builders take them and decide at the end;
 * - dictionary codes and local party codes of the second part are remapped into the first part's, so
 *   every dictionary stays in first-seen file order;
 * - line numbers of rows, rejects and problems are shifted by the first part's physical lines (quoted
 *   line breaks included); rejected rows reach the caller in file order.
 *
 * Only regular UTF-8 files (not standard input, not gzip, not UTF-16 or Windows-1252) of at least
 * SPLIT_MIN_BYTES are split, and S is past the first read (SAMPLE_SPAN), so the encoding and the dialect
 * are decided from the same sample as in one read.
 */
import { open } from 'node:fs/promises';
import { CsvParser } from './csv.js';
import { fitsTable, type UserMap } from './headers.js';
import type { InputSpec } from './dataset.js';
import type { TableKind } from '../model/schema.js';
import type { TailJob } from './parallel.js';
import { sniffDialect } from './sniff.js';
import { openText, SAMPLE_SPAN, type Encoding } from './source.js';

/** Below this the largest file is read by this thread alone. */
export const SPLIT_MIN_BYTES = 64 << 20;

/**
 * Cost of a byte of the worker's files against a byte of the split file, chosen so that both threads
 * finish together: this thread also merges the second part (full economy, thread CPU with 0.85: this
 * thread 11.1-11.4 s, the worker 9.6-9.8 s).
 */
const WORKER_BYTE_COST = 0.65;

/** Records searched for the header (load.ts MAX_PREAMBLE). */
const MAX_PREAMBLE = 20;

export interface SplitOptions {
  /** split files from this size on (default SPLIT_MIN_BYTES) */
  minBytes?: number;
  /** the byte the split is searched from (tests), instead of the balance point */
  at?: number;
  /** told whether the worker's part was merged (false: this thread read the whole file) */
  onOutcome?: (merged: boolean) => void;
}

/** Where and how the file is split: the worker's job for the second part. */
export type SplitPlan = TailJob & { index: number };

/**
 * The split of input `index` (a regular file of `size` bytes) while the worker also reads `workerBytes`
 * of other files; null when the file is read in one piece.
 */
export async function planSplit(
  spec: InputSpec & { kind: TableKind },
  index: number,
  size: number,
  workerBytes: number,
  opts: { userMap?: UserMap; encoding?: Encoding; split?: SplitOptions | false },
): Promise<SplitPlan | null> {
  if (opts.split === false || spec.path === '-') return null;
  if (opts.encoding !== undefined && opts.encoding !== 'utf-8') return null;
  const minBytes = opts.split?.minBytes ?? SPLIT_MIN_BYTES;
  if (size < minBytes || size <= SAMPLE_SPAN) return null;
  let src;
  try {
    src = await openText(spec.path, { encoding: opts.encoding });
  } catch {
    return null; // the read in one piece names the problem
  }
  try {
    if (src.gzip || src.encoding !== 'utf-8') return null;
    const dialect = sniffDialect(src.sample);
    const header = findHeader(src.sample, dialect.delimiter, dialect.sepLine, (f) => fitsTable(spec.kind, f, opts.userMap));
    if (!header) return null;
    const target = opts.split?.at ?? Math.round((size + workerBytes * WORKER_BYTE_COST) / 2);
    const start = await lineStartFrom(spec.path, Math.max(SAMPLE_SPAN, Math.min(target, size)), size);
    if (start < 0) return null;
    return { index, path: spec.path, kind: spec.kind, start, header: header.fields, headerLine: header.line, delimiter: dialect.delimiter };
  } finally {
    src.close();
  }
}

/** The header record in the sample as load.ts finds it (the first record that maps to the table), with its line. */
function findHeader(sample: string, delimiter: string, sepLine: boolean, isHeader: (f: string[]) => boolean): { fields: string[]; line: number } | null {
  let skip = sepLine;
  let found: { fields: string[]; line: number } | null = null;
  let seen = 0;
  const parser = new CsvParser(delimiter, {
    onRecord(fields, line) {
      if (skip) {
        skip = false;
        return;
      }
      if (found || seen >= MAX_PREAMBLE) return;
      seen++;
      if (isHeader(fields)) found = { fields, line };
    },
    onError() {},
  });
  parser.push(sample);
  return found;
}

/** The byte after the first line feed at or after `from` (searched over at most 4 MiB), or -1. */
async function lineStartFrom(path: string, from: number, size: number): Promise<number> {
  const h = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    let pos = from;
    while (pos < size && pos < from + (4 << 20)) {
      const n = (await h.read(buf, 0, buf.length, pos)).bytesRead;
      if (n === 0) break;
      const k = buf.subarray(0, n).indexOf(10);
      if (k >= 0) return pos + k + 1 < size ? pos + k + 1 : -1;
      pos += n;
    }
    return -1;
  } finally {
    await h.close();
  }
}
