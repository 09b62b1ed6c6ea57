/**
 * End to end: `inspect -` names standard input "stdin" in every message (not the temporary copy it reads)
 * and leaves no copy of the export behind; rejected rows are summarised with one reason per kind, each
 * with its row count, separated so that reasons containing commas stay readable.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture as fx, run } from '../helpers/cli.js';

describe('inspect -', () => {
  it('names stdin in its messages and removes the copy it made', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'redflag-inspect-test-'));
    const r = run(['inspect', '--kind', 'invoices', '-'], { input: readFileSync(fx('bids.csv'), 'utf8'), env: { TMPDIR: tmp } });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('stdin: missing required invoices columns');
    expect(r.stdout).not.toContain(tmp);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('a readable export on stdin: recognised, and no copy left', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'redflag-inspect-test-'));
    const r = run(['inspect', '--format', 'json', '-'], { input: readFileSync(fx('bids.csv'), 'utf8'), env: { TMPDIR: tmp } });
    expect(r.code).toBe(0);
    const file = JSON.parse(r.stdout).files[0];
    expect(file).toMatchObject({ path: 'stdin', kind: 'bids' });
    expect(readdirSync(tmp)).toEqual([]);
  });
});

describe('rejected rows', () => {
  it('are summarised by reason with counts, reasons separated by semicolons, in inspect and analyze', () => {
    const i = run(['inspect', fx('ragged.csv')]);
    expect(i.stdout).toMatch(/3 rows rejected: expected \d+ fields, found \d+ \(\d rows?\)(; [^;]+ \(\d rows?\))*; first at lines \d+, \d+, \d+/);
    const a = run(['analyze', '--bids', fx('ragged.csv'), '--max-reject-rate', '1', '--fail-on', 'never']);
    expect(a.stderr).toMatch(/ragged\.csv: 3 rows rejected: expected \d+ fields, found \d+ \(\d rows?\)/);
  });
});
