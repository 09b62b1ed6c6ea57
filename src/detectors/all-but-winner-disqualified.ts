import { ramp } from '../scoring/score.js';
import { defineDetector, type FindingDraft } from './types.js';
import { byPartyId, tenderDates } from './tender-facts.js';
import { INVALID_STATUSES, bidPrices, buyerEntity, companyEntity, count, fmtAmount, partyLabel, rowRef, tenderEntity, tenderLabel } from './util.js';

export default defineDetector({
  id: 'all-but-winner-disqualified',
  title: 'Every bid but the winner\'s disqualified',
  family: 'competition',
  sameEvidence: 'disqualified rivals',
  rationale: 'When every rival is disqualified and only the winner remains, competition existed on paper only.',
  sources: ['OCP R035', 'GTI'],
  needs: ['bids.bid_status', 'bids.is_winner'],
  params: {},
  explain: {
    definition: 'The winner\'s bid was the only valid bid of the tender, and at least one other bid was disqualified.',
    formula: 'valid bids = {winner} and disqualified bids ≥ 1. Score 0.7 with one disqualified rival, rising to 0.85 with three or more; when every disqualified rival priced above the winner (the exclusions did not decide the award), 0.45 rising to 0.6.',
    why: 'Disqualifying every competitor is a way to award to a chosen firm while appearing to compete; with cover bidders it is also how a ring hands the tender to its designated winner (bids made to fail).',
    falsePositives: 'Demanding technical requirements that most bidders fail honestly; inexperienced bidders in new markets.',
    exclusions: 'Tenders without a known winner or without any bid status are not judged.',
  },
  run(data) {
    const units = data.units;
    const bids = data.bids!;
    const bidder = bids.party('bidder_id');
    const buyer = units.table.party('buyer_id');
    const prices = bidPrices(data);
    const notApplicable: Record<string, number> = {};
    const findings: FindingDraft[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      const w = units.winnerBid[u];
      if (w < 0) {
        count(notApplicable, 'no winner');
        continue;
      }
      if (units.nBids(u) < 2) {
        count(notApplicable, 'fewer than 2 bids');
        continue;
      }
      let known = 0;
      let validOthers = 0;
      let disq = 0;
      const losers: number[] = [];
      const disqRows: number[] = [];
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        const s = bids.text('bid_status', r);
        if (s) known++;
        if (r === w) continue;
        if (s === 'disqualified') {
          disq++;
          disqRows.push(r);
          if (bidder && bidder[r] >= 0) losers.push(bidder[r]);
        } else if (!INVALID_STATUSES.has(s)) validOthers++;
      }
      if (known === 0) {
        count(notApplicable, 'no bid status');
        continue;
      }
      applied++;
      if (validOthers > 0 || disq === 0) continue;
      if (bids.text('bid_status', w) === 'disqualified') continue;
      const entities = [tenderEntity(data, u)];
      if (units.winner[u] >= 0) entities.push(companyEntity(data, units.winner[u]));
      // by bidder id, not by row order
      const bid = (r: number) => (bidder && bidder[r] >= 0 ? data.parties.id(bidder[r]) : '');
      disqRows.sort((x, y) => (bid(x) < bid(y) ? -1 : bid(x) > bid(y) ? 1 : x - y));
      losers.sort(byPartyId(data));
      const value = prices && prices[w] > 0 ? prices[w] : null;
      // the disqualified bids priced below the winner's: the cheaper offers the evaluation removed
      const cheaper = value === null ? 0 : disqRows.filter((r) => prices![r] > 0 && prices![r] < value).length;
      const lowestGone = value !== null && cheaper > 0;
      const amounts = disqRows
        .filter((r) => prices && prices[r] > 0)
        .map((r) => `${bidder && bidder[r] >= 0 ? data.parties.id(bidder[r]) : 'a bidder'} at ${fmtAmount(prices![r])}`);
      const cheaperText = value === null ? '' : cheaper === 0 ? (disq === 1 ? ' (dearer than the winner)' : ' (none cheaper than the winner)') : ` (${cheaper === disq ? (disq === 1 ? 'cheaper' : disq === 2 ? 'both cheaper' : 'all cheaper') : `${cheaper} cheaper`} than the winner)`;
      findings.push({
        // every disqualified rival dearer than the winner: the exclusions did not decide the award (it would
        // have been won on price anyway), so a context flag; repeated at one buyer it is buyer-steering's
        score: value !== null && cheaper === 0 && amounts.length === disq ? ramp(disq, 1, 3, 0.45, 0.6) : ramp(disq, 1, 3, 0.7, 0.85),
        title: `${tenderLabel(data, u)}: ${disq === 1 ? 'the only rival bid' : `all ${disq} rival bids`} disqualified${cheaperText}`,
        entities: entities,
        amount: units.table.num('award_amount')?.[u] || value,
        evidence: {
          bids: units.nBids(u),
          disqualified: disq,
          disqualifiedBidders: losers.map((x) => companyEntity(data, x)),
          disqualifiedBids: disqRows.map((r) => ({
            bidder: bidder && bidder[r] >= 0 ? data.parties.id(bidder[r]) : null,
            amount: prices && prices[r] > 0 ? prices[r] : null,
            cheaperThanWinner: value !== null && prices![r] > 0 ? prices![r] < value : null,
            row: rowRef(data, 'bids', r),
          })),
          winningBid: value,
          disqualifiedBelowWinner: cheaper,
          lowestBidDisqualified: lowestGone,
          winner: units.winner[u] >= 0 ? companyEntity(data, units.winner[u]) : null,
          winnerRow: rowRef(data, 'bids', w),
          buyer: buyer && buyer[u] >= 0 ? buyerEntity(data, buyer[u]) : null,
          ...tenderDates(data, u),
        },
        explanation:
          `Every other bid (${amounts.length ? amounts.join(', ') : disq}) was disqualified, leaving ${units.winner[u] >= 0 ? partyLabel(data, units.winner[u]) : 'the winner'} as the only valid bidder${value !== null ? ` at ${fmtAmount(value)}` : ''}` +
          `${lowestGone ? `; ${cheaper === disq ? (disq === 1 ? 'it was' : disq === 2 ? 'both were' : 'all were') : `${cheaper} of them ${cheaper === 1 ? 'was' : 'were'}`} cheaper than the winning bid, so the lowest bid was among them (lowest-bid-disqualified reports this tender too)` : ''}: the competition was only on paper.`,
      });
    }
    return { findings, applied, notApplicable };
  },
});
