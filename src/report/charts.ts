/**
 * Charts for the reports people read (markdown, html).
 *
 * Three layers:
 * - `Figures`: the few distributions a chart needs that the JSON report does not carry (bids per tender,
 *   winning bid / estimate, co-bidding counts among a flagged group's members), computed from the dataset
 *   by src/figures.ts; what a finding measured (Benford's digit counts) is drawn from its evidence;
 * - `reportCharts`: the chart models of one report — plain data, the same for every format;
 * - renderers: inline SVG (html; no script, prints, readable without JavaScript) and unicode text bars
 *   (markdown, where GitHub shows no inline SVG).
 * Every string from the data is escaped where it is written: `esc` for SVG/HTML, `mdEsc` for markdown.
 */
import type { Report } from '../analyze.js';
import type { Entity } from '../detectors/types.js';
import type { Finding } from '../scoring/rank.js';
import { DAY_MS } from '../util/dates.js';
import { printable } from './box.js';

// ---------------------------------------------------------------------------------------------------------
// escaping, number formatting, entity names

const HTML_ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escape text for HTML and SVG (element content and quoted attributes). */
export function esc(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => HTML_ESC[c]);
}

/**
 * Escape text for a GitHub-flavoured markdown table cell or paragraph (never at the start of a line):
 * HTML is neutralised as entities, emphasis, code, link and strike punctuation is backslash-escaped,
 * pipes cannot break the table and newlines cannot end the row.
 */
