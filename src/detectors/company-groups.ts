import { identityLinks, strongComponents, type Link } from '../graph/groups.js';
import { KINDS } from '../normalize/identity.js';
import { ramp } from '../scoring/score.js';
import { ADDRESS_ONLY_CAP, IDENTITY_FIELDS, NAME_ONLY_FACTOR, addressOnly, describeShared, nameOnly, sharedEvidence } from './shared-identity.js';
import { byTender, idPair } from './tender-facts.js';
import { defineDetector, type Entity, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, fmtAmount, fmtPct, partyLabel, plural, round, tenderEntity, tenderLabel } from './util.js';
import { compareText } from '../util/compare.js';

export default defineDetector({
  id: 'company-groups',
  title: 'Groups of firms under one controller that bid against each other',
  family: 'group',
  sameEvidence: 'identity links',
  rationale: 'Firms joined by strong shared identity (phone, address, e-mail domain, bank account, representative, an owner of ≥ 30%) are one interest group; when two or more of them bid in the same tender the competition is fake, and the group\'s share of a buyer\'s awards shows what it captured ("lợi ích nhóm").',
  sources: ['OCP R044', 'OECD 2009 Guidelines for fighting bid rigging', 'VN Law on Bidding 22/2023 Art. 6 (independence of bidders)', 'VN Decree 24/2024'],
  needs: ['bids.bidder_id'],
  needsAny: [IDENTITY_FIELDS],
  uses: ['identity-links'],
  params: {
    min_link: { default: 0.6, min: 0, max: 1, description: 'link strength from which two firms are joined into one group' },
    max_df: { default: 50, min: 2, integer: true, description: 'values carried by more firms than this are ignored (too common to be a link)' },
    min_tenders: { default: 1, min: 0, integer: true, description: 'tenders with two or more members bidding needed to report a group (0 also lists groups that never met)' },
    max_links_shown: { default: 20, min: 1, integer: true, description: 'links listed in a finding\'s evidence' },
  },
  explain: {
    definition: 'Every firm of the input (bidders and the companies registry) is linked to every other firm that shares an identity value with it (the links of shared-identity, not only among co-bidders). Links of strength ≥ min_link join firms into groups: the connected components, each with the evidence of every link. Per group: its members, the links, the tenders where two or more members bid (fake competition), the members\' wins there, and the group\'s share of each buyer\'s awards. The finding lists the members that bid against each other and the members on the strongest paths between them (the group\'s maximum spanning tree, leaves that bid in none of those tenders pruned); a member hanging off the group by links the bidders do not need — often an owner\'s namesake in another trade — is named in the explanation and the evidence (linkedButNotBidding), not listed.',
    formula: 'Links as in shared-identity (rarity-weighted shared values, strength = 1 − Π(1 − best weight per kind)); firms joined by links ≥ min_link (owners of ≥ 30% of both firms weigh 0.8 before rarity and namesakes). Confidence c = the weakest link of the maximum spanning tree joining the listed members (the link the group cannot do without); t = tenders with ≥ 2 members bidding, w = those a member won. score = min(1, ramp(t: 0.6 at 1 → 0.95 at 3) + 0.05 × w / t) × (0.7 + 0.3 × c), so a group that keeps bidding against itself and winning ranks above any single tender\'s shared-identity finding (capped at 0.95). A group whose every link is a shared address alone scores at most 0.75 (a building, a registered-office service); one linked only by a person\'s name × 0.75 and at most 0.75 (namesakes). Groups with t < min_tenders are not listed; with min_tenders 0 a group that never met scores 0.4 × c (context for entity risk).',
    why: 'A controller who runs several firms can submit the only "competing" bids (cover bidding) and decide the winner in advance; the more tenders where members met and one of them won, the less chance it is a coincidence.',
    falsePositives: 'Legitimate corporate groups and family firms that do not compete with each other (low score unless they bid in the same tender), shared accountants or bidding agents, business centres (weak by rarity, and in a building unless the room matches, so they rarely reach min_link), namesakes among owners and representatives (a name alone scores medium at most), joint-venture partners listed as separate bids.',
    exclusions: 'Public webmail domains, private IP addresses and values carried by more than max_df firms are not links. A very large group usually means one over-shared value: the evidence lists every link so it can be checked.',
  },
  run(data, p) {
    const units = data.units;
    const bidder = data.bids!.party('bidder_id')!;
    const buyerCol = units.table.party('buyer_id');
    const award = units.table.num('award_amount');
    const prices = bidPrices(data);
    const il = identityLinks(data, p.max_df);
    const P = data.parties.size;
    const { comp, members } = strongComponents(il, P, p.min_link);
    const G = members.length;
    if (G === 0) return { findings: [], applied: il.firms, notes: ['no two firms are linked strongly enough to form a group'] };

    const valueOf = (u: number): number => {
      if (award && award[u] > 0) return award[u];
      const w = units.winnerBid[u];
      return w >= 0 && prices && prices[w] > 0 ? prices[w] : 0;
    };
    // tenders where ≥ 2 members of one group bid
    const fake: number[][] = Array.from({ length: G }, () => []);
    const seen = new Int32Array(G).fill(-1);
    const firstOf = new Int32Array(G).fill(-1);
    const stampU = new Int32Array(P).fill(-1);
    for (let u = 0; u < units.n; u++) {
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const b = bidder[units.bidRows[k]];
        if (b < 0 || stampU[b] === u) continue;
        stampU[b] = u;
        const g = comp[b];
        if (g < 0) continue;
        if (firstOf[g] !== u) {
          firstOf[g] = u;
          continue;
        }
        if (seen[g] !== u) {
          seen[g] = u;
          fake[g].push(u);
        }
      }
    }
    // each buyer's awards (count, value) and those won by a member of each group
    const buyerAwards = new Map<number, { n: number; value: number }>();
    const groupWins: Map<number, { n: number; value: number }>[] = Array.from({ length: G }, () => new Map());
    for (let u = 0; u < units.n; u++) {
      const w = units.winner[u];
      const b = buyerCol ? buyerCol[u] : -1;
      if (w < 0 || b < 0) continue;
      const v = valueOf(u);
      const t = buyerAwards.get(b) ?? { n: 0, value: 0 };
      t.n++;
      t.value += v;
      buyerAwards.set(b, t);
      const g = comp[w];
      if (g >= 0) {
        const x = groupWins[g].get(b) ?? { n: 0, value: 0 };
        x.n++;
        x.value += v;
        groupWins[g].set(b, x);
      }
    }

    const linksOf: Link[][] = Array.from({ length: G }, () => []);
    for (const l of il.links) if (l.strength >= p.min_link && comp[l.a] >= 0 && comp[l.a] === comp[l.b]) linksOf[comp[l.a]].push(l);

    const findings: FindingDraft[] = [];
    let idle = 0;
    for (let g = 0; g < G; g++) {
      const all = [...members[g]].sort((x, y) => (data.parties.id(x) < data.parties.id(y) ? -1 : 1));
      const allLinks = linksOf[g].sort((x, y) => y.strength - x.strength || cmpPair(idPair(data, x.a, x.b), idPair(data, y.a, y.b)));
      const tenders = fake[g].sort(byTender(data));
      const t = tenders.length;
      if (t < p.min_tenders) {
        idle++;
        continue;
      }
      // the members that bid against each other, and the firms that join them: a member that bid in none of
      // the group's tenders and hangs on the group by links no bidder needs (often an owner's namesake) is
      // not part of its fake competition, and is named apart rather than listed
      const bidders = new Set<number>();
      for (const u of tenders)
        for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
          const b = bidder[units.bidRows[k]];
          if (b >= 0 && comp[b] === g) bidders.add(b);
        }
      const core = t > 0 ? joining(all, allLinks, bidders) : new Set(all);
      const ms = all.filter((m) => core.has(m));
      const aside = all.filter((m) => !core.has(m));
      const links = allLinks.filter((l) => core.has(l.a) && core.has(l.b));
      const c = bottleneck(ms, links);
      let w = 0;
      let wonValue = 0;
      const winsOf = new Map<number, number>();
      for (const u of tenders) {
        const win = units.winner[u];
        if (win >= 0 && comp[win] === g) {
          w++;
          wonValue += valueOf(u);
          winsOf.set(win, (winsOf.get(win) ?? 0) + 1);
        }
      }
      // where an outside firm won the group's tenders: that firm, and its link to a member when one exists
      // below min_link (a designated winner tied to its covers by a weaker link, such as a shared address)
      const outside = new Map<number, number>();
      for (const u of tenders) {
        const win = units.winner[u];
        if (win >= 0 && comp[win] !== g) outside.set(win, (outside.get(win) ?? 0) + 1);
      }
      let outsider = -1;
      for (const [f, n] of outside) if (outsider < 0 || n > outside.get(outsider)! || (n === outside.get(outsider)! && data.parties.id(f) < data.parties.id(outsider))) outsider = f;
      let weak: Link | null = null;
      if (outsider >= 0)
        for (let j = il.adjStart[outsider]; j < il.adjStart[outsider + 1]; j++) {
          const l = il.links[il.adj[j]];
          const other = l.a === outsider ? l.b : l.a;
          if (comp[other] === g && (!weak || l.strength > weak.strength || (l.strength === weak.strength && cmpPair(idPair(data, l.a, l.b), idPair(data, weak.a, weak.b)) < 0))) weak = l;
        }
      // the member that wins where the group meets: the designated winner (quân đỏ) when one dominates
      let lead = -1;
      for (const [m, n] of winsOf) if (lead < 0 || n > winsOf.get(lead)! || (n === winsOf.get(lead)! && data.parties.id(m) < data.parties.id(lead))) lead = m;
      // a group held together only by shared addresses (a building, a registered-office service) or only by
      // a person's name (namesakes) is not proof of one controller: medium at most
      const weakOnly = links.every(addressOnly) ? 'address' : links.every(nameOnly) ? 'name' : null;
      const raw = t === 0 ? 0.4 * c : Math.min(1, ramp(t, 1, 3, 0.6, 0.95) + (0.05 * w) / t) * (0.7 + 0.3 * c);
      const score = weakOnly ? Math.min(ADDRESS_ONLY_CAP, weakOnly === 'name' ? NAME_ONLY_FACTOR * raw : raw) : raw;
      const id = `G-${data.parties.id(ms[0])}`;
      const groupEntity: Entity = { type: 'group', id, name: ms.map((m) => data.parties.name(m) || data.parties.id(m)).join(' / ').slice(0, 200) };
      const buyers = [...groupWins[g].entries()]
        .map(([b, x]) => ({ b, x, all: buyerAwards.get(b)! }))
        .sort((x, y) => y.x.value - x.x.value || y.x.n - x.x.n || compareText(data.parties.id(x.b), data.parties.id(y.b)));
      const kinds = [...new Set(links.flatMap((l) => l.shared.filter((s) => s.weight >= 0.2).map((s) => KINDS[s.kind].label)))];
      const top = buyers[0];
      findings.push({
        score: round(score),
        title: t > 0
          ? `${bidders.size} linked firms bid against each other in ${t} tender${t === 1 ? '' : 's'} and won ${w}${outsider >= 0 && w < t ? `; ${outside.get(outsider)} won by ${data.parties.id(outsider)}${weak ? `, itself linked to a member more weakly (${round(weak.strength, 2)})` : ''}` : ''}`
          : `${ms.length} firms linked by ${kinds.slice(0, 3).join(', ')}`,
        entities: [groupEntity, ...ms.map((m) => companyEntity(data, m)), ...tenders.map((u) => tenderEntity(data, u))],
        amount: wonValue || null,
        key: id,
        evidence: {
          group: id,
          members: ms.map((m) => ({ id: data.parties.id(m), name: data.parties.name(m) })),
          ...(aside.length
            ? {
                linkedButNotBidding: aside.map((m) => {
                  const l = strongestTo(allLinks, m, core);
                  return { id: data.parties.id(m), name: data.parties.name(m), linkedTo: data.parties.id(l.a === m ? l.b : l.a), strength: round(l.strength), shared: sharedEvidence(data, il, l, 2) };
                }),
              }
            : {}),
          confidence: round(c),
          linkedBy: kinds,
          linkedOnlyBy: weakOnly,
          links: links.slice(0, p.max_links_shown).map((l) => ({
            firms: idPair(data, l.a, l.b),
            strength: round(l.strength),
            shared: sharedEvidence(data, il, l, 4),
          })),
          linksTotal: links.length,
          fakeCompetition: tenders.slice(0, 50).map((u) => {
            const inGroup: string[] = [];
            for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
              const b = bidder[units.bidRows[k]];
              if (b >= 0 && comp[b] === g && !inGroup.includes(data.parties.id(b))) inGroup.push(data.parties.id(b));
            }
            const win = units.winner[u];
            return { tender: tenderLabel(data, u), bidders: units.nBids(u), members: inGroup.sort(), winner: win >= 0 ? data.parties.id(win) : null, wonByGroup: win >= 0 && comp[win] === g };
          }),
          tendersWithMembersCompeting: t,
          leadingWinner: lead >= 0 ? { id: data.parties.id(lead), wins: winsOf.get(lead)!, of: t } : null,
          wonByGroupThere: w,
          valueWonThere: wonValue,
          buyerShares: buyers.slice(0, 10).map(({ b, x, all }) => ({
            buyer: data.parties.id(b),
            name: data.parties.name(b),
            awardsWon: x.n,
            awards: all.n,
            shareByCount: round(x.n / all.n),
            shareByValue: all.value > 0 ? round(x.value / all.value) : null,
          })),
          outsideWinner: outsider >= 0 && w < t ? { firm: data.parties.id(outsider), tendersWon: outside.get(outsider), weakLink: weak ? round(weak.strength) : null } : null,
          threshold: { min_link: p.min_link, max_df: p.max_df, weak_only_cap: ADDRESS_ONLY_CAP },
        },
        explanation:
          `${ms.map((m) => partyLabel(data, m)).join(', ')} are linked (${describeShared(data, il, links[0], 2)}; weakest necessary link ${round(c, 2)} ≥ ${p.min_link}` +
          (weakOnly === 'address' ? `; only by shared addresses, so scored at most ${ADDRESS_ONLY_CAP}` : weakOnly === 'name' ? `; only by a person's name, which may be a namesake, so scored × ${NAME_ONLY_FACTOR} and at most ${ADDRESS_ONLY_CAP}` : '') +
          ')' +
          (t > 0 ? ` and ${bidders.size < ms.length ? `${bidders.size} of them, ${ms.filter((m) => bidders.has(m)).map((m) => data.parties.id(m)).join(', ')}, ` : ''}bid against each other in ${t} tender${t === 1 ? '' : 's'}, winning ${w}${wonValue ? ` worth ${fmtAmount(wonValue)}` : ''}${lead >= 0 && w >= 2 ? ` (${winsOf.get(lead) === w ? 'all' : winsOf.get(lead)} by ${partyLabel(data, lead)})` : ''}` : ', but never bid in the same tender') +
          (outsider >= 0 && w < t
            ? `; ${outside.get(outsider)} of those tenders went to ${partyLabel(data, outsider)}${weak ? `, which shares ${describeShared(data, il, weak, 2)} with a member (link ${round(weak.strength, 2)}, below the ${p.min_link} that joins a group): possibly the group's designated winner` : ', which is not linked to the group'}`
            : '') +
          (top ? `; the group won ${top.x.n} of ${top.all.n} awards (${top.all.value > 0 ? fmtPct(top.x.value / top.all.value, 0) + ' of the value' : fmtPct(top.x.n / top.all.n, 0)}) of ${partyLabel(data, top.b)}` : '') +
          (aside.length
            ? `; linked to the group as well but bidding in none of these tenders, and so not listed: ${aside.map((m) => `${partyLabel(data, m)}, by ${describeShared(data, il, strongestTo(allLinks, m, core), 1)}`).join('; ')}.`
            : '.'),
      });
    }
    const notes = idle ? [`${plural(idle, 'group')} whose members ${p.min_tenders === 1 ? 'never bid in the same tender' : `bid together in fewer than ${plural(p.min_tenders, 'tender')}`} not listed`] : [];
    return { findings, applied: il.firms, notes, cutoffs: { groups: G, firmsInGroups: members.reduce((s, m) => s + m.length, 0) } };
  },
});

