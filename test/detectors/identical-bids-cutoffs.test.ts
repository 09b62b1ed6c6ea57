/**
 * identical-bids judges a tie against cut-offs it measures in the data (the tie share of the tender's
 * segment, the median CV that stands in for the spread of a small tender): they are reported beside the
 * results, in the detector's `cutoffs`, and agree with what the findings say.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const sample = (f: string) => join(import.meta.dirname, '..', '..', 'samples', f);

describe('identical-bids cut-offs', () => {
  it('lists the tie share of each measured segment and the median CV', async () => {
    const r = await runOn([{ kind: 'bids', path: sample('bids-vn.csv') }, { kind: 'bids', path: sample('bids.csv') }], ['identical-bids']);
    const cutoffs = r.detectors.find((d) => d.id === 'identical-bids')!.cutoffs!;
    expect(cutoffs.medianCv).toBeGreaterThan(0);
    expect(r.findings.length).toBeGreaterThan(0);
    for (const f of r.findings) {
      const ev = f.evidence as { segment: string; tieShare: number | null };
      if (ev.tieShare !== null) expect(cutoffs[`tieShare ${ev.segment}`]).toBe(ev.tieShare);
    }
  });

  it('leaves out segments too small to measure a share', async () => {
    const r = await runOn([{ kind: 'bids', path: join(import.meta.dirname, '..', 'fixtures', 'identical-bids', 'flags.csv') }], ['identical-bids']);
    const cutoffs = r.detectors.find((d) => d.id === 'identical-bids')!.cutoffs ?? {};
    expect(Object.keys(cutoffs).filter((k) => k.startsWith('tieShare'))).toEqual([]);
  });
});
