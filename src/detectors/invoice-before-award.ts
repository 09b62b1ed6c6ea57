import { dayNumber, edgesBetween, invoiceGraph, invoiceLabel } from '../graph/cycles.js';
import { ramp } from '../scoring/score.js';
import { awardsOf, dayIso, invoiceEvidence, LISTED_INVOICES, NO_DAY } from './overbilling.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { buyerEntity, companyEntity, count, fmtAmount, partyLabel, tenderEntity, plural } from './util.js';

export default defineDetector({
  id: 'invoice-before-award',
  title: 'The winner invoiced the buyer before the award',
  family: 'cross',
  rationale:
    'An invoice for a tender dated before the tender was awarded means the goods or work were delivered before procurement: the competition was a formality staged for a supplier already chosen.',
  sources: ['VN Việt Á test-kit case (2021–2022): supplies delivered and invoiced before the bidding', 'OECD 2009 guidelines on bid rigging: pre-selected winners'],
  needs: ['invoices.issue_date'],
  needsAny: [['bids.is_winner'], ['bids.award_date', 'bids.contract_date']],
  uses: ['invoice-graph', 'awards'],
  params: {
    min_days: { default: 1, min: 0, integer: true, description: 'flag an invoice dated at least this many days before the award (or contract) date' },
    lead_days: {
      default: 90,
      min: 1,
      integer: true,
      description: 'invoices without a reference to the tender count when the winner billed the buyer up to this many days before the award',
    },
    window_days: {
      default: 365,
      min: 1,
      integer: true,
      description: 'an unreferenced invoice within this many days after an earlier award of the same winner and buyer is taken as billing that award',
    },
  },
  explain: {
    definition:
      'For each award (a tender, or the lots of it one firm won) with an award date (else a contract date), the winner\'s invoices that bill the tender dated before that date. An invoice bills the tender when its contract_ref is the tender id and its seller is the winner; an invoice from the winner to the tender\'s buyer without such a reference counts when it is dated up to `lead_days` before the award and cannot be billing an earlier award of the same pair (none in the `window_days` before it). Cancelled and replaced invoices are left out.',
    formula:
      'days = award date − invoice date (whole days); flag days ≥ min_days; score = ramp(max days, min_days → 30, 0.75 → 0.9) when an invoice names the tender, ramp(max days, min_days → 30, 0.35 → 0.45) (low) when matched by seller, buyer and date only: without a reference the invoice may bill something else.',
    why:
      'Procurement comes before delivery. Goods invoiced first were ordered outside the procedure; the tender then legalised a choice already made (in the Việt Á case, test kits were supplied and paid for before the bidding packages that covered them).',
    falsePositives:
      'Award dates recorded late (the date of publication of the result rather than of the decision); advance invoices under a framework agreement awarded earlier under another id; unreferenced invoices of another contract between the same firms.',
    exclusions: 'Awards without an award or contract date are not judged.',
  },
  run(data, p) {
    const ig = invoiceGraph(data);
    const aw = awardsOf(data, ig);
    const date = data.invoices!.num('issue_date')!;
    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    let applied = 0;
    // the pair list each award belongs to, and its position there
    const pairPos = new Int32Array(aw.groups.length).fill(-1);
    const pairOf: number[][] = [];
    for (const list of aw.byPair.values()) list.forEach((gi, j) => ((pairPos[gi] = j), (pairOf[gi] = list)));

    for (let gi = 0; gi < aw.groups.length; gi++) {
      const g = aw.groups[gi];
      if (g.day === NO_DAY) {
        count(notApplicable, 'no award or contract date');
        continue;
      }
      applied++;
      const early: { row: number; days: number; byRef: boolean }[] = [];
      for (const r of g.refRows) {
        const d = dayNumber(date[r]);
        if (d === NO_DAY) continue;
        if (g.day - d >= p.min_days && g.day > d) early.push({ row: r, days: g.day - d, byRef: true });
      }
      if (pairPos[gi] >= 0) {
        const list = pairOf[gi];
        for (const e of edgesBetween(ig.g, g.winner, g.buyer, g.day - p.lead_days, g.day - 1)) {
          if (aw.refMatched[e]) continue;
          const t = ig.g.time[e];
          // an earlier award of the pair that this invoice could be billing
          let earlier = false;
          for (let j = pairPos[gi] - 1; j >= 0; j--) {
            const d0 = aw.groups[list[j]].day;
            if (d0 <= t && t <= d0 + p.window_days) {
              earlier = true;
              break;
            }
            if (d0 + p.window_days < t) break;
          }
          if (earlier || g.day - t < Math.max(1, p.min_days)) continue;
          early.push({ row: e, days: g.day - t, byRef: false });
        }
      }
      if (!early.length) continue;
      early.sort((a, b) => b.days - a.days || a.row - b.row);
      const maxDays = early[0].days;
      const byRef = early.some((x) => x.byRef);
      const lo = Math.max(1, p.min_days);
      const score = byRef ? ramp(maxDays, lo, 30, 0.75, 0.9) : ramp(maxDays, lo, 30, 0.35, 0.45);
      let value = 0;
      for (const x of early) value += ig.gross[x.row];
      const entities: Entity[] = g.units.map((u) => tenderEntity(data, u));
      entities.push(companyEntity(data, g.winner));
      for (const x of early.slice(0, LISTED_INVOICES)) entities.push({ type: 'invoice', id: invoiceLabel(data, x.row) });
      findings.push({
        score,
        title: `${g.tender}: ${partyLabel(data, g.winner)} invoiced ${plural(maxDays, 'day')} before the ${g.dateField === 'award_date' ? 'award' : 'contract'}`,
        entities,
        amount: value,
        key: g.tender,
        evidence: {
          referenceDate: dayIso(g.day),
          dateField: g.dateField,
          daysBefore: maxDays,
          invoiceCount: early.length,
          valueInvoicedBefore: value,
          award: Number.isNaN(g.award) ? null : g.award,
          threshold: { min_days: p.min_days, lead_days: p.lead_days },
          buyer: g.buyer >= 0 ? buyerEntity(data, g.buyer) : null,
          invoices: early
            .slice(0, LISTED_INVOICES)
            .map((x) => invoiceEvidence(data, ig, x.row, { daysBefore: x.days, matchedBy: x.byRef ? 'contract_ref' : 'pair+date' })),
        },
        explanation: `The winner issued ${early.length} invoice${early.length === 1 ? '' : 's'} (${fmtAmount(value)}) ${byRef ? 'naming this tender' : 'to this buyer'} up to ${plural(maxDays, 'day')} before the ${g.dateField === 'award_date' ? 'award' : 'contract'} date ${dayIso(g.day)} (threshold ${p.min_days} day${p.min_days === 1 ? '' : 's'}): the goods were billed before they were procured.`,
      });
    }
    return { findings, applied, notApplicable };
  },
});
