/**
 * Column builders: one per mapped column of a file, fed one raw cell per row, finished into a model column.
 * The value conventions (decimal mark, date order, tax-code form) are decided per column at the end.
 */
import { AmountColumn } from '../normalize/amount.js';
import { BoolColumn } from '../normalize/bool.js';
import { CodeColumn } from '../normalize/codes.js';
import { DateColumn, type DateOrder } from '../normalize/date.js';
import { newProblems, type ValueProblems } from '../normalize/problems.js';
import { readPartyIds, type IdNote } from './party-ids.js';
import type { ValueType } from '../model/schema.js';
import type { Codes, Column } from '../model/table.js';
import { GrowableFloat64, GrowableInt32, GrowableInt8, type TypedArrayCtor } from '../util/growable.js';
import { digitDict } from '../util/digit-dict.js';
import { Interner, type DigitKeys } from '../util/interner.js';
import { MAX_PROBLEM_EXAMPLES } from '../normalize/problems.js';

/** What `inspect` and the warnings say about how a column was read. */
export interface ColumnReport {
  /** e.g. 'thousands ".", decimal ","', 'day first (dd/mm/yyyy)', 'tax codes (normalised)' */
  convention?: string;
  problems: ValueProblems;
  /** coded values the tool does not know, kept as written */
  unknown?: { value: string; count: number }[];
  /** tax-code columns: how many distinct codes fail the check digit */
  invalidTaxCodes?: number;
  /** amount columns whose cells are written in several currencies: each with its cells, most first */
  currencies?: { code: string; cells: number }[];
  /** party columns: values kept as written that the warnings name (party-ids.ts), with the first row of each example */
  ids?: { taxCodes: boolean; invalid: IdNotes; notTaxCodes: IdNotes; scientific: IdNotes };
  distinct?: number;
}

/** Distinct values of one kind, their rows, and the first few with the row each is first met on. */
export interface IdNotes {
  distinct: number;
  rows: number;
  examples: { value: string; count: number; row: number }[];
}

/**
 * A party column read but not yet given dataset-wide party ids: `keys` are the ids to intern (tax codes
 * already normalised), in first-seen order, and `codes` each row's index into them (-1 blank).
 */
export interface LocalPartyColumn {
  type: 'local-party';
  keys: string[];
  codes: Int32Array;
}

export interface ColumnBuilder {
  push(raw: string, line: number): void;
  finish(): { column: Column; report: ColumnReport };
  /** the builder of the second part of a split file: everything it was given, to cross threads (split.ts) */
  exportPart?(): PartState;
  /** take the rows of the second part after this builder's own, its lines `lineOffset` further on */
  mergePart?(part: PartState, lineOffset: number): void;
}

/**
 * What a column builder of the second part of a split file holds before it decides anything: its cells
 * and the evidence for the column's conventions, with rows and lines counted from the start of the part.
 * Merged into the first part's builder, the column is then finished as if read in one piece.
 */
export type PartState =
  | { t: 'str'; codes: Int32Array; dict: string[] | null; digits: DigitKeys | null }
  | { t: 'party'; codes: Int32Array; values: string[] }
  | { t: 'name'; names: (string | null)[] }
  | { t: 'amount'; values: Float64Array; votes: Int32Array; ambiguous: Int32Array; voteCount: number[]; ambiguousCount: number[]; voteSamples: Sample[][]; problems: ValueProblems; currencies: [string, number][]; spaceGrouped: boolean; apostropheGrouped: boolean; rows: number }
  | { t: 'date'; values: Float64Array; dm: Int32Array; votes: number[]; voteSamples: Sample[][]; numericAmbiguous: number; numericCells: number; yearFirstCells: number; problems: ValueProblems; formats: string[]; fastSeen: number; rows: number }
  | { t: 'bool'; values: Int8Array; problems: ValueProblems }
  | { t: 'code'; codes: Int32Array; dict: string[]; known: boolean[]; counts: number[] };

type Sample = { line: number; raw: string };

/*
 * The state of the value columns of src/normalize, read and merged here: these are their fields (a test
 * checks that they still are, so that a field added there is not left out of the merge).
 */
