/**
 * The report for people as ONE self-contained HTML file: it opens offline and prints. No script, no
 * external style, image or font; the charts are inline SVG written into the page, so they show without
 * JavaScript. A Content-Security-Policy forbids scripts and remote loads altogether, and every value from
 * the data is escaped with `esc` where it is written (company names are untrusted input).
 *
 * Order, for an auditor: headline numbers, the top findings with their evidence and pictures, entity risk,
 * the data at a glance, what each detector covered.
 */
import type { Finding } from '../scoring/rank.js';
import { chartSvg, entityId, entityLabel, esc, fmtNum, reportCharts, type Chart } from './charts.js';
import { evidenceBlocks, type EvidenceBlock } from './evidence.js';
import {
  ENTITY_ROWS,
  ENTITY_SECTIONS,
  LISTED,
  PER_DETECTOR,
  byDetector,
  cutNotes,
  cutoffsText,
  discountNote,
  entitiesOf,
  headline,
  notApplicableText,
  splitFindings,
} from './markdown.js';
import { plural } from '../util/format.js';
import type { TextRenderer } from './types.js';

const CSS = `
:root{--ink:#1f2933;--muted:#616e7c;--line:#e4e7eb;--high:#c92a2a;--medium:#d9820b;--low:#7b8794;--bg:#f8f9fa}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);margin:0;background:#fff}
main{max-width:1040px;margin:0 auto;padding:24px 28px 64px}
h1{font-size:26px;margin:0 0 4px}
h2{font-size:20px;margin:36px 0 12px;padding-bottom:6px;border-bottom:2px solid var(--line)}
h3{font-size:16px;margin:0 0 6px}
p.lead{color:var(--muted);margin:0 0 18px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 16px;min-width:120px;background:var(--bg)}
.card b{display:block;font-size:26px;line-height:1.2}
.card span{color:var(--muted);font-size:13px}
.card.high b{color:var(--high)}.card.medium b{color:var(--medium)}
table{border-collapse:collapse;width:100%;margin:8px 0 16px;font-size:13.5px}
th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.risk{white-space:nowrap}
code.id{white-space:nowrap}
.sev{display:inline-block;border-radius:4px;padding:0 7px;color:#fff;font-size:12px;font-weight:600;text-transform:uppercase}
.sev.high{background:var(--high)}.sev.medium{background:var(--medium)}.sev.low{background:var(--low)}
article.finding{border:1px solid var(--line);border-left:5px solid var(--low);border-radius:6px;padding:12px 16px;margin:0 0 14px;break-inside:avoid}
article.finding.high{border-left-color:var(--high)}article.finding.medium{border-left-color:var(--medium)}
.meta{color:var(--muted);font-size:13px;margin:0 0 6px}
.meta code{font-size:12px}
dl.evidence{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:8px 0 0;font-size:13.5px}
dl.evidence dt{color:var(--muted)}
dl.evidence dd{margin:0;overflow-wrap:anywhere}
dl.evidence table{margin:2px 0 6px;width:auto}
dl.evidence th,dl.evidence td{overflow-wrap:break-word}
dl.evidence dl.evidence{margin:0}
.item{border-left:2px solid var(--line);padding-left:8px;margin:2px 0 6px}
.more{color:var(--muted);font-size:13px;margin:0 0 6px}
figure{margin:18px 0 26px;break-inside:avoid}
figure svg{max-width:100%;height:auto;border:1px solid var(--line);border-radius:6px}
figcaption{color:var(--muted);font-size:13px;margin-top:4px;max-width:640px}
figcaption b{color:var(--ink)}
.note{background:#fff8e6;border:1px solid #f5d48a;border-radius:6px;padding:8px 12px;margin:10px 0}
.warn li{color:#8a4b00}
.riskbar{display:inline-block;height:10px;background:var(--high);border-radius:2px;vertical-align:middle;margin-right:6px}
nav{font-size:14px;margin:8px 0 0}
.minis{display:flex;flex-wrap:wrap;gap:24px}.mini{flex:1 1 420px}.mini table{margin-top:4px}nav a{margin-right:14px}
footer{margin-top:40px;color:var(--muted);font-size:12.5px}
@media print{main{max-width:none;padding:0}h2{break-after:avoid}a{color:inherit;text-decoration:none}}
`;

