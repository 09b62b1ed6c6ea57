import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AmountColumn, type AmountResult } from '../../src/normalize/amount.js';

function read(cells: string[]): AmountResult {
  const col = new AmountColumn();
  cells.forEach((c, i) => col.push(c, i + 2));
  return col.finish();
}

/** One cell read on its own (no other cell to vote with). */
function one(cell: string): number {
  return read([cell]).values[0];
}

describe('AmountColumn: single cells', () => {
  it.each([
    ['1234567', 1234567],
    ['0', 0],
    ['007', 7],
    ['1,234,567', 1234567],
    ['1.234.567', 1234567],
    ['1.234.567,89', 1234567.89],
    ['1,234,567.5', 1234567.5],
    ['1 234 567', 1234567],
    ['1\u00a0234\u00a0567', 1234567],
    ['1\u202f234\u202f567', 1234567],
    ["1'234'567.50", 1234567.5],
    ['1’234’567.50', 1234567.5],
    ['1 234 567,25', 1234567.25],
    ['1234.5', 1234.5],
    ['1234,5', 1234.5],
    ['.5', 0.5],
    [',75', 0.75],
    ['0.500', 0.5],
    ['1234.567', 1234.567],
    ['1.2E+07', 12000000],
    ['1.2e7', 12000000],
    ['1,5E-2', 0.015],
    ['3E3', 3000],
    ['  42  ', 42],
    ['+42', 42],
    ['123456789012345678', 123456789012345678],
  ])('%j → %d', (cell, expected) => {
    expect(one(cell)).toBeCloseTo(expected, 9);
  });

  it.each([
    ['VND 1.234.567', 1234567],
    ['1.234.567 VND', 1234567],
    ['1.234.567VND', 1234567],
    ['1.234.567 vnd', 1234567],
    ['1.234.567 VNĐ', 1234567],
    ['1.234.567 đ', 1234567],
    ['1.234.567đ', 1234567],
    ['1.234.567 Đ', 1234567],
    ['₫1.234.567', 1234567],
    ['1.234.567 ₫', 1234567],
    ['1.234.567 đồng', 1234567],
    ['1.234.567 dong', 1234567],
    ['USD 1,200.50', 1200.5],
    ['US$ 1,200.50', 1200.5],
    ['$1,200.50', 1200.5],
    ['EUR 1.200,50', 1200.5],
    ['€1.200,50', 1200.5],
    ['1.200,50 €', 1200.5],
    ["CHF 1'200.50", 1200.5],
    ["1'200.50 CHF", 1200.5],
    ['BRL 1.200,50', 1200.5],
    ['R$ 1.200,50', 1200.5],
    ['GBP 1,200.50', 1200.5],
    ['£1,200.50', 1200.5],
  ])('currency %j → %d', (cell, expected) => {
    expect(one(cell)).toBeCloseTo(expected, 9);
  });

  it.each([
    ['-1200', -1200],
    ['(1200)', -1200],
    ['1200-', -1200],
    ['−1200', -1200],
    ['- 1.200.000', -1200000],
    ['(1.200.000)', -1200000],
    ['-$1,200.50', -1200.5],
    ['$-1,200.50', -1200.5],
    ['($1,200.50)', -1200.5],
    ['(1.200.000 VND)', -1200000],
    ['1.200.000- VND', -1200000],
    ['-1.2E+07', -12000000],
  ])('negative %j → %d', (cell, expected) => {
    expect(one(cell)).toBeCloseTo(expected, 9);
  });

  it('counts negatives, and the cells of each currency (đ, ₫, VNĐ are all VND)', () => {
    const r = read(['-1', '(2)', '3-', '4', '5 VND', '₫6', '7 đ', '8 VND']);
    expect(r.negatives).toBe(3);
    expect(r.currencies).toEqual([{ code: 'VND', cells: 4 }]);
    expect(r.description).toContain('; currency in the cells: VND');
  });

  it('names the currencies of a column written in several, with their cells', () => {
    const r = read(['1.250.000.000 VND', '1.300.000.000 VND', '50.000 USD', '$52.000', '45.000 EUR', '1.000']);
    expect(r.currencies).toEqual([
      { code: 'USD', cells: 2 },
      { code: 'VND', cells: 2 },
      { code: 'EUR', cells: 1 },
    ]);
    expect(r.description).toContain('several currencies in the cells, read as they are (not converted): USD ×2, VND ×2, EUR ×1');
  });

  it('blank cells are NaN and not problems', () => {
    const r = read(['', '   ', '\u00a0', '\t']);
    expect([...r.values].every(Number.isNaN)).toBe(true);
    expect(r.problems.count).toBe(0);
  });

  it.each([
    'abc',
    'n/a',
    '-',
    'VND',
    '$',
    '1.23.4',
    '1,2,3',
    '1.2.3,4,5',
    '1.234,567.89,1',
    '1,23,456',
    '12.34.567',
    '1 23',
    '1 234.567 890',
    '1.234 567',
    '--5',
    '(-5)',
    '(5',
    '12abc',
    '1.2.3E5',
    '1e',
    '.',
    '1..2',
    '1.,2',
  ])('unreadable %j becomes blank and a problem', (cell) => {
    const r = read(['1', cell, '2']);
    expect(Number.isNaN(r.values[1])).toBe(true);
    expect(r.values[0]).toBe(1);
    expect(r.values[2]).toBe(2);
    expect(r.problems.count).toBe(1);
    expect(r.problems.lines).toEqual([3]);
    expect(r.problems.samples).toEqual([cell]);
  });

  it('keeps only the first few problem examples but counts them all', () => {
    const r = read(Array.from({ length: 20 }, () => 'x'));
    expect(r.problems.count).toBe(20);
    expect(r.problems.lines).toEqual([2, 3, 4, 5, 6]);
  });
});

