import { beatContext, beatsWithout, cobidGraph, expectedFrom, segmentCounts, sharedUnits } from '../graph/cobid.js';
import { ramp } from '../scoring/score.js';
import { binomialUpperTail, surprise } from '../stats/outliers.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';
import { byTender } from './tender-facts.js';

export default defineDetector({
  id: 'co-bidding-pair',
  title: 'Two firms that keep bidding together, one almost always ahead of the other',
  family: 'market',
  rationale: 'A cover bidder follows the firm it covers for: the pair turns up together much more often than their activity explains, and the cover always loses.',
  sources: ['OCP R053', 'OECD 2009 checklist (the same firms always bid together; a firm always loses to the same winner)', 'VN "quân xanh quân đỏ"'],
  needs: ['bids.bidder_id'],
  needsAny: [['bids.is_winner', 'bids.bid_amount', 'bids.final_amount']],
  uses: ['cobid-graph'],
  params: {
    min_cobids: { default: 5, min: 2, integer: true, description: 'tenders the pair must have bid in together' },
    min_lift: { default: 3, min: 1, description: 'co-bids ÷ co-bids expected from each firm\'s own participation, segment by segment' },
    min_exclusive: { default: 0.8, min: 0, max: 1, description: 'or: share of the follower\'s tenders in which the leader also bid' },
    min_dominance: { default: 0.9, min: 0.5, max: 1, description: 'share of their decided meetings that the leader won' },
    max_p: { default: 0.05, min: 0, max: 1, description: 'chance of that dominance given how often the leader beats other firms (and the follower loses to them)' },
  },
  explain: {
    definition:
      'For every pair of firms that bid in the same tenders (tenders with at most 40 bidders), how often they met, compared with how often they would meet if each bid independently within each segment (category × province) and with how many tenders the follower bid in at all, and how one-sided their meetings were: in how many the leader won or priced lower.',
    formula:
      'lift = cobids / Σ_s n_a,s · n_b,s / N_s; dominance = beats(leader) / decided meetings; p = P(X ≥ beats | Binomial(decided, q)) with q = max(0.5, the leader\'s beat rate against other firms in tenders without the follower, the follower\'s loss rate in tenders without the leader; 0.5 when fewer than 3 such meetings). exclusive = cobids / tenders of the follower. Flag cobids ≥ min_cobids, (lift ≥ min_lift or exclusive ≥ min_exclusive), dominance ≥ min_dominance, p ≤ max_p. Score 0.5 + 0.15 × −log10 p from 1.3 to 4 + 0.1 × exclusive from 0.5 to 1 + 0.05 × lift from min_lift to 3·min_lift.',
    why: 'Cover bidding leaves a pair trace: the cover bids where the designated winner bids, and loses. Comparing with each firm\'s record against others separates it from a strong incumbent that simply beats everybody.',
    falsePositives: 'A subcontractor that bids alongside its main contractor, specialised niches finer than the category (two firms that are the only makers of a product), and parent and subsidiary bidding together (see shared-identity).',
    exclusions: 'Tenders with more than 40 distinct bidders are left out of the pair counts.',
  },
  run(data, p) {
    const g = cobidGraph(data);
    const pairs = g.pairs;
    const bctx = beatContext(data);
    const segCache = new Map<number, Map<number, number>>();
    const segOf = (f: number) => {
      let m = segCache.get(f);
      if (!m) segCache.set(f, (m = segmentCounts(g, f)));
      return m;
    };
    const findings: FindingDraft[] = [];
    const candidates = pairs.slots(p.min_cobids);
    for (const s of candidates) {
      const a = pairs.a[s];
      const b = pairs.b[s];
      const n = pairs.n[s];
      const decided = pairs.aBeats[s] + pairs.bBeats[s];
      if (decided === 0) continue;
      const [leader, follower, beats] = pairs.aBeats[s] >= pairs.bBeats[s] ? [a, b, pairs.aBeats[s]] : [b, a, pairs.bBeats[s]];
      const dominance = beats / decided;
      if (dominance < p.min_dominance) continue;
      const expected = expectedFrom(g, segOf(a), segOf(b));
      const lift = expected > 0 ? n / expected : Infinity;
      const exclusive = n / Math.max(1, g.counted[follower]);
      if (lift < p.min_lift && exclusive < p.min_exclusive) continue;
      // the leader's record against others in tenders without the follower, and the follower's without the leader
      const lw = beatsWithout(g, bctx, leader, follower);
      const fw = beatsWithout(g, bctx, follower, leader);
      const leaderRate = lw.decided >= 3 ? lw.beats / lw.decided : 0.5;
      const followerLoss = fw.decided >= 3 ? 1 - fw.beats / fw.decided : 0.5;
      const q = Math.min(0.999, Math.max(0.5, leaderRate, followerLoss));
      const pv = binomialUpperTail(beats, decided, q);
      if (pv > p.max_p) continue;
      const sur = surprise(pv);
      const score =
        0.5 +
        0.15 * ramp(sur, 1.3, 4, 0, 1) +
        0.1 * ramp(exclusive, 0.5, 1, 0, 1) +
        0.05 * ramp(lift, p.min_lift, 3 * p.min_lift, 0, 1);
      const shared = sharedUnits(g, a, b).sort(byTender(data));
      const leaderWins = shared.reduce((t, u) => t + (data.units.winner[u] === leader ? 1 : 0), 0);
      const byLift = lift >= p.min_lift;
      const how = byLift ? (Number.isFinite(lift) ? `${round(lift, 1)}× the ${round(expected, 1)} expected` : 'none expected from their activity') : `${fmtPct(exclusive, 0)} of its tenders`;
      findings.push({
        score,
        title: `${partyLabel(data, follower)} met ${partyLabel(data, leader)} in ${n} tenders (${how}) and came out behind it in ${beats} of ${decided} (${data.parties.id(leader)} won ${leaderWins})`,
        entities: [companyEntity(data, leader), companyEntity(data, follower), ...shared.map((u) => tenderEntity(data, u))],
        evidence: {
          leader: partyLabel(data, leader),
          follower: partyLabel(data, follower),
          cobids: n,
          expectedCobids: round(expected, 2),
          lift: Number.isFinite(lift) ? round(lift, 2) : null,
          followerExclusive: round(exclusive),
          leaderBeats: beats,
          leaderWins,
          route: byLift ? 'lift' : 'exclusive',
          decided,
          dominance: round(dominance),
          leaderBeatRateElsewhere: lw.decided >= 3 ? round(leaderRate) : null,
          leaderMeetingsElsewhere: lw.decided,
          followerLossRateElsewhere: round(followerLoss),
          binomialP: Number(pv.toPrecision(3)),
          leaderTenders: g.counted[leader],
          followerTenders: g.counted[follower],
          threshold: { min_cobids: p.min_cobids, min_lift: p.min_lift, min_exclusive: p.min_exclusive, min_dominance: p.min_dominance, max_p: p.max_p },
          tenders: shared.slice(0, 50).map((u) => tenderLabel(data, u)),
        },
        explanation: `The pair met in ${n} tenders: ${fmtPct(exclusive, 0)} of the follower's tenders (threshold ${fmtPct(p.min_exclusive, 0)}), ${Number.isFinite(lift) ? `against ${round(expected, 1)} expected from their own activity (lift ${round(lift, 1)}, threshold ${p.min_lift})` : 'with none expected from their own activity'}; ${partyLabel(data, leader)} came out ahead (won, or priced lower, or stayed valid when the other was disqualified) in ${beats} of ${decided} meetings (${fmtPct(dominance, 0)}) and won ${leaderWins} of them, ${lw.decided >= 3 ? `though it beats other firms only ${fmtPct(leaderRate, 0)} of the time (${lw.beats} of ${lw.decided})` : `with too few tenders without the other firm to say how it fares against others (${lw.decided}; judged against an even chance)`}.`,
      });
    }
    return {
      findings,
      applied: candidates.length,
      notApplicable: g.skippedLarge ? { [`tenders with more than 40 bidders (not paired)`]: g.skippedLarge } : undefined,
      cutoffs: { pairsCounted: pairs.size, pairsWithMinCobids: candidates.length, tendersPaired: g.nUnits },
    };
  },
});

