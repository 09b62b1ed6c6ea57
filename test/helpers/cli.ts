/**
 * Test helpers: the CLI run in this process (`cli`: main() on in-memory streams, the source under test;
 * `runHere`: the same with `run`'s options) and in a child process (`run`: bin/redflag.js, the compiled code,
 * as a user runs it). All set NO_COLOR. Starting a node process costs ~0.3 s on the 2-core CI machine, so
 * tests run the CLI here unless what they check needs a process of its own (a working directory, a pipe
 * closed by its reader, a file-size limit, the --jobs worker, which the compiled code starts).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { main, type Io } from '../../src/cli/main.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'redflag.js');
/** a file of test/fixtures/cli */
export const fixture = (f: string): string => join(ROOT, 'test', 'fixtures', 'cli', f);
/** a file of samples/ */
export const sample = (f: string): string => join(ROOT, 'samples', f);

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A stream that keeps what is written to it; a terminal of `columns` columns when given. */
export class Sink extends Writable {
  text = '';
  isTTY: boolean;
  columns?: number;
  constructor(opts: { tty?: boolean; columns?: number } = {}) {
    super();
    this.isTTY = opts.tty ?? false;
    this.columns = opts.columns;
  }
  override _write(chunk: Buffer, _enc: string, done: (e?: Error | null) => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** main() in this process: exit code, stdout, stderr. `io` replaces the defaults (empty stdin, NO_COLOR, streams). */
export async function cli(args: string[], io: Partial<Io> = {}): Promise<CliResult & { code: number }> {
  const stdout = io.stdout ?? new Sink();
  const stderr = io.stderr ?? new Sink();
  const code = await main(['node', 'redflag', ...args], { stdin: Readable.from([]), env: { NO_COLOR: '1' }, ...io, stdout, stderr });
  const text = (s: unknown) => (s instanceof Sink ? s.text : '');
  return { code, stdout: text(stdout), stderr: text(stderr) };
}

/** bin/redflag.js in a child process: exit code, stdout, stderr. */
export function run(args: string[], opts: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd,
    input: opts.input,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** main() in this process with `run`'s options: `input` becomes stdin. */
export async function runHere(args: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult & { code: number }> {
  return cli(args, { stdin: Readable.from(opts.input === undefined ? [] : [opts.input]), env: { NO_COLOR: '1', ...opts.env } });
}
