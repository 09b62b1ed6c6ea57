import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { CsvParser } from '../../src/io/csv.js';

interface Rec {
  line: number;
  fields: string[];
}
interface Err {
  line: number;
  message: string;
  lines: number;
}
interface Parsed {
  records: Rec[];
  errors: Err[];
  lines: number;
  blankLines: number;
}

function parseChunks(chunks: string[], delimiter = ','): Parsed {
  const records: Rec[] = [];
  const errors: Err[] = [];
  const p = new CsvParser(delimiter, {
    onRecord: (fields, line) => records.push({ line, fields }),
    onError: (line, message, lines) => errors.push({ line, message, lines }),
  });
  for (const c of chunks) p.push(c);
  p.end();
  return { records, errors, lines: p.lines, blankLines: p.blankLines };
}

const parse = (text: string, delimiter = ','): Parsed => parseChunks([text], delimiter);
const rows = (text: string, delimiter = ','): string[][] => parse(text, delimiter).records.map((r) => r.fields);

/** Cuts `text` at the given positions (sorted, deduplicated, clamped). */
function cut(text: string, at: number[]): string[] {
  const points = [...new Set(at.map((n) => Math.min(n, text.length)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(text.slice(prev, p));
    prev = p;
  }
  out.push(text.slice(prev));
  return out;
}

describe('CsvParser basics', () => {
  it('reads LF records with line numbers', () => {
    const r = parse('id,name,amount\n1,An,100\n2,Binh,200\n');
    expect(r.records).toEqual([
      { line: 1, fields: ['id', 'name', 'amount'] },
      { line: 2, fields: ['1', 'An', '100'] },
      { line: 3, fields: ['2', 'Binh', '200'] },
    ]);
    expect(r.errors).toEqual([]);
    expect(r.lines).toBe(3);
    expect(r.blankLines).toBe(0);
  });

  it('flushes a last record without a line break', () => {
    const r = parse('a,b\nc,d');
    expect(r.records.map((x) => x.fields)).toEqual([['a', 'b'], ['c', 'd']]);
    expect(r.lines).toBe(2);
  });

  it('keeps fields as written: no trimming, no typing, empty fields kept', () => {
    expect(rows(' a , 007 ,,1e3,\n')).toEqual([[' a ', ' 007 ', '', '1e3', '']]);
    expect(rows('a,')).toEqual([['a', '']]);
    expect(rows(',')).toEqual([['', '']]);
  });

  it('reads CRLF and lone CR line ends, also mixed', () => {
    expect(rows('a,b\r\nc,d\r\n')).toEqual([['a', 'b'], ['c', 'd']]);
    expect(rows('a,b\rc,d\r')).toEqual([['a', 'b'], ['c', 'd']]);
    const r = parse('a\r\nb\rc\nd');
    expect(r.records).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
      { line: 3, fields: ['c'] },
      { line: 4, fields: ['d'] },
    ]);
    expect(r.lines).toBe(4);
  });

  it('reads quoted delimiters, line breaks and "" escapes', () => {
    expect(rows('"a,b","say ""hi""","x\ny","p\r\nq","r\rs"\n')).toEqual([
      ['a,b', 'say "hi"', 'x\ny', 'p\r\nq', 'r\rs'],
    ]);
    expect(rows('"",""""\n')).toEqual([['', '"']]);
    expect(rows('""\n')).toEqual([['']]);
  });

  it('numbers lines correctly after quoted line breaks', () => {
    const r = parse('h1,h2\n"multi\nline\r\nvalue\rhere",1\nnext,2\r\n"q",3');
    expect(r.records.map((x) => x.line)).toEqual([1, 2, 6, 7]);
    expect(r.records[1].fields).toEqual(['multi\nline\r\nvalue\rhere', '1']);
    expect(r.lines).toBe(7);
  });

  it('treats a quote inside an unquoted field as a literal character', () => {
    expect(rows('a"b,c""d,e"\n')).toEqual([['a"b', 'c""d', 'e"']]);
    expect(rows('5" pipe,x')).toEqual([['5" pipe', 'x']]);
  });

  it('appends characters after a closing quote leniently', () => {
    expect(rows('"ab"cd,e\n')).toEqual([['abcd', 'e']]);
    expect(rows('"ab" ,x\r\n')).toEqual([['ab ', 'x']]);
    expect(rows('"a"b"c",d')).toEqual([['ab"c"', 'd']]);
  });

  it('emits ragged records as they are', () => {
    expect(rows('a,b,c\n1,2\n1,2,3,4\n5\n')).toEqual([['a', 'b', 'c'], ['1', '2'], ['1', '2', '3', '4'], ['5']]);
  });

  it('skips and counts completely empty lines, in every line-end style', () => {
    const r = parse('\na,b\n\n\r\n\r1,2\r\n\r\n');
    expect(r.records).toEqual([
      { line: 2, fields: ['a', 'b'] },
      { line: 6, fields: ['1', '2'] },
    ]);
    expect(r.blankLines).toBe(5);
    expect(r.lines).toBe(7);
    // whitespace is not an empty line
    expect(rows('a\n \n')).toEqual([['a'], [' ']]);
  });

  it('reports an unterminated quoted field with its start line and span, emitting nothing for it', () => {
    const r = parse('h\nok\n"broken,\nstill\nopen');
    expect(r.records.map((x) => x.fields)).toEqual([['h'], ['ok']]);
    expect(r.errors).toEqual([{ line: 3, message: 'unterminated quoted field', lines: 3 }]);
    expect(r.lines).toBe(5);

    const t = parse('a,"b\r\n');
    expect(t.records).toEqual([]);
    expect(t.errors).toEqual([{ line: 1, message: 'unterminated quoted field', lines: 1 }]);

    const u = parse('x,y\n1,"2');
    expect(u.records.map((x) => x.fields)).toEqual([['x', 'y']]);
    expect(u.errors).toEqual([{ line: 2, message: 'unterminated quoted field', lines: 1 }]);
  });

  it('handles other delimiters and leaves commas alone then', () => {
    expect(rows('a;b\n"1;5";2,5\n', ';')).toEqual([['a', 'b'], ['1;5', '2,5']]);
    expect(rows('a\tb\n1,2\t"x\ty"\n', '\t')).toEqual([['a', 'b'], ['1,2', 'x\ty']]);
    expect(rows('a|b\n|\n', '|')).toEqual([['a', 'b'], ['', '']]);
  });

  it('drops one leading byte-order mark', () => {
    expect(rows('\ufeffid,name\n1,x\n')).toEqual([['id', 'name'], ['1', 'x']]);
    expect(parseChunks(['\ufeff', 'id\n']).records).toEqual([{ line: 1, fields: ['id'] }]);
  });

  it('reads empty input as nothing', () => {
    expect(parse('')).toEqual({ records: [], errors: [], lines: 0, blankLines: 0 });
    expect(parseChunks(['', '', ''])).toEqual({ records: [], errors: [], lines: 0, blankLines: 0 });
  });

  it('rejects delimiters it cannot parse', () => {
    const h = { onRecord() {}, onError() {} };
    expect(() => new CsvParser('"', h)).toThrow();
    expect(() => new CsvParser('', h)).toThrow();
    expect(() => new CsvParser('::', h)).toThrow();
    expect(() => new CsvParser('\n', h)).toThrow();
  });
});

