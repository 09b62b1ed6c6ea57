/**
 * The analyst's view: ranked findings with the numbers and a one-line explanation, then the entity ranking,
 * then what every detector did (including those skipped, and why).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { Report } from '../analyze.js';
import type { Entity } from '../detectors/types.js';
import type { Finding } from '../scoring/rank.js';
import { fmtAmount } from '../detectors/util.js';
import { BoxTable, type Para } from './box.js';
import { cutNotes, discountNote } from './markdown.js';
import type { Renderer } from './types.js';

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

export const renderTable: Renderer = (report, opts) => {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const width = Math.max(80, Math.min(opts.width, 200));
  const out: string[] = [];
  const s = report.summary;
  const rows = report.inputs.reduce((n, i) => n + i.rows, 0);
  const rejected = report.inputs.reduce((n, i) => n + i.rejected, 0);
  out.push(
    c.bold(`redflag ${report.tool.version}`) +
      ` — ${report.inputs.length} input file${report.inputs.length === 1 ? '' : 's'}, ${rows.toLocaleString('en-US')} row${rows === 1 ? '' : 's'}` +
      (rejected ? `, ${rejected} rejected` : '') +
      ` — ${s.findings} finding${s.findings === 1 ? '' : 's'}: ` +
      `${c.red(`${s.bySeverity.high} high`)}, ${c.yellow(`${s.bySeverity.medium} medium`)}, ${s.bySeverity.low} low` +
      (s.shown !== undefined && s.shown !== s.findings ? ` (showing ${s.shown})` : ''),
  );
  out.push('');

  if (report.findings.length) {
    const fixed = 5 + 7 + 8 + 29 + 22 + 17 + 8;
    const explW = Math.max(36, width - fixed);
    const t = new BoxTable({
      head: ['#', 'score', 'sev', 'detector', 'entities', 'amount', 'finding'],
      colWidths: [5, 7, 8, 29, 22, 17, explW],
      ...boxStyle(c, opts.color),
    });
    report.findings.forEach((f, i) => {
      t.push([
        String(i + 1),
        f.score.toFixed(2),
        severityText(c, f.severity),
        f.detector,
        entitiesCell(f),
        { align: 'right', content: f.amount == null ? '' : fmtAmount(f.amount) },
        [{ text: f.title, style: c.bold }, { text: clip(f.explanation) }],
      ]);
    });
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
    out.push(c.bold('Highest-risk entities') + c.dim(` (risk = 1 − Π(1 − best score per detector))${discountNote(report)}`));
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
    const notes: string[] = [];
    if (d.reason) notes.push(d.reason);
    if (d.notApplicable) notes.push('not judged: ' + Object.entries(d.notApplicable).map(([k, v]) => `${v} ${k}`).join(', '));
    const noteParas: Para[] = notes.length ? [{ text: notes.join('; ') }] : [];
    if (d.flagShareWarning) noteParas.push({ text: d.flagShareWarning, style: c.yellow });
    const f = d.bySeverity ? `${d.findings} (${d.bySeverity.high}h ${d.bySeverity.medium}m ${d.bySeverity.low}l)` : '';
    t.push([d.id, status, d.applied === undefined ? '' : String(d.applied), f, noteParas]);
  }
  out.push(t.toString());
  return out.join('\n') + '\n';
};
