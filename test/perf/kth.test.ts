import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoUnit, kth } from '../../src/detectors/round-amounts.js';

describe('kth (round-amounts median)', () => {
  it('equals the k-th value of the sorted array (property), ties and runs included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.double({ min: 0, max: 1e12, noNaN: true })), { minLength: 1, maxLength: 400 }),
        fc.nat(),
        (xs, r) => {
          const v = Float64Array.from(xs);
          const k = r % v.length;
          expect(kth(v.slice(), k)).toBe(v.slice().sort()[k]);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles sorted and reversed input (the fallback path) and gives the data-scale unit', () => {
    const up = Float64Array.from({ length: 5001 }, (_, i) => i + 1);
    expect(kth(up.slice(), 2500)).toBe(2501);
    expect(kth(up.slice().reverse(), 0)).toBe(1);
    // median 42,000,000 → 8 digits → unit 10^6
    expect(autoUnit(Float64Array.from([0, -5, 41e6, 42e6, 43e6, NaN]))).toBe(1e6);
  });
});
