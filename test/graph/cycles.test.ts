import { describe, expect, it } from 'vitest';
import { buildEdgeIndex, edgesBetween, findPair, findTemporalCycles, stronglyConnected, type CycleSearchOptions } from '../../src/graph/cycles.js';

const DAY = 86_400_000;

/** edges as [src, dst, day, amount] */
function graph(nNodes: number, edges: [number, number, number, number][]) {
  const src = Int32Array.from(edges.map((e) => e[0]));
  const dst = Int32Array.from(edges.map((e) => e[1]));
  const ms = Float64Array.from(edges.map((e) => e[2] * DAY));
  const amount = Float64Array.from(edges.map((e) => e[3]));
  return { g: buildEdgeIndex(src, dst, ms, nNodes), amount };
}

const OPTS: Omit<CycleSearchOptions, 'amount'> = {
  window: 30,
  tolerance: 0.1,
  minLength: 2,
  maxLength: 6,
  maxCycles: 100,
  maxBranching: 50,
  maxSteps: 100_000,
};

describe('edge index', () => {
  it('matches comparator sorts of a random multigraph: out-edges by (source, time, id), pairs by (source, target, time, id)', () => {
    let seed = 5;
    const rnd = (k: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % k);
    for (let round = 0; round < 20; round++) {
      const nNodes = 1 + rnd(12);
      const n = rnd(200);
      const src = Int32Array.from({ length: n }, () => rnd(nNodes + 1) - 1);
      const dst = Int32Array.from({ length: n }, () => rnd(nNodes + 1) - 1);
      const ms = Float64Array.from({ length: n }, () => (rnd(10) === 0 ? NaN : rnd(40) * DAY));
      const g = buildEdgeIndex(src, dst, ms, nNodes);
      const kept = [...Array(n).keys()].filter((e) => src[e] >= 0 && dst[e] >= 0 && src[e] !== dst[e] && !Number.isNaN(ms[e]));
      const day = (e: number) => ms[e] / DAY;
      const out = [...kept].sort((a, b) => src[a] - src[b] || day(a) - day(b) || a - b);
      const pairs = [...kept].sort((a, b) => src[a] - src[b] || dst[a] - dst[b] || day(a) - day(b) || a - b);
      expect(g.nEdges).toBe(kept.length);
      expect(Array.from(g.outEdges)).toEqual(out);
      expect(Array.from(g.pairEdges)).toEqual(pairs);
      for (let v = 0; v < nNodes; v++) expect(g.outStart[v + 1] - g.outStart[v]).toBe(kept.filter((e) => src[e] === v).length);
      const distinct = [...new Set(pairs.map((e) => `${src[e]},${dst[e]}`))];
      expect(g.pairDst.length).toBe(distinct.length);
      for (let q = 0; q < g.pairDst.length; q++) {
        const e = g.pairEdges[g.pairEdgeStart[q]];
        expect(`${src[e]},${g.pairDst[q]}`).toBe(distinct[q]);
        for (let i = g.pairEdgeStart[q]; i < g.pairEdgeStart[q + 1]; i++) expect(dst[g.pairEdges[i]]).toBe(g.pairDst[q]);
      }
      for (let v = 0; v < nNodes; v++)
        for (let q = g.pairStart[v]; q < g.pairStart[v + 1]; q++) expect(src[g.pairEdges[g.pairEdgeStart[q]]]).toBe(v);
    }
  });
  it('orders out-edges by time and groups pairs', () => {
    const { g } = graph(3, [
      [0, 1, 5, 1],
      [0, 2, 1, 1],
      [0, 1, 2, 1],
      [1, 0, 3, 1],
      [2, 2, 3, 1], // self loop: dropped
    ]);
    expect(g.nEdges).toBe(4);
    expect(Array.from(g.outEdges.subarray(g.outStart[0], g.outStart[1]))).toEqual([1, 2, 0]);
    expect(findPair(g, 0, 1)).toBeGreaterThanOrEqual(0);
    expect(findPair(g, 2, 0)).toBe(-1);
    expect(edgesBetween(g, 0, 1, 0, 100)).toEqual([2, 0]);
    expect(edgesBetween(g, 0, 1, 3, 100)).toEqual([0]);
  });
});

