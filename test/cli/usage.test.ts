/**
 * What a user sees when a run meets a closed pipe, a bad path, a list typed as JSON, a misspelt map or
 * config, a detector selection, or an input inspect cannot read: stdout, stderr and exit codes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';
import { dateConvention } from '../../src/cli/inspect-command.js';
import { readTable } from '../../src/io/load.js';
import { Parties } from '../../src/model/dataset.js';
import { Sink, cli, fixture as fx, run, runHere, sample } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'redflag.js');
const dir = mkdtempSync(join(tmpdir(), 'redflag-usage-'));
const STACK = /\n\s+at /;

/** Run the CLI with stdout piped into a reader that exits at once (`| true`): the exit code and stderr of the CLI. */
function runIntoClosedPipe(args: string[]) {
  const quoted = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const r = spawnSync('bash', ['-c', `${quoted} 2>"$ERR" | true; echo "\${PIPESTATUS[0]}"`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ERR: join(dir, 'pipe.err') },
  });
  return { code: Number(r.stdout.trim()), stderr: readFileSync(join(dir, 'pipe.err'), 'utf8') };
}

/** A stdout whose reader has gone away: every write fails with EPIPE. */
class ClosedPipe extends Writable {
  override _write(_chunk: Buffer, _enc: string, done: (e?: Error | null) => void): void {
    done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE', errno: -32, syscall: 'write' }));
  }
}

