/**
 * Vietnamese tax codes (mã số thuế): 10 digits for an enterprise, 10 digits + `-` + 3 digits for a
 * branch (sharing its parent's first 10 digits), or a 12-digit personal id. Exports add a `vn` prefix,
 * `MST:`, spaces or dots, drop the dash of a branch, or lose the leading zero.
 *
 * Check digit of the 10-digit root: weights 31,29,23,19,17,13,7,5,3 on digits 1–9;
 * check = 10 − (sum mod 11); a result of 10 means the code is invalid.
 */

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const FLOAT_ARTEFACT = /^(\d+)\.0+$/;
const MST_PREFIX = /^m[aã]?\s*s[oố]?\s*t(?:hu[eế])?\s*[:.]?\s*/i;
const NOISE = /[\s.\u00a0\u202f]/g;
const BRANCH = /^(\d{9,10})-(\d{3})$/;
const SCIENTIFIC = /^\d(?:[.,]\d+)?e\+?\d{1,2}$/i;

/**
 * The value inside a spreadsheet's text wrappers: `="0100233488"` (a formula Excel users write to keep
 * the leading zero) and a leading apostrophe (`'0100233488`, Excel's text marker). Anything else as given.
 */
export function unwrapSpreadsheet(raw: string): string {
  const c = raw.charCodeAt(0);
  if (c === 61 /* = */ && raw.length > 3 && raw.charCodeAt(1) === 34 && raw.charCodeAt(raw.length - 1) === 34) {
    const inner = raw.slice(2, -1);
    return inner.indexOf('"') < 0 ? inner.trim() : raw;
  }
  if (c === 39 /* ' */ && raw.length > 1 && raw.charCodeAt(raw.length - 1) !== 39) return raw.slice(1).trim();
  return raw;
}

/** An id a spreadsheet turned into a number in scientific notation (`1.00233E+08`): its last digits are lost. */
export function isScientificId(s: string): boolean {
  return s.length <= 16 && SCIENTIFIC.test(s);
}

export interface TaxCodeReading {
  /** normalised form */
  id: string;
  /** the 10-digit root passes its check digit; null for a 12-digit personal id, which carries none */
  valid: boolean | null;
  /** digits were changed, not only cleaned: a lost leading zero restored, or 13 digits cut into root + branch */
  reshaped: boolean;
  /** written with a Vietnamese mark: a `vn` prefix or an `MST:` label */
  marked: boolean;
}

/**
 * A value read as a Vietnamese tax code (spreadsheet wrappers removed), or null when it has no tax-code
 * shape. Whether it is one is for the caller to judge: any 9, 10, 12 or 13 digits have the shape, and
 * about 1 random 10-digit number in 11 passes the check digit.
 */
export function readTaxCode(raw: string): TaxCodeReading | null {
  if (raw.length === 10 && allDigits(raw)) return { id: raw, valid: taxCodeCheckValid(raw), reshaped: false, marked: false };
  let s = unwrapSpreadsheet(raw.trim());
  if (s === '') return null;
  const f = FLOAT_ARTEFACT.exec(s);
  if (f) s = f[1]; // "100233488.0" from a spreadsheet
  const before = s.length;
  s = s.replace(MST_PREFIX, '');
  let marked = s.length !== before;
  s = s.replace(NOISE, '');
  if (s.length > 2 && (s.charCodeAt(0) | 32) === 118 /* v */ && (s.charCodeAt(1) | 32) === 110 /* n */) {
    s = s.slice(2);
    marked = true;
  }
  let id: string;
  let reshaped = false;
  if (allDigits(s)) {
    switch (s.length) {
      case 9:
        id = '0' + s;
        reshaped = true;
        break;
      case 10:
      case 12:
        id = s;
        break;
      case 13:
        id = `${s.slice(0, 10)}-${s.slice(10)}`;
        reshaped = true;
        break;
      default:
        return null;
    }
  } else {
    const b = BRANCH.exec(s);
    if (!b) return null;
    reshaped = b[1].length === 9;
    id = `${reshaped ? '0' + b[1] : b[1]}-${b[2]}`;
  }
  const valid = id.length === 12 ? null : taxCodeCheckValid(id.slice(0, 10));
  return { id, valid, reshaped, marked };
}

/**
 * The normalised tax code (`0100233488`, `0100233488-001`, or a 12-digit personal id), or null when
 * the value does not have the shape of a tax code. Idempotent on its own output.
 */
export function cleanTaxCode(raw: string): string | null {
  if (raw.length === 10 && allDigits(raw)) return raw;
  return readTaxCode(raw)?.id ?? null;
}

/** The check digit for 9 digits, or 10 when no digit can make them valid. */
function checkDigit(first9: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += WEIGHTS[i] * (first9.charCodeAt(i) - 48);
  return 10 - (sum % 11);
}

/** Whether a 10-digit code's last digit matches its check digit. */
export function taxCodeCheckValid(code10: string): boolean {
  if (code10.length !== 10 || !allDigits(code10)) return false;
  const check = checkDigit(code10);
  return check !== 10 && check === code10.charCodeAt(9) - 48;
}

export interface TaxCodeInfo {
  /** normalised form */
  id: string;
  /** first 10 digits (the enterprise), or the personal id */
  root: string;
  /** 3-digit branch suffix */
  branch: string | null;
  kind: 'enterprise' | 'branch' | 'personal';
  /** check digit of the root; null for personal ids, which carry none */
  valid: boolean | null;
}

export function taxCodeInfo(raw: string): TaxCodeInfo | null {
  const id = cleanTaxCode(raw);
  if (id === null) return null;
  if (id.length === 12) return { id, root: id, branch: null, kind: 'personal', valid: null };
  const root = id.slice(0, 10);
  const valid = taxCodeCheckValid(root);
  if (id.length === 14) return { id, root, branch: id.slice(11), kind: 'branch', valid };
  return { id, root, branch: null, kind: 'enterprise', valid };
}

/** The enterprise a normalised id belongs to: the first 10 digits of a branch code, else the id itself. */
export function taxRoot(id: string): string {
  return id.length === 14 && id.charCodeAt(10) === 45 && allDigits(id.slice(0, 10)) ? id.slice(0, 10) : id;
}

/**
 * A valid 10-digit tax code from 9 digits. When no check digit exists for them, the 9th digit is
 * increased by one (9 → 0), which always yields digits that have one.
 */
export function makeTaxCode(first9: string): string {
  if (first9.length !== 9 || !allDigits(first9)) throw new Error(`makeTaxCode needs 9 digits, got "${first9}"`);
  let digits = first9;
  let check = checkDigit(digits);
  if (check === 10) {
    digits = digits.slice(0, 8) + String((digits.charCodeAt(8) - 48 + 1) % 10);
    check = checkDigit(digits);
  }
  return digits + String(check);
}
