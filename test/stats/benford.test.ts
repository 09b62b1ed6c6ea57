import { describe, expect, it } from 'vitest';
import {
  benfordFromCounts,
  benfordP,
  benfordTest,
  bothLeadingDigits,
  chiSquareSf,
  conformityOf,
  digitCounts,
  digitZ,
  expectedMad,
  leadingDigits,
} from '../../src/stats/benford.js';

describe('Benford expected proportions', () => {
  it('first digits sum to 1, first two digits sum to 1, and 1 leads 30.1% of the time', () => {
    let s1 = 0;
    for (let d = 1; d <= 9; d++) s1 += benfordP(d);
    let s2 = 0;
    for (let d = 10; d <= 99; d++) s2 += benfordP(d);
    expect(s1).toBeCloseTo(1, 12);
    expect(s2).toBeCloseTo(1, 12);
    expect(benfordP(1)).toBeCloseTo(0.30103, 5);
    expect(benfordP(10)).toBeCloseTo(0.041393, 6);
  });
});

describe('bothLeadingDigits', () => {
  it('gives the first and first-two digits of leadingDigits in one number', () => {
    expect(bothLeadingDigits(123)).toBe(1 | (12 << 8));
    expect(bothLeadingDigits(7)).toBe(7);
    expect(bothLeadingDigits(-98_000_000)).toBe(9 | (98 << 8));
    expect(bothLeadingDigits(0)).toBe(0);
    expect(bothLeadingDigits(NaN)).toBe(0);
    expect(bothLeadingDigits(Infinity)).toBe(0);
  });
  it('agrees with leadingDigits on edge and random values', () => {
    const xs = [0.3, 0.29999999999999999, 9.5, 9.999999999, 10, 99.5, 99.999999, 100, 999.9999999999999, 1000, 1e-7, 5e300, -0.00012, 2.9999999999];
    let seed = 7;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < 20000; i++) xs.push(rnd() * 10 ** Math.floor(rnd() * 24 - 8), Math.round(rnd() * 1e9) / 100, 10 ** Math.floor(rnd() * 20 - 5));
    for (const x of xs) {
      const both = bothLeadingDigits(x);
      expect([both & 0xff, both >> 8]).toEqual([leadingDigits(x, 'first'), leadingDigits(x, 'firstTwo')]);
    }
  });
});

describe('benfordFromCounts worst digits', () => {
  it('lists the five largest Z, the lower digit first when tied, as a sort of every digit would', () => {
    let seed = 11;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let round = 0; round < 300; round++) {
      const test = round % 2 ? 'first' : 'firstTwo';
      const counts = new Float64Array(test === 'first' ? 10 : 100);
      // few distinct counts, so that equal Z occur among digits with the same count and expected share
      for (let d = test === 'first' ? 1 : 10; d < counts.length; d++) counts[d] = Math.floor(rnd() * (round % 3 === 0 ? 3 : 200));
      const r = benfordFromCounts(counts, test);
      if (r.n === 0) continue;
      const all = [];
      for (let d = test === 'first' ? 1 : 10; d < counts.length; d++) {
        const ap = counts[d] / r.n;
        const ep = benfordP(d);
        all.push({ digit: d, ap, ep, z: digitZ(ap, ep, r.n) });
      }
      all.sort((a, b) => b.z - a.z || a.digit - b.digit);
      expect(r.worst).toEqual(all.slice(0, 5));
    }
  });
});

describe('leadingDigits', () => {
  it('reads the first one or two significant digits of any magnitude and sign', () => {
    expect(leadingDigits(123, 'first')).toBe(1);
    expect(leadingDigits(0.0456, 'first')).toBe(4);
    expect(leadingDigits(-98_000_000, 'first')).toBe(9);
    expect(leadingDigits(1_000_000, 'first')).toBe(1);
    expect(leadingDigits(0.3, 'first')).toBe(3);
    expect(leadingDigits(123, 'firstTwo')).toBe(12);
    expect(leadingDigits(99.99, 'firstTwo')).toBe(99);
    expect(leadingDigits(1e15, 'firstTwo')).toBe(10);
  });
  it('skips zero, non-finite values and (for two digits) amounts under 10', () => {
    expect(leadingDigits(0, 'first')).toBe(0);
    expect(leadingDigits(NaN, 'first')).toBe(0);
    expect(leadingDigits(Infinity, 'first')).toBe(0);
    expect(leadingDigits(9.5, 'firstTwo')).toBe(0);
  });
});

