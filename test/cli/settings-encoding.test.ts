/**
 * End to end: settings files written on Windows are read — a config saved by Notepad with a UTF-8 BOM
 * (refused as "invalid config (InvalidSymbol)" before), and a JSON report redirected by Windows PowerShell,
 * which writes UTF-16 LE with a BOM, given back to --new-since; UTF-16 BE for a column map.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeSettingsText } from '../../src/cli/analyze-command.js';
import { fixture as fx, run } from '../helpers/cli.js';

const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);

describe('decodeSettingsText', () => {
  it('drops a UTF-8 BOM and decodes UTF-16 LE and BE by their BOM; plain UTF-8 stays as it is', () => {
    const s = '{"Mã TBMT": "tender_id"}';
    expect(decodeSettingsText(Buffer.from(s))).toBe(s);
    expect(decodeSettingsText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s)]))).toBe(s);
    expect(decodeSettingsText(utf16le(s))).toBe(s);
    expect(decodeSettingsText(utf16be(s))).toBe(s);
  });
});

describe('settings files from Windows', () => {
  it('a config with a UTF-8 BOM is applied', () => {
    const cfg = join(mkdtempSync(join(tmpdir(), 'redflag-enc-')), 'c.jsonc');
    writeFileSync(cfg, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('// saved by Notepad\n{ "detectors": { "single-bidder": { "enabled": false } } }\n')]));
    const r = run(['analyze', '--bids', fx('bids.csv'), '--config', cfg, '--format', 'json', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).detectors.find((d: { id: string }) => d.id === 'single-bidder').status).toBe('skipped');
  });

  it('a UTF-16 LE JSON report (PowerShell redirection) is read by --new-since', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-enc-'));
    const first = run(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--fail-on', 'never']);
    const prev = join(dir, 'report.json');
    writeFileSync(prev, utf16le(first.stdout));
    const r = run(['analyze', '--bids', fx('bids.csv'), '--format', 'json', '--new-since', prev]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toEqual([]);
    expect(report.summary.suppressed.previous).toBe(JSON.parse(first.stdout).findings.length);
  });

  it('a UTF-16 BE column map is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'redflag-enc-'));
    const bids = join(dir, 'bids.csv');
    writeFileSync(bids, 'Gói,Bên mời,Nhà thầu,Giá\nT1,0100233488,0314409058,100\nT2,0100233488,0314409058,200\n');
    const map = join(dir, 'map.json');
    writeFileSync(map, utf16be('{"Gói": "tender_id", "Bên mời": "buyer_id", "Nhà thầu": "bidder_id", "Giá": "bid_amount"}'));
    const r = run(['analyze', '--bids', bids, '--map', map, '--format', 'json', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).inputs[0].columns).toMatchObject({ tender_id: 'Gói', bid_amount: 'Giá' });
  });
});
