import { Interner } from '../util/interner.js';
import { stripAccents } from '../normalize/fold.js';
import { ramp } from '../scoring/score.js';
import { awardValues } from './split-purchases.js';
import { companyRows, repeatedNote } from './company-rows.js';
import { byTender } from './tender-facts.js';
import { defineDetector, type FindingDraft } from './types.js';
import { companyEntity, count, fmtPct, partyLabel, round, tenderEntity, tenderLabel } from './util.js';
import type { Codes } from '../model/table.js';

/** Honorifics and role words that are not part of a name. */
const TITLES = new Set(['ong', 'ba', 'mr', 'mrs', 'ms', 'dr', 'ts', 'ths', 'ks']);

/** A name's words in order: case, diacritics and punctuation folded, titles dropped. */
export function nameTokens(raw: string): string[] {
  return stripAccents(raw)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .split(' ')
    .filter((t) => t && !TITLES.has(t));
}

/** A name as a comparable key: folded, words sorted ("an nguyen van"). */
export function ownerKey(raw: string): string {
  return nameTokens(raw).sort().join(' ');
}

/** Words that mark an owner as a firm rather than a person. */
const FIRM_WORDS = new Set(['cong', 'tnhh', 'ctcp', 'cp', 'jsc', 'company', 'corporation', 'corp', 'ltd', 'limited', 'dntn', 'htx', 'group', 'holdings', 'tap', 'doan']);

function looksLikeFirm(tokens: string[]): boolean {
  return tokens.length >= 5 || tokens.some((t) => FIRM_WORDS.has(t) || /\d/.test(t));
}

export interface OwnerShare {
  name: string;
  /** folded words in the order written */
  tokens: string[];
  key: string;
  /** in [0, 1]; null when the export does not say */
  share: number | null;
}

/**
 * `Nguyễn Văn An:60%; Trần Thị Bình:40%` → owners with shares (also `Name (60%)`, `Name=60`). A lone
 * owner without a share holds everything (a single-member company); several without shares are unknown.
 */
export function parseOwnerList(raw: string): OwnerShare[] {
  const out: OwnerShare[] = [];
  for (const part of raw.split(/[;|\n]+/)) {
    const s = part.trim();
    if (!s) continue;
    const m = /^(.*?)\s*(?:[:=]|\(|-\s)\s*(\d+(?:[.,]\d+)?)\s*%?\s*\)?\s*$/.exec(s);
    const name = (m ? m[1] : s).trim();
    const tokens = nameTokens(name);
    if (!tokens.length) continue;
    const key = [...tokens].sort().join(' ');
    const share = m ? Number(m[2].replace(',', '.')) / 100 : null;
    out.push({ name, tokens, key, share: share !== null && Number.isFinite(share) ? Math.min(1, share) : null });
  }
  if (out.length === 1 && out[0].share === null) out[0].share = 1;
  return out;
}

