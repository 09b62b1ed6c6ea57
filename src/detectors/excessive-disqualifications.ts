import { ramp } from '../scoring/score.js';
import { sketch, type Sketch } from '../stats/quantiles.js';
import { binomialUpperTail, fenceCutoffs, fencesOf, iqrsAboveQ3, sketchFrom, surprise } from '../stats/outliers.js';
import type { Dataset } from '../model/dataset.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { byTender } from './tender-facts.js';
import { bidPrices, buyerEntity, companyEntity, count, fmtChance, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';

interface Reference {
  buyer: Sketch;
  bidder: Sketch;
  /** pooled share of disqualified bids over the judged entities */
  rate: { buyer: number; bidder: number };
  /** pooled share of bids that were disqualified while priced below the winning bid (buyers) */
  decisiveRate?: number;
}

type Side = 'buyer' | 'bidder';
/** Which test flagged it: the share of bids disqualified, or the disqualified bids cheaper than the winner. */
type Rule = 'share' | 'decisive';

export default defineDetector({
  id: 'excessive-disqualifications',
  title: 'A buyer disqualifies, or a bidder is disqualified, far more often than others',
  family: 'competition',
  rationale: 'A buyer that disqualifies many bids may be clearing the way for a chosen firm; a bidder disqualified again and again may be submitting cover bids that are meant to fail.',
  sources: ['OCP R038', 'GTI', 'OECD 2009 checklist (bidders that bid but never intend to win)'],
  needs: ['bids.bid_status'],
  params: {
    min_bids: { default: 5, min: 1, integer: true, description: 'bids a buyer or bidder needs before it is judged (every bid counts, a blank status included)' },
    k: { default: 1.5, min: 0, description: 'Tukey fence: flag a share above Q3 + k·IQR of the shares of all judged buyers (bidders)' },
    iqr_floor: { default: 0.05, min: 0, max: 1, description: 'smallest IQR used for the fence, so a distribution of mostly zeros still has a fence above them' },
    min_share: { default: 0.1, min: 0, max: 1, description: 'and the share of disqualified bids is at least this' },
    max_p: { default: 0.001, min: 0, max: 1, description: 'and the binomial chance of that many disqualifications at the pooled rate is at most this' },
  },
  explain: {
    definition:
      'For each buyer and each bidder with at least `min_bids` bids, the share of its bids that were disqualified, compared with the shares of all other buyers (bidders). For buyers, also the disqualified bids that were cheaper than the winning bid: the disqualifications that decided the award.',
    formula:
      'share = disqualified / bids. Flag share > Q3 + k·IQR (IQR ≥ iqr_floor) and share ≥ min_share and disqualified ≥ 2 and P(X ≥ disqualified | Binomial(bids, pooled rate)) ≤ max_p; a buyer is also flagged when its decisive disqualifications (bids disqualified while priced below the winning bid, ≥ 3) have P(X ≥ decisive | Binomial(bids, pooled decisive rate)) ≤ max_p. Score 0.5 at −log10 P = 3 rising to 0.75 at −log10 P = 10, + 0.1 for a buyer when at least half of the bids it disqualified were priced below the winning bid of their tender (the cheaper rivals were removed). A bidder whose disqualified bids were mostly the cheaper ones is described as kept out of awards it would have won (its buyers are the ones to look at, buyer-steering), not as submitting bids meant to fail; no +0.1 for it.',
    why: 'Disqualifying every rival leaves the favoured firm alone (R038); a firm that keeps submitting bids that fail the technical evaluation is doing what a cover bidder does.',
    falsePositives: 'Demanding technical specifications in a specialised field, buyers that receive many unqualified bids for small works, young firms learning the rules.',
    exclusions: 'Withdrawn and late bids are not counted as disqualifications; a blank status counts as a valid bid. A buyer that disqualifies a few cheaper bids, always in favour of the same firm, can stay under these tests when it runs many tenders: buyer-steering judges that pattern per buyer × winner.',
  },
  run(data, p, ctx) {
    const bids = data.bids!;
    const status = bids.str('bid_status')!;
    const disq = status.dict.indexOf('disqualified');
    const ref = ctx.reference as Reference | undefined;
    const prices = bidPrices(data);
    const out: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    const cutoffs: Record<string, number | string> = {};
    const reference: Reference = { buyer: { q: [], n: 0 }, bidder: { q: [], n: 0 }, rate: { buyer: 0, bidder: 0 } };
    let applied = 0;
    const sides: [Side, Int32Array | undefined][] = [
      ['buyer', data.units.table.party('buyer_id')],
      ['bidder', bids.party('bidder_id')],
    ];
    for (const [side, col] of sides) {
      if (!col) continue;
      const P = data.parties.size;
      const n = new Int32Array(P);
      const d = new Int32Array(P);
      // decisive: disqualified while priced below the winning bid of its tender
      const dd = new Int32Array(P);
      for (let r = 0; r < bids.n; r++) {
        const e = side === 'buyer' ? col[data.units.bidUnit[r]] : col[r];
        if (e < 0) continue;
        n[e]++;
        if (disq >= 0 && status.codes[r] === disq) {
          d[e]++;
          const w = data.units.winnerBid[data.units.bidUnit[r]];
          if (prices && w >= 0 && prices[r] > 0 && prices[r] < prices[w]) dd[e]++;
        }
      }
      const ids: number[] = [];
      let tn = 0;
      let td = 0;
      let tdd = 0;
      for (let e = 0; e < P; e++) {
        if (n[e] === 0) continue;
        if (n[e] < p.min_bids) {
          count(notApplicable, `${side}s with fewer than ${p.min_bids} bids`);
          continue;
        }
        ids.push(e);
        tn += n[e];
        td += d[e];
        tdd += dd[e];
      }
      applied += ids.length;
      const shares = ids.map((e) => d[e] / n[e]);
      reference[side] = sketch(shares);
      reference.rate[side] = tn ? td / tn : 0;
      const s = sketchFrom(ref, side) ?? reference[side];
      const rate = ref?.rate?.[side] ?? reference.rate[side];
      const f = fencesOf(s, p.k, p.iqr_floor);
      Object.assign(cutoffs, fenceCutoffs(side, f));
      cutoffs[`${side}.pooledRate`] = round(rate);
      if (side === 'buyer') {
        reference.decisiveRate = tn ? tdd / tn : 0;
        cutoffs['buyer.decisiveRate'] = round(ref?.decisiveRate ?? reference.decisiveRate, 5);
      }
      const decisiveRate = ref?.decisiveRate ?? reference.decisiveRate ?? 0;
      const flagged: { e: number; share: number; pv: number; pd: number; rules: Rule[] }[] = [];
      ids.forEach((e, i) => {
        const share = shares[i];
        const pv = binomialUpperTail(d[e], n[e], Math.max(rate, 1e-6));
        const byShare = share > f.upper && share >= p.min_share && d[e] >= 2 && pv <= p.max_p;
        // a buyer that removes the cheaper rivals: decisive disqualifications far above the pooled rate
        const decisive = side === 'buyer' && dd[e] >= 3;
        const pd = decisive ? binomialUpperTail(dd[e], n[e], Math.max(decisiveRate, 1e-6)) : 1;
        // (with max_p = 1 a buyer without three decisive disqualifications must not pass on p = 1)
        const byDecisive = decisive && pd <= p.max_p;
        if (!byShare && !byDecisive) return;
        const rules: Rule[] = [];
        if (byShare) rules.push('share');
        if (byDecisive) rules.push('decisive');
        flagged.push({ e, share, pv, pd, rules });
      });
      // the tenders where each flagged buyer disqualified a bid, or each flagged bidder was disqualified:
      // one pass over the bids for all of them
      const tendersOf = new Map<number, number[]>(flagged.map(({ e }) => [e, []]));
      if (flagged.length && disq >= 0)
        for (let r = 0; r < bids.n; r++) {
          if (status.codes[r] !== disq) continue;
          const u = data.units.bidUnit[r];
          tendersOf.get(side === 'buyer' ? col[u] : col[r])?.push(u);
        }
      for (const { e, share, pv, pd, rules } of flagged) {
        const tenders = [...new Set(tendersOf.get(e))].sort(byTender(data));
        out.push(finding(data, side, e, n[e], d[e], dd[e], share, rate, pv, pd, decisiveRate, f, p, tenders, rules));
      }
    }
    return { findings: out, applied, notApplicable, cutoffs, reference };
  },
});

/** Why the share test did not flag: what the share fell short of. */
function shareMiss(share: number, d: number, pShare: number, fence: number, p: { min_share: number; max_p: number }, pct: (x: number) => string): string {
  const why: string[] = [];
  if (!(share > fence)) why.push(`not above the outlier cut-off of ${pct(fence)}`);
  if (share < p.min_share) why.push(`below min_share ${pct(p.min_share)}`);
  if (d < 2) why.push('a single disqualification');
  if (pShare > p.max_p) why.push(`chance ${fmtChance(pShare)}, above the threshold ${p.max_p}`);
  return why.join(', ') || 'share test not met';
}

function finding(
  data: Dataset,
  side: Side,
  e: number,
  n: number,
  d: number,
  below: number,
  share: number,
  rate: number,
  /** chance of the share of disqualified bids */
  pShare: number,
  pDecisive: number,
  decisiveRate: number,
  f: ReturnType<typeof fencesOf>,
  p: { k: number; min_share: number; max_p: number },
  /** where this buyer disqualified a bid, or where this bidder was disqualified, by tender id */
  tenders: number[],
  rules: Rule[],
): FindingDraft {
  const who: Entity = side === 'buyer' ? buyerEntity(data, e) : companyEntity(data, e);
  const byShare = rules.includes('share');
  const byDecisive = rules.includes('decisive');
  const pv = Math.min(byShare ? pShare : 1, byDecisive ? pDecisive : 1);
  const sur = surprise(pv);
  // a share close to the fence is shown to a tenth of a percent, so "12% (fence 12%)" cannot happen
  const pct = (x: number) => fmtPct(x, Math.abs(x - f.upper) < 0.01 ? 1 : 0);
  const shareText = `${pct(share)}, above the outlier cut-off of ${pct(f.upper)}; chance ${fmtChance(pShare)} at the pooled ${fmtPct(rate, 1)}`;
  const decisiveText = `${below} of them priced below the winning bid, against a pooled ${fmtPct(decisiveRate, 2)} of bids (chance ${fmtChance(pDecisive)})`;
  return {
    score: ramp(sur, 3, 10, 0.5, 0.75) + (side === 'buyer' && below * 2 >= d ? 0.1 : 0),
    title:
      side === 'buyer'
        ? byShare
          ? `${partyLabel(data, e)} disqualified ${d} of ${n} bids (${pct(share)})${byDecisive ? `, ${below} of them cheaper than the winner` : ''}`
          : `${partyLabel(data, e)} disqualified ${below} bids cheaper than the winner (${d} of ${n} disqualified)`
        : `${partyLabel(data, e)} was disqualified in ${d} of ${n} bids (${pct(share)})`,
    entities: [who, ...tenders.map((u) => tenderEntity(data, u))],
    key: side,
    evidence: {
      side,
      bids: n,
      disqualified: d,
      share: round(share),
      pooledRate: round(rate),
      upperFence: round(f.upper),
      q3: round(f.q3),
      iqrsAboveQ3: round(iqrsAboveQ3(share, f), 2),
      firedOn: rules,
      binomialP: Number(pShare.toPrecision(3)),
      disqualifiedBelowWinner: below,
      decisiveRate: side === 'buyer' ? round(decisiveRate, 5) : undefined,
      decisiveP: side === 'buyer' ? Number(pDecisive.toPrecision(3)) : undefined,
      threshold: { k: p.k, min_share: p.min_share, max_p: p.max_p },
      tenders: tenders.slice(0, 50).map((u) => tenderLabel(data, u)),
    },
    explanation:
      side === 'buyer'
        ? byShare && byDecisive
          ? `This buyer disqualified ${d} of the ${n} bids it received (${shareText}), ${decisiveText}: the cheaper rivals were removed.`
          : byShare
            ? `This buyer disqualified ${d} of the ${n} bids it received (${shareText}); ${below} of them were cheaper than the winning bid.`
            : `This buyer disqualified ${d} of the ${n} bids it received (${pct(share)}: ${shareMiss(share, d, pShare, f.upper, p, pct)}), but ${decisiveText}: the disqualifications decided the awards.`
        : below * 2 >= d
          ? // its disqualified bids were mostly the cheaper ones: more likely kept out than covering
            `This firm's bids were disqualified ${d} times in ${n} (${shareText} across bidders), ${below} of them priced below the winning bid: a firm kept out of the awards it would have won on price — look at the buyers that disqualified it (buyer-steering), or at bids meant to fail.`
          : `This firm's bids were disqualified ${d} times in ${n} (${shareText} across bidders): a pattern of bids meant to fail, or a firm that keeps failing the requirements.`,
  };
}
