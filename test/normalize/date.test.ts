import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DateColumn, type DateOrder, type DateResult } from '../../src/normalize/date.js';

function read(cells: string[], order?: DateOrder): DateResult {
  const col = new DateColumn(order);
  cells.forEach((c, i) => col.push(c, i + 2));
  return col.finish();
}

const utc = (y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, m - 1, d, h, mi, s, ms);

describe('DateColumn: accepted forms', () => {
  it.each([
    ['2024-03-05', utc(2024, 3, 5)],
    ['2024-3-5', utc(2024, 3, 5)],
    ['2024/03/05', utc(2024, 3, 5)],
    ['2024.03.05', utc(2024, 3, 5)],
    ['2024-03-05T10:22:00+07:00', utc(2024, 3, 5, 10, 22)],
    ['2024-03-05T23:30:00+07:00', utc(2024, 3, 5, 23, 30)],
    ['2024-03-05T00:30:00-05:00', utc(2024, 3, 5, 0, 30)],
    ['2024-03-05T10:22:00Z', utc(2024, 3, 5, 10, 22)],
    ['2024-03-05T10:22:00.5+0700', utc(2024, 3, 5, 10, 22, 0, 500)],
    ['2024-03-05T10:22', utc(2024, 3, 5, 10, 22)],
    ['2024-03-05 10:22', utc(2024, 3, 5, 10, 22)],
    ['2024-03-05 10:22:07', utc(2024, 3, 5, 10, 22, 7)],
    ['2024-03-05 10:22:07.123', utc(2024, 3, 5, 10, 22, 7, 123)],
    ['2024-03-05 10:22:07,123456', utc(2024, 3, 5, 10, 22, 7, 123)],
    ['05/03/2024', utc(2024, 3, 5)],
    ['5/3/2024', utc(2024, 3, 5)],
    ['05-03-2024', utc(2024, 3, 5)],
    ['05.03.2024', utc(2024, 3, 5)],
    ['05/03/24', utc(2024, 3, 5)],
    ['05/03/69', utc(2069, 3, 5)],
    ['05/03/70', utc(1970, 3, 5)],
    ['05/03/99', utc(1999, 3, 5)],
    ['05/03/2024 10:22', utc(2024, 3, 5, 10, 22)],
    ['05/03/2024 10:22:33', utc(2024, 3, 5, 10, 22, 33)],
    ['5/3/2024 9:05', utc(2024, 3, 5, 9, 5)],
    ['5/3/2024 9:05 PM', utc(2024, 3, 5, 21, 5)],
    ['05/03/2024 9:15:00 SA', utc(2024, 3, 5, 9, 15)],
    ['05/03/2024 2:30:00 CH', utc(2024, 3, 5, 14, 30)],
    ['05/03/2024 12:05 SA', utc(2024, 3, 5, 0, 5)],
    ['05/03/2024 12:05 CH', utc(2024, 3, 5, 12, 5)],
    ['2024-03-05 08:00 ch', utc(2024, 3, 5, 20, 0)],
    ['2:30:00 CH 05/03/2024', utc(2024, 3, 5, 14, 30)],
    ['5/3/2024 12:05 AM', utc(2024, 3, 5, 0, 5)],
    ['05/03/2024 00:00:00', utc(2024, 3, 5)],
    ['10:22 05/03/2024', utc(2024, 3, 5, 10, 22)],
    ['5 Mar 2024', utc(2024, 3, 5)],
    ['5 March 2024', utc(2024, 3, 5)],
    ['05-Mar-2024', utc(2024, 3, 5)],
    ['05-MAR-24', utc(2024, 3, 5)],
    ['5 Sept 2024', utc(2024, 9, 5)],
    ['Mar 5, 2024', utc(2024, 3, 5)],
    ['March 5 2024', utc(2024, 3, 5)],
    ['Dec. 31, 2023 18:00', utc(2023, 12, 31, 18)],
    ['Tue, 5 Mar 2024 10:00', utc(2024, 3, 5, 10)],
    ['25569', utc(1970, 1, 1)],
    ['45356', utc(2024, 3, 5)],
    ['45356.5', utc(2024, 3, 5, 12)],
    ['45356,25', utc(2024, 3, 5, 6)],
    ['20240305', utc(2024, 3, 5)],
    ['ngày 05 tháng 03 năm 2024', utc(2024, 3, 5)],
    ['Ngày 5 tháng 3 năm 2024', utc(2024, 3, 5)],
    ['  2024-03-05  ', utc(2024, 3, 5)],
    ['29/02/2024', utc(2024, 2, 29)],
    ['1900-01-01', utc(1900, 1, 1)],
    ['2100-12-31', utc(2100, 12, 31)],
  ])('%j', (cell, expected) => {
    const r = read([cell]);
    expect(r.problems.count).toBe(0);
    expect(r.values[0]).toBe(expected);
  });

  it('blank cells are NaN and not problems', () => {
    const r = read(['', '  ', '\t']);
    expect([...r.values].every(Number.isNaN)).toBe(true);
    expect(r.problems.count).toBe(0);
  });

  it.each([
    '00:00:00',
    '10:22',
    '0000-00-00',
    '0000-00-00 00:00:00',
    '2024-02-30',
    '2024-13-01',
    '29/02/2023',
    '31/04/2024',
    '32/01/2024',
    '13/13/2024',
    '00/01/2024',
    '1/1/1800',
    '2024-03-05 25:00',
    '2024-03-05 10:60',
    '5/3/2024 13:00 PM',
    '5/3/2024 13:00 CH',
    '5/3/2024 9:15 SAU',
    '2024',
    '12345',
    '99999',
    '20241305',
    '03/2024',
    'Foo 5, 2024',
    '5 Foo 2024',
    'abc',
    'N/A',
    '-',
    '2024-03-05 garbage',
  ])('unreadable %j becomes blank and a problem', (cell) => {
    const r = read(['2024-01-01', cell]);
    expect(r.values[0]).toBe(utc(2024, 1, 1));
    expect(Number.isNaN(r.values[1])).toBe(true);
    expect(r.problems).toEqual({ count: 1, lines: [3], samples: [cell] });
  });

  it('a column whose dates all read 00:00:00 is all problems', () => {
    const r = read(Array.from({ length: 8 }, () => '00:00:00'));
    expect(r.problems.count).toBe(8);
    expect(r.problems.lines).toHaveLength(5);
  });
});

