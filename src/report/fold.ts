/**
 * Findings that repeat an earlier one, for the reports people read. Detectors that read one observation
 * (the identity links behind company-groups, shared-identity, similar-names and capital-link; a
 * disqualified lowest bid that is also every rival of the winner) each report it: one linked set of firms
 * then takes several of the first rows, and pushes other cases down the page. A later finding of the same
 * evidence group whose firms are all among an earlier row's firms (and, when both name tenders, that shares
 * one of its tenders) is shown as a line under that row instead of a row of its own. The JSON, NDJSON and
 * CSV formats keep every finding as it is; entity risk already counts such a group once per affair.
 */
import { entityKey, type Finding } from '../scoring/rank.js';

export interface Folded {
  /** indexes of the findings shown as rows, in rank order */
  rows: number[];
  /** row finding index → the indexes of the later findings shown under it */
  also: Map<number, number[]>;
}

interface Leader {
  index: number;
  firms: Set<string>;
  tenders: Set<string>;
}

function idsOf(f: Finding, type: 'company' | 'tender'): Set<string> {
  const out = new Set<string>();
  for (const e of f.entities) if (e.type === type) out.add(entityKey(e));
  return out;
}

/** `groups`: detector id → evidence group (Detector.sameEvidence); without it nothing is folded. */
export function foldRelated(findings: readonly Finding[], groups: ReadonlyMap<string, string> | undefined): Folded {
  const rows: number[] = [];
  const also = new Map<number, number[]>();
  // leaders by group and by each of their firms: a finding folds only into a leader holding its first firm
  const leaders = new Map<string, Map<string, Leader[]>>();
  findings.forEach((f, i) => {
    const group = groups?.get(f.detector);
    const firms = group ? idsOf(f, 'company') : new Set<string>();
    if (!group || firms.size === 0) {
      rows.push(i);
      return;
    }
    const byFirm = leaders.get(group) ?? new Map<string, Leader[]>();
    leaders.set(group, byFirm);
    const tenders = idsOf(f, 'tender');
    const first = firms.values().next().value as string;
    const into = (byFirm.get(first) ?? []).find(
      (l) => [...firms].every((x) => l.firms.has(x)) && (!tenders.size || !l.tenders.size || [...tenders].some((t) => l.tenders.has(t))),
    );
    if (into) {
      const list = also.get(into.index);
      if (list) list.push(i);
      else also.set(into.index, [i]);
      return;
    }
    rows.push(i);
    const leader: Leader = { index: i, firms, tenders };
    for (const x of firms) {
      const list = byFirm.get(x);
      if (list) list.push(leader);
      else byFirm.set(x, [leader]);
    }
  });
  return { rows, also };
}

/** The line shown under a row for the findings folded into it: detector, score and rank of each. */
export function alsoLine(findings: readonly Finding[], folded: readonly number[]): string {
  return `Also about these firms: ${folded.map((j) => `${findings[j].detector} ${findings[j].score.toFixed(2)} (#${j + 1})`).join(', ')}`;
}
