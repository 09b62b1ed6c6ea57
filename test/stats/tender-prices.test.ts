import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/io/dataset.js';
import { bidPrices } from '../../src/model/bids.js';
import { diffpByUnit, diffpCutoffs, rankBySegment } from '../../src/stats/tender-prices.js';

async function bids(csv: string) {
  const dir = mkdtempSync(join(tmpdir(), 'rf-prices-'));
  writeFileSync(join(dir, 'bids.csv'), csv);
  return (await loadDataset([{ kind: 'bids', path: join(dir, 'bids.csv') }])).dataset;
}

describe('diffpByUnit', () => {
  it('gives the gap of the two lowest valid bids, their rows cheapest first, and why the others are not judged', async () => {
    const data = await bids(
      [
        'tender_id,buyer_id,bidder_id,bid_amount,bid_status,is_winner',
        'T1,CITY,A,101,,true',
        'T1,CITY,B,100,,false',
        'T1,CITY,C,150,,false',
        'T1,CITY,D,90,disqualified,false',
        'T2,CITY,A,100,,true',
        'T3,CITY,A,300,,true',
        'T3,CITY,B,200,,false',
      ].join('\n'),
    );
    const prices = bidPrices(data)!;
    const unit = (t: string) => [...Array(data.units.n).keys()].find((u) => data.units.tenderId(u) === t)!;
    const { diffp, rows, notApplicable } = diffpByUnit(data, prices, 2);
    expect(diffp[unit('T1')]).toBeCloseTo(0.01, 12);
    expect(rows[unit('T1')].map((r) => prices[r])).toEqual([100, 101, 150]);
    expect(diffp[unit('T2')]).toBeNaN();
    expect(diffp[unit('T3')]).toBe(0.5);
    expect(notApplicable).toEqual({ 'fewer than 2 valid bids': 1 });

    // a unit left out by the caller: its reason is counted
    const lowestWins = diffpByUnit(data, prices, 2, (u, b) => (prices[data.units.winnerBid[u]] !== b[0] ? 'winner is not the lowest valid bid' : undefined));
    expect(lowestWins.diffp[unit('T1')]).toBeNaN();
    expect(lowestWins.diffp[unit('T3')]).toBeNaN();
    expect(lowestWins.notApplicable).toEqual({ 'fewer than 2 valid bids': 1, 'winner is not the lowest valid bid': 2 });

    const { reference } = rankBySegment(data, diffp, 30, 'test', undefined);
    expect(Object.keys(diffpCutoffs(reference, 0.02))).toEqual(['diffp p2 (all)', 'diffp p50 (all)']);
    expect(diffpCutoffs({ kind: 'test', version: 1, segments: {} }, 0.98)).toEqual({});
  });
});
