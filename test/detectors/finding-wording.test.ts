/**
 * What findings say, read as an inspector reads them: no impossible shares ("above 100% of all awards",
 * "wider than 100.0% of tenders"), no formulas or parameter names in the sentence, names written as the
 * registry writes them rather than as folded match keys, counts that count what the title claims.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fx = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

describe('new-company-winner wording', () => {
  it('calls the largest award the largest, not "above 97% of all awards", and says when an award is not large', async () => {
    const d = 'new-company-winner';
    const r = await runOn([{ kind: 'bids', path: fx(d, 'bids.csv') }, { kind: 'companies', path: fx(d, 'companies.csv') }], [d]);
    const of = (id: string) => r.findings.find((f) => f.entities.some((e) => e.id === id))!;
    const big = of('NEWCO');
    expect(big.title).toContain('won 1 award within 365 days (at 60 days old)');
    expect(big.explanation).toContain('at 60 days; it is the largest award of all:');
    expect(big.explanation).not.toMatch(/above \d+% of all awards/);
    const small = of('SMALLCO');
    expect(small.explanation).toContain('it is larger than 3% of all awards (an award counts as large from 75%)');
  });
});