export default defineDetector({
  id: 'capital-link',
  title: 'Co-bidders with a common owner',
  family: 'group',
  sameEvidence: 'identity links',
  rationale:
    'Bidders in the same tender that share an owner holding a large stake in each are not independent competitors: one of them can cover for the other ("quân xanh, quân đỏ").',
  sources: [
    'VN Law 22/2023/QH15 Art. 6 (competitive independence of bidders)',
    'VN Decree 63/2014/ND-CP Art. 2 and Decree 24/2024/ND-CP (cross-ownership above 30%)',
    'OECD 2009 guidelines for fighting bid rigging (bidders under common control)',
  ],
  needs: ['companies.owners', 'bids.bidder_id'],
  params: {
    min_share: { default: 0.3, min: 0, max: 1, description: 'the common owner must hold at least this share of each firm' },
    common_name_log10: {
      default: 3.5,
      min: 0,
      description: 'a person\'s name whose estimated frequency among owners is 10^-x or more is common: the score falls to × 0.55 there, × 1 from 10^-(x+2.5)',
    },
    max_owner_firms: {
      default: 100,
      min: 2,
      integer: true,
      description: 'an owner holding min_share in more firms than this (a holding, a state owner, a very common name) is not judged',
    },
  },
  explain: {
    definition:
      'The companies file lists each firm\'s owners as `Name:share%` separated by `;`. Owner names are compared after folding case, diacritics, punctuation and word order. For each tender, bidders that have an owner in common holding at least `min_share` of each — or where one bidder holds that share of the other — are linked. Links of one owner that share a firm are gathered over all tenders into one finding (the owner, its linked firms and every tender where two of them met).',
    formula:
      'link(A, B) when an owner o has share(o, A) ≥ min_share and share(o, B) ≥ min_share (a firm counts as owning 100% of itself, so a parent and its subsidiary link too). Owners holding min_share of more than max_owner_firms firms (holdings, state owners) are skipped. Score = (base + 0.05 × ramp(tenders, 1, 3) + 0.05 if a linked firm won) × common × crowd, base = 0.8 when one bidder owns the other or k ≥ 3 firms of the owner met in one tender, else 0.6 (a pair); common = ramp(−(k − 1) log10 f, common_name_log10, common_name_log10 + 2.5, 0.55, 1); crowd = ramp(firms the name holds beyond the k, 0, 10, 1, 0.75); where f = P(family name) × P(middle names) × P(given name) estimated over every owner entry of the companies file (add-one smoothing; not applied when the owner is one of the bidders or the file lists fewer than 200 owners).',
    why: 'Vietnamese procurement law requires bidders in one package to be independent in law and finance; cross-ownership above 30% breaks that independence (Law 22/2023 Art. 6 and its decrees). Commonly owned firms bidding against each other is the plainest form of fake competition.',
    falsePositives:
      'Two different people with the same name (common Vietnamese names), state or holding owners of many firms (bounded by max_owner_firms), and outdated owner lists. Shares are as the export states them; a missing share is unknown unless the firm has a single owner.',
    exclusions: 'Firms without owners, or whose owners carry no shares (beyond a lone owner), cannot be linked. Only bidders of the same tender or lot are compared.',
  },
  run(data, p) {
    const companies = data.companies!;
    const ownersCol = companies.str('owners');
    const nameCol = companies.str('name');
    const row = data.companyRow;
    // owners may be listed one row per member: every row of a firm counts
    const cr = companyRows(data);
    const keys = new Interner();

    // per company row: (owner id, share, name as written) with share ≥ min_share
    const ownStart = new Int32Array(companies.n + 1);
    const ownId: number[] = [];
    const ownShare: number[] = [];
    const ownName: string[] = [];
    const parsedDict = new Map<number, OwnerShare[]>();
    // whether any owner is a firm (a name with a legal form, or a tax code): only then can a bidder own another
    let firmOwners = false;
    for (let r = 0; r < companies.n; r++) {
      const code = ownersCol ? ownersCol.codes[r] : -1;
      if (code >= 0) {
        let list = parsedDict.get(code);
        if (!list) parsedDict.set(code, (list = parseOwnerList(ownersCol!.dict[code])));
        for (const o of list) {
          if (o.share === null || o.share < p.min_share) continue;
          if (!firmOwners && looksLikeFirm(o.tokens)) firmOwners = true;
          ownId.push(keys.intern(o.key));
          ownShare.push(o.share);
          ownName.push(o.name);
        }
      }
      ownStart[r + 1] = ownId.length;
    }
    // how common each owner's name is: family name × middle names × given name, each estimated from every
    // owner entry of the registry (Vietnamese names are few: Nguyễn Thị Thủy is shared by many people)
    const model = nameModel(ownersCol ? ownersCol.codes : new Int32Array(0), (c) => parsedDict.get(c) ?? []);
    // per firm, the owners of all its rows: each owner once, with the largest share stated
    const ownersOf = (party: number): { ids: number[]; shares: number[] } => {
      const out = { ids: [] as number[], shares: [] as number[] };
      for (let k = cr.start[party]; k < cr.start[party + 1]; k++) {
        const r = cr.rows[k];
        for (let i = ownStart[r]; i < ownStart[r + 1]; i++) {
          const at = out.ids.indexOf(ownId[i]);
          if (at < 0) {
            out.ids.push(ownId[i]);
            out.shares.push(ownShare[i]);
          } else out.shares[at] = Math.max(out.shares[at], ownShare[i]);
        }
      }
      return out;
    };
    // how many firms each owner holds min_share of (real owners only)
    const ownerFirms = new Int32Array(keys.size);
    let withOwners = 0;
    const hasOwners = new Uint8Array(data.parties.size);
    for (let party = 0; party < data.parties.size; party++) {
      if (cr.start[party + 1] === cr.start[party]) continue;
      const o = ownersOf(party);
      if (o.ids.length) {
        withOwners++;
        hasOwners[party] = 1;
      }
      for (const id of o.ids) ownerFirms[id]++;
    }

    // a firm holds 100% of itself: its folded name and its id, so a parent and its subsidiary link
    const selfCache: (number[] | undefined)[] = new Array<number[] | undefined>(data.parties.size);
    const selfKeys = (party: number): number[] => (selfCache[party] ??= selfKeysOf(party));
    const selfKeysOf = (party: number): number[] => {
      const out: number[] = [];
      if (!firmOwners) return out;
      const r = row[party];
      const nm = r >= 0 && nameCol ? companies.text('name', r) : data.parties.name(party);
      for (const k of [ownerKey(nm), ownerKey(data.parties.id(party))]) {
        const id = k ? keys.lookup(k) : -1;
        if (id >= 0 && !out.includes(id)) out.push(id);
      }
      return out;
    };

    const units = data.units;
    const bidder = data.bids?.party('bidder_id');
    const notApplicable: Record<string, number> = {};
    let applied = 0;
    interface Link {
      owner: number;
      firms: number[];
      shares: number[];
      units: number[];
      won: boolean;
      /** the most linked firms met in one tender */
      together: number;
    }
    const links = new Map<string, Link>();
    let skippedCommon = 0;
    // per party, once: the owners it counts for (registry owners ≥ min_share, then itself), flat
    const entryCache: ({ ids: number[]; shares: number[] } | undefined)[] = new Array(data.parties.size);
    const entriesOf = (b: number): { ids: number[]; shares: number[] } => {
      let e = entryCache[b];
      if (!e) {
        e = ownersOf(b);
        for (const k of selfKeys(b))
          if (!e.ids.includes(k)) {
            e.ids.push(k);
            e.shares.push(1);
          }
        entryCache[b] = e;
      }
      return e;
    };
    const stamp = new Int32Array(data.parties.size).fill(-1);
    const tOwner: number[] = [];
    const tParty: number[] = [];
    const tShare: number[] = [];
    const order: number[] = [];
    for (let u = 0; u < units.n; u++) {
      let nParties = 0;
      let known = 0;
      tOwner.length = tParty.length = tShare.length = 0;
      if (bidder)
        for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
          const b = bidder[units.bidRows[k]];
          if (b < 0 || stamp[b] === u) continue;
          stamp[b] = u;
          nParties++;
          const e = entriesOf(b);
          if (hasOwners[b]) known++;
          for (let i = 0; i < e.ids.length; i++) {
            tOwner.push(e.ids[i]);
            tParty.push(b);
            tShare.push(e.shares[i]);
          }
        }
      if (nParties < 2) {
        count(notApplicable, 'fewer than 2 bidders');
        continue;
      }
      if (known === 0) {
        count(notApplicable, 'no bidder with known owners');
        continue;
      }
      applied++;
      if (tOwner.length < 2) continue;
      order.length = 0;
      for (let i = 0; i < tOwner.length; i++) order.push(i);
      order.sort((a, b) => tOwner[a] - tOwner[b] || a - b);
      let i = 0;
      while (i < order.length) {
        let j = i + 1;
        while (j < order.length && tOwner[order[j]] === tOwner[order[i]]) j++;
        if (j - i >= 2) {
          const o = tOwner[order[i]];
          if (ownerFirms[o] > p.max_owner_firms) skippedCommon++;
          else {
            const l: [number, number][] = [];
            for (let k = i; k < j; k++) {
              const f = tParty[order[k]];
              const at = l.findIndex(([x]) => x === f);
              if (at < 0) l.push([f, tShare[order[k]]]);
              else l[at][1] = Math.max(l[at][1], tShare[order[k]]);
            }
            l.sort((a, b) => (data.parties.id(a[0]) < data.parties.id(b[0]) ? -1 : 1));
            const firms = l.map(([f]) => f);
            if (firms.length < 2) {
              i = j;
              continue;
            }
            const key = `${o}|${firms.join(',')}`;
            let link = links.get(key);
            if (!link) links.set(key, (link = { owner: o, firms, shares: l.map(([, sh]) => sh), units: [], won: false, together: firms.length }));
            link.units.push(u);
            if (firms.includes(units.winner[u])) link.won = true;
          }
        }
        i = j;
      }
    }

    const value = awardValues(data);
    // an owner's name as most rows write it (ties: the first in code order), whatever the row order
    const spellings = new Map<number, Map<string, number>>();
    for (let i = 0; i < ownId.length; i++) {
      let m = spellings.get(ownId[i]);
      if (!m) spellings.set(ownId[i], (m = new Map()));
      m.set(ownName[i], (m.get(ownName[i]) ?? 0) + 1);
    }
    const ownerLabel = (o: number): string => {
      let best = '';
      let n = 0;
      for (const [name, c] of spellings.get(o) ?? []) if (c > n || (c === n && name < best)) [best, n] = [name, c];
      return best || keys.values[o];
    };
    const findings: FindingDraft[] = [];
    // one finding per owner and connected set of firms: links of one owner that share a firm merge
    const byOwnerLinks = new Map<number, Link[]>();
    for (const l of links.values()) {
      let arr = byOwnerLinks.get(l.owner);
      if (!arr) byOwnerLinks.set(l.owner, (arr = []));
      arr.push(l);
    }
    const ordered: Link[] = [];
    for (const o of [...byOwnerLinks.keys()].sort((a, b) => a - b)) {
      const comps: { firms: Map<number, number>; units: Set<number>; won: boolean; together: number }[] = [];
      for (const l of byOwnerLinks.get(o)!) {
        const hit = comps.filter((c) => l.firms.some((f) => c.firms.has(f)));
        const into = hit[0] ?? { firms: new Map<number, number>(), units: new Set<number>(), won: false, together: 0 };
        if (!hit.length) comps.push(into);
        for (const other of hit.slice(1)) {
          for (const [f, sh] of other.firms) into.firms.set(f, Math.max(sh, into.firms.get(f) ?? 0));
          for (const u of other.units) into.units.add(u);
          into.won ||= other.won;
          into.together = Math.max(into.together, other.together);
          comps.splice(comps.indexOf(other), 1);
        }
        l.firms.forEach((f, i) => into.firms.set(f, Math.max(l.shares[i], into.firms.get(f) ?? 0)));
        for (const u of l.units) into.units.add(u);
        into.won ||= l.won;
        into.together = Math.max(into.together, l.together);
      }
      for (const c of comps) {
        const firms = [...c.firms.keys()].sort((a, b) => (data.parties.id(a) < data.parties.id(b) ? -1 : data.parties.id(a) > data.parties.id(b) ? 1 : 0));
        ordered.push({ owner: o, firms, shares: firms.map((f) => c.firms.get(f)!), units: [...c.units].sort(byTender(data)), won: c.won, together: c.together });
      }
    }
    for (const link of ordered) {
      const nFirmsOwned = ownerFirms[link.owner] ?? 0;
      const owner = ownerLabel(link.owner);
      const isFirm = link.firms.find((f) => selfKeys(f).includes(link.owner));
      const freq = isFirm !== undefined ? NaN : model.frequency(owner);
      // k firms in one tender sharing one common name by chance is about f^(k − 1) as likely as one pair
      const common = Number.isNaN(freq) ? 1 : ramp(-Math.log10(freq) * (link.together - 1), p.common_name_log10, p.common_name_log10 + 2.5, 0.55, 1);
      // a name held in many other firms is likelier to be several people
      const crowd = isFirm !== undefined ? 1 : ramp(nFirmsOwned - link.together, 0, 10, 1, 0.75);
      const base = isFirm !== undefined || link.together >= 3 ? 0.8 : 0.6;
      const score = (base + 0.05 * ramp(link.units.length, 1, 3, 0, 1) + (link.won ? 0.05 : 0)) * common * crowd;
      let wonValue = 0;
      for (const u of link.units) if (link.firms.includes(units.winner[u]) && value[u] > 0) wonValue += value[u];
      const firmsText = link.firms.map((f) => partyLabel(data, f)).join(', ');
      findings.push({
        score,
        key: ownerKey(owner),
        title: `${link.firms.length} co-bidders ${isFirm !== undefined ? 'under one owner,' : 'share an owner named'} ${owner} (${link.units.length} tender${link.units.length > 1 ? 's' : ''})`,
        entities: [...link.units.map((u) => tenderEntity(data, u)), ...link.firms.map((f) => companyEntity(data, f))],
        amount: wonValue || null,
        evidence: {
          owner,
          ownerIsBidder: isFirm !== undefined ? data.parties.id(isFirm) : null,
          shares: Object.fromEntries(link.firms.map((f, i) => [data.parties.id(f), link.shares[i]])),
          ownerHoldsFirms: nFirmsOwned,
          mostInOneTender: link.together,
          valueWonByLinkedFirms: wonValue,
          nameFrequency: Number.isNaN(freq) ? null : Number(freq.toPrecision(3)),
          tenders: link.units.map(
            (u) => `${tenderLabel(data, u)}${units.winner[u] >= 0 && link.firms.includes(units.winner[u]) ? ` (won by ${data.parties.id(units.winner[u])})` : ''}`,
          ),
          threshold: { min_share: p.min_share, max_owner_firms: p.max_owner_firms },
        },
        explanation:
          `${firmsText} bid against each other in ${link.units.length} tender${link.units.length > 1 ? 's' : ''} while ${isFirm !== undefined ? '' : 'an owner named '}${owner} holds ${link.shares.map((s) => fmtPct(s, 0)).join(', ')} of them respectively (threshold ${fmtPct(p.min_share, 0)})` +
          (isFirm !== undefined
            ? `: one bidder owns the other${link.firms.length > 2 ? 's' : ''}, so they are not independent competitors.`
            : `: if this is one person, they are not independent competitors; the registry gives a name, not an identity number, so check it is not a namesake${Number.isNaN(freq) ? '' : ` (the name's estimated frequency among owners is ${freq.toPrecision(2)}, score × ${round(common * crowd, 2)})`}.`),
      });
    }
    const notes: string[] = [];
    if (skippedCommon) notes.push(`${skippedCommon} links through owners of more than ${p.max_owner_firms} firms were skipped`);
    let firms = 0;
    for (let party = 0; party < data.parties.size; party++) if (cr.start[party + 1] > cr.start[party]) firms++;
    notes.push(`${withOwners} of ${firms} firms have an owner with a stated share ≥ ${fmtPct(p.min_share, 0)}`);
    const repeated = repeatedNote(cr, 'the owners of all rows of a firm are read together');
    if (repeated) notes.push(repeated);
    return { findings, applied, notApplicable, notes };
  },
});

/**
 * How common a person's name is: P(family) × P(middle) × P(given), each part's frequency among the owner
 * names of the registry (add-one smoothing). With fewer than 200 names the estimate is too noisy: NaN.
 */
function nameModel(codes: Codes, parsed: (code: number) => OwnerShare[]): { frequency(name: string): number } {
  const fam = new Map<string, number>();
  const mid = new Map<string, number>();
  const giv = new Map<string, number>();
  let n = 0;
  const parts = (t: string[]): [string, string, string] | null => {
    if (t.length < 2) return null;
    return [t[0], t.slice(1, -1).join(' '), t[t.length - 1]];
  };
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (let r = 0; r < codes.length; r++) {
    if (codes[r] < 0) continue;
    for (const o of parsed(codes[r])) {
      const x = parts(o.tokens);
      if (!x) continue;
      bump(fam, x[0]);
      bump(mid, x[1]);
      bump(giv, x[2]);
      n++;
    }
  }
  return {
    frequency(name: string): number {
      const x = parts(nameTokens(name));
      if (!x || n < 200) return NaN;
      const f = (m: Map<string, number>, k: string) => ((m.get(k) ?? 0) + 1) / (n + m.size + 1);
      return f(fam, x[0]) * f(mid, x[1]) * f(giv, x[2]);
    },
  };
}
