import { describe, expect, it } from 'vitest';
import { holidaysOf, TET, vietnamHolidays } from '../../src/calendar/holidays.js';
import { DEFAULT_TABLES } from '../../src/config/tables.js';

describe('Vietnamese public holidays', () => {
  it('2024: New Year, Tết (eve + 4 days), Hùng Kings, 30/4, 1/5, National Day + 1', () => {
    expect(holidaysOf(2024)).toEqual([
      '2024-01-01',
      '2024-02-09',
      '2024-02-10',
      '2024-02-11',
      '2024-02-12',
      '2024-02-13',
      '2024-04-18',
      '2024-04-30',
      '2024-05-01',
      '2024-09-02',
      '2024-09-03',
    ]);
  });
  it('before 2021 National Day is one day', () => {
    expect(holidaysOf(2019).filter((d) => d.startsWith('2019-09'))).toEqual(['2019-09-02']);
  });
  it('Tết always falls between 21 January and 20 February, and every year 2015–2030 is listed', () => {
    for (let y = 2015; y <= 2030; y++) {
      expect(TET[y] >= `${y}-01-21` && TET[y] <= `${y}-02-20`, String(y)).toBe(true);
      expect(holidaysOf(y).length).toBeGreaterThanOrEqual(10);
    }
    expect(holidaysOf(2014)).toEqual([]);
  });
  it('is the default holiday table, sorted and without duplicates', () => {
    const all = vietnamHolidays();
    expect(DEFAULT_TABLES.holidays).toEqual(all);
    expect([...all].sort()).toEqual(all);
    expect(new Set(all).size).toBe(all.length);
  });
});
