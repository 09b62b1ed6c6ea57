/**
 * The detector pages: docs/detectors/<id>.md for every registered detector, docs/detectors/README.md
 * indexing them and the README's detector table linking them, generated from the one source of truth — the detector's definition (src/detectors/<id>.ts:
 * title, family, explain text, parameters, needs, sources) and its fixture cases
 * (test/fixtures/<id>/cases.json). The example is the detector's first `flag` case, read by the real loader
 * and run through the real pipeline as `redflag analyze --detectors <id>` runs it; the skip reason under
 * "Needs" is its `missing` case's, as the report gives it.
 *
 * `npm run docs` writes the pages (scripts/docs.ts); test/scripts/detector-docs.test.ts fails when one is
 * out of date. Nothing here reads the clock or writes an absolute path, so a re-run gives the same bytes.
 *
 * Texts of the definitions (definition, formula, descriptions) are markdown as written (their backticks
 * name parameters); values from the data (fixture cells, finding titles, names) are escaped.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { DetectorSummary, Report } from '../src/analyze.js';
import { detectorsMarkdown, paramRange, whyText } from '../src/cli/detectors-command.js';
import { detectorInitLines } from '../src/config/config.js';
import { DETECTORS } from '../src/detectors/index.js';
import { FAMILY_TITLES, type Detector, type ParamSpec } from '../src/detectors/types.js';
import { CsvParser } from '../src/io/csv.js';
import { sniffDialect } from '../src/io/sniff.js';
import { entityLabel, fmtNum, mdEsc } from '../src/report/charts.js';
import { cutoffsText, notApplicableText } from '../src/report/markdown.js';
import type { Finding } from '../src/scoring/rank.js';
import { caseFiles, caseSpecs, casesOf, CASE_TABLES, ROOT, type Case } from '../test/helpers/cases.js';
import { runOn } from '../test/helpers/run.js';

/** Where the pages go, relative to the repository root. */
export const DOCS_DIR = 'docs/detectors';

/** Fixture rows shown in an example: enough to see the pattern, few enough to read. */
const MAX_ROWS = 12;
/** A nested evidence list or object is written on one line when it fits in this many characters. */
const JSON_LINE = 130;

/** Every page, keyed by its path relative to the repository root: in registry order, the index, the README. */
export async function detectorDocs(registry: readonly Detector[] = DETECTORS): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  for (const d of registry) {
    const page = await detectorPage(d);
    // a fixture path or an evidence value that leaked the checkout's location would differ on every machine
    if (page.includes(ROOT)) throw new Error(`the page of ${d.id} holds the absolute path ${ROOT}`);
    pages.set(`${DOCS_DIR}/${d.id}.md`, page);
  }
  pages.set(`${DOCS_DIR}/README.md`, indexPage(registry));
  pages.set('README.md', readmeWithTable(readFileSync(join(ROOT, 'README.md'), 'utf8')));
  return pages;
}

const TABLE_START = '<!-- detectors:start (generated: npm run docs) -->';
const TABLE_END = '<!-- detectors:end -->';

