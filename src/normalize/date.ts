/**
 * Dates and timestamps as exports write them: ISO `2024-03-05`, `2024-03-05T10:22:00+07:00`,
 * `05/03/2024`, `5/3/24`, `05-03-2024 10:22`, `5 Mar 2024`, `05-Mar-2024`, `Mar 5, 2024`,
 * `ngày 05 tháng 03 năm 2024`, `20240305`, and Excel serial numbers; times in 24 hours or with AM/PM
 * (`2:30 PM`, Vietnamese `2:30:00 CH`, `9:15 SA`).
 *
 * Values are epoch milliseconds of the wall-clock time as written (Date.UTC of the written parts); an
 * offset such as `+07:00` is ignored so the written calendar date is kept.
 *
 * Day/month order is decided per column: a cell whose first part is over 12 votes day-first, one whose
 * second part is over 12 votes month-first. Ambiguous cells are stored day-first (the Vietnamese
 * default) and swapped at the end if the column turns out month-first. When the votes disagree the
 * majority wins and the other cells become blank and are reported. `--date-order` overrides the data.
 */
import { GrowableFloat64, GrowableInt32 } from '../util/growable.js';
import { foldKey } from './fold.js';
import { addProblem, MAX_PROBLEM_EXAMPLES, newProblems, type ValueProblems } from './problems.js';

export type DateOrder = 'dmy' | 'mdy' | 'ymd';

export interface DateResult {
  /** epoch ms of the wall-clock time as written; NaN = blank or unreadable */
  values: Float64Array;
  order: DateOrder;
  /** formats seen, e.g. ['dd/mm/yyyy', 'yyyy-mm-dd hh:mm', 'excel-serial'] */
  formats: string[];
  decidedBy: 'data' | 'default' | 'option';
  problems: ValueProblems;
}

/** Excel (1900 date system) serial of 1970-01-01. */
const EXCEL_EPOCH = 25569;
const SERIAL_MIN = 20000;
const SERIAL_MAX = 80000;
const MIN_YEAR = 1900;
const MAX_YEAR = 2100;

const MONTHS: Record<string, number> = {
  jan: 1, january: 1, feb: 2, february: 2, mar: 3, march: 3, apr: 4, april: 4, may: 5, jun: 6, june: 6,
  jul: 7, july: 7, aug: 8, august: 8, sep: 9, sept: 9, september: 9, oct: 10, october: 10,
  nov: 11, november: 11, dec: 12, december: 12,
};

// time: 5 groups (hour, minute, second, fraction, am/pm: `am`, `p.m.`, or Vietnamese `SA` sáng / `CH` chiều);
// zone: 1 group
const TIME = '(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:[.,](\\d{1,9}))?)?(?:\\s*([ap]\\.?m\\.?|sa|ch))?';
const ZONE = '\\s*(z|[+-]\\d{2}(?::?\\d{2})?|(?:gmt|utc)(?:[+-]\\d{1,2}(?::?\\d{2})?)?)?';
const AFTER = `(?:(t|\\s+|,\\s*)${TIME})?${ZONE}$`;
const RE_YMD = new RegExp(`^(\\d{4})([-/.])(\\d{1,2})\\2(\\d{1,2})${AFTER}`, 'i');
const RE_NUM = new RegExp(`^(\\d{1,2})([-/.])(\\d{1,2})\\2(\\d{4}|\\d{2})${AFTER}`, 'i');
const RE_NAME_DMY = new RegExp(`^(\\d{1,2})(?:st|nd|rd|th)?(\\s+|-|/|\\.\\s*)([a-z]{3,9})\\.?(?:\\s+|-|/|,\\s*|\\.\\s*)(\\d{4}|\\d{2})${AFTER}`, 'i');
const RE_NAME_MDY = new RegExp(`^([a-z]{3,9})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${AFTER}`, 'i');
const RE_WEEKDAY = /^(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+/i;
const RE_TIME_FIRST = /^(\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d{1,9})?)?(?:\s*(?:[ap]\.?m\.?|sa|ch))?)\s+(\d.*)$/i;
const RE_NUMBER = /^\d{1,8}(?:[.,]\d+)?$/;
const RE_VIETNAMESE = /^(?:ngay_)?(\d{1,2})_thang_(\d{1,2})_nam_(\d{4})$/;

