/**
 * split-purchases: finding ids depend on what a burst is (its buyer, supplier, tenders and ceiling), not on
 * the order of the rows, and competitive-shopping parts are not called an avoided competition.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fixture = (f: string) => join(import.meta.dirname, '..', 'fixtures', 'split-purchases', f);

describe('split-purchases', () => {
  it('keeps its ids when the rows come in the reverse order (same-day awards included)', async () => {
    const a = await runOn([{ kind: 'bids', path: fixture('tie.csv') }], ['split-purchases']);
    const b = await runOn([{ kind: 'bids', path: fixture('tie-reversed.csv') }], ['split-purchases']);
    expect(a.findings).toHaveLength(3);
    expect(b.findings.map((f) => f.id).sort()).toEqual(a.findings.map((f) => f.id).sort());
  });

  it('says that an all-shopping burst avoided no competition, and counts the shopping parts of a mixed one', async () => {
    const r = await runOn([{ kind: 'bids', path: fixture('tie.csv') }], ['split-purchases']);
    const byBuyer = Object.fromEntries(r.findings.map((f) => [f.entities[0].id, f]));
    expect(byBuyer.SCHOOL.score).toBeLessThanOrEqual(0.45);
    expect(byBuyer.SCHOOL.explanation).toContain('all went through competitive shopping, which already asks for quotations, so the split avoided no competition');
    expect(byBuyer.SCHOOL.explanation).not.toContain('to avoid competition');
    expect(byBuyer.DEPOT.explanation).toContain('(1 of the 2 parts went through competitive shopping, the rest designated)');
    expect(byBuyer.DEPOT.evidence.competitiveShoppingParts).toBe(1);
  });
});
