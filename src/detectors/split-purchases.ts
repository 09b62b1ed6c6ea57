import { ceilingOn, type CeilingPeriod, type LegalTables } from '../config/tables.js';
import type { Dataset } from '../model/dataset.js';
import { ramp } from '../scoring/score.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, buyerEntity, companyEntity, count, fmtAmount, fmtPct, partyLabel, round, tenderEntity, tenderLabel, plural } from './util.js';
import { DAY_MS, isoDay } from '../util/dates.js';
import { compareText } from '../util/compare.js';

export type CeilingKind = 'recurrent' | 'consulting' | 'goods_works';
export const CEILING_KINDS: readonly CeilingKind[] = ['recurrent', 'consulting', 'goods_works'];

const KIND_LABEL: Record<CeilingKind, string> = {
  recurrent: 'recurrent purchases',
  consulting: 'consulting in a project',
  goods_works: 'goods/works/non-consulting/mixed in a project',
};

export function ceilingLabel(kind: CeilingKind): string {
  return KIND_LABEL[kind];
}

/**
 * The ceilings that could apply to a purchase of `category` on a date: a recurrent purchase may be of any
 * category; within a project, consulting has its own ceiling and every other known category shares one.
 * A blank or unknown category could be either, so every ceiling is tested (DATA.md).
 */
export function ceilingKinds(category: string): CeilingKind[] {
  if (category === 'consulting') return ['recurrent', 'consulting'];
  if (category === 'goods' || category === 'works' || category === 'non-consulting' || category === 'mixed') return ['recurrent', 'goods_works'];
  return ['recurrent', 'consulting', 'goods_works'];
}

export interface Candidate {
  kind: CeilingKind;
  ceiling: number;
  period: CeilingPeriod;
}

/** Every distinct ceiling value that could apply on `ms` to `category` (the first kind wins a tie). */
export function ceilingCandidates(tables: LegalTables, ms: number, category: string): Candidate[] {
  const period = ceilingOn(tables, ms);
  if (!period) return [];
  const out: Candidate[] = [];
  for (const kind of ceilingKinds(category)) {
    const ceiling = period[kind];
    if (ceiling > 0 && !out.some((c) => c.ceiling === ceiling)) out.push({ kind, ceiling, period });
  }
  return out;
}

/** The date a unit was awarded: award_date, else contract_date, else published_date (epoch ms, NaN). */
export function unitDates(data: Dataset): { date: Float64Array; source: string[] } {
  const t = data.units.table;
  const cols: [string, Float64Array | undefined][] = [
    ['award_date', t.num('award_date')],
    ['contract_date', t.num('contract_date')],
    ['published_date', t.num('published_date')],
  ];
  const date = new Float64Array(t.n).fill(NaN);
  const source: string[] = new Array<string>(t.n).fill('');
  for (let u = 0; u < t.n; u++)
    for (const [name, col] of cols)
      if (col && !Number.isNaN(col[u])) {
        date[u] = col[u];
        source[u] = name;
        break;
      }
  return { date, source };
}

/** The value of each awarded unit: award_amount, else the winning bid's price (NaN when neither). */
export function awardValues(data: Dataset): Float64Array {
  const units = data.units;
  const award = units.table.num('award_amount');
  const prices = bidPrices(data);
  const out = new Float64Array(units.n).fill(NaN);
  for (let u = 0; u < units.n; u++) {
    if (award && award[u] > 0) out[u] = award[u];
    else if (units.winnerBid[u] >= 0 && prices && prices[units.winnerBid[u]] > 0) out[u] = prices[units.winnerBid[u]];
  }
  return out;
}

/** Procedures that are themselves competitive: a contract won that way avoided nothing. */
const COMPETITIVE = new Set(['open', 'restricted']);
/** Procedures the ceiling allows below it: parts awarded this way are the classic split. */
const UNDER_CEILING = new Set(['designated', 'direct']);
/** Parts that still had some competition (quotations): the split avoided less. */
const SHOPPING = 'competitive-shopping';
/** A burst whose every part went through competitive shopping stays low: it is context, not avoided competition. */
const ALL_SHOPPING_CAP = 0.45;

