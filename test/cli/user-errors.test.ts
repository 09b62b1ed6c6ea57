/**
 * End to end, as a user meets them: output paths that cannot be written fail before the inputs are read,
 * config and JSON mistakes are reported with the file and the place in it, and text from the data cannot
 * drive the terminal (control characters in a company name are replaced in the table and the markdown).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture as fx, runHere } from '../helpers/cli.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'redflag-user-'));

describe('an output that cannot be written', () => {
  it('analyze --output into a missing directory: exit 2 naming the flag and the reason, before reading the inputs', async () => {
    // the input does not exist either: the output is checked first, so its message is the one given
    const r = (await runHere(['analyze', '--bids', join(tmp(), 'missing.csv'), '--output', join(tmp(), 'no', 'such', 'report.json')]));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot write --output \S*report\.json: no such directory/);
    expect(r.stderr).not.toContain('ENOENT');
    expect(r.stderr).not.toContain('missing.csv');
  });

  it('analyze --output that is a directory: exit 2, and nothing is created', async () => {
    const dir = tmp();
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--output', dir]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write --output ${dir}: it is a directory`);
  });

  it('a writable --output is still written (and an existing file replaced)', async () => {
    const out = join(tmp(), 'report.json');
    writeFileSync(out, 'old');
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--fail-on', 'never', '--output', out]));
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });

  it('baseline --output and init --output into a missing directory: exit 2 with the same message', async () => {
    const b = (await runHere(['baseline', '--bids', fx('bids.csv'), '--output', join(tmp(), 'no', 'baseline.json')]));
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/cannot write --output \S*baseline\.json: no such directory/);
    const i = (await runHere(['init', '--output', join(tmp(), 'no', 'redflag.config.jsonc')]));
    expect(i.code).toBe(2);
    expect(i.stderr).toMatch(/cannot write --output \S*redflag\.config\.jsonc: no such directory/);
    expect(i.stderr).not.toContain('ENOENT');
  });
});

describe('mistakes in the config and JSON files name the file and the place', () => {
  it('a bad parameter value in the config names the file and the setting', async () => {
    const cfg = join(tmp(), 'c.jsonc');
    writeFileSync(cfg, '{ "detectors": { "benford": { "min_n": "many" } } }');
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--config', cfg]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}: detectors.benford.min_n must be a number, got "many"`);
  });

  it('a number too large for JSON is shown as such, not as null', async () => {
    const cfg = join(tmp(), 'c.jsonc');
    writeFileSync(cfg, '{ "detectors": { "benford": { "min_n": 1e999 } } }');
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--config', cfg]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('detectors.benford.min_n must be a number, got Infinity');
  });

  it('a config syntax error gives line and column', async () => {
    const cfg = join(tmp(), 'c.jsonc');
    writeFileSync(cfg, '{\n  "detectors": {\n    "benford": { "min_n": 100 }\n  }\n  "max_flag_share": 0.1\n}\n');
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--config', cfg]));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:5:3: invalid config (CommaExpected)`);
  });

  it('a --map or --new-since file that is not valid JSON gives line and column', async () => {
    const dir = tmp();
    const map = join(dir, 'map.json');
    writeFileSync(map, '{\n  "Paid Date": "issue_date",\n  Type: null\n}\n');
    const m = (await runHere(['analyze', '--invoices', fx('bids.csv'), '--map', map]));
    expect(m.code).toBe(2);
    expect(m.stderr).toContain(`${map}:3:3: not valid JSON`);
    const prev = join(dir, 'prev.json');
    writeFileSync(prev, '{"findings": [\n]]');
    const p = (await runHere(['analyze', '--bids', fx('bids.csv'), '--new-since', prev]));
    expect(p.code).toBe(2);
    expect(p.stderr).toContain(`${prev}:2:2: not valid JSON`);
  });
});

describe('text from the data cannot drive the terminal', () => {
  const escName = 'Evil\x1b[2J\x1b]0;PWNED\x07 Co\tLtd';
  const bids = () => {
    const f = join(tmp(), 'bids.csv');
    writeFileSync(
      f,
      'tender_id,buyer_id,procedure,bidder_id,bidder_name,bid_amount,is_winner\n' +
        `T1,0100233488,open,0314409058,"${escName}",1000,true\n` +
        `T2,0100233488,open,0314409058,"${escName}",1000,true\n`,
    );
    return f;
  };

  it('the table replaces control characters in names (no ESC or BEL reaches stdout) and keeps the box aligned', async () => {
    const r = (await runHere(['analyze', '--bids', bids(), '--detectors', 'single-bidder', '--fail-on', 'never']));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Evil\ufffd[2J\ufffd]0;PWNED\ufffd Co Ltd');
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('so does the markdown report', async () => {
    const r = (await runHere(['analyze', '--bids', bids(), '--detectors', 'single-bidder', '--fail-on', 'never', '--format', 'markdown']));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Evil\ufffd');
    expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  });

  it('the JSON report keeps the name exactly as written', async () => {
    const r = (await runHere(['analyze', '--bids', bids(), '--detectors', 'single-bidder', '--fail-on', 'never', '--format', 'json']));
    expect(r.code).toBe(0);
    const names = (JSON.parse(r.stdout).entities as { name?: string }[]).map((e) => e.name);
    expect(names).toContain(escName);
  });
});

describe('an --output extension that names another format', () => {
  it('warns before the run that report.json will hold the table, and says which flag to add', async () => {
    const out = join(tmp(), 'report.json');
    const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--output', out, '--fail-on', 'never']));
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`--output ${out} will hold the table format (the default), not json; add --format json`);
  });

  it('is quiet when the format matches the extension, or the extension names no format', async () => {
    const dir = tmp();
    for (const [file, format] of [['r.json', 'json'], ['r.jsonl', 'ndjson'], ['r.md', 'markdown'], ['r.txt', 'table'], ['r.htm', 'html']]) {
      const r = (await runHere(['analyze', '--bids', fx('bids.csv'), '--output', join(dir, file), '--format', format, '--fail-on', 'never']));
      expect(r.code).toBe(0);
      expect(r.stderr).not.toContain('will hold');
    }
  });
});
