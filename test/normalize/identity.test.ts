/**
 * Identity normalisers: the same address, phone, e-mail, person or company written the way different
 * exports write it must give one key; different ones must not.
 */
import { describe, expect, it } from 'vitest';
import { addressBlock, foldAddress, normalizeAddress } from '../../src/normalize/address.js';
import { normalizeEmails, websiteDomain } from '../../src/normalize/email.js';
import { displayKey, identityKeys, normalizeBankAccounts, normalizeIp, rarity } from '../../src/normalize/identity.js';
import { companyCore, distinctivePart, NameFrequencies, parseOwners, personKey } from '../../src/normalize/names.js';
import { normalizePhone, normalizePhones } from '../../src/normalize/phone.js';
import { editDistance, UnionFind } from '../../src/graph/groups.js';

const key = (s: string) => normalizeAddress(s)?.key ?? null;

describe('normalizeAddress', () => {
  it('one office in full, abbreviated, without diacritics, plain and compact', () => {
    const forms = [
      'Tầng 5, Tòa nhà Sông Đà, Số 84, đường Nguyễn Thị Minh Khai, Phường Dịch Vọng Hậu, Quận Cầu Giấy, Hà Nội',
      'T5, TN Sông Đà, Số 84 Đ. Nguyễn Thị Minh Khai, P. Dịch Vọng Hậu, Q. Cầu Giấy, HN',
      'Tang 5, Toa nha Song Da, So 84, duong Nguyen Thi Minh Khai, Phuong Dich Vong Hau, Quan Cau Giay, Ha Noi',
      'Tầng 5, Tòa nhà Sông Đà, 84 Nguyễn Thị Minh Khai, phường Dịch Vọng Hậu, quận Cầu Giấy, Thành phố Hà Nội',
      'T5,TN Sông Đà,84 Nguyễn Thị Minh Khai,P. Dịch Vọng Hậu,Q. Cầu Giấy,HN',
      'SỐ 84 ĐƯỜNG NGUYỄN THỊ MINH KHAI, P. DỊCH VỌNG HẬU, Q. CẦU GIẤY, TP. HÀ NỘI, VIỆT NAM',
    ];
    expect(new Set(forms.map(key))).toEqual(new Set(['|84|nguyen thi minh khai||dich vong hau|cau giay']));
  });

  it('Hồ Chí Minh City: numbered wards and districts, TP.HCM / Sài Gòn, leading zeros, no commas', () => {
    const forms = ['Số 12, đường Lê Lợi, Phường 5, Quận 3, TP. Hồ Chí Minh', '12 Le Loi, P.05, Q.3, TP.HCM', 'Số 12 Đ. Lê Lợi, F.5, Q.3, Thành phố Hồ Chí Minh', '12 Lê Lợi P5 Q3 Sài Gòn'];
    expect(new Set(forms.map(key))).toEqual(new Set(['|12|le loi||5|3']));
  });

  it('rural addresses: hamlet, Xã/X., Huyện/H., with or without the province', () => {
    const forms = ['Thôn Đông, Xã An Phú, Huyện Đô Lương, Tỉnh Nghệ An', 'Thôn Đông, X. An Phú, H. Đô Lương, Nghệ An', 'thôn Đông, xã An Phú, huyện Đô Lương'];
    expect(new Set(forms.map(key))).toEqual(new Set(['|||thon dong|an phu|do luong']));
  });

  it('Số nhà, Khu phố/KP, Tổ dân phố/TDP written out or shortened', () => {
    expect(key('Số nhà 15, Khu phố 3, Phường Tân Phong, Quận 7, TP. Hồ Chí Minh')).toBe(key('15, KP3, P. Tân Phong, Q.7, TP.HCM'));
    expect(key('Tổ dân phố 4, Phường Quang Trung, TP. Vinh, Nghệ An')).toBe(key('TDP 4, P. Quang Trung, TP. Vinh, Nghệ An'));
  });

  it('a provincial city as district (TP. Huế) and a province written "TT Huế"', () => {
    expect(key('Số 3, đường Ngô Quyền, Phường Vĩnh Ninh, TP. Huế, Thừa Thiên Huế')).toBe(key('Số 3 Đ. Ngô Quyền, P. Vĩnh Ninh, TP. Huế, TT Huế'));
  });

  it('street names that look like markers keep their words; lanes are kept', () => {
    expect(key('Số 45, ngõ 12, đường Xã Đàn, Phường Nam Đồng, Quận Đống Đa, Hà Nội')).toBe('12|45|xa dan||nam dong|dong da');
    expect(key('45 ngõ 12 Xã Đàn, P. Nam Đồng, Q. Đống Đa, HN')).toBe('12|45|xa dan||nam dong|dong da');
    const ngo = key('Số 1, đường Ngô Quyền, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh');
    expect(ngo).toBe('|1|ngo quyen||ben nghe|1');
    expect(key('1 Ngô Quyền, phường Bến Nghé, quận 1')).toBe(ngo);
    expect(key('Số 1, Ngô Quyền, P. Bến Nghé, Q.1, TP.HCM')).toBe(ngo);
    expect(key('Số 20, Lò Đúc, P. Phạm Đình Hổ, Q. Hai Bà Trưng, HN')).toBe('|20|lo duc||pham dinh ho|hai ba trung');
  });

  it('different places differ: another number, another ward, another street', () => {
    const a = key('Số 12, đường Lê Lợi, Phường 5, Quận 3, TP. Hồ Chí Minh');
    expect(key('Số 14, đường Lê Lợi, Phường 5, Quận 3, TP. Hồ Chí Minh')).not.toBe(a);
    expect(key('Số 12, đường Lê Lợi, Phường 6, Quận 3, TP. Hồ Chí Minh')).not.toBe(a);
    expect(key('Số 12, đường Lê Lai, Phường 5, Quận 3, TP. Hồ Chí Minh')).not.toBe(a);
  });

  it('too little to locate a place gives null; the fuzzy block ignores the street', () => {
    expect(key('Hà Nội')).toBeNull();
    expect(key('Quận 3, TP. Hồ Chí Minh')).toBeNull();
    expect(key('')).toBeNull();
    const a = normalizeAddress('Số 12, đường Lê Lợi, Phường 5, Quận 3, TP. Hồ Chí Minh')!;
    const b = normalizeAddress('Số 12, đường Lê Lọi Xx, Phường 5, Quận 3, TP. Hồ Chí Minh')!;
    expect(a.key).not.toBe(b.key);
    expect(addressBlock(a)).toBe(addressBlock(b));
    expect(displayKey('address', a.key)).toBe('12 le loi · ward 5 · district 3');
  });
});

