import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanTaxCode, makeTaxCode, taxCodeCheckValid, taxCodeInfo, taxRoot } from '../../src/normalize/taxcode.js';

describe('cleanTaxCode', () => {
  it.each([
    ['0100233488', '0100233488'],
    [' 0100233488 ', '0100233488'],
    ['vn0100233488', '0100233488'],
    ['VN0100233488', '0100233488'],
    ['VN 0100233488', '0100233488'],
    ['100233488', '0100233488'],
    ['vn100233488', '0100233488'],
    ['100233488.0', '0100233488'],
    ['0100 233 488', '0100233488'],
    ['0100.233.488', '0100233488'],
    ['MST: 0100233488', '0100233488'],
    ['MST:0100233488', '0100233488'],
    ['mst 0100233488', '0100233488'],
    ['Mã số thuế: 0100233488', '0100233488'],
    ['0100233488-001', '0100233488-001'],
    ['0100233488001', '0100233488-001'],
    ['100233488-001', '0100233488-001'],
    ['vn0100233488-001', '0100233488-001'],
    ['0100233488 - 001', '0100233488-001'],
    ['001085012345', '001085012345'],
  ])('%j → %j', (raw, expected) => {
    expect(cleanTaxCode(raw)).toBe(expected);
  });

  it.each(['', '   ', 'H.MEYER', '1305', '12345678', '01002334881', '01002334880012', '0100233488-01', 'abc0100233488', '0100233488x', 'vn', '0100-233488'])(
    '%j is not a tax code',
    (raw) => {
      expect(cleanTaxCode(raw)).toBeNull();
    },
  );

  it('is idempotent on its output', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^(vn|VN|MST: )?\d{9,13}(-\d{3})?$/), (raw) => {
        const once = cleanTaxCode(raw);
        if (once !== null) expect(cleanTaxCode(once)).toBe(once);
      }),
    );
  });
});

describe('taxCodeCheckValid', () => {
  it('accepts the documented valid codes and rejects the invalid one', () => {
    expect(taxCodeCheckValid('0100233488')).toBe(true);
    expect(taxCodeCheckValid('0314409058')).toBe(true);
    expect(taxCodeCheckValid('0100233480')).toBe(false);
  });

  it('rejects anything but 10 digits', () => {
    expect(taxCodeCheckValid('100233488')).toBe(false);
    expect(taxCodeCheckValid('0100233488-001')).toBe(false);
    expect(taxCodeCheckValid('01002334a8')).toBe(false);
  });

  it('treats a computed check of 10 as invalid whatever the last digit', () => {
    // find 9 digits whose weighted sum is divisible by 11
    let first9 = '';
    for (let n = 0; n < 1_000_000 && !first9; n++) {
      const s = String(n).padStart(9, '0');
      const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
      if (w.reduce((a, x, i) => a + x * Number(s[i]), 0) % 11 === 0) first9 = s;
    }
    for (let d = 0; d <= 9; d++) expect(taxCodeCheckValid(first9 + d)).toBe(false);
    const made = makeTaxCode(first9);
    expect(taxCodeCheckValid(made)).toBe(true);
    expect(made.slice(0, 8)).toBe(first9.slice(0, 8));
  });
});

describe('taxCodeInfo and taxRoot', () => {
  it('describes enterprises, branches and personal ids', () => {
    expect(taxCodeInfo('vn0100233488')).toEqual({ id: '0100233488', root: '0100233488', branch: null, kind: 'enterprise', valid: true });
    expect(taxCodeInfo('0100233480')).toEqual({ id: '0100233480', root: '0100233480', branch: null, kind: 'enterprise', valid: false });
    expect(taxCodeInfo('0314409058-002')).toEqual({ id: '0314409058-002', root: '0314409058', branch: '002', kind: 'branch', valid: true });
    expect(taxCodeInfo('001085012345')).toEqual({ id: '001085012345', root: '001085012345', branch: null, kind: 'personal', valid: null });
    expect(taxCodeInfo('H.MEYER')).toBeNull();
  });

  it('taxRoot gives the parent of a branch and leaves other ids alone', () => {
    expect(taxRoot('0100233488-001')).toBe('0100233488');
    expect(taxRoot('0100233488')).toBe('0100233488');
    expect(taxRoot('001085012345')).toBe('001085012345');
    expect(taxRoot('H.MEYER')).toBe('H.MEYER');
    expect(taxRoot('ABCDEFGHIJ-001')).toBe('ABCDEFGHIJ-001');
  });
});

describe('makeTaxCode', () => {
  const nine = fc.stringMatching(/^\d{9}$/);

  it('reproduces the documented codes', () => {
    expect(makeTaxCode('010023348')).toBe('0100233488');
    expect(makeTaxCode('031440905')).toBe('0314409058');
  });

  it('rejects anything but 9 digits', () => {
    expect(() => makeTaxCode('12345678')).toThrow();
    expect(() => makeTaxCode('12345678a')).toThrow();
  });

  it('always builds a valid code, deterministically', () => {
    fc.assert(
      fc.property(nine, (first9) => {
        const code = makeTaxCode(first9);
        expect(code).toMatch(/^\d{10}$/);
        expect(taxCodeCheckValid(code)).toBe(true);
        expect(makeTaxCode(first9)).toBe(code);
        expect(code.slice(0, 8)).toBe(first9.slice(0, 8));
      }),
      { numRuns: 2000 },
    );
  });

  it('every single-digit change of digits 1–9 is detected', () => {
    // Each weight is non-zero mod 11 and a digit changes by less than 11, so the weighted sum mod 11
    // always moves: the old check digit no longer fits (or no check digit exists).
    fc.assert(
      fc.property(nine, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (first9, pos, delta) => {
        const code = makeTaxCode(first9);
        const d = (Number(code[pos]) + delta) % 10;
        const changed = code.slice(0, pos) + d + code.slice(pos + 1);
        expect(changed).not.toBe(code);
        expect(taxCodeCheckValid(changed)).toBe(false);
      }),
      { numRuns: 3000 },
    );
  });

  it('every code with a valid check digit is the one makeTaxCode builds from its first 9 digits (when no bump is needed)', () => {
    fc.assert(
      fc.property(nine, fc.integer({ min: 0, max: 9 }), (first9, last) => {
        const code = first9 + last;
        if (taxCodeCheckValid(code)) expect(makeTaxCode(first9)).toBe(code);
      }),
      { numRuns: 2000 },
    );
  });
});
