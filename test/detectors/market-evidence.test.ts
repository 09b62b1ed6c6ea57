/**
 * Evidence and wording of the market and price detectors that the fixture cases (entities, counts) do not
 * check: the figures a reader needs, labelled, and sentences that say what was measured.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fixture = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

async function findings(detector: string, file: string, sets: string[] = []) {
  const report = await runOn([{ kind: 'bids', path: fixture(detector, file) }], [detector], sets);
  return report.findings;
}

describe('bid-rotation', () => {
  it("gives the ring's own median CV beside the reference median, labelled", async () => {
    const [f] = await findings('bid-rotation', 'flags.csv');
    const ev = f.evidence as Record<string, unknown>;
    expect(ev.medianCv).toBeUndefined();
    expect(ev.ringMedianCv as number).toBeLessThan(ev.referenceMedianCv as number);
    expect(f.title).toMatch(/3 of them winning/);
    expect(f.explanation).toMatch(/3 of the 3 firms winning in turn/);
  });
});
