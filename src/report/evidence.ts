/**
 * A finding's evidence as the reports for people show it (markdown, html). Evidence is whatever JSON a
 * detector measured: numbers, lists of ids, records of the bids or invoices concerned, the thresholds it
 * compared with, and records inside records (the links of a group, each with the values shared and how every
 * row wrote them). Printed as JSON it is unreadable and, cut to a length, loses its end; so each value becomes
 * a small block, the same for both formats:
 * - a list of records → a table (columns = their keys), at most `ROWS` rows and a count of the others;
 * - a record → `key: value` pairs, nested one level, deeper values as one line of text;
 * - a list of lists of records (the hops of each invoice cycle) → one table, the list's number first;
 * - numbers grouped as elsewhere in the reports, lists of ids joined, a source row as `file:line`, an entity
 *   as "name (id)".
 * The blocks hold plain text: each renderer escapes it where it writes it. The JSON report keeps it all.
 */
import type { Entity, EntityType } from '../detectors/types.js';
import { plural } from '../util/format.js';
import { entityLabel, fmtNum } from './charts.js';

export type EvidenceBlock =
  | { kind: 'text'; text: string }
  | { kind: 'table'; columns: string[]; rows: string[][]; numeric: boolean[]; more: number }
  | { kind: 'pairs'; pairs: { key: string; value: EvidenceBlock }[]; more: number }
  | { kind: 'list'; items: EvidenceBlock[]; more: number };

/** How long a line of text may be: a table cell, and a value of its own. */
export interface EvidenceWidths {
  cell: number;
  text: number;
}

/** rows of an evidence table (detectors list up to 40 records; the first ones make the point) */
export const ROWS = 10;
/** pairs of one record (a map of shares by firm can be long) */
const PAIRS = 20;
/** items of a list of ids or numbers written out */
const ITEMS = 20;
/** records of a list written on one line */
const INLINE_RECORDS = 3;
/** records inside records, on one line: deeper than this, only how many */
const INLINE_DEPTH = 2;
/** a value's block may hold blocks (a record's tables), not deeper: those become one line */
const BLOCK_DEPTH = 2;

const ENTITY_TYPES: ReadonlySet<string> = new Set<EntityType>(['tender', 'company', 'buyer', 'invoice', 'group']);
/** numbers that name something (a line of a file, invoice numbers), not quantities: not grouped by thousands */
const NAMING_KEYS = new Set(['line', 'missingExamples']);

type Rec = Record<string, unknown>;

