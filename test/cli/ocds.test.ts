/**
 * OCDS input end to end through the CLI: the findings on stdout, the messages on stderr, the exit codes;
 * and the same tenders given as CSV and as OCDS (a release package, JSON Lines of compiled releases, a
 * record package) giving the same findings, ids included.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { cli, ROOT, runHere } from '../helpers/cli.js';

const F = (f: string) => join(ROOT, 'test', 'fixtures', 'ocds', f);
const dir = mkdtempSync(join(tmpdir(), 'redflag-ocds-'));

interface Finding {
  id: string;
  detector: string;
  severity: string;
  entities: { type: string; id: string }[];
  evidence: unknown;
}
interface Report {
  findings: Finding[];
  inputs: { path: string; kind: string; rows: number; rejected: number }[];
  detectors: { id: string; status: string; reason?: string }[];
}

async function analyze(args: string[], opts: { input?: string } = {}): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await runHere(['analyze', ...args, '--format', 'json'], opts);
  expect(r.stdout, r.stderr).not.toBe('');
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const ids = (r: Report, detector: string) => r.findings.filter((f) => f.detector === detector).map((f) => f.entities.filter((e) => e.type !== 'tender').map((e) => e.id));

/** Findings without where their evidence was written (file and line differ between a CSV and a JSON file by nature). */
function comparable(findings: Finding[]): unknown {
  return JSON.parse(JSON.stringify(findings, (k, v) => (k === 'file' || k === 'line' ? undefined : v)));
}

