/**
 * Directed multigraphs of dated, valued edges (seller → buyer invoices) at the scale of millions of
 * edges: an edge index built with counting sorts on typed arrays (no Map or Set of edges), strongly
 * connected components of the aggregated pair graph, and a bounded search for temporal cycles in which
 * each hop follows the previous one within a window and carries a similar amount.
 */
import type { Dataset } from '../model/dataset.js';
import { VOID_INVOICE_STATUSES } from '../normalize/codes.js';
import { DAY_MS } from '../util/dates.js';
import { cached } from './dataset-cache.js';

/** A multigraph indexed two ways: out-edges by time, and distinct (src, dst) pairs with their edges. */
export interface EdgeIndex {
  nNodes: number;
  /** edges kept (those with a source, a target, a time and src ≠ dst) */
  nEdges: number;
  src: Int32Array;
  dst: Int32Array;
  /** whole days (or any integer clock) */
  time: Int32Array;
  /** out-edges of node v, sorted by (time, edge id): outEdges[outStart[v] .. outStart[v+1]) */
  outStart: Int32Array;
  outEdges: Int32Array;
  /** distinct targets of node v, sorted: pairDst[pairStart[v] .. pairStart[v+1]) */
  pairStart: Int32Array;
  pairDst: Int32Array;
  /** edges of pair p sorted by (time, edge id): pairEdges[pairEdgeStart[p] .. pairEdgeStart[p+1]) */
  pairEdgeStart: Int32Array;
  pairEdges: Int32Array;
}

/** Stable counting sort of `items` by `key[item]` (keys in [0, range)). */
function countingSort(items: Int32Array, key: (e: number) => number, range: number): Int32Array {
  const cnt = new Int32Array(range + 1);
  for (let i = 0; i < items.length; i++) cnt[key(items[i]) + 1]++;
  for (let k = 0; k < range; k++) cnt[k + 1] += cnt[k];
  const out = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const e = items[i];
    out[cnt[key(e)]++] = e;
  }
  return out;
}

/** Stable counting sort of `items` by `key[item]`, given where each key's items start (`start[k]`, ascending). */
function scatterBy(items: Int32Array, key: Int32Array, start: Int32Array): Int32Array {
  const next = start.slice(0, start.length - 1);
  const out = new Int32Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const e = items[i];
    out[next[key[e]]++] = e;
  }
  return out;
}

/**
 * Build the index. `src`/`dst` are node ids in [0, nNodes) (−1 = blank), `ms` are epoch ms (NaN =
 * blank); `keep(e)` may drop more edges (cancelled invoices). Edge ids are the positions in the arrays.
 * Time and memory are linear in edges plus nodes plus the day range.
 */
