import { edgesBetween, invoiceGraph, invoiceLabel, invoiceRowOrder, type InvoiceGraph } from '../graph/cycles.js';
import { cached } from '../graph/dataset-cache.js';
import type { Dataset } from '../model/dataset.js';
import { ramp } from '../scoring/score.js';
import { NO_DAY, dayIso, dayOrNone, isoDay } from '../util/dates.js';
import { byTender as tenderOrder } from './tender-facts.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { compareText } from '../util/compare.js';
import { bidPrices, buyerEntity, companyEntity, count, fmtAmount, fmtPct, partyLabel, plural, round, rowRef, tenderEntity } from './util.js';

/** invoices listed as entities (and in evidence) of one finding */
export const LISTED_INVOICES = 50;

/** One award: the units of a tender won by one firm (the lots it won), with what it is worth. */
export interface AwardGroup {
  tender: string;
  winner: number;
  /** -1 when blank */
  buyer: number;
  units: number[];
  /** sum of the award amounts (the winning bid when blank); NaN when a unit has neither */
  award: number;
  /** day number of the earliest award date, else of the contract date; NO_DAY when neither */
  day: number;
  dateField: 'award_date' | 'contract_date' | '';
  /** the tender's category as written (goods, works, consulting…), '' when blank */
  category: string;
  /** invoice rows (not void) whose contract_ref is the tender id and whose seller is the winner */
  refRows: number[];
}

export interface Awards {
  groups: AwardGroup[];
  /** winner × buyer → indices of its groups with a date, in date order */
  byPair: Map<number, number[]>;
  /** invoice rows whose contract_ref names a tender of the bids (whoever the seller) */
  refMatched: Uint8Array;
  /** whether the invoices carry contract_ref at all */
  hasRefs: boolean;
}

/**
 * Awards (tender × winner) and the invoices that bill them by reference: an invoice bills a tender when
 * its contract_ref is the tender id and its seller is the tender's winner. Built once per dataset and
 * shared by the bids × invoices detectors.
 */
export function awardsOf(data: Dataset, ig: InvoiceGraph): Awards {
  return cached('awards', data, () => buildAwards(data, ig));
}

function buildAwards(data: Dataset, ig: InvoiceGraph): Awards {
  const units = data.units;
  const award = units.table.num('award_amount');
  const prices = bidPrices(data);
  const buyer = units.table.party('buyer_id');
  const awardDate = units.table.num('award_date');
  const contractDate = units.table.num('contract_date');
  const groups: AwardGroup[] = [];
  const byTender = new Map<string, number[]>();
  for (let u = 0; u < units.n; u++) {
    const w = units.winner[u];
    if (w < 0) continue;
    const tender = units.tenderId(u);
    let list = byTender.get(tender);
    if (!list) byTender.set(tender, (list = []));
    let gi = list.find((i) => groups[i].winner === w);
    if (gi === undefined) {
      gi = groups.length;
      list.push(gi);
      groups.push({ tender, winner: w, buyer: -1, units: [], award: 0, day: NO_DAY, dateField: '', category: units.table.text('category', u), refRows: [] });
    }
    const g = groups[gi];
    g.units.push(u);
    if (g.buyer < 0 && buyer && buyer[u] >= 0) g.buyer = buyer[u];
    const wb = units.winnerBid[u];
    const a = award && award[u] > 0 ? award[u] : wb >= 0 && prices && prices[wb] > 0 ? prices[wb] : NaN;
    g.award += a;
    const ad = awardDate ? dayOrNone(awardDate[u]) : NO_DAY;
    const cd = contractDate ? dayOrNone(contractDate[u]) : NO_DAY;
    if (ad !== NO_DAY) {
      if (g.dateField !== 'award_date' || ad < g.day) g.day = ad;
      g.dateField = 'award_date';
    } else if (cd !== NO_DAY && g.dateField !== 'award_date' && (g.day === NO_DAY || cd < g.day)) {
      g.day = cd;
      g.dateField = 'contract_date';
    }
  }

  // the lots of an award by lot, not by row; its buyer and category those of its first lot that has one
  const lotOrder = tenderOrder(data);
  for (const g of groups) {
    if (g.units.length < 2) continue;
    g.units.sort(lotOrder);
    g.category = units.table.text('category', g.units[0]);
    if (buyer) g.buyer = g.units.map((u) => buyer[u]).find((b) => b >= 0) ?? -1;
  }

  const inv = data.invoices!;
  const ref = inv.str('contract_ref');
  const seller = inv.party('seller_id');
  const refMatched = new Uint8Array(inv.n);
  if (ref && seller) {
    const refGroups: (number[] | undefined)[] = ref.dict.map((s) => byTender.get(s) ?? byTender.get(s.trim()));
    for (let r = 0; r < inv.n; r++) {
      const c = ref.codes[r];
      if (c < 0 || ig.isVoid[r]) continue;
      const gs = refGroups[c];
      if (!gs) continue;
      refMatched[r] = 1;
      for (const gi of gs) if (groups[gi].winner === seller[r]) groups[gi].refRows.push(r);
    }
  }

  const byPair = new Map<number, number[]>();
  const n = data.parties.size;
  groups.forEach((g, i) => {
    if (g.buyer < 0 || g.day === NO_DAY) return;
    const k = g.winner * n + g.buyer;
    let l = byPair.get(k);
    if (!l) byPair.set(k, (l = []));
    l.push(i);
  });
  for (const l of byPair.values()) l.sort((a, b) => groups[a].day - groups[b].day || compareText(groups[a].tender, groups[b].tender));
  return { groups, byPair, refMatched, hasRefs: !!ref?.codes.some((c) => c >= 0) };
}