describe('phones', () => {
  it('+84, 84, spaces, dots, dashes and brackets give one number', () => {
    for (const s of ['0912345678', '+84 912 345 678', '(+84) 912 345 678', '84912345678', '0912.345.678', '0912-345-678', '912345678'])
      expect(normalizePhone(s), s).toBe('0912345678');
  });
  it('landlines with area codes; the old Hà Nội code and old 11-digit mobiles are rewritten', () => {
    expect(normalizePhone('(024) 3826 1234')).toBe('02438261234');
    expect(normalizePhone('+84 24 3826 1234')).toBe('02438261234');
    expect(normalizePhone('04 3826 1234')).toBe('02438261234');
    expect(normalizePhone('0162 345 6789')).toBe('0323456789');
  });
  it('several numbers in a cell; junk is not a phone', () => {
    expect(normalizePhones('0912345678; 0987.654.321 / +84 912 345 678')).toEqual(['0912345678', '0987654321']);
    expect(normalizePhones('n/a')).toEqual([]);
    expect(normalizePhone('12345')).toBeNull();
  });
});

describe('e-mails, domains, bank accounts, IPs', () => {
  it('public webmail domains are flagged as such; Gmail dots and tags are ignored', () => {
    expect(normalizeEmails('Info@ACME.vn; mailto:Ke.Toan+thau@gmail.com')).toEqual([
      { email: 'info@acme.vn', domain: 'acme.vn', publicDomain: false },
      { email: 'ketoan@gmail.com', domain: 'gmail.com', publicDomain: true },
    ]);
    for (const d of ['gmail.com', 'yahoo.com', 'yahoo.com.vn', 'hotmail.com', 'outlook.com', 'icloud.com']) expect(normalizeEmails(`a@${d}`)[0].publicDomain, d).toBe(true);
    expect(identityKeys('email', 'a@gmail.com').map((k) => k.kind)).toEqual(['email']);
    expect(identityKeys('email', 'a@acme.vn').map((k) => k.kind)).toEqual(['email', 'domain']);
  });
  it('a website gives the same domain as an e-mail', () => {
    expect(websiteDomain('https://www.ACME.vn/lien-he')).toBe('acme.vn');
    expect(identityKeys('website', 'www.acme.vn')).toEqual([{ kind: 'domain', key: 'acme.vn' }]);
    expect(identityKeys('website', 'https://facebook.com/acme')).toEqual([]);
  });
  it('bank accounts written with the bank before or after, spaced or not, agree', () => {
    expect(normalizeBankAccounts('0011 2233 4455 - Vietcombank')).toEqual(normalizeBankAccounts('Vietcombank: 001122334455'));
    expect(normalizeBankAccounts('ACB')).toEqual([]);
  });
  it('private IP ranges are not a link', () => {
    expect(normalizeIp('113.160.012.005')).toBe('113.160.12.5');
    expect(normalizeIp('192.168.1.10')).toBeNull();
    expect(normalizeIp('10.0.0.1')).toBeNull();
  });
});

