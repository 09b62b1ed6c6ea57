/**
 * The co-bidding graph, built once per dataset and shared by co-bidding-pair, bid-rotation and
 * market-allocation: which firms bid in which units, and for every pair of firms that met, how often
 * they met and how often each beat the other.
 *
 * Pairs are counted with an open-addressing hash on typed arrays keyed by the two interned party ids
 * (PERF.md: no Map for a key space that grows with the square of the bidders). Units with more than
 * `MAX_BIDDERS` distinct bidders are left out of the pair counts (a 200-bidder framework tender would add
 * 20,000 pairs and says nothing about who arranges with whom) and counted in `skippedLarge`.
 */
import type { Dataset } from '../model/dataset.js';
import type { Codes } from '../model/table.js';
import { bidPrices } from '../model/bids.js';
import { INVALID_BID_STATUSES } from '../normalize/codes.js';
import { cached } from './dataset-cache.js';

export const MAX_BIDDERS = 40;

/** Open-addressing hash of unordered pairs (a < b) → slot, with per-slot counters. */
export class PairTable {
  a: Int32Array;
  b: Int32Array;
  /** units where both bid */
  n: Int32Array;
  /** units where a beat b (a won, or both valid and a priced lower) */
  aBeats: Int32Array;
  bBeats: Int32Array;
  size = 0;
  private mask: number;

  constructor(capacity = 1024) {
    let cap = 1024;
    while (cap < capacity * 2) cap *= 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(-1);
    this.b = new Int32Array(cap);
    this.n = new Int32Array(cap);
    this.aBeats = new Int32Array(cap);
    this.bBeats = new Int32Array(cap);
  }

  get capacity(): number {
    return this.mask + 1;
  }

  private static hash(a: number, b: number): number {
    let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    return h >>> 0;
  }

  /** The slot of pair (a, b) (order-insensitive), or -1. */
  find(x: number, y: number): number {
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    let i = PairTable.hash(a, b) & this.mask;
    while (this.a[i] !== -1) {
      if (this.a[i] === a && this.b[i] === b) return i;
      i = (i + 1) & this.mask;
    }
    return -1;
  }

  /** The slot of pair (a, b) with a < b, inserting it when new. */
  slot(a: number, b: number): number {
    if ((this.size + 1) * 2 > this.capacity) this.grow();
    let i = PairTable.hash(a, b) & this.mask;
    while (this.a[i] !== -1) {
      if (this.a[i] === a && this.b[i] === b) return i;
      i = (i + 1) & this.mask;
    }
    this.a[i] = a;
    this.b[i] = b;
    this.size++;
    return i;
  }

  private grow(): void {
    const old = { a: this.a, b: this.b, n: this.n, aBeats: this.aBeats, bBeats: this.bBeats };
    const cap = this.capacity * 2;
    this.mask = cap - 1;
    this.a = new Int32Array(cap).fill(-1);
    this.b = new Int32Array(cap);
    this.n = new Int32Array(cap);
    this.aBeats = new Int32Array(cap);
    this.bBeats = new Int32Array(cap);
    this.size = 0;
    for (let i = 0; i < old.a.length; i++) {
      if (old.a[i] === -1) continue;
      const j = this.slot(old.a[i], old.b[i]);
      this.n[j] = old.n[i];
      this.aBeats[j] = old.aBeats[i];
      this.bBeats[j] = old.bBeats[i];
    }
  }

  /** Occupied slots in (a, b) order: the deterministic order to report pairs in. */
  slots(minN = 1): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.a.length; i++) if (this.a[i] !== -1 && this.n[i] >= minN) out.push(i);
    return out.sort((x, y) => this.a[x] - this.a[y] || this.b[x] - this.b[y]);
  }
}

export interface CobidGraph {
  /** units with at least two distinct bidders and at most MAX_BIDDERS (the units pairs were counted in) */
  nUnits: number;
  skippedLarge: number;
  /** party → units it bid in (distinct, every unit with a bid), CSR */
  unitStart: Int32Array;
  unitList: Int32Array;
  /** party → units counted for pairs it bid in */
  counted: Int32Array;
  /** unit → counted for pairs (1) or not (0) */
  unitCounted: Uint8Array;
  /** unit → segment (category × province), dense ids; segName[s] */
  segment: Int32Array;
  segName: string[];
  /** segment → counted units in it */
  segUnits: Int32Array;
  pairs: PairTable;
}