describe('strongly connected components', () => {
  it('finds a 3-cycle and leaves a tail on its own', () => {
    // 0 → 1 → 2 → 0, 2 → 3
    const start = Int32Array.from([0, 1, 2, 4, 4]);
    const adj = Int32Array.from([1, 2, 0, 3]);
    const { comp, count, size } = stronglyConnected(4, start, adj);
    expect(count).toBe(2);
    expect(comp[0]).toBe(comp[1]);
    expect(comp[1]).toBe(comp[2]);
    expect(comp[3]).not.toBe(comp[0]);
    expect(size[comp[0]]).toBe(3);
  });

  it('handles a long chain without recursion', () => {
    const n = 200_000;
    const start = Int32Array.from({ length: n + 1 }, (_, i) => Math.min(i, n - 1));
    const adj = Int32Array.from({ length: n - 1 }, (_, i) => i + 1);
    expect(stronglyConnected(n, start, adj).count).toBe(n);
  });
});

describe('temporal cycles', () => {
  it('finds a carousel once, from its earliest hop', () => {
    const { g, amount } = graph(3, [
      [0, 1, 10, 1000],
      [1, 2, 12, 1020],
      [2, 0, 15, 990],
    ]);
    const r = findTemporalCycles(g, { ...OPTS, amount });
    expect(r.cycles.map((c) => Array.from(c))).toEqual([[0, 1, 2]]);
  });

  it('finds a cycle that goes on to a later day whichever of its same-day hops comes first in the rows', () => {
    // 0 → 1 and 1 → 2 on day 10, 2 → 0 on day 12: only the rotation from 0 → 1 keeps hop times in order
    const inOrder = graph(3, [
      [0, 1, 10, 1000],
      [1, 2, 10, 1000],
      [2, 0, 12, 1000],
    ]);
    expect(findTemporalCycles(inOrder.g, { ...OPTS, amount: inOrder.amount }).cycles.map((c) => Array.from(c))).toEqual([[0, 1, 2]]);
    const swapped = graph(3, [
      [1, 2, 10, 1000],
      [0, 1, 10, 1000],
      [2, 0, 12, 1000],
    ]);
    expect(findTemporalCycles(swapped.g, { ...OPTS, amount: swapped.amount }).cycles.map((c) => Array.from(c))).toEqual([[1, 0, 2]]);
  });

  it('finds a cycle all on one day once, from its smallest edge id', () => {
    const { g, amount } = graph(3, [
      [1, 2, 10, 1000],
      [2, 0, 10, 1000],
      [0, 1, 10, 1000],
    ]);
    expect(findTemporalCycles(g, { ...OPTS, amount }).cycles.map((c) => Array.from(c))).toEqual([[0, 1, 2]]);
  });

  it('ignores two-way trade with unlike amounts, hops out of order and hops beyond the window', () => {
    const unlike = graph(2, [
      [0, 1, 10, 1000],
      [1, 0, 12, 700],
    ]);
    expect(findTemporalCycles(unlike.g, { ...OPTS, amount: unlike.amount }).cycles).toHaveLength(0);
    const backwards = graph(3, [
      [0, 1, 10, 1000],
      [1, 2, 8, 1000],
      [2, 0, 15, 1000],
    ]);
    expect(findTemporalCycles(backwards.g, { ...OPTS, amount: backwards.amount }).cycles).toHaveLength(0);
    const late = graph(2, [
      [0, 1, 10, 1000],
      [1, 0, 41, 1000],
    ]);
    expect(findTemporalCycles(late.g, { ...OPTS, amount: late.amount }).cycles).toHaveLength(0);
    expect(findTemporalCycles(late.g, { ...OPTS, amount: late.amount, window: 31 }).cycles).toHaveLength(1);
  });

  it('tolerance is hop to hop and inclusive', () => {
    const { g, amount } = graph(2, [
      [0, 1, 10, 1000],
      [1, 0, 11, 900],
    ]);
    expect(findTemporalCycles(g, { ...OPTS, amount }).cycles).toHaveLength(1);
    expect(findTemporalCycles(g, { ...OPTS, amount, tolerance: 0.099 }).cycles).toHaveLength(0);
  });

  it('respects the length bounds and does not revisit a node', () => {
    // 0 → 1 → 2 → 3 → 0 (length 4) and a figure of eight through 0
    const { g, amount } = graph(5, [
      [0, 1, 1, 100],
      [1, 2, 2, 100],
      [2, 3, 3, 100],
      [3, 0, 4, 100],
      [0, 4, 5, 100],
      [4, 0, 6, 100],
    ]);
    const all = findTemporalCycles(g, { ...OPTS, amount }).cycles.map((c) => c.length).sort();
    expect(all).toEqual([2, 4]);
    expect(findTemporalCycles(g, { ...OPTS, amount, maxLength: 3 }).cycles.map((c) => c.length)).toEqual([2]);
    expect(findTemporalCycles(g, { ...OPTS, amount, minLength: 3 }).cycles.map((c) => c.length)).toEqual([4]);
  });

  it('stops at the bounds and says so', () => {
    // a dense two-node component: 40 invoices each way with equal amounts
    const edges: [number, number, number, number][] = [];
    for (let i = 0; i < 40; i++) edges.push([0, 1, i, 500], [1, 0, i, 500]);
    const { g, amount } = graph(2, edges);
    const capped = findTemporalCycles(g, { ...OPTS, amount, maxCycles: 10 });
    expect(capped.cycles).toHaveLength(10);
    expect(capped.truncated).toBe(1);
    const narrow = findTemporalCycles(g, { ...OPTS, amount, maxBranching: 3, maxCycles: 1e6 });
    expect(narrow.branchingCut).toBeGreaterThan(0);
    expect(narrow.truncated).toBe(0);
  });
});

