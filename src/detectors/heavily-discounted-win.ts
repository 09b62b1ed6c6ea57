import { ramp } from '../scoring/score.js';
import { diffpByUnit, diffpCutoffs, rankBySegment } from '../stats/tender-prices.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, fmtAmount, fmtPct, partyLabel, round, rowRef, tenderEntity, tenderLabel } from './util.js';

export default defineDetector({
  id: 'heavily-discounted-win',
  title: 'Winning bid far below every other bid',
  family: 'price',
  rationale: 'A winner far below all rivals either knows something they do not, plans to recover the price later (change orders, renegotiation), or faces rivals whose bids were never meant to win.',
  sources: ['OCP R058 (heavily discounted bid)', 'Imhof 2017 (DIFFP and RD screens)', 'OECD 2009 Guidelines for fighting bid rigging'],
  needs: ['bids.tender_id'],
  needsAny: [['bids.bid_amount', 'bids.final_amount']],
  params: {
    min_bids: { default: 3, min: 2, integer: true, description: 'valid bids a tender needs to be judged' },
    min_segment: { default: 30, min: 1, integer: true, description: 'tenders a category × procedure segment needs for its own percentiles; else the whole input' },
    tail: { default: 0.02, min: 0, max: 0.5, description: 'flag when the gap ranks in this highest share of its segment' },
    min_gap: { default: 0.25, min: 0, description: 'and the gap (b2 − b1)/b1 is at least this' },
  },
  explain: {
    definition: 'For each tender with at least `min_bids` valid bids won by its lowest bid, the relative gap between the winner and the next bid, DIFFP = (b2 − b1)/b1, ranked among tenders of its segment (category × procedure with ≥ `min_segment` tenders, else the whole input) or against a baseline. A gap in the highest `tail` of the segment that is also at least `min_gap` is flagged.',
    formula: 'DIFFP = (b2 − b1)/b1; flag when DIFFP ≥ min_gap and rank(DIFFP) ≥ 1 − tail. Score 0.3 at DIFFP = min_gap rising to 0.45 at DIFFP = min_gap + 0.5: a low (context) flag, never medium or high on its own, because DIFFP carries no collusion signal on the labelled cartel sets (tender AUC 0.39–0.56, docs/screens.md); it adds to an entity\'s risk when other detectors agree.',
    why: 'A winning price that far below every rival is rarely the honest cost: it may be a bid made with knowledge of later contract changes, a loss leader, or the one real bid among cover bids set deliberately high.',
    falsePositives: 'A rival that misunderstood the scope, a new technology, a firm clearing capacity, and tenders with two very different kinds of bidder (local and national).',
    exclusions: 'Disqualified, withdrawn and late bids and non-positive prices are left out; tenders whose named winner is not the lowest valid bid are not judged.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const prices = bidPrices(data)!;
    const bidder = data.bids!.party('bidder_id');
    const { diffp, rows: validRows, notApplicable } = diffpByUnit(data, prices, p.min_bids, (u, b) => {
      const wb = units.winnerBid[u];
      return wb >= 0 && prices[wb] !== b[0] ? 'winner is not the lowest valid bid' : undefined;
    });
    const { rank, reference, segmentOf, fromBaseline } = rankBySegment(data, diffp, p.min_segment, 'heavily-discounted-win', ctx.reference);
    const findings: FindingDraft[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      if (Number.isNaN(diffp[u])) continue;
      applied++;
      const d = diffp[u];
      if (!(d >= p.min_gap && rank[u] >= 1 - p.tail)) continue;
      const rows = validRows[u];
      // the median of the other valid bids (rows[1..], cheapest first)
      const m = rows.length - 1;
      const median = m % 2 ? prices[rows[1 + (m - 1) / 2]] : (prices[rows[m / 2]] + prices[rows[m / 2 + 1]]) / 2;
      const r1 = rows[0];
      const winner = units.winner[u] >= 0 ? units.winner[u] : bidder ? bidder[r1] : -1;
      const entities = [tenderEntity(data, u)];
      if (winner >= 0) entities.push(companyEntity(data, winner));
      const seg = segmentOf(u);
      findings.push({
        score: ramp(d, p.min_gap, p.min_gap + 0.5, 0.3, 0.45),
        title: `${tenderLabel(data, u)}: the next bid is ${fmtPct(d, 1)} above the winning bid`,
        entities,
        amount: prices[r1],
        evidence: {
          winningBid: prices[r1],
          nextBid: prices[rows[1]],
          medianOtherBids: median,
          diffp: round(d, 6),
          percentile: round(rank[u], 4),
          segment: seg,
          bids: rows.length,
          thresholds: { tail: p.tail, min_gap: p.min_gap },
          rows: [rowRef(data, 'bids', r1), rowRef(data, 'bids', rows[1])],
          reference: fromBaseline ? 'baseline' : 'this data',
        },
        explanation: `${winner >= 0 ? partyLabel(data, winner) : 'The winner'} won with ${fmtAmount(prices[r1])}, far below the next bid ${fmtAmount(prices[rows[1]])}, which is ${fmtPct(d, 1)} above it (threshold ${fmtPct(p.min_gap, 0)}; ${rank[u] >= 0.9995 ? `no tender in segment "${seg}" has a wider gap` : `a gap wider than ${fmtPct(rank[u], 1)} of tenders in segment "${seg}"`}): check later contract changes and whether the other bids were real.`,
      });
    }
    const cutoffs = diffpCutoffs(reference, 1 - p.tail);
    return { findings, applied, notApplicable, cutoffs, reference };
  },
});
