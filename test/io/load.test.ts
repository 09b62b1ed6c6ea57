/**
 * Reading whole files: which records become rows, which are skipped (and reported), how columns are mapped.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
