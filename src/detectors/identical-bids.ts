import { ramp } from '../scoring/score.js';
import { segmentUnits } from '../stats/segments.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtAmount, fmtPct, partyLabel, round, rowRef, tenderEntity, tenderLabel } from './util.js';

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
  },
  explain: {
    definition:
      'Two or more different bidders in one tender/lot submitted exactly the same price (compared to the cent). Rows without a bidder id that repeat the same price and the same winner flag are one bid written twice (a duplicated row), not two bidders. The score is weakened by how common ties are among the tenders of the same segment (category × procedure with ≥ `min_segment` tenders, else the whole input).',
    formula:
      'tie share q = tenders with a tie / tenders with ≥ 2 distinct priced bids, per segment. Base score 0.85 for two identical bids, 0.9 for three or more, 0.6 when the shared price equals the estimate. A segment (or whole input) with fewer than min_segment judged tenders has no measured share and ties count in full. Score = base when q ≤ rare_share (2%), falling linearly to 0 at q = ordinary_share (25%); at or above ordinary_share no finding is made (counted under "not applicable" with the measured share).',
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
      if (ties.length) {
        tied[u] = 1;
        groupsOf[u] = ties;
      }
    }
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
        const score = ramp(q, p.rare_share, p.ordinary_share, base, 0);
        const parties = bidder ? rows.map((r) => bidder[r]).filter((x) => x >= 0) : [];
        const who = parties.length ? parties.map((x) => partyLabel(data, x)).join(', ') : `${rows.length} bids`;
        const measured = seg.sizes[s] >= p.min_segment;
        const common = !measured
          ? ''
          : q > p.rare_share
            ? `; ties occur in ${fmtPct(q, 1)} of tenders in segment "${segName}" (full weight at ≤ ${fmtPct(p.rare_share, 0)}), so the score is lowered`
            : `; ties occur in only ${fmtPct(q, 1)} of tenders in segment "${segName}" (full weight at ≤ ${fmtPct(p.rare_share, 0)})`;
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
            thresholds: { rare_share: p.rare_share, ordinary_share: p.ordinary_share },
            rows: rows.map((r) => rowRef(data, 'bids', r)),
          },
          explanation: `${who} bid exactly ${fmtAmount(price)} in ${tenderLabel(data, u)}${atEstimate ? ', which is also the estimate (a ceiling price bid by all)' : ''}: independent bidders rarely match to the cent${common}.`,
        });
      }
    }
    if (duplicateRows) notApplicable['duplicated rows without bidder id (same price and winner flag) read as one bid'] = duplicateRows;
    return { findings, applied, notApplicable };
  },
});
