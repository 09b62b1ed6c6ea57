/**
 * Segments for data-relative cut-offs (DETECTORS.md): a tender is compared with tenders of the same
 * category × procedure when that segment holds at least `minSegment` of the tenders being judged, else
 * with the whole input ("all": its reference distribution is built from every judged tender, not only
 * from those that fell back to it). Detectors that rank tenders against each other share this so that their
 * percentiles mean the same thing.
 */
import type { Dataset } from '../model/dataset.js';

export const ALL = 'all';

export interface Segments {
  /** unit → index into `names`; -1 for units not judged */
  of: Int32Array;
  /** segment names, sorted, "all" included when any unit falls back to it */
  names: string[];
  /** tenders per segment (parallel to `names`) */
  sizes: number[];
}

/** "works × open", "goods × (blank)"; "all" when both are blank. The raw key before the size check. */
export function segmentName(category: string, procedure: string): string {
  if (!category && !procedure) return ALL;
  return `${category || '(blank)'} × ${procedure || '(blank)'}`;
}

/**
 * Segment of each judged unit (`judged[u]` true). `known`, when given (the segments of a frozen
 * reference), replaces the size check: a unit keeps its category × procedure when the reference has it,
 * else it falls back to "all".
 */
export function segmentUnits(data: Dataset, judged: ArrayLike<boolean | number>, minSegment: number, known?: ReadonlySet<string>): Segments {
  const units = data.units;
  const raw: string[] = new Array(units.n).fill('');
  const counts = new Map<string, number>();
  for (let u = 0; u < units.n; u++) {
    if (!judged[u]) continue;
    const key = segmentName(units.table.text('category', u), units.table.text('procedure', u));
    raw[u] = key;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const keep = (key: string) => (known ? known.has(key) : (counts.get(key) ?? 0) >= minSegment);
  const final: string[] = new Array(units.n).fill('');
  const sizes = new Map<string, number>();
  for (let u = 0; u < units.n; u++) {
    if (!judged[u]) continue;
    const key = keep(raw[u]) ? raw[u] : ALL;
    final[u] = key;
    sizes.set(key, (sizes.get(key) ?? 0) + 1);
  }
  const names = [...sizes.keys()].sort();
  const index = new Map(names.map((n, i) => [n, i]));
  const of = new Int32Array(units.n).fill(-1);
  for (let u = 0; u < units.n; u++) if (judged[u]) of[u] = index.get(final[u])!;
  return { of, names, sizes: names.map((n) => sizes.get(n)!) };
}
