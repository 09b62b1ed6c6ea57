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
 *
 * A tender's risk is 1 − Π(1 − s) over the best score of each detector that named it. A firm, buyer or
 * group takes part in many tenders, and the ordinary flags of unrelated tenders (a single bid here, a
 * disqualified lowest bid there) say nothing more about it together than the worst of them alone: so its
 * findings are taken case by case — the findings that name one tender are that tender's case, combined
 * as above; those that name no tender or several (pairs, groups, identity links, invoices) are about the
 * entity itself — and its risk is 1 − (1 − worst tender case)(1 − its own case).
 */
export function rankEntities(findings: Finding[], weights: ReadonlyMap<string, number> = new Map()): EntityRisk[] {
  const acc = new Map<string, { e: Entity; cases: Map<string, Map<string, number>>; detectors: Set<string>; n: number }>();
  for (const f of findings) {
    const seen = new Set<string>();
    let tender = '';
    let tenders = 0;
    for (const e of f.entities)
      if (e.type === 'tender') {
        const k = entityKey(e);
        if (k !== tender) tenders++;
        tender = k;
      }
    const s = f.score * (weights.get(f.detector) ?? 1);
    for (const e of f.entities) {
      const k = entityKey(e);
      if (seen.has(k)) continue;
      seen.add(k);
      let a = acc.get(k);
      if (!a) acc.set(k, (a = { e, cases: new Map(), detectors: new Set(), n: 0 }));
      if (!a.e.name && e.name) a.e = { ...a.e, name: e.name };
      a.n++;
      a.detectors.add(f.detector);
      const c = e.type === 'tender' || tenders !== 1 ? '' : tender;
      let best = a.cases.get(c);
      if (!best) a.cases.set(c, (best = new Map()));
      best.set(f.detector, Math.max(best.get(f.detector) ?? 0, s));
    }
  }
  const out: EntityRisk[] = [];
  for (const { e, cases, detectors, n } of acc.values()) {
    let own = 0;
    let worst = 0;
    for (const [c, best] of cases) {
      let keep = 1;
      for (const s of best.values()) keep *= 1 - s;
      if (c === '') own = 1 - keep;
      else worst = Math.max(worst, 1 - keep);
    }
    const keep = (1 - own) * (1 - worst);
    out.push({
      type: e.type,
      id: e.id,
      ...(e.name ? { name: e.name } : {}),
      ...(e.lot ? { lot: e.lot } : {}),
      risk: roundScore(1 - keep),
      detectors: [...detectors].sort(),
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