describe('analyze --ocds', () => {
  it('a release package with the bid extension: the two bidders that always lose to one winner are found', async () => {
    const { code, report, stderr } = await analyze(['--ocds', F('ring-package.json')]);
    expect(code, stderr).toBe(1); // high findings, --fail-on high
    expect(report.inputs.map((i) => [i.kind, i.rows, i.rejected])).toEqual([
      ['bids', 24, 0],
      ['companies', 3, 0],
    ]);
    expect(ids(report, 'fixed-ratio-bids')).toEqual([
      ['XX-FIRM-WINNER', 'XX-FIRM-LOSER-A'],
      ['XX-FIRM-WINNER', 'XX-FIRM-LOSER-B'],
      ['XX-FIRM-LOSER-A', 'XX-FIRM-LOSER-B'],
    ]);
    expect(ids(report, 'co-bidding-pair')).toHaveLength(3);
    // the buyer's tax code, written vn0100233488, is normalised as in a CSV
    expect(ids(report, 'repeat-winner')).toEqual([['0100233488', 'XX-FIRM-WINNER']]);
    // the corrected estimate of T1 (a later release) is the one read: its win is near the estimate too
    expect(report.findings.filter((f) => f.detector === 'near-estimate-win').map((f) => f.entities[0].id)).toContain('ocds-ring-T1');
    // the companies table links the winner and a loser by their phone
    expect(ids(report, 'company-groups')[0]).toEqual(['G-XX-FIRM-LOSER-A', 'XX-FIRM-LOSER-A', 'XX-FIRM-WINNER']);
    expect(stderr).toContain('redflag: 27 rows read, 0 rejected;');
  });

  it('the same tenders as CSV, as a release package, as JSON Lines of compiled releases and as a record package: the same findings, ids included', async () => {
    const csv = await analyze(['--bids', F('ring-bids.csv'), '--companies', F('ring-companies.csv'), '--fail-on', 'never']);
    expect(csv.report.findings.length).toBeGreaterThan(10);
    for (const file of ['ring-package.json', 'ring-compiled.jsonl', 'ring-records.json']) {
      const ocds = await analyze(['--ocds', F(file), '--fail-on', 'never']);
      expect(ocds.report.findings.map((f) => f.id), file).toEqual(csv.report.findings.map((f) => f.id));
      expect(comparable(ocds.report.findings), file).toEqual(comparable(csv.report.findings));
      expect(ocds.report.detectors, file).toEqual(csv.report.detectors);
    }
  });

  it('tenderers without bid amounts: the price detectors are skipped with the reason, the others run', async () => {
    const { code, report } = await analyze(['--ocds', F('tenderers-only.json'), '--fail-on', 'never']);
    expect(code).toBe(0);
    const status = (id: string) => report.detectors.find((d) => d.id === id);
    for (const id of ['fixed-ratio-bids', 'cover-bid-pattern', 'close-second-bid', 'identical-bids', 'bid-screens'])
      expect(status(id), id).toMatchObject({ status: 'skipped', reason: 'missing: bids.bid_amount or bids.final_amount' });
    expect(status('co-bidding-pair')?.status).toBe('ran');
    expect(ids(report, 'repeat-winner')).toEqual([['0100233488', 'XX-FIRM-WINNER']]);
  });

  it('combines with CSV inputs: a companies registry adds what OCDS does not carry, and its names win', async () => {
    const reg = join(dir, 'registry.csv');
    writeFileSync(reg, 'company_id,name,registration_date\nXX-FIRM-WINNER,Công ty TNHH Thắng (registry),2023-12-20\nXX-FIRM-LOSER-A,,2010-01-01\n');
    const without = await analyze(['--ocds', F('ring-compiled.jsonl'), '--fail-on', 'never']);
    expect(without.report.detectors.find((d) => d.id === 'new-company-winner')).toMatchObject({ status: 'skipped', reason: 'missing: companies.registration_date' });
    const { report } = await analyze(['--ocds', F('ring-compiled.jsonl'), '--companies', reg, '--fail-on', 'never']);
    expect(report.detectors.find((d) => d.id === 'new-company-winner')?.status).toBe('ran');
    expect(ids(report, 'new-company-winner').map((e) => e[0])).toContain('XX-FIRM-WINNER');
    // the registry is read before the OCDS file: its row is the firm's first, and its name is the firm's
    expect(report.inputs.map((i) => [i.path === reg ? 'registry' : 'ocds', i.kind])).toEqual([
      ['registry', 'companies'],
      ['ocds', 'bids'],
      ['ocds', 'companies'],
    ]);
    const names = new Map(report.findings.flatMap((f) => f.entities.map((e) => [e.id, (e as { name?: string }).name])));
    expect(names.get('XX-FIRM-WINNER')).toBe('Công ty TNHH Thắng (registry)');
    expect(names.get('XX-FIRM-LOSER-A')).toBe('Công ty Thua A');
  });

  it('reads standard input (-), gzip and unexpanded patterns', async () => {
    const base = await analyze(['--ocds', F('ring-compiled.jsonl'), '--fail-on', 'never']);
    const stdin = await analyze(['--ocds', '-', '--fail-on', 'never'], { input: readFileSync(F('ring-compiled.jsonl'), 'utf8') });
    expect(stdin.report.findings.map((f) => f.id)).toEqual(base.report.findings.map((f) => f.id));
    expect(stdin.report.inputs[0].path).toBe('stdin');
    const gz = join(dir, 'ring.jsonl.gz');
    writeFileSync(gz, gzipSync(readFileSync(F('ring-compiled.jsonl'))));
    const zipped = await analyze(['--ocds', gz, '--fail-on', 'never']);
    expect(zipped.report.findings.map((f) => f.id)).toEqual(base.report.findings.map((f) => f.id));
    const globbed = await analyze(['--ocds', join(dir, '*.jsonl.gz'), '--fail-on', 'never']);
    expect(globbed.report.inputs[0].path).toBe(gz);
  });

  it('rejects what cannot be mapped, naming the file, the line and the place in the JSON', async () => {
    const pkg = join(dir, 'rejects.json');
    const release = (ocid: string, bids: unknown[]) => ({ ocid, date: '2024-01-01T00:00:00Z', tender: { procurementMethod: 'open' }, bids: { details: bids } });
    const bid = (id: string, tenderer?: string) => ({ id, value: { amount: 100 }, ...(tenderer ? { tenderers: [{ id: tenderer }] } : {}) });
    writeFileSync(
      pkg,
      JSON.stringify({ releases: [release('ocds-R1', [bid('1', 'A'), bid('2'), bid('3', 'B')]), { id: 'no-ocid', tender: {} }, release('ocds-R2', [bid('4', 'A'), bid('5', 'B')])] }, null, 1),
    );
    const stopped = await runHere(['analyze', '--ocds', pkg]);
    expect(stopped.code).toBe(2);
    expect(stopped.stderr).toContain(`redflag: ${pkg}: 2 of 6 rows rejected (33.3%, more than --max-reject-rate 5.0%); first at line 3 (releases[0].bids.details[1]), line 42 (releases[1]): a bid with no tenderer`);
    const out = join(dir, 'rejects-out.csv');
    const r = await runHere(['analyze', '--ocds', pkg, '--max-reject-rate', '1', '--rejects', out, '--fail-on', 'never']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`redflag: warning: ${pkg}: 2 rows rejected: a bid with no tenderer (1 row); a release with no ocid (1 row); first at line 3 (releases[0].bids.details[1]), line 42 (releases[1])`);
    const rows = (parse(readFileSync(out, 'utf8')) as string[][]).slice(1);
    expect(rows.map((x) => x.slice(1, 3))).toEqual([
      ['3', 'a bid with no tenderer at releases[0].bids.details[1]'],
      ['42', 'a release with no ocid at releases[1]'],
    ]);
    expect(JSON.parse(rows[0][3])).toEqual({ id: '2', value: { amount: 100 } });

    // JSON Lines: the line is the release's
    const lines = join(dir, 'rejects.jsonl');
    writeFileSync(lines, [release('ocds-R1', [bid('1', 'A'), bid('3', 'B')]), { id: 'x' }, release('ocds-R2', [bid('4', 'A'), bid('5')])].map((x) => JSON.stringify(x)).join('\n'));
    const jl = await runHere(['analyze', '--ocds', lines, '--max-reject-rate', '1', '--fail-on', 'never']);
    expect(jl.stderr).toContain(`${lines}: 2 rows rejected: a release with no ocid (1 row); a bid with no tenderer (1 row); first at line 2, line 3 (bids.details[1])`);
  });

  it('not JSON, not OCDS, empty: exit 2 naming the file, no stack trace', async () => {
    const write = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const cases: [string, string][] = [
      [write('bids.json', 'tender_id,bidder_id\nT1,A\n'), 'not valid JSON: does not start with a JSON object or array, found "tender_id" (line 1); CSV tables are given with --bids, --tenders, --companies or --invoices'],
      [write('broken.json', '{"releases": [{"ocid": "A",\n "tender": }]}'), 'not valid JSON: Unexpected token'],
      [write('cut.json', '{"releases": [{"ocid": "A"},\n'), 'not valid JSON: the text ends inside an unclosed object or array (line 2)'],
      [write('other.json', '{"type": "FeatureCollection", "features": []}'), 'JSON but not OCDS: no "releases" or "records" list'],
      [write('empty.json', ''), 'empty file (0 bytes)'],
      [write('blank.json', '  \n\n'), 'empty file (only whitespace)'],
      [write('none.json', '{"uri": "x", "releases": []}'), 'an OCDS release package with no releases'],
    ];
    for (const [path, message] of cases) {
      const r = await cli(['analyze', '--ocds', path]);
      expect(r.code, path).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr, path).toContain(`redflag: ${path}: ${message}`);
      expect(r.stderr.trim().split('\n'), path).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    // a JSON file given as a CSV table says where it belongs
    const r = await cli(['analyze', '--bids', F('ring-compiled.jsonl')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`redflag: ${F('ring-compiled.jsonl')}: not a CSV file (JSON): give OCDS JSON with --ocds, or export the table as CSV\n`);
  });
});