export function mdEsc(s: unknown): string {
  return printable(String(s ?? ''))
    .replace(/\n+/g, ' ')
    .replace(/[\\`*_[\]|~!]/g, (c) => `\\${c}`)
    .replace(/[&<>]/g, (c) => HTML_ESC[c]);
}

const GROUP = /\B(?=(\d{3})+(?!\d))/g;

/** 1234567 → "1,234,567"; 0.1234 → "0.1234" (at most 4 decimals). */
export function fmtNum(x: number | null | undefined): string {
  if (x == null || !Number.isFinite(x)) return '—';
  const r = Math.round(x * 10000) / 10000;
  const [int, dec] = Math.abs(r).toString().split('.');
  return `${r < 0 ? '-' : ''}${int.replace(GROUP, ',')}${dec ? `.${dec}` : ''}`;
}

/** An entity's id, with its lot when the unit of competition is a lot: "IB2400011312 lot 2". */
export function entityId(e: Pick<Entity, 'id' | 'lot'>): string {
  return e.lot ? `${e.id} lot ${e.lot}` : e.id;
}

/** "name (id)", or the id alone when the data gives no name. */
export function entityLabel(e: Pick<Entity, 'id' | 'name' | 'lot'>): string {
  return e.name ? `${e.name} (${entityId(e)})` : entityId(e);
}

/** Money in short form for axes and labels: 1.2 bn, 350 M, 12 k. */
export function fmtShort(x: number): string {
  const a = Math.abs(x);
  if (a >= 1e9) return `${trim(x / 1e9)} bn`;
  if (a >= 1e6) return `${trim(x / 1e6)} M`;
  if (a >= 1e3) return `${trim(x / 1e3)} k`;
  return trim(x);
}

function trim(x: number): string {
  return Number(x.toPrecision(3)).toString();
}

// ---------------------------------------------------------------------------------------------------------
// figures from the data (src/figures.ts)

export interface Bar {
  label: string;
  value: number;
  /** draw in the accent colour (the bin of a threshold, a flagged digit) */
  mark?: boolean;
  /** label this bar on the axis (when any bar says, only those are labelled; else every n-th) */
  tick?: boolean;
}

export interface Figures {
  /** units of competition by number of bids: 1, 2, …, 9, 10+ */
  bidsPerTender?: Bar[];
  /** winning bid (or award) / estimate, units with both; `outside`: ratios outside the `plausible` band, left out */
  ratio?: { bars: Bar[]; n: number; outside: number; plausible: [number, number] };
  /** "a\tb" (a < b, company ids) → tenders both bid in, for members of flagged groups */
  cobid?: Record<string, number>;
}

/** Detectors whose findings name a ring of firms to draw as a co-bidding network. */
const RING_DETECTORS = new Set(['bid-rotation', 'company-groups', 'cobidding-cluster', 'cover-bidding', 'group-competition']);
const MAX_DRAWN = 3;
const MAX_NODES = 24;

export function isRingFinding(f: Finding, familyOf: (detector: string) => string | undefined): boolean {
  return (RING_DETECTORS.has(f.detector) || familyOf(f.detector) === 'group') && f.entities.filter((e) => e.type === 'company').length >= 3;
}

/**
 * The rings to draw: the first MAX_DRAWN ring findings with distinct sets of firms (the same ring flagged
 * in several tenders is drawn once), each with its firms (at most MAX_NODES).
 */
export function ringsToDraw(report: Report): { f: Finding; members: Finding['entities'] }[] {
  const familyOf = familyLookup(report);
  const out: { f: Finding; members: Finding['entities'] }[] = [];
  const drawn = new Set<string>();
  for (const f of report.findings) {
    if (out.length >= MAX_DRAWN) break;
    if (!isRingFinding(f, familyOf)) continue;
    const members = f.entities.filter((x) => x.type === 'company').slice(0, MAX_NODES);
    const key = members
      .map((m) => m.id)
      .sort()
      .join('\t');
    if (drawn.has(key)) continue;
    drawn.add(key);
    out.push({ f, members });
  }
  return out;
}

function familyLookup(report: Report): (d: string) => string | undefined {
  const m = new Map(report.detectors.map((d) => [d.id, d.family]));
  return (d) => m.get(d);
}

// ---------------------------------------------------------------------------------------------------------
// chart models

interface ChartBase {
  /** stable anchor, unique within a report */
  id: string;
  title: string;
  /** one or two sentences: what the chart shows and how to read it */
  caption: string;
  /** the id of the finding the chart pictures, when it pictures one */
  finding?: string;
}

export interface BarChart extends ChartBase {
  kind: 'bars';
  xLabel: string;
  yLabel: string;
  bars: Bar[];
  /** expected value per bar (drawn as a dot and line), e.g. Benford's proportions */
  expected?: number[];
  /** values are shares: axis in % */
  percent?: boolean;
}

export interface NetworkChart extends ChartBase {
  kind: 'network';
  nodes: { id: string; label: string }[];
  /** node indexes and the tenders both bid in (0 = unknown: drawn thin and dashed) */
  edges: { a: number; b: number; weight: number }[];
}

export interface TimelineChart extends ChartBase {
  kind: 'timeline';
  xLabel: string;
  yLabel: string;
  points: { t: number; date: string; amount: number; label: string }[];
  /** a horizontal line: the ceiling the amounts stay under */
  ceiling?: number;
  ceilingLabel?: string;
}

export type Chart = BarChart | NetworkChart | TimelineChart;

const BENFORD = Array.from({ length: 9 }, (_, i) => Math.log10(1 + 1 / (i + 1)));

function short(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** The tested amounts of a Benford finding by first digit 1–9 (`evidence.firstDigit.counts`), when it has them. */
function digitCounts(f: Finding): number[] | undefined {
  const counts = (f.evidence as { firstDigit?: { counts?: unknown } | null }).firstDigit?.counts;
  return Array.isArray(counts) && counts.length === 9 && counts.every((c) => typeof c === 'number' && c >= 0) ? counts : undefined;
}

/** The charts of a report, most telling first. Always at least one. */
export function reportCharts(report: Report, figures: Figures = {}): Chart[] {
  const charts: Chart[] = [];

  // pictures of the top findings
  let benford = 0;
  for (const f of report.findings) {
    if (f.detector !== 'benford' || benford >= MAX_DRAWN) continue;
    const e = f.entities.find((x) => x.type === 'company' || x.type === 'buyer');
    const counts = digitCounts(f);
    if (!e || !counts) continue;
    const n = counts.reduce((a, b) => a + b, 0);
    if (!n) continue;
    benford++;
    const received = (f.evidence as { side?: unknown }).side === 'buyer' || e.type === 'buyer';
    charts.push({
      kind: 'bars',
      id: `benford-${benford}`,
      finding: f.id,
      title: `First digits of the invoices ${received ? 'received by' : 'of'} ${entityLabel(e)}`,
      caption: `Share of the ${fmtNum(n)} invoice amounts the finding tested starting with each digit (bars) against Benford's law (dots). Flagged digits are drawn in red; see the finding for MAD and chi-square.`,
      xLabel: 'first digit',
      yLabel: 'share of amounts',
      percent: true,
      bars: counts.map((c, i) => ({ label: String(i + 1), value: c / n, mark: Math.abs(c / n - BENFORD[i]) > 0.03 })),
      expected: BENFORD,
    });
  }

  let rings = 0;
  for (const { f, members } of ringsToDraw(report)) {
    const ids = members.map((m) => m.id);
    const edges: NetworkChart['edges'] = [];
    for (let a = 0; a < ids.length; a++)
      for (let b = a + 1; b < ids.length; b++) {
        const key = ids[a] < ids[b] ? `${ids[a]}\t${ids[b]}` : `${ids[b]}\t${ids[a]}`;
        const w = figures.cobid ? (figures.cobid[key] ?? 0) : 0;
        if (w > 0 || !figures.cobid) edges.push({ a, b, weight: w });
      }
    rings++;
    const group = f.entities.find((x) => x.type === 'group');
    charts.push({
      kind: 'network',
      id: `ring-${rings}`,
      finding: f.id,
      title: `Co-bidding network of ${group ? `group ${group.id}, ` : ''}${members.length} firms (${f.detector})`,
      caption: figures.cobid
        ? 'Each line joins two firms of the flagged group; its width and label give the number of tenders both bid in.'
        : 'Each line joins two firms named together by the finding (bid data unavailable, so tender counts are not shown).',
      nodes: members.map((m) => ({ id: m.id, label: m.name ? short(m.name, 34) : m.id })),
      edges,
    });
  }

  // bursts just under a ceiling: awards (split-purchases) or invoices (split-invoices)
  let bursts = 0;
  for (const f of report.findings) {
    if (bursts >= MAX_DRAWN) continue;
    const ev = f.evidence as { contracts?: unknown; invoices?: unknown; ceiling?: unknown };
    const awards = f.detector === 'split-purchases';
    const list = awards ? ev.contracts : f.detector === 'split-invoices' ? ev.invoices : undefined;
    if (!Array.isArray(list)) continue;
    const points: TimelineChart['points'] = [];
    for (const c of list as { tender?: unknown; invoice?: unknown; amount?: unknown; date?: unknown }[]) {
      const t = typeof c.date === 'string' ? Date.parse(c.date) : NaN;
      if (!Number.isFinite(t) || typeof c.amount !== 'number') continue;
      points.push({ t, date: String(c.date).slice(0, 10), amount: c.amount, label: String((awards ? c.tender : c.invoice) ?? '') });
    }
    if (points.length < 2) continue;
    points.sort((a, b) => a.t - b.t || (a.label < b.label ? -1 : 1));
    bursts++;
    const seller = f.entities.find((x) => x.type === 'company');
    charts.push({
      kind: 'timeline',
      id: `burst-${bursts}`,
      finding: f.id,
      title: awards
        ? `Award timeline: ${points.length} contracts${seller ? ` to ${entityLabel(seller)}` : ''}`
        : `Invoice timeline: ${points.length} invoices${seller ? ` from ${entityLabel(seller)}` : ''}`,
      caption: awards
        ? 'Each stem is one contract on its award date; the red line is the ceiling above which the purchase would have needed open competition.'
        : 'Each stem is one invoice on its date; the red line is the ceiling above which the purchase would have needed a procurement procedure.',
      xLabel: awards ? 'award date' : 'invoice date',
      yLabel: awards ? 'contract value' : 'invoice amount',
      points,
      ...(typeof ev.ceiling === 'number' ? { ceiling: ev.ceiling, ceilingLabel: `ceiling ${fmtShort(ev.ceiling)}` } : {}),
    });
  }

  // pictures of the data
  if (figures.ratio) {
    charts.push({
      kind: 'bars',
      id: 'ratio',
      title: 'Winning bid as a share of the estimate',
      caption:
        `${fmtNum(figures.ratio.n)} tenders with both an estimate and a winning price, by award / estimate. Honest competition spreads ` +
        `the ratio out; a pile-up just under 1.00 (red bins, ≥ 0.95) suggests the winner knew the estimate.` +
        (figures.ratio.outside
          ? ` ${fmtNum(figures.ratio.outside)} implausible ratios (below ${figures.ratio.plausible[0]} or above ${figures.ratio.plausible[1]}) are left out.`
          : ''),
      xLabel: 'winning bid / estimate (bin start)',
      yLabel: 'tenders',
      bars: figures.ratio.bars,
    });
  }
  if (figures.bidsPerTender) {
    charts.push({
      kind: 'bars',
      id: 'bidders',
      title: 'Bids per tender',
      caption: 'Units of competition (tender or lot) by the number of bids received; single-bid tenders (red) had no competition at all.',
      xLabel: 'bids received',
      yLabel: 'tenders',
      bars: figures.bidsPerTender,
    });
  }
  if (report.findings.length) {
    const bins = new Array<number>(10).fill(0);
    for (const f of report.findings) bins[Math.min(9, Math.floor(f.score * 10 + 1e-9))]++;
    charts.push({
      kind: 'bars',
      id: 'scores',
      title: 'Findings by score',
      caption: 'Every listed finding by its score on the common scale; medium from 0.5, high (red) from 0.8.',
      xLabel: 'score (bin start)',
      yLabel: 'findings',
      bars: bins.map((value, i) => ({ label: (i / 10).toFixed(1), value, mark: i >= 8 })),
    });
  }
  if (!charts.length) {
    const ran = report.detectors.filter((d) => d.status === 'ran');
    charts.push({
      kind: 'bars',
      id: 'coverage',
      title: 'What each detector judged',
      caption: 'Entities (tenders, firms, buyers, invoices) each detector that ran could judge.',
      xLabel: 'detector',
      yLabel: 'entities judged',
      bars: ran.length ? ran.map((d) => ({ label: d.id, value: d.applied ?? 0 })) : [{ label: 'none ran', value: 0 }],
    });
  }
  return charts;
}

