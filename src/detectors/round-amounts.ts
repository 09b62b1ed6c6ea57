import { fenceCutoffs } from '../stats/outliers.js';
import { invoiceIndex, standingOrders } from '../graph/invoice-index.js';
import { judgeShares } from '../stats/shares.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, fmtAmount, fmtPct, partyLabel, plural, round } from './util.js';

/** The round unit for the data's scale: 10^(digits of the median amount − 2), at least 1. */
export function autoUnit(amounts: Float64Array): number {
  let m = 0;
  for (let i = 0; i < amounts.length; i++) if (amounts[i] > 0) m++;
  if (!m) return 1;
  const v = new Float64Array(m);
  m = 0;
  for (let i = 0; i < amounts.length; i++) if (amounts[i] > 0) v[m++] = amounts[i];
  const med = kth(v, v.length >> 1);
  return 10 ** Math.max(0, Math.floor(Math.log10(med)) - 1);
}

/**
 * The k-th smallest of v (what v.sort()[k] would be; v holds no NaN), reordering v: quickselect with a
 * median-of-three pivot, falling back to sorting the remaining range if it does not shrink fast enough.
 * Linear where sorting a million amounts cost a quarter second.
 */
export function kth(v: Float64Array, k: number): number {
  let lo = 0;
  let hi = v.length - 1;
  let budget = 2 * Math.ceil(Math.log2(v.length + 1)) + 8;
  while (hi > lo) {
    if (--budget < 0) {
      v.subarray(lo, hi + 1).sort();
      break;
    }
    const mid = (lo + hi) >>> 1;
    const a = v[lo];
    const b = v[mid];
    const c = v[hi];
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (v[i] < pivot) i++;
      while (v[j] > pivot) j--;
      if (i <= j) {
        const t = v[i];
        v[i] = v[j];
        v[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return v[k];
}

export default defineDetector({
  id: 'round-amounts',
  title: 'A seller invoices unusually many round amounts',
  family: 'invoice',
  rationale: 'Real sales add up prices, quantities and VAT into uneven totals; invoices for services never rendered or amounts agreed in advance are often round.',
  sources: ['Nigrini, Benford\'s Law (2012), ch. 8 (round numbers test)', 'ACFE Fraud Examiners Manual: fictitious invoices'],
  needs: ['invoices.seller_id'],
  needsAny: [['invoices.amount', 'invoices.total_amount']],
  uses: ['invoice-index', 'standing-orders'],
  params: {
    unit: { default: 0, min: 0, description: 'a round amount is a multiple of this (e.g. 1000000 for 1 m VND); 0 = from the data\'s scale: 10^(digits of the median invoice − 2)' },
    min_n: { default: 30, min: 5, integer: true, description: 'invoices a seller needs to be judged' },
    min_share: { default: 0.5, min: 0, max: 1, description: 'smallest share of round amounts that can be flagged' },
    fence_k: { default: 3, min: 0, description: 'the share must exceed Q3 + fence_k × IQR of all sellers\' shares' },
    min_z: { default: 4, min: 0, description: 'and be this many binomial standard deviations above the market\'s rate' },
  },
  explain: {
    definition: 'For each seller with at least min_n invoices (lines folded), the share of invoices whose net amount is a whole multiple of the round unit (1 m VND for VND-scale data), compared with all sellers. Standing orders (the same amount for the same kind of item to the same buyer, at least 25 days apart: rent, subscriptions) are left out.',
    formula: 'share = #(amount mod unit = 0) / n. Flag when share > Q3 + fence_k·IQR of sellers\' shares (IQR ≥ 0.02), share ≥ min_share and z = (k − n·p0) / sqrt(n·p0·(1 − p0)) ≥ min_z, p0 the pooled share. Score 0.5 at the fence to 0.8 halfway from the fence to 100%, × 0.9–1 by number of invoices.',
    why: 'Fabricated invoices, kickback invoices and amounts fixed in advance ("a 50 million invoice") are round far more often than priced goods. A seller whose invoices are mostly round stands out from its peers.',
    falsePositives: 'Fixed fees (rent, subscriptions, consulting retainers), advances and instalments of a contract, and sellers of one standard-priced product. Check what the invoices are for before concluding.',
    exclusions: 'Blank and zero amounts are not counted as round. The unit follows the data (set `unit` for a fixed one).',
  },
  run(data, p, ctx) {
    const ix = invoiceIndex(data);
    const unit = p.unit > 0 ? p.unit : autoUnit(ix.amount);
    const standing = standingOrders(data);
    const sellers = ix.sellers;
    const k = new Float64Array(sellers.length);
    const n = new Float64Array(sellers.length);
    // invoices of standing orders, set aside (rent, subscriptions: fixed amounts by nature)
    const setAside = new Float64Array(sellers.length);
    for (let s = 0; s < sellers.length; s++) {
      const q = sellers[s];
      for (let j = ix.sellerStart[q]; j < ix.sellerStart[q + 1]; j++) {
        const a = ix.amount[ix.bySeller[j]];
        if (Number.isNaN(a) || a === 0) continue;
        if (standing[ix.bySeller[j]]) {
          setAside[s]++;
          continue;
        }
        n[s]++;
        const x = Math.abs(a) / unit;
        if (Math.abs(x - Math.round(x)) < 1e-6) k[s]++;
      }
    }
    const j = judgeShares(sellers, k, n, p, ctx.reference);
    const pos = new Map<number, number>();
    sellers.forEach((q, i) => pos.set(q, i));
    const findings: FindingDraft[] = j.outliers.map((o) => {
      const label = partyLabel(data, o.party);
      const aside = setAside[pos.get(o.party)!];
      const asideText = aside ? ` (${plural(aside, 'more invoice')} of standing orders set aside)` : '';
      let value = 0;
      for (let t = ix.sellerStart[o.party]; t < ix.sellerStart[o.party + 1]; t++) {
        const a = ix.amount[ix.bySeller[t]];
        const x = Math.abs(a) / unit;
        if (a && !standing[ix.bySeller[t]] && Math.abs(x - Math.round(x)) < 1e-6) value += a;
      }
      return {
        score: o.score,
        title: `${label}: ${o.k} of ${o.n} invoices are round multiples of ${fmtAmount(unit)}${asideText}`,
        entities: [companyEntity(data, o.party)],
        amount: value,
        evidence: { invoices: o.n, standingOrdersSetAside: aside, round: o.k, share: round(o.share), roundValue: value, unit, marketShare: round(j.base), z: round(o.z, 2), threshold: { upperFence: round(j.fences.upper), min_share: p.min_share, min_z: p.min_z, min_n: p.min_n } },
        explanation: `${fmtPct(o.share)} of ${label}'s ${o.n} invoices${asideText} are multiples of ${fmtAmount(unit)}, against ${fmtPct(j.base)} across sellers (outliers from ${fmtPct(j.fences.upper)}; z-score ${o.z.toFixed(1)}).`,
      };
    });
    return {
      findings,
      applied: j.applied,
      notApplicable: j.tooFew ? { [`fewer than ${p.min_n} invoices`]: j.tooFew } : {},
      cutoffs: { unit, marketShare: round(j.base), ...fenceCutoffs('share', j.fences) },
      reference: j.reference,
    };
  },
});
