import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/io/dataset.js';
import { ALL, segmentName, segmentUnits } from '../../src/stats/segments.js';

const path = join(import.meta.dirname, '..', 'fixtures', 'bid-screens', 'segments.csv');

describe('segments', () => {
  it('names category × procedure, and "all" when both are blank', () => {
    expect(segmentName('works', 'open')).toBe('works × open');
    expect(segmentName('goods', '')).toBe('goods × (blank)');
    expect(segmentName('', '')).toBe(ALL);
  });

  it('keeps a segment with at least min_segment tenders; the rest fall back to "all"', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path }]);
    const units = dataset.units;
    const judged = new Uint8Array(units.n).fill(1);
    const seg = segmentUnits(dataset, judged, 3);
    expect(seg.names).toEqual(['all', 'works × open']);
    const of = (id: string) => seg.names[seg.of[Array.from({ length: units.n }, (_, u) => u).find((u) => units.tenderId(u) === id)!]];
    // Vietnamese and English spellings of works × open are one segment
    for (const id of ['W1', 'W2', 'W3', 'W4']) expect(of(id)).toBe('works × open');
    for (const id of ['G1', 'G2', 'B1']) expect(of(id)).toBe(ALL);
    expect(seg.sizes).toEqual([3, 4]);
    // boundary: goods × open has 2 tenders, so min_segment 2 keeps it
    expect(segmentUnits(dataset, judged, 2).names).toEqual(['all', 'goods × open', 'works × open']);
  });

  it('with a frozen reference, keeps exactly the segments the reference knows', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path }]);
    const judged = new Uint8Array(dataset.units.n).fill(1);
    const seg = segmentUnits(dataset, judged, 1000, new Set(['goods × open']));
    expect(seg.names).toEqual(['all', 'goods × open']);
    // units not judged have no segment
    judged[0] = 0;
    expect(segmentUnits(dataset, judged, 3).of[0]).toBe(-1);
  });
});
