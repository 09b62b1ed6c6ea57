/**
 * Columnar tables: one typed array per column, strings dictionary-encoded.
 *
 * A table knows nothing of files or formats; the CSV loader fills it today, an OCDS or SQL reader may fill
 * it tomorrow. Blank values are NaN (numbers, dates as epoch ms), -1 (codes, party ids, booleans).
 */
import type { TableKind } from './schema.js';

export interface NumColumn {
  type: 'num';
  values: Float64Array;
}
export interface BoolColumn {
  type: 'bool';
  values: Int8Array;
}
/**
 * Dictionary codes, as narrow as the dictionary allows (io/columns.ts narrowCodes): Int8Array up to 127
 * entries (status, currency, VAT rate…), Int16Array up to 32,767, else Int32Array; -1 is blank in each.
 */
export type Codes = Int32Array | Int16Array | Int8Array;

export interface StrColumn {
  type: 'str';
  codes: Codes;
  dict: string[];
}
export interface PartyColumn {
  type: 'party';
  /** index into Dataset.parties */
  ids: Int32Array;
}
export type Column = NumColumn | BoolColumn | StrColumn | PartyColumn;

/** Where a row came from, so evidence can point at the export: source file index and 1-based line. */
export interface RowOrigin {
  file: Uint16Array;
  line: Int32Array;
}

export class Table {
  constructor(
    readonly kind: TableKind,
    readonly n: number,
    readonly columns: Map<string, Column>,
    readonly origin: RowOrigin,
  ) {}

  has(name: string): boolean {
    return this.columns.has(name);
  }

  private readonly valued = new Map<string, boolean>();

  /** Whether the column exists and holds at least one non-blank value (computed once per column). */
  hasValues(name: string): boolean {
    let v = this.valued.get(name);
    if (v === undefined) this.valued.set(name, (v = this.scanValues(name)));
    return v;
  }

  private scanValues(name: string): boolean {
    const col = this.columns.get(name);
    if (!col) return false;
    switch (col.type) {
      case 'num':
        return col.values.some((v) => !Number.isNaN(v));
      case 'bool':
        return col.values.some((v) => v >= 0);
      case 'str':
        return col.codes.some((v) => v >= 0);
      case 'party':
        return col.ids.some((v) => v >= 0);
    }
  }

  num(name: string): Float64Array | undefined {
    const col = this.columns.get(name);
    return col?.type === 'num' ? col.values : undefined;
  }
  bool(name: string): Int8Array | undefined {
    const col = this.columns.get(name);
    return col?.type === 'bool' ? col.values : undefined;
  }
  str(name: string): StrColumn | undefined {
    const col = this.columns.get(name);
    return col?.type === 'str' ? col : undefined;
  }
  party(name: string): Int32Array | undefined {
    const col = this.columns.get(name);
    return col?.type === 'party' ? col.ids : undefined;
  }
  /** The string value of a dictionary column at a row ('' when blank or absent). */
  text(name: string, row: number): string {
    const col = this.str(name);
    if (!col) return '';
    const code = col.codes[row];
    return code < 0 ? '' : col.dict[code];
  }
}

/** Concatenate tables of one kind read from several files; columns missing from a part are blank there. */
export function concatTables(kind: TableKind, parts: Table[]): Table {
  if (parts.length === 1) return parts[0];
  const n = parts.reduce((s, t) => s + t.n, 0);
  const names = new Set<string>();
  const types = new Map<string, Column['type']>();
  for (const t of parts)
    for (const [name, col] of t.columns) {
      names.add(name);
      types.set(name, col.type);
    }
  const columns = new Map<string, Column>();
  for (const name of names) {
    const type = types.get(name)!;
    if (type === 'num') {
      const values = new Float64Array(n).fill(NaN);
      let o = 0;
      for (const t of parts) {
        const v = t.num(name);
        if (v) values.set(v, o);
        o += t.n;
      }
      columns.set(name, { type, values });
    } else if (type === 'bool') {
      const values = new Int8Array(n).fill(-1);
      let o = 0;
      for (const t of parts) {
        const v = t.bool(name);
        if (v) values.set(v, o);
        o += t.n;
      }
      columns.set(name, { type, values });
    } else if (type === 'party') {
      const ids = new Int32Array(n).fill(-1);
      let o = 0;
      for (const t of parts) {
        const v = t.party(name);
        if (v) ids.set(v, o);
        o += t.n;
      }
      columns.set(name, { type, ids });
    } else {
      // merge dictionaries
      const dict: string[] = [];
      const seen = new Map<string, number>();
      const codes = new Int32Array(n).fill(-1);
      let o = 0;
      for (const t of parts) {
        const col = t.str(name);
        if (col) {
          const remap = col.dict.map((s) => {
            let id = seen.get(s);
            if (id === undefined) {
              id = dict.length;
              dict.push(s);
              seen.set(s, id);
            }
            return id;
          });
          for (let i = 0; i < t.n; i++) codes[o + i] = col.codes[i] < 0 ? -1 : remap[col.codes[i]];
        }
        o += t.n;
      }
      columns.set(name, { type: 'str', codes, dict });
    }
  }
  const file = new Uint16Array(n);
  const line = new Int32Array(n);
  let o = 0;
  for (const t of parts) {
    file.set(t.origin.file, o);
    line.set(t.origin.line, o);
    o += t.n;
  }
  return new Table(kind, n, columns, { file, line });
}
