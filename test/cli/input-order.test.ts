/**
 * The order in which files of one kind are given changes where rows come from (file, line) and nothing
 * else: the same findings, with the same entities, evidence and text, and the same entity ranking.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHere, sample } from '../helpers/cli.js';

async function report(bids: string[], companies = sample('companies.csv'), invoices = sample('invoices.csv')) {
  const args = ['analyze', '--bids', ...bids, '--companies', companies, '--invoices', invoices, '--format', 'json', '--fail-on', 'never', '--quiet'];
  return JSON.parse((await runHere(args)).stdout);
}

/** The report without where its rows came from. */
function withoutOrigins(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(withoutOrigins);
  if (o && typeof o === 'object')
    return Object.fromEntries(Object.entries(o).filter(([k]) => !['file', 'line', 'lines', 'rows', 'inputs'].includes(k)).map(([k, v]) => [k, withoutOrigins(v)]));
  return o;
}

describe('the order of the input files', () => {
  it('does not change the findings or the ranking', async () => {
    const a = await report([sample('bids-vn.csv'), sample('bids.csv')]);
    const b = await report([sample('bids.csv'), sample('bids-vn.csv')]);
    expect(a.findings.length).toBeGreaterThan(50);
    expect(withoutOrigins(b.findings)).toEqual(withoutOrigins(a.findings));
    expect(b.entities).toEqual(a.entities);
  });

  it('nor does the order of the rows inside each file', async () => {
    // the sample files hold one record per line: the data lines of each, in a scrambled order
    const dir = mkdtempSync(join(tmpdir(), 'redflag-order-'));
    const scrambled = (f: string) => {
      const [head, ...rows] = readFileSync(sample(f), 'utf8').trimEnd().split('\n');
      const out = join(dir, f);
      // a fixed permutation: odd lines reversed, then even lines
      const odd = rows.filter((_, i) => i % 2 === 1).reverse();
      const even = rows.filter((_, i) => i % 2 === 0);
      writeFileSync(out, [head, ...odd, ...even].join('\n') + '\n');
      return out;
    };
    const a = await report([sample('bids-vn.csv'), sample('bids.csv')]);
    const b = await report([scrambled('bids-vn.csv'), scrambled('bids.csv')], scrambled('companies.csv'), scrambled('invoices.csv'));
    expect(b.findings.map((f: { id: string }) => f.id)).toEqual(a.findings.map((f: { id: string }) => f.id));
    expect(withoutOrigins(b.findings)).toEqual(withoutOrigins(a.findings));
    expect(b.entities).toEqual(a.entities);
  });
});
