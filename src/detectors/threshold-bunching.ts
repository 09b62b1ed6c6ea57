import { ramp } from '../scoring/score.js';
import { awardValues, ceilingCandidates, ceilingLabel, unitDates } from './split-purchases.js';
import { byTender } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { buyerEntity, count, fmtAmount, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';
import { isoDay } from '../util/dates.js';

/** ln Γ(x) for x > 0 (Lanczos, g = 7): enough for binomial tails. */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≥ k) for X ~ Binomial(n, p). */
export function binomialUpperTail(k: number, n: number, p: number): number {
  if (k <= 0) return 1;
  if (k > n) return 0;
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lnN = lnGamma(n + 1);
  const lp = Math.log(p);
  const lq = Math.log(1 - p);
  let s = 0;
  for (let i = k; i <= n; i++) s += Math.exp(lnN - lnGamma(i + 1) - lnGamma(n - i + 1) + i * lp + (n - i) * lq);
  return Math.min(1, s);
}

export default defineDetector({
  id: 'threshold-bunching',
  title: 'Awards bunched just under a legal ceiling',
  family: 'threshold',
  rationale:
    'Contract values pile up just under the designated-contracting ceiling when a buyer sizes its purchases to escape competition; an honest value distribution is smooth across the ceiling.',
  sources: ['OCP R055 (threshold avoidance)', 'VN Law 22/2023/QH15 Art. 16', 'Palguta & Pertold 2017, "Manipulation of procurement contracts: evidence from the introduction of discretionary thresholds"'],
  needs: ['bids.buyer_id'],
  needsAny: [['bids.award_amount', 'bids.is_winner'], ['bids.award_date', 'bids.contract_date', 'bids.published_date']],
  params: {
    band: { default: 0.1, min: 0.01, max: 0.5, description: 'width of the bands either side of a ceiling T: [(1 − band) T, T) below, [T, (1 + band) T) above' },
    expected_share: {
      default: 0.55,
      min: 0.01,
      max: 0.99,
      description: 'share of the awards near a ceiling expected below it under a smooth distribution (0.525 for a flat density on a log scale, a little more as density falls with value)',
    },
    min_count: { default: 8, min: 1, integer: true, description: 'awards in the two bands a buyer needs before it is tested' },
    alpha: { default: 0.001, min: 0, max: 1, description: 'flag a buyer when the binomial tail probability of its count below is at most this' },
  },
  explain: {
    definition:
      'For each buyer, its awards (award amount, else the winning bid) within `band` of a designated-contracting ceiling T in force on the award date (every ceiling that could apply to the category, from `tables.designated_ceilings`): b awards in [(1 − band) T, T) just below, a in [T, (1 + band) T) just above. With a smooth distribution about `expected_share` of the n = a + b awards fall below; a buyer with far more below is sizing its contracts to the ceiling. The same count over all buyers is reported as a note.',
    formula:
      'n = a + b ≥ min_count; p = P(X ≥ b), X ~ Binomial(n, expected_share); flag p ≤ alpha. Score = 0.5 at p = alpha rising to 0.8 at p = alpha × 10⁻⁴ (linear in −log10 p).',
    why: 'Bunching below a discretionary threshold is the statistical trace of contracts split or priced to avoid open tendering (Palguta & Pertold 2017 for the Czech Republic; OCP R055). It works per buyer even when no single supplier receives the parts.',
    falsePositives:
      'Buyers whose budget lines are themselves set at the ceiling (standard equipment packages, fixed-price programmes); a price list that happens to sit under a ceiling; very small counts.',
    exclusions:
      'Awards without a value or date, or before the first ceiling period, are not counted. A buyer with fewer than min_count awards near a ceiling is not judged. Against a baseline, the expected share is the share below in the historical data when it rests on at least 100 awards (never less than expected_share).',
  },
  run(data, p, ctx) {
    const units = data.units;
    const t = units.table;
    const buyer = t.party('buyer_id')!;
    const category = t.str('category');
    const { date } = unitDates(data);
    const value = awardValues(data);
    const notApplicable: Record<string, number> = {};
    const lo = 1 - p.band;
    const hi = 1 + p.band;

    // per unit: +1 just below, -1 just above, 0 neither
    const side = new Int8Array(units.n);
    const ceilingOfUnit = new Float64Array(units.n);
    const kindOfUnit: string[] = new Array<string>(units.n).fill('');
    let nBelow = 0;
    let nAbove = 0;
    for (let u = 0; u < units.n; u++) {
      if (buyer[u] < 0 || !(value[u] > 0) || Number.isNaN(date[u])) continue;
      for (const c of ceilingCandidates(ctx.tables, date[u], category ? t.text('category', u) : '')) {
        const r = value[u] / c.ceiling;
        if (r >= lo && r < 1) side[u] = 1;
        else if (r >= 1 && r < hi) side[u] = -1;
        else continue;
        ceilingOfUnit[u] = c.ceiling;
        kindOfUnit[u] = ceilingLabel(c.kind);
        if (side[u] > 0) nBelow++;
        else nAbove++;
        break;
      }
    }

    // per buyer, in buyer order (dense party ids: typed-array counters)
    const below = new Int32Array(data.parties.size);
    const above = new Int32Array(data.parties.size);
    for (let u = 0; u < units.n; u++) {
      if (side[u] > 0) below[buyer[u]]++;
      else if (side[u] < 0) above[buyer[u]]++;
    }
    const seen = new Uint8Array(data.parties.size);
    const buyers: number[] = [];
    for (let u = 0; u < units.n; u++)
      if (buyer[u] >= 0 && !seen[buyer[u]]) {
        seen[buyer[u]] = 1;
        buyers.push(buyer[u]);
      }
    buyers.sort((a, b) => a - b);

    // against a baseline: the historical share below, when it rests on enough awards, is what honest
    // data looks like here (never below expected_share)
    const ref = ctx.reference as { justBelow?: number; justAbove?: number } | undefined;
    const refN = (ref?.justBelow ?? 0) + (ref?.justAbove ?? 0);
    const expected = ref && refN >= 100 ? Math.max(p.expected_share, ref.justBelow! / refN) : p.expected_share;
    const findings: FindingDraft[] = [];
    let applied = 0;
    const logAlpha = -Math.log10(Math.max(p.alpha, 1e-300));
    const tenderOrder = byTender(data);
    for (const b of buyers) {
      const n = below[b] + above[b];
      if (n < p.min_count) {
        count(notApplicable, `fewer than ${p.min_count} awards near a ceiling`);
        continue;
      }
      applied++;
      const pv = binomialUpperTail(below[b], n, expected);
      if (pv > p.alpha || below[b] / n <= expected) continue;
      const strength = -Math.log10(Math.max(pv, 1e-300));
      const score = ramp(strength, logAlpha, logAlpha + 4, 0.5, 0.8);
      const us: number[] = [];
      for (let u = 0; u < units.n; u++) if (buyer[u] === b && side[u] > 0) us.push(u);
      // by date, awards of one day by tender id (not by row)
      us.sort((x, y) => date[x] - date[y] || tenderOrder(x, y));
      const ceilings = [...new Set(us.map((u) => ceilingOfUnit[u]))].sort((x, y) => x - y);
      const total = us.reduce((s, u) => s + value[u], 0);
      findings.push({
        score,
        title: `${partyLabel(data, b)}: ${below[b]} awards just under a ceiling against ${above[b]} just over`,
        entities: [buyerEntity(data, b), ...us.map((u) => tenderEntity(data, u))],
        amount: total,
        evidence: {
          justBelow: below[b],
          justAbove: above[b],
          shareBelow: round(below[b] / n, 4),
          expectedShare: round(expected, 4),
          pValue: Number(pv.toPrecision(4)),
          threshold: { alpha: p.alpha, band: p.band, min_count: p.min_count },
          ceilings,
          awardsBelow: us.map((u) => ({
            tender: tenderLabel(data, u),
            amount: value[u],
            ceiling: ceilingOfUnit[u],
            ceilingFor: kindOfUnit[u],
            ratio: round(value[u] / ceilingOfUnit[u], 4),
            date: isoDay(date[u]),
          })),
        },
        explanation: `${below[b]} of this buyer's ${n} awards within ${fmtPct(p.band, 0)} of a designated-contracting ceiling (${ceilings.map(fmtAmount).join(', ')}) sit just under it, ${fmtPct(below[b] / n, 0)} against about ${fmtPct(expected, 0)} expected (binomial p = ${pv.toPrecision(2)}, alpha ${p.alpha}): contracts appear sized to avoid competition.`,
      });
    }

    const notes: string[] = [];
    const nAll = nBelow + nAbove;
    if (nAll > 0) {
      const pAll = binomialUpperTail(nBelow, nAll, expected);
      notes.push(
        `all buyers: ${nBelow} awards just under a ceiling and ${nAbove} just over (${fmtPct(nBelow / nAll, 1)} below, ${fmtPct(expected, 0)} expected; binomial p = ${pAll.toPrecision(3)})`,
      );
    } else notes.push('no award lies within the bands around a ceiling');
    return {
      findings,
      applied,
      notApplicable,
      notes,
      cutoffs: { awardsJustBelow: nBelow, awardsJustAbove: nAbove, expectedShare: round(expected, 4) },
      reference: { justBelow: nBelow, justAbove: nAbove },
    };
  },
});
