/**
 * bid-screens' bidders' history: a tender whose firms' other tenders are tight ranks above a tender with
 * the same prices from firms with no history; with w_firms = 0 the two are equal.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TABLES } from '../../src/config/tables.js';
import bidScreens from '../../src/detectors/bid-screens.js';
import { loadDataset } from '../../src/io/dataset.js';

const path = join(import.meta.dirname, '..', 'fixtures', 'bid-screens', 'history.csv');
const params = (extra: Record<string, unknown>) =>
  ({ ...Object.fromEntries(Object.entries(bidScreens.params).map(([k, s]) => [k, s.default])), min_score: 0, ...extra }) as never;

describe('bid-screens bidders\' history', () => {
  it('raises a tender whose firms bid tightly elsewhere above the same prices from unknown firms', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path }]);
    const r = bidScreens.run(dataset, params({}), { tables: DEFAULT_TABLES });
    const ev = (id: string) => r.findings.find((f) => f.entities[0].id === id)!.evidence as Record<string, number | null>;
    expect(ev('T-RING6').screensCombined).toBe(ev('T-OTHER').screensCombined);
    // RING-A/B/C's five other tenders sit within 2%: their history is near the top of the ranks (a geometric
    // mean of percentiles, so a little below the arithmetic one)
    expect(ev('T-RING6').firmHistory!).toBeGreaterThan(0.75);
    expect(ev('T-RING6').firmsWithHistory).toBe(3);
    expect(ev('T-OTHER').firmHistory).toBeNull();
    expect(ev('T-OTHER').firmsWithHistory).toBe(0);
    expect(ev('T-RING6').combined!).toBeGreaterThan(ev('T-OTHER').combined!);
    // the ring's own tenders are each other's history: all five rank in the top tenth
    for (const id of ['R1', 'R2', 'R3', 'R4', 'R5']) expect(ev(id).combinedPercentile!).toBeGreaterThan(0.8);
  });

  it('w_firms 0 scores each tender alone', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path }]);
    const r = bidScreens.run(dataset, params({ w_firms: 0 }), { tables: DEFAULT_TABLES });
    const ev = (id: string) => r.findings.find((f) => f.entities[0].id === id)!.evidence as Record<string, number | null>;
    expect(ev('T-RING6').combined).toBe(ev('T-OTHER').combined);
    expect(ev('T-RING6').firmHistory).toBeNull();
  });
});
