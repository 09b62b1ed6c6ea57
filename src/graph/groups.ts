/**
 * Links between firms through shared identity values, and the groups they form.
 *
 * Values come from the bids table (bidder_address, bidder_phone, bidder_email, bidder_representative,
 * bidder_ip) and the companies table (address, phone, email, website, bank_account, representative,
 * owners), joined by party id, plus the tax-code root of every firm. Each value is normalised
 * (src/normalize/identity.ts); addresses that differ only by a misspelt or shortened street within the
 * same number, ward and district are merged (fuzzy matching inside that block, never all pairs).
 *
 * Blocking: pairs are formed only among the firms that carry one value, and values carried by more
 * than `maxDf` firms are skipped (their rarity weight is negligible), so the work is
 * Σ df² ≤ maxDf × Σ df — linear in the number of values.
 *
 * Everything is built once per dataset and cached: shared-identity reads the links among co-bidders,
 * company-groups the links among all firms.
 */
import type { Dataset } from '../model/dataset.js';
import { cached } from './dataset-cache.js';
import type { Table } from '../model/table.js';
import { addressBlock, inBuilding, normalizeAddress } from '../normalize/address.js';
import { CONTROL_SHARE, KINDS, KIND_ORDER, OTHER_ROOM_FACTOR, identityKeys, rarity, type IdentityField, type IdentityKind } from '../normalize/identity.js';
import { NameFrequencies, parseOwners, personKey } from '../normalize/names.js';
import { cleanTaxCode, taxRoot } from '../normalize/taxcode.js';
import { Interner } from '../util/interner.js';
import { GrowableInt32 } from '../util/growable.js';

/** Union-find over dense integers, with path halving and union by size. */
export class UnionFind {
  readonly parent: Int32Array;
  readonly size: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    this.size = new Int32Array(n).fill(1);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]];
      x = p[x];
    }
    return x;
  }
  union(a: number, b: number): boolean {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return false;
    if (this.size[ra] < this.size[rb]) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    this.size[ra] += this.size[rb];
    return true;
  }
}

/** Where a value was read: the table, the column and the row. */
const SOURCES = [
  { table: 'bids', column: 'bidder_address', field: 'address' },
  { table: 'bids', column: 'bidder_phone', field: 'phone' },
  { table: 'bids', column: 'bidder_email', field: 'email' },
  { table: 'bids', column: 'bidder_ip', field: 'ip' },
  { table: 'bids', column: 'bidder_representative', field: 'representative' },
  { table: 'companies', column: 'address', field: 'address' },
  { table: 'companies', column: 'phone', field: 'phone' },
  { table: 'companies', column: 'email', field: 'email' },
  { table: 'companies', column: 'website', field: 'website' },
  { table: 'companies', column: 'bank_account', field: 'bank_account' },
  { table: 'companies', column: 'representative', field: 'representative' },
  { table: 'companies', column: 'owners', field: 'owners' },
] as const;
const TAXROOT_SOURCE = -1;

/** A shared value weighing less than this (a common name, a large business centre) is not a link. */
export const MIN_WEIGHT = 0.1;
const PERSON_MAX_FACTOR = 1.45;
/** An address that locates a hamlet but no house number, lane or lot weighs less. */
export const COARSE_ADDRESS_FACTOR = 0.65;
/**
 * An address in a building (a floor, room or building name written by any firm at it) may be a business
 * centre or virtual office: unless both firms wrote the same room, it weighs this much of an office.
 */
export const BUILDING_FACTOR = 0.35;

/** Person roles on one (firm, person) value. */
export const ROLE_REP = 1;
export const ROLE_OWNER_CONTROL = 2;
export const ROLE_OWNER_MINOR = 4;
export const ROLE_OWNER = 8;
/** Addresses: the firm wrote a building, floor or room marker. */
export const ROLE_IN_BUILDING = 16;

export interface Occurrence {
  party: number;
  /** index into SOURCES, or -1 for the tax-code root (read from the firm's id) */
  source: number;
  row: number;
  /** person roles (ROLE_*), 0 for other kinds */
  roles: number;
  /** largest ownership share seen, or -1 */
  share: number;
}