export interface AmountInternals {
  values: GrowableFloat64;
  votes: GrowableInt32;
  ambiguous: GrowableInt32;
  voteCount: number[];
  ambiguousCount: number[];
  voteSamples: Sample[][];
  problems: ValueProblems;
  currencies: Map<string, number>;
  spaceGrouped: boolean;
  apostropheGrouped: boolean;
  rows: number;
}
export interface DateInternals {
  values: GrowableFloat64;
  dm: GrowableInt32;
  votes: number[];
  voteSamples: Sample[][];
  numericAmbiguous: number;
  numericCells: number;
  yearFirstCells: number;
  problems: ValueProblems;
  formats: Set<string>;
  fastSeen: number;
  rows: number;
}
export interface BoolInternals {
  values: GrowableInt8;
  problems: ValueProblems;
}
export interface CodeInternals {
  codes: GrowableInt32;
  dict: string[];
  index: Map<string, number>;
  known: boolean[];
  counts: number[];
}

/** The fields of each value column that are only scratch for the cell being read, or caches: not merged. */
export const NOT_MERGED: Record<'amount' | 'date' | 'bool' | 'code', string[]> = {
  amount: ['kind', 'side', 'cellGrouping'],
  date: ['status', 'timeFirst', 'order'],
  bool: ['cache'],
  code: ['cache', 'book'],
};

/** `b`'s problems after `a`'s, lines shifted; examples kept as one column would have kept them (the first few). */
function mergeProblems(a: ValueProblems, b: ValueProblems, lineOffset: number): void {
  a.count += b.count;
  for (let i = 0; i < b.lines.length && a.lines.length < MAX_PROBLEM_EXAMPLES; i++) {
    a.lines.push(b.lines[i] + lineOffset);
    a.samples.push(b.samples[i]);
  }
}

function mergeSamples(a: Sample[][], b: Sample[][], lineOffset: number): void {
  for (let side = 0; side < a.length; side++)
    for (const e of b[side]) if (a[side].length < MAX_PROBLEM_EXAMPLES) a[side].push({ line: e.line + lineOffset, raw: e.raw });
}

/** Row-coded entries (row * 2 + flag) of the second part, `rows` further on. */
function appendRowCoded(to: GrowableInt32, from: Int32Array, rows: number): void {
  const add = rows * 2;
  for (let i = 0; i < from.length; i++) to.push(from[i] + add);
}

/** Codes of the second part through `map` (its code → this column's code, -1 kept), in place, after this column's. */
function appendMapped(to: GrowableInt32, codes: Int32Array, map: Int32Array): void {
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c >= 0) codes[i] = map[c];
  }
  to.appendTail(codes);
}

/**
 * The narrowest array type for the codes of a dictionary of `size` entries, -1 for blank included
 * (5 M invoices: a status or VAT-rate column takes 5 MB as Int8 instead of 20 MB).
 */
export function codesType(size: number): TypedArrayCtor<Codes> {
  return size <= 0x7f ? Int8Array : size <= 0x7fff ? Int16Array : Int32Array;
}

/** Codes in the narrowest array type for a dictionary of `size` entries (the same array when that is Int32). */
export function narrowCodes(codes: Int32Array, size: number): Codes {
  const ctor = codesType(size);
  if (ctor === Int32Array) return codes;
  const out = new ctor(codes.length);
  out.set(codes);
  return out;
}

/**
 * Exports are usually grouped (by tender, by seller), so a cell often repeats the one above it: comparing
 * with the previous raw cell is cheaper than hashing it again.
 */
class Repeats {
  private lastRaw = '\u0000';
  private lastCode = -1;
  code(raw: string, dict: Interner): number {
    if (raw === this.lastRaw) return this.lastCode;
    const s = raw.trim();
    const code = s === '' ? -1 : dict.intern(s);
    this.lastRaw = raw;
    this.lastCode = code;
    return code;
  }
}

class StrBuilder implements ColumnBuilder {
  private readonly dict: Interner;
  private readonly codes = new GrowableInt32(4096);
  private readonly repeats = new Repeats();
  /** onDemand: values of the form prefix + digits are kept as numbers, their strings made when read */
  constructor(onDemand = false) {
    this.dict = new Interner(onDemand);
  }
  push(raw: string): void {
    this.codes.push(this.repeats.code(raw, this.dict));
  }
  exportPart(): PartState {
    const digits = this.dict.digitKeys();
    return { t: 'str', codes: this.codes.finish(), dict: digits ? null : this.dict.values, digits };
  }
  mergePart(p: PartState): void {
    if (p.t !== 'str') throw new Error(`merging a ${p.t} part into a text column`);
    const n = p.digits ? p.digits.keys.length / 3 : p.dict!.length;
    const map = new Int32Array(n);
    if (p.digits) map.set(this.dict.internAll(p.digits));
    else for (let i = 0; i < n; i++) map[i] = this.dict.intern(p.dict![i]);
    appendMapped(this.codes, p.codes, map);
  }
  finish(): { column: Column; report: ColumnReport } {
    const keys = this.dict.digitKeys();
    return {
      column: { type: 'str', codes: this.codes.finishAs(codesType(this.dict.size)), dict: keys ? digitDict(keys) : this.dict.values },
      report: { problems: newProblems(), distinct: this.dict.size },
    };
  }
}

