/**
 * The report for people, as GitHub-flavoured markdown (a pull-request comment, a wiki page, an issue):
 * summary, the top findings with their evidence, entity risk (firms, buyers, groups), what every detector
 * covered, and charts drawn as unicode text bars (GitHub shows no inline SVG).
 *
 * Every value from the data goes through `mdEsc` (or sits in a fenced block), so a company called
 * `<script>…` or `=cmd|…` is shown as text and cannot break a table.
 */
import type { DetectorSummary, Report } from '../analyze.js';
import type { EntityType } from '../detectors/types.js';
import { plural, round } from '../util/format.js';
import type { EntityRisk, Finding } from '../scoring/rank.js';
import { chartText, entityId, entityLabel, fmtNum, mdEsc, reportCharts } from './charts.js';
import { evidenceBlocks, type EvidenceBlock } from './evidence.js';
import type { TextRenderer } from './types.js';

/** Said beside the risk formula when some detectors' scores were discounted for flagging a large share. */
export function discountNote(report: Report): string {
  const w = report.detectors.filter((d) => d.riskWeight).map((d) => `${d.id} ×${round(d.riskWeight!, 2)}`);
  return w.length ? ` Detectors that flag more than max_flag_share of what they judged count for less: ${w.join(', ')}.` : '';
}

/** findings shown with their full evidence; the rest go in a compact list */
export const DETAILED = 20;
/** at most this many detailed findings per detector, so the top of the report shows every kind of problem */
export const PER_DETECTOR = 3;
/** rows of the compact list of further findings */
export const LISTED = 300;
/** rows per entity-risk table */
export const ENTITY_ROWS = 15;

export const ENTITY_SECTIONS: { type: EntityType; title: string }[] = [
  { type: 'company', title: 'Firms' },
  { type: 'buyer', title: 'Buyers' },
  { type: 'group', title: 'Groups of linked firms' },
  { type: 'tender', title: 'Tenders' },
  { type: 'invoice', title: 'Invoices' },
];



/** A headline for the report: how many findings, how many high. */
export function headline(report: Report): string {
  const s = report.summary;
  return `${plural(s.findings, 'finding')}: ${s.bySeverity.high} high, ${s.bySeverity.medium} medium, ${s.bySeverity.low} low`;
}

/** Lines saying what was left out of the list and why. */
export function cutNotes(report: Report): string[] {
  const s = report.summary;
  const out: string[] = [];
  if (s.suppressed?.previous) out.push(`${plural(s.suppressed.previous, 'finding')} already in the previous report${s.suppressed.previous === 1 ? ' is' : 's are'} not listed (--new-since).`);
  if (s.suppressed?.filtered) out.push(`${plural(s.suppressed.filtered, 'finding')} below --min-severity or beyond --top ${s.suppressed.filtered === 1 ? 'is' : 'are'} not listed.`);
  if (out.length) out.push(`The entity ranking lists the entities of the findings listed; their risk counts all ${plural(s.findings, 'finding')} of the run.`);
  return out;
}

export function notApplicableText(d: DetectorSummary): string {
  const na = Object.entries(d.notApplicable ?? {});
  if (!na.length) return '';
  return na.map(([k, n]) => `${fmtNum(n)} ${k}`).join('; ');
}

export function cutoffsText(d: DetectorSummary): string {
  return Object.entries(d.cutoffs ?? {})
    .map(([k, v]) => `${k} ${typeof v === 'number' ? fmtNum(v) : v}`)
    .join('; ');
}

/**
 * The findings shown in detail: the highest-ranked, at most PER_DETECTOR of each detector (eight tenders
 * of one ring are one story), with their rank in the whole list; the others, in rank order, go in the table.
 */
export function splitFindings(findings: Finding[]): { detailed: { f: Finding; rank: number }[]; rest: { f: Finding; rank: number }[] } {
  const per = new Map<string, number>();
  const detailed: { f: Finding; rank: number }[] = [];
  const rest: { f: Finding; rank: number }[] = [];
  findings.forEach((f, i) => {
    const n = per.get(f.detector) ?? 0;
    if (detailed.length < DETAILED && n < PER_DETECTOR) {
      per.set(f.detector, n + 1);
      detailed.push({ f, rank: i + 1 });
    } else rest.push({ f, rank: i + 1 });
  });
  return { detailed, rest };
}

/** Detectors with findings, most high findings first: what kinds of problem the data shows. */
export function byDetector(report: Report): DetectorSummary[] {
  return report.detectors
    .filter((d) => d.findings)
    .sort((a, b) => b.bySeverity!.high - a.bySeverity!.high || b.bySeverity!.medium - a.bySeverity!.medium || b.findings! - a.findings! || (a.id < b.id ? -1 : 1));
}

export function entitiesOf(report: Report, type: EntityType): EntityRisk[] {
  return report.entities.filter((e) => e.type === type);
}

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function mdTable(head: string[], rows: string[][], right: number[] = []): string[] {
  return [row(head), row(head.map((_, i) => (right.includes(i) ? '---:' : '---'))), ...rows.map(row)];
}