describe('DateColumn: day/month order per column', () => {
  it('12/05/2024 and 13/05/2024 → day first, decided by the data', () => {
    const r = read(['12/05/2024', '13/05/2024']);
    expect(r.order).toBe('dmy');
    expect(r.decidedBy).toBe('data');
    expect([...r.values]).toEqual([utc(2024, 5, 12), utc(2024, 5, 13)]);
    expect(r.formats).toEqual(['dd/mm/yyyy']);
  });

  it('05/13/2024 makes the column month first and swaps ambiguous cells read before and after it', () => {
    const r = read(['12/05/2024', '05/13/2024', '01/02/2024 10:30', '03/03/2024']);
    expect(r.order).toBe('mdy');
    expect(r.decidedBy).toBe('data');
    expect([...r.values]).toEqual([utc(2024, 12, 5), utc(2024, 5, 13), utc(2024, 1, 2, 10, 30), utc(2024, 3, 3)]);
    expect(r.formats).toEqual(['mm/dd/yyyy', 'mm/dd/yyyy hh:mm']);
  });

  it('ambiguous cells only → day first by default', () => {
    const r = read(['12/05/2024', '01/02/2024']);
    expect(r.order).toBe('dmy');
    expect(r.decidedBy).toBe('default');
    expect([...r.values]).toEqual([utc(2024, 5, 12), utc(2024, 2, 1)]);
  });

  it('year-first cells only → ymd from the data; no dates → default', () => {
    expect(read(['2024-03-05', '2024-03-06 10:00']).order).toBe('ymd');
    expect(read(['2024-03-05']).decidedBy).toBe('data');
    expect(read([]).decidedBy).toBe('default');
    expect(read(['5 Mar 2024']).decidedBy).toBe('default');
  });

  it('conflicting votes: the majority wins and the minority cells become problems', () => {
    const r = read(['13/05/2024', '05/14/2024', '05/15/2024', '07/08/2024']);
    expect(r.order).toBe('mdy');
    expect(Number.isNaN(r.values[0])).toBe(true);
    expect(r.values[1]).toBe(utc(2024, 5, 14));
    expect(r.values[3]).toBe(utc(2024, 7, 8));
    expect(r.problems).toEqual({ count: 1, lines: [2], samples: ['13/05/2024'] });

    const d = read(['13/05/2024', '14/05/2024', '05/15/2024', 'bad']);
    expect(d.order).toBe('dmy');
    expect(Number.isNaN(d.values[2])).toBe(true);
    expect(d.problems).toEqual({ count: 2, lines: [4, 5], samples: ['05/15/2024', 'bad'] });
  });

  it('a tie goes to day first', () => {
    const r = read(['13/05/2024', '05/13/2024']);
    expect(r.order).toBe('dmy');
    expect(r.values[0]).toBe(utc(2024, 5, 13));
    expect(Number.isNaN(r.values[1])).toBe(true);
  });

  it('--date-order overrides the data', () => {
    const m = read(['05/03/2024', '13/05/2024', '05/13/2024'], 'mdy');
    expect(m.order).toBe('mdy');
    expect(m.decidedBy).toBe('option');
    expect(m.values[0]).toBe(utc(2024, 5, 3));
    expect(Number.isNaN(m.values[1])).toBe(true);
    expect(m.values[2]).toBe(utc(2024, 5, 13));
    expect(m.problems.count).toBe(1);

    const d = read(['05/03/2024', '05/13/2024'], 'dmy');
    expect(d.decidedBy).toBe('option');
    expect(d.values[0]).toBe(utc(2024, 3, 5));
    expect(Number.isNaN(d.values[1])).toBe(true);

    const y = read(['24/03/05', '2024-03-06'], 'ymd');
    expect(y.order).toBe('ymd');
    expect(y.decidedBy).toBe('option');
    expect(y.values[0]).toBe(utc(2024, 3, 5));
    expect(y.formats).toContain('yy/mm/dd');
  });

  it('reports the formats seen', () => {
    const r = read(['2024-03-05', '2024-03-05 10:22', '05/03/2024', '45356', '5 Mar 2024', '2024-03-05T10:22:00+07:00']);
    expect(r.formats).toEqual(
      ['yyyy-mm-dd', 'yyyy-mm-dd hh:mm', 'dd/mm/yyyy', 'excel-serial', 'dd mmm yyyy', 'yyyy-mm-ddThh:mm:ss±hh:mm'].sort(),
    );
  });
});

