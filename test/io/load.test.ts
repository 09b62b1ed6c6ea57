/**
 * Reading whole files: which records become rows, which are skipped (and reported), how columns are mapped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/io/dataset.js';
import type { TableKind } from '../../src/model/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'redflag-load-'));
let n = 0;
async function load(kind: TableKind, text: string | Buffer, opts: Parameters<typeof loadDataset>[1] = {}) {
  const path = join(dir, `f${n++}.csv`);
  writeFileSync(path, text);
  const { dataset, reports } = await loadDataset([{ kind, path }], opts);
  return { table: dataset.tables[kind]!, report: reports[0], dataset };
}

const INVOICE_HEAD = 'STT,Ký hiệu mẫu số,Ký hiệu hóa đơn,Số hóa đơn,Ngày lập,MST người bán,Tổng tiền chưa thuế\n';

describe('STT: a row ordinal is not a line number', () => {
  it('an STT that numbers the rows of the export is left unmapped, with a warning', async () => {
    const { table, report } = await load(
      'invoices',
      INVOICE_HEAD + '1,1,C24TAA,1,04/03/2024,0100233488,1250000\n2,1,C24TAA,2,05/03/2024,0100233488,3310000\n3,1,C24TAA,3,06/03/2024,0100233488,2770000\n4,1,C24TAA,2,05/03/2024,0100233488,3310000\n',
    );
    expect(table.num('line_no')).toBeUndefined();
    expect(report.mapping.written.line_no).toBeUndefined();
    expect(report.mapping.unmapped).toContain('STT');
    expect(report.warnings).toContainEqual(expect.stringMatching(/column "STT" numbers the rows of the export \(it starts at 1 for only 1 of 3 invoice numbers/));
  });

  it('an STT that restarts at 1 for each invoice is its line number', async () => {
    const { table, report } = await load(
      'invoices',
      INVOICE_HEAD + '1,1,C24TAA,1,04/03/2024,0100233488,1250000\n2,1,C24TAA,1,04/03/2024,0100233488,50000\n1,1,C24TAA,2,05/03/2024,0100233488,3310000\n1,1,C24TAA,3,06/03/2024,0100233488,2770000\n',
    );
    expect(Array.from(table.num('line_no')!)).toEqual([1, 2, 1, 1]);
    expect(report.columns.line_no.convention).toContain('"STT" read as line_no: it starts at 1 for 3 of 3 invoice numbers');
    expect(report.warnings).toEqual([]);
  });

  it('a --map entry for STT is followed without the check', async () => {
    const { table } = await load('invoices', INVOICE_HEAD + '1,1,C24TAA,1,04/03/2024,0100233488,1\n2,1,C24TAA,2,05/03/2024,0100233488,1\n', {
      userMap: { invoices: { STT: 'line_no' } },
    });
    expect(Array.from(table.num('line_no')!)).toEqual([1, 2]);
  });
});

describe('currencies written in the cells', () => {
  it('several currencies in one amount column are named with their counts in a warning and in the convention', async () => {
    const { report, table } = await load(
      'bids',
      'Mã TBMT,Mã bên mời thầu,MST nhà thầu,Giá dự thầu\nIB1,0100233488,0314409058,1.250.000.000 VND\nIB1,0100233488,0100109106,1.300.000.000 VND\n' +
        'IB2,0100233488,0314409058,"50.000 USD"\nIB2,0100233488,0100109106,"52.000 USD"\nIB3,0100233488,0314409058,"45.000 EUR"\n',
    );
    expect(Array.from(table.num('bid_amount')!)).toEqual([1250000000, 1300000000, 50000, 52000, 45000]);
    expect(report.columns.bid_amount.convention).toContain('several currencies in the cells, read as they are (not converted): USD ×2, VND ×2, EUR ×1');
    expect(report.warnings).toContainEqual(expect.stringMatching(/column bid_amount \("Giá dự thầu"\): amounts in several currencies \(USD ×2, VND ×2, EUR ×1\)/));
  });

  it('one currency is shown, not warned about', async () => {
    const { report } = await load('bids', 'tender_id,buyer_id,bidder_id,bid_amount\nT1,B,S1,1.000 đ\nT1,B,S2,2.000 ₫\n');
    expect(report.columns.bid_amount.convention).toContain('currency in the cells: VND');
    expect(report.warnings).toEqual([]);
  });
});

describe('records that are not rows', () => {
  it('a header ending in a delimiter: rows lacking only the fields under empty headers are read', async () => {
    const { table, report } = await load('invoices', 'Số hóa đơn;Ngày lập;MST người bán;Tổng tiền chưa thuế;;\n1;05/03/2024;0100233488;1.000.000\n2;06/03/2024;0100233488;2.000.000;\n3;07/03/2024;0100233488;3.000.000;;\n');
    expect(report.rejected).toBe(0);
    expect(Array.from(table.num('amount')!)).toEqual([1e6, 2e6, 3e6]);
  });

  it('a row lacking a field under a named header is still rejected', async () => {
    const { report } = await load('invoices', 'Số hóa đơn;Ngày lập;MST người bán;Tổng tiền chưa thuế;Ghi chú;\n1;05/03/2024;0100233488;1.000.000\n2;06/03/2024;0100233488;2.000.000;x\n');
    expect(report.rejected).toBe(1);
    expect(report.rejectReasons).toEqual({ 'expected 6 fields, found 4': 1 });
  });

  it('the header repeated in the data (concatenated exports) is skipped and reported, not read as a tender', async () => {
    const head = 'Mã TBMT;Mã bên mời thầu;MST nhà thầu;Giá dự thầu;Trúng thầu\n';
    const { table, report, dataset } = await load(
      'bids',
      head + 'IB1;0100233488;0314409058;1.234.567.000;x\nIB1;0100233488;0100109106;1.300.000.000;\n' + '\ufeff' + head + 'IB2;0100233488;0314409058;2.100.000.000;x\n' + head,
    );
    expect(table.n).toBe(3);
    expect(report.columns.bid_amount.problems.count).toBe(0);
    expect(Array.from(table.party('buyer_id')!, (p) => dataset.parties.id(p))).toEqual(['0100233488', '0100233488', '0100233488']);
    expect(report.warnings).toContain(`${report.path}: the header repeated 2 times in the data (concatenated or paged exports), skipped at line 4, 6`);
  });

  it('a totals row with its label under the name column is skipped, not rejected', async () => {
    const rows = Array.from({ length: 15 }, (_, i) => `IB${i},0100233488,0314409058,Công ty A,${(i + 1) * 1000000}`).join('\n');
    const { table, report } = await load('bids', `Mã TBMT,Mã bên mời thầu,MST nhà thầu,Tên nhà thầu,Giá dự thầu\n${rows}\n,,,Tổng cộng,120000000\n,,,Cộng tiền hàng:,1\n`);
    expect(report.rejected).toBe(0);
    expect(table.n).toBe(15);
    expect(report.warnings).toContain(`${report.path}: 2 total rows ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line 17, 18`);
  });

  it('a bidder named "TOTAL" or "Tổng cộng" with no ids but its own tender_id is read as a bid, and reported', async () => {
    const { table, report } = await load(
      'bids',
      'tender_id,buyer_id,bidder_id,bidder_name,bid_amount\nT1,,,TOTAL,1000\nT1,,,Société Générale,1200\nT2,,,Tổng cộng,700\nT2,,,Acme,800\n',
    );
    expect(table.n).toBe(4);
    expect(Array.from({ length: 4 }, (_, r) => table.text('tender_id', r))).toEqual(['T1', 'T1', 'T2', 'T2']);
    expect(Array.from(table.num('bid_amount')!)).toEqual([1000, 1200, 700, 800]);
    expect(report.rejected).toBe(0);
    expect(report.warnings).toEqual([
      `${report.path}: 2 rows at line 2, 4 have a total label ("Tổng cộng", "Total"…) and no firm or buyer id but a tender_id of their own: ` +
        'read as records, not as totals lines (remove them if they are subtotals)',
    ]);
  });

  it('a totals line has no key of its own: its tender_id is blank or the label itself', async () => {
    const { table, report } = await load('bids', 'tender_id,buyer_id,bidder_id,bidder_name,bid_amount\nT1,B1,S1,Acme,1000\nT1,B1,S2,Beta,1200\nTOTAL,,,,2200\n,,,Total:,2200\n');
    expect(table.n).toBe(2);
    expect(report.rejected).toBe(0);
    expect(report.warnings).toEqual([`${report.path}: 2 total rows ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line 4, 5`]);
  });

  it('an invoice totals line (no number, no seller) is skipped; one with a number but no seller is rejected, not skipped', async () => {
    const { table, report } = await load(
      'invoices',
      'number,issue_date,seller_id,seller_name,amount\n1,05/03/2024,0100233488,Acme,1000\n2,06/03/2024,0100233488,Acme,2000\n,,,Tổng cộng,3000\n3,07/03/2024,,TOTAL,3000\n',
    );
    expect(table.n).toBe(2);
    expect(report.rejectReasons).toEqual({ 'no seller_id': 1 });
    expect(report.rejectLines).toEqual([5]);
    expect(report.warnings).toEqual([`${report.path}: 1 total row ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line 4`]);
  });

  it('the footer below the totals line (amount in words, place and date, signatures) is skipped and reported, not read or rejected', async () => {
    const { table, report } = await load(
      'bids',
      'Mã TBMT,Mã bên mời thầu,MST nhà thầu,Tên nhà thầu,Giá dự thầu\n' +
        'IB1,0100233488,0314409058,Công ty A,1000000\nIB1,0100233488,0100109106,Công ty B,2000000\n' +
        ',,,Tổng cộng,3000000\n' +
        'Bằng chữ: Ba triệu đồng\n' +
        '\n' +
        '"Hà Nội, ngày 05 tháng 03 năm 2024"\n' +
        'Người lập biểu,,Kế toán trưởng,,Thủ trưởng đơn vị\n' +
        '"(Ký, họ tên)",,"(Ký, họ tên)",,"(Ký, họ tên, đóng dấu)"\n',
    );
    expect(table.n).toBe(2);
    expect(report.rejected).toBe(0);
    expect(report.warnings).toEqual([
      `${report.path}: 1 total row ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line 4`,
      `${report.path}: 4 lines below the totals line with no id, amount or date (the amount in words, signatures…) skipped at line 5, 7, 8, 9`,
    ]);
  });

  it('a totals line with fewer fields than the header (its empty cells dropped) is skipped, not rejected', async () => {
    const { table, report } = await load('bids', 'tender_id;buyer_id;bidder_id;bidder_name;bid_amount;bid_status\nT1;B1;S1;Acme;100;valid\nT1;B1;S2;Beta;200;valid\nTổng cộng;;;300\n');
    expect(table.n).toBe(2);
    expect(report.rejected).toBe(0);
    expect(report.warnings).toEqual([`${report.path}: 1 total row ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line 4`]);
  });

  it('below a page total the table goes on: the lines held back are read (or rejected) as they would be without it', async () => {
    const { table, report } = await load(
      'bids',
      'tender_id,buyer_id,bidder_id,bid_amount\nT1,B1,S1,100\nTotal,,,100\nPage 2\nT2,,,200\nT3,B1,S2,300\n',
    );
    // "Page 2" is rejected as it always was (one field), and "T2" with no ids is read with its amount
    expect(Array.from({ length: table.n }, (_, r) => table.text('tender_id', r))).toEqual(['T1', 'T2', 'T3']);
    expect(Array.from(table.num('bid_amount')!)).toEqual([100, 200, 300]);
    expect(report.rejectReasons).toEqual({ 'expected 4 fields, found 1': 1 });
    expect(report.rejectLines).toEqual([4]);
    expect(report.warnings).toEqual([`${report.path}: 1 total row ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line 3`]);
  });

  it('a row naming a firm is never a totals row, and a firm called "Tổng công ty …" is no total label', async () => {
    const { table, report } = await load('bids', 'tender_id,buyer_id,bidder_id,bidder_name,bid_amount\nT1,B1,S1,Tổng cộng,1\nT2,,,Tổng công ty Sông Đà,2\n');
    expect(table.n).toBe(2);
    expect(report.warnings).toEqual([]);
  });
});

describe('skipped records leave the rows as they were (property)', () => {
  it('repeated headers, totals rows and a header ending in a delimiter change no row read', async () => {
    const head = ['Mã TBMT', 'Mã bên mời thầu', 'MST nhà thầu', 'Tên nhà thầu', 'Giá dự thầu'];
    const row = fc.record({
      t: fc.integer({ min: 1, max: 30 }),
      buyer: fc.constantFrom('0100233488', '0101243150', 'BV-BACH-MAI'),
      bidder: fc.constantFrom('0314409058', '100109106', 'Liên danh A - B', '0301452948'),
      name: fc.constantFrom('Công ty A', 'Tổng công ty Sông Đà', 'Cộng Hòa Co', ''),
      amount: fc.integer({ min: 1, max: 1e9 }),
    });
    const noise = fc.constantFrom('header', 'bom-header', 'total', 'total-name', 'blank');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(row, fc.option(noise, { freq: 4 })), { minLength: 1, maxLength: 25 }), fc.boolean(), async (items, trailing) => {
        const line = (r: (typeof items)[number][0]) => [`IB${r.t}`, r.buyer, r.bidder, r.name, String(r.amount)].join(';');
        const clean = [head.join(';'), ...items.map(([r]) => line(r))].join('\n') + '\n';
        const noisy: string[] = [head.join(';') + (trailing ? ';' : '')];
        for (const [r, extra] of items) {
          noisy.push(line(r));
          if (extra === 'header') noisy.push(head.join(';'));
          else if (extra === 'bom-header') noisy.push('\ufeff' + head.join(';'));
          else if (extra === 'total') noisy.push('Tổng cộng;;;;123');
          else if (extra === 'total-name') noisy.push(';;;Tổng cộng;123');
          else if (extra === 'blank') noisy.push(';;;;');
        }
        const a = await load('bids', clean);
        const b = await load('bids', noisy.join('\n') + '\n');
        expect(b.report.rejected).toBe(0);
        expect(b.table.n).toBe(a.table.n);
        for (const col of ['tender_id', 'bidder_name']) expect(Array.from({ length: a.table.n }, (_, r) => b.table.text(col, r))).toEqual(Array.from({ length: a.table.n }, (_, r) => a.table.text(col, r)));
        for (const col of ['buyer_id', 'bidder_id'])
          expect(Array.from(b.table.party(col)!, (p) => b.dataset.parties.id(p))).toEqual(Array.from(a.table.party(col)!, (p) => a.dataset.parties.id(p)));
        expect(Array.from(b.table.num('bid_amount')!)).toEqual(Array.from(a.table.num('bid_amount')!));
      }),
      { numRuns: 60 },
    );
  });
});
