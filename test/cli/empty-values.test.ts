/**
 * An option given an empty value — typically `--detectors "$DETECTORS"` or `--baseline "$BASELINE"` in a CI
 * job whose variable is unset — is a usage error (exit 2), not the option left out: `--detectors ''` ran
 * every detector, `--max-reject-rate ''` meant 0, and `--baseline ''`, `--config ''`, `--output ''`… were
 * silently ignored.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const bids = join(root, 'test', 'fixtures', 'cli', 'bids.csv');

describe('empty option values', () => {
  it('--detectors and --exclude: exit 2, not every detector', async () => {
    for (const flag of ['--detectors', '--exclude'])
      for (const v of ['', ' ', ',', ' , ']) {
        const r = await cli(['analyze', '--bids', bids, flag, v, '--format', 'json']);
        expect(r.code, `${flag} ${JSON.stringify(v)}`).toBe(2);
        expect(r.stderr).toBe(`redflag: ${flag} is empty: give detector ids separated by commas, or leave the option out\n`);
        expect(r.stdout).toBe('');
      }
  });

  it('--max-reject-rate: exit 2, not 0', async () => {
    for (const cmd of ['analyze', 'baseline']) {
      const r = await cli([cmd, '--bids', bids, '--max-reject-rate', '', '--output', '-']);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe('redflag: --max-reject-rate is empty: give a number between 0 and 1, or leave the option out\n');
    }
  });

  it('a file option: exit 2 naming it, not the option left out', async () => {
    for (const flag of ['--config', '--output', '--rejects', '--map', '--baseline', '--new-since', '--bids']) {
      const r = await cli(['analyze', '--bids', bids, flag, '', '--format', 'json']);
      expect(r.code, flag).toBe(2);
      expect(r.stderr).toBe(`redflag: ${flag} is empty: give a file, or leave the option out\n`);
      expect(r.stdout).toBe('');
    }
    const several = await cli(['analyze', '--bids', bids, '', '--format', 'json']);
    expect(several.code).toBe(2);
    for (const args of [['init', '--output', ''], ['inspect', bids, '--map', ''], ['baseline', '--bids', bids, '--output', '']]) {
      const r = await cli(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/is empty: give a file, or leave the option out\n$/);
    }
  });

  it('--set: exit 2', async () => {
    const r = await cli(['analyze', '--bids', bids, '--set', '']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('redflag: --set is empty: give a value, or leave the option out\n');
  });

  it('an empty item between commas is still tolerated', async () => {
    const r = await cli(['analyze', '--bids', bids, '--detectors', 'single-bidder,,near-estimate-win,', '--format', 'json', '--fail-on', 'never']);
    expect(r.code).toBe(0);
    expect(Object.keys(JSON.parse(r.stdout).config)).toEqual(['single-bidder', 'near-estimate-win']);
  });
});
