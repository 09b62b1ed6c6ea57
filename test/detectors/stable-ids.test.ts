/**
 * Finding ids depend only on what a finding is about: the same fixture with its rows reversed, or with rows
 * of unrelated tenders removed, gives the same ids (and group ids built from sorted member ids).
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fixture = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

/** Write the fixture's header and `rows` (its data rows transformed) to a temporary CSV. */
function variant(d: string, f: string, transform: (rows: string[]) => string[]): string {
  const [header, ...rows] = readFileSync(fixture(d, f), 'utf8').trimEnd().split('\n');
  const out = join(mkdtempSync(join(tmpdir(), 'redflag-stable-ids-')), f);
  writeFileSync(out, [header, ...transform(rows)].join('\n') + '\n');
  return out;
}

async function ids(detector: string, path: string): Promise<string[]> {
  const report = await runOn([{ kind: 'bids', path }], [detector]);
  return report.findings.map((f) => `${f.id} ${f.entities.filter((e) => e.type === 'group').map((e) => e.id).join(',')}`).sort();
}

describe.each([
  ['market-allocation', 'flags.csv', 'MED-'],
  ['bid-rotation', 'flags.csv', 'BT'],
])('%s: ids do not depend on row order', (detector, file, unrelated) => {
  it('rows reversed', async () => {
    const before = await ids(detector, fixture(detector, file));
    expect(before.length).toBeGreaterThan(0);
    expect(await ids(detector, variant(detector, file, (r) => r.slice().reverse()))).toEqual(before);
  });
  it.runIf(unrelated)('rows of unrelated tenders removed', async () => {
    const before = await ids(detector, fixture(detector, file));
    expect(await ids(detector, variant(detector, file, (r) => r.filter((x) => !x.startsWith(unrelated))))).toEqual(before);
  });
});