export interface SharedValue {
  value: number;
  kind: IdentityKind;
  key: string;
  /** firms carrying the value in the whole input */
  df: number;
  /** weight × rarity × role factor */
  weight: number;
  /** addresses: written differently but merged by fuzzy matching */
  fuzzy: boolean;
}

export interface Link {
  a: number;
  b: number;
  /** 1 − Π over kinds (1 − best weight of the kind) */
  strength: number;
  shared: SharedValue[];
}

export interface IdentityLinks {
  /** links between firm pairs, a < b, sorted by (a, b) */
  links: Link[];
  /** CSR adjacency: the links of party p are links[adj[adjStart[p] .. adjStart[p+1])] */
  adjStart: Int32Array;
  adj: Int32Array;
  /** firms with at least one identity value */
  firms: number;
  values: number;
  /** values skipped because more than maxDf firms carry them, by kind */
  tooCommon: Record<string, number>;
  /** shared values skipped because they weigh less than MIN_WEIGHT */
  weak: number;
  /** the first occurrence of a value for a party (for evidence), or undefined */
  occurrence(value: number, party: number): Occurrence | undefined;
  /** the value as written in its source row */
  written(o: Occurrence): { column: string; table: 'bids' | 'companies'; as: string };
  kindOf(value: number): IdentityKind;
}

/** The identity links of a dataset (cached per dataset and maxDf). */
export function identityLinks(data: Dataset, maxDf: number): IdentityLinks {
  const m = cached('identity-links', data, () => new Map<number, IdentityLinks>());
  let r = m.get(maxDf);
  if (!r) m.set(maxDf, (r = buildLinks(data, maxDf)));
  return r;
}

