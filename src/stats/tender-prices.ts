/**
 * Per-tender price helpers shared by the bid-price detectors: a unit's valid bids, and per-segment
 * reference sketches of one measure (what a baseline freezes), with "all" built from every judged tender.
 */
import type { Dataset } from '../model/dataset.js';
import { bidStatus, INVALID_STATUSES } from '../detectors/util.js';
import { rankIn, sketch, type Sketch } from './quantiles.js';
import { ALL, segmentUnits, type Segments } from './segments.js';

/** Valid bids of a unit (status not disqualified, withdrawn or late; price > 0), sorted by price, with their rows. */
export function validBids(data: Dataset, prices: Float64Array, u: number): { b: Float64Array; rows: number[] } {
  const units = data.units;
  const pairs: [number, number][] = [];
  for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
    const r = units.bidRows[k];
    if (!(prices[r] > 0) || INVALID_STATUSES.has(bidStatus(data, r))) continue;
    pairs.push([prices[r], r]);
  }
  pairs.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  return { b: Float64Array.from(pairs, (x) => x[0]), rows: pairs.map((x) => x[1]) };
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
    for (const name of [...new Set([...seg.names, ALL])].sort()) {
      const g = seg.names.indexOf(name);
      const vals: number[] = [];
      for (let u = 0; u < n; u++) if (judged[u] && (name === ALL || seg.of[u] === g)) vals.push(value[u]);
      reference.segments[name] = sketch(vals);
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
