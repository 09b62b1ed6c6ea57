/**
 * Column builders: one per mapped column of a file, fed one raw cell per row, finished into a model column.
 * The value conventions (decimal mark, date order, tax-code form) are decided per column at the end.
 */
import { AmountColumn } from '../normalize/amount.js';
import { BoolColumn } from '../normalize/bool.js';
import { CodeColumn } from '../normalize/codes.js';
import { DateColumn, type DateOrder } from '../normalize/date.js';
import { newProblems, type ValueProblems } from '../normalize/problems.js';
import { cleanTaxCode, taxCodeInfo } from '../normalize/taxcode.js';
import type { ValueType } from '../model/schema.js';
import type { Codes, Column } from '../model/table.js';
import { GrowableInt32, type TypedArrayCtor } from '../util/growable.js';
import { digitDict } from '../util/digit-dict.js';
import { Interner } from '../util/interner.js';

/** What `inspect` and the warnings say about how a column was read. */
export interface ColumnReport {
  /** e.g. 'thousands ".", decimal ","', 'day first (dd/mm/yyyy)', 'tax codes (normalised)' */
  convention?: string;
  problems: ValueProblems;
  /** coded values the tool does not know, kept as written */
  unknown?: { value: string; count: number }[];
  /** tax-code columns: how many distinct codes fail the check digit */
  invalidTaxCodes?: number;
  distinct?: number;
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

/** Share of distinct values that must look like Vietnamese tax codes before a party column is normalised. */
const TAX_CODE_SHARE = 0.8;

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
  push(raw: string): void {
    this.lastCode = this.repeats.code(raw, this.local);
    this.localCodes.push(this.lastCode);
  }
  /**
   * The ids to intern (normalised as tax codes when most of them look like tax codes) and each row's index
   * into them; the dataset-wide party ids are given later, in input order (load.ts finishTable).
   */
  finishLocal(): { column: LocalPartyColumn; report: ColumnReport } {
    const values = this.local.values;
    let taxLike = 0;
    const cleaned = values.map((v) => {
      const c = cleanTaxCode(v);
      if (c) taxLike++;
      return c;
    });
    const normalise = values.length > 0 && taxLike / values.length >= TAX_CODE_SHARE;
    let invalid = 0;
    const keys = values.map((v, i) => {
      const id = normalise && cleaned[i] ? cleaned[i]! : v;
      if (normalise && cleaned[i]) {
        const info = taxCodeInfo(cleaned[i]!);
        if (info && info.valid === false) invalid++;
      }
      return id;
    });
    const local = this.localCodes.finish();
    this.finishedLocal = local;
    return {
      // the same array as finishedLocal: the name column reads it before the party ids are written into it
      column: { type: 'local-party', keys, codes: local },
      report: {
        problems: newProblems(),
        distinct: values.length,
        convention: normalise ? 'tax codes (normalised: vn prefix dropped, lost leading zero restored)' : 'ids as written',
        invalidTaxCodes: normalise ? invalid : undefined,
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
  finish(): { column: Column; report: ColumnReport } {
    const r = this.col.finish();
    if (this.integer) for (let i = 0; i < r.values.length; i++) r.values[i] = Math.trunc(r.values[i]);
    return { column: { type: 'num', values: r.values }, report: { convention: r.description, problems: r.problems } };
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
