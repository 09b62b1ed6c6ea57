import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDataset } from '../../src/io/dataset.js';
import { digitDict, digitKeysOf } from '../../src/util/digit-dict.js';
import { Interner } from '../../src/util/interner.js';

const digitForm = fc
  .tuple(fc.constantFrom('', 'HD', 'C23T', 'Mã-', 'x/', '😀'), fc.stringMatching(/^[0-9]{1,14}$/))
  .map(([p, d]) => p + d);

/** Intern in both modes; the on-demand dictionary must read exactly as the strings. */
function both(xs: string[]) {
  const plain = new Interner();
  const lazy = new Interner(true);
  const a = xs.map((s) => plain.intern(s));
  const b = xs.map((s) => lazy.intern(s));
  return { plain, lazy, a, b };
}

describe('on-demand dictionaries (ids kept as numbers)', () => {
  it('give the same ids and read back every string as written, leading zeros and all', () => {
    fc.assert(
      fc.property(fc.array(digitForm, { maxLength: 200 }), (xs) => {
        const { plain, lazy, a, b } = both(xs);
        expect(b).toEqual(a);
        expect(lazy.size).toBe(plain.size);
        expect(lazy.values).toEqual([]); // no strings kept
        const dict = digitDict(lazy.digitKeys()!);
        expect(dict.length).toBe(plain.values.length);
        expect([...dict]).toEqual(plain.values);
        for (let i = 0; i < dict.length; i++) expect(dict[i]).toBe(plain.values[i]);
      }),
    );
    const edge = ['00000000000000', '99999999999999', '0', 'HD000000000', 'HD1000000000', 'A00001234567890', 'A0001234567890'];
    const { plain, lazy } = both(edge);
    expect([...digitDict(lazy.digitKeys()!)]).toEqual(plain.values);
    expect(plain.values).toEqual(edge);
  });

  it('bring the strings back when a value of another form comes, keeping ids', () => {
    const xs = ['HD001', 'HD002', 'HD001', 'no digits', 'HD003', 'no digits', 'HD002', '12 34'];
    const { plain, lazy, a, b } = both(xs);
    expect(b).toEqual(a);
    expect(lazy.digitKeys()).toBeNull();
    expect(lazy.values).toEqual(plain.values);
    expect(lazy.values).toEqual(['HD001', 'HD002', 'no digits', 'HD003', '12 34']);
    expect(lazy.lookup('HD003')).toBe(3);
  });

  it('read as an array: index, length, in, iteration, map, indexOf, JSON; read only', () => {
    const it = new Interner(true);
    for (const s of ['HD000000007', 'HD000000008', 'K1']) it.intern(s);
    const dict = digitDict(it.digitKeys()!);
    expect(Array.isArray(dict)).toBe(true);
    expect(dict.length).toBe(3);
    expect(dict[1]).toBe('HD000000008');
    expect(dict[3]).toBeUndefined();
    expect(dict[-1 as number]).toBeUndefined();
    expect(1 in dict).toBe(true);
    expect(3 in dict).toBe(false);
    expect(dict.map((s) => s.length)).toEqual([11, 11, 2]);
    expect(dict.indexOf('K1')).toBe(2);
    expect(JSON.stringify(dict)).toBe('["HD000000007","HD000000008","K1"]');
    expect(Array.from(dict)).toEqual(['HD000000007', 'HD000000008', 'K1']);
    expect(() => {
      'use strict';
      dict[0] = 'x';
    }).toThrow(TypeError);
    expect(dict[0]).toBe('HD000000007');
    expect(digitKeysOf(dict)).toBeDefined();
    expect(digitKeysOf(['a'])).toBeUndefined();
  });

  it('hold the invoice ids a loader reads, as numbers when every id is prefix + digits', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-digit-dict-'));
    const head = 'invoice_id,number,issue_date,seller_id,amount\n';
    const digits = join(dir, 'digits.csv');
    writeFileSync(digits, head + 'HD0007,1,2024-01-02,0101,5\nHD0008,2,2024-01-02,0101,6\nHD0007,3,2024-01-03,0101,7\n,4,2024-01-03,0101,8\n');
    const mixed = join(dir, 'mixed.csv');
    writeFileSync(mixed, head + 'HD0007,1,2024-01-02,0101,5\nINV-A,2,2024-01-02,0101,6\n');
    const read = async (path: string) => (await loadDataset([{ kind: 'invoices', path }])).dataset.invoices!;
    const t = await read(digits);
    const col = t.str('invoice_id')!;
    expect(digitKeysOf(col.dict)).toBeDefined();
    expect(Array.from(col.codes)).toEqual([0, 1, 0, -1]);
    expect([0, 1, 2, 3].map((r) => t.text('invoice_id', r))).toEqual(['HD0007', 'HD0008', 'HD0007', '']);
    // other key columns keep their strings
    expect(digitKeysOf(t.str('number')!.dict)).toBeUndefined();
    const m = await read(mixed);
    expect(digitKeysOf(m.str('invoice_id')!.dict)).toBeUndefined();
    expect(m.str('invoice_id')!.dict).toEqual(['HD0007', 'INV-A']);
  });
});
