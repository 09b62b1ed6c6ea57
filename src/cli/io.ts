/**
 * What every command shares: the exit codes (OUTPUT.md), the process's streams as the commands see them,
 * and the tool's version. Kept apart from main.ts, which imports the commands, so that no command imports
 * main.ts back.
 */
import { readFileSync } from 'node:fs';
import type { Detector } from '../detectors/types.js';

export const EXIT = { ok: 0, findings: 1, usage: 2, internal: 3 } as const;

let version: string | undefined;

/** The version in package.json: three levels up from dist/src/cli, two from src/cli (tests run the source). */
export function toolVersion(): string {
  if (version) return version;
  for (const up of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'redflag') return (version = pkg.version);
    } catch {
      // not at this level
    }
  }
  throw new Error('package.json of redflag not found');
}

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** the detectors to run (default: the registry); tests pass a small one */
  registry?: readonly Detector[];
  /** inputs from this size on get a progress line on a terminal (default PROGRESS_MIN_BYTES); tests pass 0 */
  progressMinBytes?: number;
}
