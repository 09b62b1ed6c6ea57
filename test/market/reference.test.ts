/**
 * Market and competition detectors return the distribution they scored against as `reference`, and score
 * against `ctx.reference` instead when a baseline hands one back.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { applySelection, defaultConfig } from '../../src/config/config.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { loadDataset } from '../../src/io/dataset.js';

const fixture = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

async function run(id: string, file: string, references?: Record<string, unknown>) {
  const { dataset } = await loadDataset([{ kind: 'bids', path: fixture(id, file) }]);
  const cfg = applySelection(defaultConfig(DETECTORS), [id], undefined, DETECTORS);
  return analyze(dataset, cfg, DETECTORS, 'test', { references });
}

describe('frozen references', () => {
  it('buyer-concentration: a history of concentrated buyers raises the fence above CITY-HOSP and SMALL', async () => {
    const own = await run('buyer-concentration', 'flags.csv');
    expect(own.report.findings).toHaveLength(2);
    const ref = own.references['buyer-concentration'] as { z: { q: number[]; n: number } };
    expect(ref.z.n).toBe(9);
    const history = { z: { q: [5, 10, 15, 20, 25], n: 5 } };
    const frozen = await run('buyer-concentration', 'flags.csv', { 'buyer-concentration': history });
    expect(frozen.report.findings).toHaveLength(0);
  });

  it('excessive-disqualifications: against a history where a third of bids fail, CITY-HOSP is ordinary', async () => {
    const own = await run('excessive-disqualifications', 'flags.csv');
    expect(own.report.findings.map((f) => f.entities[0].id).sort()).toEqual(['CITY-HOSP', 'COVER']);
    const q = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7];
    const history = { buyer: { q, n: 9 }, bidder: { q, n: 9 }, rate: { buyer: 0.45, bidder: 0.45 }, decisiveRate: 0.4 };
    const frozen = await run('excessive-disqualifications', 'flags.csv', { 'excessive-disqualifications': history });
    expect(frozen.report.findings).toHaveLength(0);
  });

  it('permanent-loser: a history of busier bidders raises the bid-count cut-off above LOSER\'s 12 bids', async () => {
    const own = await run('permanent-loser', 'flags.csv');
    expect(own.report.findings).toHaveLength(1);
    const frozen = await run('permanent-loser', 'flags.csv', { 'permanent-loser': { bids: { q: [5, 10, 20, 40, 80], n: 5 } } });
    expect(frozen.report.findings).toHaveLength(0);
    expect(frozen.report.detectors[0].cutoffs?.bidCountCutoff).toBe(40);
  });

  it('same input, same report', async () => {
    const a = await run('bid-rotation', 'flags.csv');
    const b = await run('bid-rotation', 'flags.csv');
    expect(JSON.stringify(a.report)).toBe(JSON.stringify(b.report));
    expect(a.report.findings).toHaveLength(1);
  });
});
