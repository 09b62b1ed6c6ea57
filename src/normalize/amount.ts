/**
 * Money amounts as exports write them: `1234567`, `1.234.567` (Vietnamese thousands), `1,234,567.5`,
 * `1.234.567,89`, `1 234 567`, `1'234'567.50`, `1.2E+07`, with a currency word or symbol on either side
 * and negatives as `-1200`, `(1200)` or `1200-`.
 *
 * The decimal mark is decided per column. Cells that settle it on their own (`1.234.567`, `2,5`,
 * `1,234.50`) vote; a cell with one separator followed by exactly three digits (`1.234`, `500,000`) is
 * ambiguous, is stored as thousands, and is divided by 1000 at the end if the column turns out to use
 * that separator as its decimal mark. When the votes disagree the majority wins and the cells written
 * the other way become blank and are reported, so no value is silently misread.
 */
import { GrowableFloat64, GrowableInt32 } from '../util/growable.js';
import { addProblem, MAX_PROBLEM_EXAMPLES, newProblems, type ValueProblems } from './problems.js';

export type AmountConvention = 'dot-decimal' | 'comma-decimal';

export interface AmountResult {
  /** NaN = blank or unreadable */
  values: Float64Array;
  convention: AmountConvention;
  /** for `inspect`, e.g. 'thousands ".", decimal "," (1.234.567,89)' */
  description: string;
  /** currencies written next to the numbers (`đ`, `VNĐ` and `₫` are all VND), most cells first */
  currencies: { code: string; cells: number }[];
  negatives: number;
  problems: ValueProblems;
}

/** Separator sides: the decimal mark a cell votes for, or the separator of an ambiguous cell. */
const DOT = 0;
const COMMA = 1;

/** How a cell was read by the slow path. */
const K_BAD = 0;
const K_PLAIN = 1; // no decimal-mark evidence (integer, space-grouped, scientific)
const K_VOTE = 2; // settles the decimal mark: `side`
const K_AMBIG = 3; // one separator + exactly 3 digits: stored as thousands, `side` is the separator
const K_BLANK = 4;

const CURRENCY = 'vnđ|vnd|đồng|dong|usd|us\\$|eur|chf|brl|r\\$|gbp|đ|₫|\\$|€|£';
const CURRENCY_PREFIX = new RegExp(`^(${CURRENCY})\\s*`, 'i');
const CURRENCY_SUFFIX = new RegExp(`\\s*(${CURRENCY})\\.?$`, 'i');
const NON_ASCII = /[^\x00-\x7f]/;

/** The ISO code of a currency word or symbol as CURRENCY matches it. */
const CURRENCY_CODES: Record<string, string> = {
  vnđ: 'VND', vnd: 'VND', đồng: 'VND', dong: 'VND', đ: 'VND', '₫': 'VND',
  usd: 'USD', us$: 'USD', $: 'USD', eur: 'EUR', '€': 'EUR', chf: 'CHF', brl: 'BRL', r$: 'BRL', gbp: 'GBP', '£': 'GBP',
};
const SCIENTIFIC = /^(\d*)(?:[.,](\d*))?[eE]([+-]?\d{1,3})$/;

function isGroupChar(c: number): boolean {
  // space, NBSP, figure space, thin space, narrow NBSP, apostrophe, right single quote
  return c === 0x20 || c === 0xa0 || c === 0x2007 || c === 0x2009 || c === 0x202f || c === 0x27 || c === 0x2019;
}

/** Thousands groups: the first 1–3 digits, every later one exactly 3. */
function validGroups(groups: string[], n: number): boolean {
  if (groups[0].length < 1 || groups[0].length > 3) return false;
  for (let i = 1; i < n; i++) if (groups[i].length !== 3) return false;
  return true;
}

function sideName(side: number): string {
  return side === DOT ? '.' : ',';
}

