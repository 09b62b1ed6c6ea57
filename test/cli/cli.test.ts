/**
 * End to end: the CLI's stdout, stderr and exit codes (OUTPUT.md), run in this process (runHere); the
 * first tests run the compiled bin/redflag.js as a user does (`npm test` compiles first).
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { fixture as fx, run, runHere } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');

const schema = JSON.parse(readFileSync(join(root, 'schema', 'report.schema.json'), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

describe('exit codes', () => {
  it('0 for --version and help (the compiled binary)', () => {
    expect(run(['--version']).code).toBe(0);
    const h = run(['analyze', '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--fail-on');
  });

  it('2 when help is shown as an error (help for an unknown command, -- without a command); 0 when asked for', async () => {
    for (const args of [['help', 'bogus'], ['--']]) {
      const r = (await runHere(args));
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('Usage: redflag');
    }
    for (const args of [['help'], ['help', 'analyze'], ['--help'], ['-h']]) {
      const r = (await runHere(args));
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout).toContain('Usage: redflag');
      expect(r.stderr).toBe('');
    }
  });

  it('2 for an unknown flag (commander errors are usage errors, not 1)', async () => {
    const r = (await runHere(['analyze', '--bogus']));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });

  it('2 for a bad choice and for no command', async () => {
    expect((await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'xml'])).code).toBe(2);
    expect((await runHere([])).code).toBe(2);
  });

  it('2 for a missing file, with one message naming it and no stack trace', async () => {
    const r = (await runHere(['analyze', '--bids', 'does-not-exist.csv']));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('does-not-exist.csv');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('2 for a missing required column, naming the file and the column', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-'));
    const f = join(dir, 'nobuyer.csv');
    writeFileSync(f, 'tender_id,bidder_id,bid_amount\nT1,A,100\n');
    const r = (await runHere(['analyze', '--bids', f]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nobuyer.csv');
    expect(r.stderr).toContain('buyer_id');
  });

  it('2 for an unknown detector or parameter', async () => {
    const a = (await runHere(['analyze', '--bids', fx('bids.csv'), '--detectors', 'no-such-detector']));
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('unknown detector "no-such-detector"');
    const b = (await runHere(['analyze', '--bids', fx('bids.csv'), '--set', 'single-bidder.nope=1']));
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('unknown parameter "nope"');
    const c = (await runHere(['analyze', '--bids', fx('bids.csv'), '--set', 'near-estimate-win.ratio=7']));
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('must be ≤ 1.5');
  });

  it('1 when a finding reaches --fail-on, 0 with --fail-on never', async () => {
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--fail-on', 'medium']));
    expect(r.code).toBe(1);
    expect((await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--fail-on', 'never'])).code).toBe(0);
  });
});

describe('analyze', () => {
  it('writes schema-valid, byte-identical JSON on stdout and nothing but warnings on stderr', async () => {
    const args = ['analyze', '--bids', fx('bids.csv'), '--bids', fx('bids-vn.csv'), '--format', 'json', '--fail-on', 'never'];
    const a = (await runHere(args));
    const b = (await runHere(args));
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const report = JSON.parse(a.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.inputs.map((i: { rows: number }) => i.rows)).toEqual([5, 3]);
    // tax codes normalised across files: vn prefix and lost leading zero
    const companies = report.entities.filter((e: { type: string }) => e.type === 'company').map((e: { id: string }) => e.id);
    expect(companies).toContain('0314409058');
    expect(companies).not.toContain('314409058');
    // Vietnamese amounts read in thousands
    const ib01 = report.findings.find((f: { title: string }) => f.title.startsWith('IB01'));
    expect(ib01.evidence.ratio).toBe(0.995);
    expect(a.stderr).toMatch(/rows read/);
  });

  it('the bundled samples, every detector running, give a schema-valid report with ranked entities', async () => {
    const s = (f: string) => join(root, 'samples', f);
    const r = (await runHere(['analyze', '--bids', s('bids-vn.csv'), '--bids', s('bids.csv'), '--companies', s('companies.csv'), '--invoices', s('invoices.csv'), '--format', 'json', '--fail-on', 'never']));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.summary.detectors).toMatchObject({ skipped: 0, error: 0 });
    expect(report.inputs.every((i: { rejected: number }) => i.rejected === 0)).toBe(true);
    const types = new Set(report.entities.map((e: { type: string }) => e.type));
    for (const t of ['tender', 'company', 'buyer', 'invoice', 'group']) expect(types.has(t), t).toBe(true);
  });

  it('table is the default format, plain when stdout is not a terminal', async () => {
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--fail-on', 'never']));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('near-estimate-win');
    expect(r.stdout).toContain('Detectors');
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('ndjson: one finding per line; csv: formula cells escaped', async () => {
    const nd = (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'ndjson', '--fail-on', 'never']));
    const lines = nd.stdout.trim().split('\n');
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(JSON.parse(l).detector).toBeTruthy();
    const csv = (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'csv', '--fail-on', 'never']));
    expect(csv.stdout.split('\r\n')[0]).toMatch(/^rank,id,detector,severity,score/);
    expect(csv.stdout).not.toMatch(/(^|,)"?=HYPERLINK/m);
  });

  it('--top and --min-severity cut the list and say so in the summary', async () => {
    const r = JSON.parse((await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--top', '1', '--fail-on', 'never'])).stdout);
    expect(r.findings).toHaveLength(1);
    expect(r.summary.shown).toBe(1);
    expect(r.summary.findings).toBeGreaterThan(1);
  });

  it('reads from stdin with - (the compiled binary, a real pipe)', () => {
    const r = run(['analyze', '--bids', '-', '--format', 'json', '--fail-on', 'never'], { input: readFileSync(fx('bids.csv'), 'utf8') });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).inputs[0]).toMatchObject({ path: 'stdin', rows: 5 });
  });

  it('reports skipped detectors with the reason', async () => {
    const r = JSON.parse((await runHere(['analyze', '--bids', fx('bids-vn.csv'), '--format', 'json', '--fail-on', 'never'])).stdout);
    const d = r.detectors.find((x: { id: string }) => x.id === 'lowest-bid-disqualified');
    expect(d).toMatchObject({ status: 'skipped', reason: 'missing: bids.bid_status' });
  });
});

describe('rejected rows', () => {
  it('are counted, reported with line numbers, written with --rejects, and stop the run above the rate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-'));
    const rej = join(dir, 'rejects.csv');
    const r = (await runHere(['analyze', '--bids', fx('ragged.csv'), '--rejects', rej, '--format', 'json']));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/ragged\.csv: 3 of 5 rows rejected/);
    const lines = readFileSync(rej, 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toBe('file,line,reason,record');
    expect(lines.slice(1).map((l) => l.split(',')[1])).toEqual(['3', '4', '5']);
    const ok = (await runHere(['analyze', '--bids', fx('ragged.csv'), '--max-reject-rate', '0.9', '--format', 'json', '--fail-on', 'never']));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).inputs[0]).toMatchObject({ rows: 2, rejected: 3 });
    expect(ok.stderr).toContain('3 rows rejected');
  });
});

describe('other commands', () => {
  it('detectors --format json lists every detector with params', async () => {
    const r = (await runHere(['detectors', '--format', 'json']));
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.schemaVersion).toBe(1);
    const sb = j.detectors.find((d: { id: string }) => d.id === 'single-bidder');
    expect(sb.params.procedures.default).toContain('open');
    expect(sb.needs).toContain('bids.procedure');
  });

  it('explain prints the sections; an unknown id is exit 2', async () => {
    const r = (await runHere(['explain', 'near-estimate-win']));
    expect(r.code).toBe(0);
    for (const s of ['Definition', 'Formula', 'Parameters', 'Why is this a red flag?', 'Known false positives', 'Based on']) expect(r.stdout).toContain(s);
    expect((await runHere(['explain', 'nope'])).code).toBe(2);
  });

  it('init writes a config that analyze accepts, and refuses to overwrite', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-'));
    const cfg = join(dir, 'redflag.config.jsonc');
    expect((await runHere(['init', '--output', cfg])).code).toBe(0);
    const text = readFileSync(cfg, 'utf8');
    expect(text).toContain('// ');
    expect(text).toContain('"single-bidder"');
    expect((await runHere(['init', '--output', cfg])).code).toBe(2);
    writeFileSync(cfg, text.replace('"ratio": 0.99', '"ratio": 0.999'));
    const r = JSON.parse((await runHere(['analyze', '--bids', fx('bids.csv'), '--config', cfg, '--format', 'json', '--fail-on', 'never'])).stdout);
    expect(r.config['near-estimate-win'].ratio).toBe(0.999);
  });

  it('skips a title and notes above the header and a totals line at the foot, and says so', async () => {
    const r = (await runHere(['analyze', '--bids', fx('bids-title.csv'), '--format', 'json', '--fail-on', 'never']));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.inputs[0]).toMatchObject({ rows: 2, rejected: 0, columns: { tender_id: 'Mã TBMT', bid_amount: 'Giá dự thầu' } });
    expect(r.stderr).toContain('bids-title.csv: 3 lines above the header (line 4) skipped');
    expect(r.stderr).toContain('bids-title.csv: 1 total row ("Tổng cộng", "Total"… with no firm or buyer id) skipped at line 7');
    const i = (await runHere(['inspect', fx('bids-title.csv')]));
    expect(i.stdout).toContain('bids (recognised from the headers)');
    expect(i.stdout).toContain('2 read, 0 rejected');
  });

  it('inspect names columns that exist but are blank on every row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-'));
    const f = join(dir, 'swiss.csv');
    writeFileSync(f, 'tender_id,buyer_id,bidder_id,bid_amount,estimated_value\nT1,,,100,\nT1,,,101,\n');
    const r = (await runHere(['inspect', f]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('columns present but blank on every row (detectors needing them will be skipped): buyer_id, bidder_id, estimated_value');
    expect(r.stdout).toMatch(/estimated_value\s+← "estimated_value"\s+\[amount\]\s+no values/);
  });

  it('inspect tells the kind, the format and the column mapping', async () => {
    const r = (await runHere(['inspect', fx('bids-vn.csv')]));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('bids (recognised from the headers)');
    expect(r.stdout).toContain('semicolon');
    expect(r.stdout).toContain('with BOM');
    expect(r.stdout).toMatch(/bid_amount\s+← "Giá dự thầu"/);
    expect(existsSync(fx('bids-vn.csv'))).toBe(true);
  });
});
