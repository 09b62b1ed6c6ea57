/**
 * The pure pipeline: (dataset, config, detectors) → report. No console, no file system, no clock, so the
 * same input and config always give the same report.
 */
import type { Config } from './config/config.js';
import type { Detector, DetectorResult } from './detectors/types.js';
import type { Dataset } from './model/dataset.js';
import { repeatedBidRows } from './detectors/util.js';
import { plural, round } from './util/format.js';
import { LARGE_CACHES, dropCached, isCached, type CacheName } from './graph/dataset-cache.js';
import { compareFindings, dedupeFindings, rankEntities, toFinding, type EntityRisk, type Finding } from './scoring/rank.js';
import { SEVERITIES, type Severity } from './scoring/score.js';
import type { BaselineUse } from './scoring/baseline.js';

export const SCHEMA_VERSION = 1;

export type DetectorStatus = 'ran' | 'skipped' | 'error';

export interface DetectorSummary {
  id: string;
  title: string;
  family: string;
  status: DetectorStatus;
  reason?: string;
  applied?: number;
  notApplicable?: Record<string, number>;
  findings?: number;
  bySeverity?: Record<Severity, number>;
  cutoffs?: Record<string, number | string>;
  notes?: string[];
  /** set when the detector flagged more than max_flag_share of what it judged */
  flagShareWarning?: string;
  /**
   * below 1 when the detector's medium and high findings cover more than max_flag_share of what it judged:
   * its findings count at this fraction of their score in entity risk (see `riskWeight`)
   */
  riskWeight?: number;
}

export interface ReportInput {
  path: string;
  kind: string;
  rows: number;
  rejected: number;
  columns: Record<string, string>;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'redflag'; version: string };
  config: Record<string, Record<string, unknown>>;
  inputs: ReportInput[];
  detectors: DetectorSummary[];
  findings: Finding[];
  entities: EntityRisk[];
  summary: {
    findings: number;
    bySeverity: Record<Severity, number>;
    detectors: { ran: number; skipped: number; error: number };
    /** present when the findings list was cut by --top, --min-severity or --new-since */
    shown?: number;
    suppressed?: { previous?: number; filtered?: number };
  };
  warnings: string[];
  /** present when the findings were scored against a frozen baseline (analyze --baseline) */
  baseline?: BaselineUse;
}

export interface AnalyzeResult {
  report: Report;
  /** detector id → the error it threw (exit 3) */
  errors: { id: string; error: unknown }[];
  /** detector id → the data-relative reference it scored against (what a baseline freezes) */
  references: Record<string, unknown>;
}

export interface AnalyzeOptions {
  /** frozen references from a baseline, by detector id, used instead of the data's own */
  references?: Record<string, unknown>;
  /** called before each detector runs (progress display) */
  onDetector?: (id: string, index: number, total: number) => void;
  /** the position and count `onDetector` is given, when the detectors run are a part of the enabled ones */
  indexOf?: (id: string) => number;
  total?: number;
  /**
   * called once a large shared structure (LARGE_CACHES) has been dropped, and before one is built, at most
   * once between two detectors (default: nothing). The CLI passes a full garbage collection on big inputs
   * (`collectorFor` in graph/dataset-cache.ts), so that the next allocations reuse the bytes instead of
   * adding to them.
   */
  collectGarbage?: () => void;
}

export function missingNeeds(d: Detector, data: Dataset): string[] {
  const missing = d.needs.filter((f) => !data.has(f));
  for (const group of d.needsAny ?? []) if (!group.some((f) => data.has(f))) missing.push(group.join(' or '));
  return missing;
}

function fieldName(f: string): string {
  return f.includes(' or ') ? f.split(' or ').map(fieldName).join(' or ') : f;
}

function describeMissing(missing: string[], data: Dataset): string {
  // say whether the table is absent or only the column
  const tables = new Set(missing.flatMap((f) => f.split(' or ').map((x) => x.split('.')[0])));
  const absent = [...tables].filter((t) => !(t === 'bids' || t === 'tenders' ? data.bids || data.tables.tenders : data.tables[t as 'invoices' | 'companies']));
  if (absent.length && absent.length === tables.size) return `no ${absent.join(' / ')} input`;
  return `missing: ${missing.map(fieldName).join(', ')}`;
}

