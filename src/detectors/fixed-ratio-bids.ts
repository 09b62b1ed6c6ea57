import { ramp } from '../scoring/score.js';
import { mean, sd } from '../stats/screens.js';
import { validBids } from '../stats/tender-prices.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';
import { byTender } from './tender-facts.js';

/** tenders whose two bids are listed in the evidence */
const MAX_LISTED = 20;

export default defineDetector({
  id: 'fixed-ratio-bids',
  title: 'Two bidders keep the same price ratio across tenders',
  family: 'price',
  rationale: 'Independent firms\' prices move with their own costs; when one firm\'s bid is the other\'s times the same factor tender after tender, one of them is deriving its price from the other\'s.',
  sources: ['OCP R023 (fixed price ratio between bidders)', 'OECD 2009 Guidelines for fighting bid rigging (bids that are a fixed percentage apart)'],
  needs: ['bids.tender_id', 'bids.bidder_id'],
  needsAny: [['bids.bid_amount', 'bids.final_amount']],
  params: {
    precision: { default: 0.005, min: 0.0001, max: 0.1, description: 'ratios within this width (relative) count as the same ratio' },
    min_tenders: { default: 4, min: 2, integer: true, description: 'tenders in which the pair must keep the ratio' },
    max_bids: { default: 12, min: 2, integer: true, description: 'per tender, only pairs among the lowest this many valid bids are compared (bounds the work)' },
    min_share: { default: 0.5, min: 0, max: 1, description: 'and in at least this share of the tenders the pair both bid' },
    min_ratio: { default: 1.01, min: 1, description: 'ratios below this are not judged: prices that close are a close bid (close-second-bid, identical-bids), not a mark-up' },
    max_partners: { default: 4, min: 1, integer: true, description: 'a firm that keeps about the same ratio (within 2 × precision) to more than this many partners (more than a cover group of a handful of firms) only sits at a fixed offset from a group of firms that bid alike: its pairs are not reported' },
    min_cv: { default: 0.01, min: 0, max: 1, description: 'tenders whose compared bids have a CV below this are skipped: when every bid is that close, any two keep a near-constant ratio' },
  },
  explain: {
    definition: 'For every pair of bidders that meet in a tender (among its lowest `max_bids` valid bids), the ratio of the higher-id firm\'s bid to the lower-id firm\'s. A pair whose ratio stays within a window of width `precision` in at least `min_tenders` tenders, and in at least `min_share` of the tenders the two both bid, is flagged, with the tenders of that window. Tenders whose compared bids are all within a CV of `min_cv` are skipped: there every pair keeps a near-constant ratio by arithmetic, not by agreement.',
    formula: 'ratio = price(B)/price(A) for firms A < B by id, in every shared tender; per pair, the largest set of tenders whose ratios lie within a window [x, x·(1 + precision)], max over x; flag when its size ≥ min_tenders and ≥ min_share × shared tenders, and the ratio (or its inverse) ≥ min_ratio. Score 0.55 at min_tenders rising to 0.85 at min_tenders + 4 tenders. A firm whose flagged pairs with more than max_partners partners share about one ratio (within 2 × precision) is a fan: its partners bid alike and the firm sits at a fixed offset from them, so those pairs are not reported.',
    why: 'A cover bidder told to "bid 5% above me" produces the same ratio every time; honest rivals\' ratios wander with their costs, workloads and the scope of each tender.',
    falsePositives: 'Firms that price from the same published schedule of rates with fixed discounts, framework call-offs priced from one catalogue, and branches of one firm (see shared-identity).',
    exclusions: 'What is judged (applied) is a pair of bidders that met at least once; skipped tenders are counted in notApplicable. Bidders without an id, invalid bids and non-positive prices are left out; ratios below `min_ratio` (prices within about 1%) are left to close-second-bid and identical-bids.',
  },
  run(data, p) {
    const units = data.units;
    const prices = bidPrices(data)!;
    const bidder = data.bids!.party('bidder_id')!;
    const notApplicable: Record<string, number> = {};
    // one record per (pair, tender): pair key a·P + b (a < b), log ratio, unit; typed arrays, no maps
    const P = data.parties.size;
    let cap = 1024;
    let keyA = new Float64Array(cap);
    let lr = new Float64Array(cap);
    let unitOf = new Int32Array(cap);
    let m = 0;
    const push = (key: number, x: number, u: number) => {
      if (m === cap) {
        cap *= 2;
        const k2 = new Float64Array(cap);
        k2.set(keyA);
        keyA = k2;
        const l2 = new Float64Array(cap);
        l2.set(lr);
        lr = l2;
        const u2 = new Int32Array(cap);
        u2.set(unitOf);
        unitOf = u2;
      }
      keyA[m] = key;
      lr[m] = x;
      unitOf[m] = u;
      m++;
    };
    /** The two firms' bids in a tender (each its lowest valid bid), for the evidence. */
    const pairBids = (u: number, lo: number, hi: number) => {
      const { b, rows } = validBids(data, prices, u);
      const bidOf = (f: number) => {
        const i = rows.findIndex((r) => bidder[r] === f);
        return i < 0 ? null : b[i];
      };
      const [x, y] = [bidOf(lo), bidOf(hi)];
      return { tender: tenderLabel(data, u), lower: { bidder: data.parties.id(lo), amount: x }, higher: { bidder: data.parties.id(hi), amount: y }, ratio: x && y ? round(y / x, 5) : null };
    };
    let tenders = 0;
    for (let u = 0; u < units.n; u++) {
      const { b, rows } = validBids(data, prices, u);
      // one bid per firm: its lowest
      const firms: number[] = [];
      const price: number[] = [];
      for (let i = 0; i < rows.length && firms.length < p.max_bids; i++) {
        const f = bidder[rows[i]];
        if (f < 0 || firms.includes(f)) continue;
        firms.push(f);
        price.push(b[i]);
      }
      if (firms.length < 2) {
        count(notApplicable, 'tenders with fewer than 2 bidders with ids and valid prices');
        continue;
      }
      if (firms.length >= 3 && sd(price) / mean(price) < p.min_cv) {
        count(notApplicable, `tenders whose bids are too uniform to tell (CV below ${p.min_cv})`);
        continue;
      }
      tenders++;
      for (let i = 0; i < firms.length; i++)
        for (let j = i + 1; j < firms.length; j++) {
          const [a, c, pa, pc] = firms[i] < firms[j] ? [firms[i], firms[j], price[i], price[j]] : [firms[j], firms[i], price[j], price[i]];
          push(a * P + c, Math.log(pc / pa), u);
        }
    }
    const order = pairOrder(keyA, lr, unitOf, m, P);
    const width = Math.log(1 + p.precision);
    const minLr = Math.log(p.min_ratio);
    const candidates: { hiF: number; loF: number; lr: number; draft: FindingDraft }[] = [];
    let pairs = 0;
    for (let s = 0; s < m; ) {
      let e = s;
      while (e < m && keyA[order[e]] === keyA[order[s]]) e++;
      pairs++;
      if (e - s >= p.min_tenders) {
        // the widest run of ratios within `width`, distinct tenders; among runs of the same length the
        // tightest, then the one with the first tender id (the pair's orientation and the record order
        // follow the interned ids, i.e. the row order: the choice must not)
        let bestLo = -1;
        let bestN = 0;
        let bestSpread = Infinity;
        let lo = s;
        const runKey = (from: number, n: number) =>
          Array.from({ length: n }, (_, k) => tenderLabel(data, unitOf[order[from + k]]))
            .sort()
            .join(',');
        for (let hi = s; hi < e; hi++) {
          while (lr[order[hi]] - lr[order[lo]] > width) lo++;
          const n = hi - lo + 1;
          const spread = lr[order[hi]] - lr[order[lo]];
          // (ties matter only for runs long enough to be reported)
          if (n > bestN || (n === bestN && n >= p.min_tenders && (spread < bestSpread || (spread === bestSpread && runKey(lo, n) < runKey(bestLo, bestN))))) {
            bestN = n;
            bestLo = lo;
            bestSpread = spread;
          }
        }
        const idx = Array.from({ length: bestN }, (_, k) => order[bestLo + k]);
        const us = [...new Set(idx.map((i) => unitOf[i]))].sort(byTender(data));
        const meanLr = idx.reduce((acc, i) => acc + lr[i], 0) / idx.length;
        if (us.length >= p.min_tenders && us.length >= p.min_share * (e - s) && Math.abs(meanLr) >= minLr) {
          const key = keyA[order[s]];
          const a = Math.floor(key / P);
          const c = key - a * P;
          const ratio = Math.exp(meanLr);
          const [hiF, loF, r] = ratio >= 1 ? [c, a, ratio] : [a, c, 1 / ratio];
          const spread = Math.exp(lr[idx[idx.length - 1]] - lr[idx[0]]) - 1;
          const draft: FindingDraft = {
            score: ramp(us.length, p.min_tenders, p.min_tenders + 4, 0.55, 0.85),
            title: `${partyLabel(data, hiF)} bid ${fmtPct(r - 1, 2)} above ${partyLabel(data, loF)} in ${us.length} tenders`,
            entities: [companyEntity(data, loF), companyEntity(data, hiF), ...us.map((u) => tenderEntity(data, u))],
            amount: null,
            evidence: {
              ratio: round(r, 5),
              spread: round(spread, 6),
              tenders: us.map((u) => tenderLabel(data, u)),
              bids: us.slice(0, MAX_LISTED).map((u) => pairBids(u, loF, hiF)),
              sharedTenders: e - s,
              thresholds: { precision: p.precision, min_tenders: p.min_tenders, min_ratio: p.min_ratio, max_partners: p.max_partners },
            },
            explanation: `In ${us.length} of the ${e - s} tenders they both bid, ${partyLabel(data, hiF)} priced at ${round(r, 4)}× ${partyLabel(data, loF)}'s bid, the ratios within ${fmtPct(spread, 2)} of each other (threshold ${fmtPct(p.precision, 1)} in ≥ ${p.min_tenders} tenders): one price looks derived from the other.`,
          };
          candidates.push({ hiF, loF, lr: Math.log(r), draft });
        }
      }
      s = e;
    }
    // a fan: one firm at the same ratio above (or below) many partners. The partners then bid alike in those
    // tenders (a tight group, bid-screens' and identical-bids' finding) and the firm merely sits off that
    // group; no pair has a ratio of its own.
    const side = (c: (typeof candidates)[number], f: number) => (c.hiF === f ? 1 : -1) * c.lr;
    const fanOf = (c: (typeof candidates)[number]): number => {
      let worst = 0;
      for (const f of [c.hiF, c.loF]) {
        const x = side(c, f);
        let k = 0;
        for (const o of candidates) if ((o.hiF === f || o.loF === f) && Math.abs(side(o, f) - x) <= 2 * width) k++;
        worst = Math.max(worst, k);
      }
      return worst;
    };
    const findings: FindingDraft[] = [];
    for (const c of candidates) {
      const fan = fanOf(c);
      if (fan > p.max_partners) {
        count(notApplicable, `pairs where one firm keeps the same ratio to more than ${p.max_partners} partners (a fixed offset from a group that bids alike)`);
        continue;
      }
      c.draft.evidence.partnersAtThisRatio = fan;
      findings.push(c.draft);
    }
    // what is judged is a pair of bidders; tenders are the material
    return { findings, applied: pairs, notApplicable, cutoffs: { 'tenders compared': tenders, 'bidder pairs compared': pairs } };
  },
});

