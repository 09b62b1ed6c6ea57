/**
 * Bid-price screens for one tender (DETECTORS.md §2): pure functions over the tender's valid bids sorted
 * ascending, b1 ≤ … ≤ bn. Each screen is NaN when the tender has too few bids for it.
 *
 * Collusive direction (the textbook one; bid-screens measures which of them carry signal):
 * CV, SPD, MAD (median absolute deviation / median) low; DIFFP, RD, RDNOR, RDALT high; SKEW negative; KURT high.
 *
 * Subgroup screens (Wallimann, Imhof & Huber 2022): the same screens over subsets of 3 and 4 bids, keeping
 * the most collusive subset (the lowest CV), which finds a partial cartel hidden among honest bidders.
 * Work per tender is bounded: every subset when there are at most `SUBSET_ALL_MAX` bids, else the
 * consecutive windows of the sorted bids (the tightest subsets are nearly always consecutive).
 *
 * @example
 *   screens([100, 101, 102, 110]).cv   // 0.0444…
 */

export const SCREEN_NAMES = ['cv', 'spd', 'diffp', 'rd', 'rdnor', 'rdalt', 'skew', 'kurt', 'mad'] as const;
export type ScreenName = (typeof SCREEN_NAMES)[number];
export type Screens = Record<ScreenName, number>;

/** +1: a high value is collusive; −1: a low value is. */
export const DIRECTION: Record<ScreenName, 1 | -1> = { cv: -1, spd: -1, diffp: 1, rd: 1, rdnor: 1, rdalt: 1, skew: -1, kurt: 1, mad: -1 };

/** Stand-in for a ratio with a zero denominator and a positive numerator (RD, RDALT with tied losers). */
export const RATIO_CAP = 1e6;

/** Subsets are enumerated in full up to this many bids; beyond, consecutive windows only. */
export const SUBSET_ALL_MAX = 10;

export function mean(b: ArrayLike<number>, from = 0, to = b.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += b[i];
  return s / (to - from);
}

/** Sample standard deviation (n − 1). NaN for fewer than 2 values. */
export function sd(b: ArrayLike<number>, from = 0, to = b.length): number {
  const n = to - from;
  if (n < 2) return NaN;
  const m = mean(b, from, to);
  let ss = 0;
  for (let i = from; i < to; i++) ss += (b[i] - m) * (b[i] - m);
  return Math.sqrt(ss / (n - 1));
}

function ratio(num: number, den: number): number {
  if (den > 0) return num / den;
  return num > 0 ? RATIO_CAP : 0;
}

/** Median of values sorted ascending. */
function medianSorted(b: ArrayLike<number>): number {
  const n = b.length;
  return n % 2 ? b[(n - 1) >> 1] : (b[n / 2 - 1] + b[n / 2]) / 2;
}

/**
 * Robust dispersion: median |bi − median| / median, for bids sorted ascending. Unlike CV it ignores how far
 * one outlying bid lies, so a tight group with one honest outsider still reads as tight.
 */
export function relativeMad(b: ArrayLike<number>): number {
  const n = b.length;
  if (n < 3) return NaN;
  const med = medianSorted(b);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(b[i] - med);
  dev.sort();
  return med > 0 ? medianSorted(dev) / med : NaN;
}

/** Every screen for bids sorted ascending (all > 0). */
export function screens(b: ArrayLike<number>): Screens {
  const n = b.length;
  const out: Screens = { cv: NaN, spd: NaN, diffp: NaN, rd: NaN, rdnor: NaN, rdalt: NaN, skew: NaN, kurt: NaN, mad: NaN };
  if (n < 2) return out;
  const b1 = b[0];
  const b2 = b[1];
  const bn = b[n - 1];
  const gap = b2 - b1;
  out.diffp = gap / b1;
  if (n < 3) return out;
  const mu = mean(b);
  const s = sd(b);
  out.cv = s / mu;
  out.spd = (bn - b1) / b1;
  out.mad = relativeMad(b);
  out.rd = ratio(gap, sd(b, 1));
  out.rdnor = ratio((n - 1) * gap, bn - b1);
  if (n >= 4) out.rdalt = ratio((n - 2) * gap, bn - b2);
  let m3 = 0;
  let m4 = 0;
  if (s > 0) {
    for (let i = 0; i < n; i++) {
      const z = (b[i] - mu) / s;
      m3 += z * z * z;
      m4 += z * z * z * z;
    }
  }
  out.skew = (n / ((n - 1) * (n - 2))) * m3;
  if (n >= 4) out.kurt = s > 0 ? ((n * (n + 1)) / ((n - 1) * (n - 2) * (n - 3))) * m4 - (3 * (n - 1) ** 2) / ((n - 2) * (n - 3)) : 0;
  return out;
}

/** The most collusive subset of `k` bids: its positions in the sorted bids and its CV and SPD. */
export interface Subgroup {
  k: number;
  /** positions in the sorted bids, ascending */
  idx: number[];
  cv: number;
  spd: number;
}

/** CV of the bids at positions idx[0..k) (two-pass, as `sd` / `mean`). */
function cvAt(b: ArrayLike<number>, idx: Int32Array, k: number): number {
  let m = 0;
  for (let j = 0; j < k; j++) m += b[idx[j]];
  m /= k;
  let ss = 0;
  for (let j = 0; j < k; j++) {
    const d = b[idx[j]] - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (k - 1)) / m;
}

/**
 * The subset of `k` bids with the lowest CV (ties: the first in lexicographic order of positions), or
 * undefined when there are fewer than `k` bids. Every subset when n ≤ SUBSET_ALL_MAX, else consecutive
 * windows: at most C(10, 4) = 210 subsets or n − k + 1 windows per tender.
 */
export function tightestSubgroup(b: ArrayLike<number>, k: number): Subgroup | undefined {
  const n = b.length;
  if (n < k || k < 2) return undefined;
  const idx = new Int32Array(k);
  const best = new Int32Array(k);
  let bestCv = Infinity;
  if (n <= SUBSET_ALL_MAX) {
    for (let i = 0; i < k; i++) idx[i] = i;
    for (;;) {
      const c = cvAt(b, idx, k);
      if (c < bestCv) {
        bestCv = c;
        best.set(idx);
      }
      let i = k - 1;
      while (i >= 0 && idx[i] === n - k + i) i--;
      if (i < 0) break;
      idx[i]++;
      for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
    }
  } else {
    for (let s = 0; s + k <= n; s++) {
      for (let i = 0; i < k; i++) idx[i] = s + i;
      const c = cvAt(b, idx, k);
      if (c < bestCv) {
        bestCv = c;
        best.set(idx);
      }
    }
  }
  return { k, idx: Array.from(best), cv: bestCv, spd: (b[best[k - 1]] - b[best[0]]) / b[best[0]] };
}

/** Sort a copy ascending (numeric). */
export function sortedBids(prices: ArrayLike<number>): Float64Array {
  return Float64Array.from(prices).sort();
}
