import { ramp } from '../scoring/score.js';
import { defineDetector } from './types.js';
import { tenderDates } from './tender-facts.js';
import { INVALID_STATUSES, bidPrices, count, fmtAmount, percentileRanks, tenderEntity, tenderLabel, companyEntity, buyerEntity, distinctBidders, partyLabel, rowRef } from './util.js';

export default defineDetector({
  id: 'single-bidder',
  title: 'Single bidder in a competitive procedure',
  family: 'competition',
  rationale: 'A competitive procedure that draws one bid had no competition: the market was told too little, too late, or too narrowly.',
  sources: ['OCP R018', 'GTI single bidding', 'Fazekas & Kocsis 2020'],
  needs: ['bids.tender_id', 'bids.procedure'],
  params: {
    procedures: {
      default: ['open', 'restricted', 'competitive-shopping'],
      values: ['open', 'restricted', 'competitive-shopping', 'negotiated', 'special', 'community', 'designated', 'direct', 'self-performed'],
      description: 'procedures in which more than one bid is expected',
    },
    count_valid_only: {
      default: false,
      description: 'count only valid bids (a tender with several bids but one valid one is then flagged too; all-but-winner-disqualified covers that case by default)',
    },
  },
  explain: {
    definition: 'A tender run under a competitive procedure (open, restricted/limited, competitive shopping) that received exactly one bid.',
    formula: 'bids(tender) = 1 (or, with count_valid_only, valid bids = 1), procedure ∈ procedures. When a tender has no bid rows, number_of_bidders from the tenders table is used. Score 0.5 + 0.1 × the percentile of the tender\'s value among flagged tenders; the value is the award amount, else the winning bid (bid_amount, else final_amount, as for every price detector).',
    why: 'Single bidding is the most widely used proxy for restricted competition: the buyer may have tailored the specification, shortened the deadline or steered the award, or firms may have agreed not to bid against each other.',
    falsePositives: 'Niche goods with one supplier, remote locations, small contracts that do not attract bidders, and markets with genuine capacity shortages.',
    exclusions: 'Tenders whose procedure is not competitive (designated, direct, self-performed) or is blank are not judged.',
  },
  run(data, p) {
    const units = data.units;
    const proc = units.table.str('procedure')!;
    const declared = units.table.num('number_of_bidders');
    const prices = bidPrices(data);
    const award = units.table.num('award_amount');
    const notApplicable: Record<string, number> = {};
    const competitive = new Set(p.procedures);
    // the one bidder counted (-1 when unknown): named when the tender has no winner
    const flagged: { u: number; bids: number; value: number; bidder: number }[] = [];
    const bidderCol = data.bids?.party('bidder_id');
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      const pc = proc.codes[u];
      if (pc < 0) {
        count(notApplicable, 'procedure blank');
        continue;
      }
      if (!competitive.has(proc.dict[pc])) {
        count(notApplicable, 'not a competitive procedure');
        continue;
      }
      let n = units.nBids(u);
      let only = -1;
      if (n === 0) {
        const d = declared?.[u];
        if (d === undefined || Number.isNaN(d)) {
          count(notApplicable, 'no bids recorded');
          continue;
        }
        n = d;
      } else {
        // distinct bidders: a bidder's row repeated in the export is still one bid
        const rows: number[] = [];
        for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
          const r = units.bidRows[k];
          if (!p.count_valid_only || !INVALID_STATUSES.has(data.bids!.text('bid_status', r))) rows.push(r);
        }
        n = distinctBidders(data, rows);
        if (n === 1 && bidderCol) only = bidderCol[rows[0]];
      }
      applied++;
      if (n !== 1) continue;
      const w = units.winnerBid[u];
      const value = !Number.isNaN(award?.[u] ?? NaN) ? award![u] : w >= 0 && prices ? prices[w] : NaN;
      flagged.push({ u, bids: units.nBids(u), value, bidder: only });
    }
    const pr = percentileRanks(flagged.map((f) => f.value));
    const findings = flagged.map((f, i) => {
      const u = f.u;
      const procedure = proc.dict[proc.codes[u]];
      const buyer = units.table.party('buyer_id')?.[u] ?? -1;
      const entities = [tenderEntity(data, u)];
      if (units.winner[u] >= 0) entities.push(companyEntity(data, units.winner[u]));
      const valueP = Number.isNaN(pr[i]) ? 0 : pr[i];
      const dates = tenderDates(data, u);
      const rows: { file: string; line: number }[] = [];
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1] && rows.length < 5; k++) rows.push(rowRef(data, 'bids', units.bidRows[k]));
      const sole = units.winner[u] >= 0 ? units.winner[u] : f.bidder;
      const when = [dates.published ? `published ${dates.published}` : '', dates.deadline ? `deadline ${dates.deadline.replace('T', ' ')}` : '', dates.awarded ? `awarded ${dates.awarded}` : ''].filter(Boolean).join(', ');
      return {
        score: ramp(valueP, 0, 1, 0.5, 0.6),
        title: `${tenderLabel(data, u)}: one bid under the ${procedure} procedure`,
        entities: entities,
        amount: Number.isNaN(f.value) ? null : f.value,
        evidence: {
          procedure,
          bids: f.bids,
          validOnly: p.count_valid_only,
          value: Number.isNaN(f.value) ? null : f.value,
          buyer: buyer >= 0 ? buyerEntity(data, buyer) : null,
          ...dates,
          rows,
          threshold: 'bids = 1',
        },
        explanation: `Tender ${tenderLabel(data, u)} was run as ${procedure}${when ? ` (${when})` : ''} but received a single ${p.count_valid_only ? 'valid ' : ''}bid${sole >= 0 ? `, from ${partyLabel(data, sole)}` : ''}${Number.isNaN(f.value) ? '' : ` (value ${fmtAmount(f.value)})`}: no competition took place.`,
      };
    });
    return { findings, applied, notApplicable };
  },
});
