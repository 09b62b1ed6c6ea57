import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/io/dataset.js';

const fx = (f: string) => join(import.meta.dirname, '..', 'fixtures', 'model', f);

describe('dataset', () => {
  it('joins tenders to bids by tender_id + lot_id, keeps direct awards without bids, finds winners', async () => {
    const { dataset: d } = await loadDataset([
      { kind: 'tenders', path: fx('tenders.csv') },
      { kind: 'bids', path: fx('bids.csv') },
    ]);
    const u = d.units;
    const keys = Array.from({ length: u.n }, (_, i) => `${u.tenderId(i)}${u.lot(i) ? '#' + u.lot(i) : ''}`);
    expect(keys).toEqual(['T1', 'T2#1', 'T2#2', 'D1']);
    const at = (k: string) => keys.indexOf(k);
    expect(u.nBids(at('T1'))).toBe(2);
    expect(u.nBids(at('D1'))).toBe(0);
    // the tenders table names the winner of T1 and T2#2; the bids table marks T2#1's
    const winner = (k: string) => (u.winner[at(k)] >= 0 ? d.parties.id(u.winner[at(k)]) : null);
    expect(winner('T1')).toBe('ACME');
    expect(winner('T2#1')).toBe('ACME');
    expect(winner('T2#2')).toBe('BETA');
    expect(winner('D1')).toBe('ACME');
    expect(u.winnerBid[at('T2#2')]).toBeGreaterThanOrEqual(0);
    expect(u.winnerBid[at('D1')]).toBe(-1);
    // tender-level values from the tenders table
    expect(u.table.num('estimated_value')![at('T2#2')]).toBe(600);
    expect(u.table.text('procedure', at('D1'))).toBe('designated');
    expect(d.has('bids.estimated_value')).toBe(true);
    expect(d.has('bids.is_winner')).toBe(true);
    expect(d.has('bids.bid_status')).toBe(false);
    // one party dictionary for every table
    expect(d.parties.size).toBe(4);
  });

  it('concatenates files of one kind with different headers and conventions', async () => {
    const { dataset: d, reports } = await loadDataset([
      { kind: 'bids', path: fx('bids.csv') },
      { kind: 'bids', path: fx('bids-other.csv') },
    ]);
    expect(d.bids!.n).toBe(8);
    expect(reports[1].delimiter).toBe(';');
    const price = d.bids!.num('bid_amount')!;
    expect(Array.from(price.slice(6))).toEqual([1500, 1600]);
    // rows of the second file keep their file index and line for evidence
    expect(d.bids!.origin.file[7]).toBe(1);
    expect(d.bids!.origin.line[7]).toBe(3);
    // a column absent from one file is blank there
    expect(d.bids!.bool('is_winner')![7]).toBe(-1);
    expect(d.parties.interner.lookup('0314409058')).toBeGreaterThanOrEqual(0);
  });

  it('builds the CSR of bids per unit in file order', async () => {
    const { dataset: d } = await loadDataset([{ kind: 'bids', path: fx('bids.csv') }]);
    const u = d.units;
    const rows = (k: number) => Array.from(u.bidRows.slice(u.bidStart[k], u.bidStart[k + 1]));
    expect(rows(0)).toEqual([0, 1]);
    expect(rows(1)).toEqual([2, 3]);
    expect(rows(2)).toEqual([4, 5]);
    expect(Array.from(u.bidUnit)).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
