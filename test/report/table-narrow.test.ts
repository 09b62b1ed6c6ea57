/**
 * The terminal table on a narrow terminal: below WIDE_TABLE columns every line of the seven-column table
 * was wider than the window and the terminal wrapped it, so the boxes fell apart (an 80-column window is
 * the default of many terminals). Narrow terminals get three columns with the same content; the wide
 * layout, and the output when stdout is not a terminal, are unchanged.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { displayWidth } from '../../src/report/box.js';
import { renderTable, WIDE_TABLE } from '../../src/report/table.js';
import { sampleReport } from './sample.js';
import { Sink } from '../helpers/cli.js';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');
// the boxed lines (free text lines above a table wrap like any paragraph)
const widest = (s: string) => Math.max(...plain(s).split('\n').filter((l) => /^[│┌├└]/.test(l)).map(displayWidth));

describe('renderTable on a narrow terminal', () => {
  for (const width of [60, 80, 100, WIDE_TABLE - 1])
    it(`keeps every line within ${width} columns and still shows every finding's detector, entities and explanation`, () => {
      const report = sampleReport();
      const out = renderTable(report, { color: false, width });
      expect(widest(out)).toBeLessThanOrEqual(width);
      for (const f of report.findings) {
        expect(out).toContain(f.detector);
        expect(out.replace(/\s+/g, ' ')).toContain(f.explanation.slice(0, 12));
      }
      for (const d of report.detectors) expect(out).toContain(d.id);
    });

  it('the wide layout is used from WIDE_TABLE columns on, at exactly that width', () => {
    const out = renderTable(sampleReport(), { color: false, width: WIDE_TABLE });
    expect(out).toContain('│ detector ');
    expect(widest(out)).toBe(WIDE_TABLE);
  });

  it('colour codes do not count toward the width', () => {
    const out = renderTable(sampleReport(), { color: true, width: 80 });
    expect(out).toMatch(/\x1b\[/);
    expect(widest(out)).toBeLessThanOrEqual(80);
  });
});

describe('redflag detectors on a narrow terminal', () => {
  it('fits an 80-column terminal in two columns, every detector listed', async () => {
    const stdout = new Sink({ tty: true, columns: 80 });
    const io: Io = { stdout, stderr: new Sink({ tty: true, columns: 80 }), stdin: Readable.from([]), env: { NO_COLOR: '1' } };
    expect(await main(['node', 'redflag', 'detectors'], io)).toBe(0);
    expect(widest(stdout.text)).toBeLessThanOrEqual(80);
    expect(stdout.text).toContain('near-estimate-win');
    expect(stdout.text).toContain('ratio=0.99');
  });
});