describe('CsvParser chunk boundaries', () => {
  const tricky =
    'id,"name, full",note\r\n' +
    '1,"say ""hi""",plain\r\n' +
    '\r\n' +
    '2,"multi\r\nline\nvalue\rend","a""b"tail\n' +
    '3,x"y,""\r' +
    '\r\n' +
    '4,,"",\r\n' +
    '"5"\r' +
    '6,"last ""one"""';
  const whole = parse(tricky);

  it('parses the tricky input as expected in one piece', () => {
    expect(whole.records).toEqual([
      { line: 1, fields: ['id', 'name, full', 'note'] },
      { line: 2, fields: ['1', 'say "hi"', 'plain'] },
      { line: 4, fields: ['2', 'multi\r\nline\nvalue\rend', 'a"btail'] },
      { line: 8, fields: ['3', 'x"y', ''] },
      { line: 10, fields: ['4', '', '', ''] },
      { line: 11, fields: ['5'] },
      { line: 12, fields: ['6', 'last "one"'] },
    ]);
    expect(whole.blankLines).toBe(2);
    expect(whole.lines).toBe(12);
  });

  it('gives the same result for every single split position', () => {
    for (let i = 0; i <= tricky.length; i++) {
      expect(parseChunks(cut(tricky, [i])), `split at ${i}`).toEqual(whole);
    }
  });

  it('gives the same result for every pair of split positions', () => {
    for (let i = 0; i <= tricky.length; i++) {
      for (let j = i; j <= tricky.length; j++) {
        const r = parseChunks(cut(tricky, [i, j]));
        if (JSON.stringify(r) !== JSON.stringify(whole)) expect(r, `split at ${i}, ${j}`).toEqual(whole);
      }
    }
  });

  it('gives the same result one character at a time', () => {
    expect(parseChunks([...tricky])).toEqual(whole);
  });

  it('reports an unterminated quote the same way across chunks', () => {
    const text = 'a,b\n"open\r\nx';
    const one = parse(text);
    expect(one.errors).toEqual([{ line: 2, message: 'unterminated quoted field', lines: 2 }]);
    for (let i = 0; i <= text.length; i++) expect(parseChunks(cut(text, [i]))).toEqual(one);
  });
});