export function buildEdgeIndex(
  src: Int32Array,
  dst: Int32Array,
  ms: Float64Array,
  nNodes: number,
  keep?: (e: number) => boolean,
): EdgeIndex {
  const n = src.length;
  const time = new Int32Array(n);
  let minDay = Infinity;
  let maxDay = -Infinity;
  let kept = 0;
  const ok = new Uint8Array(n);
  for (let e = 0; e < n; e++) {
    const s = src[e];
    const t = dst[e];
    const m = ms[e];
    if (s < 0 || t < 0 || s === t || Number.isNaN(m) || (keep && !keep(e))) continue;
    const d = Math.floor(m / DAY_MS);
    time[e] = d;
    ok[e] = 1;
    kept++;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  let edges: Int32Array = new Int32Array(kept);
  for (let e = 0, k = 0; e < n; e++) if (ok[e]) edges[k++] = e;
  // how many kept edges leave and enter each node, counted in edge order (sequential reads): the histograms
  // of the three counting sorts by node below, which then only scatter
  const outStart = new Int32Array(nNodes + 1);
  const inStart = new Int32Array(nNodes + 1);
  for (let e = 0; e < n; e++)
    if (ok[e]) {
      outStart[src[e] + 1]++;
      inStart[dst[e] + 1]++;
    }
  for (let v = 0; v < nNodes; v++) {
    outStart[v + 1] += outStart[v];
    inStart[v + 1] += inStart[v];
  }

  // by time (counting sort over the day range; a comparison sort when dates span absurd ranges)
  if (kept > 0) {
    const range = maxDay - minDay + 1;
    if (range <= 4 * kept + 1_000_000) edges = countingSort(edges, (e) => time[e] - minDay, range);
    else edges.sort((a, b) => time[a] - time[b] || a - b);
  }
  const outEdges = scatterBy(edges, src, outStart);
  // by (src, dst, time): stable sorts by dst then src over the time order
  const pairEdges = scatterBy(scatterBy(edges, dst, inStart), src, outStart);
  // pairs: within a source's run of pairEdges (outStart, as both are grouped by source), a new target
  const dstAt = new Int32Array(kept);
  for (let i = 0; i < kept; i++) dstAt[i] = dst[pairEdges[i]];
  let nPairs = 0;
  for (let v = 0; v < nNodes; v++)
    for (let i = outStart[v]; i < outStart[v + 1]; i++) if (i === outStart[v] || dstAt[i] !== dstAt[i - 1]) nPairs++;
  const pairDst = new Int32Array(nPairs);
  const pairEdgeStart = new Int32Array(nPairs + 1);
  const pairStart = new Int32Array(nNodes + 1);
  for (let v = 0, q = -1; v < nNodes; v++)
    for (let i = outStart[v]; i < outStart[v + 1]; i++)
      if (i === outStart[v] || dstAt[i] !== dstAt[i - 1]) {
        q++;
        pairDst[q] = dstAt[i];
        pairEdgeStart[q] = i;
        pairStart[v + 1]++;
      }
  pairEdgeStart[nPairs] = kept;
  for (let v = 0; v < nNodes; v++) pairStart[v + 1] += pairStart[v];
  return { nNodes, nEdges: kept, src, dst, time, outStart, outEdges, pairStart, pairDst, pairEdgeStart, pairEdges };
}

/** The pair index of u → v, or −1 (binary search among u's targets). */
export function findPair(g: EdgeIndex, u: number, v: number): number {
  let lo = g.pairStart[u];
  let hi = g.pairStart[u + 1] - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const d = g.pairDst[mid];
    if (d === v) return mid;
    if (d < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** First position in `list[lo .. hi)` whose edge time is ≥ t (lists sorted by time). */
export function lowerBoundTime(g: EdgeIndex, list: Int32Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (g.time[list[mid]] < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The edges u → v with time in [from, to], in time order. */
export function edgesBetween(g: EdgeIndex, u: number, v: number, from: number, to: number): number[] {
  const p = findPair(g, u, v);
  if (p < 0) return [];
  const out: number[] = [];
  const end = g.pairEdgeStart[p + 1];
  for (let i = lowerBoundTime(g, g.pairEdges, g.pairEdgeStart[p], end, from); i < end; i++) {
    const e = g.pairEdges[i];
    if (g.time[e] > to) break;
    out.push(e);
  }
  return out;
}

export interface Components {
  /** node → component id (components numbered in order of discovery) */
  comp: Int32Array;
  count: number;
  /** component → number of nodes */
  size: Int32Array;
}

/**
 * Strongly connected components of a CSR graph (targets of v: adj[start[v] .. start[v+1])), by
 * Tarjan's algorithm with an explicit stack, so deep graphs do not overflow the call stack.
 */
export function stronglyConnected(nNodes: number, start: Int32Array, adj: Int32Array): Components {
  const index = new Int32Array(nNodes).fill(-1);
  const low = new Int32Array(nNodes);
  const comp = new Int32Array(nNodes).fill(-1);
  const stack = new Int32Array(nNodes);
  const onStack = new Uint8Array(nNodes);
  const callNode = new Int32Array(nNodes);
  const callPos = new Int32Array(nNodes);
  const sizes: number[] = [];
  let sp = 0;
  let next = 0;
  let count = 0;
  for (let root = 0; root < nNodes; root++) {
    if (index[root] >= 0) continue;
    let depth = 0;
    callNode[0] = root;
    callPos[0] = start[root];
    index[root] = low[root] = next++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callNode[depth];
      const pos = callPos[depth];
      if (pos < start[v + 1]) {
        callPos[depth] = pos + 1;
        const w = adj[pos];
        if (index[w] < 0) {
          index[w] = low[w] = next++;
          stack[sp++] = w;
          onStack[w] = 1;
          depth++;
          callNode[depth] = w;
          callPos[depth] = start[w];
        } else if (onStack[w] && index[w] < low[v]) low[v] = index[w];
        continue;
      }
      if (low[v] === index[v]) {
        let size = 0;
        let w: number;
        do {
          w = stack[--sp];
          onStack[w] = 0;
          comp[w] = count;
          size++;
        } while (w !== v);
        sizes.push(size);
        count++;
      }
      depth--;
      if (depth >= 0) {
        const u = callNode[depth];
        if (low[v] < low[u]) low[u] = low[v];
      }
    }
  }
  return { comp, count, size: Int32Array.from(sizes) };
}

export interface CycleSearchOptions {
  /** value of each edge (by edge id) */
  amount: Float64Array;
  /** each hop is dated within [previous hop, previous hop + window] */
  window: number;
  /** consecutive hops differ by at most this share of the larger amount */
  tolerance: number;
  minLength: number;
  maxLength: number;
  /** cycles kept per component before the search of that component stops */
  maxCycles: number;
  /** candidate next hops examined from one hop */
  maxBranching: number;
  /** search steps (hops tried) per component before it stops */
  maxSteps: number;
}

export interface CycleSearchResult {
  /**
   * each cycle as its edge ids in hop order, from its first hop in time; a cycle whose hops are all on one
   * day starts with its smallest edge id
   */
  cycles: Int32Array[];
  components: Components;
  /** components of at least two nodes that were searched */
  searched: number;
  /** components whose search stopped at maxCycles or maxSteps */
  truncated: number;
  /** hops from which more than maxBranching candidates were in range */
  branchingCut: number;
  steps: number;
}

/** Whether path[0] is the smallest edge id of the cycle path[0 .. depth] + last. */
function smallestFirst(path: Int32Array, depth: number, last: number): boolean {
  const e0 = path[0];
  if (last < e0) return false;
  for (let d = 1; d <= depth; d++) if (path[d] < e0) return false;
  return true;
}

/**
 * Temporal cycles e1 → e2 → … → ek (2 ≤ k ≤ maxLength) through distinct nodes: dst(ei) = src(ei+1),
 * dst(ek) = src(e1), time(ei) ≤ time(ei+1) ≤ time(ei) + window, and |a(ei+1) − a(ei)| ≤ tolerance ×
 * max(a(ei), a(ei+1)). Only edges inside one strongly connected component can be on a cycle, so the
 * search runs per component; each cycle is found once, from its first hop (of those on one day, from
 * its smallest edge id), whatever the order of the edges. The work is bounded by
 * maxBranching per hop, maxSteps and maxCycles per component; what was cut is counted.
 */
export function findTemporalCycles(g: EdgeIndex, o: CycleSearchOptions): CycleSearchResult {
  const components = stronglyConnected(g.nNodes, g.pairStart, g.pairDst);
  const { comp, size } = components;
  const { amount, window, tolerance } = o;
  const { dst, time, outEdges } = g;
  // nodes grouped by component, in node order
  const members = countingSort(
    Int32Array.from({ length: g.nNodes }, (_, i) => i),
    (v) => comp[v],
    components.count,
  );
  const compStart = new Int32Array(components.count + 1);
  for (let v = 0; v < g.nNodes; v++) compStart[comp[v] + 1]++;
  for (let c = 0; c < components.count; c++) compStart[c + 1] += compStart[c];

  const onPath = new Uint8Array(g.nNodes);
  const path = new Int32Array(o.maxLength);
  const cycles: Int32Array[] = [];
  let searched = 0;
  let truncated = 0;
  let branchingCut = 0;
  let steps = 0;

  // Candidate next hops from node v after an edge of amount a at time t are v's out-edges with an amount
  // within tolerance and a time in [t, t + window]. Out-edges are ordered by (node, amount bucket, time),
  // with buckets of width ln(1 / (1 − tolerance)), so that close amounts are in the same or a
  // neighbouring bucket: three binary searches find them without scanning a busy firm's other invoices.
  const width = Math.max(1e-4, Math.log(1 / (1 - Math.min(tolerance, 0.999))));
  // buckets computed in edge order (sequential reads, not a busy firm's edges scattered over the
  // arrays); NO_BUCKET marks edges that cannot be on a cycle
  const NO_BUCKET = -0x80000000;
  const bucket = new Int32Array(g.src.length).fill(NO_BUCKET);
  const indexed = new Uint8Array(g.src.length);
  for (let i = 0; i < outEdges.length; i++) indexed[outEdges[i]] = 1;
  let nb = 0;
  let minB = Infinity;
  for (let e = 0; e < bucket.length; e++) {
    if (!indexed[e]) continue;
    const s = g.src[e];
    if (!(amount[e] > 0) || size[comp[s]] < 2 || comp[dst[e]] !== comp[s]) continue;
    const b = Math.floor(Math.log(amount[e]) / width);
    bucket[e] = b;
    if (b < minB) minB = b;
    nb++;
  }
  let maxB = 0;
  for (let e = 0; e < bucket.length; e++)
    if (bucket[e] !== NO_BUCKET) {
      bucket[e] -= minB;
      if (bucket[e] > maxB) maxB = bucket[e];
    }
  let byBucket: Int32Array = new Int32Array(nb);
  for (let i = 0, k = 0; i < outEdges.length; i++) {
    const e = outEdges[i];
    if (bucket[e] !== NO_BUCKET) byBucket[k++] = e;
  }
  // outEdges is in (node, time) order: stable sorts by bucket, then by node
  byBucket = countingSort(countingSort(byBucket, (e) => bucket[e], maxB + 1), (e) => g.src[e], g.nNodes);
  const bStart = new Int32Array(g.nNodes + 1);
  for (let i = 0; i < nb; i++) bStart[g.src[byBucket[i]] + 1]++;
  for (let v = 0; v < g.nNodes; v++) bStart[v + 1] += bStart[v];
  /** first position in v's list at or after (bucket b, time t) */
  const seek = (v: number, b: number, t: number) => {
    let lo = bStart[v];
    let hi = bStart[v + 1];
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const e = byBucket[mid];
      if (bucket[e] < b || (bucket[e] === b && time[e] < t)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const cand = new Int32Array(o.maxLength);
  const seen = new Int32Array(o.maxLength);
  /** the bucket being read at each depth: bucket of the hop − 1 … + 1 */
  const candB = new Int32Array(o.maxLength);
  const lastB = new Int32Array(o.maxLength);
  const open = (d: number) => {
    const e = path[d];
    const v = dst[e];
    onPath[v] = 1;
    candB[d] = bucket[e] - 1;
    lastB[d] = bucket[e] + 1;
    cand[d] = seek(v, candB[d], time[e]);
    seen[d] = 0;
  };
  const close = (a: number, b: number) => Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));

  for (let c = 0; c < components.count; c++) {
    if (size[c] < 2) continue;
    searched++;
    let found = 0;
    let compSteps = 0;
    let stop = false;
    for (let k = compStart[c]; k < compStart[c + 1] && !stop; k++) {
      const startNode = members[k];
      for (let i = bStart[startNode]; i < bStart[startNode + 1] && !stop; i++) {
        const e0 = byBucket[i];
        const t0 = time[e0];
        // depth-first search with an explicit stack of (edge, next candidate position, examined)
        onPath[startNode] = 1;
        path[0] = e0;
        let depth = 0;
        open(0);
        while (depth >= 0) {
          if (compSteps >= o.maxSteps || found >= o.maxCycles) {
            stop = true;
            break;
          }
          const prev = path[depth];
          let advanced = false;
          const v = dst[prev];
          const end = bStart[v + 1];
          while (candB[depth] <= lastB[depth] && found < o.maxCycles && compSteps < o.maxSteps) {
            const pos = cand[depth];
            const e = pos < end ? byBucket[pos] : -1;
            if (e < 0 || bucket[e] !== candB[depth] || time[e] > time[prev] + window) {
              // this bucket is done: the next one
              if (++candB[depth] <= lastB[depth]) cand[depth] = seek(v, candB[depth], time[prev]);
              continue;
            }
            cand[depth] = pos + 1;
            const te = time[e];
            const w = dst[e];
            if (comp[w] !== c || !close(amount[prev], amount[e])) continue;
            if (seen[depth]++ >= o.maxBranching) {
              branchingCut++;
              candB[depth] = lastB[depth] + 1;
              break;
            }
            compSteps++;
            steps++;
            if (w === startNode) {
              // hop times never fall along a path, so a cycle can start at another of its hops only when
              // all are on one day: then it is found from each, and kept once, from its smallest edge id.
              // (Skipping every same-day hop with a smaller id instead loses the cycles that go on to a
              // later day, whenever the rows happen to put such a hop first.)
              if (depth + 2 >= o.minLength && (te !== t0 || smallestFirst(path, depth, e))) {
                const cyc = new Int32Array(depth + 2);
                for (let d = 0; d <= depth; d++) cyc[d] = path[d];
                cyc[depth + 1] = e;
                cycles.push(cyc);
                found++;
              }
              continue;
            }
            if (onPath[w] || depth + 2 >= o.maxLength) continue;
            depth++;
            path[depth] = e;
            open(depth);
            advanced = true;
            break;
          }
          if (advanced) continue;
          onPath[dst[path[depth]]] = 0;
          depth--;
        }
        // unwind what a stop left on the path
        for (let d = depth; d >= 0; d--) onPath[dst[path[d]]] = 0;
        onPath[startNode] = 0;
      }
    }
    if (stop) truncated++;
  }
  return { cycles, components, searched, truncated, branchingCut, steps };
}

// ---------------------------------------------------------------------------------------------
// The invoice graph of a dataset: seller → buyer, one edge per invoice row

export interface InvoiceGraph {
  g: EdgeIndex;
  /** value before VAT (amount, else total_amount), by invoice row; NaN when blank */
  net: Float64Array;
  /** value with VAT (total_amount, else amount + vat_amount, else amount), by invoice row */
  gross: Float64Array;
  /** rows left out because their status is cancelled or replaced */
  voided: number;
  /** rows folded into the row before them as further lines of one invoice */
  lines: number;
  /** 1 for rows that are not an invoice of their own: void, or a further line (its values are on the first line) */
  isVoid: Uint8Array;
}

/**
 * The seller → buyer edge index of the invoices table (built once per dataset and shared by the invoice
 * detectors). Rows without a buyer, a date, or that are cancelled or replaced are left out.
 */
export function invoiceGraph(data: Dataset): InvoiceGraph {
  return cached('invoice-graph', data, () => buildInvoiceGraph(data));
}

function buildInvoiceGraph(data: Dataset): InvoiceGraph {
  const t = data.invoices!;
  const seller = t.party('seller_id') ?? new Int32Array(t.n).fill(-1);
  const buyer = t.party('buyer_id') ?? new Int32Array(t.n).fill(-1);
  const date = t.num('issue_date') ?? new Float64Array(t.n).fill(NaN);
  const amount = t.num('amount');
  const total = t.num('total_amount');
  const vat = t.num('vat_amount');
  const net = new Float64Array(t.n);
  const gross = new Float64Array(t.n);
  for (let r = 0; r < t.n; r++) {
    const a = amount ? amount[r] : NaN;
    const tot = total ? total[r] : NaN;
    net[r] = Number.isNaN(a) ? tot : a;
    gross[r] = !Number.isNaN(tot) ? tot : vat && !Number.isNaN(vat[r]) && !Number.isNaN(a) ? a + vat[r] : a;
  }
  const status = t.str('status');
  const voidCode = new Uint8Array(status?.dict.length ?? 0);
  status?.dict.forEach((s, i) => (voidCode[i] = VOID_INVOICE_STATUSES.has(s) ? 1 : 0));
  let voided = 0;
  const isVoid = new Uint8Array(t.n);
  if (status)
    for (let r = 0; r < t.n; r++) {
      const c = status.codes[r];
      if (c >= 0 && voidCode[c]) {
        isVoid[r] = 1;
        voided++;
      }
    }
  const lines = foldLines(data, seller, date, net, gross, isVoid);
  const keep = status || lines ? (r: number) => isVoid[r] === 0 : undefined;
  return { g: buildEdgeIndex(seller, buyer, date, data.parties.size, keep), net, gross, voided, lines, isVoid };
}

/**
 * Line-item exports (a `line_no` column): consecutive rows of one invoice — same seller, same invoice
 * (invoice_id, else template + series + number), same date, line numbers rising — are folded into the
 * first row, which then carries the invoice's summed values; the other rows are marked in `skip`.
 * Lines of one invoice that are not next to each other are not folded. Returns the rows folded.
 */
function foldLines(data: Dataset, seller: Int32Array, date: Float64Array, net: Float64Array, gross: Float64Array, skip: Uint8Array): number {
  const t = data.invoices!;
  const line = t.num('line_no');
  if (!line || !t.hasValues('line_no')) return 0;
  const keys = ['invoice_id', 'template', 'series', 'number'].map((c) => t.str(c)?.codes);
  const id = keys[0];
  const same = (a: number, b: number) => {
    if (seller[a] !== seller[b]) return false;
    if (id && (id[a] >= 0 || id[b] >= 0)) return id[a] === id[b];
    for (let k = 1; k < keys.length; k++) if (keys[k] && keys[k]![a] !== keys[k]![b]) return false;
    return true;
  };
  let folded = 0;
  let head = 0;
  for (let r = 1; r < t.n; r++) {
    const sameDate = date[r] === date[head] || (Number.isNaN(date[r]) && Number.isNaN(date[head]));
    const rising = !(line[r] <= line[r - 1]);
    if (!same(r, head) || !sameDate || !rising) {
      head = r;
      continue;
    }
    if (!Number.isNaN(net[r])) net[head] = Number.isNaN(net[head]) ? net[r] : net[head] + net[r];
    if (!Number.isNaN(gross[r])) gross[head] = Number.isNaN(gross[head]) ? gross[r] : gross[head] + gross[r];
    if (!skip[r]) folded++;
    skip[r] = 1;
  }
  return folded;
}

/**
 * Invoice rows in an order that depends on what they are, not on where they sit in the export: issue day
 * (blank last), then id, then amount before VAT; only rows alike in all three keep their file order.
 * Evidence and entity lists use it, and so do rules that keep the first of two alike invoices, so that a
 * report does not change when rows or files are reordered.
 */
export function invoiceRowOrder(data: Dataset, ig: InvoiceGraph): (a: number, b: number) => number {
  const date = data.invoices!.num('issue_date');
  const day = (r: number) => {
    const d = date ? Math.floor(date[r] / DAY_MS) : NaN;
    return Number.isNaN(d) ? Infinity : d;
  };
  return (a, b) => {
    const d = day(a) - day(b);
    if (d || a === b) return d || 0;
    const x = invoiceLabel(data, a);
    const y = invoiceLabel(data, b);
    if (x !== y) return x < y ? -1 : 1;
    const na = ig.net[a];
    const nb = ig.net[b];
    return na !== nb && !(Number.isNaN(na) && Number.isNaN(nb)) ? (Number.isNaN(na) ? 1 : Number.isNaN(nb) ? -1 : na - nb) : a - b;
  };
}

/** An invoice's id: invoice_id when given, else seller_id/template+series/number (DATA.md). */
export function invoiceLabel(data: Dataset, row: number): string {
  const t = data.invoices!;
  const id = t.text('invoice_id', row);
  if (id) return id;
  const seller = t.party('seller_id');
  const s = seller && seller[row] >= 0 ? data.parties.id(seller[row]) : '';
  return `${s}/${t.text('template', row)}${t.text('series', row)}/${t.text('number', row)}`;
}