/** The README with its detector table (between the markers) as the catalogue, each id linked to its page. */
export function readmeWithTable(readme: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md: no detector table between ${TABLE_START} and ${TABLE_END}`);
  const table = detectorsMarkdown((id) => `${DOCS_DIR}/${id}.md`);
  return `${readme.slice(0, start)}${TABLE_START}\n${table}${readme.slice(end)}`;
}

/**
 * The pages whose file differs from what the code generates now, is missing, or is left over from a
 * detector no longer registered (any other .md file of docs/detectors).
 */
export function outOfDate(pages: Map<string, string>, root = ROOT): string[] {
  const stale = [...pages].filter(([path, text]) => !existsSync(join(root, path)) || readFileSync(join(root, path), 'utf8') !== text).map(([path]) => path);
  return [...stale, ...leftovers(pages, root)];
}

/** Write the pages that changed and remove left-over ones; returns both lists. */
export function writeDocs(pages: Map<string, string>, root = ROOT): { written: string[]; removed: string[] } {
  mkdirSync(join(root, DOCS_DIR), { recursive: true });
  const removed = leftovers(pages, root);
  for (const path of removed) rmSync(join(root, path));
  const written = outOfDate(pages, root);
  for (const path of written) writeFileSync(join(root, path), pages.get(path)!);
  return { written, removed };
}

function leftovers(pages: Map<string, string>, root: string): string[] {
  const dir = join(root, DOCS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `${DOCS_DIR}/${f}`)
    .filter((p) => !pages.has(p))
    .sort();
}

/** A path of the repository as a link from a page of docs/detectors. */
const fromPage = (path: string) => posix.join('../..', path);
const code = (s: string) => `\`${s}\``;
/** A definition's own text in a table cell: its markdown is kept, only a pipe would end the cell. */
const cell = (s: string) => s.replace(/\|/g, '\\|');

function indexPage(registry: readonly Detector[]): string {
  const out = [
    '# Detectors',
    '',
    generatedNote('the detectors (src/detectors/) and their fixture cases (test/fixtures/<id>/cases.json)'),
    '',
    'One page per detector, each with the same sections: Methodology · Example · Why is this a red flag? · ' +
      'Known false positives · Exclusions · Based on · Output · Configuration · Needs. The example is the ' +
      "detector's first fixture case that flags, run as `redflag analyze` runs it.",
    '',
    '| id | family | title | page |',
    '|---|---|---|---|',
    ...registry.map((d) => `| ${code(d.id)} | ${d.family} | ${cell(d.title)} | [${d.id}.md](${d.id}.md) |`),
  ];
  return out.join('\n') + '\n';
}

function generatedNote(from: string): string {
  return `<!-- Generated by \`npm run docs\` from ${from}; edit those, not this file. -->`;
}

async function detectorPage(d: Detector): Promise<string> {
  const source = `src/detectors/${d.id}.ts`;
  if (!existsSync(join(ROOT, source))) throw new Error(`${d.id}: no ${source} (a detector's file is named by its id)`);
  const cases = casesOf(d.id);
  const flag = cases.find((c) => c.kind === 'flag');
  if (!flag) throw new Error(`${d.id}: no flag case in test/fixtures/${d.id}/cases.json to show as the example`);
  const report = await run(d.id, flag);
  const missing = cases.find((c) => c.kind === 'missing' && c.expect.status === 'skipped');
  const skipped = missing ? summaryOf(await run(d.id, missing), d.id) : undefined;
  const out = [
    `# ${d.title}`,
    '',
    generatedNote(`${source} and test/fixtures/${d.id}/cases.json`),
    '',
    `${code(d.id)} · family ${code(d.family)} (${FAMILY_TITLES[d.family]}) · [source](${fromPage(source)}) · [all detectors](README.md)`,
    '',
    '## Methodology',
    '',
    d.explain.definition,
    '',
    `**Formula.** ${d.explain.formula}`,
    '',
    '## Example',
    '',
    ...example(d, flag, report),
    '## Why is this a red flag?',
    '',
    whyText(d),
    '',
    '## Known false positives',
    '',
    d.explain.falsePositives,
    '',
    '## Exclusions',
    '',
    d.explain.exclusions ?? 'None beyond the needed columns and the parameters.',
    '',
    '## Based on',
    '',
    ...d.sources.map((s) => `- ${s}`),
    '',
    '## Output',
    '',
    ...output(d, report),
    '## Configuration',
    '',
    ...configuration(d, cases),
    '## Needs',
    '',
    ...needs(d, missing, skipped),
  ];
  return out.join('\n').replace(/\n+$/, '') + '\n';
}

/**
 * A case run through the loader and the pipeline. The report names each input file as it was given (in
 * evidence rows, for one); the files are given here by absolute path and named in the report relative to
 * the repository root, as `redflag analyze` names them when the page's command is run from there.
 */
async function run(id: string, c: Case): Promise<Report> {
  const report = await runOn(caseSpecs(id, c), [id], c.set);
  const root = JSON.stringify(join(ROOT, '/')).slice(1, -1);
  return JSON.parse(JSON.stringify(report).replaceAll(root, '')) as Report;
}

function summaryOf(report: Report, id: string): DetectorSummary {
  const s = report.detectors.find((x) => x.id === id);
  if (!s) throw new Error(`${id}: not in the report's detectors`);
  return s;
}

/** `redflag analyze` with a case's files, this detector only, and the case's settings. */
function command(id: string, c: Case, sets = c.set ?? []): string {
  const args = ['redflag', 'analyze'];
  for (const kind of CASE_TABLES) {
    const files = caseFiles(c).filter((f) => f.kind === kind);
    if (files.length) args.push(`--${kind}`, ...files.map((f) => `test/fixtures/${id}/${f.file}`));
  }
  args.push('--detectors', id);
  for (const s of sets) args.push('--set', shellWord(s));
  return args.join(' ');
}

/** A word as a POSIX shell reads it: quoted when it holds anything the shell would act on (`["open"]`). */
function shellWord(s: string): string {
  return /^[\w.,=/:+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function example(d: Detector, c: Case, report: Report): string[] {
  const top = report.findings[0];
  if (!top) throw new Error(`${d.id}: its flag case "${c.name}" gives no finding`);
  const summary = summaryOf(report, d.id);
  const out = [
    `The fixture case *${mdEsc(c.name)}*, run as`,
    '',
    '```sh',
    command(d.id, c),
    '```',
    '',
  ];
  const ids = new Set(top.entities.map((e) => e.id));
  for (const { file } of caseFiles(c)) out.push(...fixtureTable(`test/fixtures/${d.id}/${file}`, ids));
  const na = notApplicableText(summary);
  const by = summary.bySeverity;
  const counts = by ? ` (${by.high} high, ${by.medium} medium, ${by.low} low)` : '';
  const said = [`The detector judged ${fmtNum(summary.applied ?? 0)}${na ? ` (not judged: ${mdEsc(na)})` : ''} and reported ${plural(report.findings.length, 'finding')}${counts}.`];
  const cut = cutoffsText(summary);
  if (cut) said.push(`Cut-offs computed from the data: ${mdEsc(cut)}.`);
  for (const n of summary.notes ?? []) said.push(`Note: ${mdEsc(n)}${/[.!?]$/.test(n) ? '' : '.'}`);
  out.push(said.join(' '));
  out.push('', `The top finding: **${mdEsc(top.title)}**`, '');
  out.push(`- score ${top.score}, severity ${code(top.severity)}${top.amount != null ? `, amount ${fmtNum(top.amount)}` : ''}`);
  out.push(`- entities: ${top.entities.map((e) => `${e.type} ${mdEsc(entityLabel(e))}`).join('; ')}`);
  out.push(`- explanation: ${mdEsc(top.explanation)}`);
  out.push('- evidence:', '', '```json', prettyJson(top.evidence), '```', '');
  return out;
}

function plural(n: number, what: string): string {
  return `${fmtNum(n)} ${what}${n === 1 ? '' : 's'}`;
}

interface CsvRow {
  line: number;
  fields: string[];
}

/** A fixture CSV as the reader splits it (delimiter sniffed, quotes honoured): the header and the records. */
function readCsv(path: string): { header: string[]; rows: CsvRow[] } {
  const text = readFileSync(join(ROOT, path), 'utf8');
  const dialect = sniffDialect(text);
  const records: CsvRow[] = [];
  const parser = new CsvParser(dialect.delimiter, {
    onRecord: (fields, line) => records.push({ line, fields }),
    onError: (line, message) => {
      throw new Error(`${path}:${line}: ${message}`);
    },
  });
  parser.push(text);
  parser.end();
  if (dialect.sepLine) records.shift();
  const [header, ...rows] = records;
  return { header: header?.fields ?? [], rows };
}

/**
 * The rows of a fixture file that matter for the finding: those naming most of its entities (by id, in
 * any column), at most MAX_ROWS of them in file order; the first rows when none names one. Columns blank in
 * every row shown are left out.
 */
function fixtureTable(path: string, ids: Set<string>): string[] {
  const { header, rows } = readCsv(path);
  const hits = rows.map((r) => ({ r, n: r.fields.filter((f) => ids.has(f.trim())).length }));
  const naming = hits.filter((h) => h.n > 0);
  const shown = (naming.length ? [...naming].sort((a, b) => b.n - a.n || a.r.line - b.r.line) : hits)
    .slice(0, MAX_ROWS)
    .map((h) => h.r)
    .sort((a, b) => a.line - b.line);
  const cols = header.map((_, i) => i).filter((i) => shown.some((r) => (r.fields[i] ?? '').trim() !== ''));
  const link = `[${posix.basename(path)}](${fromPage(path)})`;
  const what =
    shown.length === rows.length
      ? `all ${plural(rows.length, 'row')}`
      : !naming.length
        ? `the first ${shown.length} of its ${plural(rows.length, 'row')} (none names an entity of the top finding)`
        : naming.length === shown.length
          ? `the ${shown.length === 1 ? 'one' : shown.length} of its ${plural(rows.length, 'row')} that name${shown.length === 1 ? 's' : ''} an entity of the top finding`
          : `${shown.length} of its ${plural(rows.length, 'row')}: of the ${fmtNum(naming.length)} that name an entity of the top finding, those that name the most (the first in the file when tied)`;
  return [
    `${link}: ${what}; *line* is the line in the file.`,
    '',
    `| line | ${cols.map((i) => code(cell(header[i].replace(/`/g, "'")))).join(' | ')} |`,
    `|---:|${cols.map(() => '---|').join('')}`,
    ...shown.map((r) => `| ${r.line} | ${cols.map((i) => mdEsc(r.fields[i] ?? '')).join(' | ')} |`),
    '',
  ];
}

/**
 * JSON with two-space indents, where a nested list or object that fits on one line is written on one, with
 * a space after each colon and comma (`{ "min_share": 0.5, "max_p": 0.01 }`).
 */
export function prettyJson(v: unknown, indent = ''): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  // one-space indents joined into one line; a line break inside a string is escaped, so none is lost
  const flat = JSON.stringify(v, null, 1).replace(/\n */g, ' ').replace(/([[{]) /g, '$1').replace(/ ([\]}])/g, '$1');
  if (indent && indent.length + flat.length <= JSON_LINE) return flat;
  const inner = indent + '  ';
  const items = Array.isArray(v)
    ? v.map((x) => inner + prettyJson(x, inner))
    : Object.entries(v as Record<string, unknown>).map(([k, x]) => `${inner}${JSON.stringify(k)}: ${prettyJson(x, inner)}`);
  if (!items.length) return flat;
  const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${items.join(',\n')}\n${indent}${close}`;
}