/** Placeholders for the first two parts of a numeric d/m cell in a recorded format, resolved at the end. */
const P1 = '\u0001';
const P2 = '\u0002';

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

function validDate(y: number, m: number, d: number): boolean {
  return y >= MIN_YEAR && y <= MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function fullYear(text: string): number {
  const y = +text;
  if (text.length !== 2) return y;
  return y < 70 ? 2000 + y : 1900 + y;
}

/** Milliseconds since midnight, or -1 when out of range. */
function timeOfDay(h: string, mi: string, s: string | undefined, frac: string | undefined, ap: string | undefined): number {
  let hh = +h;
  const mm = +mi;
  const ss = s ? +s : 0;
  if (ap) {
    if (hh < 1 || hh > 12) return -1;
    const c = ap.charCodeAt(0) | 32;
    hh = (hh % 12) + (c === 112 /* p */ || c === 99 /* c: chiều */ ? 12 : 0);
  }
  if (hh > 23 || mm > 59 || ss > 59) return -1;
  const ms = frac ? Math.min(999, Math.round(Number('0.' + frac) * 1000)) : 0;
  return ((hh * 60 + mm) * 60 + ss) * 1000 + ms;
}

/** Two decimal digits at i (or -1). */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

function four(s: string, i: number): number {
  const a = two(s, i);
  const b = two(s, i + 2);
  return a < 0 || b < 0 ? -1 : a * 100 + b;
}

/** Fast-path format codes (bit set): date kind × time kind. */
const FAST_FORMATS = ['yyyy-mm-dd', `${P1}/${P2}/yyyy`, `${P1}-${P2}-yyyy`, `${P1}.${P2}.yyyy`];
const FAST_TIMES = ['', ' hh:mm', ' hh:mm:ss', 'Thh:mm', 'Thh:mm:ss', 'Thh:mm:ssZ', 'Thh:mm:ss±hh:mm'];

const R_BLANK = 0;
const R_OK = 1;
const R_BAD = 2;

export class DateColumn {
  private readonly values = new GrowableFloat64(4096);
  /** numeric d/m cells whose reading depends on the column: row * 2 + (1 if read month-first) */
  private readonly dm = new GrowableInt32(256);
  private readonly votes = [0, 0]; // [day-first, month-first]
  private readonly voteSamples: { line: number; raw: string }[][] = [[], []];
  private numericAmbiguous = 0;
  private numericCells = 0;
  private yearFirstCells = 0;
  private readonly problems = newProblems();
  private readonly formats = new Set<string>();
  private fastSeen = 0;
  private rows = 0;
  private status = R_BLANK;
  private timeFirst = false;

  constructor(private readonly order?: DateOrder) {}

  push(raw: string, line: number): void {
    const row = this.rows++;
    const len = raw.length;
    if (len === 10 || len === 16 || len === 19 || len === 20 || len === 25) {
      const v = this.fast(raw, row, line);
      if (v === v) {
        this.values.push(v);
        return;
      }
    }
    const v = this.slow(raw, row, line);
    if (this.status === R_BAD) addProblem(this.problems, line, raw);
    this.values.push(v);
  }

  /** `yyyy-mm-dd` or `dd/mm/yyyy` (also `-` `.`), optionally followed by ` hh:mm[:ss]`; NaN when not that shape. */
  private fast(s: string, row: number, line: number): number {
    let t = 0;
    let timeKind = 0;
    let len = s.length;
    if (len > 10) {
      const c = s.charCodeAt(10);
      if ((c !== 32 && c !== 84) || s.charCodeAt(13) !== 58) return NaN;
      let zone = 0;
      if (len === 20) {
        if (c !== 84 || s.charCodeAt(19) !== 90 /* Z */) return NaN;
        zone = 5;
      } else if (len === 25) {
        const sign = s.charCodeAt(19);
        if (c !== 84 || (sign !== 43 && sign !== 45) || s.charCodeAt(22) !== 58 || two(s, 20) < 0 || two(s, 23) < 0) return NaN;
        zone = 6;
      }
      if (zone) len = 19;
      const h = two(s, 11);
      const mi = two(s, 14);
      let sec = 0;
      if (len === 19) {
        if (s.charCodeAt(16) !== 58) return NaN;
        sec = two(s, 17);
      }
      if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return NaN;
      t = ((h * 60 + mi) * 60 + sec) * 1000;
      timeKind = zone || (len === 19 ? 2 : 1) + (c === 84 ? 2 : 0);
    }
    const c4 = s.charCodeAt(4);
    if (c4 === 45 && s.charCodeAt(7) === 45) {
      const y = four(s, 0);
      const m = two(s, 5);
      const d = two(s, 8);
      if (!validDate(y, m, d)) return NaN;
      this.yearFirstCells++;
      this.fastSeen |= 1 << (timeKind * 4);
      return Date.UTC(y, m - 1, d) + t;
    }
    const c2 = s.charCodeAt(2);
    if (c2 === s.charCodeAt(5) && (c2 === 47 || c2 === 45 || c2 === 46)) {
      const a = two(s, 0);
      const b = two(s, 3);
      const y = four(s, 6);
      if (a < 0 || b < 0 || y < 0) return NaN;
      const v = this.dayMonth(a, b, y, row, line, s);
      if (v !== v) return NaN;
      this.fastSeen |= 1 << (timeKind * 4 + (c2 === 47 ? 1 : c2 === 45 ? 2 : 3));
      return v + t;
    }
    return NaN;
  }

  /**
   * A numeric cell with a 4-digit (or expanded 2-digit) year last: reads the first two parts by the
   * option or the votes, records what the end of the column needs. NaN (and nothing recorded) if invalid.
   */
  private dayMonth(a: number, b: number, y: number, row: number, line: number, raw: string): number {
    const order = this.order;
    if (order === 'dmy' || order === 'mdy') {
      const d = order === 'dmy' ? a : b;
      const m = order === 'dmy' ? b : a;
      if (!validDate(y, m, d)) return NaN;
      this.numericCells++;
      return Date.UTC(y, m - 1, d);
    }
    let side: number; // 0 day-first vote, 1 month-first vote, 2 ambiguous
    if (a > 12) {
      if (!validDate(y, b, a)) return NaN;
      side = 0;
    } else if (b > 12) {
      if (!validDate(y, a, b)) return NaN;
      side = 1;
    } else {
      if (!validDate(y, b, a)) return NaN;
      side = 2;
    }
    this.numericCells++;
    if (side === 2) {
      this.numericAmbiguous++;
      if (a !== b) this.dm.push(row * 2);
      return Date.UTC(y, b - 1, a);
    }
    this.votes[side]++;
    this.dm.push(row * 2 + side);
    const samples = this.voteSamples[side];
    if (samples.length < MAX_PROBLEM_EXAMPLES) samples.push({ line, raw: raw.length > 40 ? raw.slice(0, 40) + '…' : raw });
    return side === 0 ? Date.UTC(y, b - 1, a) : Date.UTC(y, a - 1, b);
  }

  private slow(raw: string, row: number, line: number): number {
    let s = raw.trim();
    if (s === '') {
      this.status = R_BLANK;
      return NaN;
    }
    this.status = R_BAD;
    const tf = RE_TIME_FIRST.exec(s);
    this.timeFirst = tf !== null;
    if (tf) s = `${tf[2]} ${tf[1]}`;
    const w = RE_WEEKDAY.exec(s);
    if (w) s = s.slice(w[0].length);

    let m = RE_YMD.exec(s);
    if (m) {
      const y = +m[1];
      const mo = +m[3];
      const d = +m[4];
      if (!validDate(y, mo, d)) return NaN;
      const t = this.time(m, 6);
      if (t < 0) return NaN;
      this.yearFirstCells++;
      this.addFormat(`yyyy${m[2]}mm${m[2]}dd`, this.timeFormat(m, 5));
      this.status = R_OK;
      return Date.UTC(y, mo - 1, d) + t;
    }
    m = RE_NUM.exec(s);
    if (m) {
      const a = +m[1];
      const b = +m[3];
      const t = this.time(m, 6);
      if (t < 0) return NaN;
      const sep = m[2];
      let v: number;
      let fmt: string;
      if (m[4].length === 2 && this.order === 'ymd') {
        // yy/mm/dd
        const y = fullYear(m[1]);
        const d = +m[4];
        if (!validDate(y, b, d)) return NaN;
        v = Date.UTC(y, b - 1, d);
        fmt = `yy${sep}mm${sep}dd`;
        this.yearFirstCells++;
      } else {
        v = this.dayMonth(a, b, fullYear(m[4]), row, line, raw);
        if (v !== v) return NaN;
        fmt = `${P1}${sep}${P2}${sep}${m[4].length === 2 ? 'yy' : 'yyyy'}`;
      }
      this.addFormat(fmt, this.timeFormat(m, 5));
      this.status = R_OK;
      return v + t;
    }
    m = RE_NAME_DMY.exec(s);
    if (m) {
      const mo = MONTHS[m[3].toLowerCase()];
      if (mo === undefined) return NaN;
      const y = fullYear(m[4]);
      const d = +m[1];
      if (!validDate(y, mo, d)) return NaN;
      const t = this.time(m, 6);
      if (t < 0) return NaN;
      const sep = m[2].trim() === '' ? ' ' : m[2].trim();
      this.addFormat(`dd${sep}mmm${sep}${m[4].length === 2 ? 'yy' : 'yyyy'}`, this.timeFormat(m, 5));
      this.status = R_OK;
      return Date.UTC(y, mo - 1, d) + t;
    }
    m = RE_NAME_MDY.exec(s);
    if (m) {
      const mo = MONTHS[m[1].toLowerCase()];
      if (mo === undefined) return NaN;
      const y = +m[3];
      const d = +m[2];
      if (!validDate(y, mo, d)) return NaN;
      const t = this.time(m, 5);
      if (t < 0) return NaN;
      this.addFormat('mmm dd, yyyy', this.timeFormat(m, 4));
      this.status = R_OK;
      return Date.UTC(y, mo - 1, d) + t;
    }
    if (this.timeFirst) return NaN;
    const c0 = s.charCodeAt(0);
    if (c0 >= 48 && c0 <= 57 && RE_NUMBER.test(s)) {
      if (s.length === 8 && s.indexOf('.') < 0 && s.indexOf(',') < 0) {
        const y = four(s, 0);
        const mo = two(s, 4);
        const d = two(s, 6);
        if (!validDate(y, mo, d)) return NaN;
        this.yearFirstCells++;
        this.formats.add('yyyymmdd');
        this.status = R_OK;
        return Date.UTC(y, mo - 1, d);
      }
      const serial = Number(s.replace(',', '.'));
      if (serial < SERIAL_MIN || serial > SERIAL_MAX) return NaN;
      const v = Math.round((serial - EXCEL_EPOCH) * 86400) * 1000;
      if (new Date(v).getUTCFullYear() > MAX_YEAR) return NaN;
      this.formats.add('excel-serial');
      this.status = R_OK;
      return v;
    }
    if (s.length >= 12 && s.length <= 60) {
      const vn = RE_VIETNAMESE.exec(foldKey(s));
      if (vn) {
        const d = +vn[1];
        const mo = +vn[2];
        const y = +vn[3];
        if (!validDate(y, mo, d)) return NaN;
        this.formats.add('ngày dd tháng mm năm yyyy');
        this.status = R_OK;
        return Date.UTC(y, mo - 1, d);
      }
    }
    return NaN;
  }

  private addFormat(date: string, time: string): void {
    this.formats.add(this.timeFirst && time ? `${time.trim()} ${date}` : date + time);
  }

  /** Time of day from the 5 time groups starting at `at` (0 when absent), -1 when out of range. */
  private time(m: RegExpExecArray, at: number): number {
    if (m[at] === undefined) return 0;
    return timeOfDay(m[at], m[at + 1], m[at + 2], m[at + 3], m[at + 4]);
  }

  private timeFormat(m: RegExpExecArray, at: number): string {
    let f = '';
    if (m[at + 1] !== undefined) {
      f += (m[at] === 'T' || m[at] === 't' ? 'T' : ' ') + 'hh:mm';
      if (m[at + 3] !== undefined) f += ':ss';
      if (m[at + 4] !== undefined) f += '.sss';
      if (m[at + 5] !== undefined) f += ' am/pm';
    }
    const zone = m[at + 6];
    if (zone !== undefined) f += zone === 'z' || zone === 'Z' ? 'Z' : '±hh:mm';
    return f;
  }

  finish(): DateResult {
    const values = this.values.finish();
    const [dmyVotes, mdyVotes] = this.votes;
    let order: DateOrder;
    let decidedBy: DateResult['decidedBy'];
    let dmOrder: 'dmy' | 'mdy' = 'dmy';
    let blanked = 0;
    let losers: { line: number; raw: string }[] = [];
    if (this.order === 'dmy' || this.order === 'mdy') {
      order = dmOrder = this.order;
      decidedBy = 'option';
    } else {
      // Ties go to the Vietnamese default, day first.
      dmOrder = mdyVotes > dmyVotes ? 'mdy' : 'dmy';
      const dm = this.dm.finish();
      if (dmOrder === 'dmy') {
        if (mdyVotes > 0) {
          for (let i = 0; i < dm.length; i++) if (dm[i] & 1) values[dm[i] >>> 1] = NaN;
          blanked = mdyVotes;
          losers = this.voteSamples[1];
        }
      } else {
        for (let i = 0; i < dm.length; i++) {
          const e = dm[i];
          if (e & 1) continue;
          const r = e >>> 1;
          const v = values[r];
          const date = new Date(v);
          const y = date.getUTCFullYear();
          const mo = date.getUTCMonth() + 1;
          const d = date.getUTCDate();
          if (d > 12) {
            values[r] = NaN;
          } else {
            const midnight = Date.UTC(y, mo - 1, d);
            values[r] = Date.UTC(y, d - 1, mo) + (v - midnight);
          }
        }
        blanked = dmyVotes;
        losers = this.voteSamples[0];
      }
      if (this.order === 'ymd') {
        order = 'ymd';
        decidedBy = 'option';
      } else if (dmyVotes + mdyVotes > 0) {
        order = dmOrder;
        decidedBy = 'data';
      } else if (this.numericCells > 0) {
        order = 'dmy';
        decidedBy = 'default';
      } else if (this.yearFirstCells > 0) {
        order = 'ymd';
        decidedBy = 'data';
      } else {
        order = 'dmy';
        decidedBy = 'default';
      }
    }

    const first = dmOrder === 'dmy' ? 'dd' : 'mm';
    const second = dmOrder === 'dmy' ? 'mm' : 'dd';
    const formats = new Set<string>();
    for (let k = 0; k < FAST_TIMES.length; k++) {
      for (let f = 0; f < FAST_FORMATS.length; f++) {
        if (this.fastSeen & (1 << (k * 4 + f))) formats.add(FAST_FORMATS[f] + FAST_TIMES[k]);
      }
    }
    for (const f of this.formats) formats.add(f);
    const resolved = [...formats].map((f) => f.replace(P1, first).replace(P2, second)).sort();

    return { values, order, formats: [...new Set(resolved)], decidedBy, problems: this.mergeProblems(blanked, losers) };
  }

  private mergeProblems(blanked: number, extra: { line: number; raw: string }[]): ValueProblems {
    if (!blanked) return this.problems;
    const p = this.problems;
    const all = p.lines.map((line, i) => ({ line, raw: p.samples[i] })).concat(extra);
    all.sort((a, b) => a.line - b.line);
    const keep = all.slice(0, MAX_PROBLEM_EXAMPLES);
    return { count: p.count + blanked, lines: keep.map((e) => e.line), samples: keep.map((e) => e.raw) };
  }
}
