/**
 * The terminal table's summary lines in words: each detector's findings by severity ("7 (6 high, 1 medium)",
 * not "7 (6h 1m 0l)"), and the entity ranking's heading a sentence apart from the risk-discount note.
 */
import { describe, expect, it } from 'vitest';
import { renderTable } from '../../src/report/table.js';
import { sampleReport } from './sample.js';

const plain = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('table summary wording', () => {
  it('writes each detector\'s findings by severity in words, leaving out severities it has none of', () => {
    const report = sampleReport();
    const out = plain(renderTable(report, { color: false, width: 200 }));
    expect(out).not.toMatch(/\d+h \d+m \d+l/);
    for (const d of report.detectors.filter((x) => x.bySeverity && (x.findings ?? 0) > 0)) {
      const parts = (['high', 'medium', 'low'] as const).filter((k) => d.bySeverity![k] > 0).map((k) => `${d.bySeverity![k]} ${k}`);
      expect(out).toContain(`${d.findings} (${parts.join(', ')})`);
    }
  });

  it('ends the entity heading\'s bracket before the note on discounted detectors', () => {
    const report = sampleReport();
    const d = report.detectors.find((x) => (x.findings ?? 0) > 0)!;
    d.riskWeight = 0.5;
    const out = plain(renderTable(report, { color: false, width: 200 }));
    expect(out).toContain(`count as the worst of them). Detectors that flag more than max_flag_share of what they judged count for less: ${d.id} ×0.5.`);
  });
});