function entitiesMd(f: Finding): string {
  const shown = f.entities.slice(0, 6).map((e) => `${e.type} ${mdEsc(entityLabel(e))}`);
  if (f.entities.length > 6) shown.push(`+${f.entities.length - 6} more`);
  return shown.join('; ');
}

/** Evidence cells are cut shorter than the values on a line of their own, so that a table stays a table. */
const WIDTHS = { cell: 160, text: 400 };
/** a record of plain values is written on one line up to this length, else one pair a line */
const ONE_LINE = 200;

const moreMd = (n: number) => `…and ${fmtNum(n)} more (see the JSON report).`;

/**
 * One evidence value as a list item `label: …` at indentation `pad`: text after the label, a table indented
 * under it (GitHub renders a table inside a list item when it is indented to the item's text and set off by
 * blank lines), a record on one line when it is short, else as a nested list.
 */
function blockMd(label: string, b: EvidenceBlock, pad: string): string[] {
  const head = `${pad}- ${label}:`;
  const inner = `${pad}  `;
  switch (b.kind) {
    case 'text':
      return [`${head} ${mdEsc(b.text)}`];
    case 'table': {
      const right = b.numeric.flatMap((n, i) => (n ? [i] : []));
      const lines = mdTable(b.columns.map(mdEsc), b.rows.map((r) => r.map(mdEsc)), right).map((l) => inner + l);
      return [head, '', ...lines, '', ...(b.more ? [inner + moreMd(b.more), ''] : [])];
    }
    case 'pairs': {
      const flat = b.pairs.map((p) => (p.value.kind === 'text' ? `${mdEsc(p.key)}: ${mdEsc(p.value.text)}` : null));
      if (flat.every((x) => x !== null)) {
        const line = flat.join(' · ') + (b.more ? ` · …and ${fmtNum(b.more)} more` : '');
        if (line.length <= ONE_LINE) return [`${head} ${line}`];
      }
      return [head, ...b.pairs.flatMap((p) => blockMd(mdEsc(p.key), p.value, inner)), ...(b.more ? [`${inner}- ${moreMd(b.more)}`] : [])];
    }
    case 'list':
      return [head, ...b.items.flatMap((item, i) => blockMd(String(i + 1), item, inner)), ...(b.more ? [`${inner}- ${moreMd(b.more)}`] : [])];
  }
}

function findingMd(f: Finding, rank: number): string[] {
  const out = [`### ${rank}. ${mdEsc(f.title)}`, ''];
  out.push(`**${f.severity}** · score ${f.score.toFixed(2)} · \`${f.detector}\`${f.amount != null ? ` · amount ${fmtNum(f.amount)}` : ''} · id \`${f.id}\``, '');
  out.push(mdEsc(f.explanation), '');
  out.push(`Entities: ${entitiesMd(f)}`, '');
  const ev = evidenceBlocks(f.evidence, WIDTHS);
  if (ev.length) {
    out.push('Evidence:', '');
    for (const { key, value } of ev) out.push(...blockMd(`**${mdEsc(key)}**`, value, ''));
    if (out[out.length - 1] !== '') out.push('');
  }
  return out;
}

