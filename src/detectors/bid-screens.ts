import { ramp } from '../scoring/score.js';
import { screens, tightestSubgroup, type Screens } from '../stats/screens.js';
import { rankIn, sketch, quantile, type Sketch } from '../stats/quantiles.js';
import { ALL, segmentUnits } from '../stats/segments.js';
import { bidList, validBids } from '../stats/tender-prices.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtPct, round, tenderEntity, tenderLabel } from './util.js';

/**
 * The screens bid-screens combines, chosen by measurement on four labelled cartel sets (docs/screens.md):
 * CV, SPD and SKEW of the whole tender (low is collusive) and the CV of the tightest 4 bids (a partial
 * cartel), combined by a weighted geometric mean of their percentiles; MAD is in the list with weight 0
 * (measured: it helps Ticino and costs Italy). DIFFP, RD, RDNOR, RDALT and KURT carry no signal, or the
 * reverse, on at least two of the sets.
 */
export const COMBINED = ['cv', 'spd', 'skew', 'sub4_cv', 'mad', 'price'] as const;
export type CombinedScreen = (typeof COMBINED)[number];

/** Screens whose collusive direction is high (the others: low). */
const HIGH_IS_COLLUSIVE: ReadonlySet<CombinedScreen> = new Set(['price']);

/**
 * Screens a tender may lack for want of data rather than of bids (no estimate): left out of that tender's
 * mean instead of counting as the least collusive percentile.
 */
const OPTIONAL: ReadonlySet<CombinedScreen> = new Set(['price']);

/** Lowest bid / estimate outside this band is another unit or a typo, not a price level. */
export const PRICE_PLAUSIBLE = [0.2, 5] as const;

/** "98.5% of", or "all" when the share would print as 100.0%. */
function shareOf(rank: number): string {
  return rank >= 0.9995 ? 'all' : `${fmtPct(rank, 1)} of`;
}

/** "all of them", "98.0% of them" */
function ofThem(rank: number): string {
  return rank >= 0.9995 ? 'all of them' : `${fmtPct(rank, 1)} of them`;
}

/** Percentiles below this count as this in the geometric mean (log 0 is unbounded). */
export const PCT_FLOOR = 0.001;

/** What a baseline freezes: per segment, a sketch of each combined screen's raw values. */
export interface BidScreensReference {
  kind: 'bid-screens';
  version: 1;
  segments: Record<string, Record<CombinedScreen | 'combined', Sketch>>;
}

function isReference(x: unknown): x is BidScreensReference {
  return !!x && typeof x === 'object' && (x as BidScreensReference).kind === 'bid-screens' && !!(x as BidScreensReference).segments;
}

