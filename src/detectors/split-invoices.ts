import { VOID_INVOICE_STATUSES } from '../normalize/codes.js';
import { ramp } from '../scoring/score.js';
import { invoiceIndex, stableOrder } from '../graph/invoice-index.js';
import { invoiceEntity, invoiceRef } from './invoice-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { buyerEntity, companyEntity, count, fmtAmount, fmtPct, partyLabel, round, plural } from './util.js';
import { DAY_MS } from '../util/dates.js';

/** What an invoice is to the detector: left out (and why), judged, or judged and just under the ceiling. */
const NO_BUYER = 1;
const NOT_PUBLIC = 2;
const NO_DATE = 3;
const VOIDED = 4;
const JUDGED = 5;
const JUST_UNDER = 6;

export default defineDetector({
  id: 'split-invoices',
  title: 'Invoices split to stay under the invoice-only ceiling',
  family: 'threshold',
  rationale:
    'A seller that bills one buyer several invoices, each just under the amount up to which a purchase needs only an invoice and together above it, may be splitting one purchase to avoid a procurement procedure.',
  sources: ['OCP R055 (split purchases)', 'VN Law 22/2023/QH15 and its implementing decrees: purchases up to the invoice-only amount (50 m VND) need no selection procedure (DATA.md)'],
  needs: ['invoices.seller_id', 'invoices.buyer_id', 'invoices.issue_date'],
  needsAny: [['invoices.amount', 'invoices.total_amount']],
  uses: ['invoice-index'],
  params: {
    ceiling: {
      default: 0,
      min: 0,
      description: 'the invoice threshold T in the data\'s currency; 0 = the config table tables.invoice_only_ceiling (50 m VND)',
    },
    lower: { default: 0.8, min: 0, max: 1, description: 'an invoice counts as just under T when its amount is in [lower × T, T)' },
    window_days: { default: 30, min: 1, integer: true, description: 'invoices within this many days of the first form a burst' },
    min_invoices: { default: 3, min: 2, integer: true, description: 'invoices a burst needs within window_days' },
    pair_days: {
      default: 0,
      min: 0,
      integer: true,
      description: 'two invoices within this many days are enough on their own (0 = off, the default: honest repeat deliveries produce such pairs too)',
    },
    public_buyers_only: {
      default: true,
      description: 'when a bids or tenders file is given, judge only invoices to buyers that appear there as procuring entities (the ceiling binds public buyers)',
    },
  },
  explain: {
    definition:
      'For each seller → buyer pair, the invoices (line items folded; cancelled and replaced invoices left out) whose amount (before VAT, else the total) lies in [lower × T, T) of the invoice threshold T, in date order. A burst is at least `min_invoices` of them within `window_days` of the first — or two within `pair_days` — that together reach T.',
    formula:
      'just under: lower × T ≤ amount < T; burst: k ≥ min_invoices with last − first ≤ window_days (or k ≥ 2 with last − first ≤ pair_days), Σ amount ≥ T. Score = 0.5 + 0.15 × ramp(mean amount / T, lower, 0.99) + 0.1 × ramp(k, 2, 5) + 0.05 if the burst spans ≤ pair_days.',
    why: 'Below the invoice-only ceiling a public buyer may purchase against an invoice without any selection procedure. Several invoices from one seller just under it in a few weeks suggest one purchase cut into pieces to skip quotation or tendering.',
    falsePositives:
      'Regular deliveries genuinely ordered separately (weekly supplies), instalments of a contract awarded properly (check contract_ref), and sellers whose unit price happens to sit near the ceiling.',
    exclusions:
      'Invoices without buyer (consumers), date or amount, and cancelled or replaced invoices are not judged. When bids or tenders are given too, only invoices to their procuring entities are judged (`public_buyers_only`): firms buying from each other are not bound by the ceiling. Each invoice is in at most one burst.',
  },
  run(data, p, ctx) {
    const ix = invoiceIndex(data);
    const t = data.invoices!;
    const T = p.ceiling > 0 ? p.ceiling : ctx.tables.invoice_only_ceiling;
    const source = p.ceiling > 0 ? 'split-invoices.ceiling' : 'tables.invoice_only_ceiling';
    const notApplicable: Record<string, number> = {};
    const findings: FindingDraft[] = [];
    let applied = 0;
    const lo = p.lower * T;
    // public buyers: the procuring entities of the bids/tenders input, when there is one
    let isPublic: Uint8Array | null = null;
    const buyerCol = data.bids || data.tables.tenders ? data.units.table.party('buyer_id') : undefined;
    if (p.public_buyers_only && buyerCol) {
      isPublic = new Uint8Array(data.parties.size);
      for (let u = 0; u < buyerCol.length; u++) if (buyerCol[u] >= 0) isPublic[buyerCol[u]] = 1;
    }
    // what each invoice is, in one pass in invoice order (sequential reads); the pass by seller below then
    // reads one byte per invoice instead of its buyer, date, amount and status
    const status = t.str('status');
    const voidCode = new Uint8Array(status?.dict.length ?? 0);
    status?.dict.forEach((x, i) => (voidCode[i] = VOID_INVOICE_STATUSES.has(x) ? 1 : 0));
    const order = stableOrder(data, ix);
    const kind = new Uint8Array(ix.n);
    for (let inv = 0; inv < ix.n; inv++) {
      const b = ix.buyer[inv];
      if (b < 0) kind[inv] = NO_BUYER;
      else if (isPublic && !isPublic[b]) kind[inv] = NOT_PUBLIC;
      else if (Number.isNaN(ix.date[inv]) || Number.isNaN(ix.amount[inv])) kind[inv] = NO_DATE;
      else if (status && status.codes[ix.firstRow[inv]] >= 0 && voidCode[status.codes[ix.firstRow[inv]]]) kind[inv] = VOIDED;
      else kind[inv] = ix.amount[inv] >= lo && ix.amount[inv] < T ? JUST_UNDER : JUDGED;
    }
    for (const s of ix.sellers) {
      const cand: number[] = [];
      for (let k = ix.sellerStart[s]; k < ix.sellerStart[s + 1]; k++) {
        const inv = ix.bySeller[k];
        switch (kind[inv]) {
          case NO_BUYER:
            count(notApplicable, 'no buyer');
            continue;
          case NOT_PUBLIC:
            count(notApplicable, 'buyer is not a procuring entity of the bids input');
            continue;
          case NO_DATE:
            count(notApplicable, 'no date or amount');
            continue;
          case VOIDED:
            count(notApplicable, 'cancelled or replaced');
            continue;
        }
        applied++;
        if (kind[inv] === JUST_UNDER) cand.push(inv);
      }
      if (cand.length < 2) continue;
      // by buyer, then date; invoices of one day by amount, number and id, not by row, as which of them
      // start a burst decides its members
      cand.sort((a, b) => ix.buyer[a] - ix.buyer[b] || order(a, b));
      let g = 0;
      while (g < cand.length) {
        let h = g + 1;
        while (h < cand.length && ix.buyer[cand[h]] === ix.buyer[cand[g]]) h++;
        let i = g;
        while (i < h) {
          const start = ix.date[cand[i]];
          let j = i + 1;
          while (j < h && ix.date[cand[j]] - start <= p.window_days * DAY_MS) j++;
          let members = cand.slice(i, j);
          let sum = members.reduce((x, inv) => x + ix.amount[inv], 0);
          let ok = members.length >= p.min_invoices && sum >= T;
          if (!ok && p.pair_days > 0) {
            let jj = i + 1;
            while (jj < h && ix.date[cand[jj]] - start <= p.pair_days * DAY_MS) jj++;
            const close = cand.slice(i, jj);
            const closeSum = close.reduce((x, inv) => x + ix.amount[inv], 0);
            if (close.length >= 2 && closeSum >= T) {
              members = close;
              sum = closeSum;
              ok = true;
            }
          }
          if (!ok) {
            i++;
            continue;
          }
          findings.push(burst(members, sum));
          i += members.length;
        }
        g = h;
      }
    }
    return { findings, applied, notApplicable, cutoffs: { ceiling: T, lowerBound: lo } };

    function burst(members: number[], sum: number): FindingDraft {
      const k = members.length;
      const seller = ix.seller[members[0]];
      const buyer = ix.buyer[members[0]];
      const span = Math.round((ix.date[members[k - 1]] - ix.date[members[0]]) / DAY_MS);
      const meanRatio = sum / k / T;
      const score = 0.5 + 0.15 * ramp(meanRatio, p.lower, 0.99, 0, 1) + 0.1 * ramp(k, 2, 5, 0, 1) + (span <= p.pair_days ? 0.05 : 0);
      return {
        score,
        title: `${partyLabel(data, seller)} billed ${partyLabel(data, buyer)} ${k} invoices just under ${fmtAmount(T)} in ${plural(span, 'day')}, ${fmtAmount(sum)} in all`,
        entities: [...members.map((inv) => invoiceEntity(data, ix, inv)), companyEntity(data, seller), buyerEntity(data, buyer)],
        amount: sum,
        evidence: {
          ceiling: T,
          ceilingFrom: source,
          invoices: members.map((inv) => ({ ...invoiceRef(data, ix, inv), ratioToCeiling: round(ix.amount[inv] / T, 5) })),
          sum,
          sumToCeiling: round(sum / T, 4),
          spanDays: span,
          threshold: { lower: p.lower, window_days: p.window_days, min_invoices: p.min_invoices, pair_days: p.pair_days },
        },
        explanation: `${k} invoices from one seller to one buyer within ${plural(span, 'day')}, each between ${fmtPct(p.lower, 0)} and 100% of the ${fmtAmount(T)} invoice-only ceiling, together ${fmtAmount(sum)} (${fmtPct(sum / T, 0)} of it): one purchase may have been split to skip a procurement procedure.`,
      };
    }
  },
});
