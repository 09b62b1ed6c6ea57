/**
 * The price detectors score against a frozen reference the same way they score against the data: a
 * baseline built from honest history makes a rigged tender stand out even in a batch of one, and the
 * data's own reference handed back gives the same findings.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TABLES } from '../../src/config/tables.js';
import bidScreens from '../../src/detectors/bid-screens.js';
import closeSecondBid from '../../src/detectors/close-second-bid.js';
import type { Detector } from '../../src/detectors/types.js';
import { loadDataset } from '../../src/io/dataset.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const load = async (dir: string, file: string) => (await loadDataset([{ kind: 'bids', path: join(fixtures, dir, file) }])).dataset;
const defaults = (d: Detector) => Object.fromEntries(Object.entries(d.params).map(([k, s]) => [k, s.default])) as never;
const tenders = (r: ReturnType<Detector['run']>) => r.findings.map((f) => f.entities.find((e) => e.type === 'tender')!.id).sort();

describe('bid-screens reference', () => {
  it('scores a batch against a baseline of honest tenders', async () => {
    const history = bidScreens.run(await load('bid-screens', 'clean.csv'), defaults(bidScreens), { tables: DEFAULT_TABLES });
    const ref = history.reference as { kind: string; segments: Record<string, unknown> };
    expect(ref.kind).toBe('bid-screens');
    expect(Object.keys(ref.segments)).toEqual(['all']);
    // against the 15 honest tenders T-RIG is tighter than all of them
    const batch = await load('bid-screens', 'flags.csv');
    const scored = bidScreens.run(batch, defaults(bidScreens), { tables: DEFAULT_TABLES, reference: history.reference });
    expect(tenders(scored)).toContain('T-RIG');
    const rig = scored.findings.find((f) => f.entities[0].id === 'T-RIG')!;
    expect(rig.evidence.reference).toBe('baseline');
    expect(rig.evidence.combinedPercentile).toBeGreaterThanOrEqual(0.97);
    // the reference handed back is the baseline's, unchanged
    expect(scored.reference).toEqual(history.reference);
  });

  it('gives the same findings when its own reference is handed back, and is deterministic', async () => {
    const data = await load('bid-screens', 'subgroup.csv');
    const p = { ...(defaults(bidScreens) as Record<string, unknown>), min_score: 0 } as never;
    const own = bidScreens.run(data, p, { tables: DEFAULT_TABLES });
    const again = bidScreens.run(data, p, { tables: DEFAULT_TABLES });
    expect(JSON.stringify(again)).toBe(JSON.stringify(own));
    const frozen = bidScreens.run(data, p, { tables: DEFAULT_TABLES, reference: JSON.parse(JSON.stringify(own.reference)) });
    expect(frozen.findings.map((f) => [f.entities[0].id, f.score])).toEqual(own.findings.map((f) => [f.entities[0].id, f.score]));
  });

  it('ignores a reference of another kind', async () => {
    const data = await load('bid-screens', 'flags.csv');
    const r = bidScreens.run(data, defaults(bidScreens), { tables: DEFAULT_TABLES, reference: { kind: 'something-else', segments: {} } });
    expect(tenders(r)).toEqual(['T-RIG']);
    expect(r.findings[0].evidence.reference).toBe('this data');
  });
});

describe('close-second-bid reference', () => {
  it('a baseline where close seconds are common stops the flag', async () => {
    const data = await load('close-second-bid', 'flags.csv');
    const own = closeSecondBid.run(data, defaults(closeSecondBid), { tables: DEFAULT_TABLES });
    expect(tenders(own)).toEqual(['T-CLOSE']);
    // a history in which every gap was 0.1%: T-CLOSE's 0.2% is ordinary there
    const reference = { kind: 'close-second-bid', version: 1, segments: { all: { q: [0.001, 0.001, 0.001], n: 3 } } };
    const vsHistory = closeSecondBid.run(data, defaults(closeSecondBid), { tables: DEFAULT_TABLES, reference });
    expect(vsHistory.findings).toEqual([]);
  });
});
