import { edgesBetween, invoiceGraph, invoiceLabel, invoiceRowOrder } from '../graph/cycles.js';
import { NO_DAY, dayIso, dayOrNone } from '../util/dates.js';
import { ramp } from '../scoring/score.js';
import { invoiceEvidence, LISTED_INVOICES } from './overbilling.js';
import { byPartyId } from './tender-facts.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtAmount, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';

export default defineDetector({
  id: 'loser-invoices-winner',
  title: 'Money flows between the winner and the losing bidders after the award',
  family: 'cross',
  rationale:
    'Cover bidders are paid for losing: after the award the winner buys fictitious services from them or subcontracts part of the work to them. Invoices between the winner and the tender\'s losers soon after the award are the trace of that payment.',
  sources: ['OCP R070 (proxy: losing bidders as subcontractors)', 'OECD 2009 guidelines on bid rigging: subcontracts and side payments to losing bidders', 'VN Law on Bidding 22/2023 art. 16 (bidders of one package must be independent)'],
  needs: ['invoices.buyer_id', 'invoices.issue_date'],
  needsAny: [['bids.is_winner'], ['bids.award_date', 'bids.contract_date']],
  uses: ['invoice-graph'],
  params: {
    window_days: { default: 180, min: 1, integer: true, description: 'invoices from the award date to this many days after it count' },
  },
  explain: {
    definition:
      'For each awarded tender (or lot) with an award date (else a contract date), the invoices issued between the winner and each losing bidder, in either direction, from the award date to `window_days` after it. Each invoice counts for one award only: when it falls in the windows of several awards between the same two firms (tenders both bid in, won by one of them), for the latest award before it among those whose winner is the invoice\'s buyer (a loser billing the winner) when there are any, else among all of them; so the value exchanged is never counted twice. Invoices between the two firms outside the post-award windows of all their shared tenders show an ordinary trading relationship and lower the score. Cancelled and replaced invoices are left out.',
    formula:
      'flow = invoices winner ↔ loser dated in [award, award + window_days]; flag a tender with any flow. score = (0.5 when a loser bills the winner, else 0.35) + share term (+0.15 when the flow is 1–15% of the award, ramping in from 0.5% and out to 0 at 30%, −0.1 above 50%) + ramp(invoices to the winner, 1 → 3, +0 → +0.1) + ramp(losers involved, 1 → 3, +0 → +0.1); × 0.6 when the firms also trade outside the post-award windows.',
    why:
      'Competitors that trade with each other right after one of them won are not independent: the loser may have bid only to lose (a cover bid) and is being paid from the contract, as subcontractor or through invoices for services never rendered.',
    falsePositives:
      'Firms of one sector that are also each other\'s suppliers (scored lower when they traded before the award), declared subcontracting or joint ventures, and large markets where few firms can do the work.',
    exclusions: 'Tenders without a winner or without an award or contract date are not judged.',
  },
  run(data, p) {
    const ig = invoiceGraph(data);
    const units = data.units;
    // a tenders table alone names winners but no losers: every unit is then 'no losing bidder'
    const bidder = data.bids?.party('bidder_id') ?? new Int32Array(0);
    const nBids = bidder.length;
    const award = units.table.num('award_amount');
    const prices = bidPrices(data);
    const awardDate = units.table.num('award_date');
    const contractDate = units.table.num('contract_date');
    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    const partyOrder = byPartyId(data);
    const invoiceOrder = invoiceRowOrder(data, ig);
    let applied = 0;

    // the award (or contract) day of every unit
    const unitDay = new Int32Array(units.n).fill(NO_DAY);
    for (let u = 0; u < units.n; u++) {
      const ad = awardDate ? dayOrNone(awardDate[u]) : NO_DAY;
      unitDay[u] = ad !== NO_DAY ? ad : contractDate ? dayOrNone(contractDate[u]) : NO_DAY;
    }
    // the units each party bid in (CSR over bid rows by bidder)
    const nParties = data.parties.size;
    const pStart = new Int32Array(nParties + 1);
    for (let r = 0; r < nBids; r++) if (bidder[r] >= 0) pStart[bidder[r] + 1]++;
    for (let v = 0; v < nParties; v++) pStart[v + 1] += pStart[v];
    const pUnits = new Int32Array(pStart[nParties]);
    const fill = pStart.slice(0, nParties);
    for (let r = 0; r < nBids; r++) if (bidder[r] >= 0) pUnits[fill[bidder[r]]++] = units.bidUnit[r];
    const stamp = new Int32Array(units.n).fill(-1);
    let query = 0;
    /** units both firms bid in, won by one of them, with a day: sorted by (day, unit) */
    const sharedAwards = (a: number, b: number): number[] => {
      query++;
      for (let i = pStart[a]; i < pStart[a + 1]; i++) stamp[pUnits[i]] = query;
      const out: number[] = [];
      for (let i = pStart[b]; i < pStart[b + 1]; i++) {
        const x = pUnits[i];
        if (stamp[x] !== query) continue;
        stamp[x] = -1;
        if (unitDay[x] !== NO_DAY && (units.winner[x] === a || units.winner[x] === b)) out.push(x);
      }
      return out.sort((x, y) => unitDay[x] - unitDay[y] || x - y);
    };

    for (let u = 0; u < units.n; u++) {
      const w = units.winner[u];
      if (w < 0) {
        count(notApplicable, 'no winner');
        continue;
      }
      const day = unitDay[u];
      if (day === NO_DAY) {
        count(notApplicable, 'no award or contract date');
        continue;
      }
      const ad = awardDate ? dayOrNone(awardDate[u]) : NO_DAY;
      const losers: number[] = [];
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const b = bidder[units.bidRows[k]];
        if (b >= 0 && b !== w && !losers.includes(b)) losers.push(b);
      }
      if (!losers.length) {
        count(notApplicable, 'no losing bidder');
        continue;
      }
      applied++;
      // losers by id and invoices by day, then id: not in the order their rows come
      losers.sort(partyOrder);
      const flows: { loser: number; toWinner: number[]; fromWinner: number[]; outside: number }[] = [];
      const alsoFits = new Set<string>();
      for (const l of losers) {
        let toWinner = edgesBetween(ig.g, l, w, day, day + p.window_days);
        let fromWinner = edgesBetween(ig.g, w, l, day, day + p.window_days);
        if (!toWinner.length && !fromWinner.length) continue;
        // each invoice counts for one award between the two firms: of those whose window holds it, the ones
        // its buyer won (a loser billing the winner) when there are any, and of these the latest before the
        // invoice (ties: the smaller tender label), so one payment is not counted for several tenders
        const shared = sharedAwards(w, l);
        // (a winner named by a tenders table need not have a bid row of its own)
        if (!shared.includes(u)) {
          shared.push(u);
          shared.sort((x, y) => unitDay[x] - unitDay[y] || x - y);
        }
        const mine = (e: number) => {
          const t = ig.g.time[e];
          const buyer = ig.g.dst[e];
          let best = -1;
          let bestPaid = false;
          for (const v of shared) {
            if (unitDay[v] > t) break;
            if (t > unitDay[v] + p.window_days) continue;
            const paid = units.winner[v] === buyer;
            if (best >= 0 && bestPaid && !paid) continue;
            if (best < 0 || (paid && !bestPaid) || unitDay[v] > unitDay[best] || tenderLabel(data, v) < tenderLabel(data, best)) {
              best = v;
              bestPaid = paid;
            }
          }
          if (best !== u) return false;
          // the other awards whose window holds it, named in the evidence
          for (const v of shared) {
            if (unitDay[v] > t) break;
            if (v !== u && t <= unitDay[v] + p.window_days) alsoFits.add(tenderLabel(data, v));
          }
          return true;
        };
        toWinner = toWinner.filter(mine);
        fromWinner = fromWinner.filter(mine);
        if (!toWinner.length && !fromWinner.length) continue;
        // trade between them outside every post-award window of their shared tenders
        let outside = 0;
        for (const [x, y] of [
          [l, w],
          [w, l],
        ])
          for (const e of edgesBetween(ig.g, x, y, -0x80000000, 0x7fffffff)) {
            const t = ig.g.time[e];
            if (!shared.some((v) => unitDay[v] <= t && t <= unitDay[v] + p.window_days)) outside++;
          }
        flows.push({ loser: l, toWinner, fromWinner, outside });
      }
      if (!flows.length) continue;
      const wb = units.winnerBid[u];
      const a = award && award[u] > 0 ? award[u] : wb >= 0 && prices && prices[wb] > 0 ? prices[wb] : NaN;
      const invs = flows.flatMap((f) => [...f.toWinner, ...f.fromWinner]).sort(invoiceOrder);
      let value = 0;
      for (const e of invs) value += ig.gross[e];
      const share = a > 0 ? value / a : NaN;
      const established = flows.some((f) => f.outside > 0);
      const loserBills = flows.some((f) => f.toWinner.length > 0);
      const toWinner = flows.reduce((k, f) => k + f.toWinner.length, 0);
      const score =
        ((loserBills ? 0.5 : 0.35) + shareTerm(share) + ramp(toWinner, 1, 3, 0, 0.1) + ramp(flows.length, 1, 3, 0, 0.1)) * (established ? 0.6 : 1);
      const entities: Entity[] = [tenderEntity(data, u), companyEntity(data, w), ...flows.map((f) => companyEntity(data, f.loser))];
      for (const e of invs.slice(0, LISTED_INVOICES)) entities.push({ type: 'invoice', id: invoiceLabel(data, e) });
      const first = invs[0];
      findings.push({
        score,
        title: `${tenderLabel(data, u)}: ${flows.length} losing bidder${flows.length === 1 ? '' : 's'} traded ${fmtAmount(value)} with the winner ${partyLabel(data, w)} after the award`,
        entities,
        amount: value,
        key: tenderLabel(data, u),
        evidence: {
          awardDate: dayIso(day),
          dateField: ad !== NO_DAY ? 'award_date' : 'contract_date',
          award: Number.isNaN(a) ? null : a,
          valueExchanged: value,
          shareOfAward: Number.isNaN(share) ? null : round(share),
          losers: flows.map((f) => ({
            loser: data.parties.id(f.loser),
            invoicesToWinner: f.toWinner.length,
            invoicesFromWinner: f.fromWinner.length,
            invoicesOutsidePostAwardWindows: f.outside,
          })),
          losingBidders: losers.length,
          firstInvoiceDaysAfterAward: ig.g.time[first] - day,
          // other awards of the same firms whose windows hold some of these invoices too: each invoice is
          // counted here only (the latest award before it), but it may pay for one of these
          alsoInWindowOf: [...alsoFits].sort(),
          threshold: { window_days: p.window_days },
          invoices: invs.slice(0, LISTED_INVOICES).map((e) => invoiceEvidence(data, ig, e, { seller: data.parties.id(ig.g.src[e]), buyer: data.parties.id(ig.g.dst[e]) })),
        },
        explanation: `Within ${p.window_days} days of the award (${dayIso(day)}), ${flows.length} of the ${losers.length} losing bidders exchanged ${invs.length} invoice${invs.length === 1 ? '' : 's'} worth ${fmtAmount(value)}${Number.isNaN(share) ? '' : ` (${fmtPct(share)} of the award)`} with the winner${established ? ', though they also trade at other times' : ', and they trade with each other at no other time'} (each invoice counted for one tender: the latest award between the two firms before it${alsoFits.size ? `; ${alsoFits.size === 1 ? 'another award' : `${alsoFits.size} other awards`} of theirs, ${[...alsoFits].sort().slice(0, 3).join(', ')}${alsoFits.size > 3 ? '…' : ''}, also had ${alsoFits.size === 1 ? 'its' : 'their'} window open` : ''}).`,
      });
    }
    return { findings, applied, notApplicable };
  },
});

/**
 * A payment to a cover bidder is a slice of the contract: +0.15 for 1–15% of the award (ramping in from
 * 0.5%), fading to 0 at 30%; −0.1 above 50%, which the contract could hardly fund; 0 when unknown.
 */
function shareTerm(share: number): number {
  if (Number.isNaN(share)) return 0;
  if (share <= 0.15) return ramp(share, 0.005, 0.01, 0, 0.15);
  if (share <= 0.5) return ramp(share, 0.15, 0.3, 0.15, 0);
  return -0.1;
}
