/**
 * From detector drafts to the report's findings and entity ranking.
 *
 * - finding id: a stable hash of detector + entities + key evidence, so the same problem keeps its id from
 *   one run to the next (what `--new-since` compares);
 * - order: score, then money at stake, then detector and id — total and deterministic;
 * - entity risk: 1 − Π(1 − s_d) over the best score of each distinct detector that named the entity, so
 *   independent detectors reinforce each other and one detector firing many times does not.
 */
import { createHash } from 'node:crypto';
import type { Entity, EntityType, FindingDraft } from '../detectors/types.js';
import { roundScore, severityOf, type Severity } from './score.js';

export interface Finding {
  id: string;
  detector: string;
  severity: Severity;
  score: number;
  title: string;
  entities: Entity[];
  amount: number | null;
  evidence: Record<string, unknown>;
  explanation: string;
}

export interface EntityRisk {
  type: EntityType;
  id: string;
  name?: string;
  lot?: string;
  risk: number;
  detectors: string[];
  findings: number;
}

export function entityKey(e: Entity): string {
  return `${e.type}:${e.id}${e.lot ? `#${e.lot}` : ''}`;
}

export function findingId(detector: string, entities: Entity[], key = ''): string {
  const ents = entities.map(entityKey).sort().join('|');
  return createHash('sha1').update(`${detector}\n${ents}\n${key}`).digest('hex').slice(0, 16);
}

export function toFinding(detector: string, d: FindingDraft): Finding {
  const score = roundScore(d.score);
  return {
    id: findingId(detector, d.entities, d.key),
    detector,
    severity: severityOf(score),
    score,
    title: d.title,
    entities: d.entities,
    amount: d.amount == null || Number.isNaN(d.amount) ? null : d.amount,
    evidence: d.evidence,
    explanation: d.explanation,
  };
}

export function compareFindings(a: Finding, b: Finding): number {
  return (
    b.score - a.score ||
    (b.amount ?? -1) - (a.amount ?? -1) ||
    (a.detector < b.detector ? -1 : a.detector > b.detector ? 1 : 0) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Merge findings that got the same id (same detector, entities and key) keeping the strongest. */
export function dedupeFindings(findings: Finding[]): Finding[] {
  const byId = new Map<string, Finding>();
  for (const f of findings) {
    const prev = byId.get(f.id);
    if (!prev || compareFindings(f, prev) < 0) byId.set(f.id, f);
  }
  return [...byId.values()];
}

/**
 * Entities by risk. `weights` (detector → factor in [0, 1], default 1) scales a detector's scores before
 * they are combined: a detector that flags a large share of the input counts for less (analyze.ts,
 * `riskWeights`).
 */
export function rankEntities(findings: Finding[], weights: ReadonlyMap<string, number> = new Map()): EntityRisk[] {
  const acc = new Map<string, { e: Entity; best: Map<string, number>; n: number }>();
  for (const f of findings) {
    const seen = new Set<string>();
    for (const e of f.entities) {
      const k = entityKey(e);
      if (seen.has(k)) continue;
      seen.add(k);
      let a = acc.get(k);
      if (!a) acc.set(k, (a = { e, best: new Map(), n: 0 }));
      if (!a.e.name && e.name) a.e = { ...a.e, name: e.name };
      a.n++;
      a.best.set(f.detector, Math.max(a.best.get(f.detector) ?? 0, f.score * (weights.get(f.detector) ?? 1)));
    }
  }
  const out: EntityRisk[] = [];
  for (const { e, best, n } of acc.values()) {
    let keep = 1;
    for (const s of best.values()) keep *= 1 - s;
    out.push({
      type: e.type,
      id: e.id,
      ...(e.name ? { name: e.name } : {}),
      ...(e.lot ? { lot: e.lot } : {}),
      risk: roundScore(1 - keep),
      detectors: [...best.keys()].sort(),
      findings: n,
    });
  }
  return out.sort(
    (a, b) =>
      b.risk - a.risk ||
      b.detectors.length - a.detectors.length ||
      (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) ||
      ((a.lot ?? '') < (b.lot ?? '') ? -1 : (a.lot ?? '') > (b.lot ?? '') ? 1 : 0),
  );
}
