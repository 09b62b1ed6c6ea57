/**
 * Yes/no cells: `true/false`, `1/0`, `yes/no`, `x`/blank, `có/không`, `trúng thầu` (won), `✓`, `-`.
 * A blank cell is blank (unknown), not false; the detectors decide what blank means for them.
 */
import { GrowableInt8 } from '../util/growable.js';
import { foldKey } from './fold.js';
import { addProblem, newProblems, type ValueProblems } from './problems.js';

const TRUE_WORDS = [
  'true', '1', '1_0', 'yes', 'y', 'x', 't', 'co', 'dung', 'trung_thau', 'trung', 'da_trung_thau',
  'won', 'win', 'winner', 'awarded', 'selected',
];
const FALSE_WORDS = [
  'false', '0', '0_0', 'no', 'n', 'f', 'khong', 'sai', 'khong_trung_thau', 'khong_trung', 'truot', 'truot_thau',
  'lost', 'lose', 'loser', 'not_awarded', 'not_selected',
];
/** Marks that fold to nothing. */
const TRUE_MARKS = new Set(['✓', '✔', '☑', '√', '✅']);
const FALSE_MARKS = new Set(['-', '–', '—', '✗', '✘', '☐']);

const WORDS = new Map<string, 1 | 0>();
for (const w of TRUE_WORDS) WORDS.set(w, 1);
for (const w of FALSE_WORDS) WORDS.set(w, 0);

/** 1 true, 0 false, -1 blank, -2 unreadable. */
export function parseBool(raw: string): 1 | 0 | -1 | -2 {
  if (raw.length === 1) {
    const c = raw.charCodeAt(0);
    if (c === 49) return 1; // '1'
    if (c === 48) return 0; // '0'
  }
  const s = raw.trim();
  if (s === '') return -1;
  if (TRUE_MARKS.has(s)) return 1;
  if (FALSE_MARKS.has(s)) return 0;
  const v = WORDS.get(foldKey(s));
  return v === undefined ? -2 : v;
}

export interface BoolResult {
  /** 1 true, 0 false, -1 blank or unreadable */
  values: Int8Array;
  problems: ValueProblems;
}

/** Distinct raw spellings remembered per column; yes/no columns have a handful. */
const CACHE_LIMIT = 1024;

export class BoolColumn {
  private readonly values = new GrowableInt8(4096);
  private readonly cache = new Map<string, 1 | 0 | -1 | -2>();
  private readonly problems = newProblems();

  push(raw: string, line: number): void {
    let v = this.cache.get(raw);
    if (v === undefined) {
      v = parseBool(raw);
      if (this.cache.size < CACHE_LIMIT) this.cache.set(raw, v);
    }
    if (v === -2) {
      addProblem(this.problems, line, raw);
      v = -1;
    }
    this.values.push(v);
  }

  finish(): BoolResult {
    return { values: this.values.finish(), problems: this.problems };
  }
}
