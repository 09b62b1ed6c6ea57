/**
 * A dataset handed to another thread (analyze-parallel.ts): the typed arrays of the tables it needs are
 * moved into shared memory, so both threads read the same bytes and nothing is copied twice; the
 * dictionaries and the parties cross as packed strings. The thread on the other side rebuilds a `Dataset`
 * with the same party ids, dictionaries and units, so every detector reads there exactly what it would
 * read here.
 *
 * The dataset is read-only once loaded (detectors are pure), which is what makes the sharing safe.
 */
import { digitDict, digitKeysOf } from '../util/digit-dict.js';
import type { DigitKeys } from '../util/interner.js';
import { packStrings, unpackStrings, type PackedStrings } from '../util/packed-strings.js';
import { Dataset, Parties, TenderUnits, type InputInfo } from './dataset.js';
import type { TableKind } from './schema.js';
import { Table, type BoolColumn, type Codes, type Column, type NumColumn, type PartyColumn, type RowOrigin } from './table.js';

type SharedColumn =
  | NumColumn
  | BoolColumn
  | PartyColumn
  | { type: 'str'; codes: Codes; dict: PackedStrings }
  | { type: 'str'; codes: Codes; digits: DigitKeys };

interface SharedTable {
  kind: TableKind;
  n: number;
  columns: [string, SharedColumn][];
  origin: RowOrigin;
}

export interface SharedDataset {
  parties: { ids: PackedStrings; names: PackedStrings };
  tables: Partial<Record<TableKind, SharedTable>>;
  inputs: InputInfo[];
  units: { table: SharedTable; bidUnit: Int32Array; bidStart: Int32Array; bidRows: Int32Array; winnerBid: Int32Array; winner: Int32Array } | null;
}

type Typed = Float64Array | Int32Array | Int16Array | Int8Array | Uint16Array;

/** The same values in shared memory (the array itself when it is already there). */
function shared<T extends Typed>(a: T): T {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const ctor = a.constructor as { new (b: SharedArrayBuffer): T };
  const out = new ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

/** Move a table's typed arrays into shared memory, in place (its columns then hold the shared copies), and describe it. */
function shareTable(t: Table): SharedTable {
  const columns: [string, SharedColumn][] = [];
  for (const [name, c] of [...t.columns]) {
    let moved: Column;
    let out: SharedColumn;
    switch (c.type) {
      case 'num':
      case 'bool':
        moved = out = { type: c.type, values: shared(c.values) } as NumColumn | BoolColumn;
        break;
      case 'party':
        moved = out = { type: 'party', ids: shared(c.ids) };
        break;
      case 'str': {
        const codes = shared(c.codes);
        moved = { type: 'str', codes, dict: c.dict };
        const digits = digitKeysOf(c.dict);
        out = digits ? { type: 'str', codes, digits } : { type: 'str', codes, dict: packStrings(c.dict) };
        break;
      }
    }
    t.columns.set(name, moved);
    columns.push([name, out]);
  }
  t.origin.file = shared(t.origin.file);
  t.origin.line = shared(t.origin.line);
  return { kind: t.kind, n: t.n, columns, origin: { file: t.origin.file, line: t.origin.line } };
}

function tableFrom(s: SharedTable): Table {
  const columns = new Map<string, Column>();
  for (const [name, c] of s.columns) {
    if (c.type !== 'str') columns.set(name, c);
    else columns.set(name, { type: 'str', codes: c.codes, dict: 'digits' in c ? digitDict(c.digits) : unpackStrings(c.dict) });
  }
  return new Table(s.kind, s.n, columns, s.origin);
}

/**
 * What another thread needs to rebuild `data` with the tables of `kinds` (the others are left out: the
 * detectors run there must not read them). Moves those tables' arrays into shared memory in place.
 */
export function shareDataset(data: Dataset, kinds: readonly TableKind[]): SharedDataset {
  const tables: SharedDataset['tables'] = {};
  for (const k of kinds) {
    const t = data.tables[k];
    if (t) tables[k] = shareTable(t);
  }
  const u = data.bids || data.tables.tenders ? data.units : null;
  const units = u
    ? {
        table: shareTable(u.table),
        bidUnit: u.bidUnit,
        bidStart: u.bidStart,
        bidRows: u.bidRows,
        winnerBid: u.winnerBid,
        winner: u.winner,
      }
    : null;
  const { ids, names } = data.parties.all();
  return { parties: { ids: packStrings(ids), names: packStrings(names) }, tables, inputs: data.inputs, units };
}

/** The dataset `shareDataset` described, on this thread. */
export function datasetFrom(s: SharedDataset): Dataset {
  const parties = Parties.restore(unpackStrings(s.parties.ids), unpackStrings(s.parties.names));
  const tables: Dataset['tables'] = {};
  for (const [k, t] of Object.entries(s.tables) as [TableKind, SharedTable][]) tables[k] = tableFrom(t);
  const u = s.units;
  const units = u ? new TenderUnits(tableFrom(u.table), u.bidUnit, u.bidStart, u.bidRows, u.winnerBid, u.winner) : undefined;
  return new Dataset(parties, tables, s.inputs, units);
}
