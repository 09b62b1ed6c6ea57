import type { Dataset } from '../model/dataset.js';
import { BUILDING_FACTOR, identityLinks, UnionFind, type IdentityLinks, type Link } from '../graph/groups.js';
import { KINDS, KIND_ORDER, OTHER_ROOM_FACTOR, displayKey, type IdentityKind } from '../normalize/identity.js';
import { parseOwners } from '../normalize/names.js';
import { idPair } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, distinctBidders, fmtAmount, partyLabel, round, rowRef, tenderEntity, tenderLabel } from './util.js';

/** Identity columns: at least one must carry values for the detector to run. */
export const IDENTITY_FIELDS = [
  'bids.bidder_address', 'bids.bidder_phone', 'bids.bidder_email', 'bids.bidder_representative', 'bids.bidder_ip',
  'companies.address', 'companies.phone', 'companies.email', 'companies.website', 'companies.bank_account',
  'companies.representative', 'companies.owners',
];

/** One shared value as evidence: the normalised value, its rarity and how each firm wrote it, with rows. */
export function sharedEvidence(data: Dataset, il: IdentityLinks, l: Link, limit = 6): Record<string, unknown>[] {
  return l.shared.slice(0, limit).map((s) => ({
    kind: KINDS[s.kind].label,
    value: displayKey(s.kind, s.key),
    firmsSharing: s.df,
    weight: round(s.weight),
    ...(s.fuzzy ? { fuzzy: true } : {}),
    written: (data.parties.id(l.a) <= data.parties.id(l.b) ? [l.a, l.b] : [l.b, l.a]).map((p) => {
      const o = il.occurrence(s.value, p);
      if (!o) return { company: data.parties.id(p) };
      const w = il.written(o);
      return { company: data.parties.id(p), as: w.as, column: `${w.table}.${w.column}`, ...(o.row >= 0 ? rowRef(data, w.table, o.row) : {}) };
    }),
  }));
}

/** "phone 0912345678 (2 firms)", an address and a person as the firm of the link with the smaller id wrote them */
export function describeShared(data: Dataset, il: IdentityLinks, l: Link, limit = 3): string {
  const first = data.parties.id(l.a) <= data.parties.id(l.b) ? l.a : l.b;
  return l.shared
    .slice(0, limit)
    .map((s) => `${KINDS[s.kind].label} ${valueText(il, s.kind, s.value, s.key, first)} (${s.df === 2 ? 'only these 2 firms' : `${s.df} firms`})`)
    .join(', ');
}

/**
 * A shared value as the export writes it, for titles and explanations: an address or a bank account in
 * quotes as `party` wrote it (what an inspector searches the file for; an account key drops the leading
 * zeros a spreadsheet may have lost), a person's name with its diacritics (the owner's
 * name out of an owners cell such as "Nguyễn Thị Hà:37%;Vũ Trọng Hải:63%"); other kinds as their key.
 * The folded match keys ("nguyen thi ha", "12 le loi · ward 5") stay in the evidence.
 */
export function valueText(il: IdentityLinks, kind: IdentityKind, value: number, key: string, party: number): string {
  if (kind !== 'address' && kind !== 'person' && kind !== 'bank') return displayKey(kind, key);
  const o = il.occurrence(value, party);
  if (!o) return displayKey(kind, key);
  const w = il.written(o);
  if (kind !== 'person') return `"${w.as}"`;
  const name = w.column === 'owners' ? parseOwners(w.as).find((x) => x.key === key)?.name : w.as.trim();
  return name || displayKey(kind, key);
}

/** A single tender's evidence; the group seen across tenders (company-groups) ranks above it. */
const SCORE_CAP = 0.95;
/**
 * A link resting on one weak kind alone — a shared address (a building, a relative's house, a
 * registered-office service) or a person's name (a namesake) — scores at most medium.
 */
export const ADDRESS_ONLY_CAP = 0.75;
/** A person's name alone also counts this much of its strength: a namesake is likelier than a shared phone. */
export const NAME_ONLY_FACTOR = 0.75;