function sev(s: Finding['severity']): string {
  return `<span class="sev ${s}">${s}</span>`;
}

function table(head: string[], rows: string[][], num: number[] = [], nowrap: number[] = []): string {
  const cls = (i: number) => (num.includes(i) ? ' class="num"' : nowrap.includes(i) ? ' class="risk"' : '');
  const th = head.map((h, i) => `<th${cls(i)}>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function entitiesHtml(f: Finding, limit = 8): string {
  const shown = f.entities.slice(0, limit).map((e) => `${esc(e.type)} <b>${esc(entityLabel(e))}</b>`);
  if (f.entities.length > limit) shown.push(`+${f.entities.length - limit} more`);
  return shown.join('; ');
}

/** A page has room for longer cells than a markdown table. */
const WIDTHS = { cell: 300, text: 600 };

const moreHtml = (n: number) => (n ? `<p class="more">…and ${fmtNum(n)} more (see the JSON report).</p>` : '');

function evidenceHtml(ev: Record<string, unknown>): string {
  const items = evidenceBlocks(ev, WIDTHS).map(({ key, value }) => `<dt>${esc(key)}</dt><dd>${blockHtml(value)}</dd>`);
  return items.length ? `<dl class="evidence">${items.join('')}</dl>` : '';
}

/** An evidence value: lists of records as tables, records as nested lists, the rest as text. */
function blockHtml(b: EvidenceBlock): string {
  switch (b.kind) {
    case 'text':
      return esc(b.text);
    case 'table':
      return table(b.columns.map(esc), b.rows.map((r) => r.map(esc)), b.numeric.flatMap((n, i) => (n ? [i] : []))) + moreHtml(b.more);
    case 'pairs':
      return `<dl class="evidence">${b.pairs.map((p) => `<dt>${esc(p.key)}</dt><dd>${blockHtml(p.value)}</dd>`).join('')}</dl>` + moreHtml(b.more);
    case 'list':
      return b.items.map((item) => `<div class="item">${blockHtml(item)}</div>`).join('') + moreHtml(b.more);
  }
}

function findingHtml(f: Finding, rank: number, pictures: Chart[]): string {
  return (
    `<article class="finding ${f.severity}" id="f-${esc(f.id)}">` +
    `<h3>${rank}. ${esc(f.title)}</h3>` +
    `<p class="meta">${sev(f.severity)} score <b>${f.score.toFixed(2)}</b> · detector <code>${esc(f.detector)}</code>` +
    `${f.amount != null ? ` · amount <b>${esc(fmtNum(f.amount))}</b>` : ''} · id <code>${esc(f.id)}</code></p>` +
    `<p>${esc(f.explanation)}</p>` +
    `<p class="meta">Entities: ${entitiesHtml(f)}</p>` +
    evidenceHtml(f.evidence) +
    pictures.map(figure).join('') +
    `</article>`
  );
}

function figure(c: Chart): string {
  return `<figure id="chart-${esc(c.id)}">${chartSvg(c)}<figcaption><b>${esc(c.title)}.</b> ${esc(c.caption)}</figcaption></figure>`;
}

function picturesByFinding(charts: Chart[]): Map<string, Chart[]> {
  const out = new Map<string, Chart[]>();
  for (const c of charts) if (c.finding) out.set(c.finding, [...(out.get(c.finding) ?? []), c]);
  return out;
}

export const renderHtml: TextRenderer = (report, opts) => {
  const s = report.summary;
  const rows = report.inputs.reduce((n, i) => n + i.rows, 0);
  const rejected = report.inputs.reduce((n, i) => n + i.rejected, 0);
  const charts = reportCharts(report, opts.figures);
  const attached = picturesByFinding(charts);
  const { detailed, rest } = splitFindings(report.findings);
  const shownIds = new Set(detailed.map((d) => d.f.id));
  // pictures of findings beyond the detailed ones still appear, after them
  const findingCharts = charts.filter((c) => c.finding && !shownIds.has(c.finding));
  const dataCharts = charts.filter((c) => !c.finding);
  const h: string[] = [];
  h.push(
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>redflag report: ${esc(headline(report))}</title>`,
    `<style>${CSS}</style></head><body><main>`,
  );
  h.push(`<h1>Procurement red flags: ${esc(headline(report))}</h1>`);
  h.push(
    `<p class="lead">redflag ${esc(report.tool.version)} read ${esc(plural(report.inputs.length, 'file'))} (${esc(plural(rows, 'row'))}` +
      `${rejected ? `, ${esc(fmtNum(rejected))} rejected` : ''}); ${s.detectors.ran} detectors ran, ${s.detectors.skipped} skipped` +
      `${s.detectors.error ? `, ${s.detectors.error} crashed` : ''}. A finding is a reason to look, not proof: each one lists the measured numbers and the thresholds it was compared with.</p>`,
  );
  h.push(
    '<nav><a href="#findings">Top findings</a><a href="#entities">Entity risk</a><a href="#data">The data</a><a href="#coverage">Detector coverage</a><a href="#inputs">Inputs</a></nav>',
  );
  h.push('<section id="summary"><div class="cards">');
  h.push(
    `<div class="card high"><b>${fmtNum(s.bySeverity.high)}</b><span>high (score ≥ 0.80): open first</span></div>`,
    `<div class="card medium"><b>${fmtNum(s.bySeverity.medium)}</b><span>medium (≥ 0.50)</span></div>`,
    `<div class="card"><b>${fmtNum(s.bySeverity.low)}</b><span>low</span></div>`,
    `<div class="card"><b>${fmtNum(s.findings)}</b><span>findings${s.shown !== undefined ? `, ${fmtNum(s.shown)} listed` : ''}</span></div>`,
    `<div class="card"><b>${fmtNum(report.entities.length)}</b><span>entities named</span></div>`,
    `<div class="card"><b>${fmtNum(rows)}</b><span>rows read</span></div>`,
  );
  h.push('</div>');
  for (const n of cutNotes(report)) h.push(`<p class="note">${esc(n)}</p>`);
  const firms = entitiesOf(report, 'company').slice(0, 5);
  const buyers = entitiesOf(report, 'buyer').slice(0, 5);
  if (firms.length || buyers.length) {
    const mini = (title: string, list: typeof firms) =>
      list.length
        ? `<div class="mini"><h3>${esc(title)}</h3>` +
          table(
            ['risk', 'who', 'detectors'],
            list.map((e) => [e.risk.toFixed(2), `${esc(e.name ?? '')} <span class="meta">${esc(e.id)}</span>`, String(e.detectors.length)]),
            [0, 2],
          ) +
          '</div>'
        : '';
    h.push(`<div class="minis">${mini('Highest-risk firms', firms)}${mini('Highest-risk buyers', buyers)}</div>`);
  }
  if (report.baseline) {
    const b = report.baseline;
    h.push(
      `<p class="note">Scored against a frozen baseline: redflag ${esc(b.toolVersion)}, config <code>${esc(b.configHash)}</code>, history of ` +
        `${esc(
          Object.entries(b.rows)
            .map(([k, n]) => `${fmtNum(n)} ${k} rows`)
            .join(', '),
        )}; detectors scored against it: ${b.detectors.length ? b.detectors.map((d) => `<code>${esc(d)}</code>`).join(', ') : 'none'}.` +
        `${b.forced?.length ? ` Used with --force although ${esc(b.forced.join('; '))}.` : ''}</p>`,
    );
  }
  if (report.warnings.length) h.push(`<ul class="warn">${report.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  h.push('</section>');

  h.push('<section id="findings"><h2>Top findings</h2>');
  if (!report.findings.length) h.push('<p>No findings.</p>');
  else if (rest.length)
    h.push(`<p class="lead">The highest-ranked findings, at most ${PER_DETECTOR} per detector, with their evidence; the number is the rank among all ${fmtNum(report.findings.length)}. The others follow in a table.</p>`);
  for (const { f, rank } of detailed) h.push(findingHtml(f, rank, attached.get(f.id) ?? []));
  for (const c of findingCharts) h.push(figure(c));
  if (rest.length) {
    h.push(`<h3>Further findings</h3>`);
    h.push(
      table(
        ['#', 'score', 'severity', 'detector', 'finding', 'entities'],
        rest.slice(0, LISTED).map(({ f, rank }) => [String(rank), f.score.toFixed(2), sev(f.severity), `<code>${esc(f.detector)}</code>`, esc(f.title), entitiesHtml(f, 4)]),
        [0, 1],
      ),
    );
    if (rest.length > LISTED) h.push(`<p>…and ${fmtNum(rest.length - LISTED)} more (see the JSON report).</p>`);
  }
  const kinds = byDetector(report);
  if (kinds.length)
    h.push(
      '<h3>Findings by detector</h3><p class="lead">What kinds of problem the data shows, most high findings first.</p>' +
        table(
          ['detector', 'what it flags', 'high', 'medium', 'low'],
          kinds.map((d) => [`<code class="id">${esc(d.id)}</code>`, esc(d.title), String(d.bySeverity!.high), String(d.bySeverity!.medium), String(d.bySeverity!.low)]),
          [2, 3, 4],
        ),
    );
  h.push('</section>');

  h.push('<section id="entities"><h2>Entity risk</h2>');
  h.push(`<p class="lead">Risk = 1 − Π(1 − best score per detector): independent detectors agreeing on one entity raise it; one detector firing many times does not, and the flags of a firm's or buyer's unrelated affairs (findings that name no tender or firm in common) count as the worst of them, not together.${esc(discountNote(report))}</p>`);
  let anyEntity = false;
  for (const sec of ENTITY_SECTIONS) {
    const list = entitiesOf(report, sec.type);
    if (!list.length) continue;
    anyEntity = true;
    h.push(`<h3>${esc(sec.title)}</h3>`);
    h.push(
      table(
        ['risk', 'id', 'name', 'detectors', 'findings'],
        list
          .slice(0, ENTITY_ROWS)
          .map((e) => [
            `<span class="riskbar" style="width:${Math.round(e.risk * 60)}px"></span>${e.risk.toFixed(2)}`,
            esc(entityId(e)),
            esc(e.name ?? ''),
            e.detectors.map((d) => `<code>${esc(d)}</code>`).join(', '),
            String(e.findings),
          ]),
        [4],
        [0],
      ),
    );
    if (list.length > ENTITY_ROWS) h.push(`<p>…and ${fmtNum(list.length - ENTITY_ROWS)} more.</p>`);
  }
  if (!anyEntity) h.push('<p>No entity is named by a finding.</p>');
  h.push('</section>');

  h.push('<section id="data"><h2>The data at a glance</h2>');
  for (const c of dataCharts) h.push(figure(c));
  h.push('</section>');

  h.push('<section id="coverage"><h2>Detector coverage</h2>');
  h.push('<p class="lead">What each detector judged, what it could not and why, so that “no findings” can be read. Method, thresholds, sources and known false positives: <code>redflag explain &lt;detector&gt;</code>.</p>');
  h.push(
    table(
      ['detector', 'status', 'judged', 'not judged', 'findings (high / medium / low)', 'cut-offs or reason'],
      report.detectors.map((d) => [
        `<code>${esc(d.id)}</code><br><span class="meta">${esc(d.title)}</span>`,
        esc(d.status),
        d.applied !== undefined ? fmtNum(d.applied) : '',
        esc(notApplicableText(d)),
        d.bySeverity ? `${d.findings} (${d.bySeverity.high} / ${d.bySeverity.medium} / ${d.bySeverity.low})` : '',
        esc(d.status === 'ran' ? cutoffsText(d) : (d.reason ?? '')) + (d.flagShareWarning ? `<br><b>${esc(d.flagShareWarning)}</b>` : ''),
      ]),
      [2],
    ),
  );
  h.push('</section>');

  h.push('<section id="inputs"><h2>Inputs</h2>');
  h.push(
    table(
      ['file', 'kind', 'rows', 'rejected', 'columns read (canonical ← as written)'],
      report.inputs.map((i) => [
        esc(i.path),
        esc(i.kind),
        fmtNum(i.rows),
        fmtNum(i.rejected),
        esc(
          Object.entries(i.columns)
            .map(([k, v]) => (k === v ? k : `${k} ← ${v}`))
            .join(', '),
        ),
      ]),
      [2, 3],
    ),
  );
  h.push('</section>');
  h.push(`<footer>Generated by redflag ${esc(report.tool.version)}, JSON report schema version ${report.schemaVersion}. The same inputs and configuration give the same report.</footer>`);
  h.push('</main></body></html>', '');
  return h.join('\n');
};
