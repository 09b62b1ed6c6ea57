/**
 * What a competition finding states about its tender besides the measured value: the buyer (in the
 * evidence: a tender-level finding is not about the buyer's own conduct, OUTPUT.md; buyer-steering is) and
 * the dates an inspector checks first.
 */
import type { Dataset } from '../model/dataset.js';
import { isoWhen } from '../util/dates.js';
import { compareText } from '../util/compare.js';

/** The buyer party of a unit, or -1. */
export function buyerOf(data: Dataset, u: number): number {
  return data.units.table.party('buyer_id')?.[u] ?? -1;
}

/** Publication, bid deadline and award dates of a unit, as written (null when blank). */
export function tenderDates(data: Dataset, u: number): { published: string | null; deadline: string | null; awarded: string | null } {
  const t = data.units.table;
  return {
    published: isoWhen(t.num('published_date')?.[u]),
    deadline: isoWhen(t.num('deadline_date')?.[u]),
    awarded: isoWhen(t.num('award_date')?.[u]),
  };
}

/**
 * Orders that depend on what is listed, not on where it sits in the export: units by tender id and lot,
 * parties by id. Evidence and entity lists use them, so a report does not change when rows are reordered.
 */
export function byTender(data: Dataset): (a: number, b: number) => number {
  const units = data.units;
  return (a, b) => {
    const x = units.tenderId(a);
    const y = units.tenderId(b);
    if (x !== y) return x < y ? -1 : 1;
    const lx = units.lot(a);
    const ly = units.lot(b);
    return lx < ly ? -1 : lx > ly ? 1 : a - b;
  };
}

export function byPartyId(data: Dataset): (a: number, b: number) => number {
  return (a, b) => compareText(data.parties.id(a), data.parties.id(b));
}

/** Two parties' ids, smaller first. */
export function idPair(data: Dataset, a: number, b: number): [string, string] {
  const x = data.parties.id(a);
  const y = data.parties.id(b);
  return x <= y ? [x, y] : [y, x];
}
