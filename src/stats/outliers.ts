/**
 * Robust outlier helpers: median and MAD, Tukey fences, binomial and Poisson tails. Fences are read from a
 * quantile sketch (src/stats/quantiles.ts), so a frozen baseline and the data itself give the same cut-offs.
 */
import { quantile, type Sketch } from './quantiles.js';

/** Median of the non-NaN values (NaN when none). */
export function median(values: ArrayLike<number>): number {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) v.push(values[i]);
  if (!v.length) return NaN;
  v.sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

/** Median absolute deviation from the median (unscaled). */
export function mad(values: ArrayLike<number>, med = median(values)): number {
  const d: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) d.push(Math.abs(values[i] - med));
  return median(d);
}

export interface Fences {
  q1: number;
  median: number;
  q3: number;
  /** the interquartile range actually used (after the floor) */
  iqr: number;
  /** q3 + k · iqr */
  upper: number;
  /** q1 − k · iqr */
  lower: number;
  k: number;
  n: number;
}

/**
 * Tukey fences from a sketch: upper = Q3 + k·IQR, lower = Q1 − k·IQR. `floor` is the smallest IQR used,
 * in the units of the values (for shares, e.g. 0.05), so that a distribution with IQR 0 still has a fence
 * above its bulk rather than at it.
 */
export function fencesOf(s: Sketch, k = 1.5, floor = 0): Fences {
  const q1 = quantile(s, 0.25);
  const q3 = quantile(s, 0.75);
  const iqr = Math.max(q3 - q1, floor);
  return { q1, median: quantile(s, 0.5), q3, iqr, upper: q3 + k * iqr, lower: q1 - k * iqr, k, n: s.n };
}

/** How many IQRs x lies above Q3 (negative below it); the fence is at k. */
export function iqrsAboveQ3(x: number, f: Fences): number {
  return f.iqr > 0 ? (x - f.q3) / f.iqr : x > f.q3 ? Infinity : 0;
}

/** Fences rounded for a report's `cutoffs`. */
export function fenceCutoffs(prefix: string, f: Fences, digits = 4): Record<string, number> {
  const r = (x: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  return { [`${prefix}.q1`]: r(f.q1), [`${prefix}.median`]: r(f.median), [`${prefix}.q3`]: r(f.q3), [`${prefix}.upperFence`]: r(f.upper), [`${prefix}.n`]: f.n };
}

/** A sketch from a reference object when it has the right shape, else undefined. */
export function sketchFrom(ref: unknown, key: string): Sketch | undefined {
  const s = (ref as Record<string, unknown> | undefined)?.[key] as Sketch | undefined;
  return s && Array.isArray(s.q) && typeof s.n === 'number' ? s : undefined;
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function logFactorial(n: number): number {
  // exact sum for small n, Stirling with two correction terms beyond
  if (n < 64) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n) - 1 / (360 * n ** 3);
}

/**
 * Σ_{i from k, stepping by `dir`} of the Binomial(n, p) probabilities, by the ratio of successive terms,
 * stopping once the terms no longer matter (they fall monotonically away from the mode).
 */
function binomialSum(k: number, n: number, p: number, dir: 1 | -1): number {
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  let term = Math.exp(logChoose(n, k) + k * lp + (n - k) * lq);
  let s = 0;
  const odds = p / (1 - p);
  for (let i = k; i >= 0 && i <= n; i += dir) {
    s += term;
    const pastMode = dir > 0 ? i >= n * p : i <= n * p;
    if (pastMode && term < s * 1e-17) break;
    term = dir > 0 ? (term * (n - i) * odds) / (i + 1) : (term * i) / ((n - i + 1) * odds);
  }
  return Math.min(1, s);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  // the tail away from the mode is summed directly; the other side as the complement
  if (k > n * p) return binomialSum(k, n, p, 1);
  return Math.max(0, 1 - binomialSum(k - 1, n, p, -1));
}

/** P(X ≤ k) for X ~ Poisson(λ). */
export function poissonLowerTail(k: number, lambda: number): number {
  if (k < 0) return 0;
  let term = Math.exp(-lambda);
  let s = term;
  for (let i = 1; i <= k; i++) {
    term *= lambda / i;
    s += term;
  }
  return Math.min(1, s);
}

/** −log10 of a probability, capped at 300 (so evidence stays finite). */
export function surprise(p: number): number {
  return p <= 0 ? 300 : Math.min(300, -Math.log10(p));
}

/**
 * Fisher's combination of independent p-values: P(χ²(2k) ≥ −2 Σ ln p_i), in closed form for even
 * degrees of freedom (e^{−x/2} Σ_{i<k} (x/2)^i / i!).
 *
 * @example fisherCombined([0.05, 0.05]) // ≈ 0.0175
 */
export function fisherCombined(ps: readonly number[]): number {
  if (!ps.length) return 1;
  let half = 0;
  for (const p of ps) half -= Math.log(Math.max(p, 1e-300));
  let term = 1;
  let s = 1;
  for (let i = 1; i < ps.length; i++) {
    term *= half / i;
    s += term;
  }
  return Math.min(1, Math.exp(-half + Math.log(s)));
}