describe('names', () => {
  it('people: case, diacritics, titles and given-name-first order', () => {
    expect(personKey('Ông NGUYỄN VĂN AN')).toBe('nguyen van an');
    expect(personKey('An Nguyen Van')).toBe('nguyen van an');
    expect(personKey('Nguyễn Xuân Thành')).not.toBe(personKey('Nguyễn Thanh Xuân'));
  });
  it('a title is dropped in front of a name, not at its end (Anh, Chi and Ba are given names too)', () => {
    expect(personKey('Ông Nguyễn Văn An')).toBe('nguyen van an');
    expect(personKey('Trần Thu Anh')).toBe('tran thu anh');
    expect(personKey('Trần Thu Chi')).toBe('tran thu chi');
    expect(personKey('Bà Lê Thị Ba')).toBe('le thi ba');
  });
  it('owners with and without shares', () => {
    expect(parseOwners('Trần Minh Quý:60%; Lê Thị Hoa : 40 %;Đỗ Văn Tư')).toEqual([
      { name: 'Trần Minh Quý', key: 'tran minh quy', share: 0.6 },
      { name: 'Lê Thị Hoa', key: 'le thi hoa', share: 0.4 },
      { name: 'Đỗ Văn Tư', key: 'do van tu', share: null },
    ]);
  });
  it('company names without legal forms, trade abbreviations and place suffixes', () => {
    const same = ['Công ty TNHH Xây dựng An Phát', 'CTCP Xây dựng An Phát Miền Bắc', 'Công ty Cổ phần Xây dựng An Phát Hà Nội', 'Công ty TNHH MTV XD An Phát', 'CÔNG TY TNHH MỘT THÀNH VIÊN XÂY DỰNG AN PHÁT SÀI GÒN', 'Chi nhánh Công ty TNHH Xây dựng An Phát tại Nghệ An', 'Xay dung An Phat JSC'];
    expect(new Set(same.map(companyCore))).toEqual(new Set(['xay dung an phat']));
    // a place is dropped only when a distinctive word is left: otherwise it is the name ("Vận tải Hà Nội"), or
    // a brand that folds to a province ("Quang Trí" is Quảng Trị)
    expect(companyCore('Công ty TNHH Vận tải Hà Nội')).toBe('van tai ha noi');
    expect(companyCore('Công ty Cổ phần Xây lắp Quang Trí')).toBe('xay lap quang tri');
    expect(companyCore('Công ty Cổ phần Xây lắp Quang Trí Bình Dương')).toBe('xay lap quang tri');
    expect(companyCore('DNTN Hà Nội')).toBe('ha noi');
    expect(distinctivePart('xay dung an phat')).toBe('an phat');
    expect(distinctivePart('van tai')).toBe('');
  });
  it('common names expect namesakes, rare ones do not', () => {
    const f = new NameFrequencies();
    for (let i = 0; i < 50; i++) f.add(`nguyen van ${['an', 'binh', 'hung'][i % 3]}`);
    f.add('ta quang vinh');
    expect(f.expected('nguyen van an')).toBeGreaterThan(5);
    expect(f.expected('ta quang vinh')).toBeLessThan(0.1);
  });
});

