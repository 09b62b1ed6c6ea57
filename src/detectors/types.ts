/**
 * The detector contract. A detector is metadata (what it needs, its parameters, its documentation) plus a
 * pure, synchronous `run` over the dataset that returns findings with scores, entities and evidence.
 * It does no I/O and never prints; too little data → no findings and a note saying why.
 */
import type { Dataset } from '../model/dataset.js';
import type { LegalTables } from '../config/tables.js';
import type { CacheName } from '../graph/dataset-cache.js';

export type Family = 'competition' | 'price' | 'market' | 'group' | 'threshold' | 'invoice' | 'cross';

export const FAMILY_TITLES: Record<Family, string> = {
  competition: 'Competition and award',
  price: 'Bid-price screens',
  market: 'Market structure',
  group: 'Group interest (linked firms)',
  threshold: 'Thresholds and splitting',
  invoice: 'E-invoices',
  cross: 'Bids × invoices',
};

export type ParamValue = number | boolean | string | string[];

export interface ParamSpec<T extends ParamValue = ParamValue> {
  default: T;
  description: string;
  /** numbers: the accepted range */
  min?: number;
  max?: number;
  /** numbers that must be whole */
  integer?: boolean;
  /** strings and lists: the accepted values */
  values?: readonly string[];
}

export type ParamSpecs = Record<string, ParamSpec>;
export type ParamsOf<S extends ParamSpecs> = { [K in keyof S]: S[K]['default'] };

export type EntityType = 'tender' | 'company' | 'buyer' | 'invoice' | 'group';

export interface Entity {
  type: EntityType;
  id: string;
  name?: string;
  /** tenders: the lot, when the unit of competition is a lot */
  lot?: string;
}

/** What a detector returns for one finding; the engine adds the id, severity and ordering. */
export interface FindingDraft {
  /** in [0, 1]: how strongly the data supports the red flag (see scoring/score.ts for the scale) */
  score: number;
  /** short, specific: "3 bidders in IB2400035288 share phone 0912345678" */
  title: string;
  entities: Entity[];
  /** money at stake, in the data's currency (award, contract or invoice value) */
  amount?: number | null;
  /** the measured values and the thresholds they were compared with */
  evidence: Record<string, unknown>;
  /** one sentence an analyst can act on */
  explanation: string;
  /** extra text that makes the finding's stable id unique when entities alone do not */
  key?: string;
}

export interface DetectorResult {
  findings: FindingDraft[];
  /** how many entities (tenders, buyers, sellers…) the detector judged */
  applied: number;
  /** reason → how many entities it could not judge */
  notApplicable?: Record<string, number>;
  /** data-relative cut-offs it computed (percentiles, fences), reported beside the findings */
  cutoffs?: Record<string, number | string>;
  notes?: string[];
  /** problems with the input the detector noticed (files that overlap…): reported among the run's warnings and in notes */
  warnings?: string[];
  /**
   * The data-relative reference the detector scored against (distributions per segment, fences, base
   * rates), JSON-serialisable. `redflag baseline` freezes it from history; `analyze --baseline` hands it
   * back as `ctx.reference` so a new batch is scored against history instead of against itself.
   */
  reference?: unknown;
  /**
   * The judged unit a finding belongs to, when findings are not one per judged unit (duplicate-invoices
   * judges sellers and reports invoice pairs): the flag share (warning, entity-risk weight) counts
   * distinct units instead of findings.
   */
  unitOf?: (f: { entities: readonly Entity[] }) => string;
}

export interface RunContext {
  tables: LegalTables;
  /** a frozen reference from a baseline: what this detector returned as `reference` on historical data */
  reference?: unknown;
}

export interface ExplainText {
  /** what is measured, in words */
  definition: string;
  /** the formula, plain text */
  formula: string;
  /** why it is a red flag */
  why: string;
  /** known innocent explanations */
  falsePositives: string;
  /** what is excluded or needs care */
  exclusions?: string;
}

export interface Detector<S extends ParamSpecs = ParamSpecs> {
  id: string;
  title: string;
  family: Family;
  rationale: string;
  sources: string[];
  /** fields that must have values, as `table.column` (`bids.bid_amount`); else the detector is skipped */
  needs: string[];
  /** groups of alternatives: at least one field of each group must have values */
  needsAny?: string[][];
  /**
   * the shared per-dataset structures `run` reads (src/graph/dataset-cache.ts), directly or through
   * another one; the engine drops each after the last detector that lists it
   */
  uses?: readonly CacheName[];
  /**
   * detectors that report one observation share a name here (the identity links; a disqualified lowest bid
   * that is also every rival of the winner): in entity risk they count once per affair, at their best
   */
  sameEvidence?: string;
  params: S;
  explain: ExplainText;
  run(data: Dataset, params: ParamsOf<S>, ctx: RunContext): DetectorResult;
}

/** Identity helper that types `run`'s parameters from the declared specs. */
export function defineDetector<S extends ParamSpecs>(d: Detector<S>): Detector {
  return d as unknown as Detector;
}