/** An invoice as evidence: id, date, amount, how it was tied to the award, where it is in the export. */
export function invoiceEvidence(data: Dataset, ig: InvoiceGraph, row: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const date = data.invoices!.num('issue_date')?.[row] ?? NaN;
  return {
    invoice: invoiceLabel(data, row),
    date: Number.isNaN(date) ? null : isoDay(date),
    amount: ig.gross[row],
    ...extra,
    row: rowRef(data, 'invoices', row),
  };
}

/**
 * Whether invoice values (InvoiceGraph.gross) include VAT: each row's total_amount, or amount +
 * vat_amount, does; a bare amount does not. Awards are compared with totals incl. VAT, as Vietnamese
 * award prices (giá trúng thầu) include taxes.
 */
export function vatBasis(data: Dataset, rows: number[]): 'incl. VAT' | 'before VAT' | 'partly incl. VAT' {
  const t = data.invoices!;
  const total = t.num('total_amount');
  const vat = t.num('vat_amount');
  const amount = t.num('amount');
  let withVat = 0;
  for (const r of rows) if ((total && !Number.isNaN(total[r])) || (vat && !Number.isNaN(vat[r]) && amount && !Number.isNaN(amount[r]))) withVat++;
  return withVat === rows.length ? 'incl. VAT' : withVat === 0 ? 'before VAT' : 'partly incl. VAT';
}

