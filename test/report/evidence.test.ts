/**
 * Evidence that is a list of records, a record, or records inside records reads as tables, `key: value`
 * pairs and one-line summaries in the markdown and HTML reports — never as raw JSON cut at a length — and
 * every value from the data stays escaped.
 */
import { describe, expect, it } from 'vitest';
import { evidenceBlock, evidenceText, ROWS } from '../../src/report/evidence.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { Report } from '../../src/analyze.js';
import { sampleReport } from './sample.js';

const HOSTILE = '<script>alert("x")</script> & Co';
const W = { cell: 160, text: 400 };

/** Evidence shaped as the detectors write it: a group's tenders, links, its thresholds, the invoices of cycles. */
const EVIDENCE = {
  fakeCompetition: [
    { tender: 'T-ONE', bidders: 3, members: ['ACME', 'BETA'], winner: 'ACME', wonByGroup: true },
    { tender: 'T-TWO', bidders: 4, members: ['ACME', 'BETA', 'GAMMA'], winner: HOSTILE, wonByGroup: false },
  ],
  leadingWinner: { id: 'ACME', wins: 2, of: 2 },
  threshold: { min_link: 0.6, max_df: 50 },
  winner: { type: 'company', id: 'ACME', name: HOSTILE },
  rows: [
    { file: 'bids.csv', line: 1234 },
    { file: 'bids.csv', line: 1240 },
  ],
  links: [{ firms: ['ACME', 'BETA'], strength: 0.85, shared: [{ kind: 'phone', value: '0912', written: [{ company: 'ACME', as: '0912 000' }] }] }],
  invoices: Array.from({ length: 13 }, (_, i) => ({ invoice: `INV-${i + 1}`, amount: 1_500_000 + i, row: { file: 'invoices.csv', line: i + 2 } })),
  path: [
    [
      { invoice: 'C1-A', amount: 2_000_000 },
      { invoice: 'C1-B', amount: 1_990_000 },
    ],
    [{ invoice: 'C2-A', amount: 1_000_000 }],
  ],
  bidAmounts: { bids: [{ bidder: 'ACME', amount: 99_000 }], moreBids: 0 },
  none: [],
};

function report(): Report {
  const r = sampleReport();
  r.findings[0] = { ...r.findings[0], evidence: EVIDENCE };
  return r;
}

/** The markdown of the first finding's evidence. */
function evidenceMd(): string {
  const md = renderMarkdown(report(), { color: false, width: 150 });
  const start = md.indexOf('Evidence:');
  return md.slice(start, md.indexOf('\n### ', start));
}

function evidenceHtml(): string {
  const html = renderHtml(report(), { color: false, width: 150 });
  const start = html.indexOf('<dl class="evidence">');
  return html.slice(start, html.indexOf('</article>', start));
}

describe('evidence blocks', () => {
  it('a list of records is a table of its keys, cut at ROWS rows with a count of the rest', () => {
    const b = evidenceBlock(EVIDENCE.invoices, W);
    expect(b.kind).toBe('table');
    if (b.kind !== 'table') return;
    expect(b.columns).toEqual(['invoice', 'amount', 'row']);
    expect(b.rows.length).toBe(ROWS);
    expect(b.more).toBe(13 - ROWS);
    expect(b.rows[0]).toEqual(['INV-1', '1,500,000', 'invoices.csv:2']);
    expect(b.numeric).toEqual([false, true, false]);
  });

  it('a list of lists of records is one table, numbered by list', () => {
    const b = evidenceBlock(EVIDENCE.path, W);
    expect(b.kind === 'table' && b.rows).toEqual([
      ['1', 'C1-A', '2,000,000'],
      ['1', 'C1-B', '1,990,000'],
      ['2', 'C2-A', '1,000,000'],
    ]);
  });

  it('one line for anything: lists joined, records as pairs, deeper records counted', () => {
    expect(evidenceText(['ACME', 'BETA'])).toBe('ACME, BETA');
    expect(evidenceText([1, null])).toBe('1, —');
    expect(evidenceText({ type: 'buyer', id: 'B1', name: 'Town' })).toBe('Town (B1)');
    expect(evidenceText(EVIDENCE.rows)).toBe('bids.csv:1234; bids.csv:1240');
    expect(evidenceText(EVIDENCE.links[0].shared)).toBe('(kind: phone; value: 0912; written: 1 item)');
    expect(evidenceText([])).toBe('none');
    expect(evidenceText(Array.from({ length: 25 }, (_, i) => i))).toMatch(/, 19 … \+5 more$/);
  });
});

describe('evidence in the markdown report', () => {
  it('lists of records as tables, records as pairs, no JSON', () => {
    const md = evidenceMd();
    expect(md).not.toMatch(/[[{]"/);
    expect(md).toContain(
      [
        '- **fakeCompetition**:',
        '',
        '  | tender | bidders | members | winner | wonByGroup |',
        '  | --- | ---: | --- | --- | --- |',
        '  | T-ONE | 3 | ACME, BETA | ACME | true |',
        '  | T-TWO | 4 | ACME, BETA, GAMMA | &lt;script&gt;alert("x")&lt;/script&gt; &amp; Co | false |',
      ].join('\n'),
    );
    expect(md).toContain('- **leadingWinner**: id: ACME · wins: 2 · of: 2\n');
    expect(md).toContain('- **threshold**: min\\_link: 0.6 · max\\_df: 50\n');
    expect(md).toContain('- **winner**: &lt;script&gt;alert("x")&lt;/script&gt; &amp; Co (ACME)\n');
    expect(md).toContain('- **rows**: bids.csv:1234; bids.csv:1240\n');
    expect(md).toContain('  | ACME, BETA | 0.85 | (kind: phone; value: 0912; written: 1 item) |');
    expect(md).toContain('  | INV-10 | 1,500,009 | invoices.csv:11 |\n\n  …and 3 more (see the JSON report).');
    expect(md).not.toContain('INV-11');
    expect(md).toContain('  | # | invoice | amount |\n  | ---: | --- | ---: |\n  | 1 | C1-A | 2,000,000 |');
    // a record holding a list of records: one pair a line, the list as a table under its key
    expect(md).toContain('- **bidAmounts**:\n  - bids:\n\n    | bidder | amount |\n    | --- | ---: |\n    | ACME | 99,000 |\n\n  - moreBids: 0\n');
    expect(md).toContain('- **none**: none\n');
  });
});

describe('evidence in the HTML report', () => {
  it('the same tables and pairs, every value escaped', () => {
    const html = evidenceHtml();
    expect(html).not.toContain('<script');
    expect(html).not.toMatch(/&quot;\w+&quot;:/); // no JSON keys
    expect(html).toContain('<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co</td>');
    expect(html).toMatch(/<dt>fakeCompetition<\/dt><dd><table><thead><tr><th>tender<\/th><th class="num">bidders<\/th><th>members<\/th>/);
    expect(html).toContain('<td>ACME, BETA, GAMMA</td>');
    expect(html).toContain('<dt>leadingWinner</dt><dd><dl class="evidence"><dt>id</dt><dd>ACME</dd><dt>wins</dt><dd>2</dd>');
    expect(html).toContain('<dt>winner</dt><dd>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co (ACME)</dd>');
    expect(html).toContain('<dt>rows</dt><dd>bids.csv:1234; bids.csv:1240</dd>');
    expect(html).toContain('<p class="more">…and 3 more (see the JSON report).</p>');
    expect(html).not.toContain('INV-11');
  });
});
