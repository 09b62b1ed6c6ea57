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

describe('cover-bid-pattern', () => {
  it('gives each tender\'s bids, cheapest first, and each cover\'s mark-up range', async () => {
    const [f] = await findings('cover-bid-pattern', 'fixed.csv');
    const ev = f.evidence as { tenders: { tender: string; pattern: string; bids: { bidder: string; amount: number }[] }[]; coverBidders: { id: string; markupMin: number; markupMax: number }[]; tendersByFixedMarkups: number };
    const q1 = ev.tenders.find((t) => t.tender === 'Q1')!;
    expect(q1.bids).toEqual([
      { bidder: 'RED', amount: 1000000 },
      { bidder: 'BLUE1', amount: 1015000 },
      { bidder: 'BLUE2', amount: 1046000 },
      { bidder: 'BLUE3', amount: 1073000 },
    ]);
    expect(q1.pattern).toBe('each loser at its fixed mark-up');
    expect(ev.tendersByFixedMarkups).toBe(4);
    const blue1 = ev.coverBidders.find((c) => c.id === 'BLUE1')!;
    expect(blue1.markupMin).toBeCloseTo(0.015, 5);
    expect(blue1.markupMax).toBeCloseTo(0.017, 5);
    expect(f.title).toMatch(/each losing bidder at its own fixed mark-up above it \(\+1\.6%, \+4\.6%, \+7\.3%, each within ±0\.1%\)/);
  });
});
