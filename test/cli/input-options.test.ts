/**
 * Options about reading the inputs: --encoding (analyze, baseline, inspect) and --map files.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'redflag-encoding-'));
// "Đạt" in Windows-1258 is Ð (0xD0), a, dot below (0xF2), t; in Windows-1252 it reads "Ðaòt"
const bids = join(dir, 'bids-1258.csv');
writeFileSync(
  bids,
  Buffer.concat([Buffer.from('tender_id,buyer_id,bidder_id,bidder_name,bid_amount\nT1,0100233488,0314409058,'), Buffer.from([0xd0, 0x61, 0xf2, 0x74]), Buffer.from(',1000\n')]),
);

describe('--encoding', () => {
  it('inspect reads the file in the named encoding and says so', async () => {
    const r = await cli(['inspect', bids, '--encoding', 'windows-1258', '--format', 'json']);
    expect(r.code).toBe(0);
    const f = JSON.parse(r.stdout).files[0];
    expect(f.encoding).toBe('windows-1258');
    const other = JSON.parse((await cli(['inspect', bids, '--encoding', 'windows-1252', '--format', 'json'])).stdout).files[0];
    expect(other.encoding).toBe('windows-1252');
  });

  it('analyze and baseline take it; an unknown encoding is a usage error', async () => {
    const r = await cli(['analyze', '--bids', bids, '--encoding', 'windows-1258', '--format', 'json', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    const b = await cli(['baseline', '--bids', bids, '--encoding', 'utf-16le', '--output', join(dir, 'b.json')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/missing required bids columns/);
    const bad = await cli(['analyze', '--bids', bids, '--encoding', 'latin-9']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--encoding.*latin-9.*Allowed choices are utf-8, utf-16le, utf-16be, windows-1252, windows-1258/s);
  });
});

describe('--map files', () => {
  it('take comments, and mix per-table and flat entries', async () => {
    const inv = join(dir, 'payments.csv');
    writeFileSync(inv, 'Trans No,Paid Date,Supplier ID,Net\nT1,05/03/2024,ACME,100\nT2,06/03/2024,ACME,200\n');
    const map = join(dir, 'map.jsonc');
    writeFileSync(map, '{\n  // the payments export\n  "invoices": { "Supplier ID": "seller_id", "Net": "amount" },\n  "Paid Date": "issue_date",\n  "Trans No": "number"\n}\n');
    const r = await cli(['inspect', inv, '--map', map, '--format', 'json']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const cols = JSON.parse(r.stdout).files[0].columns.map((c: { canonical: string; header: string }) => [c.canonical, c.header]);
    expect(cols).toEqual(expect.arrayContaining([['seller_id', 'Supplier ID'], ['issue_date', 'Paid Date'], ['amount', 'Net'], ['number', 'Trans No']]));
  });
});
