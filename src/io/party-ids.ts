/**
 * How a firm or buyer id column is read: as Vietnamese tax codes (normalised, so that bids, invoices and
 * companies join) or as written. Decided once per column, from its distinct values and how many rows
 * hold each, never from a value's shape alone: any 9, 10, 12 or 13 digits look like a tax code (a DUNS or
 * SIREN has 9, a Thai taxpayer id 13), and about 1 random 10-digit number in 11 passes the check digit,
 * whereas nearly every code of a Vietnamese export passes it.
 *
 * - The column is read as tax codes when more than half of its rows (12-digit personal ids aside, which
 *   carry no check digit) hold a value that passes the check digit.
 * - In such a column each value is judged on its own: one that only needs cleaning (`vn0100233488`,
 *   `MST: 0100 233 488`, `0314409058 - 002`) is normalised; one whose digits would change (a lost leading
 *   zero restored, 13 digits cut into root and branch) only when the result passes the check digit, else it
 *   is kept as written. Values with no tax-code shape (a consortium named "Liên danh …") are kept as written
 *   and listed, and so are codes that fail the check digit.
 * - In any other column the ids are kept as written, but for a value marked Vietnamese (`vn` prefix or
 *   `MST:` label) that passes the check digit.
 * - Everywhere, spreadsheet text wrappers (`="0100233488"`, `'0100233488`) are removed, and an id in
 *   scientific notation (`1.00233E+08`, its last digits rounded away) is listed: it cannot be restored.
 */
import { isScientificId, readTaxCode, unwrapSpreadsheet } from '../normalize/taxcode.js';

/** Share of the rows that could hold a check digit which must pass it before a column is read as tax codes. */
export const TAX_CODE_ROW_SHARE = 0.5;

/** Examples kept per kind of note. */
const MAX_EXAMPLES = 5;

/** Distinct values of one kind, the rows holding them, and the first few (value, rows, local code). */
export interface IdNote {
  distinct: number;
  rows: number;
  examples: { value: string; count: number; code: number }[];
}

export interface PartyIdReading {
  /** per distinct value (local code): the id to intern */
  keys: string[];
  /** the column is read as Vietnamese tax codes */
  taxCodes: boolean;
  /** rows whose value passes the check digit, of the rows that could (blanks, placeholders such as "Khách lẻ" or "-", and 12-digit personal ids left out) */
  validRows: number;
  checkedRows: number;
  /** rows whose value had a spreadsheet wrapper removed */
  unwrappedRows: number;
  /** tax-code columns: values with a tax-code shape that fail the check digit */
  invalid: IdNote;
  /** tax-code columns: values with no tax-code shape, kept as written */
  notTaxCodes: IdNote;
  /** values in scientific notation: digits lost, kept as written */
  scientific: IdNote;
}

function note(): IdNote {
  return { distinct: 0, rows: 0, examples: [] };
}

function add(n: IdNote, value: string, count: number, code: number): void {
  n.distinct++;
  n.rows += count;
  if (n.examples.length < MAX_EXAMPLES) n.examples.push({ value, count, code });
}

/** Fewer digits than this, and not a tax code: a placeholder written instead of an id, not an id of another scheme. */
const PLACEHOLDER_DIGITS = 6;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** `values`: the distinct ids of a column as written (trimmed), in first-seen order; `rows[i]`: rows holding value i. */
export function readPartyIds(values: readonly string[], rows: ArrayLike<number>): PartyIdReading {
  const n = values.length;
  const readings = new Array<ReturnType<typeof readTaxCode>>(n);
  const written = new Array<string>(n);
  let validRows = 0;
  let checkedRows = 0;
  let personalRows = 0;
  let unwrappedRows = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const u = unwrapSpreadsheet(v);
    if (u !== v) unwrappedRows += rows[i];
    written[i] = u === '' ? v : u;
    const r = readTaxCode(u);
    readings[i] = r;
    if (r && r.valid === null) personalRows += rows[i];
    else if (!r && digitCount(u) < PLACEHOLDER_DIGITS) {
      // a placeholder for no id ("Khách lẻ", "-", "0", "N/A") says nothing about the column: like a blank
    } else {
      checkedRows += rows[i];
      if (r?.valid) validRows += rows[i];
    }
  }
  const taxCodes = checkedRows > 0 ? validRows > checkedRows * TAX_CODE_ROW_SHARE : personalRows > 0;
  const invalid = note();
  const notTaxCodes = note();
  const scientific = note();
  const keys = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = readings[i];
    const w = written[i];
    if (!r && isScientificId(w)) add(scientific, values[i], rows[i], i);
    if (!taxCodes) {
      keys[i] = r && r.marked && r.valid ? r.id : w;
      continue;
    }
    if (!r) {
      keys[i] = w;
      if (!isScientificId(w)) add(notTaxCodes, values[i], rows[i], i);
    } else if (r.valid === false) {
      // a code with a bad check digit: cleaned when its digits stay as written, else kept as written
      keys[i] = r.reshaped ? w : r.id;
      add(invalid, values[i], rows[i], i);
    } else keys[i] = r.id;
  }
  return { keys, taxCodes, validRows, checkedRows, unwrappedRows, invalid, notTaxCodes, scientific };
}
