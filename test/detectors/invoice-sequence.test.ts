import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fixture = (f: string) => join(import.meta.dirname, '..', 'fixtures', 'invoice-sequence', f);

describe('invoice-sequence', () => {
  it("judges each of a seller's interleaved series on its own", async () => {
    const report = await runOn([{ kind: 'invoices', path: fixture('series.csv') }], ['invoice-sequence']);
    const d = report.detectors.find((x) => x.id === 'invoice-sequence')!;
    expect(d.applied).toBe(3);
    const found = report.findings.map((f) => [f.evidence.series, f.evidence.invoices, f.evidence.reused, f.evidence.outOfOrder]);
    expect(found.sort()).toEqual([
      ['1C24TAA', 10, 1, 0],
      ['1C24TBB', 10, 0, 1],
    ]);
    const back = report.findings.find((f) => f.evidence.series === '1C24TBB')!;
    expect(back.evidence.outOfOrderExamples).toEqual([expect.objectContaining({ invoice: expect.objectContaining({ invoice: 'M-17' }), laterThan: expect.objectContaining({ invoice: 'M-14' }) })]);
  });
});
