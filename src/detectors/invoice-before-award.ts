import { edgesBetween, invoiceGraph, invoiceLabel, invoiceRowOrder } from '../graph/cycles.js';
import { NO_DAY, dayIso, dayOrNone } from '../util/dates.js';
import { ramp } from '../scoring/score.js';
import { awardsOf, invoiceEvidence, LISTED_INVOICES, vatBasis } from './overbilling.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { buyerEntity, companyEntity, count, fmtAmount, partyLabel, tenderEntity, plural } from './util.js';

export default defineDetector({
  id: 'invoice-before-award',
  title: 'The winner invoiced the buyer before the award',
  family: 'cross',
  rationale:
    'An invoice for a tender dated before the tender was awarded means the goods, works or services were delivered before procurement: the competition was a formality staged for a supplier already chosen.',
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
      'For each award (a tender, or the lots of it one firm won) with an award date (else a contract date), the winner\'s invoices that bill the tender dated before that date. An invoice bills the tender when its contract_ref is the tender id and its seller is the winner; an invoice from the winner to the tender\'s buyer without such a reference counts when it is dated up to `lead_days` before the award and no other award of the same pair is nearer: none in the `window_days` before it (which it could be billing), and none between it and this award (on the same day, the smaller tender id takes it). Such invoices are reported as "invoices to this buyer that do not name the tender", without a conclusion; values are totals incl. VAT when the export gives VAT. Cancelled and replaced invoices are left out.',
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
    // invoices of one day by id, not by row
    const invoiceOrder = invoiceRowOrder(data, ig);
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
        const d = dayOrNone(date[r]);
        if (d === NO_DAY) continue;
        if (g.day - d >= p.min_days && g.day > d) early.push({ row: r, days: g.day - d, byRef: true });
      }
      if (pairPos[gi] >= 0) {
        const list = pairOf[gi];
        for (const e of edgesBetween(ig.g, g.winner, g.buyer, g.day - p.lead_days, g.day - 1)) {
          if (aw.refMatched[e]) continue;
          const t = ig.g.time[e];
          if (g.day - t < Math.max(1, p.min_days)) continue;
          // the invoice belongs to another award of the pair when one is nearer: an earlier award it could
          // be billing (within window_days before it), or a later one that comes before this award (the
          // first award after the invoice; on one day, the smaller tender id)
          let other = false;
          for (let j = 0; j < list.length && !other; j++) {
            if (j === pairPos[gi]) continue;
            const o = aw.groups[list[j]];
            if (o.day <= t) other = t <= o.day + p.window_days;
            else other = o.day < g.day || (o.day === g.day && o.tender < g.tender);
          }
          if (!other) early.push({ row: e, days: g.day - t, byRef: false });
        }
      }
      if (!early.length) continue;
      early.sort((a, b) => b.days - a.days || invoiceOrder(a.row, b.row));
      const maxDays = early[0].days;
      const nRef = early.filter((x) => x.byRef).length;
      const byRef = nRef > 0;
      const lo = Math.max(1, p.min_days);
      const score = byRef ? ramp(maxDays, lo, 30, 0.75, 0.9) : ramp(maxDays, lo, 30, 0.35, 0.45);
      let value = 0;
      for (const x of early) value += ig.gross[x.row];
      const basis = vatBasis(data, early.map((x) => x.row));
      const when = g.dateField === 'award_date' ? 'award' : 'contract';
      const maxRefDays = byRef ? Math.max(...early.filter((x) => x.byRef).map((x) => x.days)) : 0;
      // which invoices: those that name the tender are evidence of billing it; the others only went to the
      // same buyer, and may be for something else
      const which = byRef
        ? `${plural(nRef, 'invoice')} naming this tender${nRef < early.length ? ` and ${plural(early.length - nRef, 'invoice')} to this buyer that ${early.length - nRef === 1 ? 'does' : 'do'} not name it` : ''}`
        : `${plural(early.length, 'invoice')} to this buyer that ${early.length === 1 ? 'does' : 'do'} not name the tender`;
      const what =
        g.category === 'goods' || g.category === 'works'
          ? `the ${g.category} were billed before they were procured`
          : g.category === 'consulting' || g.category === 'non-consulting'
            ? 'the services were billed before they were procured'
            : 'the tender was billed before it was awarded';
      const entities: Entity[] = g.units.map((u) => tenderEntity(data, u));
      entities.push(companyEntity(data, g.winner));
      for (const x of early.slice(0, LISTED_INVOICES)) entities.push({ type: 'invoice', id: invoiceLabel(data, x.row) });
      findings.push({
        score,
        title: byRef
          ? `${g.tender}: ${partyLabel(data, g.winner)} invoiced the tender ${plural(maxRefDays, 'day')} before the ${when}`
          : `${g.tender}: ${partyLabel(data, g.winner)} invoiced this buyer ${plural(maxDays, 'day')} before the ${when}, on invoices that do not name the tender`,
        entities,
        amount: value,
        key: g.tender,
        evidence: {
          referenceDate: dayIso(g.day),
          dateField: g.dateField,
          daysBefore: maxDays,
          invoiceCount: early.length,
          namingTheTender: nRef,
          notNamingTheTender: early.length - nRef,
          valueInvoicedBefore: value,
          valueBasis: basis,
          award: Number.isNaN(g.award) ? null : g.award,
          threshold: { min_days: p.min_days, lead_days: p.lead_days },
          buyer: g.buyer >= 0 ? buyerEntity(data, g.buyer) : null,
          invoices: early
            .slice(0, LISTED_INVOICES)
            .map((x) => invoiceEvidence(data, ig, x.row, { daysBefore: x.days, matchedBy: x.byRef ? 'contract_ref' : 'pair+date' })),
        },
        explanation: `The winner issued ${which} (${fmtAmount(value)} ${basis}) up to ${plural(maxDays, 'day')} before the ${when} date ${dayIso(g.day)} (threshold ${plural(p.min_days, 'day')})${byRef ? `: by the invoices' own reference, ${what}` : `; none of them falls nearer another award of the same winner and buyer, but without a reference they may bill something else`}.`,
      });
    }
    return { findings, applied, notApplicable };
  },
});
