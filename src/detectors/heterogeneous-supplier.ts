import { ramp } from '../scoring/score.js';
import { sketch, type Sketch } from '../stats/quantiles.js';
import { fenceCutoffs, fencesOf, sketchFrom } from '../stats/outliers.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtAmount, partyLabel, round } from './util.js';

/** Categories that overlap with every other and so do not count as unrelated. */
const NEUTRAL = new Set(['mixed']);

interface Reference {
  categories: Sketch;
}

export default defineDetector({
  id: 'heterogeneous-supplier',
  title: 'A supplier wins in an unusual number of unrelated categories',
  family: 'market',
  rationale: 'A firm that wins works contracts, consulting and goods alike is often a front that wins on connections and subcontracts the work, not a specialist.',
  sources: ['OCP R048 (heterogeneous supplier)', 'GTI'],
  needs: ['bids.category', 'bids.is_winner'],
  params: {
    min_wins: { default: 5, min: 1, integer: true, description: 'awards a supplier needs before it is judged' },
    min_category_wins: { default: 1, min: 1, integer: true, description: 'wins in a category for it to count' },
    min_categories: { default: 3, min: 2, integer: true, description: 'flag from this many unrelated categories' },
    k: { default: 1.5, min: 0, description: 'Tukey fence on the number of categories of all judged suppliers' },
  },
  explain: {
    definition:
      'For each supplier with at least `min_wins` awards, the number of distinct categories (goods, works, consulting, non-consulting; `mixed` not counted) in which it won at least `min_category_wins` awards, compared with the other suppliers.',
    formula:
      'c = #{category ≠ mixed : wins(category) ≥ min_category_wins}; flag c ≥ min_categories and c > Q3 + k·IQR (IQR ≥ 1) of the suppliers\' counts. Score 0.5 at the threshold, + 0.1 per category beyond it, + up to 0.1 as the smallest category share grows from 10% to 30% (a real spread rather than one stray award), at most 0.75.',
    why: 'OCP R048: a supplier active in many unrelated lines of business is unlikely to deliver all of them itself; it may be a vehicle for favoured awards or a shell that passes the work on.',
    falsePositives: 'General contractors that also supply equipment and supervise works, large conglomerates, and exports whose category codes are inconsistent between buyers.',
    exclusions: 'Suppliers with fewer than `min_wins` awards are not judged.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const cat = units.table.str('category')!;
    const award = units.table.num('award_amount');
    const prices = bidPrices(data);
    const perFirm = new Map<number, Map<string, { n: number; value: number }>>();
    const notApplicable: Record<string, number> = {};
    for (let u = 0; u < units.n; u++) {
      const w = units.winner[u];
      if (w < 0) continue;
      const c = cat.codes[u] >= 0 ? cat.dict[cat.codes[u]] : '';
      if (!c) {
        count(notApplicable, 'awards without a category');
        continue;
      }
      let m = perFirm.get(w);
      if (!m) perFirm.set(w, (m = new Map()));
      const e = m.get(c) ?? { n: 0, value: 0 };
      e.n++;
      const wb = units.winnerBid[u];
      e.value += award && award[u] > 0 ? award[u] : wb >= 0 && prices && prices[wb] > 0 ? prices[wb] : 0;
      m.set(c, e);
    }
    const judged: { f: number; wins: number; cats: [string, { n: number; value: number }][] }[] = [];
    for (const f of [...perFirm.keys()].sort((a, b) => a - b)) {
      const m = perFirm.get(f)!;
      let wins = 0;
      for (const e of m.values()) wins += e.n;
      if (wins < p.min_wins) {
        count(notApplicable, `suppliers with fewer than ${p.min_wins} awards`);
        continue;
      }
      const cats = [...m].filter(([c, e]) => !NEUTRAL.has(c) && e.n >= p.min_category_wins).sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
      judged.push({ f, wins, cats });
    }
    const reference: Reference = { categories: sketch(judged.map((j) => j.cats.length)) };
    const fence = fencesOf(sketchFrom(ctx.reference, 'categories') ?? reference.categories, p.k, 1);
    const findings: FindingDraft[] = [];
    for (const j of judged) {
      const c = j.cats.length;
      if (c < p.min_categories || c <= fence.upper) continue;
      const smallest = j.cats[j.cats.length - 1][1].n / j.wins;
      const score = Math.min(0.75, 0.5 + 0.1 * (c - p.min_categories) + ramp(smallest, 0.1, 0.3, 0, 0.1));
      const value = j.cats.reduce((s, [, e]) => s + e.value, 0);
      findings.push({
        score,
        title: `${partyLabel(data, j.f)} won in ${c} unrelated categories (${j.cats.map(([k]) => k).join(', ')})`,
        entities: [companyEntity(data, j.f)],
        amount: value || null,
        evidence: {
          wins: j.wins,
          categories: c,
          byCategory: j.cats.map(([k, e]) => ({ category: k, wins: e.n, value: e.value })),
          smallestCategoryShare: round(smallest),
          upperFence: round(fence.upper, 2),
          threshold: { min_categories: p.min_categories, min_category_wins: p.min_category_wins, k: p.k },
        },
        explanation: `This supplier won ${j.wins} awards across ${c} unrelated categories (${j.cats.map(([k, e]) => `${k} ${e.n}`).join(', ')}${value ? `; ${fmtAmount(value)} in all` : ''}), where suppliers' counts are outliers from ${round(fence.upper, 1)}; threshold ${p.min_categories}.`,
      });
    }
    return { findings, applied: judged.length, notApplicable, cutoffs: fenceCutoffs('categories', fence, 2), reference };
  },
});