export class AmountColumn {
  private readonly values = new GrowableFloat64(4096);
  /** votes: row * 2 + decimal side, kept so the minority can be blanked */
  private readonly votes = new GrowableInt32(256);
  /** ambiguous cells: row * 2 + separator side */
  private readonly ambiguous = new GrowableInt32(256);
  private readonly voteCount = [0, 0];
  private readonly ambiguousCount = [0, 0];
  /** first few voting cells per side, to report them if their side loses */
  private readonly voteSamples: { line: number; raw: string }[][] = [[], []];
  private readonly problems = newProblems();
  /** ISO code → cells written with it */
  private readonly currencies = new Map<string, number>();
  private spaceGrouped = false;
  private apostropheGrouped = false;
  private rows = 0;

  // how the last cell was read (set by fast and parse)
  private kind = K_BAD;
  private side = DOT;
  /** grouping characters in the last cell: 0 none, 1 spaces, 2 apostrophes */
  private cellGrouping = 0;

  push(raw: string, line: number): void {
    const row = this.rows++;
    let v = this.fast(raw);
    if (v !== v) v = this.parse(raw);
    else if (this.kind === K_PLAIN) {
      this.values.push(v);
      return;
    }
    if (this.cellGrouping !== 0 && this.kind !== K_BAD) {
      if (this.cellGrouping === 1) this.spaceGrouped = true;
      else this.apostropheGrouped = true;
    }
    switch (this.kind) {
      case K_BLANK:
        this.values.push(NaN);
        return;
      case K_BAD:
        this.values.push(NaN);
        addProblem(this.problems, line, raw);
        return;
      case K_VOTE: {
        const side = this.side;
        this.voteCount[side]++;
        this.votes.push(row * 2 + side);
        const s = this.voteSamples[side];
        if (s.length < MAX_PROBLEM_EXAMPLES) s.push({ line, raw: raw.length > 40 ? raw.slice(0, 40) + '…' : raw });
        break;
      }
      case K_AMBIG:
        this.ambiguousCount[this.side]++;
        this.ambiguous.push(row * 2 + this.side);
        break;
    }
    this.values.push(v);
  }

