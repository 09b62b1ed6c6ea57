import { describe, expect, it } from 'vitest';
import { barChartSvg, chartSvg, chartText, datasetFigures, esc, mdEsc, networkSvg, reportCharts, textBar, timelineSvg, type Chart } from '../../src/report/charts.js';
import { FORMULA, SCRIPT, emptyReport, sampleDataset, sampleReport } from './sample.js';

describe('escaping', () => {
  it('esc neutralises every HTML-significant character', () => {
    expect(esc(SCRIPT)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(esc(`a"b'c&d`)).toBe('a&quot;b&#39;c&amp;d');
    expect(esc(null)).toBe('');
  });

  it('mdEsc keeps a table row intact and HTML inert', () => {
    expect(mdEsc(SCRIPT)).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(mdEsc(FORMULA)).toBe("=cmd\\|' /C calc'\\!A0");
    expect(mdEsc('a\nb|c`d*e_[x](y)')).toBe('a b\\|c\\`d\\*e\\_\\[x\\](y)');
  });
});

describe('text bars', () => {
  it('draws value/max of the width to an eighth of a character', () => {
    expect(textBar(5, 10, 10)).toBe('█████');
    expect(textBar(1, 8, 1)).toBe('▏');
    expect(textBar(10, 10, 3)).toBe('███');
    expect(textBar(0, 10)).toBe('');
    expect(textBar(3, 0)).toBe('');
  });
});

describe('figures from the data', () => {
  it('counts bids per tender and bins the winning bid / estimate', async () => {
    const f = datasetFigures(await sampleDataset());
    // T1 3 bids, T2 3 bids, T3 1 bid, T4 2 bids
    expect(f.bidsPerTender!.map((b) => b.value)).toEqual([1, 1, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(f.bidsPerTender![9].label).toBe('10+');
    // T1 0.99 (bin 0.975), T2 0.80 (bin 0.80), T3 1.20 (> 1.00); T4 has no estimate
    expect(f.ratio!.n).toBe(3);
    const at = (label: string) => f.ratio!.bars.find((b) => b.label === label)!;
    expect(at('0.975')).toMatchObject({ value: 1, mark: true });
    expect(at('0.80')).toMatchObject({ value: 1 });
    expect(at('>1.00')).toMatchObject({ value: 1, mark: true });
    expect(f.ratio!.bars.reduce((s, b) => s + b.value, 0)).toBe(3);
    // the axis is labelled at round ratios only
    expect(f.ratio!.bars.filter((b) => b.tick).map((b) => b.label)).toEqual(['<0.60', '0.60', '0.65', '0.70', '0.75', '0.80', '0.85', '0.90', '0.95', '>1.00']);
  });

  it('counts the first digits of a Benford-flagged seller and the co-bids of a flagged ring', async () => {
    const f = datasetFigures(await sampleDataset(), sampleReport());
    // 1000 1500 1999 2500 3000 5000 8000 9000 9100 9900
    expect(f.digits).toEqual({ ACME: [3, 1, 1, 0, 1, 0, 0, 1, 3] });
    // ACME, BETA, GAMMA all bid in T1 and T2; ACME and GAMMA also in T4
    expect(f.cobid).toEqual({ 'ACME\tBETA': 2, 'ACME\tGAMMA': 3, 'BETA\tGAMMA': 2 });
  });

  it('has no bid figures without bids', async () => {
    expect(datasetFigures(await sampleDataset(), emptyReport()).bidsPerTender).toBeDefined();
    const f = datasetFigures({ bids: undefined, invoices: undefined } as never);
    expect(f).toEqual({});
  });
});

describe('chart models', () => {
  it('pictures each kind of finding once and ties the picture to its finding', async () => {
    const report = sampleReport();
    const charts = reportCharts(report, datasetFigures(await sampleDataset(), report));
    const ids = charts.map((c) => c.id);
    expect(ids).toEqual(['benford-1', 'ring-1', 'burst-1', 'ratio', 'bidders', 'scores']);
    const byId = Object.fromEntries(charts.map((c) => [c.id, c])) as Record<string, Chart>;
    // the same three firms flagged in T1 and T2 are drawn once, for the stronger finding
    expect(byId['ring-1'].finding).toBe(report.findings[0].id);
    expect(byId['benford-1'].finding).toBe(report.findings.find((f) => f.detector === 'benford')!.id);
    const ring = byId['ring-1'] as Extract<Chart, { kind: 'network' }>;
    expect(ring.nodes.map((n) => n.id)).toEqual(['ACME', 'BETA', 'GAMMA']);
    expect(ring.edges.map((e) => e.weight).sort()).toEqual([2, 2, 3]);
    const burst = byId['burst-1'] as Extract<Chart, { kind: 'timeline' }>;
    expect(burst.points.map((p) => p.date)).toEqual(['2024-03-01', '2024-03-11', '2024-03-21']);
    expect(burst.ceiling).toBe(100);
    const benford = byId['benford-1'] as Extract<Chart, { kind: 'bars' }>;
    expect(benford.bars[0].value).toBeCloseTo(0.3);
    expect(benford.expected![0]).toBeCloseTo(Math.log10(2));
  });

  it('draws an invoice burst (split-invoices) as a timeline too', () => {
    const r = sampleReport();
    const f = r.findings.find((x) => x.detector === 'split-purchases')!;
    const contracts = (f.evidence as { contracts: { tender: string; amount: number; date: string }[] }).contracts;
    r.findings = [{ ...f, detector: 'split-invoices', evidence: { ceiling: 100, invoices: contracts.map((c, i) => ({ invoice: `INV${i}`, amount: c.amount, date: c.date })) } }];
    const [c] = reportCharts(r).filter((x) => x.kind === 'timeline') as Extract<Chart, { kind: 'timeline' }>[];
    expect(c.title).toBe(`Invoice timeline: 3 invoices from ${SCRIPT} (ACME)`);
    expect(c.points.map((p) => p.label)).toEqual(['INV1', 'INV0', 'INV2']);
    expect(c.xLabel).toBe('invoice date');
  });

  it('without data figures still draws the finding pictures it can and the score distribution', () => {
    const charts = reportCharts(sampleReport());
    expect(charts.map((c) => c.id)).toEqual(['ring-1', 'burst-1', 'scores']);
    const ring = charts[0] as Extract<Chart, { kind: 'network' }>;
    expect(ring.edges.every((e) => e.weight === 0)).toBe(true);
    expect(ring.edges).toHaveLength(3);
  });

  it('always has at least one chart, even with no findings and no bids', () => {
    const charts = reportCharts(emptyReport());
    expect(charts.map((c) => c.id)).toEqual(['coverage']);
    expect((charts[0] as Extract<Chart, { kind: 'bars' }>).bars).toEqual([{ label: 'benford', value: 7 }]);
  });
});

describe('SVG', () => {
  it('bar chart: one rect per bar, axis labels, escaped text, no script', () => {
    const svg = barChartSvg({ kind: 'bars', id: 'x', title: SCRIPT, caption: '', xLabel: 'first digit', yLabel: 'share', bars: [{ label: SCRIPT, value: 2 }, { label: 'b', value: 0 }, { label: 'c', value: 5, mark: true }] });
    expect(svg.match(/<rect class="bar"/g)).toHaveLength(3);
    expect(svg).toContain('>first digit</text>');
    expect(svg).toContain('>share</text>');
    expect(svg).not.toMatch(/<script/i);
    expect(svg).toContain('&lt;script&gt;');
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
  });

  it('network: nodes on a circle, one line per edge', () => {
    const svg = networkSvg({ kind: 'network', id: 'n', title: 't', caption: '', nodes: ['A', 'B', 'C', 'D'].map((id) => ({ id, label: id })), edges: [{ a: 0, b: 1, weight: 3 }, { a: 2, b: 3, weight: 1 }] });
    expect(svg.match(/<circle class="node"/g)).toHaveLength(4);
    expect(svg.match(/<line class="edge"/g)).toHaveLength(2);
    const xs = [...svg.matchAll(/<circle class="node" cx="([\d.]+)" cy="([\d.]+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const r = xs.map(([x, y]) => Math.hypot(x - 390, y - 220));
    for (const d of r) expect(d).toBeCloseTo(r[0], 0);
  });

  it('timeline: one stem per contract and the ceiling line', () => {
    const svg = timelineSvg({ kind: 'timeline', id: 't', title: 't', caption: '', xLabel: 'award date', yLabel: 'value', ceiling: 100, ceilingLabel: 'ceiling 100', points: [{ t: 0, date: '1970-01-01', amount: 90, label: 'A' }, { t: 864e5 * 5, date: '1970-01-06', amount: 95, label: 'B' }] });
    expect(svg.match(/<circle class="point"/g)).toHaveLength(2);
    expect(svg).toContain('ceiling 100');
    expect(svg).toContain('1970-01-06');
  });

  it('is deterministic', async () => {
    const report = sampleReport();
    const a = reportCharts(report, datasetFigures(await sampleDataset(), report)).map(chartSvg).join('');
    const b = reportCharts(report, datasetFigures(await sampleDataset(), report)).map(chartSvg).join('');
    expect(a).toBe(b);
  });
});

describe('text charts', () => {
  it('draws bars with values and marks, in a fenced block', () => {
    const t = chartText({ kind: 'bars', id: 'x', title: 't', caption: '', xLabel: 'bids', yLabel: 'tenders', bars: [{ label: '1', value: 4, mark: true }, { label: '2', value: 2 }] });
    const lines = t.split('\n');
    expect(lines[0]).toBe('```text');
    expect(lines.at(-1)).toBe('```');
    expect(lines[2]).toContain('█'.repeat(30) + '  4 ◀');
    expect(lines[3]).toContain('█'.repeat(15) + ' '.repeat(16) + ' 2');
  });

  it('a backtick in a label cannot close the fence', () => {
    const t = chartText({ kind: 'bars', id: 'x', title: 't', caption: '', xLabel: 'x', yLabel: 'y', bars: [{ label: '```evil', value: 1 }] });
    expect(t.match(/```/g)).toHaveLength(2);
  });
});
