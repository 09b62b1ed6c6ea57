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
 * `riskWeights`). `sameEvidence` (detector → name) joins detectors that report one observation (the
 * identity links behind shared-identity, company-groups, similar-names and capital-link; a disqualified
 * lowest bid that is also every rival of the winner): within an affair they count once, at their best.
 *
 * A tender's risk is 1 − Π(1 − s) over the best score of each detector that named it. A firm, buyer or
 * group takes part in many affairs, and the ordinary flags of unrelated ones (a single bid here, a
 * disqualified lowest bid there) say nothing more about it together than the worst of them alone. So its
 * findings are grouped into affairs — two findings are one affair when they name another entity in common
 * (a tender, a partner firm, a buyer, an invoice), directly or through other findings — each affair
 * combined as 1 − Π(1 − s) together with the findings about the entity alone (its own conduct: the digits of
 * its invoices, its registration), and its risk is that of its worst affair. Independent detectors that see the
 * same scheme from different angles still reinforce each other: a cover group's identity link, its fixed
 * mark-ups and its co-bidding all name the same tenders and firms.
 */
export function rankEntities(
  findings: Finding[],
  weights: ReadonlyMap<string, number> = new Map(),
  sameEvidence: ReadonlyMap<string, string> = new Map(),
): EntityRisk[] {
  interface Mention {
    finding: number;
    group: string;
    score: number;
  }
  const acc = new Map<string, { e: Entity; mentions: Mention[]; detectors: Set<string> }>();
  const keysOf: string[][] = [];
  findings.forEach((f, i) => {
    // the finding's distinct entities (an entity listed twice counts once)
    const seen = new Set<string>();
    const score = f.score * (weights.get(f.detector) ?? 1);
    const group = sameEvidence.get(f.detector) ?? f.detector;
    for (const e of f.entities) {
      const k = entityKey(e);
      if (seen.has(k)) continue;
      seen.add(k);
      let a = acc.get(k);
      if (!a) acc.set(k, (a = { e, mentions: [], detectors: new Set() }));
      if (!a.e.name && e.name) a.e = { ...a.e, name: e.name };
      a.mentions.push({ finding: i, group, score });
      a.detectors.add(f.detector);
    }
    keysOf.push([...seen]);
  });
  const combine = (ms: Mention[]): number => {
    const best = new Map<string, number>();
    for (const m of ms) best.set(m.group, Math.max(best.get(m.group) ?? 0, m.score));
    let keep = 1;
    for (const s of best.values()) keep *= 1 - s;
    return 1 - keep;
  };
  const out: EntityRisk[] = [];
  for (const [key, { e, mentions, detectors }] of acc) {
    let risk: number;
    if (e.type === 'tender' || mentions.length === 1) risk = combine(mentions);
    else {
      // affairs: union-find over the entity's findings, joined by the other entities they name
      const parent = mentions.map((_, i) => i);
      const find = (x: number): number => {
        while (parent[x] !== x) x = parent[x] = parent[parent[x]];
        return x;
      };
      const owner = new Map<string, number>();
      mentions.forEach((m, i) => {
        for (const k of keysOf[m.finding]) {
          if (k === key) continue;
          const o = owner.get(k);
          if (o === undefined) owner.set(k, i);
          else parent[find(i)] = find(o);
        }
      });
      // findings that name no other entity are about the entity's own conduct (its invoices' digits, its
      // registration): they join every affair
      const own: Mention[] = [];
      const affairs = new Map<number, Mention[]>();
      mentions.forEach((m, i) => {
        if (keysOf[m.finding].length === 1) {
          own.push(m);
          return;
        }
        const r = find(i);
        const list = affairs.get(r);
        if (list) list.push(m);
        else affairs.set(r, [m]);
      });
      risk = affairs.size ? 0 : combine(own);
      for (const ms of affairs.values()) risk = Math.max(risk, combine(own.length ? [...ms, ...own] : ms));
    }
    out.push({
      type: e.type,
      id: e.id,
      ...(e.name ? { name: e.name } : {}),
      ...(e.lot ? { lot: e.lot } : {}),
      risk: roundScore(risk),
      detectors: [...detectors].sort(),
      findings: mentions.length,
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