describe('AmountColumn: decimal convention per column', () => {
  it('reads 500.000, 1.200.000, 750.000 as thousands', () => {
    const r = read(['500.000', '1.200.000', '750.000']);
    expect([...r.values]).toEqual([500000, 1200000, 750000]);
    expect(r.convention).toBe('comma-decimal');
    expect(r.description).toContain('thousands "."');
    expect(r.problems.count).toBe(0);
  });

  it('reads 1.234, 2.5, 3.75 as dot-decimal', () => {
    const r = read(['1.234', '2.5', '3.75']);
    expect([...r.values]).toEqual([1.234, 2.5, 3.75]);
    expect(r.convention).toBe('dot-decimal');
    expect(r.description).toBe('thousands ",", decimal "." (1,234,567.89)');
  });

  it('reads 1,234 as 1.234 in a comma-decimal column, even before the deciding cell', () => {
    const r = read(['1,234', '7', '1.234.567,5', '0,125']);
    expect([...r.values]).toEqual([1.234, 7, 1234567.5, 0.125]);
    expect(r.convention).toBe('comma-decimal');
  });

  it('keeps ambiguous cells with the other separator as thousands', () => {
    const r = read(['500,000', '2.5', '1.500']);
    expect([...r.values]).toEqual([500000, 2.5, 1.5]);
    expect(r.convention).toBe('dot-decimal');
  });

  it('with no votes, an ambiguous separator is thousands', () => {
    expect([...read(['500,000', '250,000']).values]).toEqual([500000, 250000]);
    expect(read(['500,000', '250,000']).convention).toBe('dot-decimal');
    expect([...read(['1.234']).values]).toEqual([1234]);
    expect(read(['1.234']).convention).toBe('comma-decimal');
    const mixed = read(['1.234', '5,678']);
    expect([...mixed.values]).toEqual([1234, 5678]);
  });

  it('plain integers only: no separators seen', () => {
    const r = read(['1', '22', '333']);
    expect(r.description).toMatch(/plain numbers/);
    expect(r.problems.count).toBe(0);
  });

  it('majority wins; the minority cells become blank problems', () => {
    const r = read(['1.234.567', '2.000.000,5', '3,5', '1,234,567', '800.000.000']);
    expect(r.convention).toBe('comma-decimal');
    expect(r.values[0]).toBe(1234567);
    expect(r.values[1]).toBe(2000000.5);
    expect(r.values[2]).toBe(3.5);
    expect(Number.isNaN(r.values[3])).toBe(true);
    expect(r.values[4]).toBe(800000000);
    expect(r.problems.count).toBe(1);
    expect(r.problems.lines).toEqual([5]);
    expect(r.problems.samples).toEqual(['1,234,567']);
    expect(r.description).toMatch(/1 cell written with decimal "\." left blank/);
  });

  it('merges minority cells with other problems in line order', () => {
    const r = read(['1,5', 'abc', '2.5', '3.5', '4.5', 'x']);
    expect(r.convention).toBe('dot-decimal');
    expect(r.problems.count).toBe(3);
    expect(r.problems.lines).toEqual([2, 3, 7]);
    expect(r.problems.samples).toEqual(['1,5', 'abc', 'x']);
  });

  it('describes grouping by spaces and apostrophes', () => {
    expect(read(['1 234 567']).description).toMatch(/grouped by spaces/);
    expect(read(["1'234'567"]).description).toMatch(/grouped by apostrophes/);
  });
});

