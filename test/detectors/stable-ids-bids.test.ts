/**
 * Finding ids depend only on what a finding is about: the same fixture with its rows reversed, or with rows
 * of unrelated tenders removed, gives the same ids (and group ids built from sorted member ids).
 */
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../bench/gen/index.js';
import { seededRng } from '../../src/graph/communities.js';
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

describe('a generated economy with its bid rows shuffled', () => {
  const detectors = [
    'market-allocation', 'buyer-concentration', 'repeat-winner', 'cover-bid-pattern', 'co-bidding-pair', 'bid-rotation',
    'identical-bids', 'bid-screens', 'fixed-ratio-bids', 'heterogeneous-supplier', 'close-second-bid', 'heavily-discounted-win',
  ];
  it('gives the same finding ids', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-stable-ids-gen-'));
    await generate({ seed: 5, scale: 6, invoices: 0, out: dir });
    const [header, ...rows] = readFileSync(join(dir, 'bids.csv'), 'utf8').trimEnd().split('\n');
    const rng = seededRng(9);
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [rows[i], rows[j]] = [rows[j], rows[i]];
    }
    writeFileSync(join(dir, 'shuffled.csv'), [header, ...rows].join('\n') + '\n');
    const ids = async (f: string) => (await runOn([{ kind: 'bids', path: join(dir, f) }], detectors)).findings.map((x) => `${x.detector} ${x.id}`).sort();
    const before = await ids('bids.csv');
    expect(before.length).toBeGreaterThan(20);
    expect(await ids('shuffled.csv')).toEqual(before);
  }, 60_000);
});
