import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtAmount, rowRef, tenderEntity, tenderLabel, partyLabel } from './util.js';

export default defineDetector({
  id: 'identical-bids',
  title: 'Identical bid prices',
  family: 'price',
  rationale: 'Independent bidders almost never arrive at exactly the same price; identical bids suggest one hand wrote them.',
  sources: ['OCP R028', 'OECD 2009 Guidelines for fighting bid rigging'],
  needs: ['bids.tender_id'],
  needsAny: [['bids.bid_amount', 'bids.final_amount']],
  params: {
    min_amount: { default: 0, min: 0, description: 'ignore prices below this (e.g. symbolic or per-unit prices)' },
  },
  explain: {
    definition: 'Two or more different bidders (or bid rows, when bidder ids are absent) in one tender/lot submitted exactly the same price (compared to the cent).',
    formula: 'count(bids with price = x) ≥ 2 for some x > min_amount. Score 0.85 for two identical bids, 0.9 for three or more; 0.6 when the shared price equals the estimate (a price ceiling that everyone bid).',
    why: 'Identical prices are a classic cover-bidding trace: the designated winner hands its rivals the figures, or one person prepares several bids.',
    falsePositives: 'Regulated or list prices, tenders where the price is fixed and bidders compete on quality, and bids equal to a published ceiling.',
    exclusions: 'Duplicate rows of the same bidder are not counted as two bidders.',
  },
  run(data, p) {
    const units = data.units;
    const prices = bidPrices(data)!;
    const bidder = data.bids!.party('bidder_id');
    const est = units.table.num('estimated_value');
    const notApplicable: Record<string, number> = {};
    const findings: FindingDraft[] = [];
    let applied = 0;
    for (let u = 0; u < units.n; u++) {
      const groups = new Map<number, number[]>();
      let priced = 0;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        const x = prices[r];
        if (!(x > p.min_amount)) continue;
        priced++;
        const cents = Math.round(x * 100);
        let g = groups.get(cents);
        if (!g) groups.set(cents, (g = []));
        if (bidder && bidder[r] >= 0 && g.some((o) => bidder[o] === bidder[r])) continue;
        g.push(r);
      }
      if (priced < 2) {
        count(notApplicable, 'fewer than 2 priced bids');
        continue;
      }
      applied++;
      for (const [cents, rows] of [...groups].sort((a, b) => a[0] - b[0])) {
        if (rows.length < 2) continue;
        const price = cents / 100;
        const atEstimate = est && est[u] > 0 && Math.abs(est[u] - price) < 0.005;
        const parties = bidder ? rows.map((r) => bidder[r]).filter((x) => x >= 0) : [];
        const who = parties.length ? parties.map((x) => partyLabel(data, x)).join(', ') : `${rows.length} bids`;
        findings.push({
          score: atEstimate ? 0.6 : rows.length >= 3 ? 0.9 : 0.85,
          title: `${tenderLabel(data, u)}: ${rows.length} identical bids of ${fmtAmount(price)}`,
          entities: [tenderEntity(data, u), ...parties.map((x) => companyEntity(data, x))],
          amount: price,
          key: String(cents),
          evidence: {
            price,
            bids: rows.length,
            bidsInTender: units.nBids(u),
            equalsEstimate: !!atEstimate,
            rows: rows.map((r) => rowRef(data, 'bids', r)),
          },
          explanation: `${who} bid exactly ${fmtAmount(price)} in ${tenderLabel(data, u)}${atEstimate ? ', which is also the estimate (a ceiling price bid by all)' : ''}: independent bidders rarely match to the cent.`,
        });
      }
    }
    return { findings, applied, notApplicable };
  },
});
