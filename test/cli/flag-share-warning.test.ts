/**
 * OUTPUT.md: "When a detector flags more than max_flag_share (default 5%) of what it judged, the run warns
 * on stderr and in the report" — whatever the number of findings. Below 20 findings the detectors are
 * gathered in one line (on a small input several may be); from 20 on each has its own, and its findings are
 * discounted in entity risk (riskWeight), which is not applied below.
 *
 * test/fixtures/cli/flag-share.csv is built so that the shares are known: 20 open tenders, T19 and T20 with
 * a single bid (single-bidder: 2 of 20, 10.0%), T18 with both rivals disqualified and T01–T17 with a valid
 * rival (all-but-winner-disqualified judges the 18 tenders with two bids or more: 1 of 18, 5.6%).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHere } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const bids = join(root, 'test', 'fixtures', 'cli', 'flag-share.csv');
const tmp = mkdtempSync(join(tmpdir(), 'redflag-flag-share-'));

type Summary = { id: string; findings: number; applied: number; flagShareWarning?: string; riskWeight?: number };
const summaryOf = (report: { detectors: Summary[] }, id: string) => report.detectors.find((x) => x.id === id)!;

describe('the max_flag_share warning', () => {
  it('is raised for 2 findings of 20 (10.0%), on stderr and in the report, saying that so few may be chance', async () => {
    const r = (await runHere(['analyze', '--bids', bids, '--detectors', 'single-bidder', '--format', 'json', '--fail-on', 'never']));
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const d = summaryOf(report, 'single-bidder');
    expect([d.findings, d.applied]).toEqual([2, 20]);
    expect(d.flagShareWarning).toBe(
      'single-bidder flagged 2 of 20 (10.0%), more than max_flag_share 5.0%: on 2 findings this may be chance, else a threshold or the data is off',
    );
    // the run's warning: one line for every detector in that case
    const line =
      '1 detector flagged more than max_flag_share 5.0% of what it judged, on fewer than 20 findings (this may be chance, else a threshold or the data is off): single-bidder 2 of 20 (10.0%)';
    expect(report.warnings).toEqual([line]);
    expect(r.stderr).toContain(`redflag: warning: ${line}\n`);
    // fewer than 20: no discount in entity risk
    expect(d.riskWeight).toBeUndefined();
  });

  it('gathers the detectors flagging a large share of few findings in one line, in registry order', async () => {
    // listed the other way round on the command line: the line follows the registry
    const r = (await runHere(['analyze', '--bids', bids, '--detectors', 'all-but-winner-disqualified,single-bidder', '--format', 'json', '--fail-on', 'never']));
    const report = JSON.parse(r.stdout);
    expect(report.warnings).toEqual([
      '2 detectors flagged more than max_flag_share 5.0% of what they judged, on fewer than 20 findings each (this may be chance, else a threshold or the data is off): ' +
        'single-bidder 2 of 20 (10.0%), all-but-winner-disqualified 1 of 18 (5.6%)',
    ]);
    expect(summaryOf(report, 'all-but-winner-disqualified').flagShareWarning).toBe(
      'all-but-winner-disqualified flagged 1 of 18 (5.6%), more than max_flag_share 5.0%: on 1 finding this may be chance, else a threshold or the data is off',
    );
    expect(r.stderr.match(/max_flag_share/g)).toHaveLength(1);
  });

  it('gives a detector with 20 findings or more its own line, and discounts its findings in entity risk', async () => {
    // 200 open tenders, the first 20 with a single bid: 20 of 200 (10.0%)
    const rows = ['tender_id,buyer_id,procedure,bidder_id,bid_amount,is_winner'];
    for (let i = 1; i <= 200; i++) {
      const t = `T${String(i).padStart(3, '0')}`;
      rows.push(`${t},CITY-HOSP,open,ACME,1000,true`);
      if (i > 20) rows.push(`${t},CITY-HOSP,open,BETA,1100,false`);
    }
    const many = join(tmp, 'many-single.csv');
    writeFileSync(many, rows.join('\n') + '\n');
    const r = (await runHere(['analyze', '--bids', many, '--detectors', 'single-bidder', '--format', 'json', '--fail-on', 'never']));
    const report = JSON.parse(r.stdout);
    const d = summaryOf(report, 'single-bidder');
    expect([d.findings, d.applied]).toEqual([20, 200]);
    const line =
      'single-bidder flagged 20 of 200 (10.0%), more than max_flag_share 5.0%: a threshold or the data is probably off; its findings count at ×0.5 in entity risk';
    expect(d.flagShareWarning).toBe(line);
    expect(report.warnings).toEqual([line]);
    expect(d.riskWeight).toBe(0.5);
  });

  it('follows max_flag_share from the config: a share exactly at it is not warned about', async () => {
    const cfg = join(tmp, 'loose.jsonc');
    writeFileSync(cfg, '{ "max_flag_share": 0.1 }');
    const r = (await runHere(['analyze', '--bids', bids, '--detectors', 'single-bidder,all-but-winner-disqualified', '--config', cfg, '--format', 'json', '--fail-on', 'never']));
    const report = JSON.parse(r.stdout);
    expect(summaryOf(report, 'single-bidder').findings).toBe(2);
    expect(report.warnings).toEqual([]);
    expect(summaryOf(report, 'single-bidder').flagShareWarning).toBeUndefined();
    expect(r.stderr).not.toContain('max_flag_share');
  });
});
