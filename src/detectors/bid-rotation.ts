import { cobidGraph, expectedFrom, segmentCounts, type CobidGraph } from '../graph/cobid.js';
import { communities, type WeightedEdge } from '../graph/communities.js';
import type { Dataset } from '../model/dataset.js';
import { ramp } from '../scoring/score.js';
import { rankIn, sketch, type Sketch } from '../stats/quantiles.js';
import { median, sketchFrom } from '../stats/outliers.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { INVALID_STATUSES, bidPrices, companyEntity, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';
import { byTender } from './tender-facts.js';
import { compareText } from '../util/compare.js';

interface Reference {
  /** per-tender coefficient of variation of the valid bids (n ≥ 3), all tenders */
  cv: Sketch;
  /** the same per category, for categories with at least min_segment such tenders */
  byCategory?: Record<string, Sketch>;
}

export default defineDetector({
  id: 'bid-rotation',
  title: 'A recurring group of co-bidders takes turns winning',
  family: 'market',
  rationale: 'In a bid-rotation cartel the same firms meet again and again and share the wins in turn, each winning about as often as it takes part, while the losing bids are covers priced close together.',
  sources: ['OCP R057', 'OECD 2009 guidelines for fighting bid rigging (bid rotation)', 'Imhof, Karagök & Rutz (2018) screens for bid rigging'],
  needs: ['bids.bidder_id', 'bids.is_winner'],
  uses: ['cobid-graph'],
  params: {
    min_firms: { default: 3, min: 2, integer: true, description: 'firms in the group' },
    min_tenders: { default: 8, min: 2, integer: true, description: 'tenders where at least two members bid together' },
    min_pair_cobids: { default: 3, min: 2, integer: true, description: 'co-bids for a pair to link two firms in the co-bidding graph' },
    min_ring_share: { default: 0.7, min: 0, max: 1, description: 'share of the group\'s joint tenders won by a member' },
    min_evenness: { default: 0.7, min: 0, max: 1, description: 'evenness of wins against participation: 1 − ½ Σ |win share − participation share|' },
    min_segment: { default: 30, min: 1, integer: true, description: 'tenders with a bid CV a category needs to be ranked within itself (else against all tenders)' },
    min_price_rank: { default: 0.6, min: 0, max: 1, description: 'mean collusive price rank of the joint tenders (1 − percentile of the tender\'s bid CV)' },
  },
  explain: {
    definition:
      'Firms are linked when they bid together at least `min_pair_cobids` times and more than chance (lift ≥ 2 over independent participation within category × province, or one firm bids in the other\'s tenders at least half the time); communities of that co-bidding graph (Louvain, fixed seed) are candidate groups. For each group of ≥ `min_firms` firms with ≥ `min_tenders` joint tenders, the detector measures how much of the joint tenders the group wins, how evenly the wins follow participation, how many members win, and how collusive the prices of the joint tenders look (a low coefficient of variation of the bids, ranked against every tender).',
    formula:
      'evenness = 1 − ½ Σ_i |wins_i / W − part_i / Σ part|; priceRank = mean over joint tenders (≥ 3 valid bids) of 1 − rank(CV) within the tender\'s category (≥ min_segment ranked tenders, else among all); flag ring share ≥ min_ring_share, evenness ≥ min_evenness, ≥ 3 (or all, if fewer) members winning, priceRank ≥ min_price_rank. Score 0.5 + 0.15 × evenness from min_evenness to 1 + 0.15 × priceRank from min_price_rank to 0.9 + 0.05 × tenders from min_tenders to 3·min_tenders.',
    why: 'Rotation is the textbook allocation scheme (OECD): the group decides who wins each tender and the others submit cover bids. Wins that follow participation closely inside a closed group, on tenders whose prices are unusually close together, are what it leaves in the data.',
    falsePositives: 'Small specialised markets where the same few firms always compete and win in turn honestly; the price screen is what separates them, so a group flagged with a low price rank deserves less weight.',
    exclusions: 'Tenders with more than 40 bidders are left out of the graph. The price screen needs ≥ 3 valid bids with prices; groups whose joint tenders have none are judged without it (priceRank reported as null and the flag needs the other criteria only, at most medium).',
  },
  run(data, p, ctx) {
    const g = cobidGraph(data);
    const units = data.units;
    const cv = tenderCv(data);
    const reference: Reference = { cv: sketch(cv), byCategory: {} };
    const cvRef = sketchFrom(ctx.reference, 'cv') ?? reference.cv;
    // per category: bid CVs differ between works and goods, so a tender is ranked within its category
    const cat = units.table.str('category');
    const catRef: (Sketch | undefined)[] = [];
    if (cat) {
      const given = (ctx.reference as Reference | undefined)?.byCategory;
      cat.dict.forEach((name, c) => {
        const vals: number[] = [];
        for (let u = 0; u < units.n; u++) if (cat.codes[u] === c && !Number.isNaN(cv[u])) vals.push(cv[u]);
        if (vals.length >= p.min_segment) reference.byCategory![name] = sketch(vals);
        catRef[c] = given ? sketchFrom(given, name) : reference.byCategory![name];
      });
    }
    const refFor = (u: number) => (cat && cat.codes[u] >= 0 ? catRef[cat.codes[u]] : undefined) ?? cvRef;
    const edges = strongEdges(g, p.min_pair_cobids);
    const groups = communitiesById(data, edges).filter((c) => c.length >= p.min_firms);
    const findings: FindingDraft[] = [];
    // reusable scratch arrays: member index of each party in the current group, members per unit
    const memberIdx = new Int32Array(data.parties.size).fill(-1);
    const perUnit = new Int32Array(units.n);
    const lastSeen = new Int32Array(data.parties.size).fill(-1);
    const bidder = data.bids!.party('bidder_id')!;
    let applied = 0;
    const tenderOrder = byTender(data);
    groups.forEach((grp) => {
      grp.forEach((f, i) => (memberIdx[f] = i));
      // joint tenders: counted units with ≥ 2 members
      const touched: number[] = [];
      for (const f of grp)
        for (let k = g.unitStart[f]; k < g.unitStart[f + 1]; k++) {
          const u = g.unitList[k];
          if (!g.unitCounted[u]) continue;
          if (perUnit[u]++ === 0) touched.push(u);
        }
      const joint = touched.filter((u) => perUnit[u] >= 2).sort(tenderOrder);
      for (const u of touched) perUnit[u] = 0;
      const done = () => grp.forEach((f) => (memberIdx[f] = -1));
      if (joint.length < p.min_tenders) return done();
      applied++;
      const part = new Array(grp.length).fill(0);
      const wins = new Array(grp.length).fill(0);
      for (const u of joint) {
        for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
          const f = bidder[units.bidRows[k]];
          if (f < 0 || memberIdx[f] < 0 || lastSeen[f] === u) continue;
          lastSeen[f] = u;
          part[memberIdx[f]]++;
        }
        const w = units.winner[u];
        if (w >= 0 && memberIdx[w] >= 0) wins[memberIdx[w]]++;
      }
      done();
      const W = wins.reduce((s, x) => s + x, 0);
      const ringShare = W / joint.length;
      if (ringShare < p.min_ring_share || W === 0) return;
      const partTotal = part.reduce((s, x) => s + x, 0);
      let dev = 0;
      for (let i = 0; i < grp.length; i++) dev += Math.abs(wins[i] / W - part[i] / partTotal);
      const evenness = 1 - dev / 2;
      const winners = wins.filter((x) => x > 0).length;
      if (evenness < p.min_evenness || winners < Math.min(3, grp.length)) return;
      let rankSum = 0;
      let ranked = 0;
      for (const u of joint) {
        if (Number.isNaN(cv[u])) continue;
        rankSum += 1 - rankIn(refFor(u), cv[u]);
        ranked++;
      }
      const priceRank = ranked ? rankSum / ranked : NaN;
      if (ranked && priceRank < p.min_price_rank) return;
      const score = ranked
        ? 0.5 + 0.15 * ramp(evenness, p.min_evenness, 1, 0, 1) + 0.15 * ramp(priceRank, p.min_price_rank, 0.9, 0, 1) + 0.05 * ramp(joint.length, p.min_tenders, 3 * p.min_tenders, 0, 1)
        : 0.5 + 0.1 * ramp(evenness, p.min_evenness, 1, 0, 1);
      // members are in id order (communitiesById), so ids[0] is the smallest member id
      const ids = grp.map((f) => data.parties.id(f));
      const group: Entity = { type: 'group', id: `ring-${ids[0]}-${grp.length}`, name: `co-bidding group of ${grp.length}` };
      const jointCv = joint.map((u) => cv[u]).filter((x) => !Number.isNaN(x));
      const listed = joint.map((u) => tenderLabel(data, u)).sort();
      findings.push({
        score,
        title: `${grp.length} firms shared ${W} wins of ${joint.length} joint tenders in turn, ${winners} of them winning (evenness ${round(evenness, 2)})`,
        entities: [group, ...grp.map((f) => companyEntity(data, f)), ...joint.map((u) => tenderEntity(data, u))],
        evidence: {
          members: grp.map((f, i) => ({ firm: partyLabel(data, f), tenders: part[i], wins: wins[i] })),
          jointTenders: joint.length,
          ringWins: W,
          ringShare: round(ringShare),
          evenness: round(evenness),
          membersWinning: winners,
          priceRank: ranked ? round(priceRank) : null,
          tendersPriceRanked: ranked,
          ringMedianCv: jointCv.length ? round(median(jointCv), 5) : null,
          referenceMedianCv: round(quantileOf(cvRef, 0.5), 5),
          threshold: { min_firms: p.min_firms, min_tenders: p.min_tenders, min_ring_share: p.min_ring_share, min_evenness: p.min_evenness, min_price_rank: p.min_price_rank },
          tenders: listed.slice(0, 50),
        },
        explanation: `These ${grp.length} firms met in ${joint.length} tenders and won ${fmtPct(ringShare, 0)} of them, with ${winners} of the ${grp.length} firms winning in turn and wins following participation (evenness ${round(evenness, 2)}, threshold ${p.min_evenness})${ranked ? `, on tenders whose bids sit unusually close together (median CV ${fmtPct(median(jointCv), 1)} against ${fmtPct(quantileOf(cvRef, 0.5), 1)} over all tenders; price rank ${round(priceRank, 2)}, threshold ${p.min_price_rank})` : ''}.`,
      });
    });
    return {
      findings,
      applied,
      notApplicable: { 'communities with fewer firms or joint tenders': groups.length - applied },
      cutoffs: { linkedPairs: edges.length, communities: groups.length, referenceMedianCv: round(quantileOf(cvRef, 0.5), 5) },
      reference,
    };
  },
});

