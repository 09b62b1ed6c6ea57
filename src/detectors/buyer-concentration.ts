import { ramp } from '../scoring/score.js';
import { sketch, type Sketch } from '../stats/quantiles.js';
import { fenceCutoffs, fencesOf, iqrsAboveQ3, sketchFrom } from '../stats/outliers.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, buyerEntity, companyEntity, count, fmtPct, partyLabel, round } from './util.js';

interface Reference {
  hhi: Sketch;
}

export default defineDetector({
  id: 'buyer-concentration',
  title: 'A buyer\'s awards are concentrated on few suppliers',
  family: 'market',
  rationale: 'A buyer whose spending goes to one or two suppliers, far more than other buyers\' does, may have closed its market to competitors.',
  sources: ['OCP R050', 'GTI supplier concentration', 'Herfindahl-Hirschman index (US DOJ/FTC merger guidelines: 2,500 = highly concentrated)'],
  needs: ['bids.buyer_id'],
  needsAny: [['bids.award_amount', 'bids.is_winner']],
  params: {
    min_awards: { default: 10, min: 2, integer: true, description: 'awards a buyer must have made before it is judged' },
    k: { default: 1.5, min: 0, description: 'Tukey fence: flag a normalised HHI above Q3 + k·IQR of the buyers\' values' },
    iqr_floor: { default: 0.05, min: 0, max: 1, description: 'smallest IQR used for the fence' },
    min_hhi: { default: 0.25, min: 0, max: 1, description: 'and the HHI itself is at least this (0.25 = "highly concentrated")' },
  },
  explain: {
    definition:
      'For each buyer with at least `min_awards` awards to identified suppliers, the Herfindahl-Hirschman index of its suppliers\' shares of the value awarded (of the count when there are no amounts), normalised for the number of awards so that small buyers are not concentrated by arithmetic alone, and compared with the other buyers.',
    formula:
      'HHI = Σ_s share_s²; HHI* = (HHI − 1/n) / (1 − 1/n) with n awards (≥ 0); flag HHI* > Q3 + k·IQR (IQR ≥ iqr_floor) and HHI ≥ min_hhi. Score 0.5 at the fence rising to 0.75 at 4 IQRs beyond it, × 0.85 for buyers with few awards (full weight from 30), never below 0.5. A concentration index is context, not proof, so the score stays medium.',
    why: 'Concentrated spending is the market-level trace of favouritism (a backyard supplier, "sân sau") and of buyer capture; OCP lists it as R050.',
    falsePositives: 'Buyers with a narrow mandate (a hospital buying one kind of equipment), sole suppliers of a proprietary system, utilities, and remote buyers with few suppliers. Read it with repeat-winner, which compares the top supplier with its share at other buyers.',
    exclusions: 'Awards without an identified winner are not counted.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const buyer = units.table.party('buyer_id')!;
    const award = units.table.num('award_amount');
    const prices = bidPrices(data);
    const notApplicable: Record<string, number> = {};
    const byBuyer = new Map<number, number[]>();
    let anyValue = false;
    const value = new Float64Array(units.n);
    for (let u = 0; u < units.n; u++) {
      if (buyer[u] < 0 || units.winner[u] < 0) continue;
      const w = units.winnerBid[u];
      value[u] = award && award[u] > 0 ? award[u] : w >= 0 && prices && prices[w] > 0 ? prices[w] : 0;
      if (value[u] > 0) anyValue = true;
      let l = byBuyer.get(buyer[u]);
      if (!l) byBuyer.set(buyer[u], (l = []));
      l.push(u);
    }
    interface Row {
      b: number;
      n: number;
      hhi: number;
      norm: number;
      total: number;
      suppliers: [number, number][];
    }
    const rows: Row[] = [];
    for (const b of [...byBuyer.keys()].sort((x, y) => x - y)) {
      const us = byBuyer.get(b)!;
      if (us.length < p.min_awards) {
        count(notApplicable, `fewer than ${p.min_awards} awards`);
        continue;
      }
      const per = new Map<number, number>();
      let total = 0;
      for (const u of us) {
        const v = anyValue ? value[u] : 1;
        per.set(units.winner[u], (per.get(units.winner[u]) ?? 0) + v);
        total += v;
      }
      if (!(total > 0)) {
        count(notApplicable, 'no award values');
        continue;
      }
      let hhi = 0;
      for (const v of per.values()) hhi += (v / total) ** 2;
      const n = us.length;
      const norm = Math.max(0, (hhi - 1 / n) / (1 - 1 / n));
      const suppliers = [...per].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      rows.push({ b, n, hhi, norm, total, suppliers });
    }
    const reference: Reference = { hhi: sketch(rows.map((r) => r.norm)) };
    const f = fencesOf(sketchFrom(ctx.reference, 'hhi') ?? reference.hhi, p.k, p.iqr_floor);
    const findings: FindingDraft[] = [];
    for (const r of rows) {
      if (r.norm <= f.upper || r.hhi < p.min_hhi) continue;
      const [top, topV] = r.suppliers[0];
      const topShare = topV / r.total;
      findings.push({
        score: Math.max(0.5, ramp(iqrsAboveQ3(r.norm, f), p.k, p.k + 4, 0.5, 0.75) * ramp(r.n, p.min_awards, 30, 0.85, 1)),
        title: `${partyLabel(data, r.b)}: supplier concentration HHI ${Math.round(r.hhi * 10000)} over ${r.n} awards`,
        entities: [buyerEntity(data, r.b), companyEntity(data, top)],
        amount: anyValue ? topV : null,
        evidence: {
          awards: r.n,
          suppliers: r.suppliers.length,
          hhi: round(r.hhi),
          hhiNormalised: round(r.norm),
          basis: anyValue ? 'value' : 'count',
          topSuppliers: r.suppliers.slice(0, 5).map(([s, v]) => ({ supplier: partyLabel(data, s), share: round(v / r.total) })),
          medianHhiNormalised: round(f.median),
          upperFence: round(f.upper),
          threshold: { k: p.k, min_hhi: p.min_hhi, min_awards: p.min_awards },
        },
        explanation: `${r.suppliers.length} supplier${r.suppliers.length === 1 ? '' : 's'} share this buyer's ${r.n} awards with HHI ${Math.round(r.hhi * 10000)} (${partyLabel(data, top)} alone ${fmtPct(topShare, 0)}), against a normalised median of ${round(f.median, 3)} among buyers and a fence of ${round(f.upper, 3)}.`,
      });
    }
    return { findings, applied: rows.length, notApplicable, cutoffs: { ...fenceCutoffs('hhiNormalised', f), min_hhi: p.min_hhi }, reference };
  },
});
