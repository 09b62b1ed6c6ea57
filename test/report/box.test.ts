/**
 * The boxed table the terminal report draws: widths measured on plain text (Vietnamese with combining tone
 * marks counts one column per letter, CJK two), words wrapped at the column, styles applied per line.
 */
import { describe, expect, it } from 'vitest';
import { BoxTable, displayWidth, wrap } from '../../src/report/box.js';

const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('displayWidth', () => {
  it('counts letters, not code units: precomposed and decomposed Vietnamese alike, CJK double', () => {
    expect(displayWidth('Công ty')).toBe(7);
    expect(displayWidth('Co\u0302ng ty')).toBe(7); // ô as o + combining circumflex
    expect(displayWidth('Xây dựng')).toBe(8);
    expect(displayWidth('中国')).toBe(4);
    expect(displayWidth('')).toBe(0);
  });
});

describe('wrap', () => {
  it('wraps on spaces, keeps explicit newlines and cuts words wider than the column', () => {
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrap('a\nb c', 5)).toEqual(['a', 'b c']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    for (const line of wrap('Công ty TNHH Xây dựng Dân dụng và Công nghiệp Phát Thuận', 12)) expect(displayWidth(line)).toBeLessThanOrEqual(12);
  });
});

describe('BoxTable', () => {
  it('draws every line at the same width, right-aligns where asked and styles each wrapped line on its own', () => {
    const bold = (s: string) => `\x1b[1m${s}\x1b[22m`;
    const t = new BoxTable({ head: ['id', 'amount', 'text'], colWidths: [6, 10, 14] });
    t.push(['T1', { align: 'right', content: '1,234' }, [{ text: 'Giá dự thầu quá gần nhau', style: bold }, { text: 'plain' }]]);
    t.push(['T2', '', '']);
    const out = t.toString();
    const lines = out.split('\n');
    const widths = new Set(lines.map((l) => displayWidth(strip(l))));
    expect(widths).toEqual(new Set([6 + 10 + 14 + 4]));
    expect(lines[0]).toBe('┌──────┬──────────┬──────────────┐');
    expect(lines.at(-1)).toBe('└──────┴──────────┴──────────────┘');
    expect(strip(lines[3])).toBe('│ T1   │    1,234 │ Giá dự thầu  │');
    // the bold title wraps over two lines, each opened and closed; the plain paragraph is not styled
    const boldLines = lines.filter((l) => l.includes('\x1b[1m'));
    expect(boldLines).toHaveLength(2);
    for (const l of boldLines) expect(l).toMatch(/\x1b\[1m[^\x1b]*\x1b\[22m/);
    expect(lines.find((l) => l.includes('plain'))).not.toContain('\x1b');
    expect(lines.filter((l) => l.startsWith('├'))).toHaveLength(2);
  });
});
