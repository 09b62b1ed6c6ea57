import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantile, rankIn, sketch } from '../../src/stats/quantiles.js';

describe('quantile sketches', () => {
  it('small samples are kept whole and ranked by mid-rank', () => {
    const s = sketch([3, 1, 2, NaN, 4]);
    expect(s).toEqual({ q: [1, 2, 3, 4], n: 4 });
    expect(rankIn(s, 1)).toBeCloseTo(0.125);
    expect(rankIn(s, 4)).toBeCloseTo(0.875);
    expect(rankIn(s, 0)).toBe(0);
    expect(rankIn(s, 9)).toBe(1);
    expect(quantile(s, 0.5)).toBeCloseTo(2.5);
  });

  it('large samples: rank is close to the empirical rank (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 200, maxLength: 600 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }), (vals, x) => {
        const s = sketch(vals);
        const emp = vals.filter((v) => v < x).length / vals.length;
        const r = rankIn(s, x);
        expect(r).toBeGreaterThanOrEqual(0);
        expect(r).toBeLessThanOrEqual(1);
        expect(Math.abs(r - emp)).toBeLessThan(0.03);
      }),
      { numRuns: 50 },
    );
  });
});