// ---------------------------------------------------------------------------------------------------------
// SVG

const W = 640;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
const INK = '#1f2933';
const MUTED = '#616e7c';
const BAR = '#4c6edb';
const ACCENT = '#c92a2a';
const GRID = '#e4e7eb';

function svgOpen(c: Chart, h: number, w = W): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" ` +
    `aria-labelledby="${esc(c.id)}-t" class="chart" ${FONT} font-size="12" fill="${INK}">` +
    `<title id="${esc(c.id)}-t">${esc(c.title)}</title><rect x="0" y="0" width="${w}" height="${h}" fill="#ffffff"/>`
  );
}

/** Round-number ticks from 0 to at least max. */
function ticks(max: number, percent: boolean): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const s = percent ? step : Math.max(step, 1);
  const out: number[] = [];
  for (let v = 0; v < max + s * 0.999; v += s) out.push(Number(v.toPrecision(12)));
  return out;
}

function tickLabel(v: number, percent: boolean): string {
  return percent ? `${Number((v * 100).toPrecision(3))}%` : fmtShort(v);
}

export function barChartSvg(c: BarChart): string {
  const H = 300;
  const m = { l: 64, r: 16, t: 16, b: 64 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const max = Math.max(...c.bars.map((b) => b.value), ...(c.expected ?? []), 0);
  const ts = ticks(max, !!c.percent);
  const top = ts[ts.length - 1];
  const y = (v: number) => m.t + ph - (v / top) * ph;
  const n = c.bars.length;
  const slot = pw / n;
  const bw = Math.max(2, slot * 0.78);
  const parts: string[] = [svgOpen(c, H)];
  for (const t of ts)
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${f1(y(t))}" y2="${f1(y(t))}" stroke="${GRID}"/>` +
        `<text x="${m.l - 6}" y="${f1(y(t) + 4)}" text-anchor="end" fill="${MUTED}">${esc(tickLabel(t, !!c.percent))}</text>`,
    );
  const every = Math.ceil(n / 16);
  const ticked = c.bars.some((b) => b.tick !== undefined);
  c.bars.forEach((b, i) => {
    const x = m.l + i * slot + (slot - bw) / 2;
    const h = Math.max(0, m.t + ph - y(b.value));
    const shown = c.percent ? `${(b.value * 100).toFixed(1)}%` : fmtNum(b.value);
    parts.push(
      `<rect class="bar" x="${f1(x)}" y="${f1(m.t + ph - Math.max(h, b.value > 0 ? 1 : 0))}" width="${f1(bw)}" height="${f1(Math.max(h, b.value > 0 ? 1 : 0))}" fill="${b.mark ? ACCENT : BAR}">` +
        `<title>${esc(`${b.label}: ${shown}`)}</title></rect>`,
    );
    if (n <= 12 && b.value > 0) parts.push(`<text x="${f1(x + bw / 2)}" y="${f1(y(b.value) - 4)}" text-anchor="middle" font-size="10" fill="${MUTED}">${esc(shown)}</text>`);
    if (ticked ? b.tick : i % every === 0) {
      const lx = f1(x + bw / 2);
      const ly = m.t + ph + 14;
      parts.push(
        n > 12
          ? `<text x="${lx}" y="${ly}" text-anchor="end" transform="rotate(-40 ${lx} ${ly})" font-size="10">${esc(b.label)}</text>`
          : `<text x="${lx}" y="${ly}" text-anchor="middle">${esc(b.label)}</text>`,
      );
    }
  });
  if (c.expected) {
    const pts = c.expected.map((v, i) => `${f1(m.l + i * slot + slot / 2)},${f1(y(v))}`);
    parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${INK}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    for (const p of pts) {
      const [px, py] = p.split(',');
      parts.push(`<circle cx="${px}" cy="${py}" r="3.5" fill="${INK}"/>`);
    }
    parts.push(
      `<g font-size="11"><rect x="${W - m.r - 190}" y="${m.t}" width="10" height="10" fill="${BAR}"/><text x="${W - m.r - 176}" y="${m.t + 9}">observed</text>` +
        `<circle cx="${W - m.r - 100}" cy="${m.t + 5}" r="3.5" fill="${INK}"/><text x="${W - m.r - 92}" y="${m.t + 9}">Benford expected</text></g>`,
    );
  }
  parts.push(axes(m, pw, ph, H, c.xLabel, c.yLabel), '</svg>');
  return parts.join('');
}

