import { unitSegments } from '../graph/cobid.js';
import { ramp } from '../scoring/score.js';
import { sketch, type Sketch } from '../stats/quantiles.js';
import { binomialUpperTail, fenceCutoffs, fencesOf, iqrsAboveQ3, sketchFrom } from '../stats/outliers.js';
import { compareText } from '../util/compare.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, buyerEntity, companyEntity, count, fmtAmount, fmtChance, fmtPct, partyLabel, plural, round } from './util.js';

interface Reference {
  /** per judged buyer: z of its count HHI against the HHI expected from its market */
  z: Sketch;
}

/** A comparison market: supplier → awards at other buyers, with the sums of squares and cubes. */
interface Market {
  wins: Map<number, number>;
  awards: number;
  sq: number;
  cube: number;
}

export default defineDetector({
  id: 'buyer-concentration',
  title: 'A buyer\'s awards are concentrated on few suppliers',
  family: 'market',
  rationale: 'A buyer whose awards go to one or two suppliers, far more than its market explains, may have closed its market to competitors.',
  sources: ['OCP R050', 'GTI supplier concentration', 'Herfindahl-Hirschman index (US DOJ/FTC merger guidelines: 0.25 = highly concentrated)'],
  needs: ['bids.buyer_id'],
  needsAny: [['bids.award_amount', 'bids.is_winner']],
  params: {
    min_awards: { default: 5, min: 2, integer: true, description: 'awards a buyer must have made before it is judged (the test itself scales with the number of awards)' },
    min_market: { default: 10, min: 1, integer: true, description: 'awards at other buyers a segment (category × province) needs to be a comparison market; else the category\'s segment of median concentration is used' },
    k: { default: 1.5, min: 0, description: 'Tukey fence: flag a z above Q3 + k·IQR of the buyers\' values' },
    iqr_floor: { default: 1, min: 0, description: 'smallest IQR of z used for the fence' },
    min_z: { default: 3, min: 0, description: 'and z is at least this' },
    min_hhi: { default: 0.25, min: 0, max: 1, description: 'and the HHI of the award counts is at least this (0.25 = "highly concentrated")' },
    max_p: { default: 0.01, min: 0, max: 1, description: 'and the chance that any supplier of the market wins as many of the buyer\'s awards as its top supplier did is at most this (Σ over suppliers of the binomial tail: exact for few awards, where z overstates)' },
  },
  explain: {
    definition:
      'For each buyer with at least `min_awards` awards to identified suppliers, the Herfindahl-Hirschman index of its suppliers\' shares of the award count, against the HHI expected if each award had gone to a supplier in proportion to the supplier\'s awards at other buyers of the same segment (category × province, with at least `min_market` awards there; else the segment of the same category with the median concentration — a national category is no comparison for a local buyer, whose suppliers are local). Several lots of one tender won by the same firm are one award. The gap is measured in standard deviations of that expectation, which shrink as the buyer makes more awards: 9 of 9 awards to one firm is judged, and one large contract among 20 is not (the value shares are evidence only).',
    formula:
      'HHI = Σ_s (c_s / n)²; with market shares π_s (mixed over the buyer\'s awards), S2 = Σ π², S3 = Σ π³: E[HHI] = 1/n + (1 − 1/n)·S2, Var[HHI] = 4/n⁴ · C(n,2)·(S2 − S2² + 2(n − 2)(S3 − S2²)) (HHI = (n + 2M)/n² with M the pairs of awards to the same supplier); z = (HHI − E) / sd. z is a normal approximation that overstates small buyers (3 of 5 awards to one firm), so the top supplier\'s count k is also tested exactly: p = min(1, Σ_s P(X ≥ k | Binomial(n, π_s))). Flag z > Q3 + k·IQR of the buyers\' z (IQR ≥ iqr_floor), z ≥ min_z, HHI ≥ min_hhi and p ≤ max_p. Score 0.5 at the fence rising to 0.75 at 4 IQRs beyond it; concentration is context, not proof, so it stays medium.',
    why: 'Concentrated awards are the market-level trace of favouritism (a backyard supplier, "sân sau") and of buyer capture; OCP lists it as R050. Comparing with the market keeps a buyer in a market of few suppliers from firing by that alone.',
    falsePositives: 'Buyers with a narrow mandate inside a broad category (a hospital buying one kind of equipment), sole suppliers of a proprietary system, utilities, and remote buyers with few suppliers. Read it with repeat-winner, which compares the top supplier with its share at other buyers.',
    exclusions: 'Awards without an identified winner are not counted. Awards in segments with fewer than `min_market` awards at other buyers are not compared; buyers with fewer than `min_awards` compared awards are not judged.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const buyer = units.table.party('buyer_id')!;
    const award = units.table.num('award_amount');
    const prices = bidPrices(data);
    const notApplicable: Record<string, number> = {};
    const { segment, segName } = unitSegments(data);
    const tender = units.table.str('tender_id');
    // the comparison market of an award: its segment (category × province) at other buyers
    const markets = new Map<number, Market>();
    const add = (key: number, s: number) => {
      let m = markets.get(key);
      if (!m) markets.set(key, (m = { wins: new Map(), awards: 0, sq: 0, cube: 0 }));
      m.wins.set(s, (m.wins.get(s) ?? 0) + 1);
      m.awards++;
    };
    // an award is a tender won by a supplier: several lots of one tender won by the same firm count once
    const byBuyer = new Map<number, number[]>();
    const seen = new Set<number>();
    const T = tender ? tender.dict.length : 0;
    for (let u = 0; u < units.n; u++) {
      if (buyer[u] < 0 || units.winner[u] < 0) continue;
      const w = units.winner[u];
      if (tender && tender.codes[u] >= 0) {
        const k = w * T + tender.codes[u];
        if (seen.has(k)) continue;
        seen.add(k);
      }
      add(segment[u], w);
      let l = byBuyer.get(buyer[u]);
      if (!l) byBuyer.set(buyer[u], (l = []));
      l.push(u);
    }
    for (const m of markets.values())
      for (const c of m.wins.values()) {
        m.sq += c * c;
        m.cube += c * c * c;
      }
    // per category, the segment of typical concentration (median Σ share² among segments with min_market
    // awards): the comparison for awards whose own segment has too few awards at other buyers (a national
    // category would make every local supplier look rare)
    const catOfSeg = new Map<number, number>();
    const catCodes = units.table.str('category');
    for (let u = 0; u < units.n; u++) if (!catOfSeg.has(segment[u])) catOfSeg.set(segment[u], catCodes ? catCodes.codes[u] : -1);
    const typical = new Map<number, number>();
    {
      const byCat = new Map<number, [number, number][]>();
      for (const [key, m] of markets) {
        if (m.awards < p.min_market) continue;
        const c = catOfSeg.get(key)!;
        let l = byCat.get(c);
        if (!l) byCat.set(c, (l = []));
        l.push([m.sq / (m.awards * m.awards), key]);
      }
      for (const [c, l] of byCat) {
        l.sort((x, y) => x[0] - y[0] || (segName[x[1]] < segName[y[1]] ? -1 : 1));
        typical.set(c, l[Math.floor((l.length - 1) / 2)][1]);
      }
    }
    const valueOf = (u: number) => {
      if (award && award[u] > 0) return award[u];
      const w = units.winnerBid[u];
      return w >= 0 && prices && prices[w] > 0 ? prices[w] : 0;
    };

    interface Row {
      b: number;
      n: number;
      hhi: number;
      expected: number;
      sd: number;
      z: number;
      marketSuppliers: number;
      suppliers: [number, number][];
      values: Map<number, number>;
      total: number;
      hhiValue: number | null;
      /** awards compared with their category's typical segment (their own had too few awards elsewhere) */
      borrowed: number;
      /** supplier → share of the buyer's comparison market */
      shares: () => Map<number, number>;
      markets: string[];
    }
    const mixedShares = (keys: number[], weight: Map<number, number>, comparable: number, own: Map<number, Map<number, number>>, others: (k: number) => number) => {
      const pi = new Map<number, number>();
      for (const key of keys) {
        const w = weight.get(key)! / comparable;
        const T = others(key);
        const o = own.get(key) ?? new Map<number, number>();
        for (const [s, W] of markets.get(key)!.wins) {
          const c = W - (o.get(s) ?? 0);
          if (c > 0) pi.set(s, (pi.get(s) ?? 0) + (w * c) / T);
        }
      }
      return pi;
    };
    // the suppliers found in two or more of a set of markets (many buyers share the same set)
    const sharedCache = new Map<string, number[]>();
    const shared = (keys: number[]): number[] => {
      const id = keys.join(',');
      let l = sharedCache.get(id);
      if (!l) {
        const maps = keys.map((k) => markets.get(k)!.wins);
        l = [];
        for (let i = 0; i < maps.length - 1; i++)
          for (const sup of maps[i].keys()) {
            let before = false;
            for (let j = 0; j < i && !before; j++) before = maps[j].has(sup);
            if (before) continue;
            for (let j = i + 1; j < maps.length; j++)
              if (maps[j].has(sup)) {
                l.push(sup);
                break;
              }
          }
        sharedCache.set(id, l);
      }
      return l;
    };
    const rows: Row[] = [];
    const ids = (x: number) => data.parties.id(x);
    for (const b of [...byBuyer.keys()].sort((x, y) => (ids(x) < ids(y) ? -1 : ids(x) > ids(y) ? 1 : 0))) {
      const us = byBuyer.get(b)!;
      if (us.length < p.min_awards) {
        count(notApplicable, `fewer than ${p.min_awards} awards`);
        continue;
      }
      // the buyer's own awards per market, to leave them out of its comparison
      const own = new Map<number, Map<number, number>>();
      const ownAwards = new Map<number, number>();
      for (const u of us) {
        let m = own.get(segment[u]);
        if (!m) own.set(segment[u], (m = new Map()));
        m.set(units.winner[u], (m.get(units.winner[u]) ?? 0) + 1);
        ownAwards.set(segment[u], (ownAwards.get(segment[u]) ?? 0) + 1);
      }
      const others = (key: number) => markets.get(key)!.awards - (ownAwards.get(key) ?? 0);
      // each award's comparison: its segment at other buyers, else the category's typical segment
      const weight = new Map<number, number>();
      let comparable = 0;
      let borrowed = 0;
      for (const u of us) {
        let key = segment[u];
        if (others(key) < p.min_market) {
          const t = typical.get(catOfSeg.get(key)!);
          if (t === undefined || others(t) < p.min_market) continue;
          key = t;
          borrowed++;
        }
        weight.set(key, (weight.get(key) ?? 0) + 1);
        comparable++;
      }
      if (comparable < p.min_awards) {
        count(notApplicable, 'fewer compared awards than min_awards (no segment to compare with)');
        continue;
      }
      // S2 and S3 of the mixed market shares π(s) = Σ_g w_g π_g(s): each market's sums in closed form (its
      // squares and cubes less the buyer's own awards), corrected for the suppliers found in several markets
      let s2 = 0;
      let s3 = 0;
      let marketSuppliers = 0;
      // markets by size, then name (segment numbers follow the row order): the sums below add up alike
      const keys = [...weight.keys()].sort((x, y) => markets.get(x)!.wins.size - markets.get(y)!.wins.size || compareText(segName[x], segName[y]));
      const share = (key: number, sup: number) => {
        const W = markets.get(key)!.wins.get(sup);
        return W === undefined ? 0 : (W - (own.get(key)?.get(sup) ?? 0)) / others(key);
      };
      for (const key of keys) {
        const m = markets.get(key)!;
        const T = others(key);
        const w = weight.get(key)! / comparable;
        let sq = m.sq;
        let cube = m.cube;
        let size = m.wins.size;
        for (const [sup, o] of own.get(key) ?? []) {
          const W = m.wins.get(sup)!;
          sq += (W - o) ** 2 - W * W;
          cube += (W - o) ** 3 - W ** 3;
          if (W === o) size--;
        }
        s2 += (w * w * sq) / (T * T);
        s3 += (w * w * w * cube) / (T * T * T);
        marketSuppliers += size;
      }
      // a supplier in several markets: replace Σ_g (w_g π_g)^k by (Σ_g w_g π_g)^k; found by walking every market
      // but the largest and looking it up in the later (larger) ones
      for (const sup of keys.length > 1 ? shared(keys) : []) {
        let sum = 0;
        let sq = 0;
        let cube = 0;
        let k = 0;
        for (const key of keys) {
          const x = (weight.get(key)! / comparable) * share(key, sup);
          if (!(x > 0)) continue;
          sum += x;
          sq += x * x;
          cube += x * x * x;
          k++;
        }
        if (k < 2) continue;
        s2 += sum * sum - sq;
        s3 += sum ** 3 - cube;
        marketSuppliers -= k - 1;
      }
      const counts = new Map<number, number>();
      const values = new Map<number, number>();
      let total = 0;
      for (const u of us) {
        const w = units.winner[u];
        counts.set(w, (counts.get(w) ?? 0) + 1);
        const v = valueOf(u);
        values.set(w, (values.get(w) ?? 0) + v);
        total += v;
      }
      const n = us.length;
      let hhi = 0;
      for (const c of counts.values()) hhi += (c / n) ** 2;
      let hhiValue: number | null = null;
      if (total > 0) {
        hhiValue = 0;
        for (const v of values.values()) hhiValue += (v / total) ** 2;
      }
      const expected = 1 / n + (1 - 1 / n) * s2;
      const varM = ((n * (n - 1)) / 2) * Math.max(0, s2 - s2 * s2 + 2 * (n - 2) * (s3 - s2 * s2));
      const sd = (2 * Math.sqrt(varM)) / (n * n);
      const z = sd > 0 ? (hhi - expected) / sd : 0;
      const suppliers = [...counts].sort((x, y) => y[1] - x[1] || (values.get(y[0])! - values.get(x[0])!) || (ids(x[0]) < ids(y[0]) ? -1 : 1));
      rows.push({ b, n, hhi, expected, sd, z, marketSuppliers, suppliers, values, total, hhiValue, borrowed, shares: () => mixedShares(keys, weight, comparable, own, others), markets: keys.map((k) => segName[k]) });
    }
    const reference: Reference = { z: sketch(rows.map((r) => r.z)) };
    const f = fencesOf(sketchFrom(ctx.reference, 'z') ?? reference.z, p.k, p.iqr_floor);
    const findings: FindingDraft[] = [];
    for (const r of rows) {
      if (r.z <= f.upper || r.z < p.min_z || r.hhi < p.min_hhi) continue;
      const [top, topN] = r.suppliers[0];
      let pTop = 0;
      for (const x of r.shares().values()) pTop += binomialUpperTail(topN, r.n, x);
      pTop = Math.min(1, pTop);
      if (pTop > p.max_p) {
        count(notApplicable, `concentrated, but as likely from the market as ${p.max_p} or more (few awards)`);
        continue;
      }
      const topValue = r.values.get(top)!;
      const byValue = [...r.values].sort((x, y) => y[1] - x[1] || (ids(x[0]) < ids(y[0]) ? -1 : 1))[0];
      const valueNote =
        r.total > 0
          ? byValue[0] === top
            ? `, ${fmtPct(topValue / r.total, 0)} of the value (${fmtAmount(topValue)})`
            : `; by value ${partyLabel(data, byValue[0])} leads with ${fmtPct(byValue[1] / r.total, 0)} from ${plural(r.suppliers.find(([s]) => s === byValue[0])![1], 'award')}`
          : '';
      findings.push({
        score: Math.max(0.5, ramp(iqrsAboveQ3(r.z, f), p.k, p.k + 4, 0.5, 0.75)),
        title: `${partyLabel(data, r.b)}: ${r.suppliers.length === 1 ? `all ${r.n} awards to one supplier` : `${r.n} awards to ${r.suppliers.length} suppliers`}, HHI ${r.hhi.toFixed(2)} against ${r.expected.toFixed(2)} expected from its market`,
        entities: [buyerEntity(data, r.b), companyEntity(data, top)],
        amount: r.total > 0 ? topValue : null,
        evidence: {
          awards: r.n,
          suppliers: r.suppliers.length,
          basis: 'count',
          hhi: round(r.hhi),
          expectedHhi: round(r.expected),
          sdHhi: round(r.sd),
          z: round(r.z, 2),
          pTopSupplier: Number(pTop.toPrecision(3)),
          comparedWith: r.markets,
          awardsComparedWithTypicalSegment: r.borrowed,
          marketSuppliers: r.marketSuppliers,
          hhiByValue: r.hhiValue === null ? null : round(r.hhiValue),
          topSuppliers: r.suppliers.slice(0, 5).map(([s, c]) => ({ supplier: partyLabel(data, s), awards: c, share: round(c / r.n), valueShare: r.total > 0 ? round(r.values.get(s)! / r.total) : null })),
          medianZ: round(f.median, 2),
          upperFence: round(f.upper, 2),
          threshold: { k: p.k, min_z: p.min_z, min_hhi: p.min_hhi, max_p: p.max_p, min_awards: p.min_awards },
        },
        explanation: `${partyLabel(data, top)} won ${topN} of this buyer's ${r.n} awards${valueNote}; ${r.suppliers.length === 1 ? 'with a single supplier the HHI of the award count is 1.00' : `the ${r.suppliers.length} suppliers' shares of the award count give HHI ${r.hhi.toFixed(2)}`}, against ${r.expected.toFixed(2)} ± ${r.sd.toFixed(2)} had the awards gone to suppliers as often as they win at other buyers of its market (${plural(r.marketSuppliers, 'supplier')}): z-score ${r.z.toFixed(1)} (buyers' outliers from ${f.upper.toFixed(1)}, and at least ${p.min_z}), and a chance of ${fmtChance(pTop)} that any of them wins ${topN} of ${r.n} (threshold ${p.max_p}).`,
      });
    }
    return { findings, applied: rows.length, notApplicable, cutoffs: { ...fenceCutoffs('z', f, 2), min_z: p.min_z, min_hhi: p.min_hhi }, reference };
  },
});
