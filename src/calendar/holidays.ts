/**
 * Vietnamese public holidays (Labour Code 2019, art. 112; before 2021 Labour Code 2012, art. 115), as ISO
 * dates for 2015–2030: New Year (1 Jan), Tết Nguyên Đán (the eve and the first four days of the lunar
 * year: five days), the Hùng Kings' commemoration (10th day of the 3rd lunar month), Reunification Day
 * (30 Apr), Labour Day (1 May) and National Day (2 Sep, plus an adjacent day from 2021).
 *
 * The lunar holidays are listed as solar dates from the Vietnamese calendar (UTC+7), not computed. The
 * government's yearly schedule often moves or adds days (bridges, compensation for weekends); a user who
 * needs the exact schedule overrides `tables.holidays` in the config. Weekends are not listed here:
 * detectors count Sundays themselves.
 */
import { DAY_MS, isoDay } from '../util/dates.js';

/** Solar date of the first day of the lunar year (Tết), per year. */
export const TET: Readonly<Record<number, string>> = {
  2015: '2015-02-19',
  2016: '2016-02-08',
  2017: '2017-01-28',
  2018: '2018-02-16',
  2019: '2019-02-05',
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
};

/** Solar date of the Hùng Kings' commemoration (Giỗ Tổ Hùng Vương, 10/3 lunar), per year. */
export const HUNG_KINGS: Readonly<Record<number, string>> = {
  2015: '2015-04-28',
  2016: '2016-04-16',
  2017: '2017-04-06',
  2018: '2018-04-25',
  2019: '2019-04-14',
  2020: '2020-04-02',
  2021: '2021-04-21',
  2022: '2022-04-10',
  2023: '2023-04-29',
  2024: '2024-04-18',
  2025: '2025-04-07',
  2026: '2026-04-26',
  2027: '2027-04-16',
  2028: '2028-04-04',
  2029: '2029-04-23',
  2030: '2030-04-12',
};

/** The day added to National Day from 2021 (the government picks 1 or 3 September each year). */
const NATIONAL_DAY_EXTRA: Readonly<Record<number, string>> = {
  2021: '09-03',
  2022: '09-01',
  2023: '09-01',
  2024: '09-03',
  2025: '09-01',
};

export const FIRST_YEAR = 2015;
export const LAST_YEAR = 2030;

function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number);
  return isoDay(Date.UTC(y, m - 1, d) + days * DAY_MS);
}

/** The public holidays of one year (2015–2030), ISO dates in order; [] outside the table. */
export function holidaysOf(year: number): string[] {
  const tet = TET[year];
  if (!tet) return [];
  const out = [`${year}-01-01`];
  for (let k = -1; k <= 3; k++) out.push(addDays(tet, k));
  out.push(HUNG_KINGS[year], `${year}-04-30`, `${year}-05-01`, `${year}-09-02`);
  if (year >= 2021) out.push(`${year}-${NATIONAL_DAY_EXTRA[year] ?? '09-01'}`);
  return [...new Set(out)].sort();
}

/** Every public holiday of 2015–2030, ISO dates in order: the default `tables.holidays`. */
export function vietnamHolidays(from = FIRST_YEAR, to = LAST_YEAR): string[] {
  const out: string[] = [];
  for (let y = from; y <= to; y++) out.push(...holidaysOf(y));
  return out;
}
