import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonItemSplitter, JsonSyntaxError, looksLikeJson } from '../../src/io/json-items.js';

interface Seen {
  elements: { member: string; index: number; value: number; line: number; parsed: unknown }[];
  values: { value: number; line: number; parsed: unknown }[];
}

/** Split `text` given in the pieces cut at `cuts`, and parse what comes out. */
function split(text: string, cuts: number[] = []): Seen {
  const seen: Seen = { elements: [], values: [] };
  const s = new JsonItemSplitter({
    onElement: (t, member, index, value, line) => seen.elements.push({ member, index, value, line, parsed: JSON.parse(t) }),
    onValue: (t, value, line) => seen.values.push({ value, line, parsed: JSON.parse(t) }),
  });
  let from = 0;
  for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
    s.push(text.slice(from, c));
    from = c;
  }
  s.push(text.slice(from));
  s.end();
  return seen;
}

const PACKAGE = `{
  "uri": "x",
  "note": "a \\"releases\\": [ list ] in a string, a } and a \\\\",
  "extensions": {"releases": [1, 2]},
  "releases": [
    {"ocid": "A", "tender": {"title": "Thuốc \\"đặc\\" [1]", "lots": [{"id": "1"}]}},
    {"ocid": "B", "x": "\\\\\\""}
  ],
  "after": [3]
}`;

describe('JsonItemSplitter', () => {
  it('hands on each release of a package with its line, and the package with 0 in their place', () => {
    const seen = split(PACKAGE);
    expect(seen.elements.map((e) => [e.member, e.index, e.line])).toEqual([
      ['releases', 0, 6],
      ['releases', 1, 7],
    ]);
    expect(seen.elements[0].parsed).toEqual({ ocid: 'A', tender: { title: 'Thuốc "đặc" [1]', lots: [{ id: '1' }] } });
    expect(seen.elements[1].parsed).toEqual({ ocid: 'B', x: '\\"' });
    // a "releases" key inside a string or deeper than the top is not streamed
    expect(seen.values).toEqual([
      { value: 0, line: 1, parsed: { uri: 'x', note: 'a "releases": [ list ] in a string, a } and a \\', extensions: { releases: [1, 2] }, releases: [0, 0], after: [3] } },
    ]);
  });

  it('gives the same items however the text is cut into pieces (escapes and keys across pieces)', () => {
    const whole = split(PACKAGE);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: PACKAGE.length }), { maxLength: 12 }), (cuts) => {
        expect(split(PACKAGE, cuts)).toEqual(whole);
      }),
      { numRuns: 300 },
    );
    // every single cut, and a piece per character
    for (let c = 0; c <= PACKAGE.length; c++) expect(split(PACKAGE, [c])).toEqual(whole);
    expect(split(PACKAGE, [...PACKAGE].map((_, i) => i))).toEqual(whole);
  });

  it('reads JSON Lines as one value per line, and streams a record package per line', () => {
    const text = '{"ocid":"A","date":"1"}\n\n{"ocid":"B"}\r\n{"records":[{"ocid":"C"},{"ocid":"D"}]}\n';
    const seen = split(text);
    expect(seen.values.map((v) => [v.value, v.line])).toEqual([
      [0, 1],
      [1, 3],
      [2, 4],
    ]);
    expect(seen.values[1].parsed).toEqual({ ocid: 'B' });
    expect(seen.elements.map((e) => [e.member, e.index, e.value, e.line])).toEqual([
      ['records', 0, 2, 4],
      ['records', 1, 2, 4],
    ]);
  });

  it('streams the elements of a top-level array; a byte-order mark is skipped', () => {
    const seen = split('\uFEFF[\n{"ocid":"A"},\n{"ocid":"B"}\n]');
    expect(seen.elements.map((e) => [e.member, e.index, e.line])).toEqual([
      ['', 0, 2],
      ['', 1, 3],
    ]);
    expect(seen.values[0].parsed).toEqual([0, 0]);
  });

  it('a missing comma between releases is caught by the package skeleton', () => {
    const seen: string[] = [];
    const s = new JsonItemSplitter({ onElement: () => {}, onValue: (t) => seen.push(t) });
    s.push('{"releases": [{"ocid":"A"} {"ocid":"B"}]}');
    s.end();
    expect(() => JSON.parse(seen[0])).toThrow();
  });

  it('says what is wrong, with the line', () => {
    const error = (text: string) => {
      try {
        split(text);
      } catch (e) {
        expect(e).toBeInstanceOf(JsonSyntaxError);
        return `${(e as JsonSyntaxError).message} @${(e as JsonSyntaxError).line}`;
      }
      return 'no error';
    };
    expect(error('tender_id,bidder_id\nT1,A\n')).toBe('does not start with a JSON object or array, found "tender_id" @1');
    expect(error('{"releases": [\n{"ocid": "A"},\n')).toBe('the text ends inside an unclosed object or array @3');
    expect(error('{"releases": [{"ocid": "A')).toBe('the text ends inside releases[0] @1');
    expect(error('{"a": 1}\n}')).toBe('expected a JSON object or array, found "}" @2');
    expect(error('{"releases": [\n  3\n]}')).toBe('releases[0] is not a JSON object (found "3") @2');
    expect(error('{"a": 1}\nnull')).toBe('expected a JSON object or array, found "null" @2');
  });

  it('looksLikeJson: an object or an array after white space; CSV is not, even with brackets round its headers', () => {
    expect(looksLikeJson('  \n{"a":1}')).toBe(true);
    expect(looksLikeJson('\uFEFF[{"ocid": "A"}]')).toBe(true);
    expect(looksLikeJson('tender_id,bidder_id')).toBe(false);
    expect(looksLikeJson('[tender_id],[buyer_id]\nT1,B1')).toBe(false);
    expect(looksLikeJson('[]')).toBe(true);
    expect(looksLikeJson('')).toBe(false);
  });
});
