import { describe, expect, it } from 'vitest';
import { BoolColumn, parseBool } from '../../src/normalize/bool.js';

describe('parseBool', () => {
  it.each([
    'true', 'TRUE', 'True', '1', 'yes', 'Yes', 'y', 'Y', 'x', 'X', '✓', '✔', 'có', 'Có', 'CÓ', 'co', 'đúng',
    'trúng thầu', 'Trúng thầu', 'TRÚNG THẦU', 'trung thau', 'trúng', 'won', 'winner', 'Winner', 'awarded', 't', 'T',
    ' 1 ', '1.0',
  ])('%j is true', (raw) => {
    expect(parseBool(raw)).toBe(1);
  });

  it.each([
    'false', 'FALSE', '0', 'no', 'No', 'n', 'N', 'không', 'Không', 'khong', 'KHÔNG', 'không trúng thầu',
    'Không trúng thầu', 'trượt', 'Trượt', 'lost', 'f', 'F', '-', '—', 'sai', '0.0',
  ])('%j is false', (raw) => {
    expect(parseBool(raw)).toBe(0);
  });

  it.each(['', ' ', '\t', '\u00a0'])('%j is blank', (raw) => {
    expect(parseBool(raw)).toBe(-1);
  });

  it.each(['maybe', '2', 'yes!?no', 'trúng thầu một phần', '10', 'xx'])('%j is unreadable', (raw) => {
    expect(parseBool(raw)).toBe(-2);
  });
});

describe('BoolColumn', () => {
  it('stores 1, 0, -1 and reports unreadable cells as blank problems', () => {
    const col = new BoolColumn();
    ['x', '', 'Trúng thầu', 'không', 'maybe', 'x', '0', 'maybe'].forEach((c, i) => col.push(c, i + 2));
    const r = col.finish();
    expect([...r.values]).toEqual([1, -1, 1, 0, -1, 1, 0, -1]);
    expect(r.values).toBeInstanceOf(Int8Array);
    expect(r.problems).toEqual({ count: 2, lines: [6, 9], samples: ['maybe', 'maybe'] });
  });
});