export const renderMarkdown: TextRenderer = (report, opts) => {
  const s = report.summary;
  const out: string[] = [];
  const rows = report.inputs.reduce((n, i) => n + i.rows, 0);
  const rejected = report.inputs.reduce((n, i) => n + i.rejected, 0);
  out.push(`# redflag report: ${headline(report)}`, '');
  out.push(
    `redflag ${mdEsc(report.tool.version)} read ${plural(report.inputs.length, 'file')} (${plural(rows, 'row')}${rejected ? `, ${fmtNum(rejected)} rejected` : ''}); ` +
      `${s.detectors.ran} detectors ran, ${s.detectors.skipped} skipped${s.detectors.error ? `, ${s.detectors.error} crashed` : ''}. ` +
      'Scores are on one scale: high from 0.80 (rare in honest data; open it first), medium from 0.50, low below.',
    '',
  );
  out.push('## Summary', '');
  out.push(
    ...mdTable(
      ['', 'count'],
      [
        ['findings', fmtNum(s.findings)],
        ['high', fmtNum(s.bySeverity.high)],
        ['medium', fmtNum(s.bySeverity.medium)],
        ['low', fmtNum(s.bySeverity.low)],
        ...(s.shown !== undefined ? [['listed here', fmtNum(s.shown)]] : []),
        ['entities named', fmtNum(report.entities.length)],
      ],
      [1],
    ),
    '',
  );
  for (const n of cutNotes(report)) out.push(`> ${n}`, '');
  for (const [title, type] of [['Highest-risk firms', 'company'], ['Highest-risk buyers', 'buyer']] as const) {
    const list = entitiesOf(report, type).slice(0, 5);
    if (list.length) out.push(`${title}: ${list.map((e) => `${mdEsc(entityLabel(e))}, risk ${e.risk.toFixed(2)}`).join('; ')}.`, '');
  }
  if (report.baseline) {
    const b = report.baseline;
    out.push(
      `Scored against a frozen baseline (redflag ${mdEsc(b.toolVersion)}, config ${mdEsc(b.configHash)}, history of ` +
        `${Object.entries(b.rows)
          .map(([k, n]) => `${fmtNum(n)} ${mdEsc(k)} rows`)
          .join(', ')}) for ${b.detectors.length ? b.detectors.map((d) => `\`${mdEsc(d)}\``).join(', ') : 'no detector'}.` +
        (b.forced?.length ? ` Used with --force although ${b.forced.map(mdEsc).join('; ')}.` : ''),
      '',
    );
  }
  out.push('Inputs:', '');
  out.push(...mdTable(['file', 'kind', 'rows', 'rejected'], report.inputs.map((i) => [mdEsc(i.path), i.kind, fmtNum(i.rows), fmtNum(i.rejected)]), [2, 3]), '');
  if (report.warnings.length) {
    out.push('Warnings:', '');
    for (const w of report.warnings) out.push(`- ${mdEsc(w)}`);
    out.push('');
  }

  const charts = reportCharts(report, opts.figures);
  const findingCharts = charts.filter((c) => c.finding);
  const dataCharts = charts.filter((c) => !c.finding);


  const { detailed, rest } = splitFindings(report.findings);
  out.push('## Top findings', '');
  if (!report.findings.length) out.push('No findings.', '');
  else if (rest.length) out.push(`The highest-ranked findings, at most ${PER_DETECTOR} per detector, with their evidence; the number is the rank among all ${fmtNum(report.findings.length)}.`, '');
  for (const { f, rank } of detailed) out.push(...findingMd(f, rank));
  if (rest.length) {
    out.push(`### Further findings`, '');
    out.push(
      ...mdTable(
        ['#', 'score', 'severity', 'detector', 'finding', 'entities'],
        rest.slice(0, LISTED).map(({ f, rank }) => [String(rank), f.score.toFixed(2), f.severity, `\`${f.detector}\``, mdEsc(f.title), entitiesMd(f)]),
        [0, 1],
      ),
      '',
    );
    if (rest.length > LISTED) out.push(`…and ${fmtNum(rest.length - LISTED)} more (see the JSON report).`, '');
  }
  const kinds = byDetector(report);
  if (kinds.length) {
    out.push('### Findings by detector', '', 'What kinds of problem the data shows, most high findings first.', '');
    out.push(
      ...mdTable(
        ['detector', 'what it flags', 'high', 'medium', 'low'],
        kinds.map((d) => [`\`${d.id}\``, mdEsc(d.title), String(d.bySeverity!.high), String(d.bySeverity!.medium), String(d.bySeverity!.low)]),
        [2, 3, 4],
      ),
      '',
    );
  }

  if (findingCharts.length) {
    out.push('## Pictures of the top findings', '');
    for (const c of findingCharts) out.push(`**${mdEsc(c.title)}**. ${mdEsc(c.caption)}`, '', chartText(c), '');
  }

  out.push('## Entity risk', '', `Risk = 1 − Π(1 − best score per detector): independent detectors agreeing on one entity raise it; the flags of a firm's or buyer's unrelated affairs (findings that name no tender or firm in common) count as the worst of them, not together.${discountNote(report)}`, '');
  let anyEntity = false;
  for (const sec of ENTITY_SECTIONS) {
    const list = entitiesOf(report, sec.type);
    if (!list.length) continue;
    anyEntity = true;
    out.push(`### ${sec.title}`, '');
    out.push(
      ...mdTable(
        ['risk', 'id', 'name', 'detectors', 'findings'],
        list.slice(0, ENTITY_ROWS).map((e) => [e.risk.toFixed(2), mdEsc(entityId(e)), mdEsc(e.name ?? ''), e.detectors.map((d) => `\`${d}\``).join(', '), String(e.findings)]),
        [0, 4],
      ),
      '',
    );
    if (list.length > ENTITY_ROWS) out.push(`…and ${fmtNum(list.length - ENTITY_ROWS)} more.`, '');
  }
  if (!anyEntity) out.push('No entity is named by a finding.', '');

  out.push('## The data at a glance', '');
  for (const c of dataCharts) out.push(`**${mdEsc(c.title)}**. ${mdEsc(c.caption)}`, '', chartText(c), '');

  out.push('## Detector coverage', '', 'What each detector judged, what it could not and why, so that "no findings" can be read.', '');
  out.push(
    ...mdTable(
      ['detector', 'status', 'judged', 'not judged', 'findings (high/medium/low)', 'cut-offs or reason'],
      report.detectors.map((d) => [
        `\`${d.id}\``,
        d.status,
        d.applied !== undefined ? fmtNum(d.applied) : '',
        mdEsc(notApplicableText(d)),
        d.bySeverity ? `${d.findings} (${d.bySeverity.high}/${d.bySeverity.medium}/${d.bySeverity.low})` : '',
        mdEsc(d.status === 'ran' ? cutoffsText(d) : (d.reason ?? '')),
      ]),
      [2],
    ),
    '',
  );
  out.push(`Each detector's method, thresholds, sources and known false positives: \`redflag explain <detector>\`.`, '');
  return out.join('\n');
};
