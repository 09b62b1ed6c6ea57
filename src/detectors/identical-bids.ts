import { ramp } from '../scoring/score.js';
import { median } from '../stats/outliers.js';
import { segmentUnits } from '../stats/segments.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtAmount, fmtChance, fmtPct, partyLabel, round, rowRef, tenderEntity, tenderLabel } from './util.js';
import { byPartyId } from './tender-facts.js';

/** The sample sd of some values. */
function spread(x: number[]): number {
  const m = x.reduce((t, v) => t + v, 0) / x.length;
  return Math.sqrt(x.reduce((t, v) => t + (v - m) ** 2, 0) / (x.length - 1));
}

/** The largest power of ten (in cents) dividing `price` and at least ¾ of `bids` (in cents). */
export function roundingUnit(bids: number[], price: number): number {
  const need = Math.ceil(0.75 * bids.length);
  let unit = 1;
  for (let next = 10; next <= 1e15; next *= 10) {
    if (price % next !== 0) break;
    let k = 0;
    for (const b of bids) if (b % next === 0) k++;
    if (k < need) break;
    unit = next;
  }
  return unit;
}

/** How the bids are rounded, from the rounding unit in cents: "written in multiples of 1,000", "not rounded". */
function roundingText(unit: number): string {
  if (unit > 100) return `written in multiples of ${fmtAmount(unit / 100)}`;
  return unit === 100 ? 'not rounded (written to the unit)' : unit === 10 ? 'written to 0.1' : 'written to 0.01';
}

/** 0.05 → "5%", 0.016 → "1.6%", 0.001 → "0.1%" (a threshold as a short percentage) */
function pct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}

