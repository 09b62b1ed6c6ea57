/**
 * Evidence values that could not be measured (null: no estimate, no other tenders of the bidders) read as
 * "—" in the markdown and HTML reports, as a missing number already did, instead of the word "null".
 */
import { describe, expect, it } from 'vitest';
import { evidenceText } from '../../src/report/evidence.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderHtml } from '../../src/report/html.js';
import { sampleReport } from './sample.js';

describe('evidenceText', () => {
  it('null and undefined read as a dash, in a list too; numbers and text as before', () => {
    expect(evidenceText(null)).toBe('—');
    expect(evidenceText(undefined)).toBe('—');
    expect(evidenceText(1234567)).toBe('1,234,567');
    expect(evidenceText('x')).toBe('x');
    expect(evidenceText([1, null])).toBe('1, —');
  });
});

describe('reports', () => {
  it('a null evidence value is shown as a dash in markdown and HTML', () => {
    const report = sampleReport();
    report.findings[0] = { ...report.findings[0], evidence: { ...report.findings[0].evidence, priceLevel: null } };
    const md = renderMarkdown(report, { color: false, width: 150 });
    expect(md).toContain('**priceLevel**: —');
    expect(md).not.toMatch(/\*\*priceLevel\*\*: null/);
    const html = renderHtml(report, { color: false, width: 150 });
    expect(html).toMatch(/<dt>priceLevel<\/dt><dd>—<\/dd>/);
  });
});
