/** How detectors, the pipeline and the reporters write numbers in titles, explanations and tables. */
import { describe, expect, it } from 'vitest';
import { fmtAmount, fmtChance, fmtPct, plural } from '../../src/util/format.js';

describe('fmtAmount', () => {
  it('groups thousands and writes cents as two digits when there are any', () => {
    expect(fmtAmount(2151906.1)).toBe('2,151,906.10');
    expect(fmtAmount(2151906)).toBe('2,151,906');
    expect(fmtAmount(-1234.567)).toBe('-1,234.57');
    expect(fmtAmount(0.5)).toBe('0.50');
    expect(fmtAmount(NaN)).toBe('—');
  });
});

describe('plural', () => {
  it('agrees with its count', () => {
    expect(plural(1, 'day')).toBe('1 day');
    expect(plural(0, 'day')).toBe('0 days');
    expect(plural(1204, 'invoice')).toBe('1,204 invoices');
    expect(plural(2, 'entry', 'entries')).toBe('2 entries');
  });
});

describe('fmtPct', () => {
  it('gives a share that is not zero the digits it needs, so it never reads 0.00%', () => {
    expect(fmtPct(0.125)).toBe('12.5%');
    expect(fmtPct(0.0000256, 2)).toBe('0.003%');
    expect(fmtPct(-0.00002, 2)).toBe('-0.002%');
    expect(fmtPct(0, 2)).toBe('0.00%');
    expect(fmtPct(1e-9, 2)).toBe('0.0000%');
  });
});

describe('fmtChance', () => {
  it('writes odds as "1 in N" below 0.1%, never in exponent notation', () => {
    expect(fmtChance(0.034)).toBe('3.4%');
    expect(fmtChance(0.0019)).toBe('0.19%');
    expect(fmtChance(0.00077)).toBe('1 in 1,300');
    expect(fmtChance(8e-7)).toBe('1 in 1.3 million');
    expect(fmtChance(1.09e-10)).toBe('1 in 9.2 billion');
    expect(fmtChance(5.7e-20)).toBe('under 1 in a trillion');
    expect(fmtChance(0)).toBe('under 1 in a trillion');
  });
});
