/**
 * Dates as the model keeps them (src/normalize/date.ts): epoch ms of the wall-clock time as written, read
 * back in UTC, so that no time zone of the machine enters; whole days and months counted from 1970-01-01.
 * A blank date is NaN in ms; in Int32 day arrays it is NO_DAY.
 */

export const DAY_MS = 86_400_000;

/** The day number that stands for a blank date in an Int32 array of days (see `dayOrNone`). */
export const NO_DAY = -0x80000000;

/** "2024-03-05" (the date as written); '' when blank. */
export function isoDay(ms: number): string {
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 10);
}

/** "2024-03-05", or "2024-03-05T10:00" when the date has a time of day; null when blank. */
export function isoWhen(ms: number | undefined): string | null {
  if (ms === undefined || Number.isNaN(ms)) return null;
  const s = new Date(ms).toISOString();
  return ms % DAY_MS === 0 ? s.slice(0, 10) : s.slice(0, 16);
}

/** Day number since 1970-01-01 of a date (the wall-clock date as written); NaN stays NaN. */
export function dayNumber(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The day number as an Int32 value: NO_DAY (not NaN) when blank, for day arrays and comparisons with NO_DAY. */
export function dayOrNone(ms: number): number {
  return Number.isNaN(ms) ? NO_DAY : Math.floor(ms / DAY_MS);
}

/** "2024-03-05" of a day number. */
export function dayIso(day: number): string {
  return isoDay(day * DAY_MS);
}

/** ISO dates already converted (the legal tables convert the same few on every call). */
const isoMs = new Map<string, number>();

/** "2024-03-05" → epoch ms of its midnight (UTC arithmetic, as the model keeps dates). */
export function isoToMs(iso: string): number {
  let ms = isoMs.get(iso);
  if (ms === undefined) {
    const [y, m, d] = iso.split('-').map(Number);
    ms = Date.UTC(y, m - 1, d);
    if (isoMs.size < 4096) isoMs.set(iso, ms);
  }
  return ms;
}

/** Month number (year × 12 + month − 1) of a date, by the civil-from-days algorithm (no Date objects). */
export function monthNumber(ms: number): number {
  const z = Math.floor(ms / DAY_MS) + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return y * 12 + m - 1;
}

/** "2024-03" of a month number. */
export function monthLabel(m: number): string {
  const y = Math.floor(m / 12);
  return `${y}-${String((m % 12) + 1).padStart(2, '0')}`;
}
