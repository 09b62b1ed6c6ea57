import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TupleIds, invoiceIndex, standingOrders } from '../../src/graph/invoice-index.js';
import { loadDataset } from '../../src/io/dataset.js';
import type { Dataset } from '../../src/model/dataset.js';

describe('TupleIds', () => {
  it('numbers tuples in order of first appearance, like a Map of their text', () => {
    const cell = fc.integer({ min: -1, max: 6 });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, cell, cell), { maxLength: 400 }), fc.boolean(), (rows, blankCol) => {
        const cols = [0, 1, 2, 3].map((k) => Int32Array.from(rows, (t) => t[k]));
        // a blank column reads -1
        const given: (Int32Array | undefined)[] = blankCol ? [cols[0], undefined, cols[2], cols[3]] : cols;
        const ids = new TupleIds(given, rows.length);
        const m = new Map<string, number>();
        rows.forEach((t, r) => {
          const k = (blankCol ? [t[0], -1, t[2], t[3]] : t).join(',');
          if (!m.has(k)) m.set(k, m.size);
          expect(ids.id(r)).toBe(m.get(k));
        });
        expect(ids.size).toBe(m.size);
      }),
    );
  });
});

describe('standingOrders', () => {
  // the grouping as a sort on (buyer, amount, kind of item, date position): what the hash must match
  function reference(data: Dataset, minGap: number): Uint8Array {
    const ix = invoiceIndex(data);
    const t = data.invoices!;
    const desc = t.str('description');
    const kind = (inv: number) => {
      const c = desc ? desc.codes[ix.firstRow[inv]] : -1;
      return c >= 0 ? desc!.dict[c].toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim() : '';
    };
    const out = new Uint8Array(ix.n);
    for (const q of ix.sellers) {
      const slice = Array.from(ix.bySeller.subarray(ix.sellerStart[q], ix.sellerStart[q + 1]));
      const amount = (inv: number) => (Number.isNaN(ix.amount[inv]) ? -Infinity : ix.amount[inv]);
      const groups = new Map<string, number[]>();
      for (const inv of slice) {
        const k = `${ix.buyer[inv]}|${amount(inv)}|${kind(inv)}`;
        groups.set(k, [...(groups.get(k) ?? []), inv]);
      }
      for (const g of groups.values()) {
        if (g.length < 2 || amount(g[0]) === -Infinity) continue;
        const days = [...new Set(g.map((inv) => ix.date[inv]))];
        const perDay = days.map((d) => g.filter((inv) => ix.date[inv] === d).length);
        const multi = perDay.filter((n) => n > 1).length;
        const spaced = days.every((d, i) => i === 0 || d - days[i - 1] >= minGap * 86_400_000);
        if (days.length >= 2 && spaced && multi !== 1 && multi !== 2) for (const inv of g) out[inv] = 1;
      }
    }
    return out;
  }

  it('marks the same invoices as grouping by sorting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'standing-'));
    const row = fc.record({
      seller: fc.constantFrom('S1', 'S2'),
      buyer: fc.constantFrom('B1', 'B2', ''),
      amount: fc.constantFrom('1000', '1000.5', '2000', '', '0'),
      day: fc.integer({ min: 0, max: 200 }),
      desc: fc.constantFrom('rent 01/2024', 'rent 02/2024', 'Fee', ''),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 2, maxLength: 60 }), async (rows) => {
        // the index wants date order within a seller; the export need not be in it
        const lines = rows.map((r, i) => `N-${i},1,C24T,${i + 1},${new Date(Date.UTC(2024, 0, 1 + r.day)).toISOString().slice(0, 10)},${r.seller},${r.buyer},${r.amount},${r.desc}`);
        const path = join(dir, 'inv.csv');
        writeFileSync(path, `invoice_id,template,series,number,issue_date,seller_id,buyer_id,amount,description\n${lines.join('\n')}\n`);
        const { dataset } = await loadDataset([{ kind: 'invoices', path }]);
        expect(Array.from(standingOrders(dataset, 25))).toEqual(Array.from(reference(dataset, 25)));
      }),
      { numRuns: 60 },
    );
  });
});