export default defineDetector({
  id: 'overbilling',
  title: 'Invoices for a contract exceed its award',
  family: 'cross',
  rationale:
    'The winner\'s invoices to the buyer for a tender should add up to at most the award (plus agreed variations); billing well above it means the buyer paid for more than was procured, or the award was a foothold for inflated claims.',
  sources: ['OCP R068 (contract value higher than award)', 'VN State Audit: thanh toán vượt giá trị hợp đồng'],
  needs: ['invoices.issue_date'],
  needsAny: [['bids.award_amount', 'bids.is_winner']],
  uses: ['invoice-graph', 'awards'],
  params: {
    tolerance: { default: 0.05, min: 0, max: 5, description: 'flag when billed > award × (1 + tolerance)' },
    window_days: {
      default: 365,
      min: 1,
      integer: true,
      description: 'invoices without a reference to the tender count when the winner bills the buyer this many days after the award',
    },
  },
  explain: {
    definition:
      'For each award (a tender, or the lots of it one firm won), the sum of the winner\'s invoices that bill it, compared with the award amount. An invoice bills the award when its contract_ref is the tender id and its seller is the winner; an invoice from the winner to the tender\'s buyer without such a reference belongs to the nearest award of the same winner and buyer before it, when it is dated at most `window_days` after that award and no invoice names that award (else it is taken as other business); awards of the pair on the same day share such invoices, each going to the one with the most room left. Invoice values are totals incl. VAT, as the award is in Vietnam. Such invoices are reported as "invoices to this buyer that do not name the tender", not as bills of it. Cancelled and replaced invoices are left out.',
    formula:
      'billed = Σ invoice total with VAT (total_amount, else amount + vat_amount, else amount); r = billed / award; flag r > 1 + tolerance; score = ramp(r, 1 + tolerance → 1.35, 0.6 → 0.9), × 0.75 when most of the billed value is matched by buyer, seller and date only, × 0.55 (low) when moreover other invoices of the export do carry references (so the missing one suggests other business).',
    why:
      'Payments above the contract value without a documented variation are a classic leak (R068): the award looked competitive but the buyer pays more, often split over several invoices.',
    falsePositives:
      'Approved contract variations and price adjustments; award amounts written without VAT while invoices carry it (then every award looks about 10% over: raise the tolerance); invoices of another contract between the same firms counted by the pair-and-date fallback.',
    exclusions:
      'Awards without an amount (neither award_amount nor a winning bid) are not judged. Awards without a date can only be matched by reference.',
  },
  run(data, p) {
    const ig = invoiceGraph(data);
    const aw = awardsOf(data, ig);
    const { groups } = aw;
    const billed = new Float64Array(groups.length);
    const rows: number[][] = groups.map((g) => [...g.refRows]);
    const byPairValue = new Float64Array(groups.length);
    for (let gi = 0; gi < groups.length; gi++) for (const r of groups[gi].refRows) billed[gi] += ig.gross[r];

    // pair + date fallback for invoices that name no tender of the bids: each belongs to the nearest award of
    // the same winner and buyer before it (within window_days), never to an older one; when invoices name
    // that award, the unreferenced ones are taken as other business. Awards of the pair on one day share
    // their invoices: each goes to the one with the most room left (the reading most favourable to the
    // supplier), in order of date and amount, so several contracts between one pair do not look overbilled
    const paired = new Uint8Array(data.invoices!.n);
    // invoices by day, then id (not by row): which of two alike invoices goes to which award, and the lists
    const invoiceOrder = invoiceRowOrder(data, ig);
    const room = (gi: number) => (groups[gi].award > 0 ? groups[gi].award * (1 + p.tolerance) - billed[gi] : -Infinity);
    for (const k of [...aw.byPair.keys()].sort((a, b) => a - b)) {
      const list = aw.byPair.get(k)!;
      const g0 = groups[list[0]];
      const lastDay = groups[list[list.length - 1]].day;
      const edges = edgesBetween(ig.g, g0.winner, g0.buyer, g0.day, lastDay + p.window_days);
      edges.sort((a, b) => ig.g.time[a] - ig.g.time[b] || ig.gross[a] - ig.gross[b] || invoiceOrder(a, b));
      for (const e of edges) {
        if (aw.refMatched[e]) continue;
        const t = ig.g.time[e];
        // the latest award day of the pair on or before the invoice
        let nearest = NO_DAY;
        for (const gi of list) {
          if (groups[gi].day > t) break;
          nearest = groups[gi].day;
        }
        if (nearest === NO_DAY || t > nearest + p.window_days) continue;
        let best = -1;
        for (const gi of list) {
          if (groups[gi].day !== nearest || groups[gi].refRows.length) continue;
          if (best < 0 || room(gi) > room(best) || (room(gi) === room(best) && groups[gi].tender < groups[best].tender)) best = gi;
        }
        if (best < 0) continue;
        rows[best].push(e);
        paired[e] = 1;
        billed[best] += ig.gross[e];
        byPairValue[best] += ig.gross[e];
      }
    }

    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    let applied = 0;
    for (let gi = 0; gi < groups.length; gi++) {
      const g = groups[gi];
      if (!(g.award > 0)) {
        count(notApplicable, 'no award amount');
        continue;
      }
      if (rows[gi].length === 0) {
        count(notApplicable, 'no invoices billing the award');
        continue;
      }
      applied++;
      const r = billed[gi] / g.award;
      if (!(r > 1 + p.tolerance)) continue;
      const pairShare = byPairValue[gi] / billed[gi];
      const byPair = pairShare > 0.5;
      const score = ramp(r, 1 + p.tolerance, 1.35, 0.6, 0.9) * (byPair ? (aw.hasRefs ? 0.55 : 0.75) : 1);
      const invs = rows[gi].sort(invoiceOrder);
      const nPair = invs.filter((e) => paired[e]).length;
      const nRef = invs.length - nPair;
      const basis = vatBasis(data, invs);
      // invoices matched by seller, buyer and date only are invoices to this buyer, not bills of this tender
      const which = byPair
        ? `${plural(nPair, 'invoice')} from the winner to this buyer that ${nPair === 1 ? 'does' : 'do'} not name the tender${nRef ? ` and ${plural(nRef, 'invoice')} naming it` : ''}`
        : `${plural(nRef, 'invoice')} from the winner naming this tender${nPair ? ` and ${plural(nPair, 'invoice')} to this buyer that ${nPair === 1 ? 'does' : 'do'} not name it` : ''}`;
      const entities: Entity[] = g.units.map((u) => tenderEntity(data, u));
      entities.push(companyEntity(data, g.winner));
      for (const e of invs.slice(0, LISTED_INVOICES)) entities.push({ type: 'invoice', id: invoiceLabel(data, e) });
      findings.push({
        score,
        title: byPair
          ? `${g.tender}: invoices from ${partyLabel(data, g.winner)} to this buyer that do not name the tender add up to ${fmtPct(r, 0)} of the award`
          : `${g.tender}: ${partyLabel(data, g.winner)} billed ${fmtPct(r, 0)} of the award`,
        entities,
        amount: billed[gi],
        key: g.tender,
        evidence: {
          award: g.award,
          billed: billed[gi],
          excess: billed[gi] - g.award,
          ratio: round(r),
          threshold: round(1 + p.tolerance),
          billedBasis: basis,
          invoiceCount: invs.length,
          matchedByReference: nRef,
          matchedByPairAndDate: nPair,
          awardDate: g.day === NO_DAY ? null : dayIso(g.day),
          dateField: g.dateField || null,
          window_days: p.window_days,
          buyer: g.buyer >= 0 ? buyerEntity(data, g.buyer) : null,
          invoices: invs.slice(0, LISTED_INVOICES).map((e) => invoiceEvidence(data, ig, e, { matchedBy: paired[e] ? 'pair+date' : 'contract_ref' })),
        },
        explanation: byPair
          ? `${which}, dated within ${plural(p.window_days, 'day')} after the award and nearer this award than any other of the pair, add up to ${fmtAmount(billed[gi])} ${basis} against an award of ${fmtAmount(g.award)} (${fmtPct(r, 1)}, limit ${fmtPct(1 + p.tolerance, 0)}); without a reference they may bill other work for this buyer.`
          : `${which} ${nRef + nPair === 1 ? 'bills' : 'bill'} ${fmtAmount(billed[gi])} ${basis} against an award of ${fmtAmount(g.award)} (${fmtPct(r, 1)}, limit ${fmtPct(1 + p.tolerance, 0)}): ${fmtAmount(billed[gi] - g.award)} more than was awarded.`,
      });
    }
    const notes: string[] = [];
    if (!aw.hasRefs) notes.push('the invoices carry no contract_ref: invoices were tied to awards by seller, buyer and date only');
    return { findings, applied, notApplicable, notes };
  },
});
