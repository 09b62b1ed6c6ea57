import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/io/dataset.js';
import { readPartyIds } from '../../src/io/party-ids.js';
import { makeTaxCode, readTaxCode, taxCodeCheckValid, unwrapSpreadsheet } from '../../src/normalize/taxcode.js';

const dir = mkdtempSync(join(tmpdir(), 'redflag-party-ids-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** readPartyIds over a column given row by row. */
function read(cells: string[]) {
  const values: string[] = [];
  const index = new Map<string, number>();
  const rows: number[] = [];
  for (const c of cells) {
    let i = index.get(c);
    if (i === undefined) {
      i = values.length;
      index.set(c, i);
      values.push(c);
      rows.push(0);
    }
    rows[i]++;
  }
  const r = readPartyIds(values, rows);
  return { ...r, key: (cell: string) => r.keys[index.get(cell)!] };
}

describe('reading a party id column', () => {
  it('9-digit ids that fail the check digit (DUNS, SIREN, UK VAT) are kept as written, not padded', () => {
    const r = read(['123456789', '987654321', '123456789', '552100554', '732829320']);
    expect(r.taxCodes).toBe(false);
    expect(r.keys).toEqual(['123456789', '987654321', '552100554', '732829320']);
  });

  it('13-digit Thai taxpayer ids are kept as written: no root-branch split, so no shared root', () => {
    const r = read(['0105556012345', '0105556012892', '0105561004567']);
    expect(r.taxCodes).toBe(false);
    expect(r.keys).toEqual(['0105556012345', '0105556012892', '0105561004567']);
  });

  it('a few consortium names do not stop a tax-code column from being normalised; they are listed', () => {
    const r = read(['100233488', '314409058', '0100109106', 'Liên danh Đông Á - Hòa Bình', 'Liên danh Sông Đà - Thăng Long', '0301452948']);
    expect(r.taxCodes).toBe(true);
    expect(r.key('100233488')).toBe('0100233488');
    expect(r.key('314409058')).toBe('0314409058');
    expect(r.key('Liên danh Đông Á - Hòa Bình')).toBe('Liên danh Đông Á - Hòa Bình');
    expect(r.notTaxCodes).toMatchObject({ distinct: 2, rows: 2 });
    expect(r.notTaxCodes.examples.map((e) => e.value)).toEqual(['Liên danh Đông Á - Hòa Bình', 'Liên danh Sông Đà - Thăng Long']);
  });

  it('decides on rows, not distinct values: one firm on many rows outweighs a few odd ids', () => {
    const cells = [...Array(8).fill('100233488'), 'X-1', 'X-2', 'X-3', 'X-4'];
    const r = read(cells);
    expect(r.taxCodes).toBe(true);
    expect(r.key('100233488')).toBe('0100233488');
  });

  it('placeholders for no id (Khách lẻ, -, 0) outnumbering the codes do not stop the column being read as tax codes', () => {
    const cells = [...Array(8).fill('314409058'), ...Array(10).fill('Khách lẻ'), '-', '-', '0', 'N/A'];
    const r = read(cells);
    expect(r.taxCodes).toBe(true);
    expect(r.key('314409058')).toBe('0314409058');
    expect(r.key('Khách lẻ')).toBe('Khách lẻ');
    // but ids of another scheme (8 digits here) do count against it
    const other = read([...Array(3).fill('314409058'), ...Array(5).fill('20002435')]);
    expect(other.taxCodes).toBe(false);
  });

  it('removes spreadsheet wrappers and reports ids in scientific notation', () => {
    const r = read(['0100233488', '0100233488', '="0100233488"', "'0100233488", '1.00233E+08', '0314409058']);
    expect(r.taxCodes).toBe(true);
    expect(r.key('="0100233488"')).toBe('0100233488');
    expect(r.key("'0100233488")).toBe('0100233488');
    expect(r.key('1.00233E+08')).toBe('1.00233E+08');
    expect(r.unwrappedRows).toBe(2);
    expect(r.scientific).toMatchObject({ distinct: 1, rows: 1 });
    expect(r.notTaxCodes.distinct).toBe(0);
  });

  it('in a tax-code column, cleans a code that fails the check digit only when its digits stay as written', () => {
    // 0100233480 fails; written with a vn prefix it is cleaned, with 9 digits it is not padded
    const r = read(['0100233488', '0314409058', '0100109106', 'vn0100233480', '100233481']);
    expect(r.taxCodes).toBe(true);
    expect(r.key('vn0100233480')).toBe('0100233480');
    expect(r.key('100233481')).toBe('100233481');
    expect(r.invalid.distinct).toBe(2);
  });

  it('a Vietnamese column keeps its branches, prefixes and lost zeros normalised', () => {
    const r = read(['vn0100233488', '0314409058 - 002', '0100233488001', '100233488', 'MST: 0100 109 106']);
    expect(r.taxCodes).toBe(true);
    expect(r.keys).toEqual(['0100233488', '0314409058-002', '0100233488-001', '0100233488', '0100109106']);
  });

  it('in a column of foreign ids, only a code marked Vietnamese and passing the check digit is normalised', () => {
    const r = read(['GB-123456789', 'GB-987654321', 'FR-552100554', 'vn0100233488', '100233488']);
    expect(r.taxCodes).toBe(false);
    expect(r.key('vn0100233488')).toBe('0100233488');
    expect(r.key('100233488')).toBe('100233488');
  });
});

const nine = fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }).map((a) => a.join(''));
/** a tax code as exports write it */
function render(code: string, style: number): string {
  switch (style) {
    case 0: return code;
    case 1: return code.startsWith('0') ? code.slice(1) : code;
    case 2: return `vn${code}`;
    case 3: return `MST: ${code.slice(0, 4)} ${code.slice(4, 7)} ${code.slice(7)}`;
    case 4: return `="${code}"`;
    default: return `'${code}`;
  }
}