function buildLinks(data: Dataset, maxDf: number): IdentityLinks {
  const P = data.parties.size;
  // values numbered in order of first appearance across kinds; one map per kind, keyed by the key alone
  const byKind = new Map<IdentityKind, Map<string, number>>();
  const keyOf: string[] = [];
  const valueKind: IdentityKind[] = [];
  const occParty = new GrowableInt32();
  const occValue = new GrowableInt32();
  const occSource = new GrowableInt32();
  const occRow = new GrowableInt32();
  const occRoles = new GrowableInt32();
  const occShare: number[] = [];
  const occUnit = new GrowableInt32();
  const units = new Interner();
  const intern = (kind: IdentityKind, key: string): number => {
    let m = byKind.get(kind);
    if (!m) byKind.set(kind, (m = new Map()));
    let id = m.get(key);
    if (id === undefined) {
      m.set(key, (id = keyOf.length));
      keyOf.push(key);
      valueKind.push(kind);
    }
    return id;
  };
  const push = (party: number, value: number, source: number, row: number, roles: number, share: number, unit = -1) => {
    occUnit.push(unit);
    occParty.push(party);
    occValue.push(value);
    occSource.push(source);
    occRow.push(row);
    occRoles.push(roles);
    occShare.push(share);
  };

  const isFirm = new Uint8Array(P);
  const tables: Record<'bids' | 'companies', { t: Table | undefined; party: Int32Array | undefined }> = {
    bids: { t: data.bids, party: data.bids?.party('bidder_id') },
    companies: { t: data.companies, party: data.companies?.party('company_id') },
  };
  for (const { party } of Object.values(tables)) if (party) for (let r = 0; r < party.length; r++) if (party[r] >= 0) isFirm[party[r]] = 1;

  SOURCES.forEach((src, si) => {
    const { t, party } = tables[src.table];
    const col = t?.str(src.column);
    if (!t || !party || !col) return;
    // normalise each distinct cell once
    type Parsed = { value: number; roles: number; share: number; unit: number };
    const parsed: (Parsed[] | undefined)[] = new Array(col.dict.length);
    const parse = (code: number) => {
      const raw = col.dict[code];
      const out: Parsed[] = [];
      if (src.field === 'representative') {
        const k = personKey(raw);
        if (k) out.push({ value: intern('person', k), roles: ROLE_REP, share: -1, unit: -1 });
      } else if (src.field === 'owners') {
        const owners = parseOwners(raw);
        for (const o of owners) {
          const roles = o.share === null ? (owners.length === 1 ? ROLE_OWNER_CONTROL : ROLE_OWNER) : o.share >= CONTROL_SHARE ? ROLE_OWNER_CONTROL : ROLE_OWNER_MINOR;
          out.push({ value: intern('person', o.key), roles, share: o.share ?? -1, unit: -1 });
        }
      } else if (src.field === 'address') {
        // read here rather than through identityKeys: the building markers decide the weight
        const a = normalizeAddress(raw);
        if (a) out.push({ value: intern('address', a.key), roles: inBuilding(a) ? ROLE_IN_BUILDING : 0, share: -1, unit: a.parts.room ? units.intern(a.parts.room) : -1 });
      } else {
        for (const k of identityKeys(src.field as IdentityField, raw))
          out.push({ value: intern(k.kind, k.key), roles: 0, share: -1, unit: k.unit ? units.intern(k.unit) : -1 });
      }
      return out;
    };
    // most firms write the same value on every bid row: skip a repeat of the party's previous cell
    const last = new Int32Array(P).fill(-1);
    for (let r = 0; r < t.n; r++) {
      const p = party[r];
      const code = col.codes[r];
      if (p < 0 || code < 0 || last[p] === code) continue;
      last[p] = code;
      const vs = (parsed[code] ??= parse(code));
      for (const v of vs) push(p, v.value, si, r, v.roles, v.share, v.unit);
    }
  });
  // tax-code roots: a branch and its parent share the first ten digits
  for (let p = 0; p < P; p++) {
    if (!isFirm[p]) continue;
    const id = data.parties.id(p);
    if (!cleanTaxCode(id) || id.length === 12) continue;
    push(p, intern('taxroot', taxRoot(id)), TAXROOT_SOURCE, -1, 0, -1);
  }

  const nOcc = occParty.length;
  const oParty = occParty.finish();
  const oValue = occValue.finish();
  const oSource = occSource.finish();
  const oRow = occRow.finish();
  const oRoles = occRoles.finish();
  const oUnit = occUnit.finish();

  // fuzzy addresses: keys sharing lane, number, ward and district whose streets nearly agree are merged
  const nValues = keyOf.length;
  const canon = new Int32Array(nValues);
  for (let v = 0; v < nValues; v++) canon[v] = v;
  const fuzzy = new Uint8Array(nValues);
  mergeFuzzyAddresses(keyOf, valueKind, canon, fuzzy);

  // CSR of occurrences by canonical value (counting sort keeps input order)
  const start = new Int32Array(nValues + 1);
  for (let i = 0; i < nOcc; i++) start[canon[oValue[i]] + 1]++;
  for (let v = 0; v < nValues; v++) start[v + 1] += start[v];
  const fill = start.slice(0, nValues);
  const byValue = new Int32Array(nOcc);
  for (let i = 0; i < nOcc; i++) byValue[fill[canon[oValue[i]]]++] = i;

  // per value: distinct parties (first occurrence each), merged roles
  const stamp = new Int32Array(P).fill(-1);
  const firstOcc = new Int32Array(P);
  const df = new Int32Array(nValues);
  const distinctStart = new Int32Array(nValues + 1);
  const distinct = new GrowableInt32(); // occurrence index, one per (value, party)
  const rolesOf = new GrowableInt32();
  const tooCommon: Record<string, number> = {};
  let firms = 0;
  const hasValue = new Uint8Array(P);
  for (let v = 0; v < nValues; v++) {
    distinctStart[v] = distinct.length;
    if (canon[v] !== v) continue;
    for (let k = start[v]; k < start[v + 1]; k++) {
      const i = byValue[k];
      const p = oParty[i];
      if (stamp[p] !== v) {
        stamp[p] = v;
        firstOcc[p] = distinct.length;
        distinct.push(i);
        rolesOf.push(oRoles[i]);
        if (!hasValue[p]) {
          hasValue[p] = 1;
          firms++;
        }
      } else {
        const j = firstOcc[p];
        rolesOf.set(j, rolesOf.get(j) | oRoles[i]);
        if (occShare[i] > occShare[distinct.get(j)]) distinct.set(j, i);
      }
    }
    df[v] = distinct.length - distinctStart[v];
  }
  distinctStart[nValues] = distinct.length;
  const dOcc = distinct.finish();
  const dRoles = rolesOf.finish();

  // how common each person's name is: namesakes expected by chance discount a shared person
  const names = new NameFrequencies();
  for (let v = 0; v < nValues; v++) if (valueKind[v] === 'person' && df[v] > 0) names.add(keyOf[v], df[v]);

  // pairs: (a, b, value) for every value carried by 2..maxDf firms
  const pa = new GrowableInt32();
  const pb = new GrowableInt32();
  const pv = new GrowableInt32();
  const pw: number[] = [];
  let weak = 0;
  for (let v = 0; v < nValues; v++) {
    const d = df[v];
    if (d < 2) continue;
    const kind = valueKind[v];
    if (d > maxDf && kind !== 'taxroot') {
      tooCommon[kind] = (tooCommon[kind] ?? 0) + 1;
      continue;
    }
    let base = KINDS[kind].weight * rarity(kind, d);
    // an address without house number or lane (a hamlet, a neighbourhood group) is a village, not an office
    if (kind === 'address' && keyOf[v].startsWith('||') && !keyOf[v].startsWith('|||lo ')) base *= COARSE_ADDRESS_FACTOR;
    if (kind === 'person') base /= 1 + names.expected(keyOf[v]);
    if (base * (kind === 'person' ? PERSON_MAX_FACTOR : 1) < MIN_WEIGHT) {
      weak++;
      continue;
    }
    const s = distinctStart[v];
    let building = false;
    if (kind === 'address') for (let x = s; x < s + d && !building; x++) building = (dRoles[x] & ROLE_IN_BUILDING) !== 0;
    for (let x = s; x < s + d; x++) {
      for (let y = x + 1; y < s + d; y++) {
        let a = oParty[dOcc[x]];
        let b = oParty[dOcc[y]];
        let w = base;
        if (kind === 'person') w *= personFactor(dRoles[x], dRoles[y]);
        else if (kind === 'address') {
          const ua = oUnit[dOcc[x]];
          const ub = oUnit[dOcc[y]];
          // a building shares a street address, not an office: only the same room keeps the weight
          if (building && !(ua >= 0 && ua === ub)) w *= BUILDING_FACTOR;
          if (ua >= 0 && ub >= 0 && ua !== ub) w *= OTHER_ROOM_FACTOR;
          if (w < MIN_WEIGHT) continue;
        }
        if (a > b) [a, b] = [b, a];
        pa.push(a);
        pb.push(b);
        pv.push(v);
        pw.push(w);
      }
    }
  }
  const nPairs = pa.length;
  const A = pa.finish();
  const B = pb.finish();
  const V = pv.finish();
  const order = Array.from({ length: nPairs }, (_, i) => i).sort((i, j) => A[i] - A[j] || B[i] - B[j] || pw[j] - pw[i] || V[i] - V[j]);

  const links: Link[] = [];
  for (let k = 0; k < nPairs; ) {
    const a = A[order[k]];
    const b = B[order[k]];
    const shared: SharedValue[] = [];
    const best: Partial<Record<IdentityKind, number>> = {};
    for (; k < nPairs && A[order[k]] === a && B[order[k]] === b; k++) {
      const i = order[k];
      const v = V[i];
      const kind = valueKind[v];
      const key = keyOf[v];
      shared.push({ value: v, kind, key, df: df[v], weight: pw[i], fuzzy: !!fuzzy[v] });
      best[kind] = Math.max(best[kind] ?? 0, pw[i]);
    }
    let keep = 1;
    for (const kind of KIND_ORDER) if (best[kind] !== undefined) keep *= 1 - best[kind]!;
    shared.sort((x, y) => y.weight - x.weight || KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    links.push({ a, b, strength: 1 - keep, shared });
  }

  // adjacency
  const adjStart = new Int32Array(P + 1);
  for (const l of links) {
    adjStart[l.a + 1]++;
    adjStart[l.b + 1]++;
  }
  for (let p = 0; p < P; p++) adjStart[p + 1] += adjStart[p];
  const adjFill = adjStart.slice(0, P);
  const adj = new Int32Array(links.length * 2);
  links.forEach((l, i) => {
    adj[adjFill[l.a]++] = i;
    adj[adjFill[l.b]++] = i;
  });

  return {
    links,
    adjStart,
    adj,
    firms,
    values: nValues,
    tooCommon,
    weak,
    occurrence(value, party) {
      const v = canon[value];
      for (let k = distinctStart[v]; k < distinctStart[v + 1]; k++) {
        const i = dOcc[k];
        if (oParty[i] === party) return { party, source: oSource[i], row: oRow[i], roles: dRoles[k], share: occShare[i] };
      }
      return undefined;
    },
    written(o) {
      if (o.source === TAXROOT_SOURCE) return { table: 'companies', column: 'id', as: data.parties.id(o.party) };
      const src = SOURCES[o.source];
      const t = src.table === 'bids' ? data.bids! : data.companies!;
      return { table: src.table, column: src.column, as: t.text(src.column, o.row) };
    },
    kindOf(value) {
      return valueKind[value];
    },
  };
}

/**
 * How much a shared person says, by the roles they hold in the two firms: owner of ≥ 30% of both
 * (common control) 1.45× (0.8 before rarity), representative or controlling owner of both 1×, a
 * minority stake on either side 0.6×.
 */
function personFactor(ra: number, rb: number): number {
  const control = ROLE_OWNER_CONTROL;
  if (ra & control && rb & control) return PERSON_MAX_FACTOR;
  const strong = ROLE_REP | ROLE_OWNER_CONTROL | ROLE_OWNER;
  if (ra & strong && rb & strong) return 1;
  return 0.6;
}

/**
 * Merge address keys whose lane, number, ward and district agree and whose streets nearly agree
 * (edit distance ≤ 1 per 6 letters, or one street's words contained in the other's). Blocks larger
 * than 50 keys are left alone.
 */
function mergeFuzzyAddresses(keyOf: readonly string[], kinds: IdentityKind[], canon: Int32Array, fuzzy: Uint8Array): void {
  const blocks = new Map<string, number[]>();
  for (let v = 0; v < kinds.length; v++) {
    if (kinds[v] !== 'address') continue;
    const key = keyOf[v];
    const [lane, number, street, place, ward, district] = key.split('|');
    const block = addressBlock({ key, parts: { lane, number, street, place, ward, district, building: '', floor: '', room: '' } });
    if (!block) continue;
    let l = blocks.get(block);
    if (!l) blocks.set(block, (l = []));
    l.push(v);
  }
  for (const vs of blocks.values()) {
    if (vs.length < 2 || vs.length > 50) continue;
    const uf = new UnionFind(vs.length);
    const streets = vs.map((v) => keyOf[v].split('|')[2] + ' ' + keyOf[v].split('|')[3]);
    for (let i = 0; i < vs.length; i++)
      for (let j = i + 1; j < vs.length; j++) if (similarStreet(streets[i].trim(), streets[j].trim())) uf.union(i, j);
    for (let i = 0; i < vs.length; i++) {
      const r = uf.find(i);
      let min = vs[i];
      for (let j = 0; j < vs.length; j++) if (uf.find(j) === r && vs[j] < min) min = vs[j];
      if (min !== vs[i]) {
        canon[vs[i]] = min;
        fuzzy[vs[i]] = 1;
        fuzzy[min] = 1;
      }
    }
  }
}

function similarStreet(x: string, y: string): boolean {
  if (!x || !y) return false;
  if (x === y) return true;
  const tx = x.split(' ');
  const ty = y.split(' ');
  const [small, big] = tx.length <= ty.length ? [tx, ty] : [ty, tx];
  if (small.length >= 2 && small.every((t) => big.includes(t))) return true;
  const d = editDistance(x, y, 3);
  return d <= Math.max(1, Math.floor(Math.min(x.length, y.length) / 6));
}

/** Levenshtein distance, stopping early above `max`. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length];
}

/** Connected components of the links at or above `minStrength`: component id per party, -1 when alone. */
export function strongComponents(il: IdentityLinks, nParties: number, minStrength: number): { comp: Int32Array; members: number[][] } {
  const uf = new UnionFind(nParties);
  for (const l of il.links) if (l.strength >= minStrength) uf.union(l.a, l.b);
  const comp = new Int32Array(nParties).fill(-1);
  const members: number[][] = [];
  const idOfRoot = new Int32Array(nParties).fill(-1);
  for (let p = 0; p < nParties; p++) {
    const r = uf.find(p);
    if (uf.size[r] < 2) continue;
    if (idOfRoot[r] < 0) {
      idOfRoot[r] = members.length;
      members.push([]);
    }
    comp[p] = idOfRoot[r];
    members[idOfRoot[r]].push(p);
  }
  return { comp, members };
}
