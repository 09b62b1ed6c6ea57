/**
 * Every detector's flagging and boundary cases (test/fixtures/<detector>/cases.json) read again with the
 * data rows of each file in reverse order and the files of each kind given the other way round: the same
 * findings, with the same entities, evidence and text, in the same order. Only where rows come from (file,
 * line) may change. Lists in a finding are ordered by what they hold (ids, dates, amounts), never by the
 * order rows were read in.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InputSpec } from '../../src/io/dataset.js';
import { caseDirs, caseSpecs, casesOf } from '../helpers/cases.js';
import { runOn } from '../helpers/run.js';

/**
 * Fixtures whose row order is part of what they say, so that reversing it changes the input itself: line
 * items are folded only while their line numbers rise from one row to the next.
 */
const ORDERED = /(^|[,;])line_no([,;]|$)/m;

/** Keys that say where a row is in the export. */
const ORIGIN = new Set(['file', 'line', 'lines', 'row', 'rows', 'winnerRow', 'lowestRow']);

function withoutOrigins(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(withoutOrigins);
  if (o && typeof o === 'object') return Object.fromEntries(Object.entries(o).filter(([k]) => !ORIGIN.has(k)).map(([k, v]) => [k, withoutOrigins(v)]));
  return o;
}

/** The header line first, then the data lines last to first (every fixture holds one record a line). */
function reversedRows(text: string): string {
  const [head, ...rows] = text.replace(/\r?\n$/, '').split(/\r?\n/);
  return [head, ...rows.reverse()].join('\n') + '\n';
}

describe('the order of rows and files', () => {
  for (const dir of caseDirs()) {
    for (const c of casesOf(dir)) {
      if (c.kind !== 'flag' && c.kind !== 'boundary') continue;
      if (c.expect.status === 'skipped' || c.expect.error || c.expect.count === 0) continue;
      const specs = caseSpecs(dir, c);
      if (specs.some((s) => ORDERED.test(readFileSync(s.path, 'utf8')))) continue;
      it(`${dir}: ${c.name}`, async () => {
        const given = await runOn(specs, [dir], c.set);
        const tmp = mkdtempSync(join(tmpdir(), 'redflag-row-order-'));
        const reversed: InputSpec[] = [];
        for (const kind of new Set(specs.map((s) => s.kind))) {
          const ofKind = specs.filter((s) => s.kind === kind).reverse();
          ofKind.forEach((s, i) => {
            const path = join(tmp, `${kind}-${i}-${basename(s.path)}`);
            writeFileSync(path, reversedRows(readFileSync(s.path, 'utf8')));
            reversed.push({ kind, path });
          });
        }
        const other = await runOn(reversed, [dir], c.set);
        expect(given.findings.length).toBeGreaterThan(0);
        expect(withoutOrigins(other.findings)).toEqual(withoutOrigins(given.findings));
      });
    }
  }
});
