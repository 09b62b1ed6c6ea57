/**
 * Truth rows that follow from the drawn bids rather than from a plan alone: a planted firm that
 * ends up holding most of one buyer's awards is a repeat winner there, a planted tender won at
 * ≥ 99% of its estimate is a near-estimate win — whichever scheme put it there — and a buyer that
 * disqualified bids on purpose has excessive disqualifications only when they stand out among all
 * the bids it received (four disqualified bids in 150 do not).
 */
import type { Award, BuyerBids } from './bids.js';
import type { Buyer, Firm } from './entities.js';
import type { TenderSpec } from './tenders.js';
import type { Truth } from './truth.js';

export function deriveTruth(truth: Truth, awards: Award[], firms: Firm[]): void {
  const instOf = truth.companyInstances();
  const perBuyer = new Map<Buyer, number>();
  const perPair = new Map<string, { buyer: Buyer; firm: Firm; specs: TenderSpec[] }>();
  for (const a of awards) {
    const b = a.spec.buyer;
    perBuyer.set(b, (perBuyer.get(b) ?? 0) + 1);
    const f = firms[a.winner];
    if (!instOf.has(f)) continue;
    const k = `${b.idx}:${a.winner}`;
    let p = perPair.get(k);
    if (!p) perPair.set(k, (p = { buyer: b, firm: f, specs: [] }));
    p.specs.push(a.spec);
  }
  for (const p of perPair.values()) {
    const total = perBuyer.get(p.buyer)!;
    const n = p.specs.length;
    if (n < 5 || n / total < 0.5) continue;
    const inst = instOf.get(p.firm)!;
    const detail = `awards=${n}/${total};derived=share`;
    truth.buyer('repeat-winner', p.buyer, inst, `winner=${p.firm.id};${detail}`);
    truth.company('repeat-winner', p.firm, inst, `buyer=${p.buyer.id};${detail}`);
    for (const s of p.specs) if (s.plan) truth.tender('repeat-winner', s, inst, 'derived=share');
  }
  for (const a of awards) {
    const s = a.spec;
    if (!s.plan || s.lots || a.amount / s.estimate < 0.99) continue;
    truth.tender('near-estimate-win', s, s.plan.inst, 'ratio>=0.99;derived=ratio');
  }
}

/** Bids a buyer needs before its share of disqualifications means anything. */
const MIN_BIDS = 5;
/** Chance at the economy's pooled rate below which a buyer's disqualifications stand out. */
const MAX_P = 0.001;
/** Smallest share of a buyer's bids disqualified that is called excessive. */
const MIN_SHARE = 0.1;

/**
 * P(X ≥ k) for X ~ Binomial(n, p), summed from k upwards; 1 when k is not above the mean (only
 * small tails are asked for).
 */
export function binomialTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1 || k <= n * p) return 1;
  let log = k * Math.log(p) + (n - k) * Math.log(1 - p);
  for (let i = 1; i <= k; i++) log += Math.log((n - k + i) / i);
  let term = Math.exp(log);
  let sum = 0;
  for (let j = k; j <= n && term > sum * 1e-17; j++) {
    sum += term;
    term *= ((n - j) / (j + 1)) * (p / (1 - p));
  }
  return Math.min(1, sum);
}

/**
 * Excessive disqualifications, for the buyers where a plan disqualified bids on purpose: listed
 * when the buyer's disqualified bids are at least a tenth of its bids and improbable at the pooled
 * rate of all buyers (`derived=share`), or when its disqualified bids priced below the winner are
 * (three or more, against the pooled rate of such bids: `derived=below-winner`).
 */
export function deriveDisqualifications(truth: Truth, byBuyer: ReadonlyMap<number, BuyerBids>, buyers: readonly Buyer[]): void {
  let bids = 0;
  let disq = 0;
  let below = 0;
  for (const t of byBuyer.values()) {
    if (t.bids < MIN_BIDS) continue;
    bids += t.bids;
    disq += t.disqualified;
    below += t.belowWinner;
  }
  if (!bids) return;
  const rate = disq / bids;
  const belowRate = below / bids;
  const buyerOf = new Map(buyers.map((b) => [b.idx, b]));
  for (const [idx, t] of [...byBuyer].sort((a, b) => a[0] - b[0])) {
    if (!t.planted || t.bids < MIN_BIDS) continue;
    const pShare = binomialTail(t.disqualified, t.bids, rate);
    const pBelow = binomialTail(t.belowWinner, t.bids, belowRate);
    const byShare = t.disqualified >= 2 && t.disqualified / t.bids >= MIN_SHARE && pShare <= MAX_P;
    const byBelow = t.belowWinner >= 3 && pBelow <= MAX_P;
    if (!byShare && !byBelow) continue;
    const how = [byShare ? 'share' : '', byBelow ? 'below-winner' : ''].filter(Boolean).join('|');
    truth.buyer('excessive-disqualifications', buyerOf.get(idx)!, t.planted, `disqualified=${t.disqualified}/${t.bids};below-winner=${t.belowWinner};derived=${how}`);
  }
}