/**
 * What running one detector gave: its summary line, its findings (with ids and severities), the warnings it
 * adds to the run's, its reference and the error it threw. Plain data, so that it can cross threads
 * (analyze-parallel.ts).
 */
export interface DetectorOutcome {
  id: string;
  summary: DetectorSummary;
  findings: Finding[];
  warnings: string[];
  /** the parameters it ran with (absent when skipped for missing columns) */
  params?: Record<string, unknown>;
  /**
   * "id flagged n of m (q%)" when it flagged more than max_flag_share of what it judged on fewer than
   * MIN_FLAGGED findings: warned about in one line with the others (on small inputs every detector may)
   */
  fewFlagged?: string;
  reference?: unknown;
  /** set when it threw */
  error?: { error: unknown };
}

/**
 * Run `detectors` (enabled, in registry order) on `data`, one after the other, and say what each gave. The
 * shared structures are dropped after the last of these detectors that uses them, with a garbage
 * collection around the large ones on big inputs (`opts.collectGarbage`).
 */
export function runDetectors(data: Dataset, config: Config, detectors: readonly Detector[], opts: AnalyzeOptions = {}): DetectorOutcome[] {
  const collect = opts.collectGarbage ?? (() => {});
  // one collection between two detectors is enough
  let collected = false;
  const gc = (names: CacheName[]) => {
    if (collected || !names.some((n) => LARGE_CACHES.has(n))) return;
    collect();
    collected = true;
  };
  const missingOf = detectors.map((d) => missingNeeds(d, data));
  const dropAfter = lastUses(detectors, missingOf);
  const buildsFirst = lastUses([...detectors].reverse(), [...missingOf].reverse()).reverse();
  const outcomes: DetectorOutcome[] = [];
  for (const [index, d] of detectors.entries()) {
    const dc = config.detectors[d.id];
    const base = { id: d.id, title: d.title, family: d.family };
    const missing = missingOf[index];
    if (missing.length) {
      outcomes.push({ id: d.id, summary: { ...base, status: 'skipped', reason: describeMissing(missing, data) }, findings: [], warnings: [] });
      continue;
    }
    const params = { ...dc.params };
    opts.onDetector?.(d.id, opts.indexOf?.(d.id) ?? index, opts.total ?? detectors.length);
    // the garbage of the detectors before is let go before a large shared structure is built
    gc(buildsFirst[index].filter((n) => !isCached(n, data)));
    collected = false;
    let result: DetectorResult;
    try {
      result = d.run(data, dc.params as never, { tables: config.tables, reference: opts.references?.[d.id] });
    } catch (error) {
      gc(dropCached(data, dropAfter[index]));
      const reason = error instanceof Error ? error.message : String(error);
      outcomes.push({ id: d.id, summary: { ...base, status: 'error', reason }, findings: [], warnings: [], params, error: { error } });
      continue;
    }
    // the shared structures no later detector reads are let go before the next one builds its own
    gc(dropCached(data, dropAfter[index]));
    outcomes.push(outcomeOf(d, result, params, config));
  }
  // and whatever a detector read without listing it in `uses`
  gc(dropCached(data));
  return outcomes;
}

