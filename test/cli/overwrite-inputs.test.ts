/**
 * End to end: a run never writes over the files it reads. `--rejects bids.csv` used to truncate the export
 * before reading it, and `--output bids.csv` to replace it with the report.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture as fx, run, runHere } from '../helpers/cli.js';

function copy() {
  const dir = mkdtempSync(join(tmpdir(), 'redflag-overwrite-'));
  const f = join(dir, 'bids.csv');
  copyFileSync(fx('bids.csv'), f);
  return { dir, f, original: readFileSync(f, 'utf8') };
}

describe('outputs that are inputs are refused (exit 2) and the input is left as it was', () => {
  it('--rejects naming the bids file', async () => {
    const { f, original } = copy();
    const r = (await runHere(['analyze', '--bids', f, '--rejects', f]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--rejects ${f} is the file given to --bids`);
    expect(readFileSync(f, 'utf8')).toBe(original);
  });

  it('--output naming the bids file by another path (relative, through a symlink)', async () => {
    const { dir, f, original } = copy();
    const rel = run(['analyze', '--bids', f, '--output', 'bids.csv'], { cwd: dir });
    expect(rel.code).toBe(2);
    expect(rel.stderr).toContain('--output bids.csv is the file given to --bids');
    symlinkSync(f, join(dir, 'link.csv'));
    const link = (await runHere(['analyze', '--bids', join(dir, 'link.csv'), '--output', f]));
    expect(link.code).toBe(2);
    expect(readFileSync(f, 'utf8')).toBe(original);
  });

  it('--output naming the config file, and baseline --output naming an input', async () => {
    const { dir, f, original } = copy();
    const cfg = join(dir, 'redflag.config.jsonc');
    expect((await runHere(['init', '--output', cfg])).code).toBe(0);
    const before = readFileSync(cfg, 'utf8');
    const c = (await runHere(['analyze', '--bids', f, '--config', cfg, '--output', cfg]));
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('is the file given to --config');
    expect(readFileSync(cfg, 'utf8')).toBe(before);
    const b = (await runHere(['baseline', '--bids', f, '--output', f]));
    expect(b.code).toBe(2);
    expect(readFileSync(f, 'utf8')).toBe(original);
  });

  it('--output naming a --new-since report: the reviewed findings would be lost', async () => {
    const { dir, f } = copy();
    const prev = join(dir, 'prev.json');
    expect((await runHere(['analyze', '--bids', f, '--format', 'json', '--output', prev, '--fail-on', 'never'])).code).toBe(0);
    const before = readFileSync(prev, 'utf8');
    const r = (await runHere(['analyze', '--bids', f, '--format', 'json', '--new-since', prev, '--output', prev]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--output ${prev} is the file given to --new-since`);
    expect(readFileSync(prev, 'utf8')).toBe(before);
  });

  it('--output and --rejects naming one new file', async () => {
    const { dir, f } = copy();
    const r = (await runHere(['analyze', '--bids', f, '--output', join(dir, 'out.txt'), '--rejects', join(dir, '.', 'out.txt')]));
    expect(r.code).toBe(2);
    expect(existsSync(join(dir, 'out.txt'))).toBe(false);
  });

  it('distinct files are written as before', async () => {
    const { dir, f } = copy();
    const r = (await runHere(['analyze', '--bids', f, '--output', join(dir, 'report.json'), '--format', 'json', '--rejects', join(dir, 'rejects.csv'), '--fail-on', 'never']));
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).schemaVersion).toBe(1);
    expect(readFileSync(join(dir, 'rejects.csv'), 'utf8')).toMatch(/^file,line,reason,record/);
  });
});
