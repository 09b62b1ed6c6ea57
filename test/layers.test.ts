/**
 * The layering of docs/architecture.md, checked on the import statements of src/: lower layers never
 * import from the layers above them, and no value imports go round in a cycle.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import and re-export of src/, as paths relative to src/ ("stats/tender-prices.ts"). */
function importEdges(): Edge[] {
  const edges: Edge[] = [];
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'(\.[^']+)'/gms)) {
      const to = resolve(dirname(file), m[2].replace(/\.js$/, '.ts'));
      edges.push({ from: relative(SRC, file), to: relative(SRC, to), typeOnly: !!m[1] });
    }
  }
  return edges;
}

/** "stats/benford.ts" → "stats"; "analyze.ts" → "analyze" */
const layerOf = (path: string) => (path.includes('/') ? path.split('/')[0] : path.replace(/\.ts$/, ''));

const EDGES = importEdges();

function offending(from: string[], to: string[], values = true): string[] {
  return EDGES.filter((e) => from.includes(layerOf(e.from)) && to.includes(layerOf(e.to)) && (!values || !e.typeOnly)).map((e) => `${e.from} → ${e.to}`);
}

const TOP = ['cli', 'analyze', 'analyze-parallel', 'analyze-worker'];

describe('layers', () => {
  it('finds the imports', () => {
    expect(EDGES.length).toBeGreaterThan(300);
    expect(EDGES.some((e) => e.from === 'cli/main.ts' && e.to === 'cli/analyze-command.ts')).toBe(true);
  });

  it('stats, graph, model, normalize, util and calendar import nothing of the detectors, the report, the CLI or the pipeline', () => {
    // the score scale (scoring/score.ts, a module without imports) is the one exception: stats/shares.ts scores outliers on it
    const lower = ['stats', 'graph', 'model', 'normalize', 'util', 'calendar'];
    expect(offending(lower, ['detectors', 'report', 'scoring', ...TOP], false).filter((e) => !e.endsWith('→ scoring/score.ts'))).toEqual([]);
    expect(EDGES.filter((e) => e.from === 'scoring/score.ts')).toEqual([]);
    expect(offending(['model', 'normalize', 'util', 'calendar'], ['stats', 'graph', 'scoring'], false)).toEqual([]);
  });

  it('io and config read no detector code (types of the detector registry excepted)', () => {
    expect(offending(['io', 'config'], ['detectors', 'report', ...TOP])).toEqual([]);
  });
});

/** Strongly connected components of more than one module among the value imports (Tarjan). */
function cycles(): string[][] {
  const next = new Map<string, string[]>();
  for (const e of EDGES) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return out;
}

describe('cycles', () => {
  it('no modules import each other, directly or round a loop', () => {
    expect(cycles()).toEqual([]);
  });
});

describe('one copy', () => {
  it('of the length of a day', () => {
    const defining = sourceFiles(SRC).filter((f) => /86_?400_?000/.test(readFileSync(f, 'utf8')));
    expect(defining.map((f) => relative(SRC, f))).toEqual(['util/dates.ts']);
  });

  it('of the string comparator and of the status classes', () => {
    const texts = sourceFiles(SRC).map((f) => [relative(SRC, f), readFileSync(f, 'utf8')] as const);
    const comparator = /(?:function \w+|const \w+ = )\((\w+): string, (\w+): string\)(?:: number)?(?: =>|\s*\{\s*return) \(?\1 < \2 \? -1 : \1 > \2 \? 1 : 0/;
    expect(texts.filter(([, t]) => comparator.test(t)).map(([f]) => f)).toEqual(['util/compare.ts']);
    expect(texts.filter(([, t]) => /'disqualified', 'withdrawn', 'late'|'cancelled', 'replaced'\]/.test(t)).map(([f]) => f)).toEqual(['normalize/codes.ts']);
  });
});

describe('the detectors', () => {
  it('hold one file per detector, the registry and the helpers they share to name entities', () => {
    const shared = ['company-rows.ts', 'index.ts', 'invoice-facts.ts', 'tender-facts.ts', 'types.ts', 'util.ts'];
    const files = readdirSync(join(SRC, 'detectors')).filter((f) => !shared.includes(f));
    const registry = readFileSync(join(SRC, 'detectors/index.ts'), 'utf8');
    for (const f of files) expect(registry, f).toContain(`'./${f.replace(/\.ts$/, '.js')}'`);
  });
});

describe('the report', () => {
  it('renders the report: it reads no detector, dataset or pipeline code (types of the report excepted)', () => {
    expect(offending(['report'], ['detectors', 'model', 'io', 'graph', 'stats', ...TOP])).toEqual([]);
    // not even the dataset's types: what a chart draws comes from the report, or from src/figures.ts
    expect(offending(['report'], ['model', 'io', 'graph', 'stats'], false)).toEqual([]);
  });
});
