import { fenceCutoffs } from '../stats/outliers.js';
import { invoiceIndex, standingOrders } from '../graph/invoice-index.js';
import { judgeShares } from '../stats/shares.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, fmtAmount, fmtPct, partyLabel, round } from './util.js';
import { isoDay } from '../util/dates.js';

export default defineDetector({
  id: 'repeated-amounts',
  title: 'A seller invoices the same amounts over and over',
  family: 'invoice',
  rationale: 'Invoice amounts that recur far more often than a seller\'s spread of prices allows point at copied or invented invoices (Nigrini\'s number duplication test).',
  sources: ['Nigrini, Forensic Analytics (2011), ch. 8 (number duplication test)', 'ACFE Fraud Examiners Manual: fictitious invoices'],
  needs: ['invoices.seller_id'],
  needsAny: [['invoices.amount', 'invoices.total_amount']],
  uses: ['invoice-index', 'standing-orders'],
  params: {
    min_n: { default: 30, min: 5, integer: true, description: 'invoices a seller needs to be judged' },
    min_share: { default: 0.3, min: 0, max: 1, description: 'smallest share of repeated invoices that can be flagged' },
    min_top: { default: 4, min: 2, integer: true, description: 'the most repeated amount must occur at least this often' },
    recurring_gap_days: { default: 25, min: 1, description: 'same amount and kind of item to the same buyer with every gap at least this many days is a standing order (rent, subscription), not a repeat' },
    fence_k: { default: 3, min: 0, description: 'the share must exceed Q3 + fence_k × IQR of all sellers\' shares' },
    min_z: { default: 4, min: 0, description: 'and be this many binomial standard deviations above the market\'s rate' },
  },
  explain: {
    definition: 'For each seller with at least min_n invoices (lines folded), the share of invoices that repeat an amount the seller already invoiced, after setting aside standing orders: the same amount for the same kind of item (description with digits blanked) to the same buyer at intervals of at least recurring_gap_days (monthly rent, subscriptions).',
    formula: 'repeats = Σ over amounts (count − 1), standing orders excluded; share = repeats / n. Flag when share > Q3 + fence_k·IQR of sellers\' shares (IQR ≥ 0.02), share ≥ min_share, the top amount occurs ≥ min_top times and z = (k − n·p0) / sqrt(n·p0·(1 − p0)) ≥ min_z, p0 the pooled share. Score 0.5 at the fence to 0.8 halfway from the fence to 100%, × 0.9–1 by number of invoices.',
    why: 'Priced sales vary with quantities and items; the same total again and again, to different buyers or at irregular dates, is typical of invoices produced from a template, split purchases or invoices sold for their VAT.',
    falsePositives: 'Sellers of one standard product or fee (tickets, licences, training courses per head), instalments of one contract, and standing orders at intervals shorter than recurring_gap_days.',
    exclusions: 'Blank and zero amounts are left out.',
  },
  run(data, p, ctx) {
    const ix = invoiceIndex(data);
    const sellers = ix.sellers;
    const k = new Float64Array(sellers.length);
    const n = new Float64Array(sellers.length);
    const recurring = standingOrders(data, p.recurring_gap_days);
    const top: { amount: number; count: number; buyers: number; first: string; last: string }[][] = [];
    const standing = new Float64Array(sellers.length);
    for (let s = 0; s < sellers.length; s++) {
      const q = sellers[s];
      const list: number[] = [];
      for (let j = ix.sellerStart[q]; j < ix.sellerStart[q + 1]; j++) {
        const inv = ix.bySeller[j];
        if (!Number.isNaN(ix.amount[inv]) && ix.amount[inv] !== 0) list.push(inv);
      }
      n[s] = list.length;
      top.push([]);
      if (list.length < p.min_n) continue;
      // the amounts that occur more than once, ascending (a native sort of the amounts), then their
      // invoices in the seller's date order
      const amounts = new Float64Array(list.length);
      for (let i = 0; i < list.length; i++) amounts[i] = ix.amount[list[i]];
      amounts.sort();
      const repeated = new Map<number, number[]>();
      for (let i = 1; i < amounts.length; i++) if (amounts[i] === amounts[i - 1] && !repeated.has(amounts[i])) repeated.set(amounts[i], []);
      if (repeated.size) for (const inv of list) repeated.get(ix.amount[inv])?.push(inv);
      const groups: { amount: number; count: number; members: number[] }[] = [];
      for (const [amount, g] of repeated) {
        const rest = g.filter((inv) => !recurring[inv]);
        standing[s] += g.length - rest.length;
        if (rest.length >= 2) {
          k[s] += rest.length - 1;
          groups.push({ amount, count: rest.length, members: rest });
        }
      }
      groups.sort((a, b) => b.count - a.count || a.amount - b.amount);
      top[s] = groups.slice(0, 5).map((g) => ({
        amount: g.amount,
        count: g.count,
        buyers: new Set(g.members.map((m) => ix.buyer[m])).size,
        first: isoDay(Math.min(...g.members.map((m) => ix.date[m]))),
        last: isoDay(Math.max(...g.members.map((m) => ix.date[m]))),
      }));
    }
    const j = judgeShares(sellers, k, n, p, ctx.reference);
    const pos = new Map<number, number>();
    sellers.forEach((q, i) => pos.set(q, i));
    const findings: FindingDraft[] = [];
    for (const o of j.outliers) {
      const s = pos.get(o.party)!;
      const t = top[s];
      if (!t.length || t[0].count < p.min_top) continue;
      const label = partyLabel(data, o.party);
      findings.push({
        score: o.score,
        title: `${label}: ${o.k} of ${o.n} invoices repeat an earlier amount (top ${fmtAmount(t[0].amount)} × ${t[0].count})`,
        entities: [companyEntity(data, o.party)],
        evidence: { invoices: o.n, repeats: o.k, share: round(o.share), standingOrders: standing[s], topAmounts: t, marketShare: round(j.base), z: round(o.z, 2), threshold: { upperFence: round(j.fences.upper), min_share: p.min_share, min_top: p.min_top, min_z: p.min_z, recurring_gap_days: p.recurring_gap_days } },
        explanation: `${fmtPct(o.share)} of ${label}'s ${o.n} invoices repeat an amount already invoiced (standing orders set aside; ${fmtAmount(t[0].amount)} appears ${t[0].count} times), against ${fmtPct(j.base)} across sellers (outliers from ${fmtPct(j.fences.upper)}).`,
      });
    }
    return {
      findings,
      applied: j.applied,
      notApplicable: j.tooFew ? { [`fewer than ${p.min_n} invoices`]: j.tooFew } : {},
      cutoffs: { marketShare: round(j.base), ...fenceCutoffs('share', j.fences) },
      reference: j.reference,
    };
  },
});
