import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { defaultConfig } from '../../src/config/config.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { defineDetector, type Detector } from '../../src/detectors/types.js';
import { CACHE_NAMES, cached, collectGarbage, dropCached, isCached, recordCacheUse, type CacheName } from '../../src/graph/dataset-cache.js';
import { loadDataset } from '../../src/io/dataset.js';
import type { Dataset } from '../../src/model/dataset.js';

const sample = (f: string) => join(import.meta.dirname, '..', '..', 'samples', f);

async function samples(): Promise<Dataset> {
  const { dataset } = await loadDataset([
    { kind: 'bids', path: sample('bids.csv') },
    { kind: 'bids', path: sample('bids-vn.csv') },
    { kind: 'companies', path: sample('companies.csv') },
    { kind: 'invoices', path: sample('invoices.csv') },
  ]);
  return dataset;
}

describe('uses', () => {
  it('every detector lists exactly the shared structures its run reads', async () => {
    const data = await samples();
    const config = defaultConfig(DETECTORS);
    for (const d of DETECTORS) {
      const { used } = recordCacheUse(() => d.run(data, config.detectors[d.id].params as never, { tables: config.tables }));
      expect([...used].sort(), d.id).toEqual([...(d.uses ?? [])].sort());
    }
    dropCached(data);
  });

  it('records reads made while another structure is built', async () => {
    const data = await samples();
    const { used } = recordCacheUse(() => cached('awards', data, () => cached('invoice-graph', data, () => 1)));
    expect([...used].sort()).toEqual(['awards', 'invoice-graph']);
    dropCached(data);
    expect(CACHE_NAMES.some((n) => isCached(n, data))).toBe(false);
  });
});

describe('the engine drops a shared structure after its last user', () => {
  const log: string[] = [];
  const builds: Record<string, number> = {};
  const probe = (id: string, uses: CacheName[], opts: { needs?: string[]; throws?: boolean } = {}): Detector =>
    defineDetector({
      id,
      title: id,
      family: 'invoice',
      rationale: '',
      sources: [],
      needs: opts.needs ?? [],
      uses,
      params: {},
      explain: { definition: '', formula: '', why: '', falsePositives: '' },
      run(data) {
        log.push(`${id}: ${CACHE_NAMES.filter((n) => isCached(n, data)).join(' ') || '-'}`);
        for (const n of uses) cached(n, data, () => (builds[n] = (builds[n] ?? 0) + 1));
        if (opts.throws) throw new Error('boom');
        return { findings: [], applied: 0 };
      },
    });

  it('keeps it while a later detector uses it, drops it before the next one runs, skips detectors that will not run', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path: sample('bids.csv') }]);
    const registry = [
      probe('a', ['invoice-index', 'cobid-graph']),
      probe('b', ['invoice-index'], { throws: true }),
      probe('c', ['invoice-graph']),
      probe('d', ['invoice-graph']),
      // skipped (no invoices): does not keep invoice-graph alive
      probe('e', ['invoice-graph'], { needs: ['invoices.seller_id'] }),
      probe('f', []),
      // reads a structure without listing it: dropped at the end of the run
      probe('g', []),
    ];
    registry[6].run = (data) => {
      log.push(`g: ${CACHE_NAMES.filter((n) => isCached(n, data)).join(' ') || '-'}`);
      cached('awards', data, () => 1);
      return { findings: [], applied: 0 };
    };
    const { errors } = analyze(dataset, defaultConfig(registry), registry, 'test', { collectGarbage: () => log.push('gc') });
    expect(errors.map((e) => e.id)).toEqual(['b']);
    // collections around the large structures only: before a builds invoice-index, after b drops it
    // (although b threw; also serves c, which builds invoice-graph), after d drops invoice-graph
    expect(log).toEqual(['gc', 'a: -', 'b: invoice-index', 'gc', 'c: -', 'd: invoice-graph', 'gc', 'f: -', 'g: -']);
    expect(builds).toEqual({ 'invoice-index': 1, 'cobid-graph': 1, 'invoice-graph': 1 });
    expect(CACHE_NAMES.some((n) => isCached(n, dataset))).toBe(false);
  });
});

describe('collectGarbage', () => {
  it('frees what nothing holds any more, without --expose-gc', async () => {
    const make = () => new WeakRef(new Float64Array(1 << 16));
    const ref = make();
    // a WeakRef keeps its target for the rest of the job that made it
    await new Promise((r) => setTimeout(r, 0));
    collectGarbage();
    await new Promise((r) => setTimeout(r, 0));
    expect(ref.deref()).toBeUndefined();
  });

  it('says whether a dropped structure was held', async () => {
    const data = await samples();
    expect(dropCached(data, ['awards'])).toEqual([]);
    cached('awards', data, () => 1);
    expect(dropCached(data, ['awards', 'cobid-graph'])).toEqual(['awards']);
    expect(isCached('awards', data)).toBe(false);
  });
});