describe('rarity and graph helpers', () => {
  it('a value shared by two firms keeps its weight; a business centre loses most of it; tax roots keep theirs', () => {
    expect(rarity('phone', 2)).toBe(1);
    expect(rarity('address', 5)).toBeGreaterThan(0.85);
    expect(rarity('address', 10)).toBeCloseTo(0.5);
    expect(rarity('address', 30)).toBeLessThan(0.1);
    expect(rarity('taxroot', 40)).toBe(1);
  });
  it('union-find and edit distance', () => {
    const uf = new UnionFind(5);
    uf.union(0, 1);
    uf.union(3, 4);
    uf.union(1, 4);
    expect(uf.find(0)).toBe(uf.find(3));
    expect(uf.find(2)).not.toBe(uf.find(0));
    expect(editDistance('le loi', 'le lai')).toBe(1);
    expect(editDistance('nguyen trai', 'nguyen hue', 2)).toBe(3);
  });
});

describe('foldAddress skips replacements that cannot match', () => {
  it('gives what running every replacement gives', () => {
    const words = [
      'Số', '84', '12/3A', ' / ', 'đường', 'Nguyễn Thị Minh Khai', 'Phường', 'P.5', 'p12', 'F.3', 'Quận', 'Q.3', 'q3', 'TP.', 'T.P', 'Thành phố', 'TP', 'Hồ Chí Minh', 'HCM', 'HCMC',
      'Sài Gòn', 'Thị xã', 'TX.', 'Thị trấn', 'TT', 'Tòa nhà', 'TN.', 'Khu công nghiệp', 'KCN', 'Cụm công nghiệp', 'CCN', 'Khu đô thị', 'KĐT', 'Đại lộ',
      'Số nhà', 'Khu phố', 'KP.', 'Tổ dân phố', 'TDP', 'Khu dân cư', 'KDC.', 'Quốc lộ', 'QL.1A', 'Tỉnh lộ', 'TL', 'Việt Nam', 'VietNam', 'Hà Nội', ';', ',', '.',
      'Tầng 5', 'Phòng 302', 'ngõ 5', 'hẻm', 'tpx', 'ttx', 'httt', 'vietcom', 'tl.', 'a.p', 't . p',
    ];
    let seed = 9;
    const rnd = (k: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % k);
    for (let i = 0; i < 20000; i++) {
      const parts: string[] = [];
      const n = 1 + rnd(10);
      for (let j = 0; j < n; j++) parts.push(words[rnd(words.length)]);
      const raw = parts.join([' ', ', ', '', ','][rnd(4)]);
      expect(foldAddress(raw)).toBe(foldAddress(raw, false));
    }
  });
});
