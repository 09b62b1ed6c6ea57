import { describe, expect, it } from 'vitest';
import { RATIO_CAP, screens, SUBSET_ALL_MAX, tightestSubgroup } from '../../src/stats/screens.js';

describe('screens', () => {
  it('computes every screen of 100, 101, 102, 110 (values worked out by hand)', () => {
    const s = screens([100, 101, 102, 110]);
    // μ = 103.25, s = √(62.75/3) = 4.5735
    expect(s.cv).toBeCloseTo(0.0442952, 6);
    expect(s.spd).toBeCloseTo(0.1, 10);
    expect(s.diffp).toBeCloseTo(0.01, 10);
    // s_L = sd(101, 102, 110) = 4.9329
    expect(s.rd).toBeCloseTo(0.2027212, 6);
    expect(s.rdnor).toBeCloseTo(0.3, 10);
    expect(s.rdalt).toBeCloseTo(2 / 9, 10);
    expect(s.skew).toBeCloseTo(1.8110671, 6);
    expect(s.kurt).toBeCloseTo(3.3803273, 6);
  });

  it('leaves a screen NaN below its number of bids', () => {
    const two = screens([100, 110]);
    expect(two.diffp).toBeCloseTo(0.1, 10);
    expect(two.cv).toBeNaN();
    expect(two.spd).toBeNaN();
    const three = screens([100, 105, 110]);
    expect(three.cv).toBeCloseTo(5 / 105, 10);
    expect(three.skew).toBeCloseTo(0, 10);
    expect(three.rdalt).toBeNaN();
    expect(three.kurt).toBeNaN();
    expect(screens([100]).diffp).toBeNaN();
  });

  it('handles ties without dividing by zero', () => {
    const tied = screens([100, 100, 100, 100]);
    expect(tied.cv).toBe(0);
    expect(tied.rd).toBe(0);
    expect(tied.rdnor).toBe(0);
    expect(tied.skew).toBe(0);
    expect(tied.kurt).toBe(0);
    // losers all equal, winner below: RD and RDALT have a zero denominator and a positive gap
    const cover = screens([90, 100, 100, 100]);
    expect(cover.rd).toBe(RATIO_CAP);
    expect(cover.rdalt).toBe(RATIO_CAP);
    expect(cover.rdnor).toBeCloseTo(3, 10);
  });
});

describe('tightestSubgroup', () => {
  it('finds the tightest 3 and 4 bids among all subsets', () => {
    const b = [100, 130, 131, 132, 160, 200];
    const g3 = tightestSubgroup(b, 3)!;
    expect(g3.idx).toEqual([1, 2, 3]);
    expect(g3.cv).toBeCloseTo(1 / 131, 8);
    expect(g3.spd).toBeCloseTo(2 / 130, 10);
    const g4 = tightestSubgroup(b, 4)!;
    expect(g4.idx).toEqual([1, 2, 3, 4]);
    expect(g4.cv).toBeCloseTo(0.1050486, 6);
  });

  it('is undefined with fewer bids than the subset size', () => {
    expect(tightestSubgroup([1, 2, 3], 4)).toBeUndefined();
  });

  it('uses consecutive windows beyond the cap, still finding a tight block', () => {
    const b = Array.from({ length: SUBSET_ALL_MAX + 20 }, (_, i) => 100 + i * 10);
    b.splice(15, 0, 251, 252, 253);
    b.sort((x, y) => x - y);
    const g = tightestSubgroup(b, 3)!;
    expect(g.idx.map((i) => b[i])).toEqual([251, 252, 253]);
  });
});
