import { ramp } from '../scoring/score.js';
import { median } from '../stats/outliers.js';
import { invoiceIndex } from '../graph/invoice-index.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, count, fmtAmount, partyLabel, round } from './util.js';
import { monthLabel, monthNumber } from '../util/dates.js';

/** Robust scale of a history: 1.4826 · MAD, or 1.2533 · mean absolute deviation when the MAD is 0. */
function scaleOf(h: number[], med: number): number {
  const dev = h.map((x) => Math.abs(x - med));
  const mad = median(dev);
  if (mad > 0) return 1.4826 * mad;
  const mean = dev.reduce((a, b) => a + b, 0) / dev.length;
  return 1.2533 * mean;
}

export default defineDetector({
  id: 'invoice-burst',
  title: 'A seller\'s monthly invoicing jumps far above its own history',
  family: 'invoice',
  rationale: 'A sudden jump in a seller\'s invoices — many more, or much larger, than in any earlier month — is how invoice mills and VAT carousels show up before they vanish, and how spending is pushed through before a deadline.',
  sources: ['OECD Tax Administration: VAT missing-trader indicators', 'EU Fiscalis risk management guide (sudden turnover increase)', 'Hampel (1974) robust z'],
  needs: ['invoices.seller_id', 'invoices.issue_date'],
  uses: ['invoice-index'],
  params: {
    min_history: { default: 6, min: 2, integer: true, description: 'months of the seller\'s own history (from its first invoice) needed before a month is judged' },
    min_z: { default: 6, min: 1, description: 'robust z of the month (value or count, adjusted for the market\'s month) against the seller\'s earlier months' },
    min_ratio: { default: 4, min: 1, description: 'the adjusted month must also be at least this many times the seller\'s earlier monthly mean' },
    min_invoices: { default: 10, min: 1, integer: true, description: 'invoices the seller must issue in the month' },
  },
  explain: {
    definition: 'For each seller, its invoice count and value per calendar month, divided by the market\'s factor for that month (the market\'s total that month over the median month) so that year-end and other peaks common to all sellers cancel; each month with at least min_invoices invoices is compared with the seller\'s earlier months (from its first invoice, empty months counted as 0). One finding per seller: its most extreme month.',
    formula: 'adj(m) = x(m) / (market(m) / median market month), for x = value and count. z = (adj(m) − median(history)) / (1.4826 · MAD(history)), falling back to 1.2533 · mean absolute deviation when the MAD is 0. Flag when z ≥ min_z and adj(m) ≥ min_ratio × mean(history), history ≥ min_history months. A month bursts in count (or value) when both its z ≥ min_z and its ratio ≥ min_ratio; the count must burst (a jump in value alone is one large contract). Score: count and value both burst, 0.55 at ratio = min_ratio to 0.75 at 5 × min_ratio (the smaller of the two ratios); count alone, 0.5. A burst is a context signal: it is never high on its own.',
    why: 'Firms created or taken over to sell invoices issue few invoices and then a flood before disappearing; a supplier suddenly invoicing public buyers many times its usual amount in one month may be billing for goods never delivered or being used to pass money through.',
    falsePositives: 'A large contract delivered in one month, a seller that grows quickly, firms whose history in the data is short, and seasonal businesses whose peak differs from the market\'s.',
    exclusions: 'Months are calendar months of the issue date. The market factor uses all sellers in the data.',
  },
  run(data, p) {
    const ix = invoiceIndex(data);
    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    let m0 = Infinity;
    let m1 = -Infinity;
    const month = new Int32Array(ix.n);
    for (let i = 0; i < ix.n; i++) {
      if (Number.isNaN(ix.date[i])) {
        month[i] = -1;
        continue;
      }
      month[i] = monthNumber(ix.date[i]);
      if (month[i] < m0) m0 = month[i];
      if (month[i] > m1) m1 = month[i];
    }
    if (!Number.isFinite(m0)) return { findings, applied: 0, notApplicable: { 'no dated invoices': 1 } };
    const M = m1 - m0 + 1;
    const mv = new Float64Array(M);
    const mc = new Float64Array(M);
    for (let i = 0; i < ix.n; i++) {
      if (month[i] < 0) continue;
      mc[month[i] - m0]++;
      if (ix.amount[i] > 0) mv[month[i] - m0] += ix.amount[i];
    }
    const medV = median(Array.from(mv).filter((x) => x > 0));
    const medC = median(Array.from(mc).filter((x) => x > 0));
    const fV = Array.from(mv, (x) => (x > 0 && medV > 0 ? x / medV : 1));
    const fC = Array.from(mc, (x) => (x > 0 && medC > 0 ? x / medC : 1));
    let applied = 0;
    const v = new Float64Array(M);
    const c = new Float64Array(M);
    for (const q of ix.sellers) {
      const s0 = ix.sellerStart[q];
      const s1 = ix.sellerStart[q + 1];
      let first = -1;
      let last = -1;
      for (let j = s0; j < s1; j++) {
        const inv = ix.bySeller[j];
        const m = month[inv];
        if (m < 0) continue;
        if (first < 0) first = m - m0;
        last = m - m0;
        c[m - m0]++;
        if (ix.amount[inv] > 0) v[m - m0] += ix.amount[inv];
      }
      if (first < 0 || last - first < p.min_history) {
        count(notApplicable, `fewer than ${p.min_history} months of history`);
        if (first >= 0) for (let m = first; m <= last; m++) v[m] = c[m] = 0;
        continue;
      }
      applied++;
      const av = new Float64Array(last - first + 1);
      const ac = new Float64Array(last - first + 1);
      for (let m = first; m <= last; m++) {
        av[m - first] = v[m] / fV[m];
        ac[m - first] = c[m] / fC[m];
      }
      let best: { m: number; z: number; zV: number; zC: number; ratio: number; score: number; histMedV: number; histMeanV: number; histMeanC: number; both: boolean; what: string } | undefined;
      let sumV = 0;
      let sumC = 0;
      for (let k = 0; k < av.length; k++) {
        if (k >= p.min_history && c[first + k] >= p.min_invoices) {
          const meanV = sumV / k;
          const meanC = sumC / k;
          const rV = meanV > 0 ? av[k] / meanV : Infinity;
          const rC = meanC > 0 ? ac[k] / meanC : Infinity;
          if (rV >= p.min_ratio || rC >= p.min_ratio) {
            const hv = Array.from(av.subarray(0, k));
            const hc = Array.from(ac.subarray(0, k));
            const mdV = median(hv);
            const mdC = median(hc);
            const sV = scaleOf(hv, mdV);
            const sC = scaleOf(hc, mdC);
            const zV = sV > 0 ? (av[k] - mdV) / sV : Infinity;
            const zC = sC > 0 ? (ac[k] - mdC) / sC : Infinity;
            const burstV = rV >= p.min_ratio && zV >= p.min_z;
            const burstC = rC >= p.min_ratio && zC >= p.min_z;
            // a jump in value alone is one large contract, common in public supply: not a burst
            if (burstC) {
              const z = Math.max(burstV ? zV : 0, zC);
              const score = burstV ? ramp(Math.min(rV, rC), p.min_ratio, 5 * p.min_ratio, 0.55, 0.75) : 0.5;
              if (!best || score > best.score) best = { m: first + k, z, zV, zC, ratio: Math.max(burstV ? rV : 0, burstC ? rC : 0), score, histMedV: mdV, histMeanV: meanV, histMeanC: meanC, both: burstV && burstC, what: burstV && burstC ? 'count and value' : burstC ? 'count' : 'value' };
            }
          }
        }
        sumV += av[k];
        sumC += ac[k];
      }
      if (best) {
        const label = partyLabel(data, q);
        const ml = monthLabel(best.m + m0);
        const fin = (x: number) => (Number.isFinite(x) ? round(x, 2) : null);
        findings.push({
          score: best.score,
          title: `${label}: ${c[best.m]} invoices worth ${fmtAmount(v[best.m])} in ${ml}, far above its earlier months`,
          entities: [companyEntity(data, q)],
          amount: v[best.m],
          key: ml,
          evidence: {
            month: ml,
            invoices: c[best.m],
            value: v[best.m],
            marketFactorValue: round(fV[best.m], 3),
            marketFactorCount: round(fC[best.m], 3),
            historyMonths: best.m - first,
            historyMeanInvoices: round(best.histMeanC, 2),
            historyMeanValue: round(best.histMeanV, 0),
            zValue: fin(best.zV),
            zCount: fin(best.zC),
            ratio: fin(best.ratio),
            jumped: best.what,
            threshold: { min_z: p.min_z, min_ratio: p.min_ratio, min_invoices: p.min_invoices, min_history: p.min_history },
          },
          explanation: `In ${ml} ${label} issued ${c[best.m]} invoices worth ${fmtAmount(v[best.m])}, ${Number.isFinite(best.ratio) ? `${best.ratio.toFixed(1)}×` : 'far above'} its market-adjusted monthly mean of the ${best.m - first} months before (robust z ${Number.isFinite(best.z) ? best.z.toFixed(1) : '∞'}; thresholds z ≥ ${p.min_z}, ratio ≥ ${p.min_ratio}).`,
        });
      }
      for (let m = first; m <= last; m++) v[m] = c[m] = 0;
    }
    return { findings, applied, notApplicable, cutoffs: { months: M, medianMarketMonthValue: medV, medianMarketMonthInvoices: medC } };
  },
});
