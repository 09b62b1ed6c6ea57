import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TupleIds } from '../../src/detectors/invoice-index.js';

describe('TupleIds', () => {
  it('numbers tuples in order of first appearance, like a Map of their text', () => {
    const cell = fc.integer({ min: -1, max: 6 });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell, cell), { maxLength: 400 }), fc.boolean(), (rows, blankCol) => {
        const cols = [0, 1, 2, 3].map((k) => Int32Array.from(rows, (t) => t[k]));
        // a blank column reads -1
        const given: (Int32Array | undefined)[] = blankCol ? [cols[0], undefined, cols[2], cols[3]] : cols;
        const ids = new TupleIds(given, rows.length);
        const m = new Map<string, number>();
        rows.forEach((t, r) => {
          const k = (blankCol ? [t[0], -1, t[2], t[3]] : t).join(',');
          if (!m.has(k)) m.set(k, m.size);
          expect(ids.id(r)).toBe(m.get(k));
        });
        expect(ids.size).toBe(m.size);
      }),
    );
  });
});
