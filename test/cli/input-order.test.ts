/**
 * The order in which files of one kind are given changes where rows come from (file, line) and nothing
 * else: the same findings, with the same entities, evidence and text, and the same entity ranking.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'redflag.js');
const sample = (f: string) => join(root, 'samples', f);

function report(bids: string[]) {
  const args = ['analyze', '--bids', ...bids, '--companies', sample('companies.csv'), '--invoices', sample('invoices.csv'), '--format', 'json', '--fail-on', 'never', '--quiet'];
  return JSON.parse(spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' }).stdout);
}

/** The report without where its rows came from. */
function withoutOrigins(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(withoutOrigins);
  if (o && typeof o === 'object')
    return Object.fromEntries(Object.entries(o).filter(([k]) => !['file', 'line', 'lines', 'rows', 'inputs'].includes(k)).map(([k, v]) => [k, withoutOrigins(v)]));
  return o;
}

describe('the order of the input files', () => {
  it('does not change the findings or the ranking', () => {
    const a = report([sample('bids-vn.csv'), sample('bids.csv')]);
    const b = report([sample('bids.csv'), sample('bids-vn.csv')]);
    expect(a.findings.length).toBeGreaterThan(50);
    expect(withoutOrigins(b.findings)).toEqual(withoutOrigins(a.findings));
    expect(b.entities).toEqual(a.entities);
  });
});
