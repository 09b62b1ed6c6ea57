import { UnionFind } from '../graph/groups.js';
import { companyCore, coreAsWritten, distinctivePart, nameTokens } from '../normalize/names.js';
import { ramp } from '../scoring/score.js';
import { Interner } from '../util/interner.js';
import { byTender, idPair } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, count, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';

export default defineDetector({
  id: 'similar-names',
  title: 'Co-bidders with the same name apart from legal form and place',
  family: 'group',
  sameEvidence: 'identity links',
  rationale: 'Firms of one controller are often registered under one name with a different legal form or place ("Công ty TNHH Xây dựng An Phát", "CTCP Xây dựng An Phát Miền Bắc"); when such firms bid against each other the competition is likely staged.',
  sources: ['OECD 2009 Guidelines for fighting bid rigging', 'VN Law on Bidding 22/2023 Art. 6 (independence of bidders)'],
  needs: ['bids.bidder_id'],
  needsAny: [['bids.bidder_name', 'companies.name']],
  params: {
    min_similarity: { default: 0.9, min: 0, max: 1, description: 'rarity-weighted share of name words two co-bidders have in common' },
    min_win_share: { default: 0.5, min: 0, max: 1, description: 'share of the tenders where they bid together (and a winner is known) that one of them won, for a medium score; below it the match is low' },
  },
  explain: {
    definition: 'Company names are reduced to their core: folded (case, diacritics), the legal form removed (Công ty TNHH, TNHH MTV, Một thành viên, Cổ phần, CTCP, Cty, DNTN, Doanh nghiệp tư nhân, JSC, Co., Ltd …), trade abbreviations written out (TM, DV, XD …), "Chi nhánh … tại …" reduced to the parent\'s name, and place words removed from the end (Hà Nội, Miền Bắc, Sài Gòn, Việt Nam, a province …). Within each tender, co-bidders that share a name word (blocking) are compared, and only when they share a word that is not a trade word (xây dựng, thương mại, dịch vụ, vận tải …: "Vận tải Hà Nội" and "Vận tải Sài Gòn" are not alike); pairs at or above min_similarity are joined across tenders into clusters, one finding per cluster.',
    formula: 'features = the words and adjacent word pairs of a core; similarity = Σ idf(shared features) / Σ idf(features of either name), idf(f) = ln(1 + N / df(f)) over the cores of all N firms (common words such as "xay dung" or "thuong mai" weigh little; word pairs keep "Sự kiện Kiến Hòa" apart from "Sự kiện Quang Hòa"). Score = 0.5 + 0.1 × (similarity − min_similarity) / (1 − min_similarity) + 0.15 × ramp(tenders together, 1 → 4), at most 0.75: a name alone is a medium signal. When a winner is known in some of the tenders together and the share of them that one of the firms won is below min_win_share, 0.3 less (low): namesakes that keep losing to others gain nothing from the shared name.',
    why: 'Independent competitors choose distinct names; near-identical names among the bidders of one tender point to firms set up by one person to fill the bidder list.',
    falsePositives: 'Genuinely unrelated firms with a common name core (names are made of a small stock of auspicious words: "Phú Thành", "An Phát"), a parent and its branch that may bid separately, and franchises. Two such namesakes of one trade meet whenever both bid, but then others win most of those tenders: a match whose firms won less than min_win_share of their tenders together is reported low. Shared identity details (shared-identity, company-groups) confirm or dispel the link.',
    exclusions: 'Names whose core is empty after removing legal forms are ignored.',
  },
  run(data, p) {
    const units = data.units;
    const bids = data.bids!;
    const bidder = bids.party('bidder_id')!;
    const P = data.parties.size;
    // a name per firm: the registry name when there is one, else the first bidder_name
    const coreOf: string[] = new Array(P);
    const nameOf = (x: number): string => data.parties.name(x) || '';
    const tokenIds = new Interner();
    const tokensOf: number[][] = new Array(P);
    // the distinctive words of each name, as ids (compared for every candidate pair)
    const ownIds = new Interner();
    const ownOf: number[][] = new Array(P);
    // each distinct word of ownOf once: the blocking keys (a pair must share one to be compared at all)
    const blockOf: number[][] = new Array(P);
    const isFirm = new Uint8Array(P);
    for (let r = 0; r < bids.n; r++) if (bidder[r] >= 0) isFirm[bidder[r]] = 1;
    const cp = data.companies?.party('company_id');
    if (cp) for (const x of cp) if (x >= 0) isFirm[x] = 1;
    const df: number[] = [];
    let N = 0;
    for (let x = 0; x < P; x++) {
      if (!isFirm[x]) continue;
      const core = companyCore(nameOf(x));
      coreOf[x] = core;
      if (!core) continue;
      N++;
      const words = nameTokens(core);
      const features = [...words];
      for (let i = 0; i + 1 < words.length; i++) features.push(`${words[i]} ${words[i + 1]}`);
      const ids = [...new Set(features)].map((t) => tokenIds.intern(t));
      for (const id of ids) df[id] = (df[id] ?? 0) + 1;
      tokensOf[x] = ids;
      ownOf[x] = nameTokens(distinctivePart(core)).map((t) => ownIds.intern(t));
      blockOf[x] = [...new Set(ownOf[x])];
    }
    const idf = (id: number) => Math.log(1 + N / df[id]);
    const similarity = (a: number, b: number): number => {
      const ta = tokensOf[a];
      const tb = tokensOf[b];
      let shared = 0;
      let union = 0;
      for (const t of ta) {
        union += idf(t);
        if (tb.includes(t)) shared += idf(t);
      }
      for (const t of tb) if (!ta.includes(t)) union += idf(t);
      return union > 0 ? shared / union : 0;
    };

    // pairs of similar co-bidders, per tender; blocking on shared distinctive name words within the tender
    const pairTenders = new Map<number, { a: number; b: number; sim: number; tenders: number[] }>();
    const notApplicable: Record<string, number> = {};
    let applied = 0;
    const stamp = new Int32Array(P).fill(-1);
    for (let u = 0; u < units.n; u++) {
      const ps: number[] = [];
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const b = bidder[units.bidRows[k]];
        if (b >= 0 && stamp[b] !== u && tokensOf[b]) {
          stamp[b] = u;
          ps.push(b);
        }
      }
      if (ps.length < 2) {
        count(notApplicable, 'fewer than 2 named bidders');
        continue;
      }
      applied++;
      // bidders by position in ps, so that a pair is two small numbers; blocks by the words that are not
      // trade words, as a pair sharing none of them is never similar
      const k = ps.length;
      const block = new Map<number, number[]>();
      for (let xi = 0; xi < k; xi++)
        for (const t of blockOf[ps[xi]]) {
          let l = block.get(t);
          if (!l) block.set(t, (l = []));
          l.push(xi);
        }
      const done = new Uint8Array(k * k);
      for (const l of block.values()) {
        if (l.length < 2) continue;
        for (let i = 0; i < l.length; i++)
          for (let j = i + 1; j < l.length; j++) {
            // positions rise along l
            if (done[l[i] * k + l[j]]) continue;
            done[l[i] * k + l[j]] = 1;
            const a = Math.min(ps[l[i]], ps[l[j]]);
            const b = Math.max(ps[l[i]], ps[l[j]]);
            if (!ownOf[a].some((t) => ownOf[b].includes(t))) continue; // only trade words in common
            const sim = similarity(a, b);
            if (sim < p.min_similarity) continue;
            const key = a * P + b;
            let e = pairTenders.get(key);
            if (!e) pairTenders.set(key, (e = { a, b, sim, tenders: [] }));
            e.tenders.push(u);
          }
      }
    }
    // clusters of similar names across tenders
    const pairs = [...pairTenders.values()].sort((x, y) => x.a - y.a || x.b - y.b);
    const uf = new UnionFind(P);
    for (const e of pairs) uf.union(e.a, e.b);
    const clusters = new Map<number, typeof pairs>();
    for (const e of pairs) {
      const r = uf.find(e.a);
      let c = clusters.get(r);
      if (!c) clusters.set(r, (c = []));
      c.push(e);
    }
    const findings: FindingDraft[] = [];
    for (const c of clusters.values()) {
      const ms = [...new Set(c.flatMap((e) => [e.a, e.b]))].sort((x, y) => (data.parties.id(x) < data.parties.id(y) ? -1 : 1));
      const tenders = [...new Set(c.flatMap((e) => e.tenders))].sort(byTender(data));
      const sim = Math.max(...c.map((e) => e.sim));
      // Staged competition has one of the namesakes win: covers are there to let a member take the award.
      // Unrelated firms of one trade with a common name meet whenever both bid, and others win most of
      // those tenders.
      const withWinner = tenders.filter((u) => units.winner[u] >= 0);
      const wonByThem = withWinner.filter((u) => ms.includes(units.winner[u])).length;
      const winShare = withWinner.length ? wonByThem / withWinner.length : NaN;
      const losing = winShare < p.min_win_share;
      const score = Math.min(0.75, 0.5 + 0.1 * (p.min_similarity < 1 ? (sim - p.min_similarity) / (1 - p.min_similarity) : 1) + ramp(tenders.length, 1, 4, 0, 0.15)) - (losing ? 0.3 : 0);
      const cores = [...new Set(ms.map((m) => coreOf[m]))];
      // each core as the first firm carrying it writes it ("Xây dựng Đức Hà", not "xay dung duc ha")
      const written = cores.map((k) => coreAsWritten(nameOf(ms.find((m) => coreOf[m] === k)!), k));
      findings.push({
        score: round(score),
        title: `${ms.length} co-bidders named "${written[0]}" apart from legal form and place, in ${tenders.length} tender${tenders.length === 1 ? '' : 's'}`,
        entities: [...ms.map((m) => companyEntity(data, m)), ...tenders.map((u) => tenderEntity(data, u))],
        evidence: {
          names: ms.map((m) => ({ id: data.parties.id(m), name: nameOf(m), core: coreOf[m] })),
          pairs: c
            .map((e) => ({ firms: idPair(data, e.a, e.b), similarity: round(e.sim), tenders: e.tenders.length }))
            .sort((x, y) => y.similarity - x.similarity || (x.firms.join() < y.firms.join() ? -1 : x.firms.join() > y.firms.join() ? 1 : 0))
            .slice(0, 20),
          tenders: tenders.slice(0, 50).map((u) => tenderLabel(data, u)),
          tendersWithWinner: withWinner.length,
          wonByThem,
          ...(withWinner.length ? { winShare: round(winShare) } : {}),
          threshold: { min_similarity: p.min_similarity, min_win_share: p.min_win_share },
        },
        explanation:
          `${ms.map((m) => partyLabel(data, m)).join(', ')} bid against each other in ${tenders.length} tender${tenders.length === 1 ? '' : 's'} under names that agree once legal form and place are removed ("${written.join('" / "')}", similarity ${round(sim, 2)} ≥ ${p.min_similarity})` +
          (!withWinner.length
            ? '.'
            : losing
              ? `, but they won only ${wonByThem} of the ${withWinner.length} with a known winner (below ${fmtPct(p.min_win_share)}): more likely unrelated namesakes than covers for each other.`
              : `; they won ${wonByThem} of the ${withWinner.length} with a known winner.`),
      });
    }
    findings.sort((x, y) => (x.entities[0].id < y.entities[0].id ? -1 : 1));
    return { findings, applied, notApplicable };
  },
});
