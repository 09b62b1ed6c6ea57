import { describe, expect, it } from 'vitest';
import { foldKey, foldText, stripAccents } from '../../src/normalize/fold.js';

/** The definition: canonical decomposition, marks U+0300–U+036F removed, đ/Đ written d/D. */
const reference = (s: string) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');

describe('stripAccents', () => {
  it('folds Vietnamese and other Latin letters', () => {
    expect(stripAccents('Nguyễn Thị Minh Khai, Phường 5, Quận 3')).toBe('Nguyen Thi Minh Khai, Phuong 5, Quan 3');
    expect(stripAccents('Đống Đa, đường Hùng Vương')).toBe('Dong Da, duong Hung Vuong');
    expect(stripAccents('Crème brûlée “Ãn”')).toBe('Creme brulee “An”');
    expect(stripAccents('plain ascii')).toBe('plain ascii');
    expect(stripAccents('')).toBe('');
  });

  it('agrees with the definition on every single code unit up to U+FFFF', () => {
    for (let c = 0; c <= 0xffff; c++) {
      const s = String.fromCharCode(c);
      expect(stripAccents(s)).toBe(reference(s));
    }
  });

  it('agrees with the definition on random mixes of letters, decomposed and precomposed marks, other scripts and surrogates', () => {
    const pool = [
      'a', 'D', ' ', ',', '5', 'đ', 'Đ', 'ư', 'Ơ', 'ễ', 'ặ', 'Ỹ', 'é', 'ñ', 'ß', '\u00a0', '–', '“', '\u2000',
      '\u0301', '\u0323', '\u0302', '\u0344', '\u0483', '\u05b0', '\u0e48', '\u1dc0', '\u20d0',
      'ά', 'й', 'Ω', '\u212b', '한', '漢', '😀', '\ud800', '\udc00', 'ǅ', 'ﬁ', '\u1e9b', '\u0345',
    ];
    let seed = 3;
    const rnd = (k: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % k);
    for (let i = 0; i < 20000; i++) {
      let s = '';
      const len = rnd(12);
      for (let j = 0; j < len; j++) s += pool[rnd(pool.length)];
      expect(stripAccents(s)).toBe(reference(s));
    }
    const long = 'Số 84, đường Nguyễn Thị Minh Khai '.repeat(300);
    expect(stripAccents(long)).toBe(reference(long));
  });

  it('keeps foldKey and foldText as they were', () => {
    expect(foldKey('Mã gói thầu')).toBe('ma_goi_thau');
    expect(foldText('  NGUYỄN   Văn  An ')).toBe('nguyen van an');
  });
});
