import { ramp } from '../scoring/score.js';
import { defineDetector, type FindingDraft } from './types.js';
import { buyerOf } from './tender-facts.js';
import { buyerEntity, companyEntity, count, fmtAmount, partyLabel, round, tenderEntity, tenderLabel } from './util.js';
import { dayNumber } from '../util/dates.js';

/** Procedures whose notice must stay open for a minimum time, and the parameter that sets it. */
const MIN_PARAM: Record<string, 'days_open' | 'days_restricted' | 'days_shopping'> = {
  open: 'days_open',
  restricted: 'days_restricted',
  'competitive-shopping': 'days_shopping',
};

export default defineDetector({
  id: 'short-submission-period',
  title: 'Bid submission period shorter than the procedure allows',
  family: 'competition',
  rationale: 'A notice open for only a few days leaves time to bid only to firms that knew in advance; it is a classic way to steer a competitive tender.',
  sources: ['OCP R003', 'VN Law 22/2023/QH15 Art. 45 (minimum bid preparation time)', 'OECD 2009 guidelines'],
  needs: ['bids.published_date', 'bids.deadline_date'],
  params: {
    days_open: { default: 15, min: 0, integer: true, description: 'minimum days from publication to deadline for open tenders' },
    days_restricted: { default: 15, min: 0, integer: true, description: 'minimum days for restricted (limited) tenders' },
    days_shopping: { default: 7, min: 0, integer: true, description: 'minimum days for competitive shopping' },
    unknown_procedure: { default: 'shopping', values: ['skip', 'shopping', 'open'], description: 'which minimum applies when the procedure is blank: skip the tender, or use the shopping or open minimum' },
  },
  explain: {
    definition:
      'For each competitive tender (open, restricted, competitive shopping), the number of calendar days between the publication of the notice and the bid deadline, compared with the minimum for its procedure.',
    formula:
      'days = day(deadline_date) − day(published_date); flag days < min(procedure). Score 0.5 just under the minimum, rising linearly to 0.8 at a quarter of the minimum or less (days ≤ min/4).',
    why: 'Vietnamese law sets minimum bid preparation times (Law 22/2023 Art. 45; the defaults sit at or below them). A shortened window favours a bidder who was told in advance and keeps others out.',
    falsePositives: 'Urgent procurement (disasters, epidemics) under special procedures, amended notices re-published with the original deadline, and exports where published_date is the date of a later amendment.',
    exclusions: 'Designated, direct, negotiated and other non-competitive procedures are not judged. A deadline before the publication is a data error and is not judged. Blank procedure: see unknown_procedure.',
  },
  run(data, p) {
    const units = data.units;
    const pub = units.table.num('published_date')!;
    const dl = units.table.num('deadline_date')!;
    const proc = units.table.str('procedure');
    const award = units.table.num('award_amount');
    const est = units.table.num('estimated_value');
    const notApplicable: Record<string, number> = {};
    const findings: FindingDraft[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      const procedure = proc && proc.codes[u] >= 0 ? proc.dict[proc.codes[u]] : '';
      let param = MIN_PARAM[procedure];
      if (!procedure) {
        if (p.unknown_procedure === 'skip') {
          count(notApplicable, 'no procedure');
          continue;
        }
        param = p.unknown_procedure === 'open' ? 'days_open' : 'days_shopping';
      } else if (!param) {
        count(notApplicable, 'non-competitive procedure');
        continue;
      }
      if (Number.isNaN(pub[u]) || Number.isNaN(dl[u])) {
        count(notApplicable, 'no publication or deadline date');
        continue;
      }
      const days = dayNumber(dl[u]) - dayNumber(pub[u]);
      if (days < 0) {
        count(notApplicable, 'deadline before publication (data error)');
        continue;
      }
      applied++;
      const min = p[param];
      if (days >= min) continue;
      const score = ramp(days, min, min / 4, 0.5, 0.8);
      const entities = [tenderEntity(data, u)];
      const w = units.winner[u];
      if (w >= 0) entities.push(companyEntity(data, w));
      const amount = award && award[u] > 0 ? award[u] : est && est[u] > 0 ? est[u] : null;
      findings.push({
        score,
        title: `${tenderLabel(data, u)}: ${days} day${days === 1 ? '' : 's'} to bid (${procedure || 'procedure blank'}, minimum ${min})`,
        entities: entities,
        amount,
        evidence: {
          buyer: buyerOf(data, u) >= 0 ? buyerEntity(data, buyerOf(data, u)) : null,
          procedure: procedure || null,
          published: new Date(pub[u]).toISOString().slice(0, 10),
          deadline: new Date(dl[u]).toISOString().slice(0, 10),
          days,
          minimumDays: min,
          parameter: param,
          shortfallShare: round(1 - days / min, 4),
          bids: units.nBids(u),
          winner: w >= 0 ? companyEntity(data, w) : null,
        },
        explanation: `${buyerOf(data, u) >= 0 ? `${partyLabel(data, buyerOf(data, u))} kept the notice` : 'The notice was'} open for ${days} day${days === 1 ? '' : 's'}, under the ${min}-day minimum for ${procedure || 'a tender with blank procedure'}${units.nBids(u) ? `; ${units.nBids(u)} bid${units.nBids(u) === 1 ? '' : 's'} came in` : ''}${amount ? ` on a tender worth ${fmtAmount(amount)}` : ''}.`,
      });
    }
    return { findings, applied, notApplicable, cutoffs: { days_open: p.days_open, days_restricted: p.days_restricted, days_shopping: p.days_shopping } };
  },
});