export class PartyBuilder implements ColumnBuilder {
  private local = new Interner();
  private localCodes = new GrowableInt32(4096);
  private readonly repeats = new Repeats();
  /** the local code of the id pushed last (-1 blank): its name column reads it in the same row */
  lastCode = -1;
  /** the per-row local codes, kept after finish() for the name column */
  finishedLocal: Int32Array | null = null;
  /** after mergePart: the second part's local code → this column's */
  partMap: Int32Array | null = null;
  push(raw: string): void {
    this.lastCode = this.repeats.code(raw, this.local);
    this.localCodes.push(this.lastCode);
  }
  exportPart(): PartState {
    return { t: 'party', codes: this.localCodes.finish(), values: this.local.values };
  }
  mergePart(p: PartState): void {
    if (p.t !== 'party') throw new Error(`merging a ${p.t} part into a party column`);
    const map = new Int32Array(p.values.length);
    for (let i = 0; i < map.length; i++) map[i] = this.local.intern(p.values[i]);
    appendMapped(this.localCodes, p.codes, map);
    this.partMap = map;
  }
  /**
   * The ids to intern (tax codes normalised when the column is one of tax codes: party-ids.ts) and each
   * row's index into them; the dataset-wide party ids are given later, in input order (load.ts finishTable).
   */
  finishLocal(): { column: LocalPartyColumn; report: ColumnReport } {
    const values = this.local.values;
    const local = this.localCodes.finish();
    this.finishedLocal = local;
    const rows = new Int32Array(values.length);
    for (let r = 0; r < local.length; r++) if (local[r] >= 0) rows[local[r]]++;
    const ids = readPartyIds(values, rows);
    const notes = [ids.invalid, ids.notTaxCodes, ids.scientific];
    // the first row of each example, for the warnings' line numbers: codes are numbered in first-seen order
    const wanted = new Map<number, number>();
    for (const n of notes) for (const e of n.examples) wanted.set(e.code, -1);
    for (let r = 0, left = wanted.size; r < local.length && left > 0; r++) {
      if (local[r] >= 0 && wanted.get(local[r]) === -1) {
        wanted.set(local[r], r);
        left--;
      }
    }
    const withRows = (n: IdNote): IdNotes => ({ distinct: n.distinct, rows: n.rows, examples: n.examples.map((e) => ({ value: e.value, count: e.count, row: wanted.get(e.code)! })) });
    const share = `${ids.validRows.toLocaleString('en-US')} of ${ids.checkedRows.toLocaleString('en-US')} rows pass the check digit`;
    let convention = ids.taxCodes
      ? `tax codes, ${share} (normalised: vn prefix dropped, lost leading zero restored)`
      : ids.validRows > 0
        ? `ids as written (not tax codes: ${share})`
        : 'ids as written';
    if (ids.unwrappedRows) convention += `; spreadsheet wrappers ="…" and ' removed (${ids.unwrappedRows.toLocaleString('en-US')} row${ids.unwrappedRows > 1 ? 's' : ''})`;
    return {
      // the same array as finishedLocal: the name column reads it before the party ids are written into it
      column: { type: 'local-party', keys: ids.keys, codes: local },
      report: {
        problems: newProblems(),
        distinct: values.length,
        convention,
        invalidTaxCodes: ids.taxCodes ? ids.invalid.distinct : undefined,
        ids: { taxCodes: ids.taxCodes, invalid: withRows(ids.invalid), notTaxCodes: withRows(ids.notTaxCodes), scientific: withRows(ids.scientific) },
      },
    };
  }
  finish(): { column: Column; report: ColumnReport } {
    throw new Error('a party column is finished by finishLocal() and given party ids by finishTable()');
  }
}

/**
 * The name written beside a party id (bidder_name beside bidder_id…): only the first non-blank name of each
 * id is kept, so names cost one array check per row instead of a dictionary lookup; the column reads back
 * as that name on every row of the id. Names serve display and the party registry, where the first name
 * seen for an id is the one shown anyway.
 */
