import type { TextRenderer } from './types.js';
import type { Entity } from '../detectors/types.js';

/**
 * One finding per row, entities flattened by type. Text cells that a spreadsheet would run as a formula
 * (starting with = + - @, or a tab/CR) are prefixed with an apostrophe.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = typeof v === 'string' ? v : JSON.stringify(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const label = (e: Entity) => (e.lot ? `${e.id}#${e.lot}` : e.id);
const ofType = (es: Entity[], t: Entity['type']) => es.filter((e) => e.type === t).map(label).join('; ');

export const renderCsv: TextRenderer = (report) => {
  const header = ['rank', 'id', 'detector', 'severity', 'score', 'amount', 'title', 'tenders', 'companies', 'buyers', 'groups', 'invoices', 'explanation', 'evidence'];
  const lines = [header.join(',')];
  report.findings.forEach((f, i) => {
    lines.push(
      [
        i + 1,
        f.id,
        f.detector,
        f.severity,
        f.score,
        f.amount,
        f.title,
        ofType(f.entities, 'tender'),
        ofType(f.entities, 'company'),
        ofType(f.entities, 'buyer'),
        ofType(f.entities, 'group'),
        ofType(f.entities, 'invoice'),
        f.explanation,
        f.evidence,
      ]
        .map(csvCell)
        .join(','),
    );
  });
  return lines.join('\r\n') + '\r\n';
};
