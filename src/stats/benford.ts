/**
 * Benford's law tests on a list of amounts (Nigrini, "Benford's Law", 2012): the expected first-digit and
 * first-two-digit proportions, the mean absolute deviation (MAD) with Nigrini's conformity classes, the
 * chi-square statistic against the FIXED Benford distribution (no parameter is estimated, so the degrees
 * of freedom are 8 and 89), and a Z statistic per digit with the continuity correction.
 *
 * @example
 * const t = benfordTest([123, 45.6, 1_000_000, 1980], 'first');
 * t.mad; t.conformity; t.chi2; t.p; t.worst[0].digit;
 */

export type DigitTest = 'first' | 'firstTwo';

export type Conformity = 'close' | 'acceptable' | 'marginal' | 'nonconformity';

/** Nigrini's MAD limits: up to [0] close, [1] acceptable, [2] marginal, beyond nonconformity. */
export const MAD_LIMITS: Record<DigitTest, readonly [number, number, number]> = {
  first: [0.006, 0.012, 0.015],
  firstTwo: [0.0012, 0.0018, 0.0022],
};

/** The smallest and largest digit (group) of a test: 1–9 and 10–99. */
export function digitRange(test: DigitTest): [number, number] {
  return test === 'first' ? [1, 9] : [10, 99];
}

/** Benford's expected proportion of leading digit(s) d: log10(1 + 1/d). */
export function benfordP(d: number): number {
  return Math.log10(1 + 1 / d);
}

const EXPECTED: Record<DigitTest, Float64Array> = {
  first: Float64Array.from({ length: 10 }, (_, d) => (d >= 1 ? benfordP(d) : 0)),
  firstTwo: Float64Array.from({ length: 100 }, (_, d) => (d >= 10 ? benfordP(d) : 0)),
};

/**
 * The first one or two significant digits of |x| (1–9 or 10–99), or 0 when x is 0, not finite, or (for
 * the two-digit test) below 10 in absolute value, as Nigrini excludes amounts under 10.
 */
export function leadingDigits(x: number, test: DigitTest): number {
  let v = Math.abs(x);
  if (!(v > 0) || !Number.isFinite(v)) return 0;
  if (test === 'firstTwo' && v < 10) return 0;
  const e = Math.floor(Math.log10(v));
  // scale into [10, 100) for two digits or [1, 10) for one; the epsilon guards 0.3 * 10 = 2.9999…
  v = v / 10 ** (e - (test === 'firstTwo' ? 1 : 0));
  let d = Math.floor(v + 1e-9);
  const [lo, hi] = digitRange(test);
  if (d < lo) d = lo;
  if (d > hi) d = test === 'first' ? (v >= 9.5 ? 1 : 9) : v >= 99.5 ? 10 : 99;
  return d;
}

/** 10 ** k for every exponent of a finite double (k = −325 … 308), as `10 ** k` computes it: POW10[k + POW10_ZERO]. */
const POW10_ZERO = 325;
const POW10 = Float64Array.from({ length: POW10_ZERO + 310 }, (_, i) => 10 ** (i - POW10_ZERO));

/**
 * Both tests' leading digits of x at once, as `first | firstTwo << 8`: the same values as
 * leadingDigits(x, 'first') and leadingDigits(x, 'firstTwo') (the same arithmetic), with one logarithm.
 */
export function bothLeadingDigits(x: number): number {
  const v = Math.abs(x);
  if (!(v > 0) || !Number.isFinite(v)) return 0;
  const e = Math.floor(Math.log10(v));
  const v1 = v / POW10[e + POW10_ZERO];
  let d1 = Math.floor(v1 + 1e-9);
  if (d1 < 1) d1 = 1;
  if (d1 > 9) d1 = v1 >= 9.5 ? 1 : 9;
  if (v < 10) return d1;
  const v2 = v / POW10[e - 1 + POW10_ZERO];
  let d2 = Math.floor(v2 + 1e-9);
  if (d2 < 10) d2 = 10;
  if (d2 > 99) d2 = v2 >= 99.5 ? 10 : 99;
  return d1 | (d2 << 8);
}

/** Digit counts of `values` for one test: counts[d] for d in the test's range; n = digits counted. */
export function digitCounts(values: ArrayLike<number>, test: DigitTest): { counts: Float64Array; n: number } {
  const counts = new Float64Array(test === 'first' ? 10 : 100);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const d = leadingDigits(values[i], test);
    if (d > 0) {
      counts[d]++;
      n++;
    }
  }
  return { counts, n };
}

