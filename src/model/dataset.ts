/**
 * The dataset every detector reads: columnar tables joined by integer ids.
 *
 * - `parties`: every firm and buyer id seen in any table, one dense integer each, so bids, tenders,
 *   invoices and the company registry join without string lookups;
 * - `units`: one row per unit of competition (tender_id + lot_id), built from the bid rows and the
 *   optional tenders table, with the bids of each unit reachable in O(1) (CSR offsets);
 * - `companyRow`: party id → row of the companies table.
 */
import { Interner } from '../util/interner.js';
import type { TableKind } from './schema.js';
import { Table, type Column, type StrColumn } from './table.js';

export class Parties {
  readonly interner = new Interner();
  private readonly nameOf: string[] = [];

  get size(): number {
    return this.interner.size;
  }
  /** Every id in id order, and the name of each ('' when none), as another thread rebuilds them (`restore`). */
  all(): { ids: string[]; names: string[] } {
    const n = this.size;
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(this.nameOf[i] ?? '');
    return { ids: this.interner.values.slice(0, n), names };
  }
  /** The parties of `all()`: the same ids in the same order, with the same names. */
  static restore(ids: readonly string[], names: readonly string[]): Parties {
    const p = new Parties();
    for (let i = 0; i < ids.length; i++) {
      if (p.interner.intern(ids[i]) !== i) throw new Error(`restoring parties: ${ids[i]} is not id ${i}`);
      if (names[i]) p.nameOf[i] = names[i];
    }
    return p;
  }
  id(i: number): string {
    return this.interner.values[i];
  }
  name(i: number): string {
    return this.nameOf[i] ?? '';
  }
  /** Record a name for a party; the first non-blank one seen wins unless `prefer` (the registry name). */
  setName(i: number, name: string, prefer = false): void {
    if (!name) return;
    if (prefer || !this.nameOf[i]) this.nameOf[i] = name;
  }
}

/** What was read from one input file, as the report shows it. */
export interface InputInfo {
  path: string;
  kind: TableKind;
  rows: number;
  rejected: number;
  /** canonical → header as written */
  columns: Record<string, string>;
}

/** Tender-level columns: read from the tenders table when given, else from the bid rows of the unit. */
const UNIT_COLUMNS = [
  'tender_id',
  'lot_id',
  'buyer_id',
  'buyer_name',
  'title',
  'category',
  'procedure',
  'estimated_value',
  'currency',
  'published_date',
  'deadline_date',
  'opening_date',
  'award_date',
  'contract_date',
  'province',
  'award_amount',
  'number_of_bidders',
  'winner_id',
  'winner_name',
];

export class TenderUnits {
  constructor(
    /** one row per unit: the tender-level columns */
    readonly table: Table,
    /** bid row → unit */
    readonly bidUnit: Int32Array,
    /** CSR: the bids of unit u are bidRows[bidStart[u] .. bidStart[u+1]) */
    readonly bidStart: Int32Array,
    readonly bidRows: Int32Array,
    /** the winning bid row of the unit, or -1 */
    readonly winnerBid: Int32Array,
    /** the winning party of the unit (from the winning bid or the tenders table), or -1 */
    readonly winner: Int32Array,
  ) {}
  get n(): number {
    return this.table.n;
  }
  nBids(u: number): number {
    return this.bidStart[u + 1] - this.bidStart[u];
  }
  tenderId(u: number): string {
    return this.table.text('tender_id', u);
  }
  lot(u: number): string {
    return this.table.text('lot_id', u);
  }
}

export class Dataset {
  private unitsCache?: TenderUnits;
  private companyRowCache?: Int32Array;

  constructor(
    readonly parties: Parties,
    readonly tables: Partial<Record<TableKind, Table>>,
    readonly inputs: InputInfo[],
    /** the units when already built from these tables (a dataset rebuilt in another thread) */
    units?: TenderUnits,
  ) {
    this.unitsCache = units;
  }

  get bids(): Table | undefined {
    return this.tables.bids;
  }
  get companies(): Table | undefined {
    return this.tables.companies;
  }
  get invoices(): Table | undefined {
    return this.tables.invoices;
  }