export class PartyNameBuilder implements ColumnBuilder {
  private readonly names: (string | undefined)[] = [];
  constructor(private readonly id: PartyBuilder) {}
  push(raw: string): void {
    const code = this.id.lastCode;
    if (code < 0 || this.names[code] !== undefined) return;
    const s = raw.trim();
    if (s !== '') this.names[code] = s.length > 12 ? (' ' + s).slice(1) : s;
  }
  exportPart(): PartState {
    return { t: 'name', names: Array.from(this.names, (n) => n ?? null) };
  }
  /** the id column's part is merged first (ids come before names): its map gives each name's id */
  mergePart(p: PartState): void {
    if (p.t !== 'name') throw new Error(`merging a ${p.t} part into a name column`);
    const map = this.id.partMap;
    if (!map) throw new Error('the id column must take its part before its name column');
    for (let i = 0; i < p.names.length; i++) {
      const n = p.names[i];
      if (n !== null && this.names[map[i]] === undefined) this.names[map[i]] = n;
    }
  }
  finish(): { column: Column; report: ColumnReport } {
    const local = this.id.finishedLocal;
    if (!local) throw new Error('the id column must be finished before its name column');
    const dict: string[] = [];
    const codeOf = new Int32Array(this.names.length).fill(-1);
    for (let i = 0; i < this.names.length; i++) {
      const n = this.names[i];
      if (n !== undefined) {
        codeOf[i] = dict.length;
        dict.push(n);
      }
    }
    const codes = new (codesType(dict.length))(local.length);
    for (let r = 0; r < local.length; r++) codes[r] = local[r] < 0 || local[r] >= codeOf.length ? -1 : codeOf[local[r]];
    return { column: { type: 'str', codes, dict }, report: { problems: newProblems(), distinct: dict.length, convention: 'first name written for each id' } };
  }
}

class AmountBuilder implements ColumnBuilder {
  private readonly col = new AmountColumn();
  constructor(private readonly integer = false) {}
  push(raw: string, line: number): void {
    this.col.push(raw, line);
  }
  exportPart(): PartState {
    const c = this.col as unknown as AmountInternals;
    return {
      t: 'amount',
      values: c.values.finish(),
      votes: c.votes.finish(),
      ambiguous: c.ambiguous.finish(),
      voteCount: c.voteCount,
      ambiguousCount: c.ambiguousCount,
      voteSamples: c.voteSamples,
      problems: c.problems,
      currencies: [...c.currencies],
      spaceGrouped: c.spaceGrouped,
      apostropheGrouped: c.apostropheGrouped,
      rows: c.rows,
    };
  }
  mergePart(p: PartState, lineOffset: number): void {
    if (p.t !== 'amount') throw new Error(`merging a ${p.t} part into an amount column`);
    const c = this.col as unknown as AmountInternals;
    c.values.appendTail(p.values);
    appendRowCoded(c.votes, p.votes, c.rows);
    appendRowCoded(c.ambiguous, p.ambiguous, c.rows);
    for (let k = 0; k < 2; k++) {
      c.voteCount[k] += p.voteCount[k];
      c.ambiguousCount[k] += p.ambiguousCount[k];
    }
    mergeSamples(c.voteSamples, p.voteSamples, lineOffset);
    mergeProblems(c.problems, p.problems, lineOffset);
    for (const [code, cells] of p.currencies) c.currencies.set(code, (c.currencies.get(code) ?? 0) + cells);
    c.spaceGrouped ||= p.spaceGrouped;
    c.apostropheGrouped ||= p.apostropheGrouped;
    c.rows += p.rows;
  }
  finish(): { column: Column; report: ColumnReport } {
    const r = this.col.finish();
    if (this.integer) for (let i = 0; i < r.values.length; i++) r.values[i] = Math.trunc(r.values[i]);
    return {
      column: { type: 'num', values: r.values },
      report: { convention: r.description, problems: r.problems, ...(r.currencies.length > 1 ? { currencies: r.currencies } : {}) },
    };
  }
}

