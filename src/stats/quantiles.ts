/**
 * Reference distributions in a fixed, small form: a sorted sample of quantiles. Detectors rank a value
 * against a distribution with `rankIn`; the same sketch serialises into a baseline, so scoring against
 * history and against the data itself use one code path.
 */
export interface Sketch {
  /** values at evenly spaced quantiles 0 … 1 (first = min, last = max) */
  q: number[];
  /** how many values the sketch summarises */
  n: number;
}

/** A sketch of `values` (NaN ignored) with `k` quantile points (default 101: every percentile). */
export function sketch(values: ArrayLike<number>, k = 101): Sketch {
  const v: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) v.push(values[i]);
  v.sort((a, b) => a - b);
  const n = v.length;
  if (n === 0) return { q: [], n: 0 };
  if (n <= k) return { q: v, n };
  const q: number[] = [];
  for (let i = 0; i < k; i++) {
    const pos = (i / (k - 1)) * (n - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(n - 1, lo + 1);
    q.push(v[lo] + (v[hi] - v[lo]) * (pos - lo));
  }
  return { q, n };
}

/**
 * Mid-rank of x in the sketch, in [0, 1]: the share of the distribution below x plus half the share
 * equal to it. NaN for an empty sketch.
 */
export function rankIn(s: Sketch, x: number): number {
  const q = s.q;
  const m = q.length;
  if (m === 0 || Number.isNaN(x)) return NaN;
  if (m === 1) return x < q[0] ? 0 : x > q[0] ? 1 : 0.5;
  // first index with q[i] >= x, and first with q[i] > x
  let lo = 0;
  let hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (q[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  const below = lo;
  hi = m;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (q[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  const atOrBelow = lo;
  if (s.n <= m) return (below + (atOrBelow - below) / 2) / m;
  // interpolate between quantile points
  const pos = (i: number) => i / (m - 1);
  if (atOrBelow === 0) return 0;
  if (below === m) return 1;
  if (atOrBelow > below) return (pos(below) + pos(atOrBelow - 1)) / 2;
  const a = q[below - 1];
  const b = q[below];
  return pos(below - 1) + ((x - a) / (b - a)) * (pos(below) - pos(below - 1));
}

/** The value at quantile p ∈ [0, 1] of the sketch (linear interpolation). */
export function quantile(s: Sketch, p: number): number {
  const q = s.q;
  if (!q.length) return NaN;
  const pos = p * (q.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(q.length - 1, lo + 1);
  return q[lo] + (q[hi] - q[lo]) * (pos - lo);
}
