import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codesType, narrowCodes } from '../../src/io/columns.js';
import { loadDataset } from '../../src/io/dataset.js';
import { GrowableInt32 } from '../../src/util/growable.js';

describe('dictionary codes in the narrowest array type', () => {
  it('Int8 up to 127 entries, Int16 up to 32,767, else Int32; blanks stay -1', () => {
    expect(codesType(0)).toBe(Int8Array);
    expect(codesType(127)).toBe(Int8Array);
    expect(codesType(128)).toBe(Int16Array);
    expect(codesType(32767)).toBe(Int16Array);
    expect(codesType(32768)).toBe(Int32Array);
    const codes = Int32Array.from([0, -1, 126, 5]);
    const n8 = narrowCodes(codes, 127);
    expect(n8).toBeInstanceOf(Int8Array);
    expect(Array.from(n8)).toEqual([0, -1, 126, 5]);
    const n16 = narrowCodes(Int32Array.from([32766, -1, 0]), 32767);
    expect(n16).toBeInstanceOf(Int16Array);
    expect(Array.from(n16)).toEqual([32766, -1, 0]);
    const wide = Int32Array.from([40000, -1]);
    expect(narrowCodes(wide, 40001)).toBe(wide);
  });

  it('a growable finishes into another type across its blocks, and is left empty', () => {
    const g = new GrowableInt32(4);
    const n = 200_000; // several 64 Ki blocks
    for (let i = 0; i < n; i++) g.push((i % 300) - 1);
    const out = g.finishAs(Int16Array);
    expect(out).toBeInstanceOf(Int16Array);
    expect(out.length).toBe(n);
    let wrong = 0;
    for (let i = 0; i < n; i++) if (out[i] !== (i % 300) - 1) wrong++;
    expect(wrong).toBe(0);
    expect(g.length).toBe(0);
    // into its own type, finish() keeps the rows readable as before
    const h = new GrowableInt32(4);
    for (let i = 0; i < 10; i++) h.push(i);
    const same = h.finishAs(Int32Array);
    expect(Array.from(same)).toEqual([...Array(10).keys()]);
    expect(h.get(9)).toBe(9);
  });

  it('the loader gives each dictionary column the type its dictionary needs, reading the same values', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-codes-'));
    const path = join(dir, 'invoices.csv');
    const rows = Array.from({ length: 300 }, (_, i) => `HD${i},${i % 200},S${i % 3},2024-01-02,0101,B Co ${i % 150},02${i % 150},5,${i % 2 ? 'original' : ''}`);
    writeFileSync(path, 'invoice_id,number,series,issue_date,seller_id,buyer_name,buyer_id,amount,status\n' + rows.join('\n') + '\n');
    const t = (await loadDataset([{ kind: 'invoices', path }])).dataset.invoices!;
    expect(t.str('status')!.codes).toBeInstanceOf(Int8Array);
    expect(t.str('series')!.codes).toBeInstanceOf(Int8Array);
    expect(t.str('number')!.codes).toBeInstanceOf(Int16Array);
    expect(t.str('buyer_name')!.codes).toBeInstanceOf(Int16Array);
    expect(t.str('invoice_id')!.codes).toBeInstanceOf(Int16Array);
    expect([0, 1, 2, 299].map((r) => [t.text('status', r), t.text('number', r), t.text('series', r), t.text('buyer_name', r)])).toEqual([
      ['', '0', 'S0', 'B Co 0'],
      ['original', '1', 'S1', 'B Co 1'],
      ['', '2', 'S2', 'B Co 2'],
      ['original', '99', 'S2', 'B Co 149'],
    ]);
    expect(t.str('status')!.codes[0]).toBe(-1);
  });
});