  /**
   * Plain digits, or digits with one kind of separator (`1.234.567`, `1234,5`, `1.234`), up to 15 digits;
   * sets `kind` and `side` as `parse` would. NaN when the cell needs the full parser.
   */
  private fast(raw: string): number {
    const len = raw.length;
    this.cellGrouping = 0;
    if (len === 0 || len > 20) return NaN;
    let v = 0;
    let digits = 0;
    let sep = 0;
    let nSep = 0;
    let firstGroup = 0;
    let group = 0;
    for (let i = 0; i < len; i++) {
      const c = raw.charCodeAt(i);
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        v = v * 10 + d;
        digits++;
        group++;
      } else if (c === 46 || c === 44) {
        if (sep !== 0 && c !== sep) return NaN;
        sep = c;
        if (++nSep === 1) firstGroup = group;
        else if (group !== 3) return NaN;
        group = 0;
      } else return NaN;
    }
    if (digits > 15 || digits === 0) return NaN;
    if (nSep === 0) {
      this.kind = K_PLAIN;
      return v;
    }
    const kSide = sep === 46 ? DOT : COMMA;
    if (nSep >= 2) {
      if (firstGroup < 1 || firstGroup > 3 || group !== 3) return NaN;
      this.kind = K_VOTE;
      this.side = kSide === DOT ? COMMA : DOT;
      return v;
    }
    if (group === 0) return NaN;
    if (group === 3 && firstGroup >= 1 && firstGroup <= 3 && raw.charCodeAt(0) !== 48) {
      this.kind = K_AMBIG;
      this.side = kSide;
      return v;
    }
    this.kind = K_VOTE;
    this.side = kSide;
    return v / 10 ** group;
  }

  /** Reads one cell that is not plain digits; sets `kind` (and `side` for votes and ambiguous cells). */
  private parse(raw: string): number {
    this.kind = K_BLANK;
    this.cellGrouping = 0;
    let s = raw.trim();
    if (s === '') return NaN;
    this.kind = K_BAD;
    if (NON_ASCII.test(s)) s = s.normalize('NFC');
    let neg = 0;
    for (let guard = 0; guard < 6 && s !== ''; guard++) {
      const before = s;
      if (s.charCodeAt(0) === 40 /* ( */ && s.charCodeAt(s.length - 1) === 41 /* ) */) {
        neg++;
        s = s.slice(1, -1).trim();
        if (s === '') break;
      }
      const c0 = s.charCodeAt(0);
      if (c0 === 45 /* - */ || c0 === 0x2212 /* − */) {
        neg++;
        s = s.slice(1).trim();
      } else if (c0 === 43 /* + */) {
        s = s.slice(1).trim();
      }
      if (s === '') break;
      const cl = s.charCodeAt(s.length - 1);
      if (cl === 45 || cl === 0x2212) {
        neg++;
        s = s.slice(0, -1).trim();
      }
      let m = CURRENCY_PREFIX.exec(s);
      if (m) {
        this.currency(m[1]);
        s = s.slice(m[0].length);
      }
      m = CURRENCY_SUFFIX.exec(s);
      if (m && m.index > 0) {
        this.currency(m[1]);
        s = s.slice(0, m.index).trim();
      }
      if (s === before) break;
    }
    if (neg > 1 || s === '') return NaN;
    const v = this.parseBody(s);
    if (this.kind === K_BAD) return NaN;
    return neg ? -v : v;
  }

  private currency(written: string): void {
    const code = CURRENCY_CODES[written.toLowerCase()] ?? written.toUpperCase();
    this.currencies.set(code, (this.currencies.get(code) ?? 0) + 1);
  }

  private parseBody(s: string): number {
    const first = s.charCodeAt(0);
    const last = s.charCodeAt(s.length - 1);
    if (!((first >= 48 && first <= 57) || first === 46 || first === 44)) return 0;
    if (!((last >= 48 && last <= 57) || last === 46 || last === 44)) return 0;
    if (s.indexOf('e') >= 0 || s.indexOf('E') >= 0) {
      const m = SCIENTIFIC.exec(s);
      if (!m || (m[1] === '' && (m[2] ?? '') === '')) return 0;
      this.kind = K_PLAIN;
      return Number(`${m[1] || '0'}.${m[2] ?? ''}e${m[3]}`);
    }
    const groups: string[] = [];
    const seps: number[] = []; // 46 '.', 44 ',', 32 grouping
    let start = 0;
    let nDot = 0;
    let nComma = 0;
    let nGroup = 0;
    let apostrophe = false;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) continue;
      let sep: number;
      if (c === 46) {
        sep = 46;
        nDot++;
      } else if (c === 44) {
        sep = 44;
        nComma++;
      } else if (isGroupChar(c)) {
        sep = 32;
        nGroup++;
        if (c === 0x27 || c === 0x2019) apostrophe = true;
      } else return 0;
      groups.push(s.slice(start, i));
      seps.push(sep);
      start = i + 1;
    }
    groups.push(s.slice(start));
    const n = seps.length;
    this.cellGrouping = nGroup === 0 ? 0 : apostrophe ? 2 : 1;
    if (n === 0) {
      this.kind = K_PLAIN;
      return Number(s);
    }
    const lastSep = seps[n - 1];
    if (lastSep === 32) {
      // `1 234 567`: grouping only
      if (nDot || nComma || !validGroups(groups, n + 1)) return 0;
      this.kind = K_PLAIN;
      return Number(groups.join(''));
    }
    if (nDot && nComma) {
      // `1.234.567,89` / `1,234,567.5`: the last separator is the decimal mark, once
      const dec = lastSep;
      const other = dec === 46 ? 44 : 46;
      if ((dec === 46 ? nDot : nComma) !== 1 || nGroup) return 0;
      for (let i = 0; i < n - 1; i++) if (seps[i] !== other) return 0;
      if (!validGroups(groups, n)) return 0;
      this.kind = K_VOTE;
      this.side = dec === 46 ? DOT : COMMA;
      return Number(`${groups.slice(0, n).join('')}.${groups[n]}`);
    }
    const kSide = nDot ? DOT : COMMA;
    const kCount = nDot || nComma;
    if (kCount >= 2) {
      // `1.234.567`: that separator groups thousands, so the other one is the decimal mark
      if (nGroup || !validGroups(groups, n + 1)) return 0;
      this.kind = K_VOTE;
      this.side = kSide === DOT ? COMMA : DOT;
      return Number(groups.join(''));
    }
    if (nGroup) {
      // `1 234,56`, `1'234'567.50`: spaces group, the single separator is the decimal mark
      if (!validGroups(groups, n)) return 0;
      this.kind = K_VOTE;
      this.side = kSide;
      return Number(`${groups.slice(0, n).join('')}.${groups[n]}`);
    }
    const before = groups[0];
    const after = groups[1];
    if (before === '' && after === '') return 0;
    if (after.length === 3 && before.length >= 1 && before.length <= 3 && before.charCodeAt(0) !== 48) {
      this.kind = K_AMBIG;
      this.side = kSide;
      return Number(before + after);
    }
    this.kind = K_VOTE;
    this.side = kSide;
    return Number(`${before || '0'}.${after}`);
  }

  finish(): AmountResult {
    const values = this.values.finish();
    const [dotVotes, commaVotes] = this.voteCount;
    const voted = dotVotes + commaVotes > 0;
    // Ties go to the Vietnamese convention (decimal comma).
    const decimal = dotVotes > commaVotes ? DOT : COMMA;
    let blanked = 0;
    const extra: { line: number; raw: string }[] = [];
    if (dotVotes > 0 && commaVotes > 0) {
      const loser = decimal === DOT ? COMMA : DOT;
      const votes = this.votes.finish();
      for (let i = 0; i < votes.length; i++) {
        const e = votes[i];
        if ((e & 1) === loser) values[e >>> 1] = NaN;
      }
      blanked = this.voteCount[loser];
      extra.push(...this.voteSamples[loser]);
    }
    if (voted) {
      const amb = this.ambiguous.finish();
      for (let i = 0; i < amb.length; i++) {
        const e = amb[i];
        if ((e & 1) === decimal) values[e >>> 1] /= 1000;
      }
    }
    const problems = this.mergeProblems(blanked, extra);

    let convention: AmountConvention;
    let description: string;
    const [ambDot, ambComma] = this.ambiguousCount;
    const comma = 'thousands ".", decimal "," (1.234.567,89)';
    const dot = 'thousands ",", decimal "." (1,234,567.89)';
    if (voted) {
      convention = decimal === DOT ? 'dot-decimal' : 'comma-decimal';
      description = decimal === DOT ? dot : comma;
      if (blanked) {
        description += `; ${blanked} cell${blanked === 1 ? '' : 's'} written with decimal "${sideName(1 - decimal)}" left blank`;
      }
    } else if (ambDot || ambComma) {
      convention = ambComma > ambDot ? 'dot-decimal' : 'comma-decimal';
      const seen = [ambDot ? '"."' : '', ambComma ? '","' : ''].filter(Boolean).join(' and ');
      description = `thousands ${seen}, no decimals seen (${ambComma > ambDot ? '1,234,567' : '1.234.567'})`;
    } else {
      convention = 'comma-decimal';
      description = 'plain numbers, no thousands or decimal separators (1234567)';
    }
    if (this.spaceGrouped) description += '; grouped by spaces';
    if (this.apostropheGrouped) description += "; grouped by apostrophes";
    const currencies = [...this.currencies].map(([code, cells]) => ({ code, cells })).sort((a, b) => b.cells - a.cells || (a.code < b.code ? -1 : 1));
    if (currencies.length === 1) description += `; currency in the cells: ${currencies[0].code}`;
    else if (currencies.length > 1) description += `; several currencies in the cells, read as they are (not converted): ${currencyList(currencies)}`;

    let negatives = 0;
    for (let i = 0; i < values.length; i++) if (values[i] < 0) negatives++;

    return {
      values,
      convention,
      description,
      currencies,
      negatives,
      problems,
    };
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

/** "VND ×2, USD ×2, EUR ×1" */
export function currencyList(currencies: { code: string; cells: number }[]): string {
  return currencies.map((c) => `${c.code} ×${c.cells.toLocaleString('en-US')}`).join(', ');
}