export default defineDetector({
  id: 'shared-identity',
  title: 'Competing bidders share an address, phone, e-mail, person, account or owner',
  family: 'group',
  sameEvidence: 'identity links',
  rationale: 'Bidders in one tender that share a phone, address, e-mail domain, bank account, IP address, representative or owner are likely run by one controller: the "competition" is staged with cover bidders (quân xanh) for a designated winner (quân đỏ).',
  sources: ['OCP R044', 'OECD 2009 Guidelines for fighting bid rigging', 'VN Law on Bidding 22/2023 Art. 6 (independence of bidders)'],
  needs: ['bids.bidder_id'],
  needsAny: [IDENTITY_FIELDS],
  uses: ['identity-links'],
  params: {
    min_strength: { default: 0.35, min: 0, max: 1, description: 'link strength (rarity-weighted shared values combined) from which two co-bidders are reported' },
    max_df: { default: 50, min: 2, integer: true, description: 'values carried by more firms than this are ignored (too common to be a link)' },
  },
  explain: {
    definition: 'For every tender (unit of competition), the pairs of bidders linked by identity values they share: normalised address (exact or fuzzy within the same number, ward and district), phone, e-mail, non-public e-mail or web domain, representative or owner, bank account, public IP address, or tax-code root (a branch and its parent). Values come from the bid rows and from the companies registry joined by tax code. Bidders linked in a tender, joined across tenders, form linked sets of firms: one finding per set, naming every tender where its members were linked co-bidders (tender by tender in the evidence) and, in the title, how many of the firms carry each shared value.',
    formula: `weight(value) = weight(kind) × rarity, rarity = 1 / (1 + ((df − 2) / halfLife(kind))²), df = firms carrying the value in the whole input (full weight for 2 firms, nearly full for a handful, little for a business centre of 20+). Kind weights (halfLife): ${KIND_ORDER.map((k) => `${KINDS[k].label} ${KINDS[k].weight} (${Number.isFinite(KINDS[k].halfLife) ? KINDS[k].halfLife : 'none'})`).join(', ')}; a person 0.8 when the person owns ≥ 30% of both firms, ×0.6 when only a minority stake links them; divided by 1 + the namesakes expected from how common the family, middle and given names are in the input. An address in a building (any firm at it wrote Tòa nhà, Tầng, Lầu, Phòng, Building, Tower, Floor or Suite) may be a business centre, however few firms of the export are there: it weighs × ${BUILDING_FACTOR} unless both firms wrote the same room, and × ${OTHER_ROOM_FACTOR} more when they wrote different rooms; an address weighs × 0.65 when it locates a hamlet but no house number, lane or lot. Values weighing < 0.1 are not links. Link strength = 1 − Π over kinds (1 − best weight of the kind). Score = the strongest link among the set's linked co-bidders, at most 0.95 (a group seen across tenders, company-groups, ranks above), and at most ${ADDRESS_ONLY_CAP} when that link is a shared address alone; a person's name alone counts × ${NAME_ONLY_FACTOR} (namesakes), also at most ${ADDRESS_ONLY_CAP}; reported from min_strength. Values carried by more than max_df firms are ignored.`,
    why: 'Independent competitors do not share phones, offices, mailboxes, bank accounts or owners. In the Vietnamese cover-bidding cases one controller registered several firms and made them bid against each other; shared contact details are what such firms rarely manage to hide.',
    falsePositives: 'Business centres and virtual offices (many unrelated firms at one address: low by rarity, and low in a building unless the room matches), accounting or bidding-service agents who file for several clients (shared phone, e-mail or IP), namesakes (common names are weak by rarity), a parent and its branch bidding separately where that is allowed, joint-venture partners.',
    exclusions: 'Public webmail domains (gmail.com, yahoo.com, yahoo.com.vn, hotmail.com, outlook.com, icloud.com …) are not a link; private IP ranges are ignored; an address must locate a place (number or hamlet, street, ward or district).',
  },
  run(data, p) {
    const units = data.units;
    const bidder = data.bids!.party('bidder_id')!;
    const il = identityLinks(data, p.max_df);
    const award = units.table.num('award_amount');
    const prices = bidPrices(data);
    const P = data.parties.size;
    const stamp = new Int32Array(P).fill(-1);
    const notApplicable: Record<string, number> = {};
    let applied = 0;
    // per tender, the links among its bidders; across tenders, the linked sets of firms they form
    const uf = new UnionFind(P);
    const tenderLinks: { u: number; links: Link[] }[] = [];
    for (let u = 0; u < units.n; u++) {
      const ps: number[] = [];
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const b = bidder[units.bidRows[k]];
        if (b >= 0 && stamp[b] !== u) {
          stamp[b] = u;
          ps.push(b);
        }
      }
      if (ps.length < 2) {
        count(notApplicable, 'fewer than 2 bidders');
        continue;
      }
      applied++;
      const pairs: Link[] = [];
      for (const a of ps) {
        for (let k = il.adjStart[a]; k < il.adjStart[a + 1]; k++) {
          const l = il.links[il.adj[k]];
          const other = l.a === a ? l.b : l.a;
          if (other > a && stamp[other] === u && l.strength >= p.min_strength) pairs.push(l);
        }
      }
      if (pairs.length === 0) continue;
      for (const l of pairs) uf.union(l.a, l.b);
      tenderLinks.push({ u, links: pairs });
    }

    // one finding per linked set of firms, with every tender where members were linked co-bidders
    const bySet = new Map<number, { us: number[]; links: Set<Link> }>();
    for (const { u, links } of tenderLinks) {
      const r = uf.find(links[0].a);
      let x = bySet.get(r);
      if (!x) bySet.set(r, (x = { us: [], links: new Set() }));
      x.us.push(u);
      for (const l of links) x.links.add(l);
    }
    const valueOf = (u: number): number | null =>
      award && award[u] > 0 ? award[u] : units.winnerBid[u] >= 0 && prices && prices[units.winnerBid[u]] > 0 ? prices[units.winnerBid[u]] : null;
    const idOf = (x: number) => data.parties.id(x);
    const byId = (x: number, y: number) => (idOf(x) < idOf(y) ? -1 : idOf(x) > idOf(y) ? 1 : 0);
    const byLabel = (x: number, y: number) => (tenderLabel(data, x) < tenderLabel(data, y) ? -1 : tenderLabel(data, x) > tenderLabel(data, y) ? 1 : x - y);
    const findings: FindingDraft[] = [];
    for (const { us, links: set } of bySet.values()) {
      const links = [...set].sort((x, y) => linkScore(y) - linkScore(x) || y.strength - x.strength || pairOrder(idPair(data, x.a, x.b), idPair(data, y.a, y.b)));
      const members = [...new Set(links.flatMap((l) => [l.a, l.b]))].sort(byId);
      us.sort(byLabel);
      const best = links[0];
      const carriers = carriersOf(il, members, byId);
      const tenders = us.map((u) => {
        const inSet: number[] = [];
        for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
          const b = bidder[units.bidRows[k]];
          if (b >= 0 && members.includes(b) && !inSet.includes(b)) inSet.push(b);
        }
        const w = units.winner[u];
        return { u, linked: inSet.sort(byId), winner: w, won: w >= 0 && members.includes(w) };
      });
      const won = tenders.filter((t) => t.won);
      const wonValue = won.reduce((sum, t) => sum + (valueOf(t.u) ?? 0), 0);
      const where = us.length === 1 ? tenderLabel(data, us[0]) : `${us.length} tenders`;
      // the title counts the firms that carry each value, not the whole linked set
      const [c0, c1] = carriers;
      const everyone = (c: typeof c0 | undefined) => !!c && c.firms.length === members.length;
      const head = everyone(c0)
        ? `${members.length} bidders in ${where} share ${c0.label}${everyone(c1) ? ` and ${c1.label}` : c1 ? ` (${c1.firms.length} also share ${c1.label})` : ''}`
        : `${members.length} linked bidders in ${where} (${[c0, c1].filter(Boolean).map((c) => `${c!.firms.length} share ${c!.label}`).join(', ')})`;
      const shown = us.slice(0, 5).map((u) => tenderLabel(data, u)).join(', ') + (us.length > 5 ? ` and ${us.length - 5} more` : '');
      findings.push({
        // one tender's links stay just below a group's repeated fake competition (company-groups, up to 1)
        score: round(linkScore(best)),
        title: head,
        entities: [...us.map((u) => tenderEntity(data, u)), ...members.map((m) => companyEntity(data, m))],
        amount: wonValue || null,
        evidence: {
          linkedBidders: members.map(idOf),
          sharedValues: carriers.slice(0, 10).map((c) => ({ kind: KINDS[c.kind].label, value: c.display, firms: c.firms.map(idOf) })),
          tenders: tenders.slice(0, 50).map((t) => ({
            tender: tenderLabel(data, t.u),
            bidders: distinctBidders(data, rowsOf(t.u)),
            linked: t.linked.map(idOf),
            winner: t.winner >= 0 ? idOf(t.winner) : null,
            winnerLinked: t.won,
            value: t.won ? valueOf(t.u) : null,
          })),
          tenderCount: us.length,
          wonByLinked: won.length,
          valueWonByLinked: wonValue,
          addressOnly: links.every(addressOnly),
          links: links.slice(0, 10).map((l) => ({
            firms: idPair(data, l.a, l.b),
            strength: round(l.strength),
            shared: sharedEvidence(data, il, l),
          })),
          linksTotal: links.length,
          threshold: { min_strength: p.min_strength, max_df: p.max_df, address_only_cap: ADDRESS_ONLY_CAP },
        },
        explanation:
          `${members.map((m) => partyLabel(data, m)).join(', ')} bid against each other in ${us.length === 1 ? shown : `${us.length} tenders (${shown})`} but ` +
          carriers
            .slice(0, 3)
            .map((c) => `${everyone(c) ? (members.length === 2 ? 'both' : 'all') : c.firms.map(idOf).join(', ')} share ${c.label} (${c.df === 2 ? 'only these 2 firms' : `${c.df} firms in the input`})`)
            .join('; ') +
          `; strongest link ${round(best.strength, 2)} ≥ ${p.min_strength}${addressOnly(best) ? `, an address alone (scored at most ${ADDRESS_ONLY_CAP})` : nameOnly(best) ? `, a person's name alone, which may be a namesake (scored × ${NAME_ONLY_FACTOR})` : ''}` +
          (won.length ? `, and ${us.length === 1 ? 'one of them won' : `a linked bidder won ${won.length === us.length ? `all ${us.length}` : `${won.length} of them`}`}${wonValue ? ` (${fmtAmount(wonValue)})` : ''}.` : '.'),
      });
    }
    const notes: string[] = [];
    const common = Object.entries(il.tooCommon).sort();
    if (common.length) notes.push(`ignored as too common (carried by more than ${p.max_df} firms): ${common.map(([k, n]) => `${n} ${KINDS[k as keyof typeof KINDS].label} value(s)`).join(', ')}`);
    return { findings, applied, notApplicable, notes, cutoffs: { firmsWithIdentity: il.firms, identityLinks: il.links.length } };

    function rowsOf(u: number): number[] {
      const out: number[] = [];
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) out.push(units.bidRows[k]);
      return out;
    }
  },
});


