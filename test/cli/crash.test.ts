/**
 * A detector that throws: its status is `error` with the message, the other detectors still report, the
 * report is still written, and the run exits 3 naming the detector (OUTPUT.md).
 */
import { join } from 'node:path';
import { Writable, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { DETECTORS, findDetector } from '../../src/detectors/index.js';
import { defineDetector } from '../../src/detectors/types.js';

const bids = join(import.meta.dirname, '..', 'fixtures', 'cli', 'bids.csv');

function sink() {
  let text = '';
  const stream = new Writable({
    write(c, _e, cb) {
      text += String(c);
      cb();
    },
  });
  return { stream, text: () => text };
}

const broken = defineDetector({
  id: 'broken',
  title: 'Always throws',
  family: 'competition',
  rationale: 'test',
  sources: [],
  needs: ['bids.tender_id'],
  params: {},
  explain: { definition: '', formula: '', why: '', falsePositives: '' },
  run() {
    throw new Error('boom at tender T1');
  },
});

describe('a crashing detector', () => {
  it('is reported as error, the others still run, exit code 3', async () => {
    const out = sink();
    const err = sink();
    const registry = [findDetector('identical-bids')!, broken];
    const code = await main(['node', 'redflag', 'analyze', '--bids', bids, '--format', 'json', '--fail-on', 'never'], {
      stdout: out.stream,
      stderr: err.stream,
      stdin: Readable.from([]),
      env: {},
      registry,
    });
    expect(code).toBe(3);
    const report = JSON.parse(out.text());
    expect(report.detectors.find((d: { id: string }) => d.id === 'broken')).toMatchObject({ status: 'error', reason: 'boom at tender T1' });
    expect(report.detectors.find((d: { id: string }) => d.id === 'identical-bids').status).toBe('ran');
    expect(report.findings.length).toBeGreaterThan(0);
    expect(err.text()).toContain('detector broken crashed');
    expect(DETECTORS.some((d) => d.id === 'broken')).toBe(false);
  });
});
