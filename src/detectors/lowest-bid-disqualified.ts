import { ramp } from '../scoring/score.js';
import { defineDetector, type FindingDraft } from './types.js';
import { tenderDates } from './tender-facts.js';
import { INVALID_STATUSES, bidPrices, buyerEntity, companyEntity, count, fmtAmount, fmtPct, partyLabel, round, rowRef, tenderEntity, tenderLabel } from './util.js';

export default defineDetector({
  id: 'lowest-bid-disqualified',
  title: 'Lowest bid disqualified',
  family: 'competition',
  sameEvidence: 'disqualified rivals',
  rationale: 'Disqualifying the cheapest bid hands the contract to a dearer bidder; done on thin grounds it is a way to steer the award.',
  sources: ['OCP R036', 'GTI'],
  needs: ['bids.bid_status'],
  needsAny: [['bids.bid_amount', 'bids.final_amount']],
  params: {
    min_bids: { default: 2, min: 2, integer: true, description: 'priced bids a tender needs to be judged' },
  },
  explain: {
    definition: 'In a tender with at least `min_bids` priced bids, every bid at the lowest price was disqualified (status disqualified), and the tender was awarded at a higher price — or its winner is not in the export. A valid bid tied at the lowest price, or a winner at the lowest price, is not flagged.',
    formula: 'every bid with price = min price disqualified, winning price > min price. Score 0.55, rising to 0.75 as the premium paid (winning price / lowest price − 1) reaches 10%; 0.6 when the winner is not known; never high on its own: honest markets disqualify a few lowest bids (about 4% of tenders in our generated background), and a buyer that does it repeatedly is excessive-disqualifications\' finding.',
    why: 'When the lowest bidder is excluded the buyer pays more; repeated at one buyer, or when the excluded firm is a regular competitor, it suggests the evaluation was used to pick the winner.',
    falsePositives: 'Abnormally low bids rejected for good reason (then the premium is large but innocent), incomplete bid documents, and bidders lacking required licences.',
  },
  run(data, p) {
    const units = data.units;
    const prices = bidPrices(data)!;
    const bids = data.bids!;
    const bidder = bids.party('bidder_id');
    const buyer = units.table.party('buyer_id');
    const notApplicable: Record<string, number> = {};
    const findings: FindingDraft[] = [];
    let applied = 0;
    const idOf = (r: number) => (bidder && bidder[r] >= 0 ? data.parties.id(bidder[r]) : '');
    for (let u = 0; u < units.n; u++) {
      let min = Infinity;
      let priced = 0;
      let statusKnown = 0;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        if (!(prices[r] > 0)) continue;
        priced++;
        if (bids.text('bid_status', r)) statusKnown++;
        if (prices[r] < min) min = prices[r];
      }
      if (priced < p.min_bids) {
        count(notApplicable, `fewer than ${p.min_bids} priced bids`);
        continue;
      }
      if (statusKnown === 0) {
        count(notApplicable, 'no bid status');
        continue;
      }
      applied++;
      // the lowest price, whoever of the bids at it comes first in the file: every bid at it disqualified,
      // the one reported the smallest bidder id (so that a tie reads the same in any row order)
      let lowest = -1;
      let validAtMin = false;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        if (prices[r] !== min) continue;
        if (bids.text('bid_status', r) !== 'disqualified') validAtMin = true;
        else if (lowest < 0 || idOf(r) < idOf(lowest)) lowest = r;
      }
      if (validAtMin || lowest < 0) continue;
      if (units.winnerBid[u] >= 0 && !(prices[units.winnerBid[u]] > min)) {
        // the award went to the disqualified bid itself, or to no dearer bid: not what this flags
        count(notApplicable, 'winner at the lowest price');
        applied--;
        continue;
      }
      const w = units.winnerBid[u];
      const premium = w >= 0 && prices[w] > 0 ? prices[w] / prices[lowest] - 1 : NaN;
      const entities = [tenderEntity(data, u)];
      if (units.winner[u] >= 0) entities.push(companyEntity(data, units.winner[u]));
      const lowBidder = bidder && bidder[lowest] >= 0 ? bidder[lowest] : -1;
      // every rival of the winner disqualified too: all-but-winner-disqualified reports the same tender
      let validOthers = 0;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        if (r !== w && !INVALID_STATUSES.has(bids.text('bid_status', r))) validOthers++;
      }
      const allRivals = w >= 0 && validOthers === 0;
      findings.push({
        score: Number.isNaN(premium) ? 0.6 : ramp(premium, 0, 0.1, 0.55, 0.75),
        title: `${tenderLabel(data, u)}: lowest bid ${fmtAmount(prices[lowest])} disqualified`,
        entities: entities,
        amount: w >= 0 ? prices[w] : null,
        evidence: {
          lowestBid: prices[lowest],
          lowestBidder: lowBidder >= 0 ? companyEntity(data, lowBidder) : null,
          winningBid: w >= 0 ? prices[w] : null,
          premium: Number.isNaN(premium) ? null : round(premium),
          bids: priced,
          buyer: buyer && buyer[u] >= 0 ? buyerEntity(data, buyer[u]) : null,
          allRivalsDisqualified: allRivals,
          ...tenderDates(data, u),
          rows: w >= 0 ? [rowRef(data, 'bids', lowest), rowRef(data, 'bids', w)] : [rowRef(data, 'bids', lowest)],
        },
        explanation: `The lowest bid${lowBidder >= 0 ? `, by ${partyLabel(data, lowBidder)},` : ''} was disqualified${Number.isNaN(premium) ? '' : ` and the award went to a bid ${fmtPct(premium, 1)} dearer`}${allRivals ? '; every other rival was disqualified too (all-but-winner-disqualified reports this tender)' : ''}: check the grounds for exclusion.`,
      });
    }
    return { findings, applied, notApplicable };
  },
});
