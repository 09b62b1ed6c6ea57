/**
 * Header mapping: which column of a file holds which canonical field.
 *
 * Headers are matched by folded name (case, accents and punctuation ignored) against the canonical names
 * and their synonyms (model/schema.ts); a user map (`--map file.json`) is applied first and wins.
 */
import { foldKey, stripAccents } from '../normalize/fold.js';
import { SCHEMA, TABLE_KINDS, requiredColumns, type TableKind } from '../model/schema.js';
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { InputError } from './errors.js';

/** A user map: `{ "Header as written": "canonical" }`, optionally per kind (`{ "invoices": { … } }`). A null/empty target ignores the column. */
export type UserMap = Partial<Record<TableKind, Record<string, string | null>>> & { '*'?: Record<string, string | null> };

export interface HeaderMapping {
  /** canonical name → index of the column in the file */
  index: Map<string, number>;
  /** canonical name → header as written */
  written: Record<string, string>;
  /** headers that matched nothing */
  unmapped: string[];
  /** headers that matched a canonical column already taken by an earlier header */
  duplicates: { header: string; canonical: string }[];
  /** canonical → multiplier stated by the header's unit, e.g. "Giá dự thầu (triệu đồng)" → 1e6 */
  scale: Record<string, number>;
  /** canonical columns matched through a synonym that may name a row ordinal instead (ColumnSpec.ordinal) */
  ordinal: string[];
}

/**
 * A unit in brackets after a header: "(VND)", "(đồng)", "(triệu đồng)", "(1.000 đ)", "(ĐVT: 1.000 đồng)",
 * "(Tr.đ)". The header is matched without it; a multiplier in the unit scales the column's amounts.
 */
const UNIT_SUFFIX = /\s*[([]([^()[\]]*)[)\]]\s*$/;

