/**
 * Properties of the identity normalisers over generated values: a phone keeps its key however it is
 * written; an address keeps its key without diacritics, in capitals or abbreviated; keys are stable
 * when normalised twice.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeAddress } from '../../src/normalize/address.js';
import { stripAccents } from '../../src/normalize/fold.js';
import { companyCore, personKey } from '../../src/normalize/names.js';
import { normalizePhone } from '../../src/normalize/phone.js';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''));
const mobile = fc.tuple(fc.constantFrom('03', '05', '07', '08', '09'), digits(8)).map(([p, d]) => p + d);
const landline = fc.tuple(fc.constantFrom('024', '028', '0236', '0238'), digits(8)).map(([a, d]) => (a + d).slice(0, 11));

function render(d: string, style: number): string {
  const rest = d.slice(1);
  switch (style) {
    case 0: return d;
    case 1: return `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`;
    case 2: return `+84${rest}`;
    case 3: return `${d.slice(0, 4)}.${d.slice(4, 7)}.${d.slice(7)}`;
    case 4: return `(+84) ${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}`;
    case 5: return `84${rest}`;
    default: return `${d.slice(0, 4)}-${d.slice(4, 7)}-${d.slice(7)}`;
  }
}

describe('phone keys', () => {
  it('every rendering of a mobile or landline number gives the number', () => {
    fc.assert(
      fc.property(fc.oneof(mobile, landline.filter((x) => x.length === 11)), fc.integer({ min: 0, max: 6 }), (d, style) => {
        expect(normalizePhone(render(d, style))).toBe(d);
      }),
    );
  });
});

const STREETS = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Thị Minh Khai', 'Hai Bà Trưng', 'Ngô Quyền', 'Lý Thường Kiệt', 'Phạm Văn Đồng'];
const WARDS = ['Bến Nghé', 'Dịch Vọng Hậu', 'Láng Hạ', '5', '12', 'Tân Phong'];
const DISTRICTS: [string, string][] = [['Quận', 'Q.'], ['Huyện', 'H.'], ['Thị xã', 'TX.']];
const PROVINCES = [['TP. Hồ Chí Minh', 'TP.HCM'], ['Hà Nội', 'HN'], ['Tỉnh Nghệ An', 'Nghệ An'], ['Đà Nẵng', 'ĐN']];

describe('address keys', () => {
  it('full, abbreviated, unaccented and upper-case forms of one address agree', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 999 }),
        fc.constantFrom(...STREETS),
        fc.constantFrom(...WARDS),
        fc.constantFrom(...DISTRICTS),
        fc.constantFrom('Cầu Giấy', 'Bình Thạnh', '3', 'Đô Lương'),
        fc.constantFrom(...PROVINCES),
        (n, street, ward, [dFull, dAbbr], dName, [pFull, pAbbr]) => {
          const full = `Số ${n}, đường ${street}, Phường ${ward}, ${dFull} ${dName}, ${pFull}`;
          const abbr = `Số ${n} Đ. ${street}, P. ${ward}, ${dAbbr} ${dName}, ${pAbbr}`;
          const plain = `${n} ${street}, phường ${ward}, ${dFull.toLowerCase()} ${dName}`;
          const key = normalizeAddress(full)?.key;
          expect(key).toBeTruthy();
          expect(normalizeAddress(abbr)?.key).toBe(key);
          expect(normalizeAddress(plain)?.key).toBe(key);
          expect(normalizeAddress(stripAccents(full))?.key).toBe(key);
          expect(normalizeAddress(full.toUpperCase())?.key).toBe(key);
        },
      ),
    );
  });
});

describe('name keys', () => {
  it('person and company keys are the same after folding and are idempotent', () => {
    const word = fc.constantFrom('Nguyễn', 'Trần', 'Văn', 'Thị', 'An', 'Hùng', 'Phát', 'Thịnh', 'Xây dựng', 'Thương mại', 'Minh');
    fc.assert(
      fc.property(fc.array(word, { minLength: 2, maxLength: 4 }), (ws) => {
        const name = ws.join(' ');
        expect(personKey(stripAccents(name).toUpperCase())).toBe(personKey(name));
        expect(personKey(personKey(name))).toBe(personKey(name));
        const firm = `Công ty TNHH ${name}`;
        expect(companyCore(`CTCP ${name}`)).toBe(companyCore(firm));
        expect(companyCore(companyCore(firm))).toBe(companyCore(firm));
      }),
    );
  });
});