function isRecord(v: unknown): v is Rec {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** `{file, line}`: a row of an input, as detectors cite it. */
function isRowRef(v: Rec): boolean {
  const keys = Object.keys(v);
  return keys.length === 2 && typeof v.file === 'string' && typeof v.line === 'number';
}

/** `{type, id, name?, lot?}`: an entity, as detectors name the buyer or winner of a tender. */
function isEntityRef(v: Rec): v is Rec & Entity {
  return (
    typeof v.type === 'string' &&
    ENTITY_TYPES.has(v.type) &&
    typeof v.id === 'string' &&
    Object.entries(v).every(([k, x]) => k === 'type' || k === 'id' || ((k === 'name' || k === 'lot') && (x === undefined || typeof x === 'string')))
  );
}

/** A value written as one word or phrase: a scalar, a source row or an entity. */
function isAtom(v: unknown): boolean {
  return v === null || typeof v !== 'object' || (isRecord(v) && (isRowRef(v) || isEntityRef(v)));
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function atomText(v: unknown, key?: string): string {
  // a measure that could not be taken (no estimate, no other tenders) reads as a dash, as a missing number does
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return key && NAMING_KEYS.has(key) && Number.isInteger(v) ? String(v) : fmtNum(v);
  if (typeof v === 'string') return v;
  if (isRecord(v)) {
    if (isRowRef(v)) return `${v.file}:${v.line}`;
    if (isEntityRef(v)) return entityLabel(v);
  }
  return String(v);
}

function listText(items: string[], sep: string, limit: number): string {
  const shown = items.slice(0, limit).join(sep);
  return items.length > limit ? `${shown} … +${items.length - limit} more` : shown;
}

/** Any value on one line: atoms as words, lists joined, records as `key: value; …` in parentheses when nested. */
function inline(v: unknown, depth: number, key?: string): string {
  if (isAtom(v)) return atomText(v, key);
  if (Array.isArray(v)) {
    if (!v.length) return 'none';
    if (v.every(isAtom)) return listText(v.map((x) => atomText(x, key)), isRecord(v[0]) ? '; ' : ', ', ITEMS);
    if (depth >= INLINE_DEPTH) return plural(v.length, 'item');
    return listText(v.map((x) => (isAtom(x) ? atomText(x, key) : `(${inline(x, depth + 1, key)})`)), ', ', INLINE_RECORDS);
  }
  const entries = Object.entries(v as Rec);
  if (!entries.length) return 'none';
  if (depth >= INLINE_DEPTH) return plural(entries.length, 'field');
  return listText(entries.map(([k, x]) => `${k}: ${inline(x, depth + 1, k)}`), '; ', PAIRS);
}

/** Evidence text on one line, at most `max` characters (cut with "…"). */
export function evidenceText(v: unknown, max = 400, key?: string): string {
  return clip(inline(v, 0, key), max);
}

/** The records of a list of records, or of a list of lists of records (then numbered by their list). */
function records(v: unknown[]): { rows: Rec[]; group?: number[] } | null {
  if (v.every((x) => isRecord(x) && !isAtom(x))) return { rows: v as Rec[] };
  if (!v.every((x) => Array.isArray(x) && x.length && x.every((y) => isRecord(y) && !isAtom(y)))) return null;
  const rows: Rec[] = [];
  const group: number[] = [];
  (v as Rec[][]).forEach((list, i) => {
    for (const r of list) rows.push(r), group.push(i + 1);
  });
  return { rows, group };
}

export function columnsOf(rows: Rec[]): string[] {
  const cols: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!cols.includes(k)) cols.push(k);
  return cols;
}

function tableBlock(rows: Rec[], group: number[] | undefined, w: EvidenceWidths): EvidenceBlock {
  const cols = columnsOf(rows);
  const shown = rows.slice(0, ROWS);
  const cells = shown.map((r) => cols.map((c) => (c in r ? clip(inline(r[c], 0, c), w.cell) : '')));
  const numeric = cols.map((c) => rows.every((r) => !(c in r) || r[c] === null || typeof r[c] === 'number'));
  if (!group) return { kind: 'table', columns: cols, rows: cells, numeric, more: rows.length - shown.length };
  return { kind: 'table', columns: ['#', ...cols], rows: cells.map((r, i) => [String(group[i]), ...r]), numeric: [true, ...numeric], more: rows.length - shown.length };
}

/** One evidence value as a block. */
export function evidenceBlock(v: unknown, w: EvidenceWidths, depth = 0, key?: string): EvidenceBlock {
  const text = (): EvidenceBlock => ({ kind: 'text', text: evidenceText(v, w.text, key) });
  if (isAtom(v) || depth >= BLOCK_DEPTH) return text();
  if (Array.isArray(v)) {
    if (!v.length || v.every(isAtom)) return text();
    const recs = records(v);
    if (recs) return tableBlock(recs.rows, recs.group, w);
    const items = v.slice(0, ROWS).map((x) => evidenceBlock(x, w, depth + 1, key));
    return { kind: 'list', items, more: v.length - items.length };
  }
  const entries = Object.entries(v as Rec);
  if (!entries.length) return text();
  const pairs = entries.slice(0, PAIRS).map(([k, x]) => ({ key: k, value: evidenceBlock(x, w, depth + 1, k) }));
  return { kind: 'pairs', pairs, more: entries.length - pairs.length };
}

/** The blocks of a finding's evidence, key by key. */
export function evidenceBlocks(evidence: Rec, w: EvidenceWidths): { key: string; value: EvidenceBlock }[] {
  return Object.entries(evidence).map(([key, v]) => ({ key, value: evidenceBlock(v, w, 0, key) }));
}
