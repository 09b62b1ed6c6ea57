/**
 * Header mapping: which column of a file holds which canonical field.
 *
 * Headers are matched by folded name (case, accents and punctuation ignored) against the canonical names
 * and their synonyms (model/schema.ts); a user map (`--map file.json`) is applied first and wins.
 */
import { foldKey } from '../normalize/fold.js';
import { SCHEMA, TABLE_KINDS, requiredColumns, type TableKind } from '../model/schema.js';
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
}

/**
 * A unit in brackets after a header: "(VND)", "(đồng)", "(triệu đồng)", "(1.000 đ)". The header is matched
 * without it; a multiplier word scales the column's amounts.
 */
const UNIT_SUFFIX = /\s*[([]([^()[\]]*)[)\]]\s*$/;
const UNIT_SCALES: [RegExp, number][] = [
  [/\b(ty|billion|bn)\b/, 1e9],
  [/\b(trieu|million|mn|m)\b/, 1e6],
  [/\b(nghin|ngan|thousand|k|1000|1_000)\b/, 1e3],
];

function splitUnit(header: string): { base: string; scale: number } | null {
  const m = UNIT_SUFFIX.exec(header);
  if (!m || m.index === 0) return null;
  const unit = foldKey(m[1]).replace(/_/g, ' ');
  const scale = UNIT_SCALES.find(([re]) => re.test(unit))?.[1] ?? 1;
  return { base: header.slice(0, m.index), scale };
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

/** Normalise a user map file's content; throws InputError on anything that is not a valid map. */
export function parseUserMap(raw: unknown, file: string): UserMap {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new InputError(`${file}: a column map must be a JSON object`, file);
  const entries = Object.entries(raw as Record<string, unknown>);
  const perKind = entries.length > 0 && entries.every(([k]) => (TABLE_KINDS as string[]).includes(k) || k === '*');
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
  if (perKind) for (const [k, m] of entries) check(k as TableKind | '*', m);
  else check('*', raw);
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
  const scale: Record<string, number> = {};
  for (const lookup of passes) {
    headers.forEach((header, i) => {
      if (claimed.has(i)) return;
      let target = lookup(foldKey(header));
      let unitScale = 1;
      if (target === undefined) {
        const u = splitUnit(header);
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
      if (unitScale !== 1) scale[target] = unitScale;
    });
  }
  headers.forEach((header, i) => {
    if (!claimed.has(i) && header.trim() !== '') unmapped.push(header);
  });
  return { index, written, unmapped, duplicates, scale };
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