export default defineDetector({
  id: 'identical-bids',
  title: 'Identical bid prices',
  family: 'price',
  rationale: 'Independent bidders almost never arrive at exactly the same price; identical bids suggest one hand wrote them — unless ties are ordinary in the market (average-bid auctions, list prices).',
  sources: ['OCP R028', 'OECD 2009 Guidelines for fighting bid rigging', 'Conley & Decarolis (2016), detecting bidders groups in collusive auctions (average-bid auctions)'],
  needs: ['bids.tender_id'],
  needsAny: [['bids.bid_amount', 'bids.final_amount']],
  params: {
    min_amount: { default: 0, min: 0, description: 'ignore prices below this (e.g. symbolic or per-unit prices)' },
    min_segment: { default: 30, min: 1, integer: true, description: 'tenders a category × procedure segment needs for its own tie share; else the whole input' },
    rare_share: { default: 0.02, min: 0, max: 1, description: 'ties count in full when at most this share of the segment\'s tenders has one' },
    ordinary_share: { default: 0.25, min: 0, max: 1, description: 'ties are ordinary (not reported) when at least this share of the segment\'s tenders has one' },
    chance_full: { default: 0.001, min: 0, max: 1, description: 'a tie counts in full when the chance of one among the tender\'s bids, at the rounding they are written to, is at most this' },
    chance_max: { default: 0.05, min: 0, max: 1, description: 'no finding when that chance is at least this (the score falls to 0.5 on a log scale between the two)' },
  },
  explain: {
    definition:
      'Two or more different bidders in one tender/lot submitted exactly the same price (compared to 0.01 of the currency). Rows without a bidder id that repeat the same price and the same winner flag are one bid written twice (a duplicated row), not two bidders. The score is weakened by how likely a tie is among the tender\'s own bids at the rounding they are written to (two of ten bids in whole millions tie far more often than bids written to the đồng), and by how common ties are among the tenders of the same segment (category × procedure with ≥ `min_segment` tenders, else the whole input).',
    formula:
      'tie share q = tenders with a tie / tenders with ≥ 2 distinct priced bids, per segment. Base score 0.85 for two identical bids, 0.9 for three or more, 0.6 when the shared price equals the estimate. A segment (or whole input) with fewer than min_segment judged tenders has no measured share and ties count in full. Share score = base when q ≤ rare_share (2%), falling linearly to 0 at q = ordinary_share (25%); at or above ordinary_share no finding is made (counted under "not applicable" with the measured share). Chance of a tie by rounding: g = the largest power of ten dividing the tied price and at least ¾ of the tender\'s bids, s = the sd of its bids (the median CV of tenders with ≥ 3 bids × the price when they cannot give one), λ = C(n, 2) · g / (2√π · s) (two independent bids fall in one step of g with probability g × the density of their difference), P = 1 − e^−λ; chance score = base at P ≤ chance_full, falling to 0.5 at chance_max on a log scale, no finding at P ≥ chance_max (not applied to a tie at the estimate, which is a focal price, not a coincidence). Score = min(share score, chance score).',
    why: 'Identical prices are a classic cover-bidding trace: the designated winner hands its rivals the figures, or one person prepares several bids. Where ties are everyday (average-bid auctions, where bidders cluster on the same rounded discount), a tie says nothing about collusion, so its weight follows how rare ties are in the data itself.',
    falsePositives: 'Regulated or list prices, tenders where the price is fixed and bidders compete on quality, bids equal to a published ceiling, and files that repeat a row for several bidders without naming them.',
    exclusions: 'Duplicate rows of the same bidder are not counted as two bidders; neither are rows without bidder ids that share price and winner flag. Segments where ties are ordinary (q ≥ ordinary_share) are not reported.',
  },
  run(data, p) {
    const units = data.units;
    const prices = bidPrices(data)!;
    const bidder = data.bids!.party('bidder_id');
    const winFlag = data.bids!.bool('is_winner');
    const est = units.table.num('estimated_value');
    const notApplicable: Record<string, number> = {};
    let duplicateRows = 0;
    // pass 1: distinct bids per tender, the tie groups, and whether the tender can be judged
    const judged = new Uint8Array(units.n);
    const tied = new Uint8Array(units.n);
    const groupsOf: [number, number[]][][] = new Array(units.n);
    /** the tied tenders' distinct bids, in cents */
    const centsOf: number[][] = new Array(units.n);
    const cvs: number[] = [];
    for (let u = 0; u < units.n; u++) {
      const groups = new Map<number, number[]>();
      let distinct = 0;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        const x = prices[r];
        if (!(x > p.min_amount)) continue;
        const cents = Math.round(x * 100);
        let g = groups.get(cents);
        if (!g) groups.set(cents, (g = []));
        const id = bidder ? bidder[r] : -1;
        if (id >= 0 && g.some((o) => bidder![o] === id)) continue;
        if (id < 0) {
          const w = winFlag ? winFlag[r] : -1;
          if (g.some((o) => (bidder ? bidder[o] : -1) < 0 && (winFlag ? winFlag[o] : -1) === w)) {
            duplicateRows++;
            continue;
          }
        }
        g.push(r);
        distinct++;
      }
      if (distinct < 2) {
        count(notApplicable, 'fewer than 2 distinct priced bids');
        continue;
      }
      judged[u] = 1;
      const ties = [...groups].filter(([, rows]) => rows.length >= 2).sort((a, b) => a[0] - b[0]);
      // the CV of the tender's bids (for the median, the spread when a tender cannot give its own)
      let n = 0;
      let sum = 0;
      let sq = 0;
      for (const [c, rows] of groups) {
        n += rows.length;
        sum += c * rows.length;
        sq += c * c * rows.length;
      }
      if (n >= 3) {
        const m = sum / n;
        cvs.push(Math.sqrt(Math.max(0, (sq - n * m * m) / (n - 1))) / m);
      }
      if (ties.length) {
        tied[u] = 1;
        groupsOf[u] = ties;
        const cents: number[] = [];
        for (const [c, rows] of groups) for (let i = 0; i < rows.length; i++) cents.push(c);
        centsOf[u] = cents;
      }
    }
    const medianCv = cvs.length ? median(cvs) : NaN;
    // pass 2: tie share per segment
    const seg = segmentUnits(data, judged, p.min_segment);
    const tiedIn = new Array<number>(seg.names.length).fill(0);
    for (let u = 0; u < units.n; u++) if (tied[u]) tiedIn[seg.of[u]]++;
    // a share over fewer than min_segment tenders is not measured: ties then count in full
    const share = seg.names.map((_, i) => (seg.sizes[i] >= p.min_segment ? tiedIn[i] / seg.sizes[i] : 0));
    const findings: FindingDraft[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      if (!judged[u]) continue;
      applied++;
      if (!tied[u]) continue;
      const s = seg.of[u];
      const q = share[s];
      const segName = seg.names[s];
      if (q >= p.ordinary_share) {
        count(notApplicable, `ties ordinary in segment "${segName}" (${fmtPct(q, 0)} of its tenders, threshold ${fmtPct(p.ordinary_share, 0)})`);
        continue;
      }
      for (const [cents, rows] of groupsOf[u]) {
        const price = cents / 100;
        const atEstimate = est && est[u] > 0 && Math.abs(est[u] - price) < 0.005;
        const base = atEstimate ? 0.6 : rows.length >= 3 ? 0.9 : 0.85;
        const shareScore = ramp(q, p.rare_share, p.ordinary_share, base, 0);
        // how likely a tie is among these bids at the rounding they are written to
        const bids = centsOf[u];
        const unit = roundingUnit(bids, cents);
        let sd = bids.length >= 3 ? spread(bids) : 0;
        if (!(sd > 0)) sd = medianCv * cents;
        const lambda = sd > 0 ? ((bids.length * (bids.length - 1)) / 2) * (unit / (2 * Math.sqrt(Math.PI) * sd)) : NaN;
        const chance = Number.isNaN(lambda) ? NaN : -Math.expm1(-lambda);
        if (!atEstimate && chance >= p.chance_max) {
          count(notApplicable, `ties likely by chance at the rounding of the bids (≥ ${pct(p.chance_max)})`);
          continue;
        }
        const chanceScore =
          atEstimate || Number.isNaN(chance) ? base : chance <= p.chance_full ? base : ramp(Math.log10(chance), Math.log10(p.chance_full), Math.log10(p.chance_max), base, 0.5);
        const score = Math.min(shareScore, chanceScore);
        const parties = bidder ? rows.map((r) => bidder[r]).filter((x) => x >= 0).sort(byPartyId(data)) : [];
        const who = parties.length ? parties.map((x) => partyLabel(data, x)).join(', ') : `${rows.length} bids`;
        const measured = seg.sizes[s] >= p.min_segment;
        const common = !measured
          ? ''
          : `; ties occur in ${q > p.rare_share ? '' : 'only '}${fmtPct(q, 1)} of tenders in segment "${segName}" (full weight at ≤ ${fmtPct(p.rare_share, 0)})`;
        // one "so the score is lowered" for either cause (the lower of the two scores counts)
        const lowered = (measured && q > p.rare_share) || (!atEstimate && !Number.isNaN(chance) && chance > p.chance_full);
        findings.push({
          score,
          title: `${tenderLabel(data, u)}: ${rows.length} identical bids of ${fmtAmount(price)}`,
          entities: [tenderEntity(data, u), ...parties.map((x) => companyEntity(data, x))],
          amount: price,
          key: String(cents),
          evidence: {
            price,
            bids: rows.length,
            bidsInTender: units.nBids(u),
            equalsEstimate: !!atEstimate,
            segment: segName,
            tieShare: measured ? round(q, 4) : null,
            tendersInSegment: seg.sizes[s],
            baseScore: base,
            roundingUnit: unit / 100,
            bidsSd: Number.isNaN(sd) ? null : round(sd / 100, 2),
            chanceOfTie: atEstimate || Number.isNaN(chance) ? null : Number(chance.toPrecision(3)),
            thresholds: { rare_share: p.rare_share, ordinary_share: p.ordinary_share, chance_full: p.chance_full, chance_max: p.chance_max },
            rows: rows.map((r) => rowRef(data, 'bids', r)),
          },
          explanation: `${who} bid exactly ${fmtAmount(price)} in ${tenderLabel(data, u)}${atEstimate ? ', which is also the estimate (a ceiling price bid by all)' : ''}${
            atEstimate || Number.isNaN(chance)
              ? ': independent bidders rarely match exactly'
              : `; the tender's ${bids.length} bids are ${roundingText(unit)} with a standard deviation of ${fmtAmount(Math.round(sd / 100))}: a tie by chance has a probability of about ${fmtChance(chance)}${chance > p.chance_full ? ` (full weight at ≤ ${pct(p.chance_full)}, none at ${pct(p.chance_max)})` : ''}`
          }${common}${lowered ? ', so the score is lowered' : ''}.`,
        });
      }
    }
    if (duplicateRows) notApplicable['duplicated rows without bidder id (same price and winner flag) read as one bid'] = duplicateRows;
    // the data-derived cut-offs: the tie share of each segment large enough to measure one, and the
    // median CV that stands in for the spread of a tender too small to give its own
    const cutoffs: Record<string, number | string> = {};
    seg.names.forEach((name, i) => {
      if (seg.sizes[i] >= p.min_segment) cutoffs[`tieShare ${name}`] = round(share[i], 4);
    });
    cutoffs.medianCv = round(medianCv, 5);
    return { findings, applied, notApplicable, cutoffs };
  },
});