function axes(m: { l: number; t: number; b: number }, pw: number, ph: number, H: number, xLabel: string, yLabel: string): string {
  return (
    `<line x1="${m.l}" x2="${m.l + pw}" y1="${m.t + ph}" y2="${m.t + ph}" stroke="${INK}"/>` +
    `<line x1="${m.l}" x2="${m.l}" y1="${m.t}" y2="${m.t + ph}" stroke="${INK}"/>` +
    `<text x="${f1(m.l + pw / 2)}" y="${H - 8}" text-anchor="middle" font-weight="600">${esc(xLabel)}</text>` +
    `<text x="14" y="${f1(m.t + ph / 2)}" text-anchor="middle" font-weight="600" transform="rotate(-90 14 ${f1(m.t + ph / 2)})">${esc(yLabel)}</text>`
  );
}

export function networkSvg(c: NetworkChart): string {
  const H = 440;
  const WN = 780;
  const cx = WN / 2;
  const cy = H / 2;
  const r = 140;
  const n = c.nodes.length;
  const pos = c.nodes.map((_, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    return [cx + r * Math.cos(a), cy + r * Math.sin(a), a] as const;
  });
  const maxW = Math.max(1, ...c.edges.map((e) => e.weight));
  const parts: string[] = [svgOpen(c, H, WN)];
  for (const e of c.edges) {
    const [x1, y1] = pos[e.a];
    const [x2, y2] = pos[e.b];
    const w = e.weight ? 1 + (5 * e.weight) / maxW : 1;
    parts.push(
      `<line class="edge" x1="${f1(x1)}" y1="${f1(y1)}" x2="${f1(x2)}" y2="${f1(y2)}" stroke="${BAR}" stroke-opacity="0.55" stroke-width="${f1(w)}"${e.weight ? '' : ' stroke-dasharray="4 3"'}>` +
        `<title>${esc(`${c.nodes[e.a].label} — ${c.nodes[e.b].label}${e.weight ? `: ${e.weight} tenders together` : ''}`)}</title></line>`,
    );
    if (e.weight && n <= 8) parts.push(`<text x="${f1((x1 + x2) / 2)}" y="${f1((y1 + y2) / 2 - 3)}" text-anchor="middle" font-size="10" fill="${MUTED}">${e.weight}</text>`);
  }
  pos.forEach(([x, y, a], i) => {
    const right = Math.cos(a) >= -1e-9;
    const lx = x + (right ? 12 : -12) * (Math.abs(Math.cos(a)) > 0.2 ? 1 : 0);
    const ly = y + (Math.abs(Math.cos(a)) > 0.2 ? 4 : Math.sin(a) > 0 ? 22 : -14);
    const anchor = Math.abs(Math.cos(a)) <= 0.2 ? 'middle' : right ? 'start' : 'end';
    const node = c.nodes[i];
    const below = node.label !== node.id;
    const top = Math.sin(a) < 0 && Math.abs(Math.cos(a)) <= 0.2;
    parts.push(
      `<circle class="node" cx="${f1(x)}" cy="${f1(y)}" r="8" fill="${ACCENT}" stroke="#ffffff" stroke-width="2"><title>${esc(node.id)}</title></circle>` +
        `<text x="${f1(lx)}" y="${f1(top && below ? ly - 13 : ly)}" text-anchor="${anchor}" font-size="11">${esc(node.label)}</text>` +
        (below ? `<text x="${f1(lx)}" y="${f1((top ? ly - 13 : ly) + 13)}" text-anchor="${anchor}" font-size="10" fill="${MUTED}">${esc(node.id)}</text>` : ''),
    );
  });
  parts.push(`<text x="${WN - 10}" y="${H - 10}" text-anchor="end" font-size="11" fill="${MUTED}">line width: tenders bid in together</text>`, '</svg>');
  return parts.join('');
}

