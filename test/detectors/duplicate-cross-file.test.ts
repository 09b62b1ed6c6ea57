/**
 * The same invoices given in two files (a header export and its lines, or one export twice) make every
 * number look issued twice. duplicate-invoices says so as a warning naming both files, and its flag share
 * counts sellers (the unit it judges), not invoice pairs, so the share never passes 100%.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

function invoices(sellers: number, perSeller: number): string {
  const lines = ['invoice_id,number,issue_date,seller_id,buyer_id,amount'];
  for (let s = 0; s < sellers; s++)
    for (let i = 0; i < perSeller; i++) lines.push(`S${s}-${i},${i + 1},2024-03-${String(1 + i * 3).padStart(2, '0')},SELLER-${s},CITY-HOSP,${1000000 + s * 1000 + i * 37}`);
  return lines.join('\n') + '\n';
}

describe('duplicate-invoices across input files', () => {
  it('warns that two files hold the same invoices and counts flagged sellers, not pairs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-dup-'));
    const a = join(dir, 'header.csv');
    const b = join(dir, 'lines.csv');
    writeFileSync(a, invoices(25, 3));
    writeFileSync(b, invoices(25, 3));
    const report = await runOn([{ kind: 'invoices', path: a }, { kind: 'invoices', path: b }], ['duplicate-invoices']);
    const s = report.detectors.find((d) => d.id === 'duplicate-invoices')!;
    expect(report.findings.filter((f) => f.severity === 'high').length).toBe(75);
    expect(report.warnings.some((w) => w.startsWith('duplicate-invoices: 75 of the 75 numbers issued twice pair an invoice in') && w.includes('header.csv') && w.includes('lines.csv'))).toBe(true);
    expect(s.flagShareWarning).toMatch(/flagged 25 of 25 \(100\.0%\)/);
    expect(s.riskWeight).toBe(0.05);
  });

  it('one file with a few reused numbers gets no such warning', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-dup-'));
    const a = join(dir, 'one.csv');
    writeFileSync(a, invoices(3, 4) + 'X,2,2024-03-20,SELLER-0,CITY-HOSP,555\n');
    const report = await runOn([{ kind: 'invoices', path: a }], ['duplicate-invoices']);
    expect(report.findings.some((f) => f.title.startsWith('Invoice number issued twice'))).toBe(true);
    expect(report.warnings.some((w) => w.includes('numbers issued twice pair'))).toBe(false);
  });
});
