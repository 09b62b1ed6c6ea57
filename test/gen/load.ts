import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { generate, type GenerateOptions, type Summary } from '../../bench/gen/index.js';

export type Row = Record<string, string>;

export interface Dataset {
  dir: string;
  summary: Summary;
  bids: Row[];
  bidsVn: Row[];
  companies: Row[];
  invoices: Row[];
  truth: Row[];
}

export function readCsv(path: string, delimiter = ','): Row[] {
  return parse(readFileSync(path), { columns: true, delimiter, bom: true, skip_empty_lines: true, relax_column_count: false }) as Row[];
}

const created: string[] = [];

export function tmp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `redflag-gen-${prefix}-`));
  created.push(dir);
  return dir;
}

/** Remove every directory made by tmp() in this test file. */
export function cleanup(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

export async function build(opts: Omit<GenerateOptions, 'out'>, prefix = 'ds'): Promise<Dataset> {
  const dir = tmp(prefix);
  const summary = await generate({ ...opts, out: dir });
  return {
    dir,
    summary,
    bids: readCsv(join(dir, 'bids.csv')),
    bidsVn: opts.splitVn ? readCsv(join(dir, 'bids-vn.csv'), ';') : [],
    companies: readCsv(join(dir, 'companies.csv')),
    invoices: readCsv(join(dir, 'invoices.csv')),
    truth: readCsv(join(dir, 'truth.csv')),
  };
}

export function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    let a = m.get(k);
    if (!a) m.set(k, (a = []));
    a.push(r);
  }
  return m;
}

/** Truth rows of one scheme and entity type, as a set of ids. */
export function truthIds(ds: Dataset, scheme: string, type: string): Set<string> {
  return new Set(ds.truth.filter((t) => t.scheme === scheme && t.entity_type === type).map((t) => t.entity_id));
}

/** `1.234.567` → 1234567 */
export function vnNumber(s: string): number {
  return s === '' ? NaN : Number(s.replace(/\./g, ''));
}

/** `dd/mm/yyyy[ hh:mm]` → `yyyy-mm-dd[Thh:mm:00]` */
export function vnDateToIso(s: string): string {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2}))?$/.exec(s);
  if (!m) return '';
  return m[4] ? `${m[3]}-${m[2]}-${m[1]}T${m[4]}:${m[5]}:00` : `${m[3]}-${m[2]}-${m[1]}`;
}