export function timelineSvg(c: TimelineChart): string {
  const H = 300;
  const m = { l: 72, r: 24, t: 20, b: 64 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const t0 = c.points[0].t;
  const t1 = c.points[c.points.length - 1].t;
  const span = Math.max(t1 - t0, DAY_MS);
  const x = (t: number) => m.l + 20 + ((t - t0) / span) * (pw - 40);
  const max = Math.max(...c.points.map((p) => p.amount), c.ceiling ?? 0);
  const ts = ticks(max * 1.05, false);
  const top = ts[ts.length - 1];
  const y = (v: number) => m.t + ph - (v / top) * ph;
  const parts: string[] = [svgOpen(c, H)];
  for (const t of ts)
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${f1(y(t))}" y2="${f1(y(t))}" stroke="${GRID}"/>` +
        `<text x="${m.l - 6}" y="${f1(y(t) + 4)}" text-anchor="end" fill="${MUTED}">${esc(fmtShort(t))}</text>`,
    );
  if (c.ceiling !== undefined)
    parts.push(
      `<line x1="${m.l}" x2="${W - m.r}" y1="${f1(y(c.ceiling))}" y2="${f1(y(c.ceiling))}" stroke="${ACCENT}" stroke-width="2" stroke-dasharray="6 4"/>` +
        `<text x="${W - m.r}" y="${f1(y(c.ceiling) - 5)}" text-anchor="end" fill="${ACCENT}">${esc(c.ceilingLabel ?? '')}</text>`,
    );
  const dates = new Set<string>();
  for (const p of c.points) {
    const px = f1(x(p.t));
    parts.push(
      `<line x1="${px}" x2="${px}" y1="${f1(y(0))}" y2="${f1(y(p.amount))}" stroke="${BAR}" stroke-width="3"/>` +
        `<circle class="point" cx="${px}" cy="${f1(y(p.amount))}" r="5" fill="${BAR}"><title>${esc(`${p.label}, ${p.date}: ${fmtNum(p.amount)}`)}</title></circle>`,
    );
    if (!dates.has(p.date)) {
      dates.add(p.date);
      const ly = m.t + ph + 14;
      parts.push(`<text x="${px}" y="${ly}" text-anchor="end" font-size="10" transform="rotate(-35 ${px} ${ly})">${esc(p.date)}</text>`);
    }
  }
  parts.push(axes(m, pw, ph, H, c.xLabel, c.yLabel), '</svg>');
  return parts.join('');
}