/** Multiplier words, accents removed. `m` counts only beside a currency ("£m", "USD m"): alone it is a metre. */
const SCALE_WORDS: Record<string, number> = {
  ty: 1e9, ti: 1e9, billion: 1e9, billions: 1e9, bn: 1e9,
  trieu: 1e6, tr: 1e6, trd: 1e6, million: 1e6, millions: 1e6, mn: 1e6, mio: 1e6,
  nghin: 1e3, ngan: 1e3, ngd: 1e3, thousand: 1e3, thousands: 1e3, k: 1e3,
};
const CURRENCY_WORDS = new Set(['d', 'dong', 'vnd', 'usd', 'eur', 'gbp', 'chf', 'brl', '$', '€', '£', '₫']);
/** A label in front of the unit: "ĐVT:" (đơn vị tính), "Đơn vị:", "Unit:". */
const UNIT_LABEL = /^\s*(?:dvt|don vi tinh|don vi|unit|units|in)\s*[:.]?\s*/;
/** Numbers (thousands groups allowed: 1.000, 1 000, 1,000,000), words, currency symbols. */
const UNIT_TOKEN = /\d+(?:[., '\u00a0\u202f]\d{3})*|[a-z]+|[$€£₫]/g;

/**
 * The multiplier a unit states: a number 1000, 1.000, 1.000.000 or '000, a word (nghìn, triệu, Tr.đ, tỷ,
 * thousand, million, k), or the product of several ("nghìn tỷ"). A price per unit ("đ/m³", "đồng/m",
 * "đ/1000 viên", "USD per tonne") is not a scale: only what comes before the "/" or "per" is read.
 */
export function unitScale(unit: string): number {
  let s = stripAccents(unit).toLowerCase();
  const slash = s.indexOf('/');
  if (slash >= 0) s = s.slice(0, slash);
  s = s.replace(UNIT_LABEL, '');
  let scale = 1;
  let million = false;
  let currency = false;
  for (const tok of s.match(UNIT_TOKEN) ?? []) {
    const c = tok.charCodeAt(0);
    if (c >= 48 && c <= 57) {
      const digits = tok.replace(/\D/g, '');
      // 1000, 1000000, 000 ("£'000"): a power of a thousand; any other number (a year, a rate) states no scale
      const zeros = /^1?((?:000)+)$/.exec(digits);
      if (zeros) scale *= 10 ** zeros[1].length;
    } else if (tok === 'per') break;
    else if (tok === 'm') million = true;
    else if (CURRENCY_WORDS.has(tok)) currency = true;
    else if (tok.length > 2 && tok.endsWith('d') && SCALE_WORDS[tok.slice(0, -1)]) {
      // "trđ", "ngđ": the word glued to đ (đồng)
      scale *= SCALE_WORDS[tok.slice(0, -1)];
      currency = true;
    } else if (SCALE_WORDS[tok]) scale *= SCALE_WORDS[tok];
  }
  if (million && currency) scale *= 1e6;
  return scale;
}

function splitUnit(header: string): { base: string; scale: number } | null {
  const m = UNIT_SUFFIX.exec(header);
  if (!m || m.index === 0) return null;
  return { base: header.slice(0, m.index), scale: unitScale(m[1]) };
}

const synonymIndex = new Map<TableKind, Map<string, string>>();

function synonymsOf(kind: TableKind): Map<string, string> {
  let m = synonymIndex.get(kind);
  if (!m) {
    m = new Map();
    // canonical names first, so that a canonical header is never taken by another column's synonym
    for (const col of SCHEMA[kind]) m.set(foldKey(col.name), col.name);
    for (const col of SCHEMA[kind]) for (const s of col.synonyms) if (!m.has(foldKey(s))) m.set(foldKey(s), col.name);
    synonymIndex.set(kind, m);
  }
  return m;
}

/** A map file's text as JSON with comments (as the config file); throws InputError with line and column. */
export function parseMapText(text: string, file: string): unknown {
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const before = text.slice(0, errors[0].offset).split('\n');
    throw new InputError(`${file}:${before.length}:${before.at(-1)!.length + 1}: not valid JSON (${printParseErrorCode(errors[0].error)})`, file);
  }
  return raw;
}

/**
 * Normalise a user map file's content; throws InputError on anything that is not a valid map. Entries
 * under a table's name (or "*") map that table's headers; the others apply to every table, as "*" does.
 */
export function parseUserMap(raw: unknown, file: string): UserMap {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${file}: a column map must be a JSON object`, file);
  const all = Object.entries(raw as Record<string, unknown>);
  const isTable = (k: string) => (TABLE_KINDS as string[]).includes(k) || k === '*';
  const flat = all.filter(([k]) => !isTable(k));
  const entries = all.filter(([k]) => isTable(k));
  const perKind = entries.length > 0;
  const out: UserMap = {};
  const check = (kind: TableKind | '*', m: unknown) => {
    if (!m || typeof m !== 'object' || Array.isArray(m)) throw new InputError(`${file}: "${kind}" must map headers to canonical column names`, file);
    const known = kind === '*' ? new Set(TABLE_KINDS.flatMap((k) => SCHEMA[k].map((col) => col.name))) : new Set(SCHEMA[kind].map((col) => col.name));
    for (const [header, target] of Object.entries(m as Record<string, unknown>)) {
      if (target === null || target === '') continue;
      if (typeof target !== 'string' || !known.has(target)) {
        const where = kind === '*' ? 'any table' : `the ${kind} table`;
        throw new InputError(`${file}: "${header}" maps to "${String(target)}", which is not a column of ${where}`, file);
      }
    }
    out[kind] = m as Record<string, string | null>;
  };
  if (!perKind) {
    check('*', raw);
    return out;
  }
  for (const [k, m] of entries) check(k as TableKind | '*', m);
  if (flat.length) {
    const star = out['*'];
    check('*', Object.fromEntries(flat));
    if (star) out['*'] = { ...out['*'], ...star };
  }
  return out;
}

export function mapHeaders(kind: TableKind, headers: string[], userMap?: UserMap): HeaderMapping {
  const synonyms = synonymsOf(kind);
  const user = new Map<string, string | null>();
  const known = new Set(SCHEMA[kind].map((col) => col.name));
  for (const m of [userMap?.['*'], userMap?.[kind]]) {
    if (!m) continue;
    for (const [h, target] of Object.entries(m)) {
      // a global map may name columns of other tables: ignore those here
      if (target && !known.has(target)) continue;
      user.set(foldKey(h), target || null);
    }
  }
  const index = new Map<string, number>();
  const written: Record<string, string> = {};
  const unmapped: string[] = [];
  const duplicates: { header: string; canonical: string }[] = [];
  // user-mapped headers claim their columns before synonyms do
  const passes: ((h: string) => string | null | undefined)[] = [(h) => user.get(h), (h) => (user.has(h) ? undefined : synonyms.get(h))];
  const claimed = new Set<number>();
  const amountColumns = new Set(SCHEMA[kind].filter((col) => col.type === 'amount').map((col) => col.name));
  const ordinalSynonyms = new Map(SCHEMA[kind].filter((col) => col.ordinal).map((col) => [col.name, new Set(col.ordinal!.synonyms.map(foldKey))]));
  const ordinal: string[] = [];
  const scale: Record<string, number> = {};
  for (const lookup of passes) {
    headers.forEach((header, i) => {
      if (claimed.has(i)) return;
      let target = lookup(foldKey(header));
      let unitScale = 1;
      let u: ReturnType<typeof splitUnit> = null;
      if (target === undefined) {
        u = splitUnit(header);
        if (u) {
          target = lookup(foldKey(u.base));
          unitScale = u.scale;
        }
      }
      if (target === undefined) return;
      claimed.add(i);
      if (target === null) return;
      if (index.has(target)) {
        duplicates.push({ header, canonical: target });
        return;
      }
      index.set(target, i);
      written[target] = header;
      if (lookup === passes[1] && ordinalSynonyms.get(target)?.has(foldKey(u?.base ?? header))) ordinal.push(target);
      // a unit scales amounts only: a date's bracket states its format ("Ngày lập (dd/mm/yyyy)")
      if (unitScale !== 1 && amountColumns.has(target)) scale[target] = unitScale;
    });
  }
  headers.forEach((header, i) => {
    if (!claimed.has(i) && header.trim() !== '') unmapped.push(header);
  });
  return { index, written, unmapped, duplicates, scale, ordinal };
}

/** The required columns missing from a mapping, as human-readable alternatives ("bid_amount or final_amount"). */
export function missingRequired(kind: TableKind, mapping: HeaderMapping): string[] {
  return requiredColumns(kind)
    .filter((alts) => !alts.some((a) => mapping.index.has(a)))
    .map((alts) => alts.join(' or '));
}

/** Whether a header record has every required column of the table (after synonyms and the user map). */
export function fitsTable(kind: TableKind, headers: string[], userMap?: UserMap): boolean {
  return missingRequired(kind, mapHeaders(kind, headers, userMap)).length === 0;
}

/** Guess the kind of a file from its headers: the kind whose columns match best, required ones counting double. */
export function guessKind(headers: string[], userMap?: UserMap): { kind: TableKind; score: number } | null {
  let best: { kind: TableKind; score: number } | null = null;
  for (const kind of TABLE_KINDS) {
    const m = mapHeaders(kind, headers, userMap);
    if (missingRequired(kind, m).length > 0) continue;
    let score = 0;
    for (const name of m.index.keys()) score += SCHEMA[kind].find((col) => col.name === name)?.required ? 2 : 1;
    if (!best || score > best.score) best = { kind, score };
  }
  return best;
}