/** The JSON type of an evidence value, as a reader of the report meets it. */
function jsonType(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'list' : typeof v === 'object' ? 'object' : typeof v;
}

function output(d: Detector, report: Report): string[] {
  const findings: Finding[] = report.findings;
  const types: string[] = [];
  const keys = new Map<string, Set<string>>();
  for (const f of findings) {
    for (const e of f.entities) if (!types.includes(e.type)) types.push(e.type);
    for (const [k, v] of Object.entries(f.evidence)) {
      if (!keys.has(k)) keys.set(k, new Set());
      keys.get(k)!.add(jsonType(v));
    }
  }
  const summary = summaryOf(report, d.id);
  const extra = [summary.notApplicable && 'notApplicable', summary.cutoffs && 'cutoffs', summary.notes && 'notes'].filter(Boolean) as string[];
  return [
    `Each finding is one entry of the report's \`findings\` ([README, Output](${fromPage('README.md')}#output); ` +
      `[schema](${fromPage('schema/report.schema.json')})) with \`detector: "${d.id}"\`, a score, severity, title, entities, amount, ` +
      'evidence and explanation. The findings of the example name these entities:',
    '',
    ...types.map((t) => `- ${t}`),
    '',
    "and carry these evidence keys:",
    '',
    '| key | type |',
    '|---|---|',
    ...[...keys].map(([k, t]) => `| ${code(k)} | ${[...t].join(' or ')} |`),
    '',
    `The report's \`detectors\` entry for \`${d.id}\` says whether it ran and, when it did, how much it judged (\`applied\`)` +
      (extra.length ? ` and, in the example, ${extra.map(code).join(', ')}` : '') +
      '.',
    '',
  ];
}