export function chartSvg(c: Chart): string {
  return c.kind === 'bars' ? barChartSvg(c) : c.kind === 'network' ? networkSvg(c) : timelineSvg(c);
}

function f1(v: number): string {
  return (Math.round(v * 10) / 10).toString();
}

// ---------------------------------------------------------------------------------------------------------
// text charts (markdown)

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of unicode blocks, `value / max` of `width` characters, to 1/8 character. */
export function textBar(value: number, max: number, width = 30): string {
  if (!(max > 0) || !(value > 0)) return '';
  const eighths = Math.max(1, Math.round((value / max) * width * 8));
  return '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

/** A chart as a fenced text block (markdown), with the caption above it. Labels are escaped by the caller's fence. */
export function chartText(c: Chart): string {
  const lines: string[] = [];
  if (c.kind === 'bars') {
    const max = Math.max(...c.bars.map((b) => b.value), ...(c.expected ?? []));
    const lw = Math.max(...c.bars.map((b) => b.label.length), c.xLabel.length > 14 ? 0 : c.xLabel.length);
    const fmt = (v: number) => (c.percent ? `${(v * 100).toFixed(1)}%` : fmtNum(v));
    lines.push(`${c.xLabel.padEnd(lw)} │ ${c.yLabel}${c.expected ? ' (observed; ◆ marks the expected share)' : ''}`);
    c.bars.forEach((b, i) => {
      // bars padded to one width so the numbers line up; the expected share overlays a ◆
      const bar = [...textBar(b.value, max).padEnd(31, ' ')];
      if (c.expected) bar[Math.min(30, Math.round((c.expected[i] / max) * 30))] = '◆';
      lines.push(`${b.label.padEnd(lw)} │ ${bar.join('')} ${fmt(b.value)}${c.expected ? ` (expected ${fmt(c.expected[i])})` : ''}${b.mark ? ' ◀' : ''}`);
    });
  } else if (c.kind === 'network') {
    const max = Math.max(1, ...c.edges.map((e) => e.weight));
    const lw = Math.max(...c.edges.map((e) => `${c.nodes[e.a].label} — ${c.nodes[e.b].label}`.length), 4);
    const edges = [...c.edges].sort((p, q) => q.weight - p.weight || p.a - q.a || p.b - q.b);
    lines.push(`${'pair'.padEnd(lw)} │ tenders bid in together`);
    for (const e of edges.slice(0, 30)) lines.push(`${`${c.nodes[e.a].label} — ${c.nodes[e.b].label}`.padEnd(lw)} │ ${e.weight ? `${textBar(e.weight, max, 20)} ${e.weight}` : '(linked)'}`);
    if (edges.length > 30) lines.push(`… ${edges.length - 30} more pairs`);
  } else {
    const max = Math.max(...c.points.map((p) => p.amount), c.ceiling ?? 0);
    if (c.ceiling !== undefined) lines.push(`${'ceiling'.padEnd(10)} │ ${textBar(c.ceiling, max)} ${fmtNum(c.ceiling)}`);
    for (const p of c.points) lines.push(`${p.date.padEnd(10)} │ ${textBar(p.amount, max)} ${fmtNum(p.amount)}  ${p.label}`);
  }
  // fenced code shows text literally; only a fence inside a label could break out, so neutralise backticks
  return '```text\n' + lines.map((l) => l.replace(/`/g, "'")).join('\n') + '\n```';
}