export default defineDetector({
  id: 'split-purchases',
  title: 'Contracts split to stay under the designated-contracting ceiling',
  family: 'threshold',
  rationale:
    'A buyer that awards the same supplier several contracts, each just under the ceiling for designated contracting and together above it, may have split one purchase to avoid competition.',
  sources: ['OCP R055', 'VN Law 22/2023/QH15 Art. 16 (designated contracting)', 'VN Law 57/2024/QH15', 'VN Decree 214/2025/ND-CP'],
  needs: ['bids.buyer_id', 'bids.is_winner'],
  needsAny: [['bids.award_date', 'bids.contract_date', 'bids.published_date']],
  params: {
    window_days: { default: 30, min: 1, integer: true, description: 'contracts within this many days of the first form a burst at full strength' },
    long_window_days: {
      default: 90,
      min: 1,
      integer: true,
      description: 'bursts are also sought over this longer window, with a lower score (set equal to window_days to turn off)',
    },
    lower: { default: 0.8, min: 0, max: 1, description: 'a contract counts as just under the ceiling T when its value is in [lower × T, T)' },
    min_contracts: { default: 2, min: 2, integer: true, description: 'contracts a burst needs' },
  },
  explain: {
    definition:
      'Awards of one buyer to one supplier in one category, ordered by date (award, else contract, else published date). Each award whose value (award amount, else the winning bid) lies in [lower × T, T) of a designated-contracting ceiling T in force on its date counts as "just under". A burst is at least `min_contracts` such awards within `long_window_days` of the first that together reach T. The ceilings are the dated table `tables.designated_ceilings`; when the data does not say whether a purchase is recurrent or part of a project, every ceiling that could apply to its category is tested.',
    formula:
      'just under: lower × T(d) ≤ value < T(d), T(d) = the recurrent, consulting or goods/works ceiling in force on date d; burst: k ≥ min_contracts such awards with last date − first date ≤ long_window_days and Σ value ≥ max T. Score = 0.5 + 0.15 × closeness + 0.1 × ramp(k, 2, 4) + 0.1 if every part was designated or direct − 0.15 if any part went through competitive shopping − up to 0.1 when the span exceeds window_days, where closeness = ramp(mean value / T, lower, 0.99); at most 0.45 when every part went through competitive shopping (quotations were sought: no competition was avoided). Awards made by open or restricted tender are not judged.',
    why: 'Vietnamese law lets a buyer designate a contractor below a ceiling (Law 22/2023 Art. 16; from 2025-01-15 and 2025-08-04 higher ceilings). Splitting one need into packages under the ceiling ("chia nhỏ gói thầu") to designate the same firm is forbidden and a recurring audit finding (OCP R055).',
    falsePositives:
      'Genuinely separate needs that happen to fall close together (monthly supplies, emergency repairs), framework call-offs, and projects whose approved plan split the packages on purpose (the plan, not the data, settles it).',
    exclusions:
      'Awards without a date, value or winner, before the first ceiling period, or made by open or restricted tender are not judged. The category must match (blank is its own category). Bursts are not allowed to overlap: each award is in at most one finding.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const t = units.table;
    const buyer = t.party('buyer_id')!;
    const category = t.str('category');
    const procedure = t.str('procedure');
    const { date } = unitDates(data);
    const value = awardValues(data);
    const notApplicable: Record<string, number> = {};
    const longWindow = Math.max(p.window_days, p.long_window_days);

    // candidate awards: each with the ceiling it sits just under
    const cand: { u: number; kind: CeilingKind; ceiling: number; period: CeilingPeriod }[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      if (buyer[u] < 0 || units.winner[u] < 0) {
        count(notApplicable, 'no buyer or winner');
        continue;
      }
      if (!(value[u] > 0)) {
        count(notApplicable, 'no award amount or winning bid');
        continue;
      }
      if (Number.isNaN(date[u])) {
        count(notApplicable, 'no date');
        continue;
      }
      const proc = procedure ? t.text('procedure', u) : '';
      if (COMPETITIVE.has(proc)) {
        count(notApplicable, 'open or restricted procedure');
        continue;
      }
      const cat = category ? t.text('category', u) : '';
      const cs = ceilingCandidates(ctx.tables, date[u], cat);
      if (!cs.length) {
        count(notApplicable, 'before the first ceiling period');
        continue;
      }
      applied++;
      for (const c of cs) if (value[u] >= p.lower * c.ceiling && value[u] < c.ceiling) cand.push({ u, ...c });
    }

    // group: buyer × supplier × category × ceiling kind, in date order
    const catCode = (u: number) => (category ? category.codes[u] : -1);
    const kindIdx = (k: CeilingKind) => CEILING_KINDS.indexOf(k);
    cand.sort(
      (a, b) =>
        buyer[a.u] - buyer[b.u] ||
        units.winner[a.u] - units.winner[b.u] ||
        catCode(a.u) - catCode(b.u) ||
        kindIdx(a.kind) - kindIdx(b.kind) ||
        date[a.u] - date[b.u] ||
        // same-day awards in tender order, not row order: the bursts and their ids must not depend on it
        compareText(tenderLabel(data, a.u), tenderLabel(data, b.u)) ||
        a.u - b.u,
    );
    const used = new Uint8Array(units.n);
    const findings: FindingDraft[] = [];
    let g = 0;
    while (g < cand.length) {
      let h = g + 1;
      const same = (x: (typeof cand)[0], y: (typeof cand)[0]) =>
        buyer[x.u] === buyer[y.u] && units.winner[x.u] === units.winner[y.u] && catCode(x.u) === catCode(y.u) && x.kind === y.kind;
      while (h < cand.length && same(cand[g], cand[h])) h++;
      // greedy, non-overlapping bursts within the group
      let i = g;
      while (i < h) {
        if (used[cand[i].u]) {
          i++;
          continue;
        }
        const members = [cand[i]];
        for (let j = i + 1; j < h && date[cand[j].u] - date[cand[i].u] <= longWindow * DAY_MS; j++) if (!used[cand[j].u]) members.push(cand[j]);
        const sum = members.reduce((s, m) => s + value[m.u], 0);
        const top = Math.max(...members.map((m) => m.ceiling));
        if (members.length < p.min_contracts || sum < top) {
          i++;
          continue;
        }
        for (const m of members) used[m.u] = 1;
        findings.push(burstFinding(data, members, value, date, sum, top, p, procedure ? (u) => t.text('procedure', u) : () => ''));
        i++;
      }
      g = h;
    }
    findings.sort((a, b) => compareText(a.key!, b.key!));
    return { findings, applied, notApplicable };
  },
});

