/**
 * File patterns the shell did not expand. Windows shells (cmd, PowerShell) pass `data\*.csv` to the program
 * as written, and bash passes `reviewed/*.json` unchanged when nothing matches (the first run of a CI job,
 * before any report was reviewed). A path that is not an existing file and has `*` or `?` in its last
 * part is matched here against the files of its directory, in name order; a pattern in a directory part
 * is left as written (and reported missing by the reader).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

const WILD = /[*?]/;

function patternRegex(pattern: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, process.platform === 'win32' ? 'i' : '');
}

/** The files one argument names: itself, or, for an unexpanded pattern, the files that match (maybe none). */
export function expandOne(arg: string): { files: string[]; pattern: boolean } {
  if (arg === '-' || existsSync(arg)) return { files: [arg], pattern: false };
  const name = basename(arg);
  const dir = dirname(arg);
  if (!WILD.test(name) || WILD.test(dir)) return { files: [arg], pattern: false };
  const re = patternRegex(name);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return { files: [], pattern: true };
  }
  const files = entries
    .filter((e) => re.test(e) && !e.startsWith('.') === !name.startsWith('.'))
    .map((e) => (dir === '.' && !arg.startsWith('.') ? e : join(dir, e)))
    .filter((p) => statSync(p, { throwIfNoEntry: false })?.isFile())
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, pattern: true };
}

/**
 * Expand every argument. `onNoMatch` decides what a pattern that matches nothing becomes: for inputs it
 * throws (exit 2), for --new-since it is dropped with a warning.
 */
export function expandPatterns(args: string[] | undefined, onNoMatch: (pattern: string) => string[]): string[] | undefined {
  if (!args) return args;
  const out: string[] = [];
  for (const a of args) {
    const { files, pattern } = expandOne(a);
    out.push(...(pattern && !files.length ? onNoMatch(a) : files));
  }
  return out;
}
