import { describe, expect, it } from 'vitest';
import { CodeColumn, INVALID_BID_STATUSES, VOID_INVOICE_STATUSES, matchCode, type CodebookName } from '../../src/normalize/codes.js';

function cases(book: CodebookName, table: [string, string | null][]) {
  it.each(table)(`${book}: %j → %j`, (raw, expected) => {
    expect(matchCode(book, raw)).toBe(expected);
  });
}

describe('matchCode', () => {
  cases('bid_status', [
    ['Đạt', 'valid'],
    ['ĐẠT', 'valid'],
    ['dat', 'valid'],
    ['Hợp lệ', 'valid'],
    ['pass', 'valid'],
    ['Passed', 'valid'],
    ['qualified', 'valid'],
    ['responsive', 'valid'],
    ['accepted', 'valid'],
    ['awarded', 'valid'],
    ['Trúng thầu', 'valid'],
    ['valid', 'valid'],
    ['Đạt (kỹ thuật)', 'valid'],
    ['1. Đạt', 'valid'],
    ['Không đạt', 'disqualified'],
    ['Bị loại', 'disqualified'],
    ['Không hợp lệ', 'disqualified'],
    ['Loại', 'disqualified'],
    ['rejected', 'disqualified'],
    ['fail', 'disqualified'],
    ['Failed', 'disqualified'],
    ['non-responsive', 'disqualified'],
    ['Non responsive', 'disqualified'],
    ['excluded', 'disqualified'],
    ['disqualified', 'disqualified'],
    ['Rút', 'withdrawn'],
    ['Rút hồ sơ', 'withdrawn'],
    ['withdrawn', 'withdrawn'],
    ['late', 'late'],
    ['Nộp muộn', 'late'],
    ['Quá hạn', 'late'],
    ['Không trúng thầu', null],
    ['pending', null],
    ['', null],
    ['   ', null],
  ]);

  cases('category', [
    ['Hàng hóa', 'goods'],
    ['Hàng hoá', 'goods'],
    ['HANG HOA', 'goods'],
    ['goods', 'goods'],
    ['Xây lắp', 'works'],
    ['works', 'works'],
    ['construction', 'works'],
    ['Tư vấn', 'consulting'],
    ['consulting', 'consulting'],
    ['Consultancy services', 'consulting'],
    ['Phi tư vấn', 'non-consulting'],
    ['non-consulting', 'non-consulting'],
    ['Non-consulting services', 'non-consulting'],
    ['Hỗn hợp', 'mixed'],
    ['mixed', 'mixed'],
    ['services', null],
    ['Services', null],
    ['Dịch vụ', null],
  ]);

  cases('procedure', [
    ['Đấu thầu rộng rãi', 'open'],
    ['Đấu thầu rộng rãi trong nước', 'open'],
    ['Đấu thầu rộng rãi quốc tế', 'open'],
    ['Đấu thầu rộng rãi qua mạng', 'open'],
    ['Đấu thầu rộng rãi trong nước qua mạng', 'open'],
    ['Đấu thầu rộng rãi (qua mạng)', 'open'],
    ['open', 'open'],
    ['Open tender', 'open'],
    ['open bidding', 'open'],
    ['Đấu thầu hạn chế', 'restricted'],
    ['limited', 'restricted'],
    ['restricted', 'restricted'],
    ['restricted bidding', 'restricted'],
    ['Chào hàng cạnh tranh', 'competitive-shopping'],
    ['Chào hàng cạnh tranh rút gọn', 'competitive-shopping'],
    ['competitive shopping', 'competitive-shopping'],
    ['competitive-shopping', 'competitive-shopping'],
    ['Chỉ định thầu', 'designated'],
    ['Chỉ định thầu rút gọn', 'designated'],
    ['designated contracting', 'designated'],
    ['direct appointment', 'designated'],
    ['direct contracting', 'designated'],
    ['Mua sắm trực tiếp', 'direct'],
    ['direct purchase', 'direct'],
    ['direct procurement', 'direct'],
    ['Tự thực hiện', 'self-performed'],
    ['self-performed', 'self-performed'],
    ['Đàm phán giá', 'negotiated'],
    ['negotiated', 'negotiated'],
    ['Lựa chọn nhà thầu trong trường hợp đặc biệt', 'special'],
    ['special', 'special'],
    ['Tham gia thực hiện của cộng đồng', 'community'],
    ['community', 'community'],
    ['Hình thức khác', null],
    ['invitation', null],
  ]);

  cases('invoice_status', [
    ['Hóa đơn mới', 'original'],
    ['Hóa đơn gốc', 'original'],
    ['original', 'original'],
    ['Thay thế', 'replacement'],
    ['Hóa đơn thay thế', 'replacement'],
    ['Điều chỉnh', 'adjustment'],
    ['Hóa đơn điều chỉnh', 'adjustment'],
    ['Bị thay thế', 'replaced'],
    ['Hóa đơn đã bị thay thế', 'replaced'],
    ['Bị điều chỉnh', 'adjusted'],
    ['Hóa đơn đã bị điều chỉnh', 'adjusted'],
    ['Đã hủy', 'cancelled'],
    ['Hủy', 'cancelled'],
    ['Huỷ', 'cancelled'],
    ['Hóa đơn đã bị hủy', 'cancelled'],
    ['Hóa đơn đã bị xóa bỏ/hủy bỏ', 'cancelled'],
    ['cancelled', 'cancelled'],
    ['canceled', 'cancelled'],
    ['void', 'cancelled'],
    ['1', 'original'],
    ['6', 'cancelled'],
    ['7', null],
    ['draft', null],
  ]);

  cases('company_status', [
    ['Đang hoạt động', 'active'],
    ['NNT đang hoạt động (đã được cấp GCN ĐKT)', 'active'],
    ['active', 'active'],
    ['Tạm ngừng kinh doanh', 'suspended'],
    ['NNT tạm nghỉ kinh doanh có thời hạn', 'suspended'],
    ['suspended', 'suspended'],
    ['Đã giải thể', 'closed'],
    ['Ngừng hoạt động', 'closed'],
    ['NNT ngừng hoạt động và đã hoàn thành thủ tục chấm dứt hiệu lực MST', 'closed'],
    ['closed', 'closed'],
    ['Bỏ địa chỉ kinh doanh', 'absconded'],
    ['Không hoạt động tại địa chỉ đã đăng ký', 'absconded'],
    ['NNT không hoạt động tại địa chỉ đã đăng ký', 'absconded'],
    ['absconded', 'absconded'],
    ['Không hoạt động', null],
  ]);

  cases('vat_rate', [
    ['0', '0'],
    ['0%', '0'],
    ['5', '5'],
    ['5%', '5'],
    ['8%', '8'],
    ['10%', '10'],
    ['10', '10'],
    ['10 %', '10'],
    ['10.0', '10'],
    ['10,00%', '10'],
    ['0.1', '10'],
    ['0,1', '10'],
    ['0.05', '5'],
    ['0.08', '8'],
    ['.1', '10'],
    ['KCT', 'KCT'],
    ['kct', 'KCT'],
    ['Không chịu thuế', 'KCT'],
    ['KKKNT', 'KKKNT'],
    ['Không kê khai tính nộp thuế', 'KKKNT'],
    ['KHAC:5.26%', '5.26'],
    ['3.5%', '3.5'],
    ['abc', null],
    ['150%', null],
    ['-', null],
    ['', null],
  ]);
});

