import { ramp } from '../scoring/score.js';
import { binomialUpperTail, surprise } from '../stats/outliers.js';
import { byTender } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { INVALID_STATUSES, bidPrices, buyerEntity, companyEntity, count, fmtAmount, fmtChance, fmtPct, partyLabel, plural, round, rowRef, tenderEntity, tenderLabel } from './util.js';
import { isoDay } from '../util/dates.js';
import { compareText } from '../util/compare.js';

/** How a tender was won without real competition. */
type Kind = 'single' | 'lowest' | 'allRivals';
const KINDS: readonly Kind[] = ['single', 'lowest', 'allRivals'];
const KIND_BIT: Record<Kind, number> = { single: 1, lowest: 2, allRivals: 4 };
const KIND_PHRASE: Record<Kind, [string, string]> = {
  single: ['single bid', 'single bids'],
  lowest: ['lowest bid disqualified', 'lowest bids disqualified'],
  allRivals: ['all rivals disqualified', 'all rivals disqualified'],
};

interface Reference {
  /** pooled share of judged awards won without real competition */
  rate: number;
}

export default defineDetector({
  id: 'buyer-steering',
  title: 'A buyer repeatedly awards one firm without real competition',
  family: 'competition',
  rationale:
    'One single bid, one disqualified lowest bid or one tender where every rival was disqualified happens in honest markets; the same buyer doing it again and again for the same firm is how a buyer steers its contracts.',
  sources: ['OCP R018, R035, R036 and R038 read at the buyer', 'GTI (single bidding per buyer)', 'World Bank, Warning signs of fraud and corruption in procurement (2013)'],
  needs: ['bids.buyer_id', 'bids.is_winner'],
  needsAny: [['bids.procedure', 'bids.bid_status']],
  params: {
    min_tenders: { default: 3, min: 2, integer: true, description: 'tenders of one buyer won by the same firm without real competition before the pair is reported' },
    max_p: { default: 0.005, min: 0, max: 1, description: 'and the binomial chance of that many among the firm\'s awards at this buyer, at the pooled rate, is at most this' },
    procedures: {
      default: ['open', 'restricted', 'competitive-shopping'],
      values: ['open', 'restricted', 'competitive-shopping', 'negotiated', 'special', 'community', 'designated', 'direct', 'self-performed'],
      description: 'procedures in which a single bid counts as no competition (as single-bidder.procedures)',
    },
  },
  explain: {
    definition:
      'Every awarded tender of a buyer is checked for three outcomes that leave the winner without real competition: a competitive procedure (`procedures`) that drew a single bidder (R018), the lowest priced bid disqualified (R036), and every rival of the winner disqualified (R035). For each buyer × winner pair, the tenders the firm won at this buyer with at least one of them are counted and compared with the share of such awards among all judged awards of the input.',
    formula:
      'judged award: a winner and a buyer are known, and the procedure is one of `procedures` or the tender has ≥ 2 bids with a status. k = the firm\'s judged awards at the buyer without real competition, m = all its judged awards at the buyer, r = pooled share over all judged awards. Flag k ≥ min_tenders and P = P(X ≥ k | Binomial(m, r)) ≤ max_p. Score 0.55 at −log10 P = 3 rising to 0.8 at −log10 P = 6 (about 5 of 5 at r = 6%).',
    why: 'The tender-level findings (single-bidder, lowest-bid-disqualified, all-but-winner-disqualified) are each common enough in honest data; the pattern at the buyer is not: a buyer whose competitive tenders keep ending with the same firm alone, or whose evaluation keeps removing the cheaper rivals of the same firm, is steering the award (OCP reads R018, R036 and R038 per buyer; the World Bank lists repeated disqualification of low bidders in favour of one firm as a warning sign).',
    falsePositives:
      'A sole local supplier of a niche product or a remote area (single bids every time, for honest reasons); a firm that is the only one able to meet a legitimate licence requirement; a buyer that always disqualifies the same unprepared bidders.',
    exclusions: 'Tenders without a winner or a buyer, and tenders under another procedure with fewer than 2 bids, are not judged. excessive-disqualifications judges the share of a buyer\'s bids disqualified, whoever won.',
  },
  run(data, p, ctx) {
    const units = data.units;
    const t = units.table;
    const buyer = t.party('buyer_id')!;
    const proc = t.str('procedure');
    const declared = t.num('number_of_bidders');
    const bids = data.bids;
    const bidder = bids?.party('bidder_id');
    const status = bids?.str('bid_status');
    const prices = bidPrices(data);
    const competitive = new Set(p.procedures);
    const notApplicable: Record<string, number> = {};
    const P = data.parties.size;

    // per unit: which outcomes (bit set), -1 when not judged
    const kindOf = new Int8Array(units.n).fill(-1);
    const lowestRow = new Int32Array(units.n).fill(-1);
    const disqualified = (r: number) => !!status && status.codes[r] >= 0 && status.dict[status.codes[r]] === 'disqualified';
    const idOf = (r: number) => (bidder && bidder[r] >= 0 ? data.parties.id(bidder[r]) : '');
    const lowerTie = (r: number, than: number) =>
      disqualified(r) !== disqualified(than) ? !disqualified(r) : compareText(idOf(r), idOf(than)) < 0;
    const stamp = new Int32Array(P).fill(-1);
    let judged = 0;
    let events = 0;
    for (let u = 0; u < units.n; u++) {
      const w = units.winner[u];
      if (w < 0 || buyer[u] < 0) {
        count(notApplicable, 'no winner or buyer');
        continue;
      }
      const procedure = proc && proc.codes[u] >= 0 ? proc.dict[proc.codes[u]] : '';
      const isCompetitive = competitive.has(procedure);
      let distinct = 0;
      let statusKnown = 0;
      let priced = 0;
      let lowest = -1;
      let validOthers = 0;
      let disqOthers = 0;
      const wb = units.winnerBid[u];
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        const f = bidder ? bidder[r] : -1;
        if (f < 0) distinct++;
        else if (stamp[f] !== u) {
          stamp[f] = u;
          distinct++;
        }
        const s = status && status.codes[r] >= 0 ? status.dict[status.codes[r]] : '';
        if (s) statusKnown++;
        if (prices && prices[r] > 0) {
          priced++;
          // of bids tied at the lowest price, a valid one first, then the smallest bidder id: the lowest bid
          // counts as disqualified only when every bid at that price was, and reads the same in any row order
          if (lowest < 0 || prices[r] < prices[lowest] || (prices[r] === prices[lowest] && lowerTie(r, lowest))) lowest = r;
        }
        if (r === wb) continue;
        if (s === 'disqualified') disqOthers++;
        else if (!INVALID_STATUSES.has(s)) validOthers++;
      }
      const nBids = units.nBids(u);
      if (nBids === 0 && declared && declared[u] >= 0) distinct = declared[u];
      const statusJudged = nBids >= 2 && statusKnown > 0;
      if (!isCompetitive && !statusJudged) {
        count(notApplicable, 'tenders of a non-competitive procedure without 2 bids with a status');
        continue;
      }
      let bits = 0;
      if (isCompetitive && distinct === 1) bits |= KIND_BIT.single;
      if (statusJudged) {
        const winnerOk = wb < 0 || !status || status.dict[status.codes[wb]] !== 'disqualified';
        if (priced >= 2 && lowest !== wb && status!.dict[status!.codes[lowest]] === 'disqualified' && winnerOk) {
          bits |= KIND_BIT.lowest;
          lowestRow[u] = lowest;
        }
        if (wb >= 0 && winnerOk && validOthers === 0 && disqOthers > 0) bits |= KIND_BIT.allRivals;
      }
      kindOf[u] = bits;
      judged++;
      if (bits) events++;
    }

    const frozen = ctx.reference as Reference | undefined;
    const reference: Reference = { rate: judged ? events / judged : 0 };
    const rate = frozen && typeof frozen.rate === 'number' ? frozen.rate : reference.rate;

    // (buyer, winner) pairs: judged awards and those without competition, in unit order
    const pairKey = (u: number) => buyer[u] * P + units.winner[u];
    const order: number[] = [];
    for (let u = 0; u < units.n; u++) if (kindOf[u] >= 0) order.push(u);
    order.sort((a, b) => pairKey(a) - pairKey(b) || a - b);
    const judgedOfBuyer = new Int32Array(P);
    for (const u of order) judgedOfBuyer[buyer[u]]++;
    const buyersJudged = judgedOfBuyer.reduce((s, x) => s + (x > 0 ? 1 : 0), 0);

    const tenderOrder = byTender(data);
    const findings: FindingDraft[] = [];
    for (let i = 0; i < order.length; ) {
      let j = i;
      let k = 0;
      while (j < order.length && pairKey(order[j]) === pairKey(order[i])) {
        if (kindOf[order[j]] > 0) k++;
        j++;
      }
      const m = j - i;
      if (k >= p.min_tenders) {
        const pv = binomialUpperTail(k, m, Math.max(rate, 1e-6));
        if (pv <= p.max_p) findings.push(pairFinding(order.slice(i, j).filter((u) => kindOf[u] > 0).sort(byDate), m, pv));
      }
      i = j;
    }

    function pairFinding(us: number[], m: number, pv: number): FindingDraft {
      const u0 = us[0];
      const b = buyer[u0];
      const w = units.winner[u0];
      const k = us.length;
      const nb = judgedOfBuyer[b];
      const by: Record<Kind, number> = { single: 0, lowest: 0, allRivals: 0 };
      for (const u of us) for (const kind of KINDS) if (kindOf[u] & KIND_BIT[kind]) by[kind]++;
      const procs = [...new Set(us.map((u) => (proc && proc.codes[u] >= 0 ? proc.dict[proc.codes[u]] : '')))];
      const bl = partyLabel(data, b);
      const wl = partyLabel(data, w);
      let title: string;
      if (by.single === k) title = `${bl}: ${k} ${procs.length === 1 && procs[0] ? procs[0] : 'competitive'} tenders each drew only ${wl}`;
      else if (by.allRivals === k) title = `${bl}: every rival of ${wl} was disqualified in ${k} of ${nb} tenders`;
      else if (by.lowest === k)
        title = `${bl}: the lowest bid was disqualified in ${k} of ${nb} tenders, each time in favour of ${wl}${by.allRivals ? ` (every rival in ${by.allRivals})` : ''}`;
      else title = `${bl}: ${k} of ${nb} tenders went to ${wl} without real competition (${describe(by)})`;
      const sur = surprise(pv);
      const value = us.reduce((s, u) => s + (awardValue(u) > 0 ? awardValue(u) : 0), 0);
      const dates = us.map((u) => dateOf(u));
      return {
        score: ramp(sur, 3, 6, 0.55, 0.8),
        title,
        entities: [buyerEntity(data, b), companyEntity(data, w), ...us.map((u) => tenderEntity(data, u))],
        amount: value || null,
        evidence: {
          buyer: data.parties.id(b),
          winner: data.parties.id(w),
          tendersWithoutCompetition: k,
          byKind: { singleBid: by.single, lowestBidDisqualified: by.lowest, allRivalsDisqualified: by.allRivals },
          winsAtBuyer: m,
          buyerTendersJudged: nb,
          pooledRate: round(rate, 5),
          binomialP: Number(pv.toPrecision(3)),
          valueAwarded: value,
          tenders: us.slice(0, 50).map((u, i) => tenderDetail(u, dates[i])),
          threshold: { min_tenders: p.min_tenders, max_p: p.max_p },
        },
        explanation:
          `Of the ${plural(m, 'tender')} ${wl} won at this buyer, ${k} had no real competition (${describe(by)})${value ? `, worth ${fmtAmount(value)}` : ''}; ` +
          `at the ${fmtPct(rate, 1)} of awards that go this way across the input, that many is a ${fmtChance(pv)} chance (threshold ${p.max_p}): check how this buyer advertised and evaluated these tenders.`,
      };
    }

    /** by award (else publication) date, then tender id: the order the buyer made the awards */
    function byDate(a: number, b: number): number {
      const da = dateOf(a) ?? '';
      const db = dateOf(b) ?? '';
      return da < db ? -1 : da > db ? 1 : tenderOrder(a, b);
    }

    function describe(by: Record<Kind, number>): string {
      return KINDS.filter((x) => by[x] > 0)
        .map((x) => `${by[x]} ${KIND_PHRASE[x][by[x] === 1 ? 0 : 1]}`)
        .join(', ');
    }

    function awardValue(u: number): number {
      const a = t.num('award_amount')?.[u];
      if (a !== undefined && a > 0) return a;
      const wb = units.winnerBid[u];
      return wb >= 0 && prices && prices[wb] > 0 ? prices[wb] : NaN;
    }

    function dateOf(u: number): string | null {
      for (const c of ['award_date', 'published_date']) {
        const d = t.num(c)?.[u];
        if (d !== undefined && !Number.isNaN(d)) return isoDay(d);
      }
      return null;
    }

    function tenderDetail(u: number, date: string | null): Record<string, unknown> {
      const bits = kindOf[u];
      const low = lowestRow[u];
      const wb = units.winnerBid[u];
      return {
        tender: tenderLabel(data, u),
        date,
        procedure: proc && proc.codes[u] >= 0 ? proc.dict[proc.codes[u]] : null,
        bids: units.nBids(u),
        outcome: KINDS.filter((x) => bits & KIND_BIT[x]),
        winningBid: wb >= 0 && prices && prices[wb] > 0 ? prices[wb] : null,
        ...(low >= 0 && prices
          ? { lowestBid: prices[low], lowestBidder: bidder && bidder[low] >= 0 ? data.parties.id(bidder[low]) : null, lowestRow: rowRef(data, 'bids', low) }
          : {}),
      };
    }

    return { findings, applied: buyersJudged, notApplicable, cutoffs: { pooledRate: round(rate, 5) }, reference };
  },
});