describe('chi-square upper tail', () => {
  it('matches table values', () => {
    expect(chiSquareSf(15.507, 8)).toBeCloseTo(0.05, 3);
    expect(chiSquareSf(20.09, 8)).toBeCloseTo(0.01, 3);
    expect(chiSquareSf(2.733, 8)).toBeCloseTo(0.95, 3);
    expect(chiSquareSf(112.022, 89)).toBeCloseTo(0.05, 3);
    expect(chiSquareSf(0, 8)).toBe(1);
  });
});

describe('MAD, conformity classes and Z', () => {
  it('classes the MAD with Nigrini\'s limits', () => {
    expect(conformityOf(0.006, 'first')).toBe('close');
    expect(conformityOf(0.0061, 'first')).toBe('acceptable');
    expect(conformityOf(0.013, 'first')).toBe('marginal');
    expect(conformityOf(0.0151, 'first')).toBe('nonconformity');
    expect(conformityOf(0.0012, 'firstTwo')).toBe('close');
    expect(conformityOf(0.002, 'firstTwo')).toBe('marginal');
    expect(conformityOf(0.0023, 'firstTwo')).toBe('nonconformity');
  });
  it('Z applies the continuity correction', () => {
    // AP 0.35, EP 0.30103, N 1000: (0.04897 − 0.0005) / sqrt(0.30103 · 0.69897 / 1000)
    expect(digitZ(0.35, benfordP(1), 1000)).toBeCloseTo((0.35 - benfordP(1) - 0.0005) / Math.sqrt((benfordP(1) * (1 - benfordP(1))) / 1000), 10);
    expect(digitZ(0.30103, benfordP(1), 1000)).toBeGreaterThanOrEqual(0);
  });
  it('exact Benford counts conform closely with a tiny chi-square', () => {
    const counts = new Float64Array(10);
    for (let d = 1; d <= 9; d++) counts[d] = Math.round(benfordP(d) * 100_000);
    const r = benfordFromCounts(counts, 'first');
    expect(r.n).toBe(100_000);
    expect(r.mad).toBeLessThan(0.0001);
    expect(r.conformity).toBe('close');
    expect(r.p).toBeGreaterThan(0.99);
    expect(r.df).toBe(8);
  });
  it('a log-uniform sample conforms; amounts that all start with 7 do not, and 7 has the largest Z', () => {
    const good = Array.from({ length: 3000 }, (_, i) => 10 ** (2 + (4 * (i + 0.5)) / 3000));
    const g1 = benfordTest(good, 'first');
    const g2 = benfordTest(good, 'firstTwo');
    expect(g1.conformity).toBe('close');
    expect(g2.conformity).toBe('close');
    const bad = Array.from({ length: 300 }, (_, i) => 7_000_000 + i * 1_000);
    const b = benfordTest(bad, 'first');
    expect(b.conformity).toBe('nonconformity');
    expect(b.worst[0].digit).toBe(7);
    expect(b.p).toBeLessThan(1e-10);
    expect(b.df).toBe(8);
    expect(benfordTest(bad, 'firstTwo').df).toBe(89);
  });
  it('counts digits and the expected noise MAD shrinks with 1/sqrt(n)', () => {
    const { counts, n } = digitCounts([1, 19, 2.5, 0, NaN, 900], 'first');
    expect(n).toBe(4);
    expect(counts[1]).toBe(2);
    expect(counts[2]).toBe(1);
    expect(counts[9]).toBe(1);
    expect(expectedMad('first', 100) / expectedMad('first', 400)).toBeCloseTo(2, 10);
    expect(expectedMad('first', 100)).toBeGreaterThan(0.015);
  });
});
