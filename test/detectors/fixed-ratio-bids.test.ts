import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pairOrder } from '../../src/detectors/fixed-ratio-bids.js';

describe('pairOrder', () => {
  it('orders records like a comparator sort on (pair, log ratio, unit)', () => {
    const P = 7;
    const rec = fc.tuple(fc.integer({ min: 0, max: P - 1 }), fc.integer({ min: 0, max: P - 1 }), fc.constantFrom(-0.5, 0, 0.1, 0.25, 1.5), fc.integer({ min: 0, max: 9 }));
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 200 }), (recs) => {
        // one record per (pair, unit), as the detector makes them
        const seen = new Set<string>();
        const rs = recs.filter(([a, b, , u]) => a < b && !seen.has(`${a},${b},${u}`) && seen.add(`${a},${b},${u}`));
        const keyA = Float64Array.from(rs, ([a, b]) => a * P + b);
        const lr = Float64Array.from(rs, (r) => r[2]);
        const unitOf = Int32Array.from(rs, (r) => r[3]);
        const want = Array.from(rs.keys()).sort((x, y) => keyA[x] - keyA[y] || lr[x] - lr[y] || unitOf[x] - unitOf[y]);
        expect(Array.from(pairOrder(keyA, lr, unitOf, rs.length, P))).toEqual(want);
      }),
    );
  });
});
