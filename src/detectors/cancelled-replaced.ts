import { fenceCutoffs } from '../stats/outliers.js';
import { invoiceIndex } from '../graph/invoice-index.js';
import { judgeShares } from '../stats/shares.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, fmtPct, partyLabel, plural, round } from './util.js';

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
    definition: 'For each seller with at least min_n invoices (replacement and adjustment invoices, which correct another one, not counted), the share of its invoices that were cancelled, replaced or adjusted, compared with all sellers. Where the export marks only the correction (a replacement, the original left as original), the correction stands for the changed invoice.',
    formula: 'share = (#cancelled + max(#replaced, #replacement) + max(#adjusted, #adjustment)) / (n − #replacement − #adjustment). Flag when share > Q3 + fence_k·IQR of sellers\' shares (IQR ≥ 0.02), share ≥ min_share and z = (k − n·p0) / sqrt(n·p0·(1 − p0)) ≥ min_z. Score 0.5 at the fence to 0.8 halfway from the fence to 100%, × 0.9–1 by number of invoices.',
    why: 'Cancelling and reissuing is the easiest way to change an invoice after the buyer has used it; at scale it is a known VAT-fraud pattern and a way to move sales between periods.',
    falsePositives: 'Sellers with many price or quantity corrections (fuel, utilities with meter corrections), system migrations that reissued invoices, and exports that list every version of an invoice.',
    exclusions: 'Needs a status column. An original and its replacement count once (as one invoice changed).',
  },
  run(data, p, ctx) {
    const ix = invoiceIndex(data);
    const t = data.invoices!;
    const st = t.str('status')!;
    const isEvent = st.dict.map((s) => (EVENTS as readonly string[]).includes(s));
    // per status code: 0 other, 1 cancelled, 2 replaced, 3 adjusted, 4 replacement, 5 adjustment
    const kindOf = Uint8Array.from(st.dict, (s) => Math.max(0, EVENTS.indexOf(s as (typeof EVENTS)[number]) + 1));
    const sellers = ix.sellers;
    const k = new Float64Array(sellers.length);
    const n = new Float64Array(sellers.length);
    const byStatus: Record<string, number>[] = [];
    // the invoices changed, each once: a replacement or an adjustment is the correction of another
    // invoice, not one more invoice changed, so it counts only where the changed invoice is not marked
    // itself (the larger of replaced and replacement, of adjusted and adjustment), and it is left out of
    // the invoices judged
    const per = new Float64Array(6);
    for (let s = 0; s < sellers.length; s++) {
      const q = sellers[s];
      per.fill(0);
      for (let j = ix.sellerStart[q]; j < ix.sellerStart[q + 1]; j++) {
        const c = st.codes[ix.firstRow[ix.bySeller[j]]];
        per[c >= 0 ? kindOf[c] : 0]++;
      }
      n[s] = ix.sellerStart[q + 1] - ix.sellerStart[q] - per[4] - per[5];
      k[s] = per[1] + Math.max(per[2], per[4]) + Math.max(per[3], per[5]);
    }
    const j = judgeShares(sellers, k, n, p, ctx.reference);
    const findings: FindingDraft[] = j.outliers.map((o) => {
      const label = partyLabel(data, o.party);
      const counts: Record<string, number> = {};
      // value of the invoices changed: per kind, the side counted (the changed invoices, or their corrections)
      const cnt = new Float64Array(6);
      const sum = new Float64Array(6);
      for (let x = ix.sellerStart[o.party]; x < ix.sellerStart[o.party + 1]; x++) {
        const inv = ix.bySeller[x];
        const c = st.codes[ix.firstRow[inv]];
        if (c >= 0 && isEvent[c]) {
          counts[st.dict[c]] = (counts[st.dict[c]] ?? 0) + 1;
          cnt[kindOf[c]]++;
          if (!Number.isNaN(ix.amount[inv])) sum[kindOf[c]] += ix.amount[inv];
        }
      }
      const value = sum[1] + (cnt[2] >= cnt[4] ? sum[2] : sum[4]) + (cnt[3] >= cnt[5] ? sum[3] : sum[5]);
      byStatus.push(counts);
      const corrections = (counts.replacement ?? 0) + (counts.adjustment ?? 0);
      return {
        score: o.score,
        title: `${label}: ${o.k} of ${o.n} invoices cancelled, replaced or adjusted${corrections ? ` (besides ${plural(corrections, 'replacement or adjustment invoice')})` : ''}`,
        entities: [companyEntity(data, o.party)],
        amount: value,
        evidence: { invoices: o.n, affected: o.k, byStatus: Object.fromEntries(Object.entries(counts).sort()), share: round(o.share), valueAffected: value, marketShare: round(j.base), z: round(o.z, 2), threshold: { upperFence: round(j.fences.upper), min_share: p.min_share, min_z: p.min_z, min_n: p.min_n } },
        explanation: `${fmtPct(o.share)} of ${label}'s ${o.n} invoices were cancelled, replaced or adjusted (the replacement and adjustment invoices themselves not counted again), against ${fmtPct(j.base)} across sellers (outliers from ${fmtPct(j.fences.upper)}; z-score ${o.z.toFixed(1)}).`,
      };
    });
    return {
      findings,
      applied: j.applied,
      notApplicable: j.tooFew ? { [`fewer than ${p.min_n} invoices`]: j.tooFew } : {},
      cutoffs: { marketShare: round(j.base), ...fenceCutoffs('share', j.fences) },
      reference: j.reference,
    };
  },
});
