import { invoiceGraph, invoiceLabel, invoiceRowOrder } from '../graph/cycles.js';
import { NO_DAY, dayIso, dayOrNone } from '../util/dates.js';
import { ramp } from '../scoring/score.js';
import { awardsOf, invoiceEvidence, LISTED_INVOICES } from './overbilling.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { buyerEntity, companyEntity, fmtAmount, partyLabel, plural } from './util.js';
import { foldText } from '../normalize/fold.js';
import duplicateInvoices from './duplicate-invoices.js';
import { KeyParts } from '../graph/invoice-index.js';

/** duplicate-invoices' default windows: an invoice of a pair repeating an earlier one within them is a possible duplicate */
const DUP = duplicateInvoices.params as Record<string, { default: number }>;
const DUP_DAYS = DUP.window_days.default;
const REPEAT_DAYS = DUP.repeat_window_days.default;
const REPEAT_MIN = DUP.repeat_min_amount.default;
const RECURRING_MIN = DUP.recurring_min.default;
const RECURRING_GAP = DUP.recurring_gap_days.default;

/** Tender dates that bound the period the bids cover. */
const DATE_FIELDS = ['published_date', 'award_date', 'contract_date'] as const;

export default defineDetector({
  id: 'spend-without-award',
  title: 'A public buyer pays a supplier large sums without any award',
  family: 'cross',
  rationale:
    'A public buyer may buy without a tender only below the invoice-only ceiling (or by a recorded direct award); large totals invoiced by a supplier that never won anything from that buyer point to purchases outside procurement, often split to stay unseen.',
  sources: ['VN Law on Bidding 22/2023 and Decree 24/2024 (purchases above the invoice-only ceiling need a procedure)', 'OCP R024-style spend-versus-award reconciliation', 'OECD 2016 recommendation on public procurement: traceability of spend'],
  needs: ['invoices.buyer_id', 'invoices.issue_date', 'bids.buyer_id'],
  uses: ['invoice-graph', 'awards'],
  params: {
    min_total: {
      default: 1_000_000_000,
      min: 0,
      description: 'flag a seller → public buyer total (with VAT, invoices above the invoice-only ceiling) of at least this, over the period the bids cover',
    },
    grace_days: {
      default: 365,
      min: 0,
      integer: true,
      description: 'invoices up to this many days after the last tender date still count as covered by the bids',
    },
  },
  explain: {
    definition:
      'Public buyers are the parties that appear as buyer_id of a tender. For each seller → public buyer pair with no award on record between them (the seller never won a tender of that buyer), the total incl. VAT of the seller\'s invoices to that buyer above the invoice-only ceiling of the legal tables (purchases up to it need no procedure), dated within the period the bids cover (from the first tender date to `grace_days` after the last). Invoices whose contract_ref names a tender of the bids, and cancelled or replaced invoices, are left out, and so are possible duplicates, listed apart: an invoice repeating an earlier one of the pair by number, or by amount before VAT within duplicate-invoices\' default windows (7 days; 24 days for 100 m or more with the same description), unless the amount recurs at regular gaps (3 or more, 6 days or more apart).',
    formula:
      'n = invoices of the pair with a total (with VAT) above invoice_only_ceiling; total = their sum; flag total ≥ min_total; score = ramp(n, 1 → 4, 0.3 → 0.6) + ramp(total / min_total, 1 → 5, +0 → +0.15): one large invoice is a weak signal, a stream of them a strong one.',
    why:
      'Public money should follow awards. A steady stream of invoices to a public body from a firm that holds no contract with it is spending outside the procurement system: a direct purchase split below the thresholds, a firm paid on another firm\'s contract, or fictitious supplies.',
    falsePositives:
      'Utilities, telecoms, fuel and other purchases exempt from tendering; awards that are missing from the bids export (another portal, another period, or the tender was won by a joint venture under another tax code); amounts in a currency where min_total is too low.',
    exclusions: 'Invoices outside the period the bids cover, invoices without a buyer tax code, and sellers that are public buyers themselves.',
  },
  run(data, p, ctx) {
    const ig = invoiceGraph(data);
    const { g } = ig;
    const aw = awardsOf(data, ig);
    const units = data.units;
    const n = data.parties.size;
    const isPublic = new Uint8Array(n);
    const ub = units.table.party('buyer_id')!;
    for (let u = 0; u < units.n; u++) if (ub[u] >= 0) isPublic[ub[u]] = 1;
    const awarded = new Set<number>();
    for (const grp of aw.groups) if (grp.buyer >= 0) awarded.add(grp.winner * n + grp.buyer);

    // the period the tenders cover
    let first = Infinity;
    let last = -Infinity;
    for (const f of DATE_FIELDS) {
      const col = units.table.num(f);
      if (!col) continue;
      for (let u = 0; u < units.n; u++) {
        const d = dayOrNone(col[u]);
        if (d === NO_DAY) continue;
        if (d < first) first = d;
        if (d > last) last = d;
      }
    }
    const from = Number.isFinite(first) ? first : -Infinity;
    const to = Number.isFinite(last) ? last + p.grace_days : Infinity;

    const ceiling = ctx.tables.invoice_only_ceiling;
    let belowAfterRepeats = 0;
    // what makes two invoices of one pair a possible duplicate, as duplicate-invoices sees it (read only
    // for the pairs over min_total)
    const inv = data.invoices!;
    const desc = inv.str('description');
    let kp: KeyParts | undefined;
    const regularAmounts = (rows: number[]): Set<number> => {
      const byAmount = new Map<number, number[]>();
      for (const e of rows) {
        const l = byAmount.get(ig.net[e]);
        if (l) l.push(e);
        else byAmount.set(ig.net[e], [e]);
      }
      const out = new Set<number>();
      for (const [a, l] of byAmount)
        if (l.length >= RECURRING_MIN && l.every((e, i) => i === 0 || g.time[e] - g.time[l[i - 1]] >= RECURRING_GAP)) out.add(a);
      return out;
    };
    /** the invoice's series and number as one value (-1 without a number) */
    const numberKey = (e: number) => {
      kp ??= new KeyParts(inv);
      const n = kp.number(e);
      return n < 0 ? -1 : kp.seriesKey(e) * (kp.nNumbers + 1) + n;
    };
    const isRepeat = (e: number, earlier: number[], numbers: Set<number>): boolean => {
      const t = g.time[e];
      const num = numberKey(e);
      if (num >= 0 && numbers.has(num)) return true;
      if (num >= 0) numbers.add(num);
      for (let j = earlier.length - 1; j >= 0; j--) {
        const x = earlier[j];
        const gap = t - g.time[x];
        if (gap > Math.max(DUP_DAYS, REPEAT_DAYS)) break;
        if (ig.net[e] !== ig.net[x]) continue;
        if (gap <= DUP_DAYS) return true;
        if (ig.net[e] >= REPEAT_MIN && desc) {
          const a = inv.text('description', e);
          if (a && foldText(a) === foldText(inv.text('description', x))) return true;
        }
      }
      return false;
    };
    const findings: FindingDraft[] = [];
    const invoiceOrder = invoiceRowOrder(data, ig);
    let applied = 0;
    let withAward = 0;
    let outside = 0;
    for (let s = 0; s < n; s++) {
      for (let q = g.pairStart[s]; q < g.pairStart[s + 1]; q++) {
        const b = g.pairDst[q];
        if (!isPublic[b] || isPublic[s]) continue;
        if (awarded.has(s * n + b)) {
          withAward++;
          continue;
        }
        applied++;
        const rows: number[] = [];
        let total = 0;
        let all = 0;
        let allTotal = 0;
        for (let i = g.pairEdgeStart[q]; i < g.pairEdgeStart[q + 1]; i++) {
          const e = g.pairEdges[i];
          const t = g.time[e];
          if (t < from || t > to) {
            outside++;
            continue;
          }
          if (aw.refMatched[e] || !(ig.gross[e] > 0)) continue;
          all++;
          allTotal += ig.gross[e];
          if (ig.gross[e] <= ceiling) continue;
          rows.push(e);
          total += ig.gross[e];
        }
        if (!(total >= p.min_total) || !rows.length) continue;
        // invoices of one day by id, not by row: of two alike, the later in this order is the repeat
        rows.sort(invoiceOrder);
        // invoices repeating an earlier one of the pair (the same number, or the same amount before VAT
        // within duplicate-invoices' windows) are possible duplicates: left out of the total, listed apart
        // (a series of one amount at regular gaps, as weekly deliveries, is not: duplicate-invoices' recurring rule)
        const regular = regularAmounts(rows);
        const repeats: number[] = [];
        const kept: number[] = [];
        const numbers = new Set<number>();
        for (const e of rows) {
          if (isRepeat(e, kept, numbers) && !regular.has(ig.net[e])) repeats.push(e);
          else kept.push(e);
        }
        if (repeats.length) {
          rows.length = 0;
          rows.push(...kept);
          total = 0;
          for (const e of rows) total += ig.gross[e];
          if (!(total >= p.min_total)) {
            belowAfterRepeats++;
            continue;
          }
        }
        let repeatValue = 0;
        for (const e of repeats) repeatValue += ig.gross[e];
        const over = rows.length;
        const entities: Entity[] = [companyEntity(data, s), buyerEntity(data, b)];
        for (const e of rows.slice(0, LISTED_INVOICES)) entities.push({ type: 'invoice', id: invoiceLabel(data, e) });
        const span = `${dayIso(g.time[rows[0]])} – ${dayIso(g.time[rows[rows.length - 1]])}`;
        findings.push({
          score: ramp(over, 1, 4, 0.3, 0.6) + ramp(total / p.min_total, 1, 5, 0, 0.15),
          title: `${partyLabel(data, s)} invoiced ${partyLabel(data, b)} ${fmtAmount(total)} incl. VAT without an award`,
          entities,
          amount: total,
          evidence: {
            total,
            invoices: over,
            invoiceOnlyCeiling: ceiling,
            allInvoices: all,
            allInvoicesTotal: allTotal,
            period: span,
            awardsOfBuyerToSeller: 0,
            amountBasis: 'incl. VAT',
            possibleDuplicatesLeftOut: repeats.length,
            possibleDuplicatesValue: repeatValue,
            possibleDuplicates: repeats.slice(0, LISTED_INVOICES).map((e) => invoiceEvidence(data, ig, e)),
            threshold: { min_total: p.min_total, invoice_only_ceiling: ceiling },
            coveredPeriod: Number.isFinite(first) ? `${dayIso(first)} – ${dayIso(last + p.grace_days)}` : null,
            list: rows.slice(0, LISTED_INVOICES).map((e) => invoiceEvidence(data, ig, e)),
          },
          explanation: `${over} invoice${over === 1 ? '' : 's'} above the invoice-only ceiling of ${fmtAmount(ceiling)} (${span}) total ${fmtAmount(total)} incl. VAT (threshold ${fmtAmount(p.min_total)}), yet the bids record no award of this buyer to this seller${repeats.length ? `; ${plural(repeats.length, 'further invoice')} (${fmtAmount(repeatValue)}) repeating an earlier one of the pair, possible duplicates, ${repeats.length === 1 ? 'is' : 'are'} left out` : ''}.`,
        });
      }
    }
    const notes = [
      `${plural(withAward, 'seller → public buyer pair')} ${withAward === 1 ? 'has' : 'have'} an award on record; ${plural(outside, 'invoice')} ${outside === 1 ? 'falls' : 'fall'} outside the period the bids cover${Number.isFinite(first) ? ` (${dayIso(first)} – ${dayIso(last + p.grace_days)})` : ''}.`,
    ];
    if (belowAfterRepeats) notes.push(`${belowAfterRepeats} pair(s) reach min_total only by counting invoices that repeat an earlier one (possible duplicates, see duplicate-invoices) and are not reported.`);
    return { findings, applied, notes };
  },
});
