import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fixture = (f: string) => join(import.meta.dirname, '..', 'fixtures', 'invoice-sequence', f);

describe('invoice-sequence', () => {
  it("judges each of a seller's interleaved series on its own", async () => {
    const report = await runOn([{ kind: 'invoices', path: fixture('series.csv') }], ['invoice-sequence']);
    const d = report.detectors.find((x) => x.id === 'invoice-sequence')!;
    expect(d.applied).toBe(3);
    const found = report.findings.map((f) => [f.evidence.template, f.evidence.series, f.evidence.invoices, f.evidence.reused, f.evidence.outOfOrder]);
    expect(found.sort()).toEqual([
      ['1', 'C24TAA', 10, 1, 0],
      ['1', 'C24TBB', 10, 0, 1],
    ]);
    // the series as the file names it, not glued to its template ("1C24TBB" is nowhere in the file)
    expect(report.findings.map((f) => f.title).sort()[1]).toContain('template 1, series C24TBB');
    const back = report.findings.find((f) => f.evidence.series === 'C24TBB')!;
    expect(back.evidence.outOfOrderExamples).toEqual([expect.objectContaining({ invoice: expect.objectContaining({ invoice: 'M-17' }), laterThan: expect.objectContaining({ invoice: 'M-14' }) })]);
  });
});

describe('invoice-sequence back-dating', () => {
  it("compares a number with the earliest copy of the number below it: a reused number's later copy does not back-date the next", async () => {
    const report = await runOn([{ kind: 'invoices', path: fixture('reuse-later.csv') }], ['invoice-sequence']);
    expect(report.findings).toHaveLength(1);
    expect(report.findings[0].evidence).toMatchObject({ reused: 1, outOfOrder: 0 });
    expect(report.findings[0].title).toBe('REDATE, template 1, series C24TRU: 1 number used twice');
  });

  it('says how many days before the lower number a back-dated one is', async () => {
    const report = await runOn([{ kind: 'invoices', path: fixture('flags.csv') }], ['invoice-sequence']);
    const back = report.findings.find((f) => (f.evidence.outOfOrder as number) > 0)!;
    expect(back.title).toContain('1 number dated earlier than the number below it');
    expect(back.explanation).toMatch(/e\.g\. number 8 is dated \d{4}-\d\d-\d\d, 10 days before number 7, dated/);
  });
});
