import { describe, expect, it } from 'vitest';
import { guessKind, mapHeaders, missingRequired, parseMapText, parseUserMap, unitScale } from '../../src/io/headers.js';

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

describe('header units', () => {
  it.each([
    ['nghìn đồng', 1e3],
    ['1.000 đ', 1e3],
    ['1000đ', 1e3],
    ['1.000 VNĐ', 1e3],
    ['ĐVT: 1.000 đồng', 1e3],
    ['Đơn vị tính: nghìn đồng', 1e3],
    ['1 000 đ', 1e3],
    ["£'000", 1e3],
    ['x1000', 1e3],
    ['in thousands', 1e3],
    ['Tr.đồng', 1e6],
    ['Trđ', 1e6],
    ['tr.đ', 1e6],
    ['triệu đồng', 1e6],
    ['1.000.000 đ', 1e6],
    ['£m', 1e6],
    ['USD m', 1e6],
    ['tỷ đồng', 1e9],
    ['nghìn tỷ', 1e12],
    ['VND', 1],
    ['đồng', 1],
    ['2024', 1],
    ['%', 1],
    ['m', 1],
    ['m²', 1],
  ])('(%s) is × %d', (unit, scale) => {
    expect(unitScale(unit)).toBe(scale);
  });

  it.each(['đồng/m', 'đ/m²', 'đ/m³', 'VNĐ/m²', 'đ/1000 viên', 'USD per tonne', 'VND/kg'])('a price per unit (%s) is not a multiplier', (unit) => {
    expect(unitScale(unit)).toBe(1);
  });

  it('scales by what comes before the "/": thousands of đồng per m³ are thousands', () => {
    expect(unitScale('1.000 đ/m³')).toBe(1e3);
    expect(unitScale('nghìn đồng/tấn')).toBe(1e3);
  });

  it('scales amount columns only, and matches the header without its unit', () => {
    const m = mapHeaders('invoices', ['Số hóa đơn', 'Ngày lập (1000)', 'MST người bán', 'Tổng tiền chưa thuế (1.000 đ)', 'Đơn giá (đ/m³)', 'Số lượng (m)']);
    expect(Object.fromEntries(m.index)).toEqual({ number: 0, issue_date: 1, seller_id: 2, amount: 3, unit_price: 4, quantity: 5 });
    expect(m.scale).toEqual({ amount: 1e3 });
  });
});

describe('map files', () => {
  it('per-table and flat entries together: the flat ones apply to every table', () => {
    const map = parseUserMap({ invoices: { 'Supplier ID': 'seller_id' }, 'Paid Date': 'issue_date' }, 'm.json');
    expect(map).toEqual({ invoices: { 'Supplier ID': 'seller_id' }, '*': { 'Paid Date': 'issue_date' } });
    const m = mapHeaders('invoices', ['Trans No', 'Paid Date', 'Supplier ID', 'Amount'], map);
    expect(Object.fromEntries(m.index)).toMatchObject({ issue_date: 1, seller_id: 2 });
    // with "*" too, the "*" entries win over the flat ones for the same header
    expect(parseUserMap({ '*': { A: 'amount' }, A: 'total_amount', B: 'issue_date' }, 'm.json')['*']).toEqual({ A: 'amount', B: 'issue_date' });
    expect(() => parseUserMap({ invoices: {}, X: 'no_such_column' }, 'm.json')).toThrow('m.json: "X" maps to "no_such_column", which is not a column of any table');
  });

  it('a map file may hold comments and trailing commas, as the config file does; errors give line and column', () => {
    const text = '{\n  // UK council payments\n  "invoices": { "Paid Date": "issue_date", /* net */ "Net": "amount", },\n}\n';
    expect(parseUserMap(parseMapText(text, 'm.json'), 'm.json')).toEqual({ invoices: { 'Paid Date': 'issue_date', Net: 'amount' } });
    expect(() => parseMapText('{\n  "Paid Date": "issue_date",\n  Type: null\n}\n', 'm.json')).toThrow(/^m\.json:3:3: not valid JSON \(InvalidSymbol\)/);
  });
});
