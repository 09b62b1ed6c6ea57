/**
 * Progress on stderr for long runs, only when stderr is a terminal and the input is large (OUTPUT.md):
 * which file is being read, how much of it, and which stage runs. Silent otherwise, so pipes, CI logs and
 * runs that take a moment stay clean.
 */
import { statSync } from 'node:fs';

/** Inputs below this many bytes (all files together) read and analyse in a few seconds: no progress line. */
export const PROGRESS_MIN_BYTES = 20e6;

/** A gzip file holds several times its size in text. */
const GZIP_RATIO = 5;

export class Progress {
  private readonly start = Date.now();
  private label = '';
  private last = 0;
  private shown = false;
  private large: boolean;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly enabled: boolean,
    private readonly minBytes = PROGRESS_MIN_BYTES,
  ) {
    this.large = minBytes <= 0;
  }

  /** The input files: progress shows when together they reach the size (standard input counts as it is read). */
  inputs(paths: string[]): void {
    let total = 0;
    for (const p of paths) {
      if (p === '-') continue;
      try {
        total += statSync(p).size * (/\.gz$/i.test(p) ? GZIP_RATIO : 1);
      } catch {
        // a missing file is reported by the reader
      }
    }
    if (total >= this.minBytes) this.large = true;
  }

  file(path: string): void {
    this.label = `reading ${path === '-' ? 'stdin' : path}`;
    this.draw(this.label, true);
  }

  update(chars: number): void {
    if (chars >= this.minBytes) this.large = true;
    this.draw(`${this.label} … ${(chars / 1e6).toFixed(1)} M characters`);
  }

  stage(label: string): void {
    this.label = label;
    this.draw(`${label} …`, true);
  }

  done(): void {
    if (this.enabled && this.shown) this.out.write('\r\x1b[2K');
    this.shown = false;
  }

  /** ", 1.2 s" — for the summary line on stderr (never in the report itself). */
  elapsed(): string {
    return `, ${((Date.now() - this.start) / 1000).toFixed(1)} s`;
  }

  private draw(text: string, force = false): void {
    if (!this.enabled || !this.large) return;
    const now = Date.now();
    if (!force && now - this.last < 200) return;
    this.last = now;
    this.shown = true;
    this.out.write(`\r\x1b[2K${text.slice(0, 100)}`);
  }
}