describe('temporal cycles against brute force', () => {
  /**
   * every cycle by plain enumeration: all edge sequences obeying the hop rule that return to their start;
   * a cycle all on one day is such a sequence from each of its edges, and counts once (from its smallest)
   */
  function brute(n: number, edges: [number, number, number, number][], window: number, tolerance: number, maxLength: number): string[] {
    const out: string[] = [];
    const close = (a: number, b: number) => Math.abs(a - b) <= tolerance * Math.max(a, b);
    const walk = (path: number[], nodes: number[]) => {
      const last = edges[path[path.length - 1]];
      for (let e = 0; e < edges.length; e++) {
        const [s, d, t, a] = edges[e];
        const [s0, , t0] = edges[path[0]];
        if (s !== last[1] || t < last[2] || t > last[2] + window || !close(last[3], a)) continue;
        if (d === s0) {
          if (t === t0 && Math.min(...path, e) < path[0]) continue;
          out.push([...path, e].join(','));
          continue;
        }
        if (nodes.includes(d) || path.length + 1 >= maxLength) continue;
        walk([...path, e], [...nodes, d]);
      }
    };
    for (let e = 0; e < edges.length; e++) if (edges[e][0] !== edges[e][1]) walk([e], [edges[e][0], edges[e][1]]);
    void n;
    return out.sort();
  }

  it('finds exactly the cycles of plain enumeration on random small graphs', () => {
    let seed = 7;
    let total = 0;
    const rnd = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
    for (let round = 0; round < 40; round++) {
      const n = 3 + Math.floor(rnd() * 4);
      const edges: [number, number, number, number][] = [];
      const m = 6 + Math.floor(rnd() * 14);
      for (let i = 0; i < m; i++) {
        const s = Math.floor(rnd() * n);
        let d = Math.floor(rnd() * n);
        if (d === s) d = (d + 1) % n;
        edges.push([s, d, Math.floor(rnd() * 40), 900 + Math.floor(rnd() * 250)]);
      }
      const { g, amount } = graph(n, edges);
      const got = findTemporalCycles(g, { ...OPTS, amount, window: 10, tolerance: 0.1, maxLength: 4 })
        .cycles.map((c) => Array.from(c).join(','))
        .sort();
      expect(got).toEqual(brute(n, edges, 10, 0.1, 4));
      total += got.length;
    }
    expect(total).toBeGreaterThan(10);
  });
});