/**
 * Records (pair key a·P + b, log ratio, unit) in (pair, log ratio, unit) order: counting sorts by the
 * second firm, then (stable) by the first, give the pairs; then each pair's few records are sorted by
 * ratio. The same order as one comparator sort on the three keys, without its n log n calls.
 */
export function pairOrder(keyA: Float64Array, lr: Float64Array, unitOf: Int32Array, m: number, P: number): Int32Array {
  const order = new Int32Array(m);
  const cnt = new Int32Array(P + 1);
  const byC = new Int32Array(m);
  for (let i = 0; i < m; i++) cnt[(keyA[i] % P) + 1]++;
  for (let v = 0; v < P; v++) cnt[v + 1] += cnt[v];
  for (let i = 0; i < m; i++) byC[cnt[keyA[i] % P]++] = i;
  cnt.fill(0);
  for (let i = 0; i < m; i++) cnt[Math.floor(keyA[i] / P) + 1]++;
  for (let v = 0; v < P; v++) cnt[v + 1] += cnt[v];
  for (let k = 0; k < m; k++) {
    const i = byC[k];
    order[cnt[Math.floor(keyA[i] / P)]++] = i;
  }
  for (let s = 0; s < m; ) {
    let e = s + 1;
    while (e < m && keyA[order[e]] === keyA[order[s]]) e++;
    if (e - s > 1) order.subarray(s, e).sort((x, y) => lr[x] - lr[y] || unitOf[x] - unitOf[y]);
    s = e;
  }
  return order;
}
