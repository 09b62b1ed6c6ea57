import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Interner } from '../../src/util/interner.js';

describe('Interner', () => {
  it('gives dense ids in first-seen order and keeps digit strings with leading zeros apart', () => {
    const it = new Interner();
    expect(['0100233488', '100233488', 'ACME', '0100233488', '007', '7', '07', 'ACME'].map((s) => it.intern(s))).toEqual([0, 1, 2, 0, 3, 4, 5, 2]);
    expect(it.values).toEqual(['0100233488', '100233488', 'ACME', '007', '7', '07']);
    expect(it.lookup('07')).toBe(5);
    expect(it.lookup('0007')).toBe(-1);
    expect(it.lookup('acme')).toBe(-1);
  });

  it('round-trips any mix of strings (property): same string ⇔ same id', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.stringMatching(/^[0-9]{1,16}$/), fc.string({ maxLength: 20 })), { maxLength: 3000 }), (xs) => {
        const it = new Interner();
        const ids = xs.map((s) => it.intern(s));
        const seen = new Map<string, number>();
        xs.forEach((s, i) => {
          if (!seen.has(s)) seen.set(s, ids[i]);
          expect(ids[i]).toBe(seen.get(s));
          expect(it.values[ids[i]]).toBe(s);
        });
        expect(it.size).toBe(seen.size);
      }),
      { numRuns: 100 },
    );
  });
});
