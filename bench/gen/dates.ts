/**
 * Calendar arithmetic on integer day numbers (days since 1970-01-01, UTC), with cached
 * formatting, Vietnamese public holidays and the dated legal tables of DATA.md.
 */

export function dayOf(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (m + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civil(z: number): [number, number, number] {
  z += 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const y = yoe + era * 400;
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [m <= 2 ? y + 1 : y, m, d];
}

export function parseIso(s: string): number {
  const [y, m, d] = s.split('-').map(Number);
  return dayOf(y, m, d);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

const pad2 = (n: number): string => (n < 10 ? '0' + n : String(n));

const isoCache = new Map<number, string>();
const vnCache = new Map<number, string>();

/** `2024-03-05` */
export function iso(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    const [y, m, d] = civil(day);
    s = `${y}-${pad2(m)}-${pad2(d)}`;
    isoCache.set(day, s);
  }
  return s;
}

/** `05/03/2024` */
export function vnDate(day: number): string {
  let s = vnCache.get(day);
  if (s === undefined) {
    const [y, m, d] = civil(day);
    s = `${pad2(d)}/${pad2(m)}/${y}`;
    vnCache.set(day, s);
  }
  return s;
}

/** minutes since midnight → `09:05:00` (seconds given separately). */
export function hms(minutes: number, seconds = 0): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}:${pad2(seconds)}`;
}

export function hm(minutes: number): string {
  return `${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** A point in time as (day, minute of day), normalised. */
export function addMinutes(day: number, minute: number, delta: number): [number, number] {
  let m = minute + delta;
  let d = day;
  while (m < 0) {
    m += 1440;
    d--;
  }
  while (m >= 1440) {
    m -= 1440;
    d++;
  }
  return [d, m];
}

export function yearOf(day: number): number {
  return civil(day)[0];
}

export function monthOf(day: number): number {
  return civil(day)[1];
}

export function addMonths(day: number, months: number, dom?: number): number {
  const [y, m, d] = civil(day);
  const t = y * 12 + (m - 1) + months;
  const ny = Math.floor(t / 12);
  const nm = (t % 12) + 1;
  const nd = Math.min(dom ?? d, daysInMonth(ny, nm));
  return dayOf(ny, nm, nd);
}

export function daysInMonth(y: number, m: number): number {
  return dayOf(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - dayOf(y, m, 1);
}

/** The whole span the generator works in. */
export const TENDER_START = dayOf(2023, 1, 1);
export const TENDER_END = dayOf(2025, 12, 31);
export const INVOICE_START = dayOf(2023, 1, 1);
export const INVOICE_END = dayOf(2026, 6, 30);

/** Lunar New Year (Tết) holiday windows, and the fixed-date public holidays, 2022–2026. */
const TET: [string, string][] = [
  ['2022-01-29', '2022-02-06'],
  ['2023-01-20', '2023-01-26'],
  ['2024-02-08', '2024-02-14'],
  ['2025-01-25', '2025-02-02'],
  ['2026-02-14', '2026-02-22'],
];
const OTHER_HOLIDAYS = [
  '2022-01-01', '2022-04-10', '2022-04-11', '2022-04-30', '2022-05-01', '2022-05-02', '2022-05-03', '2022-09-01', '2022-09-02',
  '2023-01-01', '2023-01-02', '2023-04-29', '2023-04-30', '2023-05-01', '2023-05-02', '2023-05-03', '2023-09-01', '2023-09-02', '2023-09-04',
  '2024-01-01', '2024-04-18', '2024-04-27', '2024-04-28', '2024-04-29', '2024-04-30', '2024-05-01', '2024-08-31', '2024-09-01', '2024-09-02', '2024-09-03',
  '2025-01-01', '2025-04-07', '2025-04-30', '2025-05-01', '2025-05-02', '2025-08-30', '2025-08-31', '2025-09-01', '2025-09-02',
  '2026-01-01', '2026-04-26', '2026-04-27', '2026-04-30', '2026-05-01', '2026-09-01', '2026-09-02',
];

const holidaySet = new Set<number>();
const tetSet = new Set<number>();
for (const [a, b] of TET) {
  for (let d = parseIso(a); d <= parseIso(b); d++) {
    holidaySet.add(d);
    tetSet.add(d);
  }
}
for (const h of OTHER_HOLIDAYS) holidaySet.add(parseIso(h));

export function isHoliday(day: number): boolean {
  return holidaySet.has(day);
}

export function isTet(day: number): boolean {
  return tetSet.has(day);
}

/** Sunday or public holiday. */
export function isOffDay(day: number): boolean {
  return weekday(day) === 0 || holidaySet.has(day);
}

/** Holiday days inside [from, to]. */
export function holidaysBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (const d of holidaySet) if (d >= from && d <= to) out.push(d);
  return out.sort((a, b) => a - b);
}

/** First working day (Mon–Fri, not a holiday) at or after `day`. */
export function nextWorkday(day: number): number {
  let d = day;
  while (weekday(d) === 0 || weekday(d) === 6 || holidaySet.has(d)) d++;
  return d;
}

/** DATA.md: 8% VAT allowed only inside these periods. */
const VAT8: [number, number][] = [
  ['2022-02-01', '2022-12-31'],
  ['2023-07-01', '2023-12-31'],
  ['2024-01-01', '2024-06-30'],
  ['2024-07-01', '2024-12-31'],
  ['2025-01-01', '2025-06-30'],
  ['2025-07-01', '2026-12-31'],
].map(([a, b]) => [parseIso(a), parseIso(b)]);

export function vat8Allowed(day: number): boolean {
  for (const [a, b] of VAT8) if (day >= a && day <= b) return true;
  return false;
}

/** DATA.md: designated-contracting ceilings (VND) in force on a date. */
export interface Ceilings {
  recurrent: number;
  consulting: number;
  goodsWorks: number;
  shopping: number;
}

const LAW57 = parseIso('2025-01-15');
const DECREE214 = parseIso('2025-08-04');

export function ceilingsOn(day: number): Ceilings {
  if (day >= DECREE214) return { recurrent: 500e6, consulting: 800e6, goodsWorks: 2e9, shopping: 10e9 };
  if (day >= LAW57) return { recurrent: 300e6, consulting: 500e6, goodsWorks: 1e9, shopping: 5e9 };
  return { recurrent: 100e6, consulting: 500e6, goodsWorks: 1e9, shopping: 5e9 };
}

/** Day numbers where the ceilings change (splitting instances must not straddle them). */
export const CEILING_CHANGES = [LAW57, DECREE214];
