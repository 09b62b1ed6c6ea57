import { describe, expect, it } from 'vitest';
import { GrowableFloat64, GrowableInt32, GrowableInt8 } from '../../src/util/growable.js';

describe('Growable arrays', () => {
  it('keep every pushed value in order across the single-buffer and block stages', () => {
    const g = new GrowableInt32(3);
    const n = 200_003; // three full blocks of 65,536 and a partial one
    for (let i = 0; i < n; i++) g.push(i * 7 - 5);
    expect(g.length).toBe(n);
    const a = g.finish();
    expect(a).toBeInstanceOf(Int32Array);
    expect(a.length).toBe(n);
    for (let i = 0; i < n; i += 9973) expect(a[i]).toBe(i * 7 - 5);
    expect(a[65_535]).toBe(65_535 * 7 - 5);
    expect(a[65_536]).toBe(65_536 * 7 - 5);
    expect(a[n - 1]).toBe((n - 1) * 7 - 5);
    expect(a.buffer.byteLength).toBe(n * 4);
  });

  it('get and set reach values in full blocks and in the open one', () => {
    const g = new GrowableFloat64(1024);
    for (let i = 0; i < 140_000; i++) g.push(i + 0.5);
    expect(g.get(10)).toBe(10.5);
    expect(g.get(70_000)).toBe(70_000.5);
    expect(g.get(139_999)).toBe(139_999.5);
    g.set(10, -1);
    g.set(131_072, -2);
    g.set(139_999, -3);
    const a = g.finish();
    expect([a[10], a[131_072], a[139_999], a[11]]).toEqual([-1, -2, -3, 11.5]);
  });

  it('finishes empty and tiny arrays exactly', () => {
    expect(new GrowableInt8().finish().length).toBe(0);
    const g = new GrowableInt8(1);
    g.push(1);
    g.push(-1);
    g.push(5);
    expect([...g.finish()]).toEqual([1, -1, 5]);
  });

  it('can be written on and finished again after finish()', () => {
    for (const n of [0, 5, 70_000]) {
      const g = new GrowableInt32(2);
      for (let i = 0; i < n; i++) g.push(i);
      const a = g.finish();
      for (let i = 0; i < 66_000; i++) g.push(-i);
      const b = g.finish();
      expect(a.length).toBe(n);
      expect(b.length).toBe(n + 66_000);
      if (n > 0) expect([b[0], b[n - 1], a[n - 1]]).toEqual([0, n - 1, n - 1]);
      expect([b[n], b[n + 65_999]]).toEqual([0, -65_999]);
      expect(g.get(n + 1)).toBe(-1);
    }
  });
});
