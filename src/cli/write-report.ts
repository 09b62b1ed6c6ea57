/**
 * Writing the report where it goes, so that a report that could not be written whole is never taken
 * for a finished one: a full disk, a file-size limit or a device that refuses writes is exit 2 with a
 * message naming the place, not a truncated report.json and exit 0.
 *
 * - `--output FILE` and a shell-redirected stdout (`> report.json`, a regular file) are written with
 *   `fs.writeSync` in a loop: a short write (the disk filled up in the middle of a chunk) continues
 *   with the rest, and the next write then fails with the error (ENOSPC, EFBIG). Node's own stream for
 *   a file-backed stdout ignores short writes, so a partly written report used to end with exit 0.
 * - A pipe or a terminal is written as a stream with back-pressure; a reader that goes away (`| head`)
 *   ends the write quietly, and any other error is reported by main() (watchOutputs).
 */
import { closeSync, fstatSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { UsageError } from '../io/errors.js';

/** Small chunks gathered into writes of about 1 MB. */
export function* batches(rendered: string | Iterable<string>): Generator<string> {
  if (typeof rendered === 'string') {
    if (rendered) yield rendered;
    return;
  }
  let buf = '';
  for (const chunk of rendered) {
    buf += chunk;
    if (buf.length >= 1 << 20) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

/** Write all of `text` to `fd`, continuing after short writes; throws the write's error. */
export function writeAll(fd: number, text: string, write: typeof writeSync = writeSync): void {
  const buf = Buffer.from(text, 'utf8');
  let off = 0;
  while (off < buf.length) {
    const n = write(fd, buf, off, buf.length - off);
    // a write that takes nothing and reports no error would loop for ever
    if (n <= 0) throw Object.assign(new Error('the write took no bytes'), { code: 'EIO' });
    off += n;
  }
}

/** The file descriptor of an output stream when it is a regular file (stdout redirected with `>`), else null. */
export function regularFileFd(out: NodeJS.WritableStream): number | null {
  const fd = (out as { fd?: unknown }).fd;
  if (typeof fd !== 'number') return null;
  try {
    return fstatSync(fd).isFile() ? fd : null;
  } catch {
    return null;
  }
}

const reason = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The report on a file-backed stdout; a failed write is a usage error (exit 2) saying the output is incomplete. */
export function writeToFd(fd: number, rendered: string | Iterable<string>): void {
  try {
    for (const b of batches(rendered)) writeAll(fd, b);
  } catch (e) {
    throw new UsageError(`cannot write the output: ${reason(e)}; the report written is incomplete`);
  }
}

/**
 * The report in `--output path`. When a write or the close fails, the incomplete file is removed (a
 * regular file only: a device or a pipe is left alone) and the error names the file (exit 2).
 */
export function writeToFile(path: string, rendered: string | Iterable<string>, describeOpenError: (e: unknown) => string): void {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (e) {
    throw new UsageError(`cannot write --output ${path}: ${describeOpenError(e)}`);
  }
  let regular = false;
  try {
    regular = fstatSync(fd).isFile();
    for (const b of batches(rendered)) writeAll(fd, b);
  } catch (e) {
    try {
      closeSync(fd);
    } catch {
      // the write error is the one to report
    }
    throw new UsageError(`cannot write --output ${path}: ${reason(e)}${removePartial(path, regular)}`);
  }
  try {
    closeSync(fd);
  } catch (e) {
    throw new UsageError(`cannot write --output ${path}: ${reason(e)}${removePartial(path, regular)}`);
  }
}

function removePartial(path: string, regular: boolean): string {
  if (!regular) return '';
  try {
    unlinkSync(path);
    return '; the incomplete file was removed';
  } catch {
    return '; the file is incomplete';
  }
}
