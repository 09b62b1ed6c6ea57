import { fenceCutoffs } from '../stats/outliers.js';
import { finiteCutoffs, judgeShares, invoiceIndex } from './invoice-index.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, fmtPct, partyLabel, round } from './util.js';

const EVENTS = ['cancelled', 'replaced', 'adjusted', 'replacement', 'adjustment'] as const;

export default defineDetector({
  id: 'cancelled-replaced',
  title: 'A seller cancels, replaces or adjusts unusually many invoices',
  family: 'invoice',
  rationale: 'Invoices issued and then cancelled or replaced can carry input VAT that is claimed and never reversed, or hide sales after the fact; a seller that does it far more than its peers deserves a look.',
  sources: ['VN Decree 123/2020/ND-CP art. 19 (handling erroneous e-invoices)', 'VN Circular 78/2021/TT-BTC', 'OECD Tax Administration: VAT fraud indicators'],
  needs: ['invoices.seller_id', 'invoices.status'],
  uses: ['invoice-index'],
  params: {
    min_n: { default: 30, min: 5, integer: true, description: 'invoices a seller needs to be judged' },
    min_share: { default: 0.1, min: 0, max: 1, description: 'smallest share of cancelled/replaced/adjusted invoices that can be flagged' },
    fence_k: { default: 3, min: 0, description: 'the share must exceed Q3 + fence_k × IQR of all sellers\' shares' },
    min_z: { default: 4, min: 0, description: 'and be this many binomial standard deviations above the market\'s rate' },
  },
  explain: {
    definition: 'For each seller with at least min_n invoices, the share of its invoices whose status is cancelled, replaced, adjusted, or that are themselves a replacement or an adjustment, compared with all sellers.',
    formula: 'share = #(status ∈ {cancelled, replaced, adjusted, replacement, adjustment}) / n. Flag when share > Q3 + fence_k·IQR of sellers\' shares (IQR ≥ 0.02), share ≥ min_share and z = (k − n·p0) / sqrt(n·p0·(1 − p0)) ≥ min_z. Score 0.5 at the fence to 0.8 halfway from the fence to 100%, × 0.9–1 by number of invoices.',
    why: 'Cancelling and reissuing is the easiest way to change an invoice after the buyer has used it; at scale it is a known VAT-fraud pattern and a way to move sales between periods.',
    falsePositives: 'Sellers with many price or quantity corrections (fuel, utilities with meter corrections), system migrations that reissued invoices, and exports that list every version of an invoice.',
    exclusions: 'Needs a status column; an invoice that is both replaced and the replacement of another counts once.',
  },
  run(data, p, ctx) {
    const ix = invoiceIndex(data);
    const t = data.invoices!;
    const st = t.str('status')!;
    const isEvent = st.dict.map((s) => (EVENTS as readonly string[]).includes(s));
    const sellers = ix.sellers;
    const k = new Float64Array(sellers.length);
    const n = new Float64Array(sellers.length);
    const byStatus: Record<string, number>[] = [];
    for (let s = 0; s < sellers.length; s++) {
      const q = sellers[s];
      for (let j = ix.sellerStart[q]; j < ix.sellerStart[q + 1]; j++) {
        n[s]++;
        const c = st.codes[ix.firstRow[ix.bySeller[j]]];
        if (c >= 0 && isEvent[c]) k[s]++;
      }
    }
    const j = judgeShares(sellers, k, n, p, ctx.reference);
    const findings: FindingDraft[] = j.outliers.map((o) => {
      const label = partyLabel(data, o.party);
      const counts: Record<string, number> = {};
      let value = 0;
      for (let x = ix.sellerStart[o.party]; x < ix.sellerStart[o.party + 1]; x++) {
        const inv = ix.bySeller[x];
        const c = st.codes[ix.firstRow[inv]];
        if (c >= 0 && isEvent[c]) {
          counts[st.dict[c]] = (counts[st.dict[c]] ?? 0) + 1;
          if (!Number.isNaN(ix.amount[inv])) value += ix.amount[inv];
        }
      }
      byStatus.push(counts);
      return {
        score: o.score,
        title: `${label}: ${o.k} of ${o.n} invoices cancelled, replaced or adjusted`,
        entities: [companyEntity(data, o.party)],
        amount: value,
        evidence: { invoices: o.n, affected: o.k, byStatus: Object.fromEntries(Object.entries(counts).sort()), share: round(o.share), valueAffected: value, marketShare: round(j.base), z: round(o.z, 2), threshold: { upperFence: round(j.fences.upper), min_share: p.min_share, min_z: p.min_z, min_n: p.min_n } },
        explanation: `${fmtPct(o.share)} of ${label}'s ${o.n} invoices were cancelled, replaced or adjusted, against ${fmtPct(j.base)} across sellers (fence ${fmtPct(j.fences.upper)}, z = ${o.z.toFixed(1)}).`,
      };
    });
    return {
      findings,
      applied: j.applied,
      notApplicable: j.tooFew ? { [`fewer than ${p.min_n} invoices`]: j.tooFew } : {},
      cutoffs: finiteCutoffs({ marketShare: round(j.base), ...fenceCutoffs('share', j.fences) }),
      reference: j.reference,
    };
  },
});