/** The co-bidding graph of a dataset, built on first use and cached for the other detectors. */
export function cobidGraph(data: Dataset): CobidGraph {
  return cached('cobid-graph', data, () => build(data));
}

/** unit → segment id: category × province, as written; blank parts are one segment. */
export function unitSegments(data: Dataset): { segment: Int32Array; segName: string[] } {
  const units = data.units;
  const cat = units.table.str('category');
  const prov = units.table.str('province');
  const nc = cat ? cat.dict.length + 1 : 1;
  const np = prov ? prov.dict.length + 1 : 1;
  const raw = new Int32Array(units.n);
  for (let u = 0; u < units.n; u++) raw[u] = (cat ? cat.codes[u] + 1 : 0) * np + (prov ? prov.codes[u] + 1 : 0);
  // dense ids in order of first appearance
  const dense = new Int32Array(nc * np).fill(-1);
  const segName: string[] = [];
  const segment = new Int32Array(units.n);
  for (let u = 0; u < units.n; u++) {
    if (dense[raw[u]] < 0) {
      dense[raw[u]] = segName.length;
      const c = cat && cat.codes[u] >= 0 ? cat.dict[cat.codes[u]] : '';
      const p = prov && prov.codes[u] >= 0 ? prov.dict[prov.codes[u]] : '';
      segName.push([c || '(any category)', p || '(any province)'].join(' / '));
    }
    segment[u] = dense[raw[u]];
  }
  return { segment, segName };
}

function build(data: Dataset): CobidGraph {
  const units = data.units;
  const bids = data.bids!;
  const bidder = bids.party('bidder_id')!;
  const prices = bidPrices(data);
  const status = bids.str('bid_status');
  const invalidCode = new Uint8Array(status ? status.dict.length : 0);
  if (status) status.dict.forEach((s, i) => (invalidCode[i] = INVALID_BID_STATUSES.has(s) ? 1 : 0));
  const P = data.parties.size;
  const { segment, segName } = unitSegments(data);
  const segUnits = new Int32Array(segName.length);

  // distinct bidders per unit, with the row that represents each (first row)
  const lastUnit = new Int32Array(P).fill(-1);
  const degree = new Int32Array(P);
  const counted = new Int32Array(P);
  const unitCounted = new Uint8Array(units.n);
  const pairs = new PairTable(Math.max(1024, bids.n >> 1));
  let nUnits = 0;
  let skippedLarge = 0;
  const firms: number[] = [];
  const rowOf: number[] = [];
  for (let u = 0; u < units.n; u++) {
    firms.length = 0;
    rowOf.length = 0;
    for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
      const r = units.bidRows[k];
      const f = bidder[r];
      if (f < 0 || lastUnit[f] === u) continue;
      lastUnit[f] = u;
      degree[f]++;
      firms.push(f);
      rowOf.push(r);
    }
    if (firms.length < 2) continue;
    if (firms.length > MAX_BIDDERS) {
      skippedLarge++;
      continue;
    }
    nUnits++;
    unitCounted[u] = 1;
    segUnits[segment[u]]++;
    const w = units.winner[u];
    for (let i = 0; i < firms.length; i++) counted[firms[i]]++;
    for (let i = 0; i < firms.length; i++) {
      for (let j = i + 1; j < firms.length; j++) {
        let x = i;
        let y = j;
        if (firms[x] > firms[y]) [x, y] = [y, x];
        const s = pairs.slot(firms[x], firms[y]);
        pairs.n[s]++;
        const beat = beats(firms[x], rowOf[x], firms[y], rowOf[y], w, prices, status?.codes, invalidCode);
        if (beat > 0) pairs.aBeats[s]++;
        else if (beat < 0) pairs.bBeats[s]++;
      }
    }
  }

  // CSR party → units
  const unitStart = new Int32Array(P + 1);
  for (let f = 0; f < P; f++) unitStart[f + 1] = unitStart[f] + degree[f];
  const fill = unitStart.slice(0, P);
  const unitList = new Int32Array(unitStart[P]);
  lastUnit.fill(-1);
  for (let u = 0; u < units.n; u++) {
    for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
      const f = bidder[units.bidRows[k]];
      if (f < 0 || lastUnit[f] === u) continue;
      lastUnit[f] = u;
      unitList[fill[f]++] = u;
    }
  }
  return { nUnits, skippedLarge, unitStart, unitList, counted, unitCounted, segment, segName, segUnits, pairs };
}