/** What a parameter accepts, in words. */
function accepted(s: ParamSpec): string {
  const range = paramRange(s);
  const kind = typeof s.default === 'boolean' ? 'true or false' : Array.isArray(s.default) ? 'a list' : typeof s.default === 'string' ? 'text' : 'a number';
  if (!range) return kind;
  return s.integer ? `whole number, ${range}` : Array.isArray(s.default) ? `a list of ${range}` : range;
}

function configuration(d: Detector, cases: Case[]): string[] {
  const params = Object.entries(d.params);
  const out: string[] = [];
  if (params.length) {
    out.push(
      '| parameter | default | accepted | description |',
      '|---|---|---|---|',
      ...params.map(([k, s]) => `| ${code(k)} | ${code(JSON.stringify(s.default))} | ${accepted(s)} | ${cell(s.description)} |`),
      '',
    );
  } else out.push('It has no parameters; it can only be switched on or off.', '');
  // the boundary case that sets this detector's parameters is a real, tested --set
  const own = (s: string) => s.startsWith(`${d.id}.`) && !s.startsWith(`${d.id}.enabled=`);
  const boundary = cases.find((c) => c.kind === 'boundary' && c.set?.length && c.set.every(own));
  if (boundary) {
    out.push(`On the command line, \`--set ${d.id}.<parameter>=<value>\` (lists as \`a,b\` or \`["a","b"]\`); the boundary case *${mdEsc(boundary.name)}* runs`, '');
    out.push('```sh', command(d.id, boundary), '```', '');
  } else if (params.length) {
    const [name, spec] = params[0];
    const set = `${d.id}.${name}=${Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default)}`;
    out.push(`On the command line, \`--set ${d.id}.<parameter>=<value>\` (lists as \`a,b\` or \`["a","b"]\`):`, '');
    out.push('```sh', `redflag analyze … --set ${shellWord(set)}`, '```', '');
  }
  out.push(`In a config file (\`redflag analyze --config redflag.jsonc …\`), as \`redflag init\` writes it with every default:`, '');
  out.push('```jsonc', '{', '  "detectors": {', ...detectorInitLines(d).map((l) => `    ${l}`), '  }', '}', '```', '');
  out.push(`\`--set ${d.id}.enabled=false\`, \`--exclude ${d.id}\` or \`"enabled": false\` switch it off.`, '');
  return out;
}

