import { ramp } from '../scoring/score.js';
import { defineDetector, type FindingDraft } from './types.js';
import { buyerOf } from './tender-facts.js';
import { buyerEntity, companyEntity, count, fmtAmount, partyLabel, round, rowRef, tenderEntity, tenderLabel, plural } from './util.js';
import { DAY_MS } from '../util/dates.js';

const MINUTE = 60_000;

export default defineDetector({
  id: 'late-winning-bid',
  title: 'Winning bid submitted after the deadline',
  family: 'competition',
  rationale: 'A bid accepted after the deadline, and then awarded, lets the favoured bidder see the rivals\' prices first; the e-procurement system should refuse it.',
  sources: ['OCP R030', 'VN Law 22/2023/QH15 (bids received after the closing time are rejected)'],
  needs: ['bids.bid_time', 'bids.deadline_date', 'bids.is_winner'],
  params: {
    grace_minutes: { default: 0, min: 0, description: 'minutes after the deadline still taken as on time (clock differences)' },
  },
  explain: {
    definition: 'For each awarded tender, the submission time of the winning bid compared with the bid deadline.',
    formula:
      'late = bid_time(winner) − deadline_date; flag late > grace_minutes. A deadline written as a date only (midnight) is taken as the end of that day. Score 0.8 just after the deadline, 0.9 from one day late.',
    why: 'A late bid that wins is rare in honest data and specific: it is either accepted in breach of the rules or the deadline was moved for one bidder, who then knew the other prices.',
    falsePositives: 'Time zones mixed between columns (a +07:00 submission against a UTC deadline), deadlines extended by an amendment the export does not carry, and bid_time recording the last edit rather than the submission.',
    exclusions: 'Tenders without a winner, a winner bid time, or a deadline are not judged.',
  },
  run(data, p) {
    const units = data.units;
    const bids = data.bids!;
    const bt = bids.num('bid_time')!;
    const dl = units.table.num('deadline_date')!;
    const award = units.table.num('award_amount');
    const notApplicable: Record<string, number> = {};
    const findings: FindingDraft[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      const r = units.winnerBid[u];
      if (r < 0) {
        count(notApplicable, 'no winning bid');
        continue;
      }
      if (Number.isNaN(bt[r]) || Number.isNaN(dl[u])) {
        count(notApplicable, 'no bid time or deadline');
        continue;
      }
      applied++;
      const dateOnly = dl[u] % DAY_MS === 0;
      const deadline = dateOnly ? dl[u] + DAY_MS - 1 : dl[u];
      const lateMin = (bt[r] - deadline) / MINUTE;
      if (lateMin <= p.grace_minutes) continue;
      const w = units.winner[u];
      const amount = award && award[u] > 0 ? award[u] : null;
      const later = lateBy(lateMin);
      findings.push({
        score: ramp(lateMin, p.grace_minutes, 24 * 60, 0.8, 0.9),
        title: `${tenderLabel(data, u)}: the winning bid came ${later} after the deadline`,
        entities: w >= 0 ? [tenderEntity(data, u), companyEntity(data, w)] : [tenderEntity(data, u)],
        amount,
        evidence: {
          bidTime: new Date(bt[r]).toISOString().slice(0, 19),
          deadline: new Date(dl[u]).toISOString().slice(0, 19),
          deadlineDateOnly: dateOnly,
          minutesLate: round(lateMin, 1),
          graceMinutes: p.grace_minutes,
          winner: w >= 0 ? companyEntity(data, w) : null,
          buyer: buyerOf(data, u) >= 0 ? buyerEntity(data, buyerOf(data, u)) : null,
          row: rowRef(data, 'bids', r),
        },
        explanation: `${w >= 0 ? partyLabel(data, w) : 'The winner (no bidder id in the export)'} submitted ${later} after the deadline (grace ${p.grace_minutes} min) and was awarded the tender${buyerOf(data, u) >= 0 ? ` by ${partyLabel(data, buyerOf(data, u))}` : ''}${amount ? ` for ${fmtAmount(amount)}` : ''}.`,
      });
    }
    return { findings, applied, notApplicable };
  },
});

function lateBy(min: number): string {
  if (min < 120) return `${Math.round(min)} min`;
  if (min < 48 * 60) return `${Math.round(min / 60)} h`;
  return plural(Math.round(min / 1440), 'day');
}
