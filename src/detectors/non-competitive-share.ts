import { ramp } from '../scoring/score.js';
import { sketch, type Sketch } from '../stats/quantiles.js';
import { fenceCutoffs, fencesOf, iqrsAboveQ3, sketchFrom } from '../stats/outliers.js';
import { byTender } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, buyerEntity, count, fmtAmount, fmtPct, partyLabel, round, tenderLabel } from './util.js';

/** Procedures that award without competition. */
const NON_COMPETITIVE = new Set(['designated', 'direct', 'negotiated', 'special']);
/** Procedures that are not an award to a supplier at all. */
const NOT_AWARDS = new Set(['self-performed', 'community']);

interface Reference {
  share: Sketch;
}

export default defineDetector({
  id: 'non-competitive-share',
  title: 'A buyer awards an outlying share of its value without competition',
  family: 'competition',
  rationale: 'Designated contracting, direct purchases and single-bid tenders escape price competition; a buyer that places far more of its money this way than its peers may be steering contracts.',
  sources: ['GTI (share of non-open procedures and single bidding)', 'OCP R018', 'VN Law 22/2023/QH15 Art. 23 (designated contracting)'],
  needs: ['bids.buyer_id'],
  needsAny: [['bids.award_amount', 'bids.is_winner']],
  params: {
    min_awards: { default: 5, min: 1, integer: true, description: 'awards a buyer must have made before it is judged' },
    k: { default: 1.5, min: 0, description: 'Tukey fence: flag a share above Q3 + k·IQR of the buyers\' shares' },
    iqr_floor: { default: 0.05, min: 0, max: 1, description: 'smallest IQR used for the fence' },
    min_share: { default: 0.5, min: 0, max: 1, description: 'and the non-competitive share of value is at least this' },
  },
  explain: {
    definition:
      'For each buyer with at least `min_awards` awards, the share of the value it awarded without competition: designated contracting, direct purchase, negotiated and special procedures, and competitive tenders that received a single bid. The share is compared with the shares of all other buyers.',
    formula:
      'share = Σ value(non-competitive) / Σ value(all awards) (by count when no amounts); flag share > Q3 + k·IQR and share ≥ min_share. Score 0.5 at the fence rising to 0.75 at 4 IQRs beyond it, × 0.85 for buyers with few awards (full weight from 20), never below 0.5.',
    why: 'Non-competitive awards are legal under their ceilings but are where favouritism is cheapest; GTI and the OCP guide use the share of spending without competition as a buyer-level risk indicator.',
    falsePositives: 'Buyers whose purchases are mostly small (designated contracting below the ceiling is the normal route), emergency programmes, and buyers in remote provinces with few suppliers.',
    exclusions: 'Self-performed and community-participation packages are not awards and are not counted. Tenders without a procedure and without bid rows cannot be classified and are not counted.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const buyer = units.table.party('buyer_id')!;
    const proc = units.table.str('procedure');
    const award = units.table.num('award_amount');
    const est = units.table.num('estimated_value');
    const nBidders = units.table.num('number_of_bidders');
    const prices = bidPrices(data);
    const notApplicable: Record<string, number> = {};
    const P = data.parties.size;
    const total = new Float64Array(P);
    const nonComp = new Float64Array(P);
    const awards = new Int32Array(P);
    const nonCompN = new Int32Array(P);
    const kindOf = new Int8Array(units.n).fill(-1); // 1 non-competitive, 0 competitive
    const valueOf = new Float64Array(units.n);
    let anyValue = false;
    for (let u = 0; u < units.n; u++) {
      const b = buyer[u];
      const w = units.winnerBid[u];
      const a = award && award[u] > 0 ? award[u] : w >= 0 && prices && prices[w] > 0 ? prices[w] : NaN;
      if (b < 0 || (units.winner[u] < 0 && !(a > 0))) continue;
      const procedure = proc && proc.codes[u] >= 0 ? proc.dict[proc.codes[u]] : '';
      if (NOT_AWARDS.has(procedure)) continue;
      const nb = units.nBids(u) || (nBidders && nBidders[u] >= 0 ? nBidders[u] : 0);
      let kind: number;
      if (NON_COMPETITIVE.has(procedure)) kind = 1;
      else if (nb === 1) kind = 1;
      else if (nb >= 2) kind = 0;
      else {
        count(notApplicable, 'awards that cannot be classified (competitive or blank procedure, no bids or bidder count)');
        continue;
      }
      const v = a > 0 ? a : est && est[u] > 0 ? est[u] : 0;
      if (v > 0) anyValue = true;
      kindOf[u] = kind;
      valueOf[u] = v;
      awards[b]++;
      total[b] += v;
      if (kind) {
        nonCompN[b]++;
        nonComp[b] += v;
      }
    }
    const judged: number[] = [];
    const shares: number[] = [];
    for (let b = 0; b < P; b++) {
      if (!awards[b]) continue;
      if (awards[b] < p.min_awards) {
        count(notApplicable, `buyers with fewer than ${p.min_awards} awards`);
        continue;
      }
      judged.push(b);
      shares.push(anyValue && total[b] > 0 ? nonComp[b] / total[b] : nonCompN[b] / awards[b]);
    }
    const reference: Reference = { share: sketch(shares) };
    const f = fencesOf(sketchFrom(ctx.reference, 'share') ?? reference.share, p.k, p.iqr_floor);
    const findings: FindingDraft[] = [];
    // each flagged buyer's non-competitive tenders, for the evidence
    const flagged = new Map<number, number[]>();
    const tenderOrder = byTender(data);
    judged.forEach((b, i) => {
      if (shares[i] > f.upper && shares[i] >= p.min_share) flagged.set(b, []);
    });
    for (let u = 0; u < units.n; u++) if (kindOf[u] === 1) flagged.get(buyer[u])?.push(u);
    judged.forEach((b, i) => {
      const us = flagged.get(b);
      if (!us) return;
      const share = shares[i];
      const byProcedure: Record<string, number> = {};
      for (const u of us) {
        const procedure = proc && proc.codes[u] >= 0 ? proc.dict[proc.codes[u]] : '';
        count(byProcedure, NON_COMPETITIVE.has(procedure) ? procedure : 'single bid');
      }
      // the largest, ties by tender id (not by row)
      const top = us.slice().sort((x, y) => valueOf[y] - valueOf[x] || tenderOrder(x, y)).slice(0, 20);
      const confidence = ramp(awards[b], p.min_awards, 20, 0.85, 1);
      findings.push({
        score: Math.max(0.5, ramp(iqrsAboveQ3(share, f), p.k, p.k + 4, 0.5, 0.75) * confidence),
        title: `${partyLabel(data, b)} awarded ${fmtPct(share, 0)} of its ${anyValue ? 'value' : 'awards'} without competition`,
        entities: [buyerEntity(data, b)],
        amount: anyValue ? nonComp[b] : null,
        evidence: {
          awards: awards[b],
          nonCompetitiveAwards: nonCompN[b],
          valueAwarded: anyValue ? total[b] : null,
          valueNonCompetitive: anyValue ? nonComp[b] : null,
          share: round(share),
          basis: anyValue ? 'value' : 'count',
          byProcedure: Object.fromEntries(Object.entries(byProcedure).sort()),
          medianShare: round(f.median),
          upperFence: round(f.upper),
          threshold: { k: p.k, min_share: p.min_share, min_awards: p.min_awards },
          largestTenders: top.map((u) => ({ tender: tenderLabel(data, u), value: valueOf[u] })),
        },
        explanation: `${fmtPct(share, 0)} of this buyer's ${anyValue ? `${fmtAmount(total[b])} awarded` : `${awards[b]} awards`} went without competition (designated, direct or a single bid), against a median of ${fmtPct(f.median, 0)} among buyers and a fence of ${fmtPct(f.upper, 0)}.`,
      });
    });
    return { findings, applied: judged.length, notApplicable, cutoffs: fenceCutoffs('share', f), reference };
  },
});
