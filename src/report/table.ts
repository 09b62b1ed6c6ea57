/**
 * The analyst's view: ranked findings with the numbers and a one-line explanation, then the entity ranking,
 * then what every detector did (including those skipped, and why).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { DetectorSummary, Report } from '../analyze.js';
import type { Entity } from '../detectors/types.js';
import type { Finding } from '../scoring/rank.js';
import { fmtAmount } from '../util/format.js';
import { BoxTable, type Para } from './box.js';
import { alsoLine, foldRelated } from './fold.js';
import { cutNotes, discountNote } from './markdown.js';
import type { TextRenderer } from './types.js';

const ENTITY_LIMIT = 3;

const SHORT: Record<Entity['type'], string> = { tender: 'tender', company: 'firm', buyer: 'buyer', invoice: 'invoice', group: 'group' };

function entityText(e: Entity): string {
  return `${SHORT[e.type]} ${e.lot ? `${e.id} lot ${e.lot}` : e.id}`;
}

function entitiesCell(f: Finding): string {
  const shown = f.entities.slice(0, ENTITY_LIMIT).map(entityText);
  if (f.entities.length > ENTITY_LIMIT) shown.push(`+${f.entities.length - ENTITY_LIMIT} more`);
  return shown.join('\n');
}

/** The table shows the first sentence-sized part of an explanation; JSON, CSV and the reports keep it whole. */
const EXPLANATION_CHARS = 220;

export function clip(s: string, n = EXPLANATION_CHARS): string {
  if (s.length <= n) return s;
  const cut = s.lastIndexOf(' ', n - 1);
  return `${s.slice(0, cut > n / 2 ? cut : n - 1)}…`;
}

function severityText(c: ChalkInstance, s: Finding['severity']): Para[] {
  return [{ text: s, style: s === 'high' ? c.red.bold : s === 'medium' ? c.yellow : c.dim }];
}

function boxStyle(c: ChalkInstance, color: boolean) {
  return color ? { headStyle: c.cyan, borderStyle: c.grey } : {};
}

/**
 * Below this terminal width the seven-column findings table (and the five-column entity and detector
 * tables) cannot fit: every line wrapped in the terminal and the boxes fell apart on an 80-column window.
 * Narrower terminals get the same content in three columns, the detector, entities and explanation
 * stacked in the finding's cell.
 */
export const WIDE_TABLE = 132;
/** The narrowest layout drawn; a terminal narrower than this wraps it. */
const MIN_WIDTH = 60;

export const renderTable: TextRenderer = (report, opts) => {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  if (opts.width < WIDE_TABLE) return renderNarrow(report, c, Math.max(MIN_WIDTH, opts.width), opts.sameEvidence);
  const width = Math.max(80, Math.min(opts.width, 200));
  const out: string[] = [];
  const s = report.summary;
  out.push(headlineText(report, c));
  out.push('');

  if (report.findings.length) {
    const fixed = 5 + 7 + 8 + 29 + 22 + 17 + 8;
    const explW = Math.max(36, width - fixed);
    const t = new BoxTable({
      head: ['#', 'score', 'sev', 'detector', 'entities', 'amount', 'finding'],
      colWidths: [5, 7, 8, 29, 22, 17, explW],
      ...boxStyle(c, opts.color),
    });
    const { rows, also } = foldRelated(report.findings, opts.sameEvidence);
    for (const i of rows) {
      const f = report.findings[i];
      const folded = also.get(i);
      t.push([
        String(i + 1),
        f.score.toFixed(2),
        severityText(c, f.severity),
        f.detector,
        entitiesCell(f),
        { align: 'right', content: f.amount == null ? '' : fmtAmount(f.amount) },
        [{ text: f.title, style: c.bold }, { text: clip(f.explanation) }, ...(folded ? [{ text: alsoLine(report.findings, folded), style: c.dim }] : [])],
      ]);
    }
    out.push(t.toString());
    out.push('');
  } else {
    out.push(s.findings ? 'No findings to show.' : 'No findings.');
    out.push('');
  }
  // say why findings were left out (--new-since, --min-severity, --top), as the markdown and HTML reports do
  const cut = cutNotes(report);
  if (cut.length) out.push(...cut.map((n) => c.dim(n)), '');

  const top = report.entities.slice(0, 10);
  if (top.length) {
    out.push(c.bold('Highest-risk entities') + c.dim(` (risk = 1 − Π(1 − best score per detector); a firm's or buyer's unrelated affairs count as the worst of them)${discountNote(report)}`));
    const t = new BoxTable({
      head: ['risk', 'type', 'id', 'name', 'detectors'],
      colWidths: [7, 9, 20, 34, Math.max(20, Math.min(width, 200) - 7 - 9 - 20 - 34 - 6)],
      ...boxStyle(c, opts.color),
    });
    for (const e of top)
      t.push([e.risk.toFixed(2), e.type, e.lot ? `${e.id} lot ${e.lot}` : e.id, e.name ?? '', `${e.detectors.length}: ${e.detectors.join(', ')}`]);
    out.push(t.toString());
    out.push('');
  }

  out.push(c.bold('Detectors'));
  const t = new BoxTable({
    head: ['detector', 'status', 'judged', 'findings', 'notes'],
    colWidths: [30, 9, 9, 16, Math.max(30, Math.min(width, 200) - 30 - 9 - 9 - 16 - 6)],
    ...boxStyle(c, opts.color),
  });
  for (const d of report.detectors) {
    const status: Para[] = [{ text: d.status, style: d.status === 'ran' ? c.green : d.status === 'skipped' ? c.dim : c.red }];
    t.push([d.id, status, d.applied === undefined ? '' : String(d.applied), findingsText(d), detectorNotes(d, c)]);
  }
  out.push(t.toString());
  return out.join('\n') + '\n';
};