/**
 * Communities of the strong co-bidding graph with the firms numbered in the order of their ids, so that the
 * same firms give the same communities whatever the order of the rows (interned party numbers follow the
 * order in which firms were first read). Each community is listed in id order.
 */
function communitiesById(data: Dataset, edges: WeightedEdge[]): number[][] {
  const nodes = [...new Set(edges.flatMap((e) => [e.a, e.b]))];
  nodes.sort((x, y) => compareText(data.parties.id(x), data.parties.id(y)));
  const rank = new Map<number, number>();
  nodes.forEach((x, i) => rank.set(x, i));
  const ranked = edges.map((e) => ({ a: rank.get(e.a)!, b: rank.get(e.b)!, w: e.w }));
  return communities(ranked, { seed: 1 }).map((c) => c.map((i) => nodes[i]));
}

function quantileOf(s: Sketch, p: number): number {
  const q = s.q;
  if (!q.length) return NaN;
  return q[Math.round(p * (q.length - 1))];
}

/** Pairs that bid together often and more than chance: the edges communities are found in. */
export function strongEdges(g: CobidGraph, minCobids: number): WeightedEdge[] {
  const edges: WeightedEdge[] = [];
  const pairs = g.pairs;
  const segs = new Map<number, Map<number, number>>();
  const segOf = (f: number) => {
    let m = segs.get(f);
    if (!m) segs.set(f, (m = segmentCounts(g, f)));
    return m;
  };
  for (const s of pairs.slots(minCobids)) {
    const a = pairs.a[s];
    const b = pairs.b[s];
    const n = pairs.n[s];
    const exclusive = Math.max(n / Math.max(1, g.counted[a]), n / Math.max(1, g.counted[b]));
    if (exclusive < 0.5) {
      const e = expectedFrom(g, segOf(a), segOf(b));
      if (e > 0 && n / e < 2) continue;
    }
    edges.push({ a, b, w: n });
  }
  return edges;
}

/** Per unit: the coefficient of variation of its valid bids (≥ 3 with prices), else NaN. */
export function tenderCv(data: Dataset): Float64Array {
  const units = data.units;
  const prices = bidPrices(data);
  const out = new Float64Array(units.n).fill(NaN);
  if (!prices) return out;
  const status = data.bids!.str('bid_status');
  for (let u = 0; u < units.n; u++) {
    let n = 0;
    let sum = 0;
    let sq = 0;
    for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
      const r = units.bidRows[k];
      const st = status && status.codes[r] >= 0 ? status.dict[status.codes[r]] : '';
      if (INVALID_STATUSES.has(st) || !(prices[r] > 0)) continue;
      n++;
      sum += prices[r];
      sq += prices[r] * prices[r];
    }
    if (n < 3) continue;
    const mean = sum / n;
    const variance = Math.max(0, (sq - n * mean * mean) / (n - 1));
    out[u] = Math.sqrt(variance) / mean;
  }
  return out;
}