function cmpPair(x: [string, string], y: [string, string]): number {
  return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
}

/**
 * The members needed to join `keep` (the members that bid against each other): the maximum spanning tree
 * of the group with every leaf outside `keep` pruned, repeatedly. What is left is each bidder and the
 * firms on the strongest paths between them; a member hanging off the group by links no bidder needs is
 * left out.
 */
function joining(ms: number[], links: Link[], keep: Set<number>): Set<number> {
  const idx = new Map<number, number>();
  ms.forEach((m, i) => idx.set(m, i));
  const parent = ms.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  const adj: Set<number>[] = ms.map(() => new Set());
  for (const l of links) {
    const a = idx.get(l.a)!;
    const b = idx.get(l.b)!;
    const ra = find(a);
    const rb = find(b);
    if (ra === rb) continue;
    parent[ra] = rb;
    adj[a].add(b);
    adj[b].add(a);
  }
  const left = new Set(ms.map((_, i) => i));
  const leaves = [...left].filter((i) => adj[i].size <= 1 && !keep.has(ms[i]));
  while (leaves.length) {
    const i = leaves.pop()!;
    if (!left.has(i)) continue;
    left.delete(i);
    for (const j of adj[i]) {
      adj[j].delete(i);
      if (adj[j].size <= 1 && !keep.has(ms[j]) && left.has(j)) leaves.push(j);
    }
    adj[i].clear();
  }
  return new Set([...left].map((i) => ms[i]));
}

/** The strongest link from `m` to a member of `core`, else to any member (links sorted strongest first). */
function strongestTo(links: Link[], m: number, core: Set<number>): Link {
  return links.find((l) => (l.a === m && core.has(l.b)) || (l.b === m && core.has(l.a))) ?? links.find((l) => l.a === m || l.b === m)!;
}

/** The weakest link of the maximum spanning tree (Kruskal over links sorted by strength, descending). */
function bottleneck(ms: number[], links: Link[]): number {
  const idx = new Map<number, number>();
  ms.forEach((m, i) => idx.set(m, i));
  const parent = ms.map((_, i) => i);
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x])));
  let joined = 1;
  let min = 1;
  for (const l of links) {
    const a = find(idx.get(l.a)!);
    const b = find(idx.get(l.b)!);
    if (a === b) continue;
    parent[a] = b;
    min = Math.min(min, l.strength);
    if (++joined === ms.length) break;
  }
  return min;
}
