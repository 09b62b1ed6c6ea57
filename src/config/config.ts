/**
 * Effective configuration: detector defaults ← config file (JSON with comments) ← command-line flags.
 * Everything is validated against the detectors' declared parameters; an unknown detector, parameter or
 * an out-of-range value is a usage error (exit 2), never silently ignored.
 */
import { parse as parseJsonc, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { Detector, ParamSpec, ParamValue } from '../detectors/types.js';
import { UsageError } from '../io/errors.js';
import { parseUserMap, type UserMap } from '../io/headers.js';
import { DEFAULT_TABLES, validateTables, type LegalTables } from './tables.js';

export interface DetectorConfig {
  enabled: boolean;
  params: Record<string, ParamValue>;
  /** why a disabled detector does not run, as the report's detector summary says it */
  disabledBy?: string;
}

export interface Config {
  detectors: Record<string, DetectorConfig>;
  tables: LegalTables;
  columns?: UserMap;
  date_order?: 'dmy' | 'mdy' | 'ymd';
  max_reject_rate: number;
  /** warn when a detector flags more than this share of what it judged */
  max_flag_share: number;
  /** the config file that set a top-level setting (for messages that name where a limit came from) */
  setIn?: { max_reject_rate?: string; max_flag_share?: string };
}

export function defaultConfig(registry: readonly Detector[]): Config {
  const detectors: Record<string, DetectorConfig> = {};
  for (const d of registry) {
    const params: Record<string, ParamValue> = {};
    for (const [k, spec] of Object.entries(d.params)) params[k] = structuredClone(spec.default);
    detectors[d.id] = { enabled: true, params };
  }
  return { detectors, tables: structuredClone(DEFAULT_TABLES), max_reject_rate: 0.05, max_flag_share: 0.05 };
}

function byId(registry: readonly Detector[]): Map<string, Detector> {
  return new Map(registry.map((d) => [d.id, d]));
}

function unknownDetector(id: string, registry: readonly Detector[], file?: string): UsageError {
  const near = registry.map((d) => d.id).filter((x) => x.includes(id) || id.includes(x));
  return new UsageError(
    `${file ? `${file}: ` : ''}unknown detector "${id}"${near.length ? ` (did you mean ${near.join(', ')}?)` : ''}; \`redflag detectors\` lists them`,
  );
}

/** The table names a per-table column map may use. */
const MAP_TABLES = ['bids', 'tenders', 'companies', 'invoices'];

/**
 * A column map keyed by something that is not a table (`{"bid": {...}}`) is a misspelt table name, not a
 * header: say so and name the file, before the map is read as a flat one.
 */
export function checkMapTables(raw: unknown, file: string): void {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return;
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    if (v === null || typeof v !== 'object' || k === '*' || MAP_TABLES.includes(k)) continue;
    throw new UsageError(
      `${file}: "${k}" is not a table (${MAP_TABLES.join(', ')}); a column map is {"Header": "canonical"} or, per table, {"invoices": {"Header": "canonical"}}`,
    );
  }
}

/** A `--set` value as typed: a JSON list (`["open","restricted"]`) or a JSON string (`"geometric"`) is decoded. */
function setValue(where: string, spec: ParamSpec, value: string): unknown {
  const v = value.trim();
  const list = Array.isArray(spec.default);
  if ((list && v.startsWith('[')) || (typeof spec.default === 'string' || list ? /^".*"$/s.test(v) : false)) {
    try {
      const parsed: unknown = JSON.parse(v);
      return list && typeof parsed === 'string' ? [parsed] : parsed;
    } catch (e) {
      throw new UsageError(`${where}: ${JSON.stringify(value)} is not valid JSON (${(e as Error).message}); write a list as a,b or ["a","b"]`);
    }
  }
  return value;
}

/** Check one parameter value against its spec; returns the value (coerced where lossless) or throws. */
export function checkParam(detector: string, name: string, spec: ParamSpec, value: unknown): ParamValue {
  const where = `${detector}.${name}`;
  const d = spec.default;
  if (typeof d === 'number') {
    const v = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new UsageError(`${where} must be a number, got ${typeof value === 'number' ? String(value) : JSON.stringify(value)}`);
    if (spec.integer && !Number.isInteger(v)) throw new UsageError(`${where} must be a whole number, got ${v}`);
    if (spec.min !== undefined && v < spec.min) throw new UsageError(`${where} must be ≥ ${spec.min}, got ${v}`);
    if (spec.max !== undefined && v > spec.max) throw new UsageError(`${where} must be ≤ ${spec.max}, got ${v}`);
    return v;
  }
  if (typeof d === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new UsageError(`${where} must be true or false, got ${JSON.stringify(value)}`);
  }
  if (Array.isArray(d)) {
    const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'string')) throw new UsageError(`${where} must be a list of strings`);
    if (spec.values) {
      const bad = list.filter((x) => !spec.values!.includes(x));
      if (bad.length) throw new UsageError(`${where}: unknown value ${bad.map((b) => JSON.stringify(b)).join(', ')} (allowed: ${spec.values.join(', ')})`);
    }
    return list as string[];
  }
  if (typeof value !== 'string') throw new UsageError(`${where} must be a string`);
  if (spec.values && !spec.values.includes(value)) throw new UsageError(`${where} must be one of ${spec.values.join(', ')}, got "${value}"`);
  return value;
}

