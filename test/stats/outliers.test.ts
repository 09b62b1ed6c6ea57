import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialUpperTail, fencesOf, fisherCombined, mad, median, poissonLowerTail } from '../../src/stats/outliers.js';
import { sketch } from '../../src/stats/quantiles.js';

describe('outliers', () => {
  it('median and MAD', () => {
    expect(median([5, 1, 3, NaN])).toBe(3);
    expect(median([1, 2, 3, 4])).toBe(2.5);
    expect(mad([1, 2, 3, 4, 100])).toBe(1);
  });
  it('Tukey fences, with an IQR floor', () => {
    const f = fencesOf(sketch([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    expect(f.q1).toBe(3);
    expect(f.q3).toBe(7);
    expect(f.upper).toBe(13);
    expect(f.lower).toBe(-3);
    const zeros = fencesOf(sketch([0, 0, 0, 0, 0, 0.1]), 1.5, 0.05);
    expect(zeros.iqr).toBe(0.05);
    expect(zeros.upper).toBeCloseTo(0.075, 10);
  });
  it("Fisher's combination of p-values", () => {
    // χ²(4) survival at −2 ln(0.05²) = 11.98: e^{−x/2}(1 + x/2)
    const x = -2 * Math.log(0.05 * 0.05);
    expect(fisherCombined([0.05, 0.05])).toBeCloseTo(Math.exp(-x / 2) * (1 + x / 2), 12);
    expect(fisherCombined([0.3])).toBeCloseTo(0.3, 12);
    expect(fisherCombined([1, 1, 1])).toBeCloseTo(1, 12);
    expect(fisherCombined([])).toBe(1);
  });
  it('binomial and Poisson tails', () => {
    expect(binomialUpperTail(6, 6, 0.5)).toBeCloseTo(1 / 64, 12);
    expect(binomialUpperTail(0, 6, 0.5)).toBe(1);
    expect(binomialUpperTail(1, 2, 0.5)).toBeCloseTo(0.75, 12);
    expect(binomialUpperTail(80, 200, 0.1)).toBeLessThan(1e-20);
    expect(poissonLowerTail(0, 4)).toBeCloseTo(Math.exp(-4), 12);
    expect(poissonLowerTail(1, 2)).toBeCloseTo(3 * Math.exp(-2), 12);
  });
  it('the binomial tail matches the plain sum of terms', () => {
    const pmf = (i: number, n: number, p: number) => {
      let c = 1;
      for (let j = 1; j <= i; j++) c = (c * (n - i + j)) / j;
      return c * p ** i * (1 - p) ** (n - i);
    };
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }), (n, k0, p) => {
        const k = Math.min(k0, n);
        let up = 0;
        for (let i = k; i <= n; i++) up += pmf(i, n, p);
        expect(binomialUpperTail(k, n, p)).toBeCloseTo(Math.min(1, up), 9);
      }),
      { numRuns: 300 },
    );
  });
});
