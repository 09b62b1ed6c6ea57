/**
 * Every row of the companies table for each firm. Registry and shareholder extracts often give one row
 * per member or per change (the company id repeated); `data.companyRow` keeps the first row only, so
 * detectors that read values spread over rows (owners) or that may differ between them (registration
 * date) read all of them here.
 */
import type { Dataset } from '../model/dataset.js';

export interface CompanyRows {
  /** CSR: the rows of party p are rows[start[p] .. start[p+1]), in file order */
  start: Int32Array;
  rows: Int32Array;
  /** firms with more than one row, and the rows they have between them */
  repeatedIds: number;
  repeatedRows: number;
}

export function companyRows(data: Dataset): CompanyRows {
  const P = data.parties.size;
  const ids = data.companies?.party('company_id');
  const start = new Int32Array(P + 1);
  if (!ids) return { start, rows: new Int32Array(0), repeatedIds: 0, repeatedRows: 0 };
  for (let r = 0; r < ids.length; r++) if (ids[r] >= 0) start[ids[r] + 1]++;
  let repeatedIds = 0;
  let repeatedRows = 0;
  for (let p = 0; p < P; p++) {
    if (start[p + 1] > 1) {
      repeatedIds++;
      repeatedRows += start[p + 1];
    }
    start[p + 1] += start[p];
  }
  const fill = start.slice(0, P);
  const rows = new Int32Array(start[P]);
  for (let r = 0; r < ids.length; r++) if (ids[r] >= 0) rows[fill[ids[r]]++] = r;
  return { start, rows, repeatedIds, repeatedRows };
}

/** "3 company ids appear on more than one row (7 rows): …" or null. */
export function repeatedNote(cr: CompanyRows, what: string): string | null {
  if (!cr.repeatedIds) return null;
  return `${cr.repeatedIds} company id${cr.repeatedIds === 1 ? '' : 's'} appear${cr.repeatedIds === 1 ? 's' : ''} on more than one row of the companies file (${cr.repeatedRows} rows): ${what}`;
}
