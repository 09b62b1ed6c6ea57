/**
 * What decides the exit code of analyze (OUTPUT.md: 1 = "at least one finding at or above --fail-on").
 * - --top and --min-severity choose what is listed, not what fails the run: a finding they hide still
 *   counts, and stderr says so (a display option must not silence a CI gate);
 * - --new-since: only the new findings count (tested in new-since-ndjson.test.ts and baseline-ci.test.ts).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const bids = join(root, 'samples', 'bids.csv');

describe('findings hidden by --min-severity or --top', () => {
  // single-bidder on the sample bids: six medium findings (six open or competitive-shopping tenders with one bid)
  const base = ['analyze', '--bids', bids, '--detectors', 'single-bidder', '--format', 'json'];

  it('still fail the run, and stderr says that a finding not listed decided it', async () => {
    const r = await cli([...base, '--fail-on', 'medium', '--min-severity', 'high']);
    expect(JSON.parse(r.stdout).findings).toEqual([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('redflag: 6 findings at or above --fail-on medium are not listed (--min-severity high) but count for the exit code\n');
  });

  it('no such line when every finding that fails the run is listed, or with --quiet', async () => {
    const shown = await cli([...base, '--fail-on', 'medium']);
    expect(shown.code).toBe(1);
    expect(shown.stderr).not.toContain('not listed');
    const quiet = await cli([...base, '--fail-on', 'medium', '--min-severity', 'high', '--quiet']);
    expect(quiet.code).toBe(1);
    expect(quiet.stderr).toBe('');
  });

  it('--top: the findings beyond it count too', async () => {
    const r = await cli(['analyze', '--bids', bids, '--format', 'json', '--fail-on', 'medium', '--top', '1']);
    const report = JSON.parse(r.stdout);
    expect(report.findings).toHaveLength(1);
    expect(r.code).toBe(1);
    const beyond = report.summary.findings - 1 - report.summary.bySeverity.low + (report.findings[0].severity === 'low' ? 1 : 0);
    expect(r.stderr).toContain(`${beyond} findings at or above --fail-on medium are not listed (--min-severity low, --top 1) but count for the exit code`);
  });
});
