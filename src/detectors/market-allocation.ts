import { cobidGraph, MAX_BIDDERS, sharedUnits } from '../graph/cobid.js';
import { ramp } from '../scoring/score.js';
import { binomialUpperTail, fisherCombined, surprise } from '../stats/outliers.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, fmtChance, partyLabel, plural, round, tenderEntity, tenderLabel } from './util.js';
import { compareText } from '../util/compare.js';

/** candidates per category paired with each other (the pair work grows with the square of this) */
const MAX_POOL = 60;
/** tenders listed in the evidence */
const MAX_LISTED = 50;

interface Candidate {
  firm: number;
  id: string;
  /** its judged tenders in the category, ascending */
  units: number[];
  /** places (buyers or provinces) where it bid, ascending */
  places: number[];
  bids: number;
  /** tenders it won as the lowest bid (no cheaper bid, valid or not), at the places it holds */
  wins: number;
  /** such wins at places where another candidate won more (its territory, not this firm's) */
  yielded: number;
  /** mean fair share (1 / bidders) of its tenders */
  fair: number;
  expected: number;
  p: number;
  /** the other firms that bid in its tenders: the market it actually competes in */
  peers: number[];
  /** rivals per tender of its own (mean) */
  rivalsPerTender: number;
  /** tenders at its places where it or a peer bid */
  marketTenders: number;
  /** its own tenders / marketTenders */
  participation: number;
  first: number;
  last: number;
}

