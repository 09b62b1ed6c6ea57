import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonChunks } from '../../src/report/json.js';
import { runOn } from '../helpers/run.js';
import type { Report } from '../../src/analyze.js';

describe('streamed JSON report', () => {
  it('is byte-identical to JSON.stringify(report, null, 2), in several chunks', async () => {
    const bids = join(import.meta.dirname, '..', 'fixtures', 'cli', 'bids.csv');
    const report = await runOn([{ kind: 'bids', path: bids }], ['identical-bids', 'near-estimate-win', 'lowest-bid-disqualified', 'repeat-winner']);
    expect(report.findings.length).toBeGreaterThan(2);
    const chunks = [...jsonChunks(report)];
    expect(chunks.length).toBeGreaterThan(report.findings.length);
    expect(chunks.join('')).toBe(JSON.stringify(report, null, 2) + '\n');
  });

  it('handles empty lists, undefined fields and nested values the same way', () => {
    const report = {
      schemaVersion: 1,
      tool: { name: 'redflag', version: 't' },
      config: {},
      inputs: [],
      detectors: [{ id: 'x', notes: ['a\nb'], cutoffs: { 'p "10"': 1.5 } }],
      findings: [],
      entities: [{ type: 'company', id: 'A', risk: 0.5, detectors: ['x'], findings: 1 }],
      summary: { findings: 0, bySeverity: { high: 0, medium: 0, low: 0 }, shown: undefined },
      warnings: [],
      baseline: undefined,
    } as unknown as Report;
    expect([...jsonChunks(report)].join('')).toBe(JSON.stringify(report, null, 2) + '\n');
  });
});
