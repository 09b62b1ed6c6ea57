/**
 * bid-screens' price level: the lowest valid bid over the buyer's estimate, high is collusive. Eight tenders
 * whose bids have the same shape (so CV, spread, skew and the tightest 4 are equal) differ only in how close
 * the lowest bid comes to the estimate; P07 has no estimate, P08 an estimate 60 times below the bids.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TABLES } from '../../src/config/tables.js';
import bidScreens from '../../src/detectors/bid-screens.js';
import { loadDataset } from '../../src/io/dataset.js';

const path = join(import.meta.dirname, '..', 'fixtures', 'bid-screens', 'price.csv');
const params = (extra: Record<string, unknown>) =>
  ({ ...Object.fromEntries(Object.entries(bidScreens.params).map(([k, s]) => [k, s.default])), min_score: 0, w_firms: 0, ...extra }) as never;

interface Ev {
  screensCombined: number;
  percentiles: Record<string, number | null>;
}

async function run(extra: Record<string, unknown> = {}) {
  const { dataset } = await loadDataset([{ kind: 'bids', path }]);
  const r = bidScreens.run(dataset, params(extra), { tables: DEFAULT_TABLES });
  const by = new Map(r.findings.map((f) => [f.entities[0].id, f.evidence as unknown as Ev]));
  return { r, by };
}

describe('bid-screens price level', () => {
  it('ranks tenders whose lowest bid comes closer to the estimate as more collusive, other screens equal', async () => {
    const { by } = await run();
    const order = ['P01', 'P02', 'P03', 'P04', 'P05', 'P06'].map((t) => by.get(t)!);
    for (let i = 1; i < order.length; i++) {
      expect(order[i].percentiles.price!).toBeGreaterThan(order[i - 1].percentiles.price!);
      expect(order[i].screensCombined).toBeGreaterThan(order[i - 1].screensCombined);
    }
    // the shape screens agree across all eight tenders
    const cv = [...by.values()].map((e) => e.percentiles.cv);
    expect(new Set(cv).size).toBe(1);
  });

  it('leaves the price out, rather than counting it as least collusive, where there is no usable estimate', async () => {
    const { r, by } = await run();
    const without = (await run({ w_price: 0 })).by;
    for (const t of ['P07', 'P08']) {
      expect(by.get(t)!.percentiles.price).toBeNull();
      expect(by.get(t)!.screensCombined).toBeCloseTo(without.get(t)!.screensCombined, 4);
    }
    expect(r.notApplicable?.['price level not judged: lowest bid / estimate implausible (unit mismatch?)']).toBe(1);
  });

  it('w_price 0 removes the price from the combination', async () => {
    const { by } = await run({ w_price: 0 });
    const values = ['P01', 'P06'].map((t) => by.get(t)!.screensCombined);
    expect(values[0]).toBeCloseTo(values[1], 6);
  });
});