export function addressOnly(l: Link): boolean {
  return l.shared.every((s) => s.kind === 'address');
}

/** The link rests on a person's name alone (a representative or owner): possibly namesakes. */
export function nameOnly(l: Link): boolean {
  return l.shared.every((s) => s.kind === 'person');
}

function pairOrder(x: [string, string], y: [string, string]): number {
  return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
}

/** A link's score: its strength, at most 0.95 (a group seen across tenders ranks above), an address alone at most ADDRESS_ONLY_CAP. */
function linkScore(l: Link): number {
  if (nameOnly(l)) return Math.min(ADDRESS_ONLY_CAP, NAME_ONLY_FACTOR * l.strength);
  return Math.min(addressOnly(l) ? ADDRESS_ONLY_CAP : SCORE_CAP, l.strength);
}

/**
 * The shared values of a linked set and the members carrying each (among the links between members),
 * most carried first: "4 share phone 0912345678".
 */
function carriersOf(il: IdentityLinks, members: number[], order: (x: number, y: number) => number): { kind: IdentityKind; label: string; display: string; firms: number[]; weight: number; df: number }[] {
  const inSet = new Set(members);
  const byValue = new Map<number, { kind: IdentityKind; key: string; firms: Set<number>; weight: number; df: number }>();
  for (const a of members)
    for (let j = il.adjStart[a]; j < il.adjStart[a + 1]; j++) {
      const l = il.links[il.adj[j]];
      if (l.a !== a || !inSet.has(l.b)) continue;
      for (const s of l.shared) {
        let x = byValue.get(s.value);
        if (!x) byValue.set(s.value, (x = { kind: s.kind, key: s.key, firms: new Set(), weight: 0, df: s.df }));
        x.firms.add(l.a);
        x.firms.add(l.b);
        x.weight = Math.max(x.weight, s.weight);
      }
    }
  return [...byValue.entries()]
    .map(([value, x]) => {
      const firms = [...x.firms].sort(order);
      // an address or a name reads best as one of the firms wrote it (what an inspector searches the export for)
      const display = displayKey(x.kind, x.key);
      return { kind: x.kind, label: `${KINDS[x.kind].label} ${valueText(il, x.kind, value, x.key, firms[0])}`, display, firms, weight: x.weight, df: x.df };
    })
    .sort((x, y) => y.firms.length - x.firms.length || y.weight - x.weight || KIND_ORDER.indexOf(x.kind) - KIND_ORDER.indexOf(y.kind) || (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
}