describe('party id properties', () => {
  it('however a column is made, a value is reshaped (zero restored, branch cut) only into a code that passes the check digit', () => {
    const cell = fc.oneof(nine, nine.map((d) => d + '1234'), nine.map((d) => d + '7'), fc.string({ maxLength: 12 }), nine.map((d) => render(makeTaxCode(d), 1)));
    fc.assert(
      fc.property(fc.array(cell.filter((c) => c.trim() !== ''), { minLength: 1, maxLength: 30 }), (cells) => {
        const r = read(cells.map((c) => c.trim()));
        for (const c of new Set(cells.map((x) => x.trim()))) {
          const key = r.key(c);
          const t = readTaxCode(c);
          if (key === unwrapSpreadsheet(c) || key === c) continue;
          // changed: to the reading's id, and a reshaped one passes
          expect(key).toBe(t!.id);
          if (t!.reshaped) expect(taxCodeCheckValid(key.slice(0, 10))).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('valid codes written every usual way, with up to 40% of rows that are no tax code, are read as their codes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(nine, fc.integer({ min: 0, max: 5 })), { minLength: 3, maxLength: 20 }),
        fc.array(fc.constantFrom('Liên danh A - B', 'Liên danh C - D', 'CONSORTIUM X', 'n/a'), { maxLength: 12 }),
        (codes, junk) => {
          const cells = codes.map(([d, style]) => render(makeTaxCode(d), style));
          const extra = junk.slice(0, Math.floor((cells.length * 2) / 3));
          const r = read([...cells, ...extra]);
          expect(r.taxCodes).toBe(true);
          codes.forEach(([d], i) => expect(r.key(cells[i])).toBe(makeTaxCode(d)));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('party ids through the loader', () => {
  it('a bidder column with consortium rows still joins the companies registry', async () => {
    const bids = file(
      'mix_bids.csv',
      'Mã TBMT,Mã bên mời thầu,MST nhà thầu,Giá dự thầu\n' +
        'IB1,0101243150,100233488,1000\nIB1,0101243150,314409058,1050\nIB2,0101243150,0100109106,900\n' +
        'IB2,0101243150,Liên danh Đông Á - Hòa Bình,950\nIB3,0101243150,Liên danh Sông Đà,700\nIB3,0101243150,0301452948,720\n',
    );
    const { dataset, reports } = await loadDataset([{ kind: 'bids', path: bids }]);
    const t = dataset.bids!;
    const ids = Array.from(t.party('bidder_id')!, (p) => dataset.parties.id(p));
    expect(ids).toEqual(['0100233488', '0314409058', '0100109106', 'Liên danh Đông Á - Hòa Bình', 'Liên danh Sông Đà', '0301452948']);
    expect(reports[0].columns.bidder_id.convention).toMatch(/^tax codes, 4 of 4 rows pass the check digit/);
    expect(reports[0].warnings).toContainEqual(expect.stringMatching(/column bidder_id \("MST nhà thầu"\): 2 rows hold no tax code and are kept as written: "Liên danh Đông Á - Hòa Bình" \(line 5\), "Liên danh Sông Đà" \(line 6\)/));
  });

  it('Excel wrappers join the seller; an id in scientific notation is reported with its line', async () => {
    const inv = file(
      'wrap_inv.csv',
      'Số hóa đơn,Ngày lập,MST người bán,Tổng tiền chưa thuế\n' +
        '1,04/03/2024,0100233488,1\n2,05/03/2024,0100233488,1\n3,06/03/2024,="0100233488",1\n4,07/03/2024,\'0100233488,1\n5,08/03/2024,1.00233E+08,1\n',
    );
    const { dataset, reports } = await loadDataset([{ kind: 'invoices', path: inv }]);
    const ids = Array.from(dataset.invoices!.party('seller_id')!, (p) => dataset.parties.id(p));
    expect(ids).toEqual(['0100233488', '0100233488', '0100233488', '0100233488', '1.00233E+08']);
    expect(reports[0].columns.seller_id.convention).toContain('spreadsheet wrappers');
    expect(reports[0].warnings).toContainEqual(expect.stringMatching(/scientific notation.*cannot be restored.*"1\.00233E\+08" \(line 6\)/));
  });

  it('Thai 13-digit ids are kept as written, so no two bidders share a tax-code root', async () => {
    const bids = file(
      'thai.csv',
      'tender_id,buyer_id,bidder_id,bid_amount\nT1,0994000165234,0105556012345,1\nT1,0994000165234,0105556012892,2\nT1,0994000165234,0105561004567,3\n',
    );
    const { dataset, reports } = await loadDataset([{ kind: 'bids', path: bids }]);
    const ids = Array.from(dataset.bids!.party('bidder_id')!, (p) => dataset.parties.id(p));
    expect(ids).toEqual(['0105556012345', '0105556012892', '0105561004567']);
    expect(reports[0].columns.bidder_id.convention).toBe('ids as written');
    expect(reports[0].warnings).toEqual([]);
  });
});