function outcomeOf(d: Detector, result: DetectorResult, params: Record<string, unknown>, config: Config): DetectorOutcome {
  const warnings: string[] = [];
  const own = dedupeFindings(result.findings.map((f) => toFinding(d.id, f)));
  const bySeverity = countBySeverity(own);
  const s: DetectorSummary = { id: d.id, title: d.title, family: d.family, status: 'ran', applied: result.applied, findings: own.length, bySeverity };
  if (result.notApplicable && Object.keys(result.notApplicable).length) s.notApplicable = sortedRecord(result.notApplicable);
  const cutoffs = finiteCutoffs(result.cutoffs);
  if (cutoffs) s.cutoffs = cutoffs;
  if (result.notes?.length || result.warnings?.length) s.notes = [...(result.warnings ?? []), ...(result.notes ?? [])];
  for (const w of result.warnings ?? []) warnings.push(`${d.id}: ${w}`);
  const w = riskWeight(flaggedUnits(own, result.unitOf, true), result.applied, config.max_flag_share);
  if (w < 1) s.riskWeight = w;
  const flagged = flaggedUnits(own, result.unitOf);
  let fewFlagged: string | undefined;
  // OUTPUT.md: any share above max_flag_share is warned about, however few the findings; below
  // MIN_FLAGGED the share may be chance, and the warning says so (the risk discount still needs MIN_FLAGGED)
  if (result.applied > 0 && flagged / result.applied > config.max_flag_share) {
    s.flagShareWarning =
      `${d.id} flagged ${flagged} of ${result.applied} (${pct(flagged / result.applied)}), more than ` +
      `max_flag_share ${pct(config.max_flag_share)}: ` +
      (flagged >= MIN_FLAGGED ? 'a threshold or the data is probably off' : `on ${plural(flagged, 'finding')} this may be chance, else a threshold or the data is off`) +
      (w < 1 ? `; its findings count at ×${round(w, 2)} in entity risk` : '');
    if (flagged >= MIN_FLAGGED) warnings.push(s.flagShareWarning);
    else fewFlagged = `${d.id} ${flagged} of ${result.applied} (${pct(flagged / result.applied)})`;
  }
  return { id: d.id, summary: s, findings: own, warnings, params, reference: result.reference, ...(fewFlagged ? { fewFlagged } : {}) };
}

export function analyze(data: Dataset, config: Config, registry: readonly Detector[], version: string, opts: AnalyzeOptions = {}): AnalyzeResult {
  const enabled = registry.filter((d) => config.detectors[d.id]?.enabled);
  return assemble(data, config, registry, version, runDetectors(data, config, enabled, opts));
}

/** Warnings about the input that come before the detectors' own. */
function inputWarnings(data: Dataset): string[] {
  const repeated = repeatedBidRows(data);
  if (!repeated.rows) return [];
  return [
    `bids: ${plural(repeated.rows, 'row')} ${repeated.rows === 1 ? 'repeats' : 'repeat'} a bidder already in the same tender (${plural(repeated.units, 'tender')}); ` +
      'single-bidder counts distinct bidders, the price detectors count each row as a bid: check the export for duplicated rows',
  ];
}

/**
 * The report from what each enabled detector gave (`outcomes`, in registry order however they were run):
 * summaries, findings in rank order, entity risk, warnings.
 */
export function assemble(data: Dataset, config: Config, registry: readonly Detector[], version: string, outcomes: readonly DetectorOutcome[]): AnalyzeResult {
  const references: Record<string, unknown> = {};
  const summaries: DetectorSummary[] = [];
  const findings: Finding[] = [];
  const errors: { id: string; error: unknown }[] = [];
  const warnings: string[] = inputWarnings(data);
  const effective: Report['config'] = {};
  for (const o of outcomes) {
    if (o.params) effective[o.id] = o.params;
    if (o.error) errors.push({ id: o.id, error: o.error.error });
    if (o.reference !== undefined) references[o.id] = o.reference;
    for (const w of o.warnings) warnings.push(w);
    summaries.push(o.summary);
    for (const f of o.findings) findings.push(f);
  }
  const few = outcomes.flatMap((o) => (o.fewFlagged ? [o.fewFlagged] : []));
  if (few.length)
    warnings.push(
      `${few.length === 1 ? '1 detector' : `${few.length} detectors`} flagged more than max_flag_share ${pct(config.max_flag_share)} of what ${few.length === 1 ? 'it' : 'they'} judged, ` +
        `on fewer than ${MIN_FLAGGED} findings ${few.length === 1 ? '' : 'each '}(this may be chance, else a threshold or the data is off): ${few.join(', ')}`,
    );
  // disabled detectors (--exclude, --detectors, the config) are listed as skipped, with the choice that left them out
  for (const d of registry) if (config.detectors[d.id] && !config.detectors[d.id].enabled) summaries.push({ id: d.id, title: d.title, family: d.family, status: 'skipped', reason: config.detectors[d.id].disabledBy ?? 'disabled' });

  findings.sort(compareFindings);
  const report: Report = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'redflag', version },
    config: effective,
    inputs: data.inputs.map((i) => ({ path: i.path, kind: i.kind, rows: i.rows, rejected: i.rejected, columns: i.columns })),
    detectors: summaries,
    findings,
    entities: rankEntities(
      findings,
      new Map(summaries.flatMap((s) => (s.riskWeight ? [[s.id, s.riskWeight] as const] : []))),
      evidenceGroups(registry),
    ),
    summary: {
      findings: findings.length,
      bySeverity: countBySeverity(findings),
      detectors: {
        ran: summaries.filter((s) => s.status === 'ran').length,
        skipped: summaries.filter((s) => s.status === 'skipped').length,
        error: summaries.filter((s) => s.status === 'error').length,
      },
    },
    warnings,
  };
  return { report, errors, references };
}