  /**
   * Whether a field has values: `bids.x`, `tenders.x`, `companies.x` or `invoices.x`. Tender-level
   * fields are found in either the bids or the tenders table; `bids.is_winner` is also satisfied by a
   * tenders table that names the winner.
   */
  has(field: string): boolean {
    const [kind, name] = field.split('.') as [TableKind, string];
    if (kind === 'bids' || kind === 'tenders') {
      if (this.tables.bids?.hasValues(name) || this.tables.tenders?.hasValues(name)) return true;
      if (name === 'is_winner') return !!this.tables.tenders?.hasValues('winner_id');
      if (name === 'winner_id') return !!this.tables.bids?.hasValues('is_winner');
      return false;
    }
    return !!this.tables[kind]?.hasValues(name);
  }

  get units(): TenderUnits {
    return (this.unitsCache ??= buildUnits(this.tables.bids, this.tables.tenders));
  }

  /** party id → companies row, or -1 */
  get companyRow(): Int32Array {
    if (!this.companyRowCache) {
      const rows = new Int32Array(this.parties.size).fill(-1);
      const ids = this.tables.companies?.party('company_id');
      if (ids) for (let r = 0; r < ids.length; r++) if (ids[r] >= 0 && rows[ids[r]] < 0) rows[ids[r]] = r;
      this.companyRowCache = rows;
    }
    return this.companyRowCache;
  }
}

function unitKey(id: string, lot: string): string {
  return lot ? `${id}\u0001${lot}` : id;
}

function buildUnits(bids: Table | undefined, tenders: Table | undefined): TenderUnits {
  const keys = new Interner();
  const assign = (t: Table | undefined): Int32Array => {
    if (!t) return new Int32Array(0);
    const unit = new Int32Array(t.n);
    const id = t.str('tender_id');
    const lot = t.str('lot_id');
    for (let r = 0; r < t.n; r++) {
      const tid = id && id.codes[r] >= 0 ? id.dict[id.codes[r]] : '';
      const l = lot && lot.codes[r] >= 0 ? lot.dict[lot.codes[r]] : '';
      unit[r] = keys.intern(unitKey(tid, l));
    }
    return unit;
  };
  const tenderUnit = assign(tenders);
  const bidUnit = assign(bids);
  const n = keys.size;

  // CSR of bids by unit (counting sort keeps file order within a unit)
  const bidStart = new Int32Array(n + 1);
  for (let r = 0; r < bidUnit.length; r++) bidStart[bidUnit[r] + 1]++;
  for (let u = 0; u < n; u++) bidStart[u + 1] += bidStart[u];
  const fill = bidStart.slice(0, n);
  const bidRows = new Int32Array(bidUnit.length);
  for (let r = 0; r < bidUnit.length; r++) bidRows[fill[bidUnit[r]]++] = r;

  // the row that represents each unit in each source: the tenders row, and the bid rows in order
  const tenderRow = new Int32Array(n).fill(-1);
  for (let r = 0; r < tenderUnit.length; r++) if (tenderRow[tenderUnit[r]] < 0) tenderRow[tenderUnit[r]] = r;

  const columns = new Map<string, Column>();
  for (const name of UNIT_COLUMNS) {
    const fromT = tenders?.columns.get(name);
    const fromB = bids?.columns.get(name);
    if (!fromT && !fromB) continue;
    const type = (fromT ?? fromB)!.type;
    columns.set(name, unitColumn(type, n, fromT, fromB, tenderRow, bidStart, bidRows));
  }

  // winners: the bid row marked as winner; else the tenders table's winner_id matched to a bid
  const winnerBid = new Int32Array(n).fill(-1);
  const winner = new Int32Array(n).fill(-1);
  const isWinner = bids?.bool('is_winner');
  const bidder = bids?.party('bidder_id');
  const winnerId = (columns.get('winner_id') as { ids: Int32Array } | undefined)?.ids;
  for (let u = 0; u < n; u++) {
    if (isWinner) {
      for (let k = bidStart[u]; k < bidStart[u + 1]; k++) {
        if (isWinner[bidRows[k]] === 1) {
          winnerBid[u] = bidRows[k];
          break;
        }
      }
    }
    if (winnerBid[u] < 0 && winnerId && winnerId[u] >= 0 && bidder) {
      for (let k = bidStart[u]; k < bidStart[u + 1]; k++) {
        if (bidder[bidRows[k]] === winnerId[u]) {
          winnerBid[u] = bidRows[k];
          break;
        }
      }
    }
    if (winnerBid[u] >= 0 && bidder) winner[u] = bidder[winnerBid[u]];
    else if (winnerId) winner[u] = winnerId[u];
  }

  const file = new Uint16Array(n);
  const line = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    const tr = tenderRow[u];
    if (tr >= 0 && tenders) {
      file[u] = tenders.origin.file[tr];
      line[u] = tenders.origin.line[tr];
    } else if (bids && bidStart[u + 1] > bidStart[u]) {
      file[u] = bids.origin.file[bidRows[bidStart[u]]];
      line[u] = bids.origin.line[bidRows[bidStart[u]]];
    }
  }
  return new TenderUnits(new Table('tenders', n, columns, { file, line }), bidUnit, bidStart, bidRows, winnerBid, winner);
}

