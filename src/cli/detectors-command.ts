import { DETECTORS, findDetector } from '../detectors/index.js';
import { FAMILY_TITLES, type Detector, type ParamSpec } from '../detectors/types.js';
import { UsageError } from '../io/errors.js';
import { BoxTable } from '../report/box.js';
import { EXIT, type Io } from './io.js';

export function detectorsJson(): unknown {
  return {
    schemaVersion: 1,
    detectors: DETECTORS.map((d) => ({
      id: d.id,
      title: d.title,
      family: d.family,
      needs: [...d.needs, ...(d.needsAny ?? []).map((g) => g.join(' | '))],
      params: Object.fromEntries(
        Object.entries(d.params).map(([k, s]) => [
          k,
          { default: s.default, min: s.min ?? null, max: s.max ?? null, description: s.description, ...(s.values ? { values: s.values } : {}) },
        ]),
      ),
    })),
  };
}

/** The fields a detector needs, alternatives joined by `|`: "bids.buyer_id, bids.award_amount | bids.is_winner". */
export function needsText(d: Detector): string {
  return [...d.needs, ...(d.needsAny ?? []).map((g) => g.join(' | '))].join(', ');
}

/** What values a parameter accepts: "range 0 … 1", "values: open, restricted", or "" when anything of its type goes. */
export function paramRange(s: ParamSpec): string {
  return s.min !== undefined || s.max !== undefined ? `range ${s.min ?? '−∞'} … ${s.max ?? '∞'}` : s.values ? `values: ${s.values.join(', ')}` : '';
}

/** "Why is this a red flag?": the one-line rationale, then the longer reason. */
export function whyText(d: Detector): string {
  return `${d.rationale} ${d.explain.why}`;
}

/**
 * The detector catalogue as a markdown table. `link` (id → path of the detector's page) makes each id a
 * link: the README's detector section is this table linked to docs/detectors/ (`npm run docs`).
 */
export function detectorsMarkdown(link?: (id: string) => string): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const lines = ['| id | family | what it flags | needs | parameters (default) |', '|---|---|---|---|---|'];
  for (const d of DETECTORS)
    lines.push(
      `| ${link ? `[\`${d.id}\`](${link(d.id)})` : `\`${d.id}\``} | ${d.family} | ${esc(d.title)}. ${esc(d.rationale)} | ${esc(needsText(d))} | ${Object.entries(d.params)
        .map(([k, s]) => `${k}=${esc(JSON.stringify(s.default))}`)
        .join('<br>')} |`,
    );
  return lines.join('\n') + '\n';
}

/** Terminal width below which `redflag detectors` draws two columns instead of five. */
const NARROW_FROM = 140;

export function runDetectors(opts: { format: 'table' | 'json' | 'markdown' }, io: Io): number {
  if (opts.format === 'markdown') {
    io.stdout.write(detectorsMarkdown());
    return EXIT.ok;
  }
  if (opts.format === 'json') {
    io.stdout.write(JSON.stringify(detectorsJson(), null, 2) + '\n');
    return EXIT.ok;
  }
  const columns = io.stdout.columns ?? 140;
  const params = (d: Detector) =>
    Object.entries(d.params)
      .map(([k, s]) => `${k}=${JSON.stringify(s.default)}`)
      .join('\n');
  if (columns < NARROW_FROM) {
    // five columns need 140; a narrower terminal wrapped every line: two columns, the rest stacked
    const width = Math.max(60, columns);
    const t = new BoxTable({ head: ['id', 'title · needs · parameters (default)'], colWidths: [30, width - 30 - 3] });
    for (const d of DETECTORS) t.push([`${d.id}\n${d.family}`, [{ text: d.title }, { text: `needs ${needsText(d)}` }, ...(Object.keys(d.params).length ? [{ text: params(d) }] : [])]]);
    io.stdout.write(t.toString() + '\n');
  } else {
    const width = Math.min(columns, 200);
    const t = new BoxTable({
      head: ['id', 'family', 'title', 'needs', 'parameters (default)'],
      colWidths: [30, 14, 32, 34, Math.max(24, width - 30 - 14 - 32 - 34 - 6)],
    });
    for (const d of DETECTORS) t.push([d.id, d.family, d.title, needsText(d), params(d)]);
    io.stdout.write(t.toString() + '\n');
  }
  io.stdout.write(`${DETECTORS.length} detectors. \`redflag explain ID\` tells what one measures and why.\n`);
  return EXIT.ok;
}

export function explainText(d: Detector): string {
  const lines: string[] = [];
  lines.push(`${d.id} — ${d.title}`);
  lines.push(`Family: ${FAMILY_TITLES[d.family]}`);
  lines.push('');
  lines.push('Definition');
  lines.push(`  ${d.explain.definition}`);
  lines.push('');
  lines.push('Formula');
  lines.push(`  ${d.explain.formula}`);
  lines.push('');
  lines.push('Parameters');
  const params = Object.entries(d.params);
  if (!params.length) lines.push('  (none)');
  for (const [k, s] of params) {
    const range = paramRange(s);
    lines.push(`  ${k} = ${JSON.stringify(s.default)}${range ? `, ${range}` : ''}`);
    lines.push(`      ${s.description}`);
  }
  lines.push(`  Set with --set ${d.id}.<param>=<value> or in the config file (redflag init).`);
  lines.push('');
  lines.push('Needs');
  lines.push(`  ${needsText(d)} (skipped, with the reason, when absent)`);
  lines.push('');
  lines.push('Why is this a red flag?');
  lines.push(`  ${whyText(d)}`);
  lines.push('');
  lines.push('Known false positives');
  lines.push(`  ${d.explain.falsePositives}`);
  if (d.explain.exclusions) {
    lines.push('');
    lines.push('Exclusions');
    lines.push(`  ${d.explain.exclusions}`);
  }
  lines.push('');
  lines.push('Based on');
  for (const s of d.sources) lines.push(`  - ${s}`);
  return lines.join('\n') + '\n';
}

export function runExplain(id: string, io: Io): number {
  const d = findDetector(id);
  if (!d) throw new UsageError(`unknown detector "${id}"; \`redflag detectors\` lists them`);
  io.stdout.write(explainText(d));
  return EXIT.ok;
}