/** Strong findings a detector needs before its flag share discounts it in entity risk (`riskWeight`). */
const MIN_FLAGGED = 20;

/**
 * How many of the judged units the findings flag (all, or only those with a medium or high finding): one
 * per finding, or the distinct `unitOf` keys when the detector judges one kind of unit and reports another
 * (duplicate-invoices judges sellers and reports invoice pairs).
 */
export function flaggedUnits(own: readonly Finding[], unitOf?: DetectorResult['unitOf'], strongOnly = false): number {
  const kept = strongOnly ? own.filter((f) => f.severity !== 'low') : own;
  return unitOf ? new Set(kept.map(unitOf)).size : kept.length;
}

/**
 * How much a detector's findings count in entity risk. A red flag raised on a large share of what the
 * detector judged does not single anything out: when its medium and high findings cover a share q =
 * strong / applied > max_flag_share of the judged tenders (pairs, sellers…), with at least 20 of them,
 * they count at max_flag_share / q of their score in entity risk (near-estimate-win on 41% of awards:
 * × 0.12). The findings themselves, their scores and severities (and so --fail-on) are unchanged. 1
 * otherwise.
 */
export function riskWeight(strong: number, applied: number, maxShare: number): number {
  if (!applied) return 1;
  const share = Math.min(1, strong / applied);
  if (strong < MIN_FLAGGED || share <= maxShare) return 1;
  return Math.round((maxShare / share) * 1e4) / 1e4;
}

/**
 * Per detector (by position): the shared structures it is the last one to use, among those that will run
 * (and, given the registry reversed, the first one).
 */
function lastUses(enabled: readonly Detector[], missingOf: string[][]): CacheName[][] {
  const out: CacheName[][] = enabled.map(() => []);
  const seen = new Set<CacheName>();
  for (let i = enabled.length - 1; i >= 0; i--) {
    if (missingOf[i].length) continue;
    for (const n of enabled[i].uses ?? [])
      if (!seen.has(n)) {
        seen.add(n);
        out[i].push(n);
      }
  }
  return out;
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const out = { high: 0, medium: 0, low: 0 } as Record<Severity, number>;
  for (const f of findings) out[f.severity]++;
  return out;
}

/** Cut-offs that could not be computed (NaN on too little data) are left out rather than written as null. */
function finiteCutoffs(c: Record<string, number | string> | undefined): Record<string, number | string> | undefined {
  if (!c) return undefined;
  const kept = Object.entries(c).filter(([, v]) => typeof v === 'string' || Number.isFinite(v));
  return kept.length ? Object.fromEntries(kept) : undefined;
}

function sortedRecord(r: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

export { SEVERITIES };

/** Detector id → the evidence group of the detectors that report one observation (Detector.sameEvidence). */
export function evidenceGroups(registry: readonly Detector[]): Map<string, string> {
  return new Map(registry.flatMap((d) => (d.sameEvidence ? [[d.id, d.sameEvidence] as const] : [])));
}
