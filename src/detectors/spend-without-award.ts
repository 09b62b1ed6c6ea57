import { dayNumber, invoiceGraph, invoiceLabel } from '../graph/cycles.js';
import { ramp } from '../scoring/score.js';
import { awardsOf, dayIso, invoiceEvidence, LISTED_INVOICES, NO_DAY } from './overbilling.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { buyerEntity, companyEntity, fmtAmount, partyLabel } from './util.js';

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
      'Public buyers are the parties that appear as buyer_id of a tender. For each seller → public buyer pair with no award on record between them (the seller never won a tender of that buyer), the total of the seller\'s invoices to that buyer above the invoice-only ceiling of the legal tables (purchases up to it need no procedure), dated within the period the bids cover (from the first tender date to `grace_days` after the last). Invoices whose contract_ref names a tender of the bids, and cancelled or replaced invoices, are left out.',
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
        const d = dayNumber(col[u]);
        if (d === NO_DAY) continue;
        if (d < first) first = d;
        if (d > last) last = d;
      }
    }
    const from = Number.isFinite(first) ? first : -Infinity;
    const to = Number.isFinite(last) ? last + p.grace_days : Infinity;

    const ceiling = ctx.tables.invoice_only_ceiling;
    const findings: FindingDraft[] = [];
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
        const over = rows.length;
        const entities: Entity[] = [companyEntity(data, s), buyerEntity(data, b)];
        for (const e of rows.slice(0, LISTED_INVOICES)) entities.push({ type: 'invoice', id: invoiceLabel(data, e) });
        const span = `${dayIso(g.time[rows[0]])} – ${dayIso(g.time[rows[rows.length - 1]])}`;
        findings.push({
          score: ramp(over, 1, 4, 0.3, 0.6) + ramp(total / p.min_total, 1, 5, 0, 0.15),
          title: `${partyLabel(data, s)} invoiced ${partyLabel(data, b)} ${fmtAmount(total)} without an award`,
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
            threshold: { min_total: p.min_total, invoice_only_ceiling: ceiling },
            coveredPeriod: Number.isFinite(first) ? `${dayIso(first)} – ${dayIso(last + p.grace_days)}` : null,
            list: rows.slice(0, LISTED_INVOICES).map((e) => invoiceEvidence(data, ig, e)),
          },
          explanation: `${over} invoice${over === 1 ? '' : 's'} above the invoice-only ceiling of ${fmtAmount(ceiling)} (${span}) total ${fmtAmount(total)} (threshold ${fmtAmount(p.min_total)}), yet the bids record no award of this buyer to this seller.`,
        });
      }
    }
    const notes = [
      `${withAward} seller → public buyer pairs have an award on record; ${outside} invoices fall outside the period the bids cover${Number.isFinite(first) ? ` (${dayIso(first)} – ${dayIso(last + p.grace_days)})` : ''}.`,
    ];
    return { findings, applied, notes };
  },
});
