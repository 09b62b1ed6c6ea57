import type { Dataset } from '../model/dataset.js';
import { BUILDING_FACTOR, identityLinks, UnionFind, type IdentityLinks, type Link } from '../graph/groups.js';
import { KINDS, KIND_ORDER, OTHER_ROOM_FACTOR, displayKey } from '../normalize/identity.js';
import { defineDetector, type FindingDraft } from './types.js';
import { bidPrices, companyEntity, count, fmtAmount, partyLabel, round, rowRef, tenderEntity, tenderLabel } from './util.js';

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
    written: [l.a, l.b].map((p) => {
      const o = il.occurrence(s.value, p);
      if (!o) return { company: data.parties.id(p) };
      const w = il.written(o);
      return { company: data.parties.id(p), as: w.as, column: `${w.table}.${w.column}`, ...(o.row >= 0 ? rowRef(data, w.table, o.row) : {}) };
    }),
  }));
}

/** "phone 0912345678 (2 firms)" */
export function describeShared(l: Link, limit = 3): string {
  return l.shared
    .slice(0, limit)
    .map((s) => `${KINDS[s.kind].label} ${displayKey(s.kind, s.key)} (${s.df === 2 ? 'only these 2 firms' : `${s.df} firms`})`)
    .join(', ');
}

/** A single tender's evidence; the group seen across tenders (company-groups) ranks above it. */
const SCORE_CAP = 0.95;

export default defineDetector({
  id: 'shared-identity',
  title: 'Competing bidders share an address, phone, e-mail, person, account or owner',
  family: 'group',
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
    definition: 'For every tender (unit of competition), the pairs of bidders linked by identity values they share: normalised address (exact or fuzzy within the same number, ward and district), phone, e-mail, non-public e-mail or web domain, representative or owner, bank account, public IP address, or tax-code root (a branch and its parent). Values come from the bid rows and from the companies registry joined by tax code. Linked bidders of one tender form one finding.',
    formula: `weight(value) = weight(kind) × rarity, rarity = 1 / (1 + ((df − 2) / halfLife(kind))²), df = firms carrying the value in the whole input (full weight for 2 firms, nearly full for a handful, little for a business centre of 20+). Kind weights (halfLife): ${KIND_ORDER.map((k) => `${KINDS[k].label} ${KINDS[k].weight} (${Number.isFinite(KINDS[k].halfLife) ? KINDS[k].halfLife : 'none'})`).join(', ')}; a person 0.8 when the person owns ≥ 30% of both firms, ×0.6 when only a minority stake links them; divided by 1 + the namesakes expected from how common the family, middle and given names are in the input. An address in a building (any firm at it wrote Tòa nhà, Tầng, Lầu, Phòng, Building, Tower, Floor or Suite) may be a business centre, however few firms of the export are there: it weighs × ${BUILDING_FACTOR} unless both firms wrote the same room, and × ${OTHER_ROOM_FACTOR} more when they wrote different rooms; an address weighs × 0.65 when it locates a hamlet but no house number, lane or lot. Values weighing < 0.1 are not links. Link strength = 1 − Π over kinds (1 − best weight of the kind). Score = the strongest link among the tender's linked bidders, at most 0.95 (a group seen across tenders, company-groups, ranks above one tender); reported from min_strength. Values carried by more than max_df firms are ignored.`,
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
    const stamp = new Int32Array(data.parties.size).fill(-1);
    const findings: FindingDraft[] = [];
    const notApplicable: Record<string, number> = {};
    let applied = 0;
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
      // linked bidders of the tender: components of the pairs
      const idx = new Map<number, number>();
      ps.forEach((x, i) => idx.set(x, i));
      const uf = new UnionFind(ps.length);
      for (const l of pairs) uf.union(idx.get(l.a)!, idx.get(l.b)!);
      const comps = new Map<number, Link[]>();
      for (const l of pairs) {
        const r = uf.find(idx.get(l.a)!);
        let c = comps.get(r);
        if (!c) comps.set(r, (c = []));
        c.push(l);
      }
      const winner = units.winner[u];
      const value = award && award[u] > 0 ? award[u] : units.winnerBid[u] >= 0 && prices && prices[units.winnerBid[u]] > 0 ? prices[units.winnerBid[u]] : null;
      for (const links of [...comps.values()].sort((x, y) => x[0].a - y[0].a || x[0].b - y[0].b)) {
        links.sort((x, y) => y.strength - x.strength || x.a - y.a || x.b - y.b);
        const members = [...new Set(links.flatMap((l) => [l.a, l.b]))].sort((x, y) => (data.parties.id(x) < data.parties.id(y) ? -1 : 1));
        const best = links[0];
        const top = best.shared[0];
        const wins = members.includes(winner);
        const label = `${KINDS[top.kind].label} ${displayKey(top.kind, top.key)}`;
        findings.push({
          // one tender's links stay just below a group's repeated fake competition (company-groups, up to 1)
          score: round(Math.min(SCORE_CAP, best.strength)),
          title: `${members.length} bidders in ${tenderLabel(data, u)} share ${label}`,
          entities: [tenderEntity(data, u), ...members.map((m) => companyEntity(data, m))],
          amount: wins ? value : null,
          evidence: {
            bidders: ps.length,
            linkedBidders: members.map((m) => data.parties.id(m)),
            winner: winner >= 0 ? data.parties.id(winner) : null,
            winnerLinked: wins,
            links: links.slice(0, 10).map((l) => ({
              firms: [data.parties.id(l.a), data.parties.id(l.b)],
              strength: round(l.strength),
              shared: sharedEvidence(data, il, l),
            })),
            threshold: { min_strength: p.min_strength, max_df: p.max_df },
          },
          explanation: `${members.map((m) => partyLabel(data, m)).join(', ')} bid against each other in ${tenderLabel(data, u)} but share ${describeShared(best)}; link strength ${round(best.strength, 2)} ≥ ${p.min_strength}${wins ? `, and one of them won${value ? ` (${fmtAmount(value)})` : ''}` : ''}.`,
        });
      }
    }
    const notes: string[] = [];
    const common = Object.entries(il.tooCommon).sort();
    if (common.length) notes.push(`ignored as too common (carried by more than ${p.max_df} firms): ${common.map(([k, n]) => `${n} ${KINDS[k as keyof typeof KINDS].label} value(s)`).join(', ')}`);
    return { findings, applied, notApplicable, notes, cutoffs: { firmsWithIdentity: il.firms, identityLinks: il.links.length } };
  },
});
