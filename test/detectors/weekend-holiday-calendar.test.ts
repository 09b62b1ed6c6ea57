/**
 * weekend-holiday applies the built-in Vietnamese holiday calendar only to invoices that look Vietnamese
 * (currency VND, or sellers with valid tax codes): NIGHTOWL dates 14 of its 40 invoices on Sundays and 6
 * more on Vietnamese holidays. The same invoices in pounds count the Sundays only, and say so.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTaxCode } from '../../src/normalize/taxcode.js';
import { runOn } from '../helpers/run.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'weekend-holiday');

async function nightowl(path: string, sets: string[] = []) {
  const report = await runOn([{ kind: 'invoices', path }], ['weekend-holiday'], sets);
  const summary = report.detectors.find((d) => d.id === 'weekend-holiday')!;
  const f = report.findings.find((x) => x.entities.some((e) => e.id === 'NIGHTOWL' || e.id === OWL_CODE));
  return { notes: summary.notes ?? [], offDays: (f?.evidence as { offDays?: number } | undefined)?.offDays };
}

const OWL_CODE = makeTaxCode('010000123');

describe('weekend-holiday calendar', () => {
  it('counts Vietnamese holidays for invoices in VND', async () => {
    const r = await nightowl(join(dir, 'flags.csv'));
    expect(r.offDays).toBe(20);
    expect(r.notes).toEqual([]);
  });

  it('counts only Sundays for invoices in another currency, and notes why', async () => {
    const r = await nightowl(join(dir, 'foreign.csv'));
    expect(r.offDays).toBe(14);
    expect(r.notes.join(' ')).toMatch(/Vietnamese public holidays not applied \(currency: 0(\.0)?% of rows in VND\)/);
  });

  it('holidays = on applies the calendar anyway', async () => {
    expect((await nightowl(join(dir, 'foreign.csv'), ['weekend-holiday.holidays=on'])).offDays).toBe(20);
  });

  it('without a currency column, decides by the sellers\' tax codes', async () => {
    const text = readFileSync(join(dir, 'flags.csv'), 'utf8');
    const noCurrency = text.replace(/,currency\n/, '\n').replace(/,VND\n/g, '\n');
    const tmp = mkdtempSync(join(tmpdir(), 'redflag-wh-'));
    // readable ids are not Vietnamese tax codes: Sundays only
    writeFileSync(join(tmp, 'ids.csv'), noCurrency);
    expect((await nightowl(join(tmp, 'ids.csv'))).offDays).toBe(14);
    // the same sellers under valid tax codes: holidays count
    const sellers = [...new Set(noCurrency.split('\n').slice(1).filter(Boolean).map((l) => l.split(',')[4]))];
    let coded = noCurrency;
    sellers.forEach((s, i) => {
      const code = s === 'NIGHTOWL' ? OWL_CODE : makeTaxCode(String(20000000 + i).padStart(9, '0'));
      coded = coded.replaceAll(`,${s},`, `,${code},`);
    });
    writeFileSync(join(tmp, 'codes.csv'), coded);
    expect((await nightowl(join(tmp, 'codes.csv'))).offDays).toBe(20);
  });
});
