/**
 * `entities` holds the entities named by the findings the report lists (OUTPUT.md: "every entity named by
 * any finding"), also when --top, --min-severity or --new-since cut the list, so a script joining entities
 * to findings finds no dangling entry. Their risk still combines every finding of the run (DETECTORS.md
 * §8): cutting the list does not lower the risk of a firm it shows.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import type { Report } from '../../src/analyze.js';
import { entityKey } from '../../src/scoring/rank.js';

const root = join(import.meta.dirname, '..', '..');
const sample = (f: string) => join(root, 'samples', f);
const INPUTS = ['--bids', sample('bids-vn.csv'), sample('bids.csv'), '--companies', sample('companies.csv'), '--invoices', sample('invoices.csv')];

const json = async (...more: string[]): Promise<Report> => JSON.parse((await cli(['analyze', ...INPUTS, '--format', 'json', '--fail-on', 'never', '--quiet', ...more])).stdout);

let fullRun: Promise<Report> | undefined;
const fullReport = () => (fullRun ??= json());

function expectListedEntities(cut: Report, full: Report) {
  const named = new Set(cut.findings.flatMap((f) => f.entities.map(entityKey)));
  expect(new Set(cut.entities.map(entityKey))).toEqual(named);
  // the same entries as the full ranking, in its order, with the risk computed over every finding
  const byKey = new Map(full.entities.map((e) => [entityKey(e), e]));
  for (const e of cut.entities) expect(e).toEqual(byKey.get(entityKey(e)));
  expect(cut.entities).toEqual(full.entities.filter((e) => named.has(entityKey(e))));
}

describe('entities of a cut report', () => {
  it('--top and --min-severity: the entities of the findings listed, with their full risk', async () => {
    const full = await fullReport();
    expect(full.entities.length).toBeGreaterThan(100);
    const top = await json('--top', '5');
    expect(top.findings).toHaveLength(5);
    expect(top.entities.length).toBeLessThan(full.entities.length);
    expectListedEntities(top, full);
    const high = await json('--min-severity', 'high');
    expect(high.findings.every((f) => f.severity === 'high')).toBe(true);
    expectListedEntities(high, full);
  });

  it('--new-since: the entities of the new findings; none when nothing is new', async () => {
    const full = await fullReport();
    const dir = mkdtempSync(join(tmpdir(), 'redflag-listed-'));
    const prev = join(dir, 'prev.json');
    writeFileSync(prev, JSON.stringify(full));
    const none = await json('--new-since', prev);
    expect(none.findings).toEqual([]);
    expect(none.entities).toEqual([]);
    // a previous report without the 10 lowest-ranked findings: those are new
    const older = join(dir, 'older.json');
    writeFileSync(older, JSON.stringify({ ...full, findings: full.findings.slice(0, -10) }));
    const some = await json('--new-since', older);
    expect(some.findings).toHaveLength(10);
    expectListedEntities(some, full);
  });

  it('the table says that the ranking follows the listed findings', async () => {
    const all = (await json()).findings.length;
    const r = await cli(['analyze', ...INPUTS, '--top', '3', '--fail-on', 'never', '--quiet']);
    expect(r.stdout).toContain(`The entity ranking lists the entities of the findings listed; their risk counts all ${all} findings of the run.`);
  });
});