/** One tender-level column: the tenders table's value when not blank, else the first non-blank bid row's. */
function unitColumn(
  type: Column['type'],
  n: number,
  fromT: Column | undefined,
  fromB: Column | undefined,
  tenderRow: Int32Array,
  bidStart: Int32Array,
  bidRows: Int32Array,
): Column {
  if (type === 'num' || type === 'bool' || type === 'party') {
    const blank = type === 'num' ? NaN : -1;
    const src = (c: Column | undefined) =>
      c ? (c.type === 'num' || c.type === 'bool' ? c.values : c.type === 'party' ? c.ids : undefined) : undefined;
    const t = src(fromT);
    const b = src(fromB);
    const out = type === 'num' ? new Float64Array(n).fill(NaN) : type === 'bool' ? new Int8Array(n).fill(-1) : new Int32Array(n).fill(-1);
    const isBlank = (v: number) => (type === 'num' ? Number.isNaN(v) : v < 0);
    for (let u = 0; u < n; u++) {
      let v = blank;
      if (t && tenderRow[u] >= 0) v = t[tenderRow[u]];
      if (isBlank(v) && b) {
        for (let k = bidStart[u]; k < bidStart[u + 1]; k++) {
          const x = b[bidRows[k]];
          if (!isBlank(x)) {
            v = x;
            break;
          }
        }
      }
      out[u] = v;
    }
    if (type === 'num') return { type, values: out as Float64Array };
    if (type === 'bool') return { type, values: out as Int8Array };
    return { type, ids: out as Int32Array };
  }
  // dictionary columns: one merged dictionary
  const dict: string[] = [];
  const seen = new Map<string, number>();
  const remapOf = (c: StrColumn | undefined) =>
    c?.dict.map((s) => {
      let id = seen.get(s);
      if (id === undefined) {
        id = dict.length;
        dict.push(s);
        seen.set(s, id);
      }
      return id;
    });
  const t = fromT?.type === 'str' ? fromT : undefined;
  const b = fromB?.type === 'str' ? fromB : undefined;
  const rt = remapOf(t);
  const rb = remapOf(b);
  const codes = new Int32Array(n).fill(-1);
  for (let u = 0; u < n; u++) {
    let v = -1;
    if (t && tenderRow[u] >= 0 && t.codes[tenderRow[u]] >= 0) v = rt![t.codes[tenderRow[u]]];
    if (v < 0 && b) {
      for (let k = bidStart[u]; k < bidStart[u + 1]; k++) {
        const x = b.codes[bidRows[k]];
        if (x >= 0) {
          v = rb![x];
          break;
        }
      }
    }
    codes[u] = v;
  }
  return { type: 'str', codes, dict };
}
