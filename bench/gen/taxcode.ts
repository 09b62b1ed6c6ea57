/**
 * Vietnamese tax codes (mã số thuế): 10 digits whose 10th is a check digit over the first nine
 * (weights 31,29,23,19,17,13,7,5,3; check = 10 − (sum mod 11); a result of 10 is invalid),
 * optionally followed by `-NNN` for a branch.
 */
import type { Rng } from './rng.js';

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** Check digit for the first nine digits, or -1 when no valid check digit exists. */
export function checkDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nine.charCodeAt(i) - 48) * WEIGHTS[i];
  const c = 10 - (sum % 11);
  return c === 10 ? -1 : c;
}

/** True for a valid 10-digit code or a valid code with a 3-digit branch suffix. */
export function isValidTaxCode(code: string): boolean {
  const m = /^(\d{10})(?:-(\d{3}))?$/.exec(code);
  if (!m) return false;
  const root = m[1];
  const c = checkDigit(root.slice(0, 9));
  return c >= 0 && c === root.charCodeAt(9) - 48;
}

/** Issues unique, valid tax codes. `prefix` is the 2-digit province part. */
export class TaxCodeIssuer {
  private readonly used = new Set<string>();

  issue(rng: Rng, prefix: string): string {
    for (;;) {
      let nine = prefix;
      while (nine.length < 9) nine += String(rng.int(10));
      const c = checkDigit(nine);
      if (c < 0) continue;
      const code = nine + String(c);
      if (this.used.has(code)) continue;
      this.used.add(code);
      return code;
    }
  }

  /** Next free branch code of `root` (`-001`, `-002`, …). */
  branch(root: string): string {
    for (let n = 1; ; n++) {
      const code = `${root}-${String(n).padStart(3, '0')}`;
      if (!this.used.has(code)) {
        this.used.add(code);
        return code;
      }
    }
  }
}
