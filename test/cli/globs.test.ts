/**
 * Patterns the shell left unexpanded: Windows shells pass `data\*.csv` as written, and bash passes
 * `reviewed/*.json` as written when nothing matches — the first run of the README's CI recipe, before
 * any report was reviewed, stopped with "cannot read previous report reviewed/*.json: no such file".
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandOne } from '../../src/cli/globs.js';
import { fixture as fx, run } from '../helpers/cli.js';

function workdir() {
  const dir = mkdtempSync(join(tmpdir(), 'redflag-globs-'));
  mkdirSync(join(dir, 'data'));
  mkdirSync(join(dir, 'reviewed'));
  copyFileSync(fx('bids.csv'), join(dir, 'data', 'b-2024.csv'));
  copyFileSync(fx('bids.csv'), join(dir, 'data', 'a-2023.csv'));
  writeFileSync(join(dir, 'data', 'notes.txt'), 'not a table\n');
  writeFileSync(join(dir, 'data', '.hidden.csv'), 'x\n');
  return dir;
}

describe('expandOne', () => {
  it('matches * and ? in the file name, in name order, skipping hidden files and directories', () => {
    const dir = workdir();
    expect(expandOne(join(dir, 'data', '*.csv'))).toEqual({ files: [join(dir, 'data', 'a-2023.csv'), join(dir, 'data', 'b-2024.csv')], pattern: true });
    expect(expandOne(join(dir, 'data', '?-2024.csv')).files).toEqual([join(dir, 'data', 'b-2024.csv')]);
    expect(expandOne(join(dir, 'reviewed', '*.json'))).toEqual({ files: [], pattern: true });
  });

  it('leaves existing files, stdin, plain missing paths and patterns in a directory part as written', () => {
    const dir = workdir();
    expect(expandOne(join(dir, 'data', 'a-2023.csv'))).toEqual({ files: [join(dir, 'data', 'a-2023.csv')], pattern: false });
    expect(expandOne('-')).toEqual({ files: ['-'], pattern: false });
    expect(expandOne(join(dir, 'missing.csv'))).toEqual({ files: [join(dir, 'missing.csv')], pattern: false });
    expect(expandOne(join(dir, '*', 'a-2023.csv')).pattern).toBe(false);
  });
});

describe('patterns on the command line', () => {
  it('--bids data/*.csv reads every matching file', () => {
    const dir = workdir();
    const r = run(['analyze', '--bids', 'data/*.csv', '--format', 'json', '--fail-on', 'never', '--quiet'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).inputs.map((i: { path: string }) => i.path)).toEqual([join('data', 'a-2023.csv'), join('data', 'b-2024.csv')]);
  });

  it('an input pattern matching nothing is exit 2 naming the flag and the pattern', () => {
    const r = run(['analyze', '--bids', 'data/*.xlsx'], { cwd: workdir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--bids data/*.xlsx: no file matches this pattern');
  });

  it('--new-since reviewed/*.json with no reviewed report yet: a warning, every finding new, the exit code from --fail-on', () => {
    const dir = workdir();
    const first = run(['analyze', '--bids', 'data/a-2023.csv', '--new-since', 'reviewed/*.json', '--format', 'json', '--fail-on', 'never', '--output', 'reviewed/first.json'], { cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('--new-since reviewed/*.json matches no file: no previous report, every finding is new');
    const again = run(['analyze', '--bids', 'data/a-2023.csv', '--new-since', 'reviewed/*.json', '--format', 'json', '--fail-on', 'never'], { cwd: dir });
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary.suppressed.previous).toBe(report.summary.findings);
  });
});
