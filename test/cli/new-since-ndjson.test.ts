/**
 * End to end: --new-since also reads reports written with --format ndjson (one finding per line, and an
 * empty .ndjson file when the previous run found nothing); the table says why findings are not shown;
 * a run in which no detector could run is exit 2 saying that nothing was checked, not a clean "No findings".
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture as fx, runHere } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'redflag-newsince-'));

describe('--new-since with an ndjson report', () => {
  it('suppresses the findings listed one per line, as with the JSON report', async () => {
    const dir = tmp();
    const nd = (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'ndjson', '--fail-on', 'never']));
    expect(nd.code).toBe(0);
    const n = nd.stdout.trim().split('\n').length;
    expect(n).toBeGreaterThan(0);
    const prev = join(dir, 'prev.ndjson');
    writeFileSync(prev, nd.stdout);
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--new-since', prev]));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary.suppressed.previous).toBe(n);
  });

  it('an empty .ndjson file is a previous run without findings: everything is new', async () => {
    const prev = join(tmp(), 'prev.ndjson');
    writeFileSync(prev, '');
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--fail-on', 'never', '--new-since', prev]));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.findings.length).toBe(report.summary.findings);
  });

  it('an empty .json file and a text file are still refused (exit 2)', async () => {
    const dir = tmp();
    const empty = join(dir, 'prev.json');
    writeFileSync(empty, '');
    expect((await runHere(['analyze', '--bids', fx('bids.csv'), '--new-since', empty])).code).toBe(2);
    const text = join(dir, 'prev.ndjson');
    writeFileSync(text, 'redflag 0.1.0 — 1 input file\n');
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--new-since', text]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not valid JSON');
  });
});

describe('the table says why findings are not shown', () => {
  it('with --new-since: how many were already in the previous report', async () => {
    const prev = join(tmp(), 'prev.json');
    writeFileSync(prev, (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--fail-on', 'never'])).stdout);
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--new-since', prev]));
    expect(r.stdout).toContain('No findings to show.');
    expect(r.stdout).toMatch(/\d+ findings? already in the previous reports? (is|are) not listed \(--new-since\)/);
  });

  it('with --top: how many are beyond it', async () => {
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--top', '1', '--fail-on', 'never']));
    expect(r.stdout).toMatch(/\d+ findings? below --min-severity or beyond --top (is|are) not listed/);
  });
});

describe('no detector could run', () => {
  it('a companies file alone: exit 2 saying that nothing was checked and why, and no report', async () => {
    const f = join(tmp(), 'companies.csv');
    writeFileSync(f, 'company_id,name\n0100233488,Công ty A\n');
    const r = (await runHere(['analyze', '--companies', f, '--format', 'json']));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('redflag: nothing to check: no detector could run on these inputs (skipped: ');
    expect(r.stderr).toContain('no bids input');
  });

  it('a selection none of whose detectors has its input: exit 2, also with --fail-on never', async () => {
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--detectors', 'benford', '--format', 'json', '--fail-on', 'never']));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/skipped: 1 no invoices input, \d+ not selected \(--detectors\)/);
  });

  it('detectors skipped for missing columns are counted together, not listed column by column', async () => {
    const f = join(tmp(), 'tenders.csv');
    writeFileSync(f, 'tender_id,title\nT1,Road\n');
    const r = (await runHere(['analyze', '--tenders', f, '--format', 'json']));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/skipped: \d+ missing columns, \d+ no invoices input/);
    expect(r.stderr).not.toContain('bids.');
  });

  it('baseline: nothing to freeze is exit 2 too, and no baseline is written', async () => {
    const dir = tmp();
    const f = join(dir, 'companies.csv');
    writeFileSync(f, 'company_id,name\n0100233488,Công ty A\n');
    const out = join(dir, 'baseline.json');
    const r = (await runHere(['baseline', '--companies', f, '--output', out]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to check: no detector could run');
    expect(existsSync(out)).toBe(false);
  });
});