// ---- property tests: a correct writer, then parse back ----

const DELIMS = [',', ';', '\t', '|'] as const;
const EOLS = ['\n', '\r\n', '\r'] as const;

const fieldArb = fc.string({
  unit: fc.constantFrom('a', 'b', 'Z', '1', ' ', 'ế', '😀', ',', ';', '\t', '|', '"', '\r', '\n'),
  maxLength: 8,
});
const docArb = fc.record({
  delimiter: fc.constantFrom(...DELIMS),
  eol: fc.constantFrom(...EOLS),
  records: fc.array(fc.array(fieldArb, { minLength: 1, maxLength: 6 }), { maxLength: 15 }),
  quoteAll: fc.boolean(),
  trailingEol: fc.boolean(),
  cuts: fc.array(fc.nat({ max: 400 }), { maxLength: 6 }),
});

/** RFC-4180 writer: quotes what needs quoting (and a lone empty field, which would otherwise be a blank line). */
function writeCsv(records: string[][], delimiter: string, eol: string, quoteAll: boolean, trailingEol: boolean) {
  const starts: number[] = [];
  let text = '';
  records.forEach((rec, k) => {
    if (k > 0) text += eol;
    starts.push(text.length);
    text += rec
      .map((f) => {
        const needs =
          quoteAll ||
          f.includes(delimiter) ||
          f.includes('"') ||
          f.includes('\r') ||
          f.includes('\n') ||
          (rec.length === 1 && f === '');
        return needs ? '"' + f.replaceAll('"', '""') + '"' : f;
      })
      .join(delimiter);
  });
  if (trailingEol && records.length > 0) text += eol;
  return { text, starts };
}

const physicalLinesBefore = (text: string, pos: number): number =>
  (text.slice(0, pos).match(/\r\n|\r|\n/g) ?? []).length;

describe('CsvParser properties', () => {
  it('round-trips any records written by a correct writer, under any chunking', () => {
    fc.assert(
      fc.property(docArb, ({ delimiter, eol, records, quoteAll, trailingEol, cuts }) => {
        const { text, starts } = writeCsv(records, delimiter, eol, quoteAll, trailingEol);
        const r = parseChunks(cut(text, cuts), delimiter);
        expect(r.errors).toEqual([]);
        expect(r.blankLines).toBe(0);
        expect(r.records.map((x) => x.fields)).toEqual(records);
        expect(r.records.map((x) => x.line)).toEqual(starts.map((s) => physicalLinesBefore(text, s) + 1));
        const allBreaks = physicalLinesBefore(text, text.length);
        expect(r.lines).toBe(text.length === 0 ? 0 : trailingEol ? allBreaks : allBreaks + 1);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with papaparse', () => {
    fc.assert(
      fc.property(docArb, ({ delimiter, eol, records, quoteAll, trailingEol, cuts }) => {
        const { text } = writeCsv(records, delimiter, eol, quoteAll, trailingEol);
        const ours = parseChunks(cut(text, cuts), delimiter).records.map((x) => x.fields);
        const papa = Papa.parse<string[]>(text, { delimiter, newline: eol, header: false, skipEmptyLines: true });
        expect(papa.errors).toEqual([]);
        // papaparse's skipEmptyLines also drops a record that is one empty quoted field (`""`)
        expect(papa.data).toEqual(ours.filter((f) => !(f.length === 1 && f[0] === '')));
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with papaparse on loose quotes inside unquoted fields', () => {
    // Not strictly RFC 4180: a quote that does not open a field is an ordinary character to both.
    const cell = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', 'b', ' ', 'x', '"'), maxLength: 5 }).filter((s) => !s.startsWith('"')),
      fc.string({ unit: fc.constantFrom('a', ',', '\n', '""', ' '), maxLength: 5 }).map((s) => `"${s}"`),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { maxLength: 10 }), (recs) => {
        const text = recs.map((r) => r.join(',')).join('\n');
        const ours = parse(text).records.map((x) => x.fields);
        const papa = Papa.parse<string[]>(text, { delimiter: ',', newline: '\n', header: false, skipEmptyLines: true });
        expect(papa.data).toEqual(ours.filter((f) => !(f.length === 1 && f[0] === '')));
      }),
      { numRuns: 300 },
    );
  });
});
