/**
 * Communities of a weighted undirected graph on integer nodes: Louvain (graphology) with a seeded random
 * generator and nodes and edges inserted in sorted order, so the same input always gives the same
 * communities.
 */
import { UndirectedGraph } from 'graphology';
import louvainImport from 'graphology-communities-louvain';

type Louvain = (g: UndirectedGraph, o: { rng: () => number; resolution: number; getEdgeWeight: string }) => Record<string, number>;
// the package is CommonJS: at run time the default import is the function itself
const louvain = ((louvainImport as unknown as { default?: Louvain }).default ?? louvainImport) as unknown as Louvain;

export interface WeightedEdge {
  a: number;
  b: number;
  w: number;
}

/** mulberry32: a small seeded generator in [0, 1). */
export function seededRng(seed: number): () => number {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Connected components (each sorted, listed by smallest node). */
export function components(edges: WeightedEdge[]): number[][] {
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    let y = x;
    while (parent.get(y)! !== r) {
      const next = parent.get(y)!;
      parent.set(y, r);
      y = next;
    }
    return r;
  };
  for (const e of edges) {
    if (!parent.has(e.a)) parent.set(e.a, e.a);
    if (!parent.has(e.b)) parent.set(e.b, e.b);
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra !== rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
  }
  const groups = new Map<number, number[]>();
  for (const x of [...parent.keys()].sort((p, q) => p - q)) {
    const r = find(x);
    let g = groups.get(r);
    if (!g) groups.set(r, (g = []));
    g.push(x);
  }
  return [...groups.values()].sort((p, q) => p[0] - q[0]);
}

/**
 * Louvain communities of the graph, each a sorted list of nodes, listed by smallest node. Isolated nodes
 * do not appear. Components of up to `direct` nodes are returned whole without running Louvain.
 */
export function communities(edges: WeightedEdge[], opts: { seed?: number; resolution?: number; direct?: number } = {}): number[][] {
  const out: number[][] = [];
  const byComponent = components(edges);
  const compOf = new Map<number, number>();
  byComponent.forEach((c, i) => c.forEach((x) => compOf.set(x, i)));
  const edgesOf: WeightedEdge[][] = byComponent.map(() => []);
  for (const e of edges) edgesOf[compOf.get(e.a)!].push(e);
  byComponent.forEach((nodes, i) => {
    if (nodes.length <= (opts.direct ?? 3)) {
      out.push(nodes);
      return;
    }
    const g = new UndirectedGraph();
    for (const x of nodes) g.addNode(String(x));
    const sorted = edgesOf[i].slice().sort((p, q) => Math.min(p.a, p.b) - Math.min(q.a, q.b) || Math.max(p.a, p.b) - Math.max(q.a, q.b));
    for (const e of sorted) {
      const key = `${Math.min(e.a, e.b)}-${Math.max(e.a, e.b)}`;
      if (e.a === e.b || g.hasEdge(key)) continue;
      g.addUndirectedEdgeWithKey(key, String(e.a), String(e.b), { weight: e.w });
    }
    const mapping = louvain(g, { rng: seededRng(opts.seed ?? 1), resolution: opts.resolution ?? 1, getEdgeWeight: 'weight' });
    const groups = new Map<number, number[]>();
    for (const x of nodes) {
      const c = mapping[String(x)];
      let l = groups.get(c);
      if (!l) groups.set(c, (l = []));
      l.push(x);
    }
    for (const l of groups.values()) out.push(l.sort((p, q) => p - q));
  });
  return out.sort((p, q) => p[0] - q[0]);
}
