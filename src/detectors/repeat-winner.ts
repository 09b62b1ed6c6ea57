import { unitSegments } from '../graph/cobid.js';
import { ramp } from '../scoring/score.js';
import { binomialUpperTail, median } from '../stats/outliers.js';
import { byTender } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, buyerEntity, companyEntity, count, fmtAmount, fmtPct, partyLabel, round, tenderEntity } from './util.js';

export default defineDetector({
  id: 'repeat-winner',
  title: 'One supplier wins most of a buyer\'s awards',
  family: 'market',
  rationale: 'A supplier that wins most of one buyer\'s tenders, often in unbroken streaks, may be favoured by that buyer ("sân sau", a backyard firm).',
  sources: ['OCP R040', 'GTI supplier concentration', 'VN Decree 24/2024 P15'],
  needs: ['bids.buyer_id', 'bids.is_winner'],
  params: {
    min_awards: { default: 5, min: 2, integer: true, description: 'awards a buyer must have made before it is judged' },
    min_share: { default: 0.5, min: 0, max: 1, description: 'share of the buyer\'s awards (by count) won by one supplier' },
    min_excess: { default: 0.25, min: 0, max: 1, description: 'and that share exceeds by this much the share the supplier wins in the same segments (category × province) at other buyers' },
    max_p: { default: 0.01, min: 0, max: 1, description: 'and the chance of that many wins at the share it wins elsewhere (at least 10%) is at most this' },
  },
  explain: {
    definition:
      'For each buyer with at least `min_awards` awarded tenders, the share of those awards (by count and by value) won by its most frequent supplier, and that supplier\'s longest streak of consecutive awards in date order. The share is compared with what the same supplier wins in the same segments (category × province) at other buyers, so a supplier that dominates its whole market (a large honest incumbent) does not fire at every buyer of that market; the typical top share of buyers in the segment is reported beside it.',
    formula:
      'share = wins(buyer, supplier) / awards(buyer); expected = mean over the buyer\'s awards u of wins(supplier, segment(u), other buyers) / awards(segment(u), other buyers); p = P(X ≥ wins | Binomial(awards, max(expected, 0.1))); flag share ≥ min_share, share − expected ≥ min_excess and p ≤ max_p (so 3 of 6 awards is not enough). Score = (0.5 at share = min_share → 0.85 at share = 1) × (0.85 at the excess threshold → 1 at 0.3 beyond it) × (0.85 at min_awards → 1 from 20 awards) + up to 0.05 for a streak of 3 → 8 consecutive awards, clamped to [0.5, 1] (a flagged buyer is at least medium, however low the factors).',
    why: 'Repeated awards to one firm are the most direct trace of a captured buyer or a supplier with privileged access; streaks show the favour is ongoing rather than a single good contract.',
    falsePositives: 'Sole suppliers of a proprietary system, framework agreements, utilities, and small buyers with few specialised purchases.',
  },
  run(data, p) {
    const units = data.units;
    const buyer = units.table.party('buyer_id')!;
    const award = units.table.num('award_amount');
    const prices = bidPrices(data);
    const dateCol = units.table.num('award_date') ?? units.table.num('contract_date') ?? units.table.num('published_date');
    const byBuyer = new Map<number, number[]>();
    const notApplicable: Record<string, number> = {};
    for (let u = 0; u < units.n; u++) {
      if (buyer[u] < 0 || units.winner[u] < 0) continue;
      let l = byBuyer.get(buyer[u]);
      if (!l) byBuyer.set(buyer[u], (l = []));
      l.push(u);
    }
    // wins per (supplier, segment) and awards per segment, over all buyers
    const { segment, segName } = unitSegments(data);
    const S = segName.length;
    const segAwards = new Int32Array(S);
    const segWins = new Map<number, number>();
    for (let u = 0; u < units.n; u++) {
      if (buyer[u] < 0 || units.winner[u] < 0) continue;
      segAwards[segment[u]]++;
      const k = units.winner[u] * S + segment[u];
      segWins.set(k, (segWins.get(k) ?? 0) + 1);
    }
    // each judged buyer's top share, per main segment, for the typical top share of the segment
    const topShares = new Map<number, number[]>();
    const mainSegment = new Map<number, number>();
    for (const [b, us] of byBuyer) {
      if (us.length < p.min_awards) continue;
      const perSeg = new Map<number, number>();
      const wins = new Map<number, number>();
      for (const u of us) {
        perSeg.set(segment[u], (perSeg.get(segment[u]) ?? 0) + 1);
        wins.set(units.winner[u], (wins.get(units.winner[u]) ?? 0) + 1);
      }
      let main = -1;
      let mainN = 0;
      for (const [sg, n] of perSeg) if (n > mainN || (n === mainN && segName[sg] < segName[main])) [main, mainN] = [sg, n];
      mainSegment.set(b, main);
      let top = 0;
      for (const n of wins.values()) top = Math.max(top, n);
      let l = topShares.get(main);
      if (!l) topShares.set(main, (l = []));
      l.push(top / us.length);
    }
    const findings: FindingDraft[] = [];
    let applied = 0;
    const tenderOrder = byTender(data);
    const valueOf = (u: number) => {
      if (award && award[u] > 0) return award[u];
      const w = units.winnerBid[u];
      return w >= 0 && prices && prices[w] > 0 ? prices[w] : 0;
    };
    for (const b of [...byBuyer.keys()].sort((x, y) => x - y)) {
      const us = byBuyer.get(b)!;
      if (us.length < p.min_awards) {
        count(notApplicable, `fewer than ${p.min_awards} awards`);
        continue;
      }
      applied++;
      const wins = new Map<number, number>();
      for (const u of us) wins.set(units.winner[u], (wins.get(units.winner[u]) ?? 0) + 1);
      let top = -1;
      let topWins = 0;
      for (const [w, n] of wins) if (n > topWins || (n === topWins && data.parties.id(w) < data.parties.id(top))) [top, topWins] = [w, n];
      const share = topWins / us.length;
      if (share < p.min_share) continue;
      // what the same supplier wins in the same segments at other buyers
      const ownAwards = new Map<number, number>();
      const ownWins = new Map<number, number>();
      for (const u of us) {
        ownAwards.set(segment[u], (ownAwards.get(segment[u]) ?? 0) + 1);
        if (units.winner[u] === top) ownWins.set(segment[u], (ownWins.get(segment[u]) ?? 0) + 1);
      }
      let expectedSum = 0;
      let compared = 0;
      for (const [sg, n] of ownAwards) {
        const otherAwards = segAwards[sg] - n;
        if (otherAwards < p.min_awards) continue;
        const otherWins = (segWins.get(top * S + sg) ?? 0) - (ownWins.get(sg) ?? 0);
        expectedSum += (n * otherWins) / otherAwards;
        compared += n;
      }
      const expected = compared ? expectedSum / compared : 0;
      const excess = share - expected;
      if (excess < p.min_excess) continue;
      const pv = binomialUpperTail(topWins, us.length, Math.max(expected, 0.1));
      if (pv > p.max_p) continue;
      let total = 0;
      let mine = 0;
      for (const u of us) {
        const v = valueOf(u);
        total += v;
        if (units.winner[u] === top) mine += v;
      }
      // in date order, tenders of one day by tender id (not by row: the streak must not depend on it)
      const ordered = [...us].sort((x, y) => (dateCol ? (dateCol[x] || 0) - (dateCol[y] || 0) : 0) || tenderOrder(x, y));
      let streak = 0;
      let run = 0;
      for (const u of ordered) {
        run = units.winner[u] === top ? run + 1 : 0;
        streak = Math.max(streak, run);
      }
      const won = ordered.filter((u) => units.winner[u] === top).sort(tenderOrder);
      const confidence = ramp(us.length, p.min_awards, 20, 0.85, 1);
      const main = mainSegment.get(b)!;
      const typical = median(topShares.get(main) ?? []);
      const score =
        ramp(share, p.min_share, 1, 0.5, 0.85) * ramp(excess, p.min_excess, p.min_excess + 0.3, 0.85, 1) * confidence + ramp(streak, 3, 8, 0, 0.05);
      findings.push({
        score: Math.max(0.5, Math.min(1, score)),
        title: `${partyLabel(data, top)} won ${topWins} of ${us.length} awards of ${partyLabel(data, b)}`,
        entities: [buyerEntity(data, b), companyEntity(data, top), ...won.map((u) => tenderEntity(data, u))],
        amount: mine || null,
        evidence: {
          awards: us.length,
          wins: topWins,
          shareByCount: round(share),
          shareByValue: total > 0 ? round(mine / total) : null,
          valueWon: mine,
          valueAwarded: total,
          longestStreak: streak,
          suppliers: wins.size,
          supplierShareElsewhere: compared ? round(expected) : null,
          excessOverElsewhere: round(excess),
          binomialP: Number(pv.toPrecision(3)),
          awardsComparedElsewhere: compared,
          segment: segName[main],
          segmentTypicalTopShare: round(typical),
          threshold: { min_share: p.min_share, min_excess: p.min_excess, max_p: p.max_p, min_awards: p.min_awards },
        },
        explanation: `${partyLabel(data, top)} won ${fmtPct(share, 0)} of this buyer's ${us.length} awards${total > 0 ? ` (${fmtPct(mine / total, 0)} of the value, ${fmtAmount(mine)})` : ''}, with a streak of ${streak} in a row, ${
          compared
            ? `against ${fmtPct(expected, 0)} it wins in the same markets at other buyers (typical top share there ${fmtPct(typical, 0)}; thresholds ${fmtPct(p.min_share, 0)} and +${fmtPct(p.min_excess, 0)})`
            : `with no awards in the same markets at other buyers to compare with (so judged against a 10% share; thresholds ${fmtPct(p.min_share, 0)} and +${fmtPct(p.min_excess, 0)})`
        }.`,
      });
    }
    return { findings, applied, notApplicable };
  },
});