describe('AmountColumn: properties', () => {
  type Style = { decimal: '.' | ','; thousands: string };
  const styles: Style[] = [
    { decimal: ',', thousands: '.' },
    { decimal: ',', thousands: ' ' },
    { decimal: ',', thousands: '\u00a0' },
    { decimal: ',', thousands: '' },
    { decimal: '.', thousands: ',' },
    { decimal: '.', thousands: "'" },
    { decimal: '.', thousands: '\u202f' },
    { decimal: '.', thousands: '' },
  ];
  const currencies = ['', 'VND', 'VNĐ', 'đ', '₫', 'đồng', 'USD', 'US$', '$', 'EUR', '€', 'CHF', 'BRL', 'R$', 'GBP', '£'];
  const negStyles = ['-x', '(x)', 'x-'] as const;

  function group(int: string, sep: string): string {
    if (!sep) return int;
    let out = '';
    for (let i = 0; i < int.length; i++) {
      if (i > 0 && (int.length - i) % 3 === 0) out += sep;
      out += int[i];
    }
    return out;
  }

  function format(
    cents: number,
    decimal: string,
    thousands: string,
    showCents: boolean,
    cur: string,
    curBefore: boolean,
    space: boolean,
    neg: (typeof negStyles)[number],
  ): string {
    const abs = Math.abs(cents);
    const int = String(Math.floor(abs / 100));
    const frac = String(abs % 100).padStart(2, '0');
    let body = group(int, thousands);
    if (showCents || abs % 100 !== 0) body += decimal + frac;
    const gap = space ? ' ' : '';
    if (cur) body = curBefore ? cur + gap + body : body + gap + cur;
    if (cents < 0) body = neg === '-x' ? '-' + body : neg === '(x)' ? `(${body})` : body + '-';
    return body;
  }

  const cell = fc.record({
    cents: fc.integer({ min: -99_999_999_999_99, max: 99_999_999_999_99 }),
    showCents: fc.boolean(),
    cur: fc.constantFrom(...currencies),
    curBefore: fc.boolean(),
    space: fc.boolean(),
    neg: fc.constantFrom(...negStyles),
    styleIndex: fc.nat(),
  });

  it('a column formatted in one convention reads back to the cent', () => {
    fc.assert(
      fc.property(fc.constantFrom('.', ','), fc.array(cell, { minLength: 1, maxLength: 30 }), (decimal, cells) => {
        const own = styles.filter((s) => s.decimal === decimal);
        const texts = cells.map((c) => {
          const st = own[c.styleIndex % own.length];
          return format(c.cents, st.decimal, st.thousands, c.showCents, c.cur, c.curBefore, c.space, c.neg);
        });
        const r = read(texts);
        expect(r.problems.count).toBe(0);
        cells.forEach((c, i) => {
          expect(Math.abs(r.values[i] - c.cents / 100)).toBeLessThan(0.005);
        });
        expect(r.negatives).toBe(cells.filter((c) => c.cents < 0).length);
      }),
      { numRuns: 500 },
    );
  });

  it('three-decimal cells are read as decimals once any cell settles the convention', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('.', ','),
        fc.array(fc.integer({ min: 1000, max: 999_999 }), { minLength: 1, maxLength: 20 }),
        fc.nat(),
        (decimal, thousandths, at) => {
          const thousands = decimal === ',' ? '.' : ',';
          // 1.234 in a dot-decimal column, written without grouping so it is ambiguous
          const texts = thousandths.map((t) => `${Math.floor(t / 1000)}${decimal}${String(t % 1000).padStart(3, '0')}`);
          const settle = `1${thousands}234${thousands}567${decimal}5`;
          const pos = at % (texts.length + 1);
          texts.splice(pos, 0, settle);
          const r = read(texts);
          expect(r.convention).toBe(decimal === '.' ? 'dot-decimal' : 'comma-decimal');
          const expected = thousandths.map((t) => t / 1000);
          expected.splice(pos, 0, 1234567.5);
          expected.forEach((v, i) => expect(r.values[i]).toBeCloseTo(v, 9));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the fast path and the full parser agree', () => {
    const text = fc.string({ unit: fc.constantFrom(...'0123456789.,'.split('')), minLength: 1, maxLength: 18 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), (cells) => {
        const fast = read(cells);
        const slow = read(cells.map((c) => ` ${c} `));
        expect([...fast.values]).toEqual([...slow.values]);
        expect(fast.problems.count).toBe(slow.problems.count);
        expect(fast.problems.lines).toEqual(slow.problems.lines);
        expect(fast.convention).toBe(slow.convention);
      }),
      { numRuns: 2000 },
    );
  });
});