/** +1 when a beat b in this unit, −1 when b beat a, 0 when it cannot be told. */
function beats(
  a: number,
  ra: number,
  b: number,
  rb: number,
  winner: number,
  prices: Float64Array | undefined,
  status: Codes | undefined,
  invalid: Uint8Array,
): number {
  if (winner === a) return 1;
  if (winner === b) return -1;
  if (!prices) return 0;
  const va = !status || status[ra] < 0 || !invalid[status[ra]];
  const vb = !status || status[rb] < 0 || !invalid[status[rb]];
  if (va && !vb) return 1;
  if (vb && !va) return -1;
  if (!va && !vb) return 0;
  const pa = prices[ra];
  const pb = prices[rb];
  if (!(pa > 0) || !(pb > 0) || pa === pb) return 0;
  return pa < pb ? 1 : -1;
}

/** What `beatsWithout` needs, prepared once per run. */
export interface BeatContext {
  data: Dataset;
  bidder: Int32Array;
  prices: Float64Array | undefined;
  status: Codes | undefined;
  invalid: Uint8Array;
}

export function beatContext(data: Dataset): BeatContext {
  const bids = data.bids!;
  const status = bids.str('bid_status');
  const invalid = new Uint8Array(status ? status.dict.length : 0);
  if (status) status.dict.forEach((x, i) => (invalid[i] = INVALID_BID_STATUSES.has(x) ? 1 : 0));
  return { data, bidder: bids.party('bidder_id')!, prices: bidPrices(data), status: status?.codes, invalid };
}

/**
 * How f fares against the other bidders of its tenders in which `absent` did not bid: meetings it won
 * (beats) out of those that could be decided. The baseline a pair's dominance is judged against.
 */
export function beatsWithout(g: CobidGraph, ctx: BeatContext, f: number, absent: number): { beats: number; decided: number } {
  const units = ctx.data.units;
  let beatsN = 0;
  let decided = 0;
  for (const u of unitsOf(g, f)) {
    if (!g.unitCounted[u]) continue;
    let rf = -1;
    let hasAbsent = false;
    for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
      const r = units.bidRows[k];
      if (ctx.bidder[r] === f && rf < 0) rf = r;
      if (ctx.bidder[r] === absent) hasAbsent = true;
    }
    if (hasAbsent || rf < 0) continue;
    const seen = new Set<number>([f]);
    for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
      const r = units.bidRows[k];
      const o = ctx.bidder[r];
      if (o < 0 || seen.has(o)) continue;
      seen.add(o);
      const b = beats(f, rf, o, r, units.winner[u], ctx.prices, ctx.status, ctx.invalid);
      if (b !== 0) decided++;
      if (b > 0) beatsN++;
    }
  }
  return { beats: beatsN, decided };
}

/** The units of party f (all units where it bid). */
export function unitsOf(g: CobidGraph, f: number): Int32Array {
  return g.unitList.subarray(g.unitStart[f], g.unitStart[f + 1]);
}

/** Units where both a and b bid (sorted by unit), among the counted ones when `countedOnly`. */
export function sharedUnits(g: CobidGraph, a: number, b: number, countedOnly = true): number[] {
  const ua = unitsOf(g, a);
  const ub = unitsOf(g, b);
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < ua.length && j < ub.length) {
    if (ua[i] < ub[j]) i++;
    else if (ua[i] > ub[j]) j++;
    else {
      if (!countedOnly || g.unitCounted[ua[i]]) out.push(ua[i]);
      i++;
      j++;
    }
  }
  return out;
}

/**
 * Co-bids of a and b expected if each bid independently of the other within each segment:
 * Σ_s n_a,s · n_b,s / N_s over the counted units.
 */
export function expectedCobids(g: CobidGraph, a: number, b: number): number {
  return expectedFrom(g, segmentCounts(g, a), segmentCounts(g, b));
}

/** The same from each firm's segment counts (cache them when judging many pairs). */
export function expectedFrom(g: CobidGraph, ca: Map<number, number>, cb: Map<number, number>): number {
  const [small, large] = ca.size <= cb.size ? [ca, cb] : [cb, ca];
  let e = 0;
  for (const [s, na] of small) {
    const nb = large.get(s);
    if (nb && g.segUnits[s] > 0) e += (na * nb) / g.segUnits[s];
  }
  return e;
}

/** Segment → counted units of party f. */
export function segmentCounts(g: CobidGraph, f: number): Map<number, number> {
  const m = new Map<number, number>();
  for (const u of unitsOf(g, f)) if (g.unitCounted[u]) m.set(g.segment[u], (m.get(g.segment[u]) ?? 0) + 1);
  return m;
}