export default defineDetector({
  id: 'market-allocation',
  title: 'Firms of one market that never meet, each winning its own territory',
  family: 'market',
  rationale: 'Firms that divide a market by territory do not bid against each other: each keeps to its own buyers (or provinces) and wins nearly everything there, while the others stay away — although the same rivals bid in both territories, so the firms would otherwise meet.',
  sources: ['OECD 2009 guidelines for fighting bid rigging (market allocation)', 'OCP R053 (co-bidding structure)'],
  needs: ['bids.bidder_id', 'bids.is_winner', 'bids.buyer_id', 'bids.category'],
  uses: ['cobid-graph'],
  params: {
    min_wins: { default: 3, min: 1, integer: true, description: 'tenders of the category a firm must have won as the lowest bid' },
    min_win_rate: { default: 0.8, min: 0, max: 1, description: 'share of its tenders in the category that it won as the lowest bid' },
    territory: { default: 'buyer', values: ['buyer', 'province'], description: 'what a territory is: the buyers, or the provinces, where a firm bid; members\' territories must not overlap' },
    max_p: { default: 0.1, min: 0, max: 1, description: 'per firm: chance of winning that often at a fair share (1 / bidders)' },
    min_link: { default: 0.5, min: 0, description: 'expected meetings of two firms (from the rivals they share) for them to be one market' },
    min_expected: { default: 1.5, min: 0, description: 'expected meetings of the whole group: never meeting must be unlikely (P = e^−E)' },
    max_group_p: { default: 0.005, min: 0, max: 1, description: 'combined chance (Fisher) of the members\' win records and of never meeting' },
    max_firms: { default: 6, min: 2, max: 12, integer: true, description: 'largest group reported' },
  },
  explain: {
    definition:
      'The market is the category (goods, works…) narrowed to the firms that actually compete with each other: a firm\'s peers are the firms that bid in its tenders. Candidates win nearly every tender of the category they bid for, as the lowest bid and far more than a fair share, at places that are theirs: a buyer (or province) where two candidates won is the territory of the one that won more there, and the other\'s wins at it do not count. Two candidates are one market when the peers of one bid in the tenders of the other: had each firm bid wherever its own rivals bid, as often as it does at home, they would have met E times. A group is two or more candidates linked that way whose territories (the buyers, or provinces, where each bid) do not overlap, that never bid in the same tender and were active at the same time, and for which never meeting is unlikely.',
    formula:
      'per firm and category, over tenders with a winner and 2 to 40 bidders: wins = tenders won with no cheaper bid (valid or not); wins ≥ min_wins, wins / bids ≥ min_win_rate, p = P(X ≥ wins | Binomial(bids, mean 1 / bidders)) ≤ max_p. A place where two candidates won belongs to the one that won more tenders there (to both on a tie): the other\'s wins there are dropped and its record judged again. Peers P_A = the other bidders of A\'s tenders, k_A = their mean number per tender; participation ω_A = A\'s tenders / tenders of the category at A\'s places where A or a peer bid. E(A→B) = ω_A × Σ over B\'s tenders of min(1, peers of A in it / k_A); E_AB = E(A→B) + E(B→A); a link needs E_AB ≥ min_link. Groups grow from the most significant candidate, adding the linked candidate with the most expected meetings that is compatible with every member, up to max_firms. Flag E = Σ pairs E_AB ≥ min_expected and Fisher\'s combination of the members\' p and of e^−E ≤ max_group_p. Score 0.5 + 0.2 × (−log10 of the combined p from 3 to 8) + 0.05 × (firms from 2 to 4), at most 0.75.',
    why: 'Allocating territories or customers is one of the four classic cartel forms (OECD). It leaves no trace inside a tender; it shows only across tenders, as firms that could compete — the same rivals bid in both territories — but never meet, and each dominate their own patch.',
    falsePositives: 'Genuinely local markets (contractors that never leave their province, where rivals from elsewhere still come), transport costs, licensing limited to a province, and firms favoured at their own buyers for unrelated reasons (a captured buyer). The score stays medium: it is a pattern to look into, not proof.',
    exclusions: 'Needs category and buyer (province for territory = province; a blank province counts as its own place). The procedure is not part of the market: most firms bid under both open tendering and competitive shopping (the procedure follows the contract value). Wins where a cheaper bid was disqualified are not counted as wins (lowest-bid-disqualified reports them). Tenders with more than 40 bidders, or one, are not judged.',
  },
  run(data, p) {
    const g = cobidGraph(data);
    const units = data.units;
    const bidder = data.bids!.party('bidder_id')!;
    const prices = bidPrices(data);
    const cat = units.table.str('category')!;
    const prov = units.table.str('province');
    const buyer = units.table.party('buyer_id');
    const dateCol = units.table.num('published_date') ?? units.table.num('deadline_date') ?? units.table.num('award_date');
    const byProvince = p.territory === 'province';
    const place = (u: number) => (byProvince ? (prov ? prov.codes[u] : -1) : buyer ? buyer[u] : -1);
    const placeName = (x: number) => (byProvince ? (x >= 0 && prov ? prov.dict[x] : '(no province)') : partyLabel(data, x));
    // places as listed: buyers by id, provinces by name (their numbers follow the order rows were read in)
    const placeKey = (x: number) => (byProvince ? (x >= 0 && prov ? prov.dict[x] : '') : x >= 0 ? data.parties.id(x) : '');
    const placeOrder = (a: number, b: number) => compareText(placeKey(a), placeKey(b));
    const provinceOf = (u: number) => (prov && prov.codes[u] >= 0 ? prov.dict[prov.codes[u]] : '(no province)');
    const notApplicable: Record<string, number> = {};
    const P = data.parties.size;

    // judged units: a category, a winner, 2 … MAX_BIDDERS distinct bidders; their distinct bidders (CSR)
    const judged = new Uint8Array(units.n);
    const uStart = new Int32Array(units.n + 1);
    const uFirms: number[] = [];
    const cheapestWin = new Uint8Array(units.n);
    const lastUnit = new Int32Array(P).fill(-1);
    for (let u = 0; u < units.n; u++) {
      uStart[u] = uFirms.length;
      if (cat.codes[u] < 0 || units.winner[u] < 0) continue;
      const from = uFirms.length;
      let lowest = Infinity;
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        if (prices && prices[r] > 0) lowest = Math.min(lowest, prices[r]);
        const f = bidder[r];
        if (f < 0 || lastUnit[f] === u) continue;
        lastUnit[f] = u;
        uFirms.push(f);
      }
      const n = uFirms.length - from;
      if (n < 2 || n > MAX_BIDDERS) {
        uFirms.length = from;
        continue;
      }
      judged[u] = 1;
      const wb = units.winnerBid[u];
      cheapestWin[u] = !prices || wb < 0 || !(prices[wb] > 0) || prices[wb] <= lowest ? 1 : 0;
    }
    uStart[units.n] = uFirms.length;
    const nFirms = (u: number) => uStart[u + 1] - uStart[u];

    // per (firm, category): its judged units
    const C = cat.dict.length;
    const byFirmCat = new Map<number, number[]>();
    for (let u = 0; u < units.n; u++) {
      if (!judged[u]) continue;
      for (let i = uStart[u]; i < uStart[u + 1]; i++) {
        const key = uFirms[i] * C + cat.codes[u];
        let l = byFirmCat.get(key);
        if (!l) byFirmCat.set(key, (l = []));
        l.push(u);
      }
    }
    const wonCheapest = (f: number, u: number) => units.winner[u] === f && cheapestWin[u] === 1;
    /** its chance of that many wins at a fair share, or null when the record is not a candidate's */
    const dominance = (us: number[], wins: number, fair: number): number | null => {
      if (wins < p.min_wins || wins / us.length < p.min_win_rate) return null;
      const pv = binomialUpperTail(wins, us.length, fair);
      return pv > p.max_p ? null : pv;
    };
    const pool = new Map<number, Candidate[]>();
    let applied = 0;
    let yieldedOut = 0;
    for (const [key, us] of byFirmCat) {
      const f = Math.floor(key / C);
      let wins = 0;
      for (const u of us) if (wonCheapest(f, u)) wins++;
      if (us.length < p.min_wins) continue;
      applied++;
      const fair = us.reduce((s, u) => s + 1 / nFirms(u), 0) / us.length;
      const pv = dominance(us, wins, fair);
      if (pv === null) continue;
      const places = [...new Set(us.map(place))].sort((a, b) => a - b);
      const dates = dateCol ? us.map((u) => dateCol[u]).filter((d) => !Number.isNaN(d)) : [];
      const c = key % C;
      let l = pool.get(c);
      if (!l) pool.set(c, (l = []));
      l.push({
        firm: f,
        id: data.parties.id(f),
        units: us,
        places,
        bids: us.length,
        wins,
        yielded: 0,
        fair,
        expected: fair * us.length,
        p: pv,
        peers: [],
        rivalsPerTender: 0,
        marketTenders: 0,
        participation: 0,
        first: dates.length ? Math.min(...dates) : NaN,
        last: dates.length ? Math.max(...dates) : NaN,
      });
    }

    // Two candidates that both win at one place cannot both hold it as their territory: it is held by the one
    // that won more tenders of the category there (both hold it on a tie), and the other's wins there do not
    // count for it. Without this an efficient firm that won a few tenders here and there, one of them at an
    // allocator's buyer, could take the allocator's seat in the group (the two are never compatible).
    for (const [c, l] of pool) {
      const winsAt = l.map((x) => {
        const m = new Map<number, number>();
        for (const u of x.units) if (wonCheapest(x.firm, u)) m.set(place(u), (m.get(place(u)) ?? 0) + 1);
        return m;
      });
      const most = new Map<number, number>();
      for (const m of winsAt) for (const [pl, w] of m) most.set(pl, Math.max(most.get(pl) ?? 0, w));
      const kept = l.filter((x, i) => {
        let yielded = 0;
        for (const [pl, w] of winsAt[i]) if (w < most.get(pl)!) yielded += w;
        if (!yielded) return true;
        const pv = dominance(x.units, x.wins - yielded, x.fair);
        if (pv === null) {
          yieldedOut++;
          return false;
        }
        x.wins -= yielded;
        x.yielded = yielded;
        x.p = pv;
        return true;
      });
      pool.set(c, kept);
    }

    // per category: the judged units at each place
    const mark = new Int32Array(P).fill(-1);
    let stamp = 0;
    const findings: FindingDraft[] = [];
    let linkedPairs = 0;
    const cats = [...pool.keys()].sort((a, b) => (cat.dict[a] < cat.dict[b] ? -1 : cat.dict[a] > cat.dict[b] ? 1 : 0));
    for (const c of cats) {
      const all = pool.get(c)!.sort((x, y) => x.p - y.p || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      if (all.length < 2) continue;
      if (all.length > MAX_POOL) notApplicable[`dominant firms beyond the ${MAX_POOL} strongest of a category`] = (notApplicable[`dominant firms beyond the ${MAX_POOL} strongest of a category`] ?? 0) + all.length - MAX_POOL;
      const cands = all.slice(0, MAX_POOL);
      const atPlace = new Map<number, number[]>();
      for (let u = 0; u < units.n; u++) {
        if (!judged[u] || cat.codes[u] !== c) continue;
        let l = atPlace.get(place(u));
        if (!l) atPlace.set(place(u), (l = []));
        l.push(u);
      }
      // peers, rivals per tender, participation in its own market
      for (const x of cands) {
        stamp++;
        let rivals = 0;
        for (const u of x.units)
          for (let i = uStart[u]; i < uStart[u + 1]; i++) {
            const f = uFirms[i];
            if (f === x.firm) continue;
            rivals++;
            if (mark[f] !== stamp) {
              mark[f] = stamp;
              x.peers.push(f);
            }
          }
        x.peers.sort((a, b) => a - b);
        x.rivalsPerTender = rivals / x.units.length;
        mark[x.firm] = stamp;
        let market = 0;
        for (const pl of x.places)
          for (const u of atPlace.get(pl) ?? []) {
            for (let i = uStart[u]; i < uStart[u + 1]; i++)
              if (mark[uFirms[i]] === stamp) {
                market++;
                break;
              }
          }
        x.marketTenders = Math.max(market, x.units.length);
        x.participation = x.units.length / x.marketTenders;
      }
      // expected meetings of every compatible pair
      const n = cands.length;
      const E = new Float64Array(n * n);
      const compatible = new Uint8Array(n * n);
      const disjoint = (a: number[], b: number[]) => {
        let i = 0;
        let j = 0;
        while (i < a.length && j < b.length) {
          if (a[i] === b[j]) return false;
          if (a[i] < b[j]) i++;
          else j++;
        }
        return true;
      };
      const overlapInTime = (x: Candidate, y: Candidate) => Number.isNaN(x.first) || Number.isNaN(y.first) || (x.first <= y.last && y.first <= x.last);
      const toward = (x: Candidate, y: Candidate) => {
        // had x bid where its own rivals bid: its expected presence in y's tenders
        stamp++;
        for (const f of x.peers) mark[f] = stamp;
        let s = 0;
        for (const u of y.units) {
          let here = 0;
          for (let i = uStart[u]; i < uStart[u + 1]; i++) if (uFirms[i] !== y.firm && mark[uFirms[i]] === stamp) here++;
          s += Math.min(1, here / Math.max(1, x.rivalsPerTender));
        }
        return x.participation * s;
      };
      for (let i = 0; i < n; i++)
        for (let j = i + 1; j < n; j++) {
          const x = cands[i];
          const y = cands[j];
          if (!disjoint(x.places, y.places) || !overlapInTime(x, y) || sharedUnits(g, x.firm, y.firm, false).length) continue;
          compatible[i * n + j] = compatible[j * n + i] = 1;
          const e = toward(x, y) + toward(y, x);
          E[i * n + j] = E[j * n + i] = e;
          if (e >= p.min_link) linkedPairs++;
        }
      // groups: from the most significant candidate, add the compatible linked candidate with the most
      // expected meetings with the group
      const used = new Uint8Array(n);
      for (let s = 0; s < n; s++) {
        if (used[s]) continue;
        const group = [s];
        for (;;) {
          if (group.length >= p.max_firms) break;
          let best = -1;
          let bestE = 0;
          for (let j = 0; j < n; j++) {
            if (used[j] || group.includes(j)) continue;
            if (!group.every((m) => compatible[m * n + j])) continue;
            if (!group.some((m) => E[m * n + j] >= p.min_link)) continue;
            const e = group.reduce((t, m) => t + E[m * n + j], 0);
            if (e > bestE) [best, bestE] = [j, e];
          }
          if (best < 0) break;
          group.push(best);
        }
        if (group.length < 2) continue;
        let expectedMeetings = 0;
        const pairs: { a: string; b: string; expectedMeetings: number }[] = [];
        for (let i = 0; i < group.length; i++)
          for (let j = i + 1; j < group.length; j++) {
            const e = E[group[i] * n + group[j]];
            expectedMeetings += e;
            const [a, b] = [cands[group[i]].id, cands[group[j]].id].sort();
            pairs.push({ a, b, expectedMeetings: round(e, 2) });
          }
        const pNoMeeting = Math.exp(-expectedMeetings);
        const members = group.map((i) => cands[i]);
        const groupP = fisherCombined([...members.map((x) => x.p), pNoMeeting]);
        if (expectedMeetings < p.min_expected || groupP > p.max_group_p) continue;
        for (const i of group) used[i] = 1;
        findings.push(finding(cat.dict[c], members, expectedMeetings, pNoMeeting, groupP, pairs));
      }
    }

    function finding(category: string, found: Candidate[], expectedMeetings: number, pNoMeeting: number, groupP: number, pairs: { a: string; b: string; expectedMeetings: number }[]): FindingDraft {
      const group = found.slice().sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      const score = Math.min(0.75, 0.5 + 0.2 * ramp(surprise(groupP), 3, 8, 0, 1) + 0.05 * ramp(group.length, 2, 4, 0, 1));
      const wonBy = (x: Candidate) => x.units.filter((u) => units.winner[u] === x.firm);
      const won = group.flatMap(wonBy).sort((a, b) => compareText(tenderLabel(data, a), tenderLabel(data, b)));
      const ids = group.map((x) => x.id);
      const where = (x: Candidate) => {
        const provinces = [...new Set(x.units.map(provinceOf))].sort();
        return byProvince ? provinces.join(' + ') : `${plural(x.places.length, 'buyer')} in ${provinces.join(' + ')}`;
      };
      const grp: Entity = { type: 'group', id: `allocation-${category}-${ids[0]}-${group.length}`, name: `${group.length} ${category} firms with separate territories` };
      return {
        score,
        title: `${group.length} ${category} firms each win at their own ${byProvince ? 'provinces' : 'buyers'} and never meet, though their rivals overlap (${round(expectedMeetings, 1)} meetings expected): ${group.map((x) => `${x.id} at ${where(x)}`).join('; ')}`,
        // the buyers are the territories shared out, the cartel's victims, not its conduct: named in the
        // evidence (each firm's territory), not listed (OUTPUT.md: a buyer is listed for its own conduct only)
        entities: [grp, ...group.map((x) => companyEntity(data, x.firm)), ...won.map((u) => tenderEntity(data, u))],
        key: `${category}:${ids.join(',')}`,
        evidence: {
          category,
          market: 'category; firms linked when the rivals of one bid in the tenders of the other',
          firms: group.map((x) => ({
            firm: partyLabel(data, x.firm),
            territory: [...x.places].sort(placeOrder).map(placeName),
            provinces: [...new Set(x.units.map(provinceOf))].sort(),
            bids: x.bids,
            winsAsLowestBid: x.wins,
            ...(x.yielded ? { winsInAnotherFirmsTerritory: x.yielded } : {}),
            winRate: round(x.wins / x.bids),
            expectedWins: round(x.expected, 2),
            binomialP: Number(x.p.toPrecision(3)),
            rivals: x.peers.length,
            rivalsPerTender: round(x.rivalsPerTender, 2),
            tendersInItsMarket: x.marketTenders,
            participation: round(x.participation),
          })),
          pairs,
          cobidsBetweenMembers: 0,
          expectedMeetings: round(expectedMeetings, 2),
          pNoMeeting: Number(pNoMeeting.toPrecision(3)),
          groupP: Number(groupP.toPrecision(3)),
          threshold: { min_wins: p.min_wins, min_win_rate: p.min_win_rate, territory: p.territory, max_p: p.max_p, min_link: p.min_link, min_expected: p.min_expected, max_group_p: p.max_group_p, max_firms: p.max_firms },
          tenders: won.slice(0, MAX_LISTED).map((u) => tenderLabel(data, u)),
        },
        explanation: `In ${category}, ${group.map((x) => `${partyLabel(data, x.firm)} won ${x.wins} of its ${x.bids} tenders (${round(x.expected, 1)} expected at a fair share) at ${where(x)}`).join('; ')}; none of them bid at another's ${byProvince ? 'provinces' : 'buyers'} or against another, although their rivals overlap enough that ${round(expectedMeetings, 1)} meetings were expected (chance of none e^−${round(expectedMeetings, 1)} = ${fmtChance(pNoMeeting)}; with the win records, combined chance ${fmtChance(groupP)}, threshold ${p.max_group_p}).`,
      };
    }

    return { findings, applied, notApplicable, cutoffs: { categoriesWithCandidates: [...pool.values()].filter((l) => l.length).length, candidates: [...pool.values()].reduce((s, l) => s + l.length, 0), candidatesWithoutTerritory: yieldedOut, linkedPairs } };
  },
});