function headlineText(report: Report, c: ChalkInstance): string {
  const s = report.summary;
  const rows = report.inputs.reduce((n, i) => n + i.rows, 0);
  const rejected = report.inputs.reduce((n, i) => n + i.rejected, 0);
  return (
    c.bold(`redflag ${report.tool.version}`) +
    ` — ${report.inputs.length} input file${report.inputs.length === 1 ? '' : 's'}, ${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'}` +
    (rejected ? `, ${rejected} rejected` : '') +
    ` — ${s.findings} finding${s.findings === 1 ? '' : 's'}: ` +
    `${c.red(`${s.bySeverity.high} high`)}, ${c.yellow(`${s.bySeverity.medium} medium`)}, ${s.bySeverity.low} low` +
    (s.shown !== undefined && s.shown !== s.findings ? ` (showing ${s.shown})` : '')
  );
}

function findingsText(d: DetectorSummary): string {
  return d.bySeverity ? `${d.findings} (${d.bySeverity.high}h ${d.bySeverity.medium}m ${d.bySeverity.low}l)` : '';
}

function detectorNotes(d: DetectorSummary, c: ChalkInstance): Para[] {
  const notes: string[] = [];
  if (d.reason) notes.push(d.reason);
  if (d.notApplicable) notes.push('not judged: ' + Object.entries(d.notApplicable).map(([k, v]) => `${v} ${k}`).join(', '));
  const paras: Para[] = notes.length ? [{ text: notes.join('; ') }] : [];
  if (d.flagShareWarning) paras.push({ text: d.flagShareWarning, style: c.yellow });
  return paras;
}

/** The same report in three columns per table, for terminals narrower than WIDE_TABLE. */
function renderNarrow(report: Report, c: ChalkInstance, width: number, sameEvidence: ReadonlyMap<string, string> | undefined): string {
  const out: string[] = [headlineText(report, c), ''];
  const box = (head: string[], colWidths: number[]) => new BoxTable({ head, colWidths, ...boxStyle(c, !!c.level) });
  const rest = (...used: number[]) => width - used.reduce((a, b) => a + b, 0) - (used.length + 2);

  if (report.findings.length) {
    const t = box(['#', 'score', 'finding'], [5, 10, rest(5, 10)]);
    const { rows, also } = foldRelated(report.findings, sameEvidence);
    for (const i of rows) {
      const f = report.findings[i];
      const folded = also.get(i);
      const entities = f.entities.slice(0, ENTITY_LIMIT).map(entityText);
      if (f.entities.length > ENTITY_LIMIT) entities.push(`+${f.entities.length - ENTITY_LIMIT} more`);
      t.push([
        String(i + 1),
        [{ text: f.score.toFixed(2) }, ...severityText(c, f.severity)],
        [
          { text: f.title, style: c.bold },
          { text: f.detector + (f.amount == null ? '' : ` · ${fmtAmount(f.amount)}`), style: c.dim },
          { text: entities.join(' · ') },
          { text: clip(f.explanation) },
          ...(folded ? [{ text: alsoLine(report.findings, folded), style: c.dim }] : []),
        ],
      ]);
    }
    out.push(t.toString(), '');
  } else out.push(report.summary.findings ? 'No findings to show.' : 'No findings.', '');
  const cut = cutNotes(report);
  if (cut.length) out.push(...cut.map((n) => c.dim(n)), '');

  const top = report.entities.slice(0, 10);
  if (top.length) {
    out.push(c.bold('Highest-risk entities') + c.dim(` (risk = 1 − Π(1 − best score per detector); a firm's or buyer's unrelated affairs count as the worst of them)${discountNote(report)}`));
    const entityW = Math.floor(rest(7) / 2);
    const t = box(['risk', 'entity', 'detectors'], [7, entityW, rest(7, entityW)]);
    for (const e of top)
      t.push([
        e.risk.toFixed(2),
        [{ text: `${e.type} ${e.lot ? `${e.id} lot ${e.lot}` : e.id}` }, ...(e.name ? [{ text: e.name, style: c.dim }] : [])],
        `${e.detectors.length}: ${e.detectors.join(', ')}`,
      ]);
    out.push(t.toString(), '');
  }

  out.push(c.bold('Detectors'));
  const t = box(['detector', 'status', 'notes'], [30, 16, rest(30, 16)]);
  for (const d of report.detectors) {
    const status: Para[] = [{ text: d.status, style: d.status === 'ran' ? c.green : d.status === 'skipped' ? c.dim : c.red }];
    if (d.applied !== undefined) status.push({ text: `${d.applied} judged` });
    if (d.bySeverity) status.push({ text: findingsText(d) });
    t.push([d.id, status, detectorNotes(d, c)]);
  }
  out.push(t.toString());
  return out.join('\n') + '\n';
}
