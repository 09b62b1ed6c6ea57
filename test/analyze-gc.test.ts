/**
 * analyze() is pure: it makes no garbage collection (which sets a V8 flag of the whole process) unless
 * its caller asks; the CLI asks on big inputs.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { defaultConfig } from '../src/config/config.js';
import { defineDetector } from '../src/detectors/types.js';
import { BIG_INPUT_ROWS, cached, collectGarbage, collectorFor } from '../src/graph/dataset-cache.js';
import { loadDataset } from '../src/io/dataset.js';

const sample = (f: string) => join(import.meta.dirname, '..', 'samples', f);

// a detector that builds a large shared structure, around which the engine may collect
const probe = defineDetector({
  id: 'probe',
  title: 'probe',
  family: 'invoice',
  rationale: '',
  sources: [],
  needs: [],
  uses: ['invoice-index'],
  params: {},
  explain: { definition: '', formula: '', why: '', falsePositives: '' },
  run(data) {
    cached('invoice-index', data, () => 1);
    return { findings: [], applied: 0 };
  },
});

async function bigDataset() {
  const { dataset } = await loadDataset([{ kind: 'bids', path: sample('bids.csv') }]);
  // as if the input had been big
  (dataset.inputs[0] as { rows: number }).rows = BIG_INPUT_ROWS;
  return dataset;
}

const g = globalThis as { gc?: () => void };
const exposed = g.gc;
afterEach(() => {
  g.gc = exposed;
});

describe('garbage collection', () => {
  it('analyze() collects nothing by default, also on big inputs', async () => {
    let calls = 0;
    // collectGarbage uses an exposed gc when there is one (and remembers it on first use)
    g.gc = () => calls++;
    const data = await bigDataset();
    analyze(data, defaultConfig([probe]), [probe], 'test');
    expect(calls).toBe(0);
    // what the CLI passes on the same input
    const collect = collectorFor(data);
    expect(collect).toBe(collectGarbage);
    analyze(data, defaultConfig([probe]), [probe], 'test', { collectGarbage: collect });
    expect(calls).toBeGreaterThan(0);
  });

  it('the CLI asks for it from BIG_INPUT_ROWS input rows on', async () => {
    const data = await bigDataset();
    expect(collectorFor(data)).toBe(collectGarbage);
    (data.inputs[0] as { rows: number }).rows = BIG_INPUT_ROWS - 1;
    expect(collectorFor(data)).toBeUndefined();
  });
});