describe('CodeColumn', () => {
  it('encodes canonical values and keeps unknown ones as written', () => {
    const col = new CodeColumn('bid_status');
    const cells = ['Đạt', 'Không đạt', '', 'Đạt', ' pending ', 'pending', 'PENDING', 'hợp lệ', 'pending', '?', '  '];
    cells.forEach((c, i) => col.push(c, i + 2));
    const r = col.finish();
    const decoded = [...r.codes].map((c) => (c < 0 ? null : r.dict[c]));
    expect(decoded).toEqual(['valid', 'disqualified', null, 'valid', 'pending', 'pending', 'PENDING', 'valid', 'pending', '?', null]);
    expect(r.codes).toBeInstanceOf(Int32Array);
    expect(r.unknown).toEqual([
      { value: 'pending', count: 3 },
      { value: 'PENDING', count: 1 },
      { value: '?', count: 1 },
    ]);
  });

  it('lists at most 50 unknown values, most frequent first', () => {
    const col = new CodeColumn('category');
    for (let i = 0; i < 80; i++) for (let k = 0; k <= i % 7; k++) col.push(`thing ${i}`, 2);
    col.push('Hàng hóa', 3);
    const r = col.finish();
    expect(r.unknown).toHaveLength(50);
    for (let i = 1; i < r.unknown.length; i++) expect(r.unknown[i - 1].count).toBeGreaterThanOrEqual(r.unknown[i].count);
    expect(r.unknown[0].count).toBe(7);
    expect(r.dict).toContain('goods');
    expect(r.dict).toHaveLength(81);
  });

  it('normalises vat rates', () => {
    const col = new CodeColumn('vat_rate');
    ['10%', '0.1', '8', 'KCT', 'weird'].forEach((c) => col.push(c, 2));
    const r = col.finish();
    expect([...r.codes].map((c) => r.dict[c])).toEqual(['10', '10', '8', 'KCT', 'weird']);
    expect(r.unknown).toEqual([{ value: 'weird', count: 1 }]);
  });
});

describe('status classes', () => {
  it('name canonical values of their codebook', () => {
    for (const s of INVALID_BID_STATUSES) expect(matchCode('bid_status', s)).toBe(s);
    for (const s of VOID_INVOICE_STATUSES) expect(matchCode('invoice_status', s)).toBe(s);
    expect([...INVALID_BID_STATUSES].sort()).toEqual(['disqualified', 'late', 'withdrawn']);
    expect([...VOID_INVOICE_STATUSES].sort()).toEqual(['cancelled', 'replaced']);
  });
});
