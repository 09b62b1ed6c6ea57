import { ramp } from '../scoring/score.js';
import { quantile, sketch, type Sketch } from '../stats/quantiles.js';
import { poissonLowerTail, sketchFrom, surprise } from '../stats/outliers.js';
import { defineDetector, type FindingDraft } from './types.js';
import { byPartyId } from './tender-facts.js';
import { companyEntity, count, fmtChance, fmtPct, partyLabel, round } from './util.js';

interface Reference {
  bids: Sketch;
}

export default defineDetector({
  id: 'permanent-loser',
  title: 'A firm bids often and (almost) never wins',
  family: 'market',
  rationale: 'A firm that keeps bidding without winning is either very uncompetitive or not trying to win: cover bidders ("quân xanh") bid to make a rigged tender look competitive.',
  sources: ['OCP R025', 'GTI', 'OECD 2009 checklist (bidders that bid but never win)'],
  needs: ['bids.bidder_id', 'bids.is_winner'],
  params: {
    percentile: { default: 0.75, min: 0, max: 1, description: 'judge bidders whose bid count is at least this percentile of all bidders\' counts' },
    min_bids: { default: 10, min: 1, integer: true, description: 'and at least this many bids' },
    max_p: { default: 0.01, min: 0, max: 1, description: 'flag when the chance of winning this few at a fair share is at most this' },
    zero_bids: { default: 10, min: 1, integer: true, description: 'also flag zero wins in at least this many bids…' },
    zero_min_expected: { default: 1, min: 0, description: '…when a fair share would have given at least this many wins (in tenders with dozens of bidders, zero wins in 10 bids is ordinary)' },
  },
  explain: {
    definition:
      'For each bidder in the busiest quarter of bidders (bid count ≥ the `percentile` of bid counts, and ≥ `min_bids`), its wins compared with a fair share: the wins it would expect if every bidder of a tender had the same chance.',
    formula:
      'expected = Σ over its tenders of 1 / bidders(tender); P = Poisson(expected) lower tail at its wins; flag P ≤ max_p, or wins = 0 with bids ≥ zero_bids and expected ≥ zero_min_expected. Score 0.5 at −log10 P = 1 rising to 0.8 at −log10 P = 6 (0.75 at most below 30 bids).',
    why: 'Cover bidding needs firms that bid and lose on purpose; the same losers reappear around the same winners. A firm that loses far more often than chance allows is worth checking against shared-identity, co-bidding-pair and invoices from the winner.',
    falsePositives: 'Genuinely uncompetitive firms, firms that bid for market intelligence, and new entrants. The fair-share expectation ignores price competitiveness, so a firm that is simply always more expensive is also flagged; the score stays medium unless the record is long.',
    exclusions: 'Bids on tenders without a known winner do not count.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const bidder = data.bids!.party('bidder_id')!;
    const P = data.parties.size;
    const nBids = new Int32Array(P);
    const wins = new Int32Array(P);
    const expected = new Float64Array(P);
    const lastUnit = new Int32Array(P).fill(-1);
    const firms: number[] = [];
    const notApplicable: Record<string, number> = {};
    for (let u = 0; u < units.n; u++) {
      if (units.winner[u] < 0) continue;
      firms.length = 0;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const f = bidder[units.bidRows[k]];
        if (f < 0 || lastUnit[f] === u) continue;
        lastUnit[f] = u;
        firms.push(f);
      }
      for (const f of firms) {
        nBids[f]++;
        expected[f] += 1 / firms.length;
        if (units.winner[u] === f) wins[f]++;
      }
    }
    const counts: number[] = [];
    for (let f = 0; f < P; f++) if (nBids[f] > 0) counts.push(nBids[f]);
    const reference: Reference = { bids: sketch(counts) };
    const pct = quantile(sketchFrom(ctx.reference, 'bids') ?? reference.bids, p.percentile);
    const minBids = Math.max(p.min_bids, Math.ceil(pct));
    const findings: FindingDraft[] = [];
    let applied = 0;
    const flagged: number[] = [];
    for (let f = 0; f < P; f++) {
      if (nBids[f] === 0) continue;
      if (nBids[f] < minBids) {
        count(notApplicable, 'bidders below the bid-count cut-off');
        continue;
      }
      applied++;
      const pv = poissonLowerTail(wins[f], expected[f]);
      if (pv <= p.max_p || (wins[f] === 0 && nBids[f] >= p.zero_bids && expected[f] >= p.zero_min_expected)) flagged.push(f);
    }
    // who beat them: the winners of their tenders
    const beatenBy = new Map<number, Map<number, number>>();
    for (const f of flagged) beatenBy.set(f, new Map());
    for (let u = 0; u < units.n; u++) {
      const w = units.winner[u];
      if (w < 0) continue;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const m = beatenBy.get(bidder[units.bidRows[k]]);
        if (m && w !== bidder[units.bidRows[k]]) m.set(w, (m.get(w) ?? 0) + 1);
      }
    }
    for (const f of flagged) {
      const pv = poissonLowerTail(wins[f], expected[f]);
      const sur = surprise(pv);
      const rate = wins[f] / nBids[f];
      const partyOrder = byPartyId(data);
      const winners = [...beatenBy.get(f)!].sort((a, b) => b[1] - a[1] || partyOrder(a[0], b[0]));
      const score = Math.min(ramp(sur, 1, 6, 0.5, 0.8), nBids[f] >= 30 ? 1 : 0.75);
      findings.push({
        score,
        title: `${partyLabel(data, f)} won ${wins[f]} of ${nBids[f]} tenders (fair share ${round(expected[f], 1)})`,
        entities: [companyEntity(data, f)],
        evidence: {
          bids: nBids[f],
          wins: wins[f],
          winRate: round(rate),
          expectedWins: round(expected[f], 2),
          poissonP: Number(pv.toPrecision(3)),
          bidCountCutoff: minBids,
          lostMostTo: winners.slice(0, 5).map(([w, n]) => ({ winner: partyLabel(data, w), times: n })),
          threshold: { percentile: p.percentile, min_bids: p.min_bids, max_p: p.max_p, zero_bids: p.zero_bids, zero_min_expected: p.zero_min_expected },
        },
        explanation: `This firm bid in ${nBids[f]} awarded tenders and won ${wins[f]} (${fmtPct(rate, 0)}), where an equal chance in each would give ${round(expected[f], 1)} wins (chance ${fmtChance(pv)}); it lost most often to ${winners.length ? partyLabel(data, winners[0][0]) : 'no one'}.`,
      });
    }
    return { findings, applied, notApplicable, cutoffs: { bidCountPercentile: round(pct, 2), bidCountCutoff: minBids }, reference };
  },
});