function needs(d: Detector, missing: Case | undefined, skipped: DetectorSummary | undefined): string[] {
  const out = [`Fields are written \`table.column\` with the canonical column names; [README, Inputs](${fromPage('README.md')}#inputs) lists the headers read as each.`, ''];
  if (d.needs.length) out.push('Each of these must have values:', '', ...d.needs.map((f) => `- ${code(f)}`), '');
  if (d.needsAny?.length) out.push('At least one of each group must have values:', '', ...d.needsAny.map((g) => `- ${g.map(code).join(' or ')}`), '');
  out.push(
    `When ${d.needsAny?.length ? 'a field of the first list, or every field of a group,' : 'one of them'} is absent or blank in every row, the detector does not run: the report lists it as skipped with the reason, and the other detectors run as usual.`,
  );
  if (missing && skipped)
    out.push(
      '',
      `In the fixture case *${mdEsc(missing.name)}* (${caseFiles(missing)
        .map(({ file }) => `[${file}](${fromPage(`test/fixtures/${d.id}/${file}`)})`)
        .join(', ')}) its entry in the report's \`detectors\` reads \`"status": "${skipped.status}"\`${skipped.reason ? `, \`"reason": ${JSON.stringify(skipped.reason)}\`` : ''}.`,
    );
  out.push('');
  return out;
}
