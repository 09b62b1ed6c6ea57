import { describe, expect, it } from 'vitest';
import { datasetFigures } from '../../src/figures.js';
import { renderMarkdown, splitFindings } from '../../src/report/markdown.js';
import { emptyReport, sampleDataset, sampleReport } from './sample.js';

async function sampleMd(): Promise<string> {
  const report = sampleReport();
  return renderMarkdown(report, { color: false, width: 100, figures: datasetFigures(await sampleDataset(), report) });
}

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(line: string): number {
  return line.split(/(?<!\\)\|/).length - 2;
}

/** Drop fenced blocks and code spans: their text is shown literally. */
function outsideFences(md: string): string {
  return md.replace(/```text\n[\s\S]*?\n```/g, '').replace(/`[^`\n]*`/g, '');
}

describe('markdown report', () => {
  it('has the sections an auditor reads, in order', async () => {
    const md = await sampleMd();
    expect(md.startsWith('# redflag report: 5 findings: 2 high, 3 medium, 0 low\n')).toBe(true);
    const order = ['## Summary', '## Top findings', '## Pictures of the top findings', '## Entity risk', '## The data at a glance', '## Detector coverage'].map((s) => md.indexOf(s));
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(md).toContain('### 1. 3 bidders in T1 share phone 0912');
    expect(md).toContain('**high** · score 0.90 · `shared-identity` · amount 99');
    expect(md).toMatch(/\nHighest-risk firms: .*\(ACME\), risk \d\.\d\d/);
    expect(md).toContain('### Firms');
    expect(md).toContain('### Buyers');
  });

  it('escapes untrusted names: no HTML outside fenced text, every table row keeps its columns', async () => {
    const md = await sampleMd();
    const outside = outsideFences(md);
    expect(outside).not.toMatch(/<script/i);
    expect(outside).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(outside).toContain("=cmd\\|' /C calc'\\!A0");
    // nested evidence is written out as pairs, escaped like the rest
    expect(md).toContain('- **shared**: phone: 0912 · note: &lt;script&gt;alert(1)&lt;/script&gt;\n');
    // every table: all rows have as many cells as the header
    const lines = outside.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i].trimStart().startsWith('|') || !/^\s*\| ---/.test(lines[i + 1] ?? '')) continue;
      const n = cells(lines[i]);
      for (let j = i + 1; j < lines.length && lines[j].trimStart().startsWith('|'); j++) expect(cells(lines[j]), lines[j]).toBe(n);
    }
  });

  it('draws charts as text bars in fenced blocks, the Benford one with the expected shares', async () => {
    const md = await sampleMd();
    const fences = md.match(/```text\n[\s\S]*?\n```/g)!;
    expect(fences.length).toBe(6);
    const benford = fences.find((f) => f.includes('Benford') || f.includes('expected'))!;
    expect(benford).toMatch(/^1 +│ █+/m);
    expect(benford).toContain('(expected 30.1%)');
    expect(benford).toContain('◆');
    const ring = fences.find((f) => f.includes('tenders bid in together'))!;
    expect(ring).toMatch(/█+ 3/);
    expect(md).toContain('**Bids per tender**');
  });

  it('has a chart even when nothing was found', () => {
    const md = renderMarkdown(emptyReport(), { color: false, width: 100 });
    expect(md).toContain('No findings.');
    expect(md).toContain('**What each detector judged**');
    expect(md).toContain('```text');
  });

  it('says what --new-since and --top left out', () => {
    const r = sampleReport();
    r.summary = { ...r.summary, shown: 2, suppressed: { previous: 3 } };
    const md = renderMarkdown(r, { color: false, width: 100 });
    expect(md).toContain('> 3 findings already in the previous reports are not listed (--new-since).');
  });

  it('details at most 3 findings per detector, keeping their overall rank; the rest go in the table in rank order', () => {
    const r = sampleReport();
    const ring = r.findings[0];
    const many = [0, 1, 2, 3, 4].map((i) => ({ ...ring, id: `${i}`.repeat(16), score: 0.99 - i / 100 }));
    r.findings = [...many, ...r.findings.slice(2)];
    const { detailed, rest } = splitFindings(r.findings);
    expect(detailed.map((d) => d.rank)).toEqual([1, 2, 3, 6, 7, 8]);
    expect(rest.map((d) => d.rank)).toEqual([4, 5]);
    const md = renderMarkdown(r, { color: false, width: 100 });
    expect(md).toContain('### 6. Sales of');
    expect(md).toMatch(/\| 4 \| 0\.96 \| high \| `shared-identity` \|/);
  });
});
