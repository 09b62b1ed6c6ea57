import { describe, expect, it } from 'vitest';
import { DAY_MS, NO_DAY, dayIso, dayNumber, dayOrNone, isoDay, isoToMs, isoWhen, monthLabel, monthNumber } from '../../src/util/dates.js';

describe('dates', () => {
  const ms = Date.UTC(2024, 2, 5); // 2024-03-05
  it('ISO days, with a blank as empty text', () => {
    expect(isoDay(ms)).toBe('2024-03-05');
    expect(isoDay(ms + DAY_MS - 1)).toBe('2024-03-05');
    expect(isoDay(NaN)).toBe('');
    expect(isoToMs('2024-03-05')).toBe(ms);
    expect(isoWhen(ms)).toBe('2024-03-05');
    expect(isoWhen(ms + 10 * 3_600_000)).toBe('2024-03-05T10:00');
    expect(isoWhen(NaN)).toBeNull();
    expect(isoWhen(undefined)).toBeNull();
  });

  it('day numbers: NaN stays NaN in dayNumber, is NO_DAY in dayOrNone', () => {
    expect(dayNumber(ms)).toBe(19787);
    expect(dayNumber(ms + DAY_MS - 1)).toBe(19787);
    expect(dayNumber(-1)).toBe(-1);
    expect(dayNumber(NaN)).toBeNaN();
    expect(dayOrNone(ms)).toBe(19787);
    expect(dayOrNone(NaN)).toBe(NO_DAY);
    expect(new Int32Array([dayOrNone(NaN)])[0]).toBe(NO_DAY);
    expect(dayIso(19787)).toBe('2024-03-05');
  });

  it('months', () => {
    expect(monthNumber(ms)).toBe(2024 * 12 + 2);
    expect(monthLabel(monthNumber(ms))).toBe('2024-03');
    expect(monthLabel(monthNumber(Date.UTC(1969, 11, 31)))).toBe('1969-12');
  });
});
