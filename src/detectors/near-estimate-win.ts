import { ramp } from '../scoring/score.js';
import { byTender } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, buyerEntity, companyEntity, count, fmtAmount, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';

/** Ratios outside this band are taken as unit or data errors (an estimate in thousands, a price per item). */
export const PLAUSIBLE = [0.2, 1.5] as const;

export default defineDetector({
  id: 'near-estimate-win',
  title: 'Winning price at or just under the estimate',
  family: 'competition',
  rationale: 'When the winning price lands on the confidential estimate, the winner may have known it, or bidders did not compete on price.',
  sources: ['GTI (relative price)', 'VN savings-rate indicator (tỷ lệ tiết kiệm)', 'OCP R019'],
  needs: ['bids.estimated_value'],
  needsAny: [['bids.award_amount', 'bids.is_winner']],
  params: {
    ratio: { default: 0.99, min: 0.5, max: 1.5, description: 'flag when award / estimate is at least this' },
    strong: { default: 0.995, min: 0.5, max: 1.5, description: 'ratio from which the finding is strong' },
    pair_gap: { default: 0.08, min: 0, max: 1, description: 'buyer × winner: flag when the winner\'s mean ratio at this buyer exceeds its mean elsewhere by this much' },
    min_pair_awards: { default: 3, min: 2, integer: true, description: 'awards needed at the buyer, and elsewhere, before comparing a pair' },
  },
  explain: {
    definition:
      'For each awarded tender, the ratio of the award (or the winning bid) to the estimated value (package price). A ratio at or above `ratio` means almost no saving for the buyer. Separately, for each buyer × winner pair, the winner\'s mean ratio at this buyer is compared with its mean ratio at other buyers.',
    formula:
      'r = award_amount / estimated_value (winning bid price when no award amount); flag r ≥ ratio; score 0.5 at r = ratio, 0.65 at r = strong, 0.75 at r ≥ 1. Pair: gap = mean r(buyer, winner) − mean r(winner elsewhere) ≥ pair_gap with ≥ min_pair_awards on both sides; score 0.55 at the gap, 0.85 at gap + 0.15.',
    why: 'Vietnamese audits report savings rates under 1% as a sign that the estimate leaked or that bidders coordinated (quân xanh bids placed just above the designated winner). A winner that prices close to the estimate at one buyer but competes elsewhere suggests a captured buyer.',
    falsePositives: 'Estimates set from a recent market price, framework prices, and small tenders where the estimate is the market price.',
    exclusions: 'Ratios below 0.2 or above 1.5 are treated as unit mismatches and not judged.',
  },
  run(data, p) {
    const units = data.units;
    const est = units.table.num('estimated_value')!;
    const award = units.table.num('award_amount');
    const prices = bidPrices(data);
    const buyer = units.table.party('buyer_id');
    const notApplicable: Record<string, number> = {};
    const findings: FindingDraft[] = [];
    const ratio = new Float64Array(units.n).fill(NaN);
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      const e = est[u];
      if (!(e > 0)) {
        count(notApplicable, 'no estimate');
        continue;
      }
      const w = units.winnerBid[u];
      const a = award && award[u] > 0 ? award[u] : w >= 0 && prices ? prices[w] : NaN;
      if (!(a > 0)) {
        count(notApplicable, 'no award amount or winning bid');
        continue;
      }
      const r = a / e;
      if (r < PLAUSIBLE[0] || r > PLAUSIBLE[1]) {
        count(notApplicable, 'award/estimate implausible (unit mismatch?)');
        continue;
      }
      applied++;
      ratio[u] = r;
      if (r < p.ratio) continue;
      const score = r >= 1 ? 0.75 : r >= p.strong ? ramp(r, p.strong, 1, 0.65, 0.75) : ramp(r, p.ratio, p.strong, 0.5, 0.65);
      const entities = [tenderEntity(data, u)];
      if (units.winner[u] >= 0) entities.push(companyEntity(data, units.winner[u]));
      findings.push({
        score,
        title: `${tenderLabel(data, u)}: won at ${fmtPct(r, 2)} of the estimate${r >= p.strong ? ` (at or above the strong ${fmtPct(p.strong, 1)})` : ''}`,
        entities,
        amount: a,
        evidence: {
          award: a,
          estimate: e,
          ratio: round(r, 5),
          threshold: p.ratio,
          strong: p.strong,
          strongHit: r >= p.strong,
          savingsRate: round(1 - r, 5),
          buyer: buyer && buyer[u] >= 0 ? buyerEntity(data, buyer[u]) : null,
        },
        explanation: `The award of ${fmtAmount(a)} is ${fmtPct(r, 2)} of the estimate ${fmtAmount(e)} (saving ${fmtPct(1 - r, 2)}; flagged from ${fmtPct(p.ratio, 1)}, strong from ${fmtPct(p.strong, 1)}${r >= p.strong ? ', which it reaches' : ''}): the winner priced at the estimate.`,
      });
    }

    // buyer × winner: ratio at this buyer against the winner's ratio elsewhere
    if (buyer) {
      const byWinner = new Map<number, number[]>();
      for (let u = 0; u < units.n; u++) {
        if (Number.isNaN(ratio[u]) || units.winner[u] < 0 || buyer[u] < 0) continue;
        let l = byWinner.get(units.winner[u]);
        if (!l) byWinner.set(units.winner[u], (l = []));
        l.push(u);
      }
      const winners = [...byWinner.keys()].sort((a, b) => a - b);
      for (const w of winners) {
        const us = byWinner.get(w)!;
        const perBuyer = new Map<number, number[]>();
        let total = 0;
        for (const u of us) {
          total += ratio[u];
          let l = perBuyer.get(buyer[u]);
          if (!l) perBuyer.set(buyer[u], (l = []));
          l.push(u);
        }
        for (const [b, bu] of [...perBuyer].sort((x, y) => x[0] - y[0])) {
          const nElse = us.length - bu.length;
          if (bu.length < p.min_pair_awards || nElse < p.min_pair_awards) continue;
          const sumHere = bu.reduce((s, u) => s + ratio[u], 0);
          const here = sumHere / bu.length;
          const elsewhere = (total - sumHere) / nElse;
          const gap = here - elsewhere;
          if (gap < p.pair_gap) continue;
          bu.sort(byTender(data));
          const value = bu.reduce((s, u) => s + (award && award[u] > 0 ? award[u] : est[u] * ratio[u]), 0);
          findings.push({
            score: ramp(gap, p.pair_gap, p.pair_gap + 0.15, 0.55, 0.85),
            title: `${partyLabel(data, w)} prices ${fmtPct(gap, 1)} closer to the estimate at ${partyLabel(data, b)}`,
            entities: [buyerEntity(data, b), companyEntity(data, w), ...bu.map((u) => tenderEntity(data, u))],
            amount: value,
            key: 'pair',
            evidence: {
              meanRatioAtBuyer: round(here, 5),
              meanRatioElsewhere: round(elsewhere, 5),
              gap: round(gap, 5),
              threshold: p.pair_gap,
              awardsAtBuyer: bu.length,
              awardsElsewhere: nElse,
              tenders: bu.map((u) => tenderLabel(data, u)),
            },
            explanation: `At this buyer the winner's prices average ${fmtPct(here, 1)} of the estimate over ${bu.length} awards, against ${fmtPct(elsewhere, 1)} over ${nElse} awards elsewhere: it competes elsewhere but not here.`,
          });
        }
      }
    }
    return { findings, applied, notApplicable };
  },
});
