/**
 * Control characters from the data (ESC sequences, BEL, tabs, CR) never reach the terminal table or the
 * markdown report as written.
 */
import { describe, expect, it } from 'vitest';
import { BoxTable, displayWidth, printable, wrap } from '../../src/report/box.js';
import { mdEsc } from '../../src/report/charts.js';

describe('printable', () => {
  it('leaves ordinary text (Vietnamese, newlines) alone', () => {
    const s = 'Công ty TNHH Xây dựng\nPhát Thuận';
    expect(printable(s)).toBe(s);
  });

  it('turns tabs into spaces, CR LF and lone CR into newlines, and other control characters into U+FFFD', () => {
    expect(printable('a\tb')).toBe('a b');
    expect(printable('a\r\nb\rc')).toBe('a\nb\nc');
    expect(printable('x\x1b[31my\x07z\x00\x7f\x9b')).toBe('x\ufffd[31my\ufffdz\ufffd\ufffd\ufffd');
  });
});

describe('the boxed table and markdown escape', () => {
  it('wrap() never returns a control character, and every line of the box keeps its width', () => {
    for (const line of wrap('Evil\x1b[2J\x1b]0;t\x07 Co\tLtd', 8)) expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    const t = new BoxTable({ head: ['name'], colWidths: [20] });
    t.push(['Evil\x1b[2J Co\tLtd\r\nnext']);
    const lines = t.toString().split('\n');
    expect(new Set(lines.map(displayWidth))).toEqual(new Set([22]));
    expect(t.toString()).not.toMatch(/\x1b/);
  });

  it('mdEsc removes control characters and line breaks', () => {
    expect(mdEsc('a\x1b[2Jb\r\nc\td')).toBe('a\ufffd\\[2Jb c d');
  });
});
