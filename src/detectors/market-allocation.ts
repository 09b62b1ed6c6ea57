import { cobidGraph } from '../graph/cobid.js';
import { ramp } from '../scoring/score.js';
import { binomialUpperTail, surprise } from '../stats/outliers.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { buyerEntity, companyEntity, count, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';

/** candidates per category considered for groups (the subset search is exponential in this) */
const MAX_POOL = 12;

interface Candidate {
  firm: number;
  category: string;
  territory: number[];
  territoryName: string;
  bids: number;
  wins: number;
  territoryShare: number;
  expected: number;
  p: number;
  units: number[];
  first: number;
  last: number;
}

export default defineDetector({
  id: 'market-allocation',
  title: 'Firms of one market that never meet, each winning its own territory',
  family: 'market',
  rationale: 'Firms that divide a market by territory do not bid against each other: each keeps to its own provinces (or buyers) and wins nearly everything there, while the others stay away.',
  sources: ['OECD 2009 guidelines for fighting bid rigging (market allocation)', 'OCP R053 (co-bidding structure)'],
  needs: ['bids.bidder_id', 'bids.is_winner', 'bids.buyer_id', 'bids.category'],
  uses: ['cobid-graph'],
  params: {
    min_wins: { default: 4, min: 1, integer: true, description: 'wins a firm needs in the category' },
    min_win_rate: { default: 0.8, min: 0, max: 1, description: 'share of its bids in the category that it won' },
    territory: { default: 'buyer', values: ['buyer', 'province'], description: 'what a territory is: the buyers, or the provinces, where a firm won; members\' territories must not overlap' },
    max_p: { default: 0.01, min: 0, max: 1, description: 'chance of winning that often at a fair share (1 / bidders), per firm' },
    max_firms: { default: 6, min: 2, max: 12, integer: true, description: 'largest group reported; more firms form further groups' },
  },
  explain: {
    definition:
      'Within each category, firms that win nearly every tender they bid for, far more than a fair share, each at its own buyers (or provinces: its territory), in overlapping periods, and that never bid in the same tender as each other. Two or more such firms with territories that do not overlap form a group.',
    formula:
      'per firm and category: territory = the buyers (or provinces) where it won; winRate = wins / bids ≥ min_win_rate with wins ≥ min_wins; p = P(X ≥ wins | Binomial(bids, mean 1 / bidders)) ≤ max_p. Group: ≥ 2 such firms of one category, territories that do not overlap, zero co-bids between them, active periods overlapping; among the 12 strongest candidates of a category, the largest such set (≤ max_firms) is taken, then the next from the rest. Score 0.5 + 0.2 × (mean −log10 p from 2 to 6) + 0.05 × (firms from 2 to 4), at most 0.75.',
    why: 'Allocating territories or customers is one of the four classic cartel forms (OECD). It leaves no trace inside a tender; it shows only across tenders, as firms that could compete but never meet and each dominate their own patch.',
    falsePositives: 'Genuinely local markets (works contractors that never leave their province), transport costs, and licensing limited to a province. The score stays medium: it is a pattern to look into, not proof.',
    exclusions: 'Needs category and buyer (province for territory = province; a blank province counts as its own place).',
  },
  run(data, p) {
    const g = cobidGraph(data);
    const units = data.units;
    const bidder = data.bids!.party('bidder_id')!;
    const cat = units.table.str('category')!;
    const prov = units.table.str('province') ?? { type: 'str' as const, codes: new Int32Array(units.n).fill(-1), dict: [] as string[] };
    const dateCol = units.table.num('published_date') ?? units.table.num('deadline_date') ?? units.table.num('award_date');
    const buyer = units.table.party('buyer_id');
    const notApplicable: Record<string, number> = {};
    // per firm: its awarded units by category
    const C = cat.dict.length;
    const byFirmCat = new Map<number, number[]>();
    const lastUnit = new Int32Array(data.parties.size).fill(-1);
    const nBidders = new Int32Array(units.n);
    for (let u = 0; u < units.n; u++) {
      if (units.winner[u] < 0 || cat.codes[u] < 0) continue;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const f = bidder[units.bidRows[k]];
        if (f < 0 || lastUnit[f] === u) continue;
        lastUnit[f] = u;
        nBidders[u]++;
        const key = f * C + cat.codes[u];
        let l = byFirmCat.get(key);
        if (!l) byFirmCat.set(key, (l = []));
        l.push(u);
      }
    }
    const candidates = new Map<string, Candidate[]>();
    let applied = 0;
    for (const [key, us] of [...byFirmCat].sort((a, b) => a[0] - b[0])) {
      const f = Math.floor(key / C);
      let wins = 0;
      for (const u of us) if (units.winner[u] === f) wins++;
      if (wins < p.min_wins) continue;
      applied++;
      const winRate = wins / us.length;
      if (winRate < p.min_win_rate) continue;
      // territory: where it won (buyers or provinces), and the share of its bids placed there
      const place = (u: number) => (p.territory === 'province' ? prov.codes[u] : buyer ? buyer[u] : -1);
      const territory = [...new Set(us.filter((u) => units.winner[u] === f).map(place))].filter((x) => x >= 0).sort((a, b) => a - b);
      if (!territory.length) continue;
      const inTerritory = us.filter((u) => territory.includes(place(u))).length;
      const territoryShare = inTerritory / us.length;
      const fair = us.reduce((s, u) => s + 1 / Math.max(1, nBidders[u]), 0) / us.length;
      const pv = binomialUpperTail(wins, us.length, fair);
      if (pv > p.max_p) continue;
      const c = cat.dict[cat.codes[us[0]]];
      const dates = dateCol ? us.map((u) => dateCol[u]).filter((d) => !Number.isNaN(d)) : [];
      let l = candidates.get(c);
      if (!l) candidates.set(c, (l = []));
      l.push({
        firm: f,
        category: c,
        territory,
        territoryName: [...new Set(us.filter((u) => units.winner[u] === f).map((u) => prov.dict[prov.codes[u]] ?? '(no province)'))].sort().join(' + '),
        bids: us.length,
        wins,
        territoryShare,
        expected: fair * us.length,
        p: pv,
        units: us,
        first: dates.length ? Math.min(...dates) : NaN,
        last: dates.length ? Math.max(...dates) : NaN,
      });
    }
    const findings: FindingDraft[] = [];
    const ok = (x: Candidate, y: Candidate) =>
      !y.territory.some((t) => x.territory.includes(t)) &&
      g.pairs.find(x.firm, y.firm) < 0 &&
      (Number.isNaN(x.first) || Number.isNaN(y.first) || (x.first <= y.last && y.first <= x.last));
    // per category, the strongest candidates; groups taken one after another: the largest set of firms whose
    // territories do not overlap, that never met and were active together
    const groups: [string, Candidate[]][] = [];
    for (const c of [...candidates.keys()].sort()) {
      const all = candidates.get(c)!.slice().sort((x, y) => x.p - y.p || x.firm - y.firm);
      if (all.length > MAX_POOL) notApplicable[`territorial winners beyond the ${MAX_POOL} strongest of a category`] = (notApplicable[`territorial winners beyond the ${MAX_POOL} strongest of a category`] ?? 0) + all.length - MAX_POOL;
      let pool = all.slice(0, MAX_POOL);
      while (pool.length >= 2) {
        let group: Candidate[] = [];
        let best = -Infinity;
        for (let mask = 1; mask < 1 << pool.length; mask++) {
          let bits = 0;
          for (let m = mask; m; m &= m - 1) bits++;
          if (bits < 2 || bits > p.max_firms || bits < group.length) continue;
          const pick = pool.filter((_, i) => mask & (1 << i));
          if (!pick.every((x, i) => pick.slice(i + 1).every((y) => ok(x, y)))) continue;
          const strength = pick.length * 1000 + pick.reduce((t, x) => t + surprise(x.p), 0);
          if (strength > best) [best, group] = [strength, pick];
        }
        if (group.length < 2) break;
        groups.push([c, group]);
        pool = pool.filter((x) => !group.includes(x));
      }
    }
    for (const [c, found] of groups) {
      const group = found.slice();
      group.sort((a, b) => a.firm - b.firm);
      const meanSur = group.reduce((s, x) => s + surprise(x.p), 0) / group.length;
      const score = Math.min(0.75, 0.5 + 0.2 * ramp(meanSur, 2, 6, 0, 1) + 0.05 * ramp(group.length, 2, 4, 0, 1));
      const won = group.flatMap((x) => x.units.filter((u) => units.winner[u] === x.firm)).sort((a, b) => a - b);
      const buyers = [...new Set(won.map((u) => buyer?.[u] ?? -1).filter((b) => b >= 0))].sort((a, b) => a - b);
      const ids = group.map((x) => data.parties.id(x.firm));
      const grp: Entity = { type: 'group', id: `allocation-${c}-${ids[0]}-${group.length}`, name: `${group.length} ${c} firms with separate territories` };
      findings.push({
        score,
        title: `${group.length} ${c} firms each win in their own territory and never meet: ${group.map((x) => x.territoryName).join('; ')}`,
        entities: [grp, ...group.map((x) => companyEntity(data, x.firm)), ...won.map((u) => tenderEntity(data, u))],
        key: `${c}:${ids.join(',')}`,
        evidence: {
          category: c,
          firms: group.map((x) => ({
            firm: partyLabel(data, x.firm),
            territory: x.territoryName,
            bids: x.bids,
            wins: x.wins,
            territoryShare: round(x.territoryShare),
            expectedWins: round(x.expected, 2),
            binomialP: Number(x.p.toPrecision(3)),
          })),
          cobidsBetweenMembers: 0,
          buyers: buyers.slice(0, 20).map((b) => buyerEntity(data, b)),
          threshold: { min_wins: p.min_wins, min_win_rate: p.min_win_rate, territory: p.territory, max_p: p.max_p, max_firms: p.max_firms },
          tenders: won.slice(0, 50).map((u) => tenderLabel(data, u)),
        },
        explanation: `In ${c}, ${group.map((x) => `${partyLabel(data, x.firm)} won ${x.wins} of ${x.bids} in ${x.territoryName}`).join('; ')}, each winning at ${p.territory === 'province' ? 'provinces' : 'buyers'} the others never win at, and never bidding against them (win rates ≥ ${fmtPct(p.min_win_rate, 0)}).`,
      });
    }
    return { findings, applied, notApplicable, cutoffs: { categoriesWithCandidates: candidates.size } };
  },
});
