/**
 * OCDS releases of one contracting process (one ocid) merged into one compiled release, the simple form of
 * the standard's merge routine (OCDS 1.1, "Merging"):
 *
 * - releases are applied oldest first, by `date` (releases without a readable date first, then file order);
 * - a field of a later release replaces the earlier value; `null` removes it;
 * - objects are merged field by field;
 * - arrays whose items are all objects with an `id` are merged item by item on `id` (tenderers, bids,
 *   awards, lots…); every other array is replaced whole.
 *
 * Before a release is held for merging it is cut down to the fields the mapping reads (ocds-map.ts), so a
 * large file is held as its tenders, bids, awards and parties, not its documents and items.
 */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `true`: the field is kept whole; an object: only these fields of it (of each item, for an array). */
type Shape = true | { [key: string]: Shape };

const ORG_REF: Shape = { id: true, name: true, identifier: true };
const VALUE: Shape = { amount: true, currency: true };

/** The fields ocds-map.ts reads. */
export const READ_SHAPE: Shape = {
  ocid: true,
  id: true,
  date: true,
  tag: true,
  buyer: ORG_REF,
  parties: { id: true, name: true, identifier: true, roles: true, address: true, contactPoint: true },
  tender: {
    id: true,
    title: true,
    value: VALUE,
    procurementMethod: true,
    procurementMethodDetails: true,
    mainProcurementCategory: true,
    additionalProcurementCategories: true,
    tenderPeriod: { startDate: true, endDate: true },
    bidOpening: { date: true },
    lots: { id: true, title: true, value: VALUE },
    tenderers: ORG_REF,
    procuringEntity: ORG_REF,
    numberOfTenderers: true,
  },
  bids: { details: { id: true, tenderers: ORG_REF, value: VALUE, status: true, date: true, relatedLots: true } },
  awards: { id: true, status: true, date: true, value: VALUE, suppliers: ORG_REF, relatedLots: true },
  contracts: { id: true, awardID: true, dateSigned: true },
};

/** `v` cut down to `shape` (nulls kept: in a release, null removes a value when merged). */
export function project(v: Json, shape: Shape): Json {
  if (shape === true) return v;
  if (Array.isArray(v)) return v.map((x) => project(x, shape));
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const k of Object.keys(shape)) if (k in v) out[k] = project(v[k], shape[k]);
  return out;
}

function hasId(v: Json): v is JsonObject {
  return isObject(v) && v.id !== undefined && v.id !== null;
}

/** `src` merged into `target` (changed in place; nothing of `src` is shared with it afterwards but leaf values). */
export function mergeInto(target: JsonObject, src: JsonObject): JsonObject {
  for (const [k, v] of Object.entries(src)) {
    if (v === null) delete target[k];
    else if (isObject(v)) target[k] = mergeInto(isObject(target[k]) ? target[k] : {}, v);
    else if (Array.isArray(v) && v.length > 0 && v.every(hasId)) target[k] = mergeById(Array.isArray(target[k]) ? target[k] : [], v as JsonObject[]);
    else target[k] = Array.isArray(v) ? v.map(copy) : v;
  }
  return target;
}

function copy(v: Json): Json {
  if (Array.isArray(v)) return v.map(copy);
  return isObject(v) ? mergeInto({}, v) : v;
}

/** Items of `earlier` and `later` merged on id, in the order ids are first met. */
function mergeById(earlier: Json[], later: JsonObject[]): Json[] {
  const out = earlier.slice();
  const at = new Map<string, number>();
  out.forEach((x, i) => {
    if (hasId(x) && !at.has(String(x.id))) at.set(String(x.id), i);
  });
  for (const item of later) {
    const id = String(item.id);
    const i = at.get(id);
    if (i === undefined) {
      at.set(id, out.length);
      out.push(mergeInto({}, item));
    } else {
      const prev = out[i];
      out[i] = mergeInto(isObject(prev) ? mergeInto({}, prev) : {}, item);
    }
  }
  return out;
}

/** The time of a release's `date` for ordering, or -Infinity when it has none that can be read. */
function releaseTime(r: JsonObject): number {
  const t = typeof r.date === 'string' ? Date.parse(r.date) : NaN;
  return Number.isNaN(t) ? -Infinity : t;
}

/** The compiled release of one ocid's releases (given in file order). */
export function compile(releases: JsonObject[]): JsonObject {
  if (releases.length === 1) return releases[0];
  const ordered = releases.map((r, i) => ({ r, i, t: releaseTime(r) })).sort((a, b) => a.t - b.t || a.i - b.i);
  const out: JsonObject = {};
  for (const { r } of ordered) mergeInto(out, r);
  return out;
}
