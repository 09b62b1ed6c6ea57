import { Readable, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { main, type Io } from '../../src/cli/main.js';
import { datasetFigures } from '../../src/figures.js';
import { renderHtml } from '../../src/report/html.js';
import { FORMATS } from '../../src/report/index.js';
import { BIDS, SCRIPT, emptyReport, sampleDataset, sampleReport, writeFiles } from './sample.js';

async function sampleHtml(): Promise<string> {
  const report = sampleReport();
  return renderHtml(report, { color: false, width: 100, figures: datasetFigures(await sampleDataset(), report) });
}

/** The text of the page outside tags and with entities decoded: what a reader sees. */
function visible(html: string): string {
  return html
    .replace(/<style>[\s\S]*?<\/style>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('html report', () => {
  it('is registered as a format', () => {
    expect(FORMATS).toContain('html');
    expect(FORMATS).toContain('markdown');
  });

  it('escapes every value from the data: no script element, hostile names shown as text', async () => {
    const html = await sampleHtml();
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\son\w+=/i); // no event-handler attributes
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('=cmd|&#39; /C calc&#39;!A0');
    const text = visible(html);
    expect(text).toContain(SCRIPT);
    expect(text).toContain("=cmd|' /C calc'!A0");
  });

  it('is one self-contained file: nothing loaded from elsewhere, scripts forbidden by its policy', async () => {
    const html = await sampleHtml();
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/\bsrc\s*=/i);
    expect(html).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/href="(?!#)/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });

  it('reads in order: headline, summary numbers, top findings with evidence, entity risk, data, coverage, inputs', async () => {
    const html = await sampleHtml();
    expect(html).toContain('<title>redflag report: 5 findings: 2 high, 3 medium, 0 low</title>');
    expect(html).toContain('<h1>Procurement red flags: 5 findings: 2 high, 3 medium, 0 low</h1>');
    const order = ['id="summary"', 'id="findings"', 'id="entities"', 'id="data"', 'id="coverage"', 'id="inputs"'].map((s) => html.indexOf(s));
    expect(order.every((x) => x > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // findings in report order, each with its evidence
    const report = sampleReport();
    const pos = report.findings.map((f) => html.indexOf(`id="f-${f.id}"`));
    expect(pos.every((x) => x > 0)).toBe(true);
    expect([...pos].sort((a, b) => a - b)).toEqual(pos);
    expect(html).toContain('<dt>phone</dt><dd>0912</dd>');
    // a list of contracts becomes a table
    expect(html).toMatch(/<dt>contracts<\/dt><dd><table><thead><tr><th>tender<\/th><th class="num">amount<\/th>/);
    // entity risk per kind, coverage with the skipped detector and its reason
    // the summary names the riskiest firms and buyers before the findings
    const top = html.indexOf('<h3>Highest-risk firms</h3>');
    expect(top).toBeGreaterThan(html.indexOf('id="summary"'));
    expect(top).toBeLessThan(html.indexOf('id="findings"'));
    expect(html.slice(top, html.indexOf('id="findings"'))).toContain('Highest-risk buyers');
    expect(html).toContain('<h3>Firms</h3>');
    expect(html).toContain('<h3>Buyers</h3>');
    expect(html).toContain('<h3>Tenders</h3>');
    expect(html).toContain('<code>circular-invoicing</code>');
    expect(html).toContain('missing: &lt;script&gt;');
  });

  it('draws the pictures inside their findings and the data charts after the entities', async () => {
    const html = await sampleHtml();
    const report = sampleReport();
    const article = (id: string) => {
      const start = html.indexOf(`id="f-${id}"`);
      return html.slice(start, html.indexOf('</article>', start));
    };
    expect(article(report.findings[0].id)).toContain('id="chart-ring-1"');
    expect(article(report.findings.find((f) => f.detector === 'benford')!.id)).toContain('id="chart-benford-1"');
    expect(article(report.findings.find((f) => f.detector === 'split-purchases')!.id)).toContain('id="chart-burst-1"');
    const data = html.slice(html.indexOf('id="data"'), html.indexOf('id="coverage"'));
    expect(data).toContain('id="chart-ratio"');
    expect(data).toContain('id="chart-bidders"');
    expect(html.match(/<svg /g)!.length).toBe(6);
    expect(html.match(/<figcaption>/g)!.length).toBe(6);
  });

  it('has a chart even when nothing was found', () => {
    const html = renderHtml(emptyReport(), { color: false, width: 100 });
    expect(html).toContain('<p>No findings.</p>');
    expect(html).toContain('id="chart-coverage"');
  });

  it('analyze --format html on bids alone writes a page with a chart of the data', async () => {
    const f = writeFiles({ 'bids.csv': BIDS });
    let out = '';
    const io: Io = {
      stdout: new Writable({ write: (c, _e, done) => ((out += c.toString()), done()) }),
      stderr: new Writable({ write: (_c, _e, done) => done() }),
      stdin: Readable.from([]),
      env: {},
    };
    const code = await main(['node', 'redflag', 'analyze', '--bids', f['bids.csv'], '--format', 'html', '--fail-on', 'never'], io);
    expect(code).toBe(0);
    expect(out).toContain('id="chart-bidders"');
    expect(out).toContain('id="chart-ratio"');
    expect(out).not.toMatch(/<script/i);
  });
});
