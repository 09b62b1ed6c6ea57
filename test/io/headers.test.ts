import { describe, expect, it } from 'vitest';
import { guessKind, mapHeaders, missingRequired, parseUserMap } from '../../src/io/headers.js';

describe('header mapping', () => {
  it('matches canonical names and synonyms case-, accent- and punctuation-insensitively', () => {
    const m = mapHeaders('bids', ['MÃ TBMT', 'ma ben moi thau', 'MST_nhà_thầu', 'Giá dự thầu', 'Ghi chú']);
    expect(Object.fromEntries(m.index)).toEqual({ tender_id: 0, buyer_id: 1, bidder_id: 2, bid_amount: 3 });
    expect(m.unmapped).toEqual(['Ghi chú']);
    expect(missingRequired('bids', m)).toEqual([]);
  });

  it('reads a unit in brackets: matched without it, multiplier words scale the column', () => {
    const m = mapHeaders('bids', ['Mã TBMT', 'Giá dự thầu (triệu đồng)', 'Giá gói thầu (VND)', 'Giá trúng thầu [nghìn đồng]', 'Dự toán (tỷ)']);
    expect(m.written).toMatchObject({ bid_amount: 'Giá dự thầu (triệu đồng)', estimated_value: 'Giá gói thầu (VND)', award_amount: 'Giá trúng thầu [nghìn đồng]' });
    expect(m.scale).toEqual({ bid_amount: 1e6, award_amount: 1e3 });
    // the second estimate column is a duplicate, reported, not silently taken
    expect(m.duplicates).toEqual([{ header: 'Dự toán (tỷ)', canonical: 'estimated_value' }]);
  });

  it('a user map wins over synonyms and can ignore a column', () => {
    const map = parseUserMap({ invoices: { 'Paid Date': 'issue_date', Amount: null, Net: 'amount' } }, 'm.json');
    const m = mapHeaders('invoices', ['Trans No', 'Paid Date', 'Amount', 'Net', 'Supplier ID'], map);
    expect(Object.fromEntries(m.index)).toEqual({ number: 0, issue_date: 1, amount: 3, seller_id: 4 });
    expect(() => parseUserMap({ invoices: { X: 'no_such_column' } }, 'm.json')).toThrow(/not a column of the invoices table/);
  });

  it('guesses the kind of a file from its headers', () => {
    expect(guessKind(['Số hóa đơn', 'Ngày lập', 'MST người bán', 'Tổng tiền chưa thuế'])?.kind).toBe('invoices');
    expect(guessKind(['Mã số thuế', 'Tên doanh nghiệp', 'Địa chỉ trụ sở'])?.kind).toBe('companies');
    expect(guessKind(['a', 'b'])).toBeNull();
  });
});
