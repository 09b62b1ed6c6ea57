/**
 * The CI recipe of docs/ci.md, end to end with the compiled CLI and the real detectors: the shell script
 * is taken from the document itself and run in a temporary directory.
 *
 * History: 40 tenders with 4 independently priced bids. Batch: 6 tenders whose bids bunch within 0.8%
 * with the winner just below the rest. Against itself the batch is ordinary (all its tenders are alike),
 * so bid-screens gives nothing high; against the frozen history every batch tender is tighter than all of
 * it, so the first run fails on high findings, and once its report is reviewed the second run passes.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'redflag.js');

function recipe(): string {
  const doc = readFileSync(join(root, 'docs', 'ci.md'), 'utf8');
  const m = /<!-- ci-recipe:start -->\s*```sh\n([\s\S]*?)```\s*<!-- ci-recipe:end -->/.exec(doc);
  if (!m) throw new Error('docs/ci.md has no ci-recipe block');
  return m[1];
}

/** a small deterministic generator (LCG), so the history is the same on every run */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

function historyCsv(): string {
  const rnd = lcg(7);
  const rows = ['tender_id,buyer_id,bidder_id,bid_amount,is_winner'];
  for (let t = 0; t < 40; t++) {
    const base = (100 + Math.floor(rnd() * 800)) * 1e6;
    const amounts = Array.from({ length: 4 }, () => Math.round(base * (1 + rnd() * 0.3))).sort((a, b) => a - b);
    amounts.forEach((a, i) => rows.push(`H${t + 1},BUYER${t % 4},FIRM${(t + i) % 9},${a},${i === 0 ? 1 : 0}`));
  }
  return rows.join('\n') + '\n';
}

function batchCsv(): string {
  const rows = ['tender_id,buyer_id,bidder_id,bid_amount,is_winner'];
  const firms = ['ACME', 'BETA', 'GAMMA', 'DELTA'];
  for (let t = 0; t < 6; t++) {
    const base = (200 + t * 37) * 1e6;
    [1, 1.006, 1.007, 1.008].forEach((m, i) => rows.push(`T${t + 1},BUYER${t % 4},${firms[i]},${Math.round(base * m)},${i === 0 ? 1 : 0}`));
  }
  return rows.join('\n') + '\n';
}

let dir: string;
const redflag = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const gate = () =>
  spawnSync('bash', ['-c', `redflag() { "${process.execPath}" "${bin}" "$@"; }\n${recipe()}`], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'redflag-ci-'));
  mkdirSync(join(dir, 'history'));
  writeFileSync(join(dir, 'history', 'bids.csv'), historyCsv());
  writeFileSync(join(dir, 'batch.csv'), batchCsv());
  const r = redflag(['baseline', '--bids', 'history/bids.csv', '--output', 'baseline.json']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toContain('bid-screens');
});

describe('docs/ci.md recipe', () => {
  it('the batch alone hides itself: no high finding without the baseline', () => {
    const r = redflag(['analyze', '--bids', 'batch.csv', '--format', 'json', '--quiet', '--fail-on', 'never']);
    expect(r.status, r.stderr).toBe(0);
    const rep = JSON.parse(r.stdout);
    expect(rep.detectors.find((d: { id: string }) => d.id === 'bid-screens')).toMatchObject({ status: 'ran', applied: 6, findings: 0 });
  });

  it('first run fails on the high findings against the baseline; after review the second run passes', () => {
    const first = gate();
    expect(first.status, first.stderr).toBe(1);
    const rep = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    const high = rep.findings.filter((f: { severity: string }) => f.severity === 'high');
    expect(high.length).toBeGreaterThanOrEqual(6);
    expect(high.filter((f: { detector: string }) => f.detector === 'bid-screens')).toHaveLength(6);
    expect(rep.baseline.detectors).toContain('bid-screens');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');

    // the analyst reviews the report and accepts it
    mkdirSync(join(dir, 'reviewed'));
    cpSync(join(dir, 'report.json'), join(dir, 'reviewed', 'first.json'));
    const second = gate();
    expect(second.status, second.stderr).toBe(0);
    const again = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    expect(again.findings).toEqual([]);
    expect(again.summary.suppressed.previous).toBe(rep.findings.length);
    expect(second.stderr).toContain(`${rep.findings.length} findings already in reviewed/first.json suppressed; 0 new`);
  });
});
