/**
 * bid-screens' second level: the weighted geometric mean of the screens' percentiles (default) never exceeds
 * the arithmetic mean and is pulled down by any screen that does not agree; MAD, the robust dispersion, is
 * reported with the screens.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TABLES } from '../../src/config/tables.js';
import bidScreens from '../../src/detectors/bid-screens.js';
import { loadDataset } from '../../src/io/dataset.js';
import { relativeMad, screens } from '../../src/stats/screens.js';

const path = join(import.meta.dirname, '..', 'fixtures', 'bid-screens', 'history.csv');
const params = (extra: Record<string, unknown>) =>
  ({ ...Object.fromEntries(Object.entries(bidScreens.params).map(([k, s]) => [k, s.default])), min_score: 0, w_firms: 0, ...extra }) as never;

describe('relativeMad', () => {
  it('is the median absolute deviation over the median, NaN below 3 bids', () => {
    // median 101.5; deviations 1.5, 0.5, 0.5, 8.5 → median 1.0
    expect(relativeMad([100, 101, 102, 110])).toBeCloseTo(1 / 101.5, 12);
    expect(relativeMad([100, 101])).toBeNaN();
    expect(screens([100, 101, 102, 110]).mad).toBeCloseTo(1 / 101.5, 12);
  });
  it('ignores how far one outlying bid lies, unlike CV', () => {
    const near = screens([100, 100.5, 101, 105]);
    const far = screens([100, 100.5, 101, 150]);
    expect(far.mad).toBe(near.mad);
    expect(far.cv).toBeGreaterThan(near.cv * 5);
  });
});

describe('bid-screens combine', () => {
  it('geometric mean ≤ arithmetic mean of the same percentiles, strictly below where screens disagree', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path }]);
    const run = (combine: string) => {
      const r = bidScreens.run(dataset, params({ combine }), { tables: DEFAULT_TABLES });
      return new Map(r.findings.map((f) => [f.entities[0].id, (f.evidence as { screensCombined: number }).screensCombined]));
    };
    const geo = run('geometric');
    const ari = run('arithmetic');
    expect(geo.size).toBeGreaterThan(5);
    expect([...geo.keys()].sort()).toEqual([...ari.keys()].sort());
    let below = 0;
    for (const [id, g] of geo) {
      expect(g).toBeLessThanOrEqual(ari.get(id)! + 1e-4);
      if (g < ari.get(id)! - 1e-3) below++;
    }
    expect(below).toBeGreaterThan(0);
  });
});
