/**
 * `redflag inspect` on OCDS files: recognised from the content, what each holds (releases, ocids, tenders
 * with bids, parties) and the tables it gives, each with its columns as for a CSV file.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, runHere } from '../helpers/cli.js';

const F = (f: string) => join(ROOT, 'test', 'fixtures', 'ocds', f);

describe('inspect an OCDS file', () => {
  it('says what it holds: releases, ocids, tenders with bids, parties, and the tables it gives', async () => {
    const r = await cli(['inspect', F('ring-package.json'), F('ring-compiled.jsonl'), F('ring-records.json'), F('tenderers-only.json')]);
    expect(r.code, r.stderr).toBe(0);
    const text = r.stdout;
    expect(text).toContain('  kind       OCDS release package (recognised from the content)');
    expect(text).toContain('  holds      16 releases of 8 ocids (8 with several releases, merged)');
    expect(text).toContain('  tenders    8 with bids (bid extension), 0 with tenderers only (no bid amounts), 0 without bids or tenderers');
    expect(text).toContain('  parties    4');
    expect(text).toContain('  bids       24 rows read, 0 rejected');
    expect(text).toContain('    bid_amount      ← "bids.details[].value.amount"  [amount]');
    expect(text).toContain('  companies  3 rows read, 0 rejected');
    expect(text).toContain('  kind       OCDS JSON Lines of compiled releases (recognised from the content)');
    expect(text).toContain('  holds      8 releases (8 compiled) of 8 ocids');
    expect(text).toContain('  kind       OCDS record package (recognised from the content)');
    expect(text).toContain('  holds      8 records, 9 releases (7 compiled) of 8 ocids (1 with several releases, merged)');
    expect(text).toContain('  tenders    0 with bids (bid extension), 8 with tenderers only (no bid amounts), 0 without bids or tenderers');
    expect(text).toContain('    - bids: columns present but blank on every row (detectors needing them will be skipped): bid_amount');

    const json = await cli(['inspect', F('ring-package.json'), '--format', 'json']);
    const file = (JSON.parse(json.stdout) as { files: Record<string, unknown>[] }).files[0];
    expect(file).toMatchObject({ kind: 'ocds', kindSource: 'content', format: 'json', rows: 27, rejected: 0, ocds: { format: 'release package', releases: 16, ocids: 8, tendersWithBids: 8, parties: 4 } });
    expect((file.tables as { kind: string; rows: number }[]).map((t) => [t.kind, t.rows])).toEqual([
      ['bids', 24],
      ['companies', 3],
    ]);
  });

  it('JSON that is not OCDS: exit 2 with the reason', async () => {
    const r = await runHere(['inspect', '-'], { input: '{"features": []}' });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('  kind       unknown (JSON, not read as OCDS)');
    expect(r.stderr).toBe('redflag: stdin: JSON but not OCDS: no "releases" or "records" list (a package) and no item with an "ocid" (JSON Lines of releases or records)\n');
  });
});
