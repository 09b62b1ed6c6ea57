import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PairTable, cobidGraph, expectedCobids, sharedUnits } from '../../src/graph/cobid.js';
import { communities, components } from '../../src/graph/communities.js';
import { loadDataset } from '../../src/io/dataset.js';

const fixture = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

describe('PairTable', () => {
  it('counts pairs exactly like a Map, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 300 })), { maxLength: 3000 }), (pairs) => {
        const t = new PairTable(4);
        const m = new Map<string, number>();
        for (const [x, y] of pairs) {
          if (x === y) continue;
          const [a, b] = x < y ? [x, y] : [y, x];
          t.n[t.slot(a, b)]++;
          m.set(`${a},${b}`, (m.get(`${a},${b}`) ?? 0) + 1);
        }
        expect(t.size).toBe(m.size);
        for (const [k, n] of m) {
          const [a, b] = k.split(',').map(Number);
          expect(t.n[t.find(b, a)]).toBe(n);
        }
        expect(t.find(1000, 1001)).toBe(-1);
        const order = t.slots().map((s) => [t.a[s], t.b[s]]);
        const sorted = [...order].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
        expect(order).toEqual(sorted);
      }),
      { numRuns: 30 },
    );
  });
});

describe('co-bidding graph', () => {
  it('counts meetings and who beat whom, and is built once per dataset', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path: fixture('co-bidding-pair', 'flags.csv') }]);
    const g = cobidGraph(dataset);
    expect(cobidGraph(dataset)).toBe(g);
    const id = (s: string) => dataset.parties.interner.lookup(s);
    const s = g.pairs.find(id('LEADER'), id('COVER'));
    expect(g.pairs.n[s]).toBe(6);
    const leaderIsA = g.pairs.a[s] === id('LEADER');
    expect(leaderIsA ? g.pairs.aBeats[s] : g.pairs.bBeats[s]).toBe(6);
    expect(leaderIsA ? g.pairs.bBeats[s] : g.pairs.aBeats[s]).toBe(0);
    expect(sharedUnits(g, id('LEADER'), id('COVER')).map((u) => dataset.units.tenderId(u))).toEqual(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']);
    expect(g.pairs.find(id('LEADER'), id('INCUMB'))).toBe(-1);
    // one segment of 22 paired tenders: LEADER 6 × COVER 6 / 22
    expect(g.nUnits).toBe(22);
    expect(expectedCobids(g, id('LEADER'), id('COVER'))).toBeCloseTo(36 / 22, 10);
  });
});

describe('communities', () => {
  const edges = [
    { a: 1, b: 2, w: 5 },
    { a: 2, b: 3, w: 5 },
    { a: 1, b: 3, w: 5 },
    { a: 3, b: 4, w: 1 },
    { a: 4, b: 5, w: 5 },
    { a: 5, b: 6, w: 5 },
    { a: 4, b: 6, w: 5 },
    { a: 10, b: 11, w: 2 },
  ];
  it('finds connected components', () => {
    expect(components(edges)).toEqual([[1, 2, 3, 4, 5, 6], [10, 11]]);
  });
  it('splits two triangles joined by a weak edge, the same way every time', () => {
    const c = communities(edges, { seed: 1 });
    expect(c).toEqual([[1, 2, 3], [4, 5, 6], [10, 11]]);
    expect(communities([...edges].reverse(), { seed: 1 })).toEqual(c);
  });
});
