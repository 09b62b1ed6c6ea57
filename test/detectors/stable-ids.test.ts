/**
 * Finding ids depend on what a finding is about, not on where its rows are in the export: the same
 * invoices in reverse order, or with unrelated rows dropped, give the same ids (so --new-since does not
 * report old findings as new).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const DETECTORS = ['duplicate-invoices', 'vat-mismatch', 'circular-invoicing', 'invoice-sequence'];
const source = join(import.meta.dirname, '..', 'fixtures', 'duplicate-invoices', 'reorder.csv');

async function ids(lines: string[]): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'stable-ids-'));
  const path = join(dir, 'invoices.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  const report = await runOn([{ kind: 'invoices', path }], DETECTORS);
  return report.findings.map((f) => `${f.detector} ${f.id} ${f.title}`).sort();
}

describe('finding ids of the invoice detectors', () => {
  const [header, ...rows] = readFileSync(source, 'utf8').trim().split('\n');

  it('are the same when the rows are reversed or unrelated rows are removed', async () => {
    const base = await ids([header, ...rows]);
    // duplicate pairs (exact and near), a seller summary of VAT problems, single VAT problems, a carousel, a reused number
    expect(new Set(base.map((x) => x.split(' ')[0]))).toEqual(new Set(DETECTORS));
    expect(base.length).toBeGreaterThanOrEqual(7);
    expect(await ids([header, ...[...rows].reverse()])).toEqual(base);
    expect(await ids([header, ...rows.filter((r) => !r.includes('UNRELATED'))])).toEqual(base);
  });
});
