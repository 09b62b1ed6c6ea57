/**
 * OUTPUT.md: "When a detector flags more than max_flag_share (default 5%) of what it judged, the run warns
 * on stderr and in the report" — whatever the number of findings. The entity-risk discount (riskWeight) is
 * another rule: it needs at least 20 strong findings, and is not applied below.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'redflag.js');
const bids = [join(root, 'samples', 'bids-vn.csv'), join(root, 'samples', 'bids.csv')];

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('the max_flag_share warning', () => {
  it('is raised for 12 findings of 220 (5.5%), on stderr and in the report, saying that so few may be chance', () => {
    const r = run(['analyze', '--bids', ...bids, '--detectors', 'single-bidder', '--format', 'json', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const d = report.detectors.find((x: { id: string }) => x.id === 'single-bidder');
    expect(d.findings).toBe(12);
    expect(d.applied).toBe(220);
    const w = 'single-bidder flagged 12 of 220 (5.5%), more than max_flag_share 5.0%: on 12 findings this may be chance, else a threshold or the data is off';
    expect(d.flagShareWarning).toBe(w);
    // the run's warning: one line for every detector in that case (on a small input several may be)
    const line = '1 detector flagged more than max_flag_share 5.0% of what it judged, on fewer than 20 findings (this may be chance, else a threshold or the data is off): single-bidder 12 of 220 (5.5%)';
    expect(report.warnings).toEqual([line]);
    expect(r.stderr).toContain(`redflag: warning: ${line}\n`);
    // fewer than 20: no discount in entity risk
    expect(d.riskWeight).toBeUndefined();
  });

  it('gathers the detectors flagging a large share of few findings in one line, in registry order', () => {
    const r = run(['analyze', '--bids', ...bids, '--detectors', 'lowest-bid-disqualified,single-bidder', '--format', 'json', '--fail-on', 'never']);
    const ws: string[] = JSON.parse(r.stdout).warnings;
    expect(ws).toHaveLength(1);
    expect(ws[0]).toMatch(/^2 detectors flagged more than max_flag_share 5\.0% of what they judged, on fewer than 20 findings each .*: single-bidder 12 of 220 \(5\.5%\), lowest-bid-disqualified 12 of 208 \(5\.8%\)$/);
    expect(r.stderr.match(/max_flag_share/g)).toHaveLength(1);
  });

  it('follows max_flag_share from the config', () => {
    const cfg = join(mkdtempSync(join(tmpdir(), 'redflag-flag-share-')), 'loose.jsonc');
    writeFileSync(cfg, '{ "max_flag_share": 0.1 }');
    const r = run(['analyze', '--bids', ...bids, '--detectors', 'single-bidder', '--config', cfg, '--format', 'json', '--fail-on', 'never']);
    expect(JSON.parse(r.stdout).warnings).toEqual([]);
    expect(r.stderr).not.toContain('max_flag_share');
  });
});
