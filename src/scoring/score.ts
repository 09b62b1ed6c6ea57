/**
 * One scale for every detector, so that scores compare across detectors and entity risk can combine them.
 *
 * A score is the strength of the evidence that something deserves an analyst's time, in [0, 1]:
 * - ≥ 0.80 `high`: rare in honest data and specific (identical bids, every rival but the winner
 *   disqualified, bidders sharing a phone); worth opening today;
 * - ≥ 0.50 `medium`: a recognised red flag that honest markets also produce now and then (one bidder in an
 *   open tender, a winning bid at 99.5% of the estimate); worth a look together with other signals;
 * - below 0.50 `low`: weak or context signals; they matter when several detectors agree on one entity.
 * Detectors place a finding on this scale from how extreme the measurement is (a percentile, a ratio
 * beyond its threshold), never from how many findings they produce.
 */
export type Severity = 'low' | 'medium' | 'high';
export const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high'];

export const HIGH = 0.8;
export const MEDIUM = 0.5;

export function severityOf(score: number): Severity {
  return score >= HIGH ? 'high' : score >= MEDIUM ? 'medium' : 'low';
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export function clamp01(x: number): number {
  return x < 0 ? 0 : x > 1 ? 1 : Number.isFinite(x) ? x : 0;
}

/**
 * Linear ramp: `lo` at x = a, `hi` at x = b (either direction), clamped. The usual way to turn a measured
 * excess over a threshold into a score, e.g. ramp(ratio, 0.99, 1.0, 0.55, 0.8).
 */
export function ramp(x: number, a: number, b: number, lo: number, hi: number): number {
  if (a === b) return x >= b ? hi : lo;
  const t = (x - a) / (b - a);
  return clamp01(lo + (hi - lo) * Math.min(1, Math.max(0, t)));
}

/** Round a score for output (4 decimals), so JSON stays stable and readable. */
export function roundScore(s: number): number {
  return Math.round(clamp01(s) * 10000) / 10000;
}