describe('a closed stdout (| head)', () => {
  it('ends the run quietly with the exit code it would have had', async () => {
    // the JSON report of the samples is larger than a pipe's buffer, so writing it meets the closed pipe
    const never = runIntoClosedPipe(['analyze', '--bids', sample('bids.csv'), '--format', 'json', '--fail-on', 'never']);
    expect(never.stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(never.stderr).not.toMatch(STACK);
    expect(never.code).toBe(0);
    const args = ['analyze', '--bids', sample('bids.csv'), '--invoices', sample('invoices.csv'), '--format', 'json', '--fail-on', 'medium'];
    const expected = (await runHere(args)).code;
    expect(expected).toBe(1);
    const high = runIntoClosedPipe(args);
    expect(high.stderr).not.toMatch(STACK);
    expect(high.code).toBe(expected);
  });

  it('for baseline --output - too', async () => {
    const r = runIntoClosedPipe(['baseline', '--bids', sample('bids.csv'), '--invoices', sample('invoices.csv'), '--output', '-', '--quiet']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('in-process: an EPIPE on stdout is no error, and the summary still goes to stderr', async () => {
    const stdout = new ClosedPipe();
    const r = await cli(['analyze', '--bids', fx('bids.csv'), '--format', 'ndjson', '--fail-on', 'never'], { stdout });
    expect(r.code).toBe(0);
    expect(stdout.destroyed).toBe(true);
    // the error event is taken (no listener would crash the process with "Unhandled 'error' event")
    expect(stdout.listenerCount('error')).toBeGreaterThan(0);
    expect(r.stderr).not.toContain('EPIPE');
    expect(r.stderr).toMatch(/rows read/);
  });
});

describe('output paths', () => {
  it('--rejects into a missing directory: one line naming the file, exit 2, before any input is read', async () => {
    const r = (await runHere(['analyze', '--bids', fx('ragged.csv'), '--rejects', '/nonexistent-dir/x.csv', '--fail-on', 'never']));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('redflag: cannot write --rejects /nonexistent-dir/x.csv: no such directory\n');
    // checked before the inputs: a missing input is not what is reported
    const first = (await runHere(['analyze', '--bids', join(dir, 'missing.csv'), '--rejects', '/nonexistent-dir/x.csv']));
    expect(first.code).toBe(2);
    expect(first.stderr).toContain('--rejects /nonexistent-dir/x.csv');
    expect(first.stderr).not.toContain('missing.csv');
  });

  it('--rejects still writes the rejected rows', async () => {
    const out = join(dir, 'rejects.csv');
    const r = (await runHere(['analyze', '--bids', fx('ragged.csv'), '--rejects', out, '--max-reject-rate', '1', '--fail-on', 'never', '--quiet']));
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\r\n')[0]).toBe('file,line,reason,record');
    expect(readFileSync(out, 'utf8')).toContain('no tender_id');
  });

  it('analyze --output - writes the report on stdout, not to a file named "-"', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'redflag-dash-'));
    const r = run(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--output', '-', '--fail-on', 'never'], { cwd });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).schemaVersion).toBe(1);
    expect(existsSync(join(cwd, '-'))).toBe(false);
  });
});

describe('--set, --map and the config file', () => {
  it('--set takes a list as JSON or comma-separated', async () => {
    for (const v of ['["open","restricted"]', 'open,restricted', '[ "open", "restricted" ]']) {
      const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--detectors', 'single-bidder', '--set', `single-bidder.procedures=${v}`, '--format', 'json', '--fail-on', 'never']));
      expect(r.code, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout).config['single-bidder'].procedures).toEqual(['open', 'restricted']);
    }
    const bad = (await runHere(['analyze', '--bids', fx('bids.csv'), '--set', 'single-bidder.procedures=["open",']));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('single-bidder.procedures');
    expect(bad.stderr).toContain('not valid JSON');
    const unknown = (await runHere(['analyze', '--bids', fx('bids.csv'), '--set', 'single-bidder.procedures=["open","auction"]']));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown value "auction"');
  });

  it('a misspelt table name in a --map file: "bid" is not a table, naming the map file', async () => {
    const map = join(dir, 'map.json');
    writeFileSync(map, JSON.stringify({ bid: { Gói: 'tender_id' } }));
    for (const args of [['analyze', '--bids', fx('bids.csv')], ['inspect', fx('bids.csv')]]) {
      const r = (await runHere([...args, '--map', map]));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${map}: "bid" is not a table (bids, tenders, companies, invoices)`);
      expect(r.stderr).not.toContain('[object Object]');
    }
  });

  it('max_reject_rate from the config file is named as such, with the file', async () => {
    const cfg = join(dir, 'strict.jsonc');
    writeFileSync(cfg, '{ "max_reject_rate": 0.01 }');
    const r = (await runHere(['analyze', '--bids', fx('ragged.csv'), '--config', cfg]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`more than max_reject_rate 1.0% (config ${cfg})`);
    expect(r.stderr).not.toContain('more than --max-reject-rate');
    const flag = (await runHere(['analyze', '--bids', fx('ragged.csv'), '--config', cfg, '--max-reject-rate', '0.02']));
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('more than --max-reject-rate 2.0%');
  });

  it('an unknown detector or parameter in the config file names the file', async () => {
    const cfg = join(dir, 'typo.jsonc');
    writeFileSync(cfg, '{ "detectors": { "singel-bidder": { "enabled": false } } }');
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--config', cfg]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}: unknown detector "singel-bidder"`);
  });
});

describe('detectors left out', () => {
  const detectorsOf = async (args: string[]) => {
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--fail-on', 'never', ...args]));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    return { report, byId: (id: string) => report.detectors.find((d: { id: string }) => d.id === id) };
  };

  it('are listed as skipped with the choice that left them out', async () => {
    const ex = await detectorsOf(['--exclude', 'single-bidder']);
    expect(ex.byId('single-bidder')).toMatchObject({ status: 'skipped', reason: 'disabled (--exclude)' });
    expect(ex.report.detectors).toHaveLength(new Set(ex.report.detectors.map((d: { id: string }) => d.id)).size);
    expect(ex.report.config['single-bidder']).toBeUndefined();

    const only = await detectorsOf(['--detectors', 'near-estimate-win']);
    expect(only.byId('near-estimate-win').status).toBe('ran');
    expect(only.byId('single-bidder')).toMatchObject({ status: 'skipped', reason: 'not selected (--detectors)' });
    expect(only.report.summary.detectors.ran).toBe(1);
    expect(only.report.summary.detectors.skipped).toBe(only.report.detectors.length - 1);

    const cfg = join(dir, 'off.jsonc');
    writeFileSync(cfg, '{ "detectors": { "single-bidder": { "enabled": false } } }');
    const off = await detectorsOf(['--config', cfg]);
    expect(off.byId('single-bidder').status).toBe('skipped');
    expect(off.byId('single-bidder').reason).toMatch(/^disabled in the config/);
    expect(off.byId('single-bidder').reason).toContain(cfg);
  });

  it('the table lists them too, and the summary line counts them as skipped', async () => {
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--detectors', 'near-estimate-win', '--fail-on', 'never']));
    expect(r.stdout).toMatch(/single-bidder\s+│ skipped.*not selected \(--detectors\)/);
    expect(r.stderr).toMatch(/1 detector ran, \d+ skipped/);
  });

  it('nothing left to run is exit 2 with a message', async () => {
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--detectors', 'single-bidder', '--exclude', 'single-bidder']));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('redflag: no detector left to run: --exclude single-bidder removes every detector chosen with --detectors single-bidder\n');
  });
});

describe('inspect', () => {
  it('a missing file, a directory or an unrecognised file: exit 2 with the reason on stderr, not only in the report', async () => {
    const notTable = join(dir, 'notes.csv');
    writeFileSync(notTable, 'a,b\n1,2\n');
    for (const [f, reason] of [
      [join(dir, 'nonexistent.csv'), 'no such file'],
      [dir, 'is a directory'],
      [notTable, 'not recognised as any table'],
    ]) {
      const r = (await runHere(['inspect', f]));
      expect(r.code, f).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^redflag: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: .*${reason}`));
      expect(r.stdout).toContain(reason);
      const json = (await runHere(['inspect', f, '--format', 'json']));
      expect(json.code).toBe(2);
      expect(json.stderr).toContain(reason);
      expect(JSON.parse(json.stdout).files[0].problems.join(' ')).toContain(reason);
    }
    const ok = (await runHere(['inspect', fx('bids.csv')]));
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
  });

  it('a file without the required columns of --kind is exit 2, as for analyze', async () => {
    const r = (await runHere(['inspect', fx('bids.csv'), '--kind', 'invoices']));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('missing required invoices columns');
    expect(r.stderr).toContain(`redflag: ${fx('bids.csv')}: missing required invoices columns`);
    expect((await runHere(['inspect', fx('bids.csv')])).code).toBe(0);
  });

  it('a Windows-1252 file says so once', async () => {
    const f = join(dir, 'cp1252.csv');
    writeFileSync(f, Buffer.from('tender_id,buyer_id,bidder_id,bid_amount,bidder_name\nT1,B1,A1,100,Caf\xe9 Ni\xf1o\n', 'latin1'));
    const r = (await runHere(['inspect', f]));
    expect(r.code).toBe(0);
    expect(r.stdout.match(/not valid UTF-8; read as Windows-1252/g)).toHaveLength(1);
  });

  it('--date-order ymd shows that dates written year last are still read day first', async () => {
    const f = join(dir, 'dates.csv');
    writeFileSync(f, 'tender_id,buyer_id,bidder_id,bid_amount,published_date\nT1,B1,A1,100,05/03/2024\nT2,B1,A1,100,06/04/2024\n');
    const r = (await runHere(['inspect', f, '--date-order', 'ymd']));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('dd/mm/yyyy; order dmy');
    expect(r.stdout).not.toContain('; order ymd');
    // and that is what the reader does: 05/03/2024 is 5 March
    const { table } = await readTable(f, 'bids', new Parties(), 0, { dateOrder: 'ymd' });
    expect(table.num('published_date')![0]).toBe(Date.UTC(2024, 2, 5));
    expect(dateConvention('dd/mm/yyyy; order ymd (set by --date-order)', 'ymd')).toMatch(/^dd\/mm\/yyyy; order dmy \(day first/);
    expect(dateConvention('mm/dd/yyyy; order ymd (set by --date-order)', 'ymd')).toMatch(/^mm\/dd\/yyyy; order mdy \(month first/);
    expect(dateConvention('yy/mm/dd; order ymd (set by --date-order)', 'ymd')).toBe('yy/mm/dd; order ymd (set by --date-order)');
    expect(dateConvention('dd/mm/yyyy; order dmy (default)', undefined)).toBe('dd/mm/yyyy; order dmy (default)');
  });

  it('singular and plural counts', async () => {
    const r = (await runHere(['inspect', fx('ragged.csv')]));
    expect(r.stdout).toContain('3 rows rejected');
    const one = join(dir, 'one-reject.csv');
    writeFileSync(one, 'tender_id,buyer_id,bidder_id,bid_amount\nT1,B,A,100\nT2,B,A\n');
    expect((await runHere(['inspect', one])).stdout).toContain('1 row rejected');
  });
});

describe('progress', () => {
  const tty = () => new Sink({ tty: true });

  it('stays silent on a terminal for a small input', async () => {
    const err = tty();
    const p = new Progress(err, true);
    p.inputs([fx('bids.csv')]);
    p.file(fx('bids.csv'));
    p.update(1000);
    p.stage('running detectors');
    p.done();
    expect(err.text).toBe('');
  });

  it('shows on a terminal when the files reach the size, or standard input reaches it while read', async () => {
    const big = tty();
    const p = new Progress(big, true, 100);
    p.inputs([fx('bids.csv')]);
    p.stage('running detectors');
    expect(big.text).toContain('running detectors …');

    const stdin = tty();
    const q = new Progress(stdin, true, 5e6);
    q.inputs(['-']);
    q.file('-');
    expect(stdin.text).toBe('');
    q.update(6e6);
    expect(stdin.text).toContain('reading stdin … 6.0 M characters');

    const pipe = new Sink();
    const off = new Progress(pipe, false, 0);
    off.stage('running detectors');
    expect(pipe.text).toBe('');
  });

  it('a 5-row input on a terminal gets no progress line from analyze', async () => {
    const err = tty();
    const r = await cli(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--fail-on', 'never'], { stderr: err });
    expect(r.code).toBe(0);
    expect(err.text).not.toContain('\r');
    expect(err.text).toMatch(/rows read/);
  });
});

describe('an export with a header and no rows', () => {
  it('is exit 2 naming the file, not a clean run', async () => {
    const header = readFileSync(sample('bids.csv'), 'utf8').split('\n')[0];
    const p = join(dir, 'header-only.csv');
    writeFileSync(p, `${header}\n,,,,\n`);
    const r = (await runHere(['analyze', '--bids', p, '--format', 'json']));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${p}: no data rows, only a header (bids)`);
    expect(r.stderr).not.toMatch(STACK);
  });
});

describe('short options', () => {
  it('-f and -o are --format and --output, for analyze, baseline, detectors and init', async () => {
    const out = join(dir, 'short.json');
    const r = await cli(['analyze', '--bids', sample('bids.csv'), '-f', 'json', '-o', out, '--fail-on', 'never', '--quiet']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(JSON.parse(readFileSync(out, 'utf8')).schemaVersion).toBe(1);
    const base = join(dir, 'short-baseline.json');
    expect((await cli(['baseline', '--bids', sample('bids.csv'), '-o', base, '--quiet'])).code).toBe(0);
    expect(existsSync(base)).toBe(true);
    expect(JSON.parse((await cli(['detectors', '-f', 'json'])).stdout)).toBeTruthy();
    const init = join(dir, 'short.jsonc');
    expect((await cli(['init', '-o', init])).code).toBe(0);
    expect(readFileSync(init, 'utf8')).toContain('single-bidder');
  });
});