function burstFinding(
  data: Dataset,
  members: { u: number; kind: CeilingKind; ceiling: number; period: CeilingPeriod }[],
  value: Float64Array,
  date: Float64Array,
  sum: number,
  top: number,
  p: { window_days: number; long_window_days: number; lower: number },
  procOf: (u: number) => string,
): FindingDraft {
  const units = data.units;
  const first = members[0];
  const b = units.table.party('buyer_id')![first.u];
  const w = units.winner[first.u];
  const k = members.length;
  const span = Math.round((date[members[k - 1].u] - date[first.u]) / DAY_MS);
  const meanRatio = members.reduce((s, m) => s + value[m.u] / m.ceiling, 0) / k;
  const allowed = members.every((m) => UNDER_CEILING.has(procOf(m.u)));
  const nShopping = members.filter((m) => procOf(m.u) === SHOPPING).length;
  const shopping = nShopping > 0;
  const closeness = ramp(meanRatio, p.lower, 0.99, 0, 1);
  const spanPenalty = span <= p.window_days ? 0 : ramp(span, p.window_days, Math.max(p.window_days + 1, p.long_window_days), 0, 0.1);
  const raw = 0.5 + 0.15 * closeness + 0.1 * ramp(k, 2, 4, 0, 1) + (allowed ? 0.1 : 0) - (shopping ? 0.15 : 0) - spanPenalty;
  // every part went through competitive shopping: quotations were sought, so no competition was avoided
  const score = nShopping === k ? Math.min(ALL_SHOPPING_CAP, raw) : raw;
  const labels = members.map((m) => tenderLabel(data, m.u));
  const periods = [...new Set(members.map((m) => m.period))];
  const category = units.table.text('category', first.u);
  return {
    score,
    // the key names the burst by its earliest tender id, whatever order the rows came in
    key: `${[...labels].sort(compareText)[0]}#${first.kind}`,
    title: `${partyLabel(data, b)} gave ${partyLabel(data, w)} ${k} contracts in ${plural(span, 'day')} just under the ${fmtAmount(top)} ceiling, ${fmtAmount(sum)} in all`,
    entities: [buyerEntity(data, b), companyEntity(data, w), ...members.map((m) => tenderEntity(data, m.u))],
    amount: sum,
    evidence: {
      ceiling: top,
      ceilingKind: first.kind,
      ceilingFor: ceilingLabel(first.kind),
      basis: periods.map((x) => x.basis).join('; '),
      inForceFrom: periods.map((x) => x.from).join('; '),
      category: category || null,
      contracts: members.map((m) => ({
        tender: tenderLabel(data, m.u),
        amount: value[m.u],
        date: isoDay(date[m.u]),
        ratioToCeiling: round(value[m.u] / m.ceiling, 5),
        procedure: procOf(m.u) || null,
      })),
      sum,
      sumToCeiling: round(sum / top, 4),
      spanDays: span,
      competitiveShoppingParts: nShopping,
      threshold: { lower: p.lower, window_days: p.window_days, long_window_days: p.long_window_days },
    },
    explanation:
      `${k} awards to the same supplier within ${plural(span, 'day')}, each between ${fmtPct(p.lower, 0)} and 100% of the ${fmtAmount(top)} designated-contracting ceiling (${periods[0].basis}), together ${fmtAmount(sum)} (${fmtPct(sum / top, 0)} of it)` +
      (nShopping === k
        ? `: all went through competitive shopping, which already asks for quotations, so the split avoided no competition; check only whether one need was cut to stay under a procedure's ceiling.`
        : nShopping > 0
          ? `: one purchase may have been split to avoid competition (${nShopping} of the ${k} parts went through competitive shopping, the rest ${[...new Set(members.filter((m) => procOf(m.u) !== SHOPPING).map((m) => procOf(m.u) || 'procedure blank'))].join(', ')}).`
          : ': one purchase may have been split to avoid competition.'),
  };
}
