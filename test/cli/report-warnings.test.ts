/**
 * What the reader had to do to the inputs (encoding fallback, lines above the header, totals rows, rejected
 * rows, values read as blank) is in the report's `warnings` too, not only on stderr: a pipeline that keeps
 * report.json, or runs with --quiet, must still learn that a date column was blanked. Input warnings come
 * first, in input order, then the analysis' own.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'redflag-report-warnings-'));

// Windows-1252 (é), a title above the header, a bad date, a short row, a row without tender_id, a totals row
const messy = join(dir, 'messy.csv');
writeFileSync(
  messy,
  Buffer.from(
    'Report of bids\n' +
      'tender_id,buyer_id,bidder_id,bid_amount,published_date,bidder_name\n' +
      'T1,B1,A1,100,2024-01-05,Caf\xe9\n' +
      'T1,B1,A2,120,2024-13-45,Nino\n' +
      'T2,B1,A1,100\n' +
      ',B1,A3,100,2024-01-06,X\n' +
      'T3,B1,A1,90,2024-01-07,Y\n' +
      'T3,B1,A2,95,2024-01-07,Z\n' +
      'Total,,,605,,\n',
    'latin1',
  ),
);
const clean = join(dir, 'clean.csv');
writeFileSync(clean, 'tender_id,buyer_id,bidder_id,bid_amount,published_date\nT9,B2,A1,100,2024-02-01\nT9,B2,A2,110,2024-02-01\n');

const EXPECTED = [
  `${messy}: not valid UTF-8; read as Windows-1252; use --encoding to choose another`,
  `${messy}: 1 line above the header (line 2) skipped: a title or notes above the table`,
  `${messy}: 1 total row ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line 9`,
  `${messy}: 2 rows rejected: expected 6 fields, found 4 (1 row); no tender_id (1 row); first at lines 5, 6`,
  `${messy}: column published_date: 1 value unreadable, read as blank (line 4: "2024-13-45")`,
];

const args = (...more: string[]) => ['analyze', '--bids', clean, messy, '--max-reject-rate', '1', '--fail-on', 'never', ...more];

describe('input warnings in the report', () => {
  it('the JSON warnings start with the input warnings, in input order, each printed once on stderr', async () => {
    const r = await cli(args('--format', 'json'));
    expect(r.code, r.stderr).toBe(0);
    const warnings: string[] = JSON.parse(r.stdout).warnings;
    expect(warnings.slice(0, EXPECTED.length)).toEqual(EXPECTED);
    const printed = r.stderr
      .split('\n')
      .filter((l) => l.startsWith('redflag: warning: '))
      .map((l) => l.slice('redflag: warning: '.length));
    expect([...printed].sort()).toEqual([...warnings].sort());
    expect(printed.slice(0, EXPECTED.length)).toEqual(EXPECTED);
  });

  it('are kept with --quiet, and the report is byte-identical from run to run', async () => {
    const a = await cli(args('--format', 'json', '--quiet'));
    const b = await cli(args('--format', 'json', '--quiet'));
    expect(a.stderr).toBe('');
    expect(JSON.parse(a.stdout).warnings.slice(0, EXPECTED.length)).toEqual(EXPECTED);
    expect(a.stdout).toBe(b.stdout);
  });

  it('appear in the markdown and HTML reports, which list the warnings', async () => {
    const md = await cli(args('--format', 'markdown', '--quiet'));
    expect(md.stdout).toContain('not valid UTF-8; read as Windows-1252');
    expect(md.stdout).toContain('1 value unreadable, read as blank');
    const html = await cli(args('--format', 'html', '--quiet'));
    expect(html.stdout).toContain('2 rows rejected: expected 6 fields, found 4');
  });
});

describe('a header-only file', () => {
  it('is reported once, as the error, not also as a warning before it', async () => {
    const p = join(dir, 'header-only.csv');
    writeFileSync(p, 'tender_id,buyer_id,bidder_id,bid_amount\n');
    const r = await cli(['analyze', '--bids', p, '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`redflag: ${p}: no data rows, only a header (bids); an empty export cannot be analyzed\n`);
  });
});