export default defineDetector({
  id: 'bid-screens',
  title: 'Bid prices too close together (collusion screens)',
  family: 'price',
  rationale: 'Competing firms price independently, so their bids scatter; cartels and cover bidders produce bids that bunch tightly and asymmetrically. Screens measure that, relative to comparable tenders.',
  sources: [
    'Imhof, Karagök & Rutz 2018, Screening for bid rigging: does it work? (J. Competition Law & Economics)',
    'Huber & Imhof 2019, Machine learning with screens for detecting bid-rigging cartels (IJIO)',
    'Wallimann, Imhof & Huber 2022, A machine learning approach for flagging incomplete bid-rigging cartels (Computational Economics)',
    'OECD 2009 Guidelines for fighting bid rigging',
  ],
  needs: ['bids.tender_id'],
  needsAny: [['bids.bid_amount', 'bids.final_amount']],
  params: {
    min_bids: { default: 3, min: 3, integer: true, description: 'valid bids a tender needs to be judged' },
    min_segment: { default: 30, min: 1, integer: true, description: 'tenders a category × procedure segment needs for its own percentiles; else the whole input' },
    w_cv: { default: 3, min: 0, description: 'weight of CV (coefficient of variation) in the combined percentile' },
    w_spd: { default: 1, min: 0, description: 'weight of SPD (spread) in the combined percentile' },
    w_skew: { default: 1, min: 0, description: 'weight of SKEW (skewness; negative is collusive)' },
    w_subgroup: { default: 1, min: 0, description: 'weight of the CV of the tightest 4 bids (partial cartels)' },
    w_price: { default: 2, min: 0, description: 'weight of the price level: lowest valid bid / estimate, high is collusive (cartels raise the price; left out where there is no estimate)' },
    w_mad: { default: 0, min: 0, description: 'weight of MAD (median absolute deviation / median, a robust CV that one outlying bid does not move)' },
    combine: { default: 'geometric', values: ['geometric', 'arithmetic'], description: 'how the screens\' percentiles are combined: weighted geometric mean (every screen must agree) or weighted arithmetic mean' },
    w_firms: { default: 0.5, min: 0, max: 1, description: 'share of the bidders\' history in the combined value: the mean screen value of the other tenders the same firms bid in (0 = this tender alone)' },
    medium_at: { default: 0.97, min: 0, max: 1, description: 'percentile of the combined screen among comparable tenders at which a tender scores 0.5 (medium)' },
    cv_strong: { default: 0.0075, min: 0, max: 1, description: 'absolute CV at or below which an extreme tender can reach high' },
    min_score: { default: 0.5, min: 0, max: 1, description: 'tenders scoring below this give no finding (0 ranks every judged tender)' },
  },
  explain: {
    definition:
      'For each tender with at least `min_bids` valid bids (sorted b1 ≤ … ≤ bn), the screens CV, SPD, DIFFP, RD, RDNOR, RDALT, SKEW, KURT and the subgroup screens (the tightest 3 and 4 bids). Each combined screen is ranked in its collusive direction among tenders of the same segment (category × procedure with ≥ `min_segment` tenders, else the whole input) or against a frozen baseline; the weighted mean of those percentile ranks is the tender\'s combined value, mixed (weight `w_firms`) with the same value averaged over the other tenders its bidders took part in, since cartels bid together again and again. Where tenders carry an estimate, the price level (lowest valid bid over the estimate) joins the combination: a cartel exists to raise the price, so its best bid stays close to the buyer\'s estimate (the "savings rate" Vietnamese audits read).',
    formula:
      'CV = s/μ; SPD = (bn − b1)/b1; SKEW = n/((n−1)(n−2)) Σ((bi − μ)/s)³; sub4 CV = min CV over subsets of 4 bids (all subsets up to 10 bids, consecutive windows beyond; a 3-bid tender\'s own CV). P(x) = percentile of x in the collusive direction (low CV, SPD, SKEW, sub4 CV; high PL). C = the weighted geometric mean exp(Σ w_k·ln max(P_k, 0.001) / Σw) over CV (w_cv), SPD (w_spd), SKEW (w_skew), sub4 CV (w_subgroup), MAD = median|bi − median|/median (w_mad, 0 by default) and the price level PL = b1 / estimate (w_price; high is collusive; left out of the tender\'s mean when it has no estimate or PL is outside 0.2–5, a unit mismatch), so a tender ranks high only when the screens agree (combine = arithmetic: Σ w_k·P_k / Σw); a screen the tender cannot judge counts as the lowest percentile. With bidder ids, H = mean over the tender\'s firms of the mean C of each firm\'s other tenders (firms with no other tender left out; 0.5 when none is left), and C\' = (1 − w_firms)·C + w_firms·H; without, C\' = C. R = percentile of C\' among the segment\'s tenders (or the baseline\'s). Score = 0.5·R/medium_at below medium_at, 0.5 → 0.75 from R = medium_at to R = 1, plus 0.05 → 0.15 as CV falls from cv_strong to 0, so only a tender that is both extreme for its segment and absolutely tight reaches high. DIFFP, RD, RDNOR, RDALT, KURT and MAD are reported as evidence only: on the labelled sets they carry no signal, the reverse, or help one set at another\'s expense (docs/screens.md).',
    why: 'Cover bids are written by the designated winner or by agreement, so they sit close to the winning bid and to each other (low CV and spread), with the winner slightly below a bunched group (negative skew). Partial cartels show the same inside a subset of the bidders. And the agreement is there to raise the price: the best offer stays near the estimate.',
    falsePositives:
      'Standardised goods with a published price list, tenders where the estimate is disclosed and bidders price just under it, small markets where all firms share one cost structure, and framework call-offs. Percentiles are relative: in a segment where most tenders are rigged, a rigged tender looks ordinary. The bidders\' history lifts every tender of firms that habitually price close together (regular suppliers of one standard product), rigged or not.',
    exclusions: 'Disqualified, withdrawn and late bids and non-positive prices are left out; tenders with fewer than `min_bids` valid bids are not judged (see notApplicable).',
  },
  run(data, p, ctx) {
    const units = data.units;
    const prices = bidPrices(data)!;
    const bidder = data.bids!.party('bidder_id');
    const award = units.table.num('award_amount');
    const notApplicable: Record<string, number> = {};
    const judged = new Uint8Array(units.n);
    const sc: (Screens | undefined)[] = new Array(units.n);
    const sub4: ({ cv: number; rows: number[] } | undefined)[] = new Array(units.n);
    const sub3cv = new Float64Array(units.n).fill(NaN);
    const valid: number[][] = new Array(units.n);
    const perScreen = () => Object.fromEntries(COMBINED.map((k) => [k, new Float64Array(units.n).fill(NaN)])) as Record<CombinedScreen, Float64Array>;
    const raw = perScreen();
    const est = units.table.num('estimated_value');
    for (let u = 0; u < units.n; u++) {
      const { b, rows } = validBids(data, prices, u);
      if (b.length < p.min_bids) {
        count(notApplicable, `fewer than ${p.min_bids} valid bids`);
        continue;
      }
      judged[u] = 1;
      valid[u] = rows;
      const s = screens(b);
      sc[u] = s;
      raw.cv[u] = s.cv;
      raw.spd[u] = s.spd;
      raw.skew[u] = s.skew;
      raw.mad[u] = s.mad;
      // price level: the best price competition produced, against the buyer's own estimate
      if (est && est[u] > 0) {
        const r = b[0] / est[u];
        if (r >= PRICE_PLAUSIBLE[0] && r <= PRICE_PLAUSIBLE[1]) raw.price[u] = r;
        else count(notApplicable, 'price level not judged: lowest bid / estimate implausible (unit mismatch?)');
      }
      // the tightest 4 bids; a 3-bid tender is its own tightest group
      const g4 = tightestSubgroup(b, Math.min(4, b.length));
      if (g4) {
        raw.sub4_cv[u] = g4.cv;
        sub4[u] = { cv: g4.cv, rows: g4.idx.map((i) => rows[i]) };
      }
      const g3 = tightestSubgroup(b, 3);
      if (g3) sub3cv[u] = g3.cv;
    }

    // reference distributions: the baseline's, or this data's own per segment ("all" = every judged tender)
    const frozen = isReference(ctx.reference) ? ctx.reference : undefined;
    const seg = segmentUnits(data, judged, p.min_segment, frozen ? new Set(Object.keys(frozen.segments)) : undefined);
    const reference: BidScreensReference = { kind: 'bid-screens', version: 1, segments: {} };
    const weights: Record<CombinedScreen, number> = { cv: p.w_cv, spd: p.w_spd, skew: p.w_skew, sub4_cv: p.w_subgroup, mad: p.w_mad, price: p.w_price };
    const geometric = p.combine === 'geometric';
    // members of each segment, grouped once; "all" = every judged tender
    const byName = new Map<string, number[]>();
    const everyone: number[] = [];
    for (let u = 0; u < units.n; u++) {
      if (!judged[u]) continue;
      everyone.push(u);
      const name = seg.names[seg.of[u]];
      if (name === ALL) continue;
      let l = byName.get(name);
      if (!l) byName.set(name, (l = []));
      l.push(u);
    }
    const members = (name: string): number[] => (name === ALL ? everyone : (byName.get(name) ?? []));
    // "all" always exists, so a baseline can place a tender of a segment it has never seen
    const names = [...new Set([...seg.names, ALL])].sort();
    if (frozen) reference.segments = frozen.segments;
    else
      for (const name of names) {
        const us = members(name);
        const entry = {} as Record<CombinedScreen | 'combined', Sketch>;
        for (const k of COMBINED) entry[k] = sketch(us.map((u) => raw[k][u]));
        reference.segments[name] = entry;
      }
    const refOf = (u: number) => reference.segments[seg.names[seg.of[u]]] ?? reference.segments[ALL];

    // first level: each screen's percentile in its collusive direction; second: their weighted mean
    const pct = perScreen();
    const combined = new Float64Array(units.n).fill(NaN);
    for (let u = 0; u < units.n; u++) {
      if (!judged[u]) continue;
      const ref = refOf(u);
      let c = 0;
      let wSum = 0;
      for (const k of COMBINED) {
        const x = raw[k][u];
        const r = Number.isNaN(x) || !ref?.[k] ? NaN : HIGH_IS_COLLUSIVE.has(k) ? rankIn(ref[k], x) : 1 - rankIn(ref[k], x);
        pct[k][u] = r;
        if (Number.isNaN(r) && OPTIONAL.has(k)) continue;
        // a screen the tender cannot judge counts as the least collusive percentile
        const v = Number.isNaN(r) ? 0 : r;
        c += weights[k] * (geometric ? Math.log(Math.max(v, PCT_FLOOR)) : v);
        wSum += weights[k];
      }
      wSum ||= 1;
      combined[u] = geometric ? Math.exp(c / wSum) : c / wSum;
    }
    // the bidders' history: the mean screen value of the other tenders each firm bid in (leave this one
    // out), averaged over the tender's firms; cartels bid together again and again, honest firms' other
    // tenders average out near the middle. Tenders without bidder ids keep their own value.
    const own = combined.slice();
    const history = new Float64Array(units.n).fill(NaN);
    const withHistory = new Int32Array(units.n);
    if (bidder && p.w_firms > 0) {
      const sum = new Float64Array(data.parties.size);
      const cnt = new Int32Array(data.parties.size);
      const seen = new Int32Array(data.parties.size).fill(-1);
      const firmsOf = (u: number, visit: (f: number) => void) => {
        for (const r of valid[u]) {
          const f = bidder[r];
          if (f < 0 || seen[f] === u) continue;
          seen[f] = u;
          visit(f);
        }
      };
      for (let u = 0; u < units.n; u++)
        if (judged[u])
          firmsOf(u, (f) => {
            sum[f] += own[u];
            cnt[f]++;
          });
      seen.fill(-1);
      for (let u = 0; u < units.n; u++) {
        if (!judged[u]) continue;
        let acc = 0;
        let k = 0;
        firmsOf(u, (f) => {
          if (cnt[f] < 2) return;
          acc += (sum[f] - own[u]) / (cnt[f] - 1);
          k++;
        });
        withHistory[u] = k;
        history[u] = k ? acc / k : NaN;
        combined[u] = (1 - p.w_firms) * own[u] + p.w_firms * (k ? acc / k : 0.5);
      }
    }
    if (!frozen) for (const name of names) reference.segments[name].combined = sketch(members(name).map((u) => combined[u]));

    const findings: FindingDraft[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      if (!judged[u]) continue;
      applied++;
      const segName = seg.names[seg.of[u]];
      const ref = refOf(u);
      const c = combined[u];
      // how rare the combined value is among comparable tenders (upper mid-rank)
      const rank = ref?.combined ? rankIn(ref.combined, c) : c;
      const s = sc[u]!;
      let score = rank < p.medium_at ? (p.medium_at > 0 ? (0.5 * rank) / p.medium_at : 0.5) : ramp(rank, p.medium_at, 1, 0.5, 0.75);
      if (rank >= p.medium_at && s.cv <= p.cv_strong) score += ramp(s.cv, p.cv_strong, 0, 0.05, 0.15);
      score = Math.min(1, score);
      if (score < p.min_score || score <= 0) continue;

      const entities = [tenderEntity(data, u)];
      const winner = units.winner[u];
      if (winner >= 0) entities.push(companyEntity(data, winner));
      // a partial cartel: the tightest 4 of more than 4 bids is the strongest screen
      const g = sub4[u];
      const subgroupSignal = !!g && valid[u].length > 4 && pct.sub4_cv[u] >= p.medium_at && pct.sub4_cv[u] > pct.cv[u];
      if (subgroupSignal && bidder) {
        for (const r of g!.rows) if (bidder[r] >= 0 && bidder[r] !== winner) entities.push(companyEntity(data, bidder[r]));
      }
      const n = valid[u].length;
      const wb = units.winnerBid[u];
      findings.push({
        score,
        title: `${tenderLabel(data, u)}: ${n} bids with CV ${fmtPct(s.cv, 2)}${Number.isNaN(pct.cv[u]) ? '' : `, tighter than ${shareOf(pct.cv[u])} comparable tenders`}; the screens combined rank above ${ofThem(rank)}`,
        entities,
        amount: award && award[u] > 0 ? award[u] : wb >= 0 && prices[wb] > 0 ? prices[wb] : null,
        evidence: {
          bids: n,
          segment: segName,
          screens: Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Number.isNaN(v) ? null : round(v, 5)])),
          priceLevel: Number.isNaN(raw.price[u]) ? null : round(raw.price[u], 5),
          subgroup3Cv: Number.isNaN(sub3cv[u]) ? null : round(sub3cv[u], 5),
          subgroup4: g ? { cv: round(g.cv, 5), bidders: bidder ? g.rows.map((r) => (bidder[r] >= 0 ? data.parties.id(bidder[r]) : null)) : null } : null,
          percentiles: Object.fromEntries(COMBINED.map((k) => [k, Number.isNaN(pct[k][u]) ? null : round(pct[k][u], 4)])),
          screensCombined: round(own[u], 4),
          firmHistory: Number.isNaN(history[u]) ? null : round(history[u], 4),
          firmsWithHistory: withHistory[u],
          combined: round(c, 4),
          combinedPercentile: round(rank, 4),
          weights: { ...weights, firms: p.w_firms },
          thresholds: { medium_at: p.medium_at, cv_strong: p.cv_strong, min_score: p.min_score },
          reference: frozen ? 'baseline' : 'this data',
          bidAmounts: bidList(data, prices, u),
        },
        explanation: `The ${n} valid bids have a coefficient of variation (CV: standard deviation / mean) of ${fmtPct(s.cv, 2)}, the highest ${fmtPct(s.spd, 1)} above the lowest; combining CV, spread, skew${n > 4 ? `, the tightest 4 bids` : ``}${Number.isNaN(raw.price[u]) ? '' : ` and the lowest bid at ${fmtPct(raw.price[u], 1)} of the estimate`}${withHistory[u] ? ` with the same measure over the ${withHistory[u]} bidders' other tenders` : ''}, the tender ranks above ${shareOf(rank)} tenders in segment "${segName}" (${Number.isNaN(pct.cv[u]) ? '' : `its CV alone is tighter than ${ofThem(pct.cv[u])}; `}medium from ${fmtPct(p.medium_at, 0)}, high only with CV ≤ ${fmtPct(p.cv_strong, 2)})${subgroupSignal ? `, driven by a tight group of 4 bidders (CV ${fmtPct(g!.cv, 2)})` : ''}: bids this close together suggest coordinated pricing.`,
      });
    }
    const all = reference.segments[ALL];
    const cutoffs: Record<string, number | string> = { segments: seg.names.length };
    if (all?.cv) {
      cutoffs['cv p10 (all)'] = round(quantile(all.cv, 0.1), 5);
      cutoffs['cv p50 (all)'] = round(quantile(all.cv, 0.5), 5);
    }
    return { findings, applied, notApplicable, cutoffs, reference };
  },
});
