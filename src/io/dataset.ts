/**
 * Reading every input of a run into one Dataset: files of one kind are concatenated, ids of every table
 * share one party dictionary so that bids, tenders, invoices and companies join.
 */
import { Dataset, Parties, type InputInfo } from '../model/dataset.js';
import type { TableKind } from '../model/schema.js';
import { concatTables, type Table } from '../model/table.js';
import { InputError } from './errors.js';
import { readTable, type FileReport, type ReadOptions, type RejectedRow } from './load.js';

export interface InputSpec {
  kind: TableKind;
  path: string;
}

export interface LoadResult {
  dataset: Dataset;
  reports: FileReport[];
}

export async function loadDataset(
  specs: InputSpec[],
  opts: ReadOptions & { onFile?: (spec: InputSpec, index: number) => void } = {},
  onReject?: (r: RejectedRow) => void,
): Promise<LoadResult> {
  if (specs.filter((s) => s.path === '-').length > 1) throw new InputError('only one input can be read from standard input (-)');
  const parties = new Parties();
  const parts = new Map<TableKind, Table[]>();
  const reports: FileReport[] = [];
  const inputs: InputInfo[] = [];
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    opts.onFile?.(spec, i);
    const { table, report } = await readTable(spec.path, spec.kind, parties, i, opts, onReject);
    reports.push(report);
    inputs.push({ path: report.path, kind: spec.kind, rows: report.rows, rejected: report.rejected, columns: report.mapping.written });
    const list = parts.get(spec.kind) ?? [];
    list.push(table);
    parts.set(spec.kind, list);
  }
  const tables: Partial<Record<TableKind, Table>> = {};
  for (const [kind, list] of parts) tables[kind] = concatTables(kind, list);
  return { dataset: new Dataset(parties, tables, inputs), reports };
}

/** The files whose share of rejected rows exceeds the limit, as messages. */
export function rejectRateProblems(reports: FileReport[], maxRate: number): string[] {
  const out: string[] = [];
  for (const r of reports) {
    const total = r.rows + r.rejected;
    if (total === 0 || r.rejected === 0) continue;
    const rate = r.rejected / total;
    if (rate > maxRate)
      out.push(
        `${r.path}: ${r.rejected} of ${total} rows rejected (${(rate * 100).toFixed(1)}%, more than --max-reject-rate ${(maxRate * 100).toFixed(1)}%); ` +
          `first at line${r.rejectLines.length > 1 ? 's' : ''} ${r.rejectLines.join(', ')}: ${Object.keys(r.rejectReasons)[0]}`,
      );
  }
  return out;
}