describe('DateColumn: properties', () => {
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p2 = (n: number) => String(n).padStart(2, '0');

  type Parts = { y: number; m: number; d: number; h: number; mi: number; s: number };
  type Fmt = { name: string; time: 'none' | 'hm' | 'hms'; write: (p: Parts, order: 'dmy' | 'mdy') => string };

  const dm = (p: Parts, order: 'dmy' | 'mdy', pad: boolean, sep: string, yy: boolean) => {
    const a = order === 'dmy' ? p.d : p.m;
    const b = order === 'dmy' ? p.m : p.d;
    const f = pad ? p2 : String;
    return `${f(a)}${sep}${f(b)}${sep}${yy ? p2(p.y % 100) : p.y}`;
  };

  const formats: Fmt[] = [
    { name: 'yyyy-mm-dd', time: 'none', write: (p) => `${p.y}-${p2(p.m)}-${p2(p.d)}` },
    { name: 'iso offset', time: 'hms', write: (p) => `${p.y}-${p2(p.m)}-${p2(p.d)}T${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}+07:00` },
    { name: 'iso space', time: 'hms', write: (p) => `${p.y}-${p2(p.m)}-${p2(p.d)} ${p2(p.h)}:${p2(p.mi)}:${p2(p.s)}` },
    { name: 'dd/mm/yyyy', time: 'none', write: (p, o) => dm(p, o, true, '/', false) },
    { name: 'd/m/yyyy', time: 'none', write: (p, o) => dm(p, o, false, '/', false) },
    { name: 'dd-mm-yyyy', time: 'none', write: (p, o) => dm(p, o, true, '-', false) },
    { name: 'dd.mm.yyyy', time: 'none', write: (p, o) => dm(p, o, true, '.', false) },
    { name: 'dd/mm/yy', time: 'none', write: (p, o) => dm(p, o, true, '/', true) },
    { name: 'dd/mm/yyyy hh:mm', time: 'hm', write: (p, o) => `${dm(p, o, true, '/', false)} ${p2(p.h)}:${p2(p.mi)}` },
    { name: 'd/m/yyyy h:mm:ss', time: 'hms', write: (p, o) => `${dm(p, o, false, '/', false)} ${p.h}:${p2(p.mi)}:${p2(p.s)}` },
    { name: 'd mmm yyyy', time: 'none', write: (p) => `${p.d} ${MONTHS[p.m - 1]} ${p.y}` },
    { name: 'dd-mmm-yyyy', time: 'none', write: (p) => `${p2(p.d)}-${MONTHS[p.m - 1]}-${p.y}` },
    { name: 'mmm d, yyyy', time: 'none', write: (p) => `${MONTHS[p.m - 1]} ${p.d}, ${p.y}` },
    { name: 'yyyymmdd', time: 'none', write: (p) => `${p.y}${p2(p.m)}${p2(p.d)}` },
    {
      name: 'excel-serial',
      time: 'hms',
      write: (p) => ((Date.UTC(p.y, p.m - 1, p.d, p.h, p.mi, p.s) / 86_400_000) + 25569).toFixed(8),
    },
  ];

  const parts = fc.record({
    y: fc.integer({ min: 1970, max: 2069 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
    h: fc.integer({ min: 0, max: 23 }),
    mi: fc.integer({ min: 0, max: 59 }),
    s: fc.integer({ min: 0, max: 59 }),
  }).map((p) => ({ ...p, d: Math.min(p.d, new Date(Date.UTC(p.y, p.m, 0)).getUTCDate()) }));

  const expected = (p: Parts, f: Fmt) =>
    Date.UTC(p.y, p.m - 1, p.d, f.time === 'none' ? 0 : p.h, f.time === 'none' ? 0 : p.mi, f.time === 'hms' ? p.s : 0);

  it('dates written in one format and order read back (with a deciding cell or the option)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...formats),
        fc.constantFrom<'dmy' | 'mdy'>('dmy', 'mdy'),
        fc.boolean(),
        fc.array(parts, { minLength: 1, maxLength: 25 }),
        (f, order, useOption, dates) => {
          const texts = dates.map((p) => f.write(p, order));
          let cells = texts;
          if (!useOption) {
            // one unambiguous cell settles the order for the rest
            const settle = { y: 2024, m: 1, d: 25, h: 0, mi: 0, s: 0 };
            cells = [...texts, formats[3].write(settle, order)];
          }
          const r = read(cells, useOption ? order : undefined);
          expect(r.problems.count).toBe(0);
          dates.forEach((p, i) => expect(r.values[i]).toBe(expected(p, f)));
        },
      ),
      { numRuns: 600 },
    );
  });

  it('day-first columns read back with no help at all', () => {
    fc.assert(
      fc.property(fc.constantFrom(...formats), fc.array(parts, { minLength: 1, maxLength: 25 }), (f, dates) => {
        const r = read(dates.map((p) => f.write(p, 'dmy')));
        expect(r.problems.count).toBe(0);
        dates.forEach((p, i) => expect(r.values[i]).toBe(expected(p, f)));
      }),
      { numRuns: 300 },
    );
  });

  it('the fast path and the full parser agree', () => {
    const text = fc
      .tuple(parts, fc.constantFrom('yyyy-mm-dd', 'dd/mm/yyyy', 'dd-mm-yyyy', 'dd.mm.yyyy'), fc.constantFrom('', ' 10:22', ' 23:59:59', 'T07:08', 'T07:08:09', 'T07:08:09Z', 'T07:08:09+07:00'))
      .map(([p, f, t]) => {
        const date = f === 'yyyy-mm-dd' ? `${p.y}-${p2(p.m)}-${p2(p.d)}` : `${p2(p.d)}${f[2]}${p2(p.m)}${f[2]}${p.y}`;
        return date + t;
      });
    const noise = fc.string({ unit: fc.constantFrom(...'0123456789-/.: TZ+'.split('')), minLength: 10, maxLength: 25 });
    fc.assert(
      fc.property(fc.array(fc.oneof(text, noise), { minLength: 1, maxLength: 8 }), (cells) => {
        const fast = read(cells);
        const slow = read(cells.map((c) => ` ${c} `));
        expect([...fast.values]).toEqual([...slow.values]);
        expect(fast.problems.count).toBe(slow.problems.count);
        expect(fast.order).toBe(slow.order);
        expect(fast.decidedBy).toBe(slow.decidedBy);
        expect(fast.formats).toEqual(slow.formats);
      }),
      { numRuns: 2000 },
    );
  });
});
