import { findPair, findTemporalCycles, invoiceGraph, invoiceLabel, invoiceRowOrder } from '../graph/cycles.js';
import { ramp } from '../scoring/score.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { companyEntity, fmtAmount, fmtPct, partyLabel, plural, round, rowRef } from './util.js';
import { DAY_MS, isoDay } from '../util/dates.js';
import { compareText } from '../util/compare.js';

/** cycles shown in full in a finding's evidence */
const SHOWN_CYCLES = 10;
/** invoices listed as entities of one finding */
const LISTED_INVOICES = 100;

interface Ring {
  nodes: number[];
  cycles: Int32Array[];
}

export default defineDetector({
  id: 'circular-invoicing',
  title: 'Invoices that go round in a circle (VAT carousel)',
  family: 'invoice',
  rationale:
    'Goods or services invoiced from firm to firm until the value returns to where it started, hop after hop within days and for about the same amount, create VAT credits and turnover without trade (a carousel).',
  sources: ['EU VAT carousel (missing-trader) typology', 'VN General Department of Taxation: hóa đơn khống, mua bán hóa đơn vòng tròn', 'OECD tax crime typologies'],
  needs: ['invoices.buyer_id', 'invoices.issue_date'],
  needsAny: [['invoices.amount', 'invoices.total_amount']],
  uses: ['invoice-graph'],
  params: {
    window_days: { default: 30, min: 0, integer: true, description: 'each hop is issued within this many days after the previous one' },
    tolerance: { default: 0.1, min: 0, max: 1, description: 'consecutive hops differ by at most this share of the larger amount' },
    max_length: { default: 6, min: 2, max: 8, integer: true, description: 'longest cycle searched (firms in the ring)' },
    max_cycles: { default: 500, min: 1, integer: true, description: 'cycles kept per strongly connected component before its search stops' },
    max_branching: { default: 25, min: 1, integer: true, description: 'candidate next hops examined from one invoice' },
    max_steps: { default: 2_000_000, min: 1000, integer: true, description: 'hops tried per strongly connected component before its search stops' },
  },
  explain: {
    definition:
      'Builds the seller → buyer graph of the invoices (one edge per invoice, cancelled and replaced invoices left out), splits it into strongly connected components (only firms that can reach each other can form a circle), and searches each component for temporal cycles: invoices e1 → e2 → … → ek through k distinct firms, 2 ≤ k ≤ `max_length`, the buyer of each invoice being the seller of the next, each issued on the same day or up to `window_days` after the previous one, each amount within `tolerance` of the previous one, and the last invoice billed back to the first seller. Cycles through the same set of firms form one ring and one finding, which names the ring as a group entity `carousel-<smallest member id>-<firms>` besides its firms and (up to 100) invoices.',
    formula:
      'hop rule: t(e_i) ≤ t(e_i+1) ≤ t(e_i) + window_days and |a(e_i+1) − a(e_i)| ≤ tolerance × max(a(e_i), a(e_i+1)). Per ring: rounds = cycles that share no invoice; share = invoices on cycles / all invoices on the ring\'s seller → buyer pairs. score = (0.6 for rings of 3+ firms, 0.45 for two firms + ramp(rounds, 1 → 3, +0 → +0.25)) × ramp(share, 0.1 → 0.6, 0.6 → 1). Findings are ranked by score, then by the value moved (sum of the cycle invoices before VAT).',
    why:
      'In a carousel the same value passes A → B → C → A within days, again and again, so that each firm can claim input VAT or show turnover; honest supply chains rarely send an invoice of the same size back to where the money came from, and almost never repeatedly.',
    falsePositives:
      'Firms that buy from and sell to each other in regular trade, where two amounts happen to be close (scored low when the cycle is a small share of the trade between them); returns and re-invoicing after a correction when the status column is missing; group companies recharging shared costs round the group.',
    exclusions:
      'Invoices without a buyer tax code, without a date or with a cancelled or replaced status, and self-invoices. The search is bounded (`max_branching` candidates per hop, `max_cycles` and `max_steps` per component); when a bound cuts the search the notes say how often.',
  },
  run(data, p) {
    const ig = invoiceGraph(data);
    const { g, net } = ig;
    const res = findTemporalCycles(g, {
      amount: net,
      window: p.window_days,
      tolerance: p.tolerance,
      minLength: 2,
      maxLength: p.max_length,
      maxCycles: p.max_cycles,
      maxBranching: p.max_branching,
      maxSteps: p.max_steps,
    });

    // invoices by day, then id: what they are, not where their rows are (the first 100 are listed)
    const byInvoice = invoiceRowOrder(data, ig);
    // rings: cycles grouped by their set of firms
    // keyed by the firms' ids, sorted: the same ring keeps its key (and finding id) whatever the row order
    const rings = new Map<string, Ring>();
    for (const found of res.cycles) {
      const c = sameDayFirst(found, g.time, byInvoice);
      const nodes = Array.from(c, (e) => g.src[e]).sort((a, b) => compareText(data.parties.id(a), data.parties.id(b)));
      const key = nodes.map((v) => data.parties.id(v)).join(',');
      let r = rings.get(key);
      if (!r) rings.set(key, (r = { nodes, cycles: [] }));
      r.cycles.push(c);
    }

    const findings: FindingDraft[] = [];
    const mark = new Uint8Array(g.src.length);
    // cycles in time order of their first hop, then hop by hop by invoice: the rounds counted below (and the
    // path shown) do not depend on which of two cycles of one day comes first in the rows
    const byCycle = (a: Int32Array, b: Int32Array) => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) {
        const d = byInvoice(a[i], b[i]);
        if (d) return d;
      }
      return a.length - b.length;
    };
    for (const key of [...rings.keys()].sort()) {
      const ring = rings.get(key)!;
      // rounds = cycles that share no invoice
      ring.cycles.sort(byCycle);
      // mark bits: 1 = listed in invoiceSet, 2 = taken by a round
      let rounds = 0;
      const invoiceSet: number[] = [];
      for (const c of ring.cycles) {
        let free = true;
        for (const e of c) if (mark[e] & 2) free = false;
        if (free) rounds++;
        for (const e of c) {
          if (!(mark[e] & 1)) invoiceSet.push(e);
          mark[e] |= free ? 3 : 1;
        }
      }
      for (const e of invoiceSet) mark[e] = 0;
      invoiceSet.sort(byInvoice);

      // the ring's seller → buyer pairs and all their invoices
      const pairs = new Set<number>();
      for (const c of ring.cycles) for (const e of c) pairs.add(findPair(g, g.src[e], g.dst[e]));
      let pairInvoices = 0;
      for (const q of pairs) pairInvoices += g.pairEdgeStart[q + 1] - g.pairEdgeStart[q];
      const share = invoiceSet.length / Math.max(1, pairInvoices);

      let value = 0;
      for (const e of invoiceSet) value += net[e];
      let maxDev = 0;
      let maxGap = 0;
      for (const c of ring.cycles)
        for (let i = 1; i < c.length; i++) {
          const a = net[c[i - 1]];
          const b = net[c[i]];
          maxDev = Math.max(maxDev, Math.abs(a - b) / Math.max(a, b));
          maxGap = Math.max(maxGap, g.time[c[i]] - g.time[c[i - 1]]);
        }

      const size = ring.nodes.length;
      const base = (size >= 3 ? 0.6 : 0.45) + ramp(rounds, 1, 3, 0, 0.25);
      const score = base * ramp(share, 0.1, 0.6, 0.6, 1);

      const first = ring.cycles[0];
      const order = Array.from(first, (e) => g.src[e]);
      // the carousel as one entity, named by its smallest member id and size, as the firms are one scheme
      const ids = key.split(',');
      const group: Entity = { type: 'group', id: `carousel-${ids[0]}-${size}`, name: `carousel of ${size} firms` };
      const entities: Entity[] = [group, ...ring.nodes.map((v) => companyEntity(data, v))];
      for (const e of invoiceSet.slice(0, LISTED_INVOICES)) entities.push({ type: 'invoice', id: invoiceLabel(data, e) });
      const hop = (e: number) => ({
        invoice: invoiceLabel(data, e),
        seller: data.parties.id(g.src[e]),
        buyer: data.parties.id(g.dst[e]),
        date: isoDay(g.time[e] * DAY_MS),
        amount: net[e],
        row: rowRef(data, 'invoices', e),
      });
      const path = [...order, order[0]].map((v) => partyLabel(data, v)).join(' → ');
      findings.push({
        score,
        title: `${size} firms invoiced ${fmtAmount(value)} round a circle ${rounds === 1 ? 'once' : `${rounds} times`}: ${order.map((v) => data.parties.id(v)).join(' → ')}`,
        entities,
        amount: value,
        key: key,
        evidence: {
          group: group.id,
          firms: ids,
          cycles: ring.cycles.length,
          rounds,
          invoices: invoiceSet.length,
          invoicesListed: Math.min(invoiceSet.length, LISTED_INVOICES),
          valueMoved: value,
          pairInvoices,
          shareOfPairTrade: round(share),
          maxHopDeviation: round(maxDev),
          maxHopDays: maxGap,
          threshold: { window_days: p.window_days, tolerance: p.tolerance, max_length: p.max_length },
          path: ring.cycles.slice(0, SHOWN_CYCLES).map((c) => Array.from(c, hop)),
        },
        explanation: `${path}: ${ring.cycles.length} cycle${ring.cycles.length === 1 ? '' : 's'} (${rounds} without shared invoices) moved ${fmtAmount(value)}, each hop within ${maxGap} days (limit ${p.window_days}) and ${fmtPct(maxDev)} of the previous amount (limit ${fmtPct(p.tolerance, 0)}); the cycles are ${fmtPct(share, 0)} of the ${pairInvoices} invoices between these firms.`,
      });
    }

    const notes: string[] = [];
    const active = countActive(g.outStart, g.pairDst, data.parties.size);
    notes.push(
      `${g.nEdges} invoices in the seller → buyer graph, ${data.invoices!.n - g.nEdges} left out (no buyer or date, self-invoiced, ${ig.voided} cancelled or replaced, ${ig.lines} further lines of an invoice); ${res.searched} strongly connected components of 2+ firms searched; ${plural(res.cycles.length, 'cycle')} in ${plural(rings.size, 'ring')}.`,
    );
    if (res.truncated)
      notes.push(`${res.truncated} component(s) stopped at max_cycles ${p.max_cycles} or max_steps ${p.max_steps}: cycles beyond were not searched.`);
    if (res.branchingCut) notes.push(`${res.branchingCut} hop(s) had more than max_branching ${p.max_branching} candidates; the rest were not followed.`);
    return { findings, applied: active, notes };
  },
});

/**
 * A cycle whose hops are all on one day could start at any of them: the search starts it at its smallest
 * edge id (a row position), this at its first invoice by `order`, so its path reads the same in any row order.
 */
function sameDayFirst(c: Int32Array, time: Int32Array, order: (a: number, b: number) => number): Int32Array {
  if (time[c[c.length - 1]] !== time[c[0]]) return c;
  let first = 0;
  for (let i = 1; i < c.length; i++) if (order(c[i], c[first]) < 0) first = i;
  if (first === 0) return c;
  return Int32Array.from(c, (_, i) => c[(first + i) % c.length]);
}

/** Firms with at least one invoice edge, in or out. */
function countActive(outStart: Int32Array, pairDst: Int32Array, n: number): number {
  const seen = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (outStart[v + 1] > outStart[v]) seen[v] = 1;
  for (let i = 0; i < pairDst.length; i++) seen[pairDst[i]] = 1;
  let k = 0;
  for (let v = 0; v < n; v++) k += seen[v];
  return k;
}