class DateBuilder implements ColumnBuilder {
  private readonly col: DateColumn;
  constructor(order?: DateOrder) {
    this.col = new DateColumn(order);
  }
  push(raw: string, line: number): void {
    this.col.push(raw, line);
  }
  exportPart(): PartState {
    const c = this.col as unknown as DateInternals;
    return {
      t: 'date',
      values: c.values.finish(),
      dm: c.dm.finish(),
      votes: c.votes,
      voteSamples: c.voteSamples,
      numericAmbiguous: c.numericAmbiguous,
      numericCells: c.numericCells,
      yearFirstCells: c.yearFirstCells,
      problems: c.problems,
      formats: [...c.formats],
      fastSeen: c.fastSeen,
      rows: c.rows,
    };
  }
  mergePart(p: PartState, lineOffset: number): void {
    if (p.t !== 'date') throw new Error(`merging a ${p.t} part into a date column`);
    const c = this.col as unknown as DateInternals;
    c.values.appendTail(p.values);
    appendRowCoded(c.dm, p.dm, c.rows);
    c.votes[0] += p.votes[0];
    c.votes[1] += p.votes[1];
    mergeSamples(c.voteSamples, p.voteSamples, lineOffset);
    c.numericAmbiguous += p.numericAmbiguous;
    c.numericCells += p.numericCells;
    c.yearFirstCells += p.yearFirstCells;
    mergeProblems(c.problems, p.problems, lineOffset);
    for (const f of p.formats) c.formats.add(f);
    c.fastSeen |= p.fastSeen;
    c.rows += p.rows;
  }
  finish(): { column: Column; report: ColumnReport } {
    const r = this.col.finish();
    const how = r.decidedBy === 'option' ? 'set by --date-order' : r.decidedBy === 'data' ? 'decided from the data' : 'default';
    const formats = r.formats.length ? r.formats.join(', ') : 'no dates';
    return { column: { type: 'num', values: r.values }, report: { convention: `${formats}; order ${r.order} (${how})`, problems: r.problems } };
  }
}

class BoolBuilder implements ColumnBuilder {
  private readonly col = new BoolColumn();
  push(raw: string, line: number): void {
    this.col.push(raw, line);
  }
  exportPart(): PartState {
    const c = this.col as unknown as BoolInternals;
    return { t: 'bool', values: c.values.finish(), problems: c.problems };
  }
  mergePart(p: PartState, lineOffset: number): void {
    if (p.t !== 'bool') throw new Error(`merging a ${p.t} part into a yes/no column`);
    const c = this.col as unknown as BoolInternals;
    c.values.appendTail(p.values);
    mergeProblems(c.problems, p.problems, lineOffset);
  }
  finish(): { column: Column; report: ColumnReport } {
    const r = this.col.finish();
    return { column: { type: 'bool', values: r.values }, report: { problems: r.problems } };
  }
}

class CodeBuilder implements ColumnBuilder {
  constructor(private readonly col: CodeColumn) {}
  push(raw: string, line: number): void {
    this.col.push(raw, line);
  }
  exportPart(): PartState {
    const c = this.col as unknown as CodeInternals;
    return { t: 'code', codes: c.codes.finish(), dict: c.dict, known: c.known, counts: c.counts };
  }
  mergePart(p: PartState): void {
    if (p.t !== 'code') throw new Error(`merging a ${p.t} part into a coded column`);
    const c = this.col as unknown as CodeInternals;
    const map = new Int32Array(p.dict.length);
    for (let i = 0; i < p.dict.length; i++) {
      let id = c.index.get(p.dict[i]);
      if (id === undefined) {
        id = c.dict.length;
        c.dict.push(p.dict[i]);
        c.index.set(p.dict[i], id);
        c.known.push(p.known[i]);
        c.counts.push(0);
      }
      c.counts[id] += p.counts[i];
      map[i] = id;
    }
    appendMapped(c.codes, p.codes, map);
  }
  finish(): { column: Column; report: ColumnReport } {
    const r = this.col.finish();
    return {
      column: { type: 'str', codes: narrowCodes(r.codes, r.dict.length), dict: r.dict },
      report: { problems: newProblems(), unknown: r.unknown.length ? r.unknown : undefined, distinct: r.dict.length },
    };
  }
}

export function columnBuilder(type: ValueType, dateOrder?: DateOrder, onDemand = false): ColumnBuilder {
  if (typeof type === 'object') return new CodeBuilder(new CodeColumn(type.code));
  switch (type) {
    case 'key':
    case 'text':
      return new StrBuilder(onDemand);
    case 'party':
      return new PartyBuilder();
    case 'amount':
      return new AmountBuilder();
    case 'int':
      return new AmountBuilder(true);
    case 'date':
      return new DateBuilder(dateOrder);
    case 'bool':
      return new BoolBuilder();
  }
}