export interface DigitZ {
  digit: number;
  /** actual and expected proportion */
  ap: number;
  ep: number;
  z: number;
}

export interface BenfordResult {
  test: DigitTest;
  n: number;
  mad: number;
  conformity: Conformity;
  /** the MAD expected from sampling noise alone for this n when the data do follow Benford */
  expectedMad: number;
  chi2: number;
  df: number;
  /** upper-tail p-value of chi2 with df degrees of freedom */
  p: number;
  /** digits sorted by Z, largest first (at most 5) */
  worst: DigitZ[];
}

/** Nigrini's conformity class of a MAD for a test. */
export function conformityOf(mad: number, test: DigitTest): Conformity {
  const [a, b, c] = MAD_LIMITS[test];
  return mad <= a ? 'close' : mad <= b ? 'acceptable' : mad <= c ? 'marginal' : 'nonconformity';
}

/** Z = (|AP − EP| − 1/(2N)) / sqrt(EP(1 − EP)/N), the continuity term dropped when it exceeds |AP − EP|. */
export function digitZ(ap: number, ep: number, n: number): number {
  const diff = Math.abs(ap - ep);
  const cc = 1 / (2 * n);
  return (cc < diff ? diff - cc : diff) / Math.sqrt((ep * (1 - ep)) / n);
}

/** E|AP − EP| summed over digits under the null: MAD expected from sampling noise, sqrt(2/π) Σ sd / k. */
export function expectedMad(test: DigitTest, n: number): number {
  const [lo, hi] = digitRange(test);
  const ep = EXPECTED[test];
  let s = 0;
  for (let d = lo; d <= hi; d++) s += Math.sqrt((ep[d] * (1 - ep[d])) / n);
  return (Math.sqrt(2 / Math.PI) * s) / (hi - lo + 1);
}

/** The full test from digit counts (see digitCounts). */
export function benfordFromCounts(counts: ArrayLike<number>, test: DigitTest): BenfordResult {
  const [lo, hi] = digitRange(test);
  const ep = EXPECTED[test];
  let n = 0;
  for (let d = lo; d <= hi; d++) n += counts[d];
  const k = hi - lo + 1;
  if (n === 0) return { test, n, mad: NaN, conformity: 'close', expectedMad: NaN, chi2: NaN, df: k - 1, p: NaN, worst: [] };
  let madSum = 0;
  let chi2 = 0;
  const z = new Float64Array(hi + 1);
  for (let d = lo; d <= hi; d++) {
    const ap = counts[d] / n;
    madSum += Math.abs(ap - ep[d]);
    const e = n * ep[d];
    chi2 += ((counts[d] - e) * (counts[d] - e)) / e;
    z[d] = digitZ(ap, ep[d], n);
  }
  // the five largest Z (the lower digit first when tied), picked without sorting every digit
  const worst: DigitZ[] = [];
  const taken = new Uint8Array(hi + 1);
  while (worst.length < 5 && worst.length < k) {
    let best = -1;
    for (let d = lo; d <= hi; d++) if (!taken[d] && (best < 0 || z[d] > z[best])) best = d;
    taken[best] = 1;
    worst.push({ digit: best, ap: counts[best] / n, ep: ep[best], z: z[best] });
  }
  const mad = madSum / k;
  return { test, n, mad, conformity: conformityOf(mad, test), expectedMad: expectedMad(test, n), chi2, df: k - 1, p: chiSquareSf(chi2, k - 1), worst };
}

/** The full test on a list of amounts. */
export function benfordTest(values: ArrayLike<number>, test: DigitTest): BenfordResult {
  return benfordFromCounts(digitCounts(values, test).counts, test);
}

// ---- chi-square upper tail: the regularized upper incomplete gamma Q(df/2, x/2) ----

function lnGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9)
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Q(a, x) = Γ(a, x) / Γ(a): series below a + 1, continued fraction above (Numerical Recipes 6.2). */
export function gammaQ(a: number, x: number): number {
  if (x <= 0) return 1;
  const lg = lnGamma(a);
  if (x < a + 1) {
    let sum = 1 / a;
    let del = sum;
    let ap = a;
    for (let i = 0; i < 1000; i++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 1e-15) break;
    }
    return Math.max(0, 1 - sum * Math.exp(-x + a * Math.log(x) - lg));
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return Math.exp(-x + a * Math.log(x) - lg) * h;
}

/** P(X ≥ x) for X ~ chi-square with df degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (Number.isNaN(x)) return NaN;
  return gammaQ(df / 2, x / 2);
}
