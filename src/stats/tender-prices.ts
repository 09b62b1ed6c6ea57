/**
 * Per-tender price helpers shared by the bid-price detectors: a unit's valid bids, and per-segment
 * reference sketches of one measure (what a baseline freezes), with "all" built from every judged tender.
 */
import type { Dataset } from '../model/dataset.js';
import { bidStatus } from '../model/bids.js';
import { INVALID_BID_STATUSES } from '../normalize/codes.js';
import { quantile, rankIn, sketch, type Sketch } from './quantiles.js';
import { ALL, segmentUnits, type Segments } from './segments.js';
import { compareText } from '../util/compare.js';
import { round } from '../util/format.js';

/** 1 for each bid row whose status is disqualified, withdrawn or late (computed once per status code). */
export function invalidRows(data: Dataset): Uint8Array {
  const bids = data.bids;
  const out = new Uint8Array(bids?.n ?? 0);
  const st = bids?.str('bid_status');
  if (!st) return out;
  const bad = Uint8Array.from(st.dict, (s) => (INVALID_BID_STATUSES.has(s) ? 1 : 0));
  for (let r = 0; r < out.length; r++) if (st.codes[r] >= 0) out[r] = bad[st.codes[r]];
  return out;
}

const masks = new WeakMap<Dataset, Uint8Array>();

/** Valid bids of a unit (status not disqualified, withdrawn or late; price > 0), sorted by price, with their rows. */
export function validBids(data: Dataset, prices: Float64Array, u: number): { b: Float64Array; rows: number[] } {
  const units = data.units;
  let invalid = masks.get(data);
  if (!invalid) masks.set(data, (invalid = invalidRows(data)));
  const rows: number[] = [];
  for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
    const r = units.bidRows[k];
    if (prices[r] > 0 && !invalid[r]) rows.push(r);
  }
  // bids at one price by bidder id, not by row: which of them is "the lowest" or in the tightest group
  const bidder = data.bids?.party('bidder_id');
  const id = (r: number) => (bidder && bidder[r] >= 0 ? data.parties.id(bidder[r]) : '');
  rows.sort((x, y) => prices[x] - prices[y] || compareText(id(x), id(y)) || x - y);
  const b = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) b[i] = prices[rows[i]];
  return { b, rows };
}

/**
 * DIFFP = (b2 − b1)/b1, the relative gap between the two lowest valid bids (Imhof 2017), of each unit with
 * at least `minBids` valid bids; NaN for the others, which are counted by reason in `notApplicable`.
 * `exclude` may leave out more units: it returns the reason, or undefined to judge the unit. `rows` are the
 * unit's valid bid rows, cheapest first (close-second-bid and heavily-discounted-win share this).
 */
export function diffpByUnit(
  data: Dataset,
  prices: Float64Array,
  minBids: number,
  exclude?: (u: number, b: Float64Array) => string | undefined,
): { diffp: Float64Array; rows: number[][]; notApplicable: Record<string, number> } {
  const n = data.units.n;
  const diffp = new Float64Array(n).fill(NaN);
  const rows: number[][] = new Array(n);
  const notApplicable: Record<string, number> = {};
  const skip = (reason: string) => (notApplicable[reason] = (notApplicable[reason] ?? 0) + 1);
  for (let u = 0; u < n; u++) {
    const { b, rows: r } = validBids(data, prices, u);
    if (b.length < minBids) {
      skip(`fewer than ${minBids} valid bids`);
      continue;
    }
    const reason = exclude?.(u, b);
    if (reason !== undefined) {
      skip(reason);
      continue;
    }
    diffp[u] = (b[1] - b[0]) / b[0];
    rows[u] = r;
  }
  return { diffp, rows, notApplicable };
}

/** The DIFFP cut-offs of the whole input reported beside the findings: its q-quantile and median. */
export function diffpCutoffs(reference: MeasureReference, q: number): Record<string, number> {
  const all = reference.segments[ALL];
  if (!all?.n) return {};
  return { [`diffp p${Math.round(q * 100)} (all)`]: round(quantile(all, q), 6), 'diffp p50 (all)': round(quantile(all, 0.5), 6) };
}

/** A frozen per-segment distribution of one measure. */
export interface MeasureReference {
  kind: string;
  version: 1;
  segments: Record<string, Sketch>;
}

export function isMeasureReference(x: unknown, kind: string): x is MeasureReference {
  return !!x && typeof x === 'object' && (x as MeasureReference).kind === kind && !!(x as MeasureReference).segments;
}

/**
 * Segment each unit with a value (NaN = not judged) and rank it within its segment's distribution, or
 * within a frozen reference when one is given. Returns the lower mid-rank in [0, 1] (share of the
 * distribution below the value) per unit, the segments, and the reference to hand back.
 */
export function rankBySegment(
  data: Dataset,
  value: Float64Array,
  minSegment: number,
  kind: string,
  frozen: unknown,
): { rank: Float64Array; seg: Segments; reference: MeasureReference; segmentOf: (u: number) => string; fromBaseline: boolean } {
  const n = value.length;
  const judged = new Uint8Array(n);
  for (let u = 0; u < n; u++) judged[u] = Number.isNaN(value[u]) ? 0 : 1;
  const ref = isMeasureReference(frozen, kind) ? frozen : undefined;
  const seg = segmentUnits(data, judged, minSegment, ref ? new Set(Object.keys(ref.segments)) : undefined);
  const reference: MeasureReference = { kind, version: 1, segments: {} };
  if (ref) reference.segments = ref.segments;
  else
    {
      const groups: number[][] = seg.names.map(() => []);
      const all: number[] = [];
      for (let u = 0; u < n; u++)
        if (judged[u]) {
          groups[seg.of[u]].push(value[u]);
          all.push(value[u]);
        }
      seg.names.forEach((name, g) => (reference.segments[name] = name === ALL ? sketch(all) : sketch(groups[g])));
      if (!reference.segments[ALL]) reference.segments[ALL] = sketch(all);
    }
  const segmentOf = (u: number) => (seg.of[u] >= 0 ? seg.names[seg.of[u]] : ALL);
  const rank = new Float64Array(n).fill(NaN);
  for (let u = 0; u < n; u++) {
    if (!judged[u]) continue;
    const s = reference.segments[segmentOf(u)] ?? reference.segments[ALL];
    if (s) rank[u] = rankIn(s, value[u]);
  }
  return { rank, seg, reference, segmentOf, fromBaseline: !!ref };
}

/** Bids listed per tender in evidence. */
export const MAX_BIDS = 10;

/** The tender's bids, cheapest first: bidder id and amount (at most MAX_BIDS, and how many more). */
export function bidList(data: Dataset, prices: Float64Array, u: number, max = MAX_BIDS): { bids: { bidder: string; amount: number; status?: string }[]; moreBids: number } {
  const units = data.units;
  const bidder = data.bids!.party('bidder_id');
  const rows: number[] = [];
  for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) if (prices[units.bidRows[k]] > 0) rows.push(units.bidRows[k]);
  const id = (r: number) => (bidder && bidder[r] >= 0 ? data.parties.id(bidder[r]) : '');
  rows.sort((a, b) => prices[a] - prices[b] || compareText(id(a), id(b)));
  return {
    bids: rows.slice(0, max).map((r) => {
      const st = bidStatus(data, r);
      return { bidder: id(r), amount: prices[r], ...(INVALID_BID_STATUSES.has(st) ? { status: st } : {}) };
    }),
    moreBids: Math.max(0, rows.length - max),
  };
}
