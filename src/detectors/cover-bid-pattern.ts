import { ramp } from '../scoring/score.js';
import { sd, mean } from '../stats/screens.js';
import { quantile } from '../stats/quantiles.js';
import { ALL } from '../stats/segments.js';
import { bidList, rankBySegment, validBids } from '../stats/tender-prices.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';
import { byTender } from './tender-facts.js';
import { compareText } from '../util/compare.js';

/** tenders listed in the evidence */
const MAX_TENDERS = 20;

export default defineDetector({
  id: 'cover-bid-pattern',
  title: 'Losing bids in a narrow band just above the same winner (quân xanh)',
  family: 'price',
  rationale: 'Cover bidders ("quân xanh") are told to bid a few percent above the designated winner ("quân đỏ"); their bids then sit in a tight band at a fixed mark-up, tender after tender, for the same winner.',
  sources: ['VN "quân xanh, quân đỏ" cover bidding (State Audit Office and press reports)', 'OECD 2009 Guidelines for fighting bid rigging (cover bidding)', 'Imhof 2017 (losers\' dispersion screens)'],
  needs: ['bids.tender_id', 'bids.bidder_id', 'bids.is_winner'],
  needsAny: [['bids.bid_amount', 'bids.final_amount']],
  params: {
    min_markup: { default: 0.005, min: 0, max: 1, description: 'every losing bid at least this far above the winner' },
    max_markup: { default: 0.1, min: 0, max: 1, description: 'and at most this far' },
    cv_quantile: { default: 0.1, min: 0, max: 1, description: 'the losers\' CV must rank in this lowest share of its segment' },
    min_repeats: { default: 3, min: 1, integer: true, description: 'tenders with the pattern needed for the same winner' },
    max_drift: { default: 0.01, min: 0, max: 1, description: 'a loser keeps a fixed mark-up over a winner when its mark-ups over ≥ min_repeats of that winner\'s tenders lie within this range (highest − lowest)' },
    min_segment: { default: 30, min: 1, integer: true, description: 'tenders a category × procedure segment needs for its own percentiles; else the whole input' },
  },
  explain: {
    definition: 'For each tender with at least two losing valid bids won by its lowest bid: the mark-ups of the losing bids over the winner, b_i/b1 − 1, and the CV of the losing bids, ranked among tenders of its segment (or against a baseline). A tender shows the pattern when every mark-up lies in [min_markup, max_markup] and either the losers bunch (their CV ranks in the lowest `cv_quantile`) or every loser keeps its own fixed mark-up over this winner (across ≥ `min_repeats` of the winner\'s tenders its mark-ups lie within `max_drift`: cover bidders told "bid 1.6%, 4.6% and 7.3% above" spread out within a tender but not across tenders). A winner with at least `min_repeats` such tenders is flagged, with the tenders and the losers that bid in two or more of them.',
    formula: 'm_i(t) = b_i/b1 − 1; fixed(W, L) = #{t won by W, lost by L} ≥ min_repeats ∧ max_t m_L(t) − min_t m_L(t) ≤ max_drift; pattern(t) = ∀ i ≥ 2: min_markup ≤ m_i(t) ≤ max_markup ∧ (rank(CV(b2..bn)) ≤ cv_quantile ∨ ∀ losers L: fixed(W, L)); flag winner W when #{t won by W : pattern(t)} ≥ min_repeats. Score 0.6 at min_repeats rising to 0.85 at min_repeats + 5.',
    why: 'In honest competition the losers\' prices scatter according to their own costs; cover bids are written relative to the winner\'s price and so form a narrow band a few percent above it. Repetition for the same winner separates an arrangement from a coincidence.',
    falsePositives: 'Markets with a regulated or published unit-price schedule where every bidder prices at a similar discount, and framework mini-competitions among a few similar firms.',
    exclusions: 'Tenders whose named winner is not the lowest valid bid, tenders with fewer than two valid losing bids, and invalid bids are not judged.',
  },
  run(data, p, ctx) {
    const tenderOrder = byTender(data);
    const units = data.units;
    const prices = bidPrices(data)!;
    const bidder = data.bids!.party('bidder_id')!;
    const notApplicable: Record<string, number> = {};
    const loserCv = new Float64Array(units.n).fill(NaN);
    const band = new Uint8Array(units.n);
    const maxMarkup = new Float64Array(units.n);
    const minMarkup = new Float64Array(units.n);
    const losers: number[][] = new Array(units.n);
    const loserRows: number[][] = new Array(units.n);
    for (let u = 0; u < units.n; u++) {
      const { b, rows } = validBids(data, prices, u);
      if (b.length < 3) {
        count(notApplicable, 'fewer than 2 valid losing bids');
        continue;
      }
      const wb = units.winnerBid[u];
      if (wb < 0 || units.winner[u] < 0) {
        count(notApplicable, 'no winner');
        continue;
      }
      if (prices[wb] !== b[0]) {
        count(notApplicable, 'winner is not the lowest valid bid');
        continue;
      }
      loserCv[u] = sd(b, 1) / mean(b, 1);
      minMarkup[u] = b[1] / b[0] - 1;
      maxMarkup[u] = b[b.length - 1] / b[0] - 1;
      band[u] = minMarkup[u] >= p.min_markup && maxMarkup[u] <= p.max_markup ? 1 : 0;
      losers[u] = rows.slice(1).map((r) => bidder[r]).filter((x) => x >= 0 && x !== units.winner[u]);
      loserRows[u] = rows.slice(1);
    }
    // each loser's mark-ups over the same winner, across the winner's tenders (won as the lowest valid bid)
    const P = data.parties.size;
    const markups = new Map<number, number[]>();
    // only winners with min_repeats tenders in the band can be flagged this way
    const inBand = new Int32Array(P);
    for (let u = 0; u < units.n; u++) if (band[u]) inBand[units.winner[u]]++;
    for (let u = 0; u < units.n; u++) {
      if (!loserRows[u] || inBand[units.winner[u]] < p.min_repeats) continue;
      const w = units.winner[u];
      const b1 = prices[units.winnerBid[u]];
      for (const r of loserRows[u]) {
        if (bidder[r] < 0 || bidder[r] === w) continue;
        const k = w * P + bidder[r];
        let l = markups.get(k);
        if (!l) markups.set(k, (l = []));
        l.push(prices[r] / b1 - 1);
      }
    }
    const stable = new Map<number, { n: number; min: number; max: number; mean: number } | null>();
    const fixedMarkup = (w: number, f: number): { n: number; min: number; max: number; mean: number } | undefined => {
      const k = w * P + f;
      let m = stable.get(k);
      if (m === undefined) {
        const l = markups.get(k);
        m = null;
        if (l && l.length >= p.min_repeats) {
          let lo = Infinity;
          let hi = -Infinity;
          let sum = 0;
          for (const x of l) {
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
            sum += x;
          }
          if (hi - lo <= p.max_drift) m = { n: l.length, min: lo, max: hi, mean: sum / l.length };
        }
        stable.set(k, m);
      }
      return m ?? undefined;
    };
    const allFixed = (u: number) => {
      const w = units.winner[u];
      const ls = loserRows[u].map((r) => bidder[r]);
      return ls.length >= 2 && ls.every((f) => f >= 0 && f !== w && fixedMarkup(w, f) !== undefined);
    };
    const { rank, reference, segmentOf, fromBaseline } = rankBySegment(data, loserCv, p.min_segment, 'cover-bid-pattern', ctx.reference);
    const byWinner = new Map<number, number[]>();
    /** 1: the losers bunch (CV); 2: every loser at its own fixed mark-up */
    const route = new Uint8Array(units.n);
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      if (Number.isNaN(loserCv[u])) continue;
      applied++;
      if (!band[u]) continue;
      if (rank[u] <= p.cv_quantile) route[u] = 1;
      else if (allFixed(u)) route[u] = 2;
      else continue;
      const w = units.winner[u];
      let l = byWinner.get(w);
      if (!l) byWinner.set(w, (l = []));
      l.push(u);
    }
    const findings: FindingDraft[] = [];
    for (const w of [...byWinner.keys()].sort((a, b) => a - b)) {
      const us = [...byWinner.get(w)!].sort(tenderOrder);
      if (us.length < p.min_repeats) continue;
      const times = new Map<number, number>();
      for (const u of us) for (const f of new Set(losers[u])) times.set(f, (times.get(f) ?? 0) + 1);
      const covers = [...times].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || compareText(data.parties.id(a[0]), data.parties.id(b[0])));
      const amount = us.reduce((s, u) => s + prices[units.winnerBid[u]], 0);
      const fixedRoute = us.filter((u) => route[u] === 2).length;
      const fixed = covers
        .map(([f]) => [f, fixedMarkup(w, f)] as const)
        .filter((x): x is readonly [number, { n: number; min: number; max: number; mean: number }] => x[1] !== undefined)
        .sort((a, b) => a[1].mean - b[1].mean);
      const drift = fixed.reduce((d, [, m]) => Math.max(d, (m.max - m.min) / 2), 0);
      const title =
        fixedRoute > us.length / 2 && fixed.length
          ? `${partyLabel(data, w)} won ${us.length} tenders with each losing bidder at its own fixed mark-up above it (${fixed.map(([, m]) => `+${fmtPct(m.mean, 1)}`).join(', ')}, each within ±${fmtPct(drift, 1)})`
          : `${partyLabel(data, w)} won ${us.length} tenders with the losing bids in a tight band ${fmtPct(p.min_markup, 1)}–${fmtPct(p.max_markup, 0)} above it`;
      findings.push({
        score: ramp(us.length, p.min_repeats, p.min_repeats + 5, 0.6, 0.85),
        title,
        entities: [companyEntity(data, w), ...covers.map(([f]) => companyEntity(data, f)), ...us.map((u) => tenderEntity(data, u))],
        amount,
        evidence: {
          tenders: us.map((u) => ({
            tender: tenderLabel(data, u),
            markupMin: round(minMarkup[u], 5),
            markupMax: round(maxMarkup[u], 5),
            losersCv: round(loserCv[u], 5),
            cvPercentile: round(rank[u], 4),
            segment: segmentOf(u),
            pattern: route[u] === 1 ? 'losers bunched (CV)' : 'each loser at its fixed mark-up',
            ...bidList(data, prices, u),
          })).slice(0, MAX_TENDERS),
          tendersByBunching: us.length - fixedRoute,
          tendersByFixedMarkups: fixedRoute,
          coverBidders: covers.map(([f, n]) => {
            const m = fixedMarkup(w, f);
            return { id: data.parties.id(f), tenders: n, ...(m ? { markupMean: round(m.mean, 5), markupMin: round(m.min, 5), markupMax: round(m.max, 5), tendersAgainstWinner: m.n } : {}) };
          }),
          thresholds: { min_markup: p.min_markup, max_markup: p.max_markup, cv_quantile: p.cv_quantile, min_repeats: p.min_repeats, max_drift: p.max_drift },
          reference: fromBaseline ? 'baseline' : 'this data',
        },
        explanation: `In ${us.length} tenders won by ${partyLabel(data, w)} (threshold ${p.min_repeats}), every losing bid sat ${fmtPct(p.min_markup, 1)}–${fmtPct(p.max_markup, 0)} above the winner, ${[
          us.length - fixedRoute ? `${us.length - fixedRoute === us.length ? 'with' : `in ${us.length - fixedRoute} with`} the losers' CV in the lowest ${fmtPct(p.cv_quantile, 0)} of their segment` : '',
          fixedRoute ? `${fixedRoute === us.length ? 'with' : `in ${fixedRoute} with`} each loser at its own mark-up over this winner, stable within ${fmtPct(p.max_drift, 1)} across its tenders${fixed.length ? ` (${fixed.map(([f, m]) => `${data.parties.id(f)} +${fmtPct(m.min, 1)}–${fmtPct(m.max, 1)}`).join(', ')})` : ''}` : '',
        ]
          .filter(Boolean)
          .join(' and ')}${covers.length ? `; ${covers.length} firm${covers.length > 1 ? 's' : ''} lost to it in two or more of them` : ''}: the pattern of cover bids (quân xanh).`,
      });
    }
    const all = reference.segments[ALL];
    const cutoffs: Record<string, number | string> = {};
    if (all?.n) cutoffs[`losers cv p${Math.round(p.cv_quantile * 100)} (all)`] = round(quantile(all, p.cv_quantile), 6);
    return { findings, applied, notApplicable, cutoffs, reference };
  },
});