/** Parse a config file's text (JSON with comments) and merge it over `base`. */
export function applyConfigFile(base: Config, text: string, file: string, registry: readonly Detector[]): Config {
  // a byte-order mark (editors on Windows write one) is not part of the JSON
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const errors: ParseError[] = [];
  const raw = parseJsonc(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length) {
    const e = errors[0];
    const before = text.slice(0, e.offset).split('\n');
    throw new UsageError(`${file}:${before.length}:${before.at(-1)!.length + 1}: invalid config (${printParseErrorCode(e.error)})`);
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new UsageError(`${file}: the config must be a JSON object`);
  const cfg = structuredClone(base);
  const known = byId(registry);
  const top = raw as Record<string, unknown>;
  const allowed = new Set(['$schema', 'detectors', 'tables', 'columns', 'date_order', 'max_reject_rate', 'max_flag_share']);
  for (const k of Object.keys(top)) if (!allowed.has(k)) throw new UsageError(`${file}: unknown setting "${k}" (known: ${[...allowed].slice(1).join(', ')})`);
  if (top.detectors !== undefined) {
    if (typeof top.detectors !== 'object' || !top.detectors) throw new UsageError(`${file}: "detectors" must be an object`);
    for (const [id, entry] of Object.entries(top.detectors as Record<string, unknown>)) {
      const det = known.get(id);
      if (!det) throw unknownDetector(id, registry, file);
      if (!entry || typeof entry !== 'object') throw new UsageError(`${file}: detectors.${id} must be an object`);
      for (const [name, value] of Object.entries(entry as Record<string, unknown>)) {
        if (name === 'enabled') {
          if (typeof value !== 'boolean') throw new UsageError(`${file}: detectors.${id}.enabled must be true or false`);
          cfg.detectors[id].enabled = value;
          continue;
        }
        const spec = det.params[name];
        if (!spec) throw unknownParam(id, name, det, file);
        try {
          cfg.detectors[id].params[name] = checkParam(id, name, spec, value);
        } catch (e) {
          // name the file and the full path of the setting, as every other config error does
          throw e instanceof UsageError ? new UsageError(`${file}: detectors.${e.message}`) : e;
        }
      }
      if (!cfg.detectors[id].enabled) cfg.detectors[id].disabledBy = `disabled in the config (${file})`;
      else delete cfg.detectors[id].disabledBy;
    }
  }
  if (top.tables !== undefined) {
    const problems = validateTables(top.tables);
    if (problems.length) throw new UsageError(`${file}: ${problems[0]}`);
    cfg.tables = { ...cfg.tables, ...(top.tables as Partial<LegalTables>) };
  }
  if (top.columns !== undefined) {
    checkMapTables(top.columns, file);
    cfg.columns = parseUserMap(top.columns, file);
  }
  if (top.date_order !== undefined) {
    if (!['dmy', 'mdy', 'ymd'].includes(top.date_order as string)) throw new UsageError(`${file}: date_order must be dmy, mdy or ymd`);
    cfg.date_order = top.date_order as Config['date_order'];
  }
  for (const k of ['max_reject_rate', 'max_flag_share'] as const) {
    if (top[k] === undefined) continue;
    const v = top[k];
    if (typeof v !== 'number' || v < 0 || v > 1) throw new UsageError(`${file}: ${k} must be a number between 0 and 1`);
    cfg[k] = v;
    cfg.setIn = { ...cfg.setIn, [k]: file };
  }
  return cfg;
}

function unknownParam(id: string, name: string, det: Detector, file?: string): UsageError {
  const names = Object.keys(det.params);
  return new UsageError(`${file ? `${file}: ` : ''}unknown parameter "${name}" of detector ${id}${names.length ? ` (its parameters: ${names.join(', ')})` : ' (it has no parameters)'}`);
}

/** Apply `--set detector.param=value` assignments. */
export function applySets(base: Config, sets: string[], registry: readonly Detector[]): Config {
  const cfg = structuredClone(base);
  const known = byId(registry);
  for (const s of sets) {
    const m = /^([a-z0-9-]+)\.([a-z0-9_]+)=(.*)$/s.exec(s.trim());
    if (!m) throw new UsageError(`--set expects detector.param=value, got "${s}"`);
    const [, id, name, value] = m;
    const det = known.get(id);
    if (!det) throw unknownDetector(id, registry);
    if (name === 'enabled') {
      const on = checkParam(id, name, { default: true, description: '' }, value) as boolean;
      cfg.detectors[id].enabled = on;
      if (on) delete cfg.detectors[id].disabledBy;
      else cfg.detectors[id].disabledBy = `disabled (--set ${id}.enabled=false)`;
      continue;
    }
    const spec = det.params[name];
    if (!spec) throw unknownParam(id, name, det);
    cfg.detectors[id].params[name] = checkParam(id, name, spec, setValue(`${id}.${name}`, spec, value));
  }
  return cfg;
}

/** `--detectors a,b` keeps only those; `--exclude a,b` drops those. */
export function applySelection(base: Config, only: string[] | undefined, exclude: string[] | undefined, registry: readonly Detector[]): Config {
  const cfg = structuredClone(base);
  const known = byId(registry);
  for (const id of [...(only ?? []), ...(exclude ?? [])]) if (!known.has(id)) throw unknownDetector(id, registry);
  if (only?.length)
    for (const [id, d] of Object.entries(cfg.detectors)) {
      d.enabled = only.includes(id);
      if (d.enabled) delete d.disabledBy;
      else d.disabledBy = 'not selected (--detectors)';
    }
  if (exclude?.length)
    for (const id of exclude) {
      cfg.detectors[id].enabled = false;
      cfg.detectors[id].disabledBy = 'disabled (--exclude)';
    }
  return cfg;
}

/** A run with every detector disabled is a usage error (exit 2) that says which choice left none. */
export function checkSomeEnabled(cfg: Config, only?: string[], exclude?: string[]): void {
  if (Object.values(cfg.detectors).some((d) => d.enabled)) return;
  const why =
    only?.length && exclude?.length
      ? `--exclude ${exclude.join(',')} removes every detector chosen with --detectors ${only.join(',')}`
      : only?.length
        ? `the detectors chosen with --detectors ${only.join(',')} are all disabled`
        : exclude?.length
          ? `--exclude ${exclude.join(',')} removes every detector the config leaves enabled`
          : 'every detector is disabled (config file or --set …enabled=false)';
  throw new UsageError(`no detector left to run: ${why}`);
}

/**
 * One detector's entry of the config file as `redflag init` writes it, unindented and without a trailing
 * comma: a comment with the title and rationale, `"enabled": true` and every parameter at its default, each
 * after a comment with its description and accepted values. The detector pages show it as their example.
 */
export function detectorInitLines(d: Detector): string[] {
  const out = [`// ${d.title} (${d.family}): ${d.rationale}`, `"${d.id}": {`];
  const entries = Object.entries(d.params);
  out.push(`  "enabled": true${entries.length ? ',' : ''}`);
  entries.forEach(([name, spec], k) => {
    const range =
      spec.min !== undefined || spec.max !== undefined
        ? ` [${spec.min ?? '−∞'} … ${spec.max ?? '∞'}]`
        : spec.values
          ? ` (one or more of: ${spec.values.join(', ')})`
          : '';
    out.push(`  // ${spec.description}${range}`);
    out.push(`  "${name}": ${JSON.stringify(spec.default)}${k < entries.length - 1 ? ',' : ''}`);
  });
  out.push('}');
  return out;
}

/** The text `redflag init` writes: every setting with its default and a comment each. */
export function initText(registry: readonly Detector[]): string {
  const cfg = defaultConfig(registry);
  const out: string[] = [];
  out.push('// redflag configuration: JSON with comments. Every value below is the default;');
  out.push('// delete what you do not change. Flags override it: --set detector.param=value,');
  out.push('// --detectors a,b, --exclude a,b.');
  out.push('{');
  out.push('  // Share of a file\'s rows that may be rejected before the run stops with exit 2.');
  out.push(`  "max_reject_rate": ${cfg.max_reject_rate},`);
  out.push('  // Warn when a detector flags more than this share of what it judged.');
  out.push(`  "max_flag_share": ${cfg.max_flag_share},`);
  out.push('  // Date order for ambiguous dates such as 05/03/2024: "dmy" (Vietnamese default), "mdy" or "ymd".');
  out.push('  // Left unset, each column decides from its own values.');
  out.push('  // "date_order": "dmy",');
  out.push('  // Column map for headers the tool does not recognise: { "Header as written": "canonical" },');
  out.push('  // optionally per table: { "invoices": { "Paid Date": "issue_date" } }.');
  out.push('  "columns": {},');
  out.push('  "detectors": {');
  registry.forEach((d, i) => {
    const block = detectorInitLines(d);
    if (i < registry.length - 1) block[block.length - 1] += ',';
    out.push(...block.map((l) => `    ${l}`));
  });
  out.push('  },');
  out.push('  // Dated legal tables (Vietnam). Replace them to analyse another country\'s data.');
  const tables = JSON.stringify(cfg.tables, null, 2).split('\n');
  out.push(`  "tables": ${tables[0]}`);
  for (const l of tables.slice(1)) out.push(`  ${l}`);
  out.push('}');
  return out.join('\n') + '\n';
}
