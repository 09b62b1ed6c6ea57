import { ramp } from '../scoring/score.js';
import { diffpByUnit, diffpCutoffs, rankBySegment } from '../stats/tender-prices.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, fmtAmount, fmtPct, partyLabel, round, rowRef, tenderEntity, tenderLabel } from './util.js';

export default defineDetector({
  id: 'close-second-bid',
  title: 'Second-lowest bid just above the winner',
  family: 'price',
  rationale: 'A runner-up that lands a hair above the lowest bid, far closer than bids usually fall, is the mark of a cover bid placed just above the designated winner.',
  sources: ['OCP R024 (price close to winning bid)', 'Imhof 2017 (DIFFP screen)', 'OECD 2009 Guidelines for fighting bid rigging'],
  needs: ['bids.tender_id'],
  needsAny: [['bids.bid_amount', 'bids.final_amount']],
  params: {
    min_bids: { default: 2, min: 2, integer: true, description: 'valid bids a tender needs to be judged' },
    min_segment: { default: 30, min: 1, integer: true, description: 'tenders a category × procedure segment needs for its own percentiles; else the whole input' },
    tail: { default: 0.02, min: 0, max: 0.5, description: 'flag when the gap ranks in this lowest share of its segment' },
    max_gap: { default: 0.005, min: 0, max: 1, description: 'and the gap (b2 − b1)/b1 is at most this' },
  },
  explain: {
    definition: 'For each tender with at least `min_bids` valid bids, the relative gap between the two lowest bids, DIFFP = (b2 − b1)/b1, ranked among tenders of its segment (category × procedure with ≥ `min_segment` tenders, else the whole input) or against a baseline. A gap in the lowest `tail` of the segment that is also at most `max_gap` is flagged. Exactly equal bids are left to identical-bids.',
    formula: 'DIFFP = (b2 − b1)/b1; flag when 0 < DIFFP ≤ max_gap and rank(DIFFP) ≤ tail. Score 0.3 at DIFFP = max_gap rising linearly to 0.45 as DIFFP → 0: a low (context) flag, never medium or high on its own, because DIFFP carries no collusion signal on the labelled cartel sets (tender AUC 0.39–0.56, docs/screens.md); it adds to an entity\'s risk when other detectors agree.',
    why: 'The runner-up of an honest tender has no idea where the winner will bid; a cover bidder does, and prices just above it so that the winner is certain to win while the tender looks competitive.',
    falsePositives: 'Commodity goods with thin margins and a common list price, very large tenders where a 0.5% gap is still a large sum, and re-bids after a negotiation round.',
    exclusions: 'Disqualified, withdrawn and late bids and non-positive prices are left out; identical lowest bids (DIFFP = 0) are identical-bids\' finding.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const prices = bidPrices(data)!;
    const bidder = data.bids!.party('bidder_id');
    const { diffp, rows, notApplicable } = diffpByUnit(data, prices, p.min_bids);
    let ties = 0;
    for (let u = 0; u < units.n; u++) if (diffp[u] === 0) ties++;
    const { rank, reference, segmentOf, fromBaseline } = rankBySegment(data, diffp, p.min_segment, 'close-second-bid', ctx.reference);
    const findings: FindingDraft[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      if (Number.isNaN(diffp[u])) continue;
      applied++;
      const d = diffp[u];
      if (!(d > 0 && d <= p.max_gap && rank[u] <= p.tail)) continue;
      const [r1, r2] = rows[u];
      const first = bidder ? bidder[r1] : -1;
      const second = bidder ? bidder[r2] : -1;
      const entities = [tenderEntity(data, u)];
      for (const x of [units.winner[u] >= 0 ? units.winner[u] : first, second]) if (x >= 0 && !entities.some((e) => e.type === 'company' && e.id === data.parties.id(x))) entities.push(companyEntity(data, x));
      const seg = segmentOf(u);
      findings.push({
        score: ramp(d, p.max_gap, 0, 0.3, 0.45),
        title: `${tenderLabel(data, u)}: second bid only ${fmtPct(d, 2)} above the lowest`,
        entities,
        amount: prices[r1],
        evidence: {
          lowest: prices[r1],
          second: prices[r2],
          diffp: round(d, 6),
          percentile: round(rank[u], 4),
          segment: seg,
          thresholds: { tail: p.tail, max_gap: p.max_gap },
          rows: [rowRef(data, 'bids', r1), rowRef(data, 'bids', r2)],
          reference: fromBaseline ? 'baseline' : 'this data',
        },
        explanation: `${second >= 0 ? partyLabel(data, second) : 'The runner-up'} bid ${fmtAmount(prices[r2])}, only ${fmtPct(d, 2)} above the lowest ${fmtAmount(prices[r1])} (threshold ${fmtPct(p.max_gap, 1)}; ${rank[u] > 0 ? `among the closest ${fmtPct(rank[u], 1)} of tenders in segment "${seg}"` : `no tender in segment "${seg}" has a closer second bid`}): a cover bid placed just above the winner looks like this.`,
      });
    }
    const cutoffs = diffpCutoffs(reference, p.tail);
    const notes = ties ? [`${ties} tenders whose two lowest bids are identical are left to identical-bids`] : undefined;
    return { findings, applied, notApplicable, cutoffs, notes, reference };
  },
});
