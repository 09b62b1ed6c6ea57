import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { defaultConfig } from '../../src/config/config.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { datasetFigures } from '../../src/figures.js';
import { loadDataset } from '../../src/io/dataset.js';
import { barChartSvg, chartSvg, chartText, esc, mdEsc, networkSvg, reportCharts, textBar, timelineSvg, type Chart } from '../../src/report/charts.js';
import { FORMULA, SCRIPT, emptyReport, sampleDataset, sampleReport, writeFiles } from './sample.js';

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

  it('counts the co-bids of a flagged ring (digits come from the Benford finding itself)', async () => {
    const f = datasetFigures(await sampleDataset(), sampleReport());
    // ACME, BETA, GAMMA all bid in T1 and T2; ACME and GAMMA also in T4
    expect(f.cobid).toEqual({ 'ACME\tBETA': 2, 'ACME\tGAMMA': 3, 'BETA\tGAMMA': 2 });
    expect(Object.keys(f).sort()).toEqual(['bidsPerTender', 'cobid', 'ratio']);
  });

  it('takes the winning price as near-estimate-win does: bid_amount, else final_amount, row by row', async () => {
    const f = writeFiles({
      'bids.csv':
        'tender_id,buyer_id,bidder_id,bid_amount,final_amount,is_winner,estimated_value\n' +
        'T1,CITY,ACME,99,,1,100\n' +
        'T2,CITY,BETA,,80,1,100\n' +
        'T3,CITY,GAMMA,10,,1,100\n',
    });
    const { dataset } = await loadDataset([{ kind: 'bids', path: f['bids.csv'] }]);
    const ratio = datasetFigures(dataset).ratio!;
    // T2's winning bid is its final amount; T3 (0.10) is outside near-estimate-win's plausible band
    expect(ratio.n).toBe(2);
    expect(ratio.outside).toBe(1);
    expect(ratio.plausible).toEqual([0.2, 1.5]);
    expect(ratio.bars.find((b) => b.label === '0.80')!.value).toBe(1);
  });

  it('bins exactly the tenders near-estimate-win judged, and counts the implausible ones it left out', async () => {
    const sample = (f: string) => join(import.meta.dirname, '..', '..', 'samples', f);
    const { dataset } = await loadDataset([
      { kind: 'bids', path: sample('bids-vn.csv') },
      { kind: 'bids', path: sample('bids.csv') },
    ]);
    const { report } = analyze(dataset, defaultConfig(DETECTORS), DETECTORS, 'test');
    const near = report.detectors.find((d) => d.id === 'near-estimate-win')!;
    const ratio = datasetFigures(dataset, report).ratio!;
    expect(ratio.n).toBe(near.applied);
    expect(ratio.outside).toBe(near.notApplicable?.['award/estimate implausible (unit mismatch?)'] ?? 0);
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

  it('draws the digits a Benford finding tested, from its evidence, for a seller or a buyer', () => {
    const r = sampleReport();
    const seller = r.findings.find((x) => x.detector === 'benford')!;
    const buyer = { ...seller, id: 'b', entities: [{ type: 'buyer' as const, id: 'CITY-HOSP', name: 'City hospital' }], evidence: { ...seller.evidence, side: 'buyer', firstDigit: { n: 4, counts: [1, 1, 0, 0, 0, 0, 0, 0, 2] } } };
    r.findings = [seller, buyer];
    const charts = reportCharts(r).filter((c) => c.id.startsWith('benford')) as Extract<Chart, { kind: 'bars' }>[];
    expect(charts.map((c) => c.finding)).toEqual([seller.id, 'b']);
    expect(charts[0].title).toBe(`First digits of the invoices of ${SCRIPT} (ACME)`);
    expect(charts[0].caption).toContain('10 invoice amounts the finding tested');
    expect(charts[1].title).toBe('First digits of the invoices received by City hospital (CITY-HOSP)');
    expect(charts[1].bars.map((b) => b.value)).toEqual([0.25, 0.25, 0, 0, 0, 0, 0, 0, 0.5]);
    // a finding without the counts (a report of an older version) gets no digit chart
    r.findings = [{ ...seller, evidence: { firstDigit: { n: 10 } } }];
    expect(reportCharts(r).some((c) => c.id.startsWith('benford'))).toBe(false);
  });

  it('on the samples, draws the first digits of the amounts benford tested (lines folded, standing orders set aside)', async () => {
    const sample = (f: string) => join(import.meta.dirname, '..', '..', 'samples', f);
    const { dataset } = await loadDataset([{ kind: 'invoices', path: sample('invoices.csv') }]);
    const { report } = analyze(dataset, defaultConfig(DETECTORS), DETECTORS, 'test');
    const f = report.findings.find((x) => x.detector === 'benford')!;
    const ev = f.evidence as { standingOrdersSetAside: number; firstDigit: { n: number; counts: number[] } };
    expect(ev.firstDigit.counts).toHaveLength(9);
    expect(ev.firstDigit.counts.reduce((a, b) => a + b, 0)).toBe(ev.firstDigit.n);
    expect(ev.standingOrdersSetAside).toBeGreaterThan(0);
    const chart = reportCharts(report).find((c) => c.finding === f.id) as Extract<Chart, { kind: 'bars' }>;
    expect(chart.caption).toContain(`${ev.firstDigit.n} invoice amounts the finding tested`);
    expect(chart.bars.map((b) => b.value)).toEqual(ev.firstDigit.counts.map((c) => c / ev.firstDigit.n));
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
    expect(charts.map((c) => c.id)).toEqual(['benford-1', 'ring-1', 'burst-1', 'scores']);
    const ring = charts[1] as Extract<Chart, { kind: 'network' }>;
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
