/**
 * A per-party share k/n (of invoices, of amounts) judged as a high outlier among the parties: the
 * judgement round-amounts, repeated-amounts, weekend-holiday and cancelled-replaced share.
 */
import { ramp } from '../scoring/score.js';
import { fencesOf, type Fences } from './outliers.js';
import { sketch, type Sketch } from './quantiles.js';

export interface ShareParams {
  /** invoices a seller needs before its share is judged */
  min_n: number;
  /** smallest share that can be flagged at all */
  min_share: number;
  /** Tukey fence multiplier: the share must exceed Q3 + k · IQR of sellers' shares */
  fence_k: number;
  /** binomial z against the market's pooled rate */
  min_z: number;
}

export interface ShareReference {
  base: number;
  shares: Sketch;
}

export interface ShareOutlier {
  party: number;
  n: number;
  k: number;
  share: number;
  /** binomial z of k against n × base */
  z: number;
  score: number;
}

export interface ShareJudgement {
  outliers: ShareOutlier[];
  applied: number;
  tooFew: number;
  base: number;
  fences: Fences;
  reference: ShareReference;
}

/**
 * Judge per-party shares k/n: a party with n ≥ min_n is an outlier when its share is above the upper
 * Tukey fence of all judged parties' shares (IQR floored at 0.02), at least min_share, and its count is
 * at least min_z binomial standard deviations above the pooled rate. Score: 0.5 at the fence, rising
 * with the share's distance from the fence towards 1 (0.8 halfway), × 0.9–1 for 1–5 × min_n invoices.
 * A frozen reference (base rate and share distribution) replaces the data's own when given.
 */
export function judgeShares(parties: ArrayLike<number>, k: ArrayLike<number>, n: ArrayLike<number>, p: ShareParams, ref?: unknown): ShareJudgement {
  const shares: number[] = [];
  let sk = 0;
  let sn = 0;
  let tooFew = 0;
  for (let i = 0; i < parties.length; i++) {
    if (n[i] < p.min_n) {
      if (n[i] > 0) tooFew++;
      continue;
    }
    shares.push(k[i] / n[i]);
    sk += k[i];
    sn += n[i];
  }
  const frozen = ref as ShareReference | undefined;
  const useRef = frozen && typeof frozen.base === 'number' && Array.isArray(frozen.shares?.q);
  const reference: ShareReference = useRef ? frozen! : { base: sn > 0 ? sk / sn : 0, shares: sketch(shares) };
  const base = reference.base;
  const fences = fencesOf(reference.shares, p.fence_k, 0.02);
  const outliers: ShareOutlier[] = [];
  for (let i = 0; i < parties.length; i++) {
    if (n[i] < p.min_n) continue;
    const share = k[i] / n[i];
    if (share <= fences.upper || share < p.min_share) continue;
    const sd = Math.sqrt(n[i] * base * (1 - base));
    const z = sd > 0 ? (k[i] - n[i] * base) / sd : k[i] > n[i] * base ? Infinity : 0;
    if (z < p.min_z) continue;
    const room = Math.max(1e-9, 1 - fences.upper);
    const score = ramp(share, fences.upper, fences.upper + room / 2, 0.5, 0.8) * ramp(n[i], p.min_n, 5 * p.min_n, 0.9, 1);
    outliers.push({ party: parties[i], n: n[i], k: k[i], share, z, score });
  }
  return { outliers, applied: shares.length, tooFew, base, fences, reference };
}
