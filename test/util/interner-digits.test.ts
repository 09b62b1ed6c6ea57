import { describe, expect, it } from 'vitest';
import { Interner } from '../../src/util/interner.js';

describe('Interner digit-suffix table', () => {
  it('keeps ids stable through growth for sequential ids, restarting series and leading zeros', () => {
    const it = new Interner();
    const xs: string[] = [];
    for (let i = 1; i <= 40_000; i++) xs.push(`HD${String(i).padStart(9, '0')}`); // sequential, one prefix
    for (let s = 0; s < 50; s++) for (let n = 1; n <= 300; n++) xs.push(`C23T${s}${n}`); // restarting series: prefixes share values
    for (let i = 0; i < 5_000; i++) xs.push(String(i * 65_536), String(i * 65_536).padStart(12, '0')); // spaced keys, leading zeros
    xs.push('99999999999999', '00000000000000', '4294967296', '4294967295', 'X4294967296');
    const ids = xs.map((s) => it.intern(s));
    const first = new Map<string, number>();
    const wrong: string[] = [];
    xs.forEach((s, i) => {
      if (!first.has(s)) first.set(s, ids[i]);
      if (ids[i] !== first.get(s)) wrong.push(s);
    });
    expect(wrong).toEqual([]);
    expect(it.size).toBe(first.size);
    // ids are dense, in first-seen order, and read back as written
    expect([...first.values()]).toEqual([...Array(first.size).keys()]);
    for (const [s, id] of first) if (it.values[id] !== s || it.lookup(s) !== id) wrong.push(s);
    expect(wrong).toEqual([]);
    expect(it.lookup('HD000040001')).toBe(-1);
    expect(it.lookup('HD00000001')).toBe(-1);
    expect(it.lookup('C23T99999')).toBe(-1);
    expect(it.intern('HD000000001')).toBe(0);
  });
});
