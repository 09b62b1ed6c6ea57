/**
 * Frozen baselines: the data-relative references (percentiles, fences, base rates per segment) that the
 * detectors computed on historical data, saved with the tool version and the configuration they belong
 * to. `analyze --baseline` hands them back to the detectors so a new batch is scored against history
 * instead of against itself (one odd batch cannot hide by being its own reference).
 *
 * A baseline only means something for the detector code and parameters that produced it, so it records
 * both: a baseline from another tool version or with another configuration hash is refused unless the
 * user forces it. Pure: no file system, no clock.
 */
import { createHash } from 'node:crypto';
import type { Config } from '../config/config.js';

export const BASELINE_SCHEMA_VERSION = 1;

export interface BaselineInput {
  path: string;
  kind: string;
  rows: number;
  rejected: number;
}

export interface Baseline {
  schemaVersion: 1;
  kind: 'redflag-baseline';
  tool: { name: 'redflag'; version: string };
  /** sha1 (16 hex digits) of the canonical JSON of `config` */
  configHash: string;
  /** the effective configuration the references were computed with */
  config: BaselineConfig;
  /** detector id → the reference it returned on the history */
  references: Record<string, unknown>;
  /** sha1 (16 hex digits) of the canonical JSON of `references`: a baseline edited by hand is refused */
  referencesHash: string;
  inputs: BaselineInput[];
  /** rows per table kind, summed over files */
  rows: Record<string, number>;
}

/** The parts of the configuration that change what a detector computes. */
export interface BaselineConfig {
  detectors: Record<string, Record<string, unknown>>;
  tables: unknown;
}

/** What the report says about the baseline it was scored against. */
export interface BaselineUse {
  toolVersion: string;
  configHash: string;
  /** rows per table kind of the history */
  rows: Record<string, number>;
  /** detectors that scored against the frozen reference */
  detectors: string[];
  /** set when the baseline did not match and --force was given */
  forced?: string[];
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/**
 * The configuration a baseline depends on: every detector's parameters (enabled or not, so that running a
 * subset with --detectors still matches) and the legal tables.
 */
export function baselineConfig(config: Config): BaselineConfig {
  const detectors: BaselineConfig['detectors'] = {};
  for (const id of Object.keys(config.detectors).sort()) detectors[id] = { ...config.detectors[id].params };
  return { detectors, tables: config.tables };
}

export function configHash(config: Config | BaselineConfig): string {
  const c = 'max_reject_rate' in config ? baselineConfig(config) : config;
  return createHash('sha1').update(canonicalJson(c)).digest('hex').slice(0, 16);
}

export function referencesHash(refs: Record<string, unknown>): string {
  return createHash('sha1').update(canonicalJson(refs)).digest('hex').slice(0, 16);
}

export function makeBaseline(config: Config, version: string, references: Record<string, unknown>, inputs: BaselineInput[]): Baseline {
  const rows: Record<string, number> = {};
  for (const i of inputs) rows[i.kind] = (rows[i.kind] ?? 0) + i.rows;
  const refs: Record<string, unknown> = {};
  for (const id of Object.keys(references).sort()) refs[id] = references[id];
  const bc = baselineConfig(config);
  return {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    kind: 'redflag-baseline',
    tool: { name: 'redflag', version },
    configHash: configHash(bc),
    config: bc,
    references: refs,
    referencesHash: referencesHash(refs),
    inputs: inputs.map((i) => ({ path: i.path, kind: i.kind, rows: i.rows, rejected: i.rejected })),
    rows: Object.fromEntries(Object.entries(rows).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}

/** Check that a parsed file is a baseline; returns it or a message saying what is wrong. */
export function parseBaseline(v: unknown): Baseline | string {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return 'not a redflag baseline (expected a JSON object)';
  const b = v as Partial<Baseline>;
  if (b.kind !== 'redflag-baseline') return 'not a redflag baseline (no "kind": "redflag-baseline"; make one with `redflag baseline`)';
  if (b.schemaVersion !== BASELINE_SCHEMA_VERSION) return `baseline schema version ${String(b.schemaVersion)} is not supported (expected ${BASELINE_SCHEMA_VERSION})`;
  if (!b.tool || typeof b.tool.version !== 'string') return 'baseline has no tool version';
  if (typeof b.configHash !== 'string' || !b.config || typeof b.config !== 'object') return 'baseline has no configuration hash';
  if (!b.references || typeof b.references !== 'object' || Array.isArray(b.references)) return 'baseline has no references';
  if (typeof b.referencesHash !== 'string') return 'baseline has no references hash; make a new one with `redflag baseline`';
  if (referencesHash(b.references) !== b.referencesHash)
    return `baseline references do not match their hash (${b.referencesHash}): the file was changed after \`redflag baseline\` wrote it; make a new one`;
  return b as Baseline;
}

/**
 * Why a baseline does not fit the current run (empty when it fits): another tool version, or another
 * configuration — naming the first parameters that differ so the user can see what changed.
 */
export function baselineMismatch(b: Baseline, config: Config, version: string): string[] {
  const out: string[] = [];
  if (b.tool.version !== version) out.push(`it was made by redflag ${b.tool.version}, this is ${version}`);
  const now = baselineConfig(config);
  const hash = configHash(now);
  if (hash !== b.configHash) {
    const diffs: string[] = [];
    const ids = [...new Set([...Object.keys(now.detectors), ...Object.keys(b.config.detectors ?? {})])].sort();
    for (const id of ids) {
      const a = b.config.detectors?.[id];
      const c = now.detectors[id];
      if (!a) diffs.push(`${id} (not in the baseline)`);
      else if (!c) diffs.push(`${id} (unknown to this version)`);
      else
        for (const k of [...new Set([...Object.keys(a), ...Object.keys(c)])].sort())
          if (canonicalJson(a[k]) !== canonicalJson(c[k])) diffs.push(`${id}.${k} ${canonicalJson(a[k])} → ${canonicalJson(c[k])}`);
    }
    if (canonicalJson(b.config.tables) !== canonicalJson(now.tables)) diffs.push('the legal tables');
    const shown = diffs.slice(0, 5).join(', ') + (diffs.length > 5 ? ` and ${diffs.length - 5} more` : '');
    out.push(`it was made with another configuration (hash ${b.configHash}, now ${hash}${diffs.length ? `: ${shown}` : ''})`);
  }
  return out;
}
