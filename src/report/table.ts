/**
 * The analyst's view: ranked findings with the numbers and a one-line explanation, then the entity ranking,
 * then what every detector did (including those skipped, and why).
 */
import { Chalk, type ChalkInstance } from 'chalk';
import type { DetectorSummary, Report } from '../analyze.js';
import type { Entity } from '../detectors/types.js';
import type { EntityRisk, Finding } from '../scoring/rank.js';
import { fmtAmount } from '../util/format.js';
import { BoxTable, type Para } from './box.js';
import { entityId } from './charts.js';
import { alsoLine, foldRelated } from './fold.js';
import { cutNotes, discountNote } from './markdown.js';
import type { TextRenderer } from './types.js';

const ENTITY_LIMIT = 3;

const SHORT: Record<Entity['type'], string> = { tender: 'tender', company: 'firm', buyer: 'buyer', invoice: 'invoice', group: 'group' };

function entityText(e: Entity): string {
  return `${SHORT[e.type]} ${entityId(e)}`;
}

/** A finding's first entities and how many more: a cell's lines (wide) or one line (narrow). */
function entityLines(f: Finding): string[] {
  const shown = f.entities.slice(0, ENTITY_LIMIT).map(entityText);
  if (f.entities.length > ENTITY_LIMIT) shown.push(`+${f.entities.length - ENTITY_LIMIT} more`);
  return shown;
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

/**
 * Below this terminal width the seven-column findings table (and the five-column entity and detector
 * tables) cannot fit: every line wrapped in the terminal and the boxes fell apart on an 80-column window.
 * Narrower terminals get the same content in three columns, the detector, entities and explanation
 * stacked in the finding's cell.
 */
export const WIDE_TABLE = 132;
/** The narrowest layout drawn; a terminal narrower than this wraps it. */
const MIN_WIDTH = 60;

/** A row of the findings table: its rank, and the line naming the later findings of its evidence shown under it. */
interface Row {
  f: Finding;
  rank: number;
  also?: string;
}

/** The tables of one layout; the text around them is the same in both. */
interface Layout {
  findings(rows: Row[]): string;
  entities(top: EntityRisk[]): string;
  detectors(): string;
}

/** entities in the ranking shown */
const TOP_ENTITIES = 10;

export const renderTable: TextRenderer = (report, opts) => {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const layout = opts.width < WIDE_TABLE ? narrow(report, c, Math.max(MIN_WIDTH, opts.width)) : wide(report, c, Math.max(80, Math.min(opts.width, 200)));
  const out: string[] = [headlineText(report, c), ''];
  if (report.findings.length) {
    const { rows, also } = foldRelated(report.findings, opts.sameEvidence);
    const shown = rows.map((i): Row => {
      const later = also.get(i);
      return { f: report.findings[i], rank: i + 1, also: later && alsoLine(report.findings, later) };
    });
    out.push(layout.findings(shown), '');
  } else out.push(report.summary.findings ? 'No findings to show.' : 'No findings.', '');
  // say why findings were left out (--new-since, --min-severity, --top), as the markdown and HTML reports do
  const cut = cutNotes(report);
  if (cut.length) out.push(...cut.map((n) => c.dim(n)), '');
  const top = report.entities.slice(0, TOP_ENTITIES);
  if (top.length) {
    out.push(c.bold('Highest-risk entities') + c.dim(` (risk = 1 − Π(1 − best score per detector); a firm's or buyer's unrelated affairs count as the worst of them)${discountNote(report) ? `.${discountNote(report)}` : ''}`));
    out.push(layout.entities(top), '');
  }
  out.push(c.bold('Detectors'), layout.detectors());
  return out.join('\n') + '\n';
};

/** Boxed tables with cyan heads and grey borders when colour is on. */
function boxes(c: ChalkInstance) {
  const style = c.level ? { headStyle: c.cyan, borderStyle: c.grey } : {};
  return (head: string[], colWidths: number[]) => new BoxTable({ head, colWidths, ...style });
}

function statusPara(d: DetectorSummary, c: ChalkInstance): Para {
  return { text: d.status, style: d.status === 'ran' ? c.green : d.status === 'skipped' ? c.dim : c.red };
}

/** Seven columns of findings, five of entities and of detectors. */
function wide(report: Report, c: ChalkInstance, width: number): Layout {
  const box = boxes(c);
  return {
    findings(rows) {
      const fixed = 5 + 7 + 8 + 29 + 22 + 17 + 8;
      const t = box(['#', 'score', 'sev', 'detector', 'entities', 'amount', 'finding'], [5, 7, 8, 29, 22, 17, Math.max(36, width - fixed)]);
      for (const { f, rank, also } of rows)
        t.push([
          String(rank),
          f.score.toFixed(2),
          severityText(c, f.severity),
          f.detector,
          entityLines(f).join('\n'),
          { align: 'right', content: f.amount == null ? '' : fmtAmount(f.amount) },
          [{ text: f.title, style: c.bold }, { text: clip(f.explanation) }, ...(also ? [{ text: also, style: c.dim }] : [])],
        ]);
      return t.toString();
    },
    entities(top) {
      const t = box(['risk', 'type', 'id', 'name', 'detectors'], [7, 9, 20, 34, Math.max(20, width - 7 - 9 - 20 - 34 - 6)]);
      for (const e of top) t.push([e.risk.toFixed(2), e.type, entityId(e), e.name ?? '', `${e.detectors.length}: ${e.detectors.join(', ')}`]);
      return t.toString();
    },
    detectors() {
      const t = box(['detector', 'status', 'judged', 'findings', 'notes'], [30, 9, 9, 16, Math.max(30, width - 30 - 9 - 9 - 16 - 6)]);
      for (const d of report.detectors) t.push([d.id, [statusPara(d, c)], d.applied === undefined ? '' : String(d.applied), findingsText(d), detectorNotes(d, c)]);
      return t.toString();
    },
  };
}

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

/** "7 (6 high, 1 medium)", "0": the severities a detector's findings have, in words. */
function findingsText(d: DetectorSummary): string {
  if (!d.bySeverity) return '';
  const parts = (['high', 'medium', 'low'] as const).filter((k) => d.bySeverity![k] > 0).map((k) => `${d.bySeverity![k]} ${k}`);
  return parts.length ? `${d.findings} (${parts.join(', ')})` : String(d.findings);
}

function detectorNotes(d: DetectorSummary, c: ChalkInstance): Para[] {
  const notes: string[] = [];
  if (d.reason) notes.push(d.reason);
  if (d.notApplicable) notes.push('not judged: ' + Object.entries(d.notApplicable).map(([k, v]) => `${v} ${k}`).join(', '));
  const paras: Para[] = notes.length ? [{ text: notes.join('; ') }] : [];
  if (d.flagShareWarning) paras.push({ text: d.flagShareWarning, style: c.yellow });
  return paras;
}

/**
 * Three columns per table, for terminals narrower than WIDE_TABLE: a finding's detector, amount, entities
 * and explanation stacked in its cell, an entity's name under its id, a detector's coverage under its status.
 */
function narrow(report: Report, c: ChalkInstance, width: number): Layout {
  const box = boxes(c);
  const rest = (...used: number[]) => width - used.reduce((a, b) => a + b, 0) - (used.length + 2);
  return {
    findings(rows) {
      const t = box(['#', 'score', 'finding'], [5, 10, rest(5, 10)]);
      for (const { f, rank, also } of rows)
        t.push([
          String(rank),
          [{ text: f.score.toFixed(2) }, ...severityText(c, f.severity)],
          [
            { text: f.title, style: c.bold },
            { text: f.detector + (f.amount == null ? '' : ` · ${fmtAmount(f.amount)}`), style: c.dim },
            { text: entityLines(f).join(' · ') },
            { text: clip(f.explanation) },
            ...(also ? [{ text: also, style: c.dim }] : []),
          ],
        ]);
      return t.toString();
    },
    entities(top) {
      const entityW = Math.floor(rest(7) / 2);
      const t = box(['risk', 'entity', 'detectors'], [7, entityW, rest(7, entityW)]);
      for (const e of top)
        t.push([
          e.risk.toFixed(2),
          [{ text: `${e.type} ${entityId(e)}` }, ...(e.name ? [{ text: e.name, style: c.dim }] : [])],
          `${e.detectors.length}: ${e.detectors.join(', ')}`,
        ]);
      return t.toString();
    },
    detectors() {
      const t = box(['detector', 'status', 'notes'], [30, 16, rest(30, 16)]);
      for (const d of report.detectors) {
        const status: Para[] = [statusPara(d, c)];
        if (d.applied !== undefined) status.push({ text: `${d.applied} judged` });
        if (d.bySeverity) status.push({ text: findingsText(d) });
        t.push([d.id, status, detectorNotes(d, c)]);
      }
      return t.toString();
    },
  };
}
