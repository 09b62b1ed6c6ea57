/**
 * A report that cannot be written whole is exit 2 with a message naming where it was going — never a
 * truncated report.json with exit 0 or 1 (README exit codes: "a --rejects or --output path that cannot be
 * written"). A file-size limit (`ulimit -f`) stands in for a disk that fills up during the write: the
 * write that crosses it is short, the next one fails with EFBIG, as ENOSPC does on a full disk.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeAll } from '../../src/cli/write-report.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'redflag.js');
const sample = (f: string) => join(root, 'samples', f);
const dir = mkdtempSync(join(tmpdir(), 'redflag-output-errors-'));
// the samples' JSON report is about 440 KB: well past a 64 KiB limit
// the sample bids: a report of about 210 KB and a baseline of about 100 KB, both above the 64 KiB limit,
// read in a third of the time of the whole sample economy
const ALL = ['--bids', sample('bids-vn.csv'), '--bids', sample('bids.csv')];

const q = (a: string) => `'${a.replace(/'/g, `'\\''`)}'`;

/** Run the CLI under bash with a file-size limit of 64 KiB; `redirect` is appended to the command line. */
function limited(args: string[], redirect = '') {
  const cmd = `ulimit -f 64; ${[process.execPath, bin, ...args].map(q).join(' ')} ${redirect}`;
  const r = spawnSync('bash', ['-c', cmd], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('--output FILE that cannot be written whole', () => {
  it('a disk that fills up during the write: exit 2 naming the file, and no truncated report left behind', () => {
    const out = join(dir, 'report.json');
    for (const failOn of ['never', 'medium']) {
      const r = limited(['analyze', ...ALL, '--format', 'json', '--output', out, '--fail-on', failOn]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`redflag: cannot write --output ${out}: EFBIG`);
      expect(r.stderr).toContain('the incomplete file was removed');
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a device that refuses every write (/dev/full): exit 2 naming it', () => {
    if (!existsSync('/dev/full')) return;
    const r = spawnSync(process.execPath, [bin, 'analyze', '--bids', sample('bids.csv'), '--format', 'json', '--output', '/dev/full', '--fail-on', 'never'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('redflag: cannot write --output /dev/full: ENOSPC');
  });

  it('every command writing to a stdout that refuses writes (> /dev/full): exit 2', async () => {
    if (!existsSync('/dev/full')) return;
    const commands = [['detectors'], ['explain', 'benford'], ['init', '--output', '-'], ['inspect', sample('bids.csv')], ['baseline', '--bids', sample('bids.csv'), '--output', '-', '--quiet']];
    // the five processes at once
    const results = await Promise.all(
      commands.map(
        (args) =>
          new Promise<{ args: string[]; status: number | null; stderr: string }>((resolve) =>
            execFile('sh', ['-c', `${q(process.execPath)} ${q(bin)} ${args.map(q).join(' ')} > /dev/full`], (e, _out, stderr) =>
              resolve({ args, status: e ? ((e as { code?: number }).code ?? null) : 0, stderr }),
            ),
          ),
      ),
    );
    for (const r of results) {
      expect(r.status, r.args.join(' ')).toBe(2);
      expect(r.stderr).toContain('redflag: cannot write the output: ENOSPC');
    }
  });

  it('baseline --output FILE on a full disk: exit 2 and no incomplete file', () => {
    const out = join(dir, 'baseline.json');
    const r = limited(['baseline', ...ALL, '--output', out, '--quiet']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write --output ${out}`);
    expect(existsSync(out)).toBe(false);
  });

  it('the same report within the limit is written whole', () => {
    const out = join(dir, 'small.json');
    const r = limited(['analyze', '--bids', join(root, 'test', 'fixtures', 'cli', 'bids.csv'), '--format', 'json', '--output', out, '--fail-on', 'never']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(1);
  });
});

describe('stdout redirected to a file that cannot take the whole report', () => {
  it('exit 2 with a message, not exit 0 with a truncated file', () => {
    const out = join(dir, 'redirected.json');
    const r = limited(['analyze', ...ALL, '--format', 'json', '--fail-on', 'never'], `> ${q(out)}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('redflag: cannot write the output: EFBIG');
    expect(r.stderr).toContain('incomplete');
    // what the limit let through is there, but the exit code says it is not the report
    expect(statSync(out).size).toBe(64 * 1024);
  });

  it('a redirected stdout holds the same bytes as --output', () => {
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    const cmd = `${[process.execPath, bin, 'analyze', ...ALL, '--format', 'json', '--fail-on', 'never', '--quiet'].map(q).join(' ')} > ${q(a)}`;
    expect(spawnSync('bash', ['-c', cmd]).status).toBe(0);
    const r = spawnSync(process.execPath, [bin, 'analyze', ...ALL, '--format', 'json', '--fail-on', 'never', '--quiet', '--output', b], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(readFileSync(a)).toEqual(readFileSync(b));
  });
});

describe('baseline --output - redirected to a file that cannot take it', () => {
  it('exit 2 with a message', () => {
    const out = join(dir, 'baseline.json');
    const r = limited(['baseline', ...ALL, '--output', '-', '--quiet'], `> ${q(out)}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('redflag: cannot write the output: EFBIG');
  });
});

describe('writeAll', () => {
  it('goes on after a short write and throws the error of the next one', () => {
    const taken: number[] = [];
    let calls = 0;
    const shortThenFull = ((_fd: number, _buf: Buffer, _off: number, len: number) => {
      calls++;
      if (calls === 1) {
        taken.push(3);
        return 3;
      }
      if (calls === 2) {
        taken.push(len);
        return len;
      }
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    }) as never;
    writeAll(1, 'abcdefgh', shortThenFull);
    expect(taken).toEqual([3, 5]);
    expect(() => writeAll(1, 'more', shortThenFull)).toThrow(/ENOSPC/);
  });
});
