import { ramp } from '../scoring/score.js';
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
  },
  explain: {
    definition: 'For each buyer with at least `min_awards` awarded tenders, the share of those awards (by count and by value) won by its most frequent supplier, and that supplier\'s longest streak of consecutive awards in date order.',
    formula: 'share = wins(buyer, supplier) / awards(buyer) ≥ min_share. Score from 0.5 at share = min_share to 0.85 at share = 1, scaled down for buyers with few awards (× 0.85 at min_awards, × 1 from 20 awards).',
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
    const findings: FindingDraft[] = [];
    let applied = 0;
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
      for (const [w, n] of wins) if (n > topWins || (n === topWins && w < top)) [top, topWins] = [w, n];
      const share = topWins / us.length;
      if (share < p.min_share) continue;
      let total = 0;
      let mine = 0;
      for (const u of us) {
        const v = valueOf(u);
        total += v;
        if (units.winner[u] === top) mine += v;
      }
      const ordered = dateCol ? [...us].sort((x, y) => (dateCol[x] || 0) - (dateCol[y] || 0) || x - y) : us;
      let streak = 0;
      let run = 0;
      for (const u of ordered) {
        run = units.winner[u] === top ? run + 1 : 0;
        streak = Math.max(streak, run);
      }
      const won = us.filter((u) => units.winner[u] === top);
      const confidence = ramp(us.length, p.min_awards, 20, 0.85, 1);
      findings.push({
        score: ramp(share, p.min_share, 1, 0.5, 0.85) * confidence,
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
          threshold: { min_share: p.min_share, min_awards: p.min_awards },
        },
        explanation: `${partyLabel(data, top)} won ${fmtPct(share, 0)} of this buyer's ${us.length} awards${total > 0 ? ` (${fmtPct(mine / total, 0)} of the value, ${fmtAmount(mine)})` : ''}, with a streak of ${streak} in a row; threshold ${fmtPct(p.min_share, 0)}.`,
      });
    }
    return { findings, applied, notApplicable };
  },
});
