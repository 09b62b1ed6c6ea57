/**
 * Small helpers shared by detectors: naming entities, reading a unit's bids, formatting evidence.
 */
import type { Dataset } from '../model/dataset.js';
import type { Entity } from './types.js';

export function tenderEntity(data: Dataset, u: number): Entity {
  const units = data.units;
  const e: Entity = { type: 'tender', id: units.tenderId(u) };
  const lot = units.lot(u);
  if (lot) e.lot = lot;
  const title = units.table.text('title', u);
  if (title) e.name = title;
  return e;
}

export function companyEntity(data: Dataset, party: number): Entity {
  if (party < 0) throw new Error('companyEntity: no party (a blank id reached a finding)');
  const e: Entity = { type: 'company', id: data.parties.id(party) };
  const name = data.parties.name(party);
  if (name) e.name = name;
  return e;
}

export function buyerEntity(data: Dataset, party: number): Entity {
  if (party < 0) throw new Error('buyerEntity: no party (a blank id reached a finding)');
  const e: Entity = { type: 'buyer', id: data.parties.id(party) };
  const name = data.parties.name(party);
  if (name) e.name = name;
  return e;
}

/** "IB2400035288" or "IB2400035288 lot 2" */
export function tenderLabel(data: Dataset, u: number): string {
  const lot = data.units.lot(u);
  return lot ? `${data.units.tenderId(u)} lot ${lot}` : data.units.tenderId(u);
}

export function partyLabel(data: Dataset, party: number): string {
  const name = data.parties.name(party);
  return name ? `${name} (${data.parties.id(party)})` : data.parties.id(party);
}

/** Where a row is in its export, for evidence: {file, line}. */
export function rowRef(data: Dataset, table: 'bids' | 'invoices' | 'companies', row: number): { file: string; line: number } {
  const t = data.tables[table]!;
  return { file: data.inputs[t.origin.file[row]]?.path ?? '', line: t.origin.line[row] };
}

/** Bid status classes: a blank or unknown status counts as valid (normalize/codes.ts). */
export { INVALID_BID_STATUSES as INVALID_STATUSES } from '../normalize/codes.js';
export { bidPrices, bidStatus } from '../model/bids.js';

export { fmtAmount, fmtChance, fmtPct, plural, round } from '../util/format.js';

/** Increment a reason counter. */
export function count(r: Record<string, number>, reason: string): void {
  r[reason] = (r[reason] ?? 0) + 1;
}

/** Percentile rank of each value among `values` (average rank for ties), in (0, 1]. NaN stays NaN. */
export function percentileRanks(values: Float64Array | number[]): Float64Array {
  const idx: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) idx.push(i);
  idx.sort((a, b) => values[a] - values[b]);
  const out = new Float64Array(values.length).fill(NaN);
  const n = idx.length;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && values[idx[j + 1]] === values[idx[i]]) j++;
    const rank = (i + j + 2) / 2 / n;
    for (let k = i; k <= j; k++) out[idx[k]] = rank;
    i = j + 1;
  }
  return out;
}

/**
 * Bids of one tender (lot) by a bidder already seen in it: repeated rows of an export, or re-submissions
 * recorded as new rows. Detectors count rows as bids, so the run warns about them (analyze.ts).
 */
export function repeatedBidRows(data: Dataset): { units: number; rows: number } {
  const bidder = data.bids?.party('bidder_id');
  if (!bidder) return { units: 0, rows: 0 };
  const units = data.units;
  const seen = new Int32Array(data.parties.size).fill(-1);
  let nUnits = 0;
  let rows = 0;
  for (let u = 0; u < units.n; u++) {
    let here = 0;
    for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
      const f = bidder[units.bidRows[k]];
      if (f < 0) continue;
      if (seen[f] === u) here++;
      else seen[f] = u;
    }
    if (here) {
      nUnits++;
      rows += here;
    }
  }
  return { units: nUnits, rows };
}

/** Distinct bidders among some bid rows (rows without a bidder id count one each). */
export function distinctBidders(data: Dataset, rows: Iterable<number>): number {
  const bidder = data.bids?.party('bidder_id');
  let n = 0;
  const seen = new Set<number>();
  for (const r of rows) {
    const f = bidder ? bidder[r] : -1;
    if (f < 0) n++;
    else if (!seen.has(f)) {
      seen.add(f);
      n++;
    }
  }
  return n;
}
