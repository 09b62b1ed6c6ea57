/**
 * Matching the findings of a generated economy against its truth.csv. Tenders, firms, buyers and
 * invoices match by id. A planted group (`G####`, `R####`, `M####`, `C####`) has no id a detector could
 * know: detectors name their group entities after what they found (`ring-…`, `allocation-…`, `G-…`,
 * `carousel-…`), so a planted group counts as found when a finding of its scheme reports a group and
 * names most of the group's members.
 */
import { entityKey, type Finding } from '../src/scoring/rank.js';

export interface TruthRow {
  scheme: string;
  /** `type:id`, as entityKey writes it */
  key: string;
  /** a group row's `members=` (firm ids), empty for other rows */
  members: string[];
}

/** Rows of truth.csv (`scheme,entity_type,entity_id,detail`; ids and details never hold a comma). */
export function parseTruth(text: string): TruthRow[] {
  const out: TruthRow[] = [];
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (!line.trim()) continue;
    const [scheme, type, rawId, ...rest] = line.split(',');
    const id = rawId.replace(/^"|"$/g, '');
    const detail = rest.join(',').replace(/^"|"$/g, '');
    const members = type === 'group' ? (/(?:^|;)members=([^;]+)/.exec(detail)?.[1].split('|') ?? []) : [];
    out.push({ scheme, key: `${type}:${id}`, members });
  }
  return out;
}

/**
 * Does this finding report the planted group of these members? It names a group entity and more than
 * half of the members (at least two) as firms: a detector that found two of a ring of five has found
 * a pair, not the ring.
 */
export function findsGroup(f: Pick<Finding, 'entities'>, members: readonly string[]): boolean {
  if (members.length < 2 || !f.entities.some((e) => e.type === 'group')) return false;
  const named = new Set(f.entities.filter((e) => e.type === 'company').map((e) => e.id));
  const hit = members.filter((m) => named.has(m)).length;
  return hit >= 2 && hit * 2 > members.length;
}

/** Does this finding name a planted entity of its scheme (a group by its members)? */
export function namesPlanted(f: Pick<Finding, 'entities'>, keys: ReadonlySet<string>, groups: readonly TruthRow[]): boolean {
  return f.entities.some((e) => keys.has(entityKey(e))) || groups.some((g) => findsGroup(f, g.members));
}

/** The planted entities of one scheme that its findings name (groups by their members). */
export function foundKeys(findings: readonly Pick<Finding, 'entities'>[], rows: readonly TruthRow[]): Set<string> {
  const named = new Set(findings.flatMap((f) => f.entities.map(entityKey)));
  const out = new Set<string>();
  for (const r of rows) {
    if (r.key.startsWith('group:') ? findings.some((f) => findsGroup(f, r.members)) : named.has(r.key)) out.add(r.key);
  }
  return out;
}
