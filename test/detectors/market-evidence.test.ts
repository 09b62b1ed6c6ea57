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

describe('buyer-concentration', () => {
  it('judges the award count on a 0–1 HHI scale, with the value shares as evidence', async () => {
    const fs = await findings('buyer-concentration', 'flags.csv');
    const city = fs.find((f) => f.entities[0].id === 'CITY-HOSP')!;
    expect(city.title).toBe('CITY-HOSP: 10 awards to 3 suppliers, HHI 0.66 against 0.19 expected from its market');
    const ev = city.evidence as Record<string, unknown>;
    expect(ev.basis).toBe('count');
    expect(ev.hhi).toBe(0.66);
    expect(ev.hhiByValue).toBe(0.66);
    expect(city.explanation).not.toMatch(/\b\d{4}\b/);
    const small = fs.find((f) => f.entities[0].id === 'SMALL')!;
    expect(small.title).toMatch(/all 5 awards to one supplier, HHI 1\.00/);
  });
});

describe('repeat-winner', () => {
  it('says there was nothing to compare with instead of "0% elsewhere"', async () => {
    const fs = await findings('repeat-winner', 'flags.csv');
    const half = fs.find((f) => f.entities[0].id === 'HALF')!;
    expect(half.explanation).toMatch(/with no awards in the same markets at other buyers to compare with/);
    expect(half.explanation).not.toMatch(/against 0%/);
    expect((half.evidence as Record<string, unknown>).supplierShareElsewhere).toBeNull();
  });
});

describe('co-bidding-pair', () => {
  it('says how often the leader won, and claims a lift only when the pair passed on it', async () => {
    const [byLift] = await findings('co-bidding-pair', 'flags.csv');
    expect(byLift.title).toBe('COVER met LEADER in 6 tenders (3.7× the 1.6 expected) and came out behind it in 6 of 6 (LEADER won 6)');
    const [byShare] = await findings('co-bidding-pair', 'exclusive.csv');
    expect(byShare.title).toBe('FOLLOW2 met LEADER2 in 6 tenders (100% of its tenders) and came out behind it in 6 of 6 (LEADER2 won 1)');
    expect((byShare.evidence as Record<string, unknown>).route).toBe('exclusive');
    expect((byShare.evidence as Record<string, unknown>).leaderWins).toBe(1);
    expect(byShare.explanation).toMatch(/won 1 of them/);
  });
});

describe('bid-screens', () => {
  it('puts the CV\'s own rank and the combined rank each beside what they rank, and lists the bids', async () => {
    const [f] = await findings('bid-screens', 'flags.csv');
    expect(f.title).toMatch(/^T-RIG: \d+ bids with CV [\d.]+%, tighter than (all|[\d.]+% of) comparable tenders; the screens combined rank above (all|[\d.]+%) of them$/);
    const ev = f.evidence as { bidAmounts: { bids: { bidder: string; amount: number }[]; moreBids: number }; percentiles: { cv: number } };
    const amounts = ev.bidAmounts.bids.map((b) => b.amount);
    expect(amounts).toEqual([...amounts].sort((a, b) => a - b));
    expect(ev.bidAmounts.bids[0].bidder).toBe('ACME');
    expect(ev.bidAmounts.moreBids).toBe(0);
  });
});

describe('fixed-ratio-bids', () => {
  it('lists the two bids of each tender', async () => {
    const [f] = await findings('fixed-ratio-bids', 'flags.csv');
    const bids = (f.evidence as { bids: { tender: string; lower: { bidder: string; amount: number }; higher: { bidder: string; amount: number }; ratio: number }[] }).bids;
    expect(bids).toHaveLength(5);
    expect(bids[0]).toEqual({ tender: 'F1', lower: { bidder: 'ACME', amount: 903000 }, higher: { bidder: 'BETA', amount: 948150 }, ratio: 1.05 });
  });
});

describe('close-second-bid and heavily-discounted-win', () => {
  it('close-second-bid gives its rank as the closest share, never "closer than 100%"', async () => {
    const [f] = await findings('close-second-bid', 'flags.csv');
    expect(f.explanation).toMatch(/among the closest [\d.]+% of tenders in segment "all"/);
    expect(f.explanation).not.toMatch(/closer than 100/);
  });
  it('heavily-discounted-win uses one figure for the gap in the title and the explanation', async () => {
    const [f] = await findings('heavily-discounted-win', 'flags.csv');
    expect(f.title).toBe('T-LOW: the next bid is 40.0% above the winning bid');
    expect(f.explanation).toMatch(/which is 40\.0% above it/);
    expect(f.explanation).not.toMatch(/28\.6%/);
  });
});
