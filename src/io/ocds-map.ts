/**
 * One OCDS compiled release (one contracting process) as rows of the canonical tables, every value the
 * text a CSV export would hold in that column: the rows then go through the CSV loader's column builders
 * (load.ts canonicalRows), so tax codes, dates, amounts and coded values are read exactly as from a CSV.
 *
 * - bids: one row per bid of the bid extension (`bids.details[]`), or, without it, one row per
 *   `tender.tenderers[]` (no price). The winners are the suppliers of the awards that are not cancelled or
 *   unsuccessful; a winning supplier missing from the bids gets a row of its own (it did bid).
 * - tenders: a process with no bid and no tenderer (a direct award, a tender without bids yet) is one
 *   tenders row per award (or one for the tender), with the supplier as winner_id.
 * - companies: every party that is a tenderer or supplier (by role, or named as one), once per id.
 *
 * The README section "OCDS input" and docs/ocds.md describe the mapping field by field.
 */
import { matchCode } from '../normalize/codes.js';
import { isObject, type Json, type JsonObject } from './ocds-merge.js';

/** The tender-level columns, the same on every row of a unit (tender_id + lot_id), as in a flat CSV export. */
const TENDER_LEVEL = [
  'tender_id', 'lot_id', 'buyer_id', 'buyer_name', 'title', 'category', 'procedure', 'estimated_value', 'currency',
  'published_date', 'deadline_date', 'opening_date', 'award_date', 'contract_date',
] as const;
const CURRENCY = TENDER_LEVEL.indexOf('currency');
const AWARD_DATE = TENDER_LEVEL.indexOf('award_date');
const CONTRACT_DATE = TENDER_LEVEL.indexOf('contract_date');

export const OCDS_BID_COLUMNS = [...TENDER_LEVEL, 'bidder_id', 'bidder_name', 'bid_amount', 'bid_status', 'is_winner', 'award_amount', 'bid_time'] as const;

export const OCDS_TENDER_COLUMNS = [...TENDER_LEVEL, 'winner_id', 'winner_name', 'award_amount', 'number_of_bidders'] as const;

export const OCDS_COMPANY_COLUMNS = ['company_id', 'name', 'address', 'phone', 'email', 'website', 'province'] as const;

const TENDERER_ID = 'parties[].identifier (scheme-id; the bare id for VN schemes), else the party id';

/** Where each column comes from: shown as the column's "header" in warnings, `inspect` and the report's inputs. */
export const OCDS_WRITTEN: Record<string, string> = {
  tender_id: 'ocid',
  lot_id: 'bids.details[].relatedLots / awards[].relatedLots (tender.lots[].id)',
  buyer_id: `buyer → ${TENDERER_ID}`,
  buyer_name: 'buyer.name',
  title: 'tender.title',
  category: 'tender.mainProcurementCategory',
  procedure: 'tender.procurementMethodDetails, else tender.procurementMethod',
  estimated_value: 'tender.value.amount (tender.lots[].value.amount for a lot)',
  currency: 'value.currency',
  published_date: 'tender.tenderPeriod.startDate',
  deadline_date: 'tender.tenderPeriod.endDate',
  opening_date: 'tender.bidOpening.date',
  award_date: 'awards[].date',
  contract_date: 'contracts[].dateSigned',
  bidder_id: `bids.details[].tenderers[0] or tender.tenderers[] → ${TENDERER_ID}`,
  bidder_name: 'bids.details[].tenderers[0].name or tender.tenderers[].name',
  bid_amount: 'bids.details[].value.amount',
  bid_status: 'bids.details[].status',
  is_winner: 'awards[].suppliers (status not cancelled or unsuccessful)',
  award_amount: 'awards[].value.amount',
  bid_time: 'bids.details[].date',
  winner_id: `awards[].suppliers[0] → ${TENDERER_ID}`,
  winner_name: 'awards[].suppliers[0].name',
  number_of_bidders: 'tender.numberOfTenderers',
  company_id: TENDERER_ID,
  name: 'parties[].name',
  address: 'parties[].address (streetAddress, locality, region, postalCode, countryName)',
  phone: 'parties[].contactPoint.telephone',
  email: 'parties[].contactPoint.email',
  website: 'parties[].contactPoint.url',
  province: 'parties[].address.region',
};

export interface MappedRelease {
  bids: string[][];
  tenders: string[][];
  /** one per party id, in the order first met */
  companies: { key: string; fields: string[] }[];
  rejects: { table: 'bids' | 'companies'; reason: string; path: string; record: Json }[];
  /** how the bids were read: the bid extension, tenderers only, or no bid at all */
  source: 'bids' | 'tenderers' | 'none';
  /** bids for several lots (amount left blank) and bids by several tenderers (read as the first) */
  multiLotBids: number;
  consortiumBids: number;
  /** every party id of the release, any role (for `inspect`) */
  partyKeys: string[];
}

function str(v: Json | undefined): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return '';
}

/**
 * A JSON amount as the amount column reads it without doubt: integers as digits; a fraction with exactly
 * three decimals gets a fourth digit, since "1.234" in a column of amounts reads as thousands (Vietnamese
 * "1.234" = 1234). An amount written as a string is passed on as written, as a CSV cell would be.
 */
export function amountText(v: Json | undefined): string {
  if (typeof v === 'string') return v.trim();
  if (typeof v !== 'number' || !Number.isFinite(v)) return '';
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return v.toFixed(0);
  const s = String(v);
  return /^-?\d+\.\d{3}$/.test(s) ? s + '0' : s;
}

function amountOf(value: Json | undefined): string {
  return isObject(value) ? amountText(value.amount) : '';
}

function currencyOf(value: Json | undefined): string {
  return isObject(value) ? str(value.currency) : '';
}

function list(v: Json | undefined): Json[] {
  return Array.isArray(v) ? v : [];
}

function objects(v: Json | undefined): JsonObject[] {
  return list(v).filter(isObject);
}

const VN_SCHEME = /^VN(?:-|$)/i;

/**
 * The id of an organisation as the canonical tables hold it: `scheme-id` as org-id.guide writes it (so
 * ids of two registers never meet), the id alone for a Vietnamese scheme (a tax code, normalised as in a
 * CSV) or when no scheme is given; without an identifier, the party's own id.
 */
export function orgId(identifier: Json | undefined, fallback: Json | undefined): string {
  if (isObject(identifier)) {
    const id = str(identifier.id);
    if (id) {
      const scheme = str(identifier.scheme);
      if (!scheme || VN_SCHEME.test(scheme) || id.toUpperCase().startsWith(`${scheme.toUpperCase()}-`)) return id;
      return `${scheme}-${id}`;
    }
  }
  return str(fallback);
}

function addressText(a: Json | undefined): string {
  if (!isObject(a)) return str(a);
  return ['streetAddress', 'locality', 'region', 'postalCode', 'countryName']
    .map((k) => str(a[k]))
    .filter(Boolean)
    .join(', ');
}

/** OCDS bid statuses that say nothing about the bid's evaluation yet. */
const NOT_EVALUATED = new Set(['pending', 'invited']);

/** The procedure: the publisher's own name for it when the codebook knows it (finer), else procurementMethod. */
function procedureOf(tender: JsonObject): string {
  const details = str(tender.procurementMethodDetails);
  if (details && matchCode('procedure', details)) return details;
  return str(tender.procurementMethod) || details;
}

/** mainProcurementCategory; `services` with `consultingServices` among the additional categories is consulting. */
function categoryOf(tender: JsonObject): string {
  const main = str(tender.mainProcurementCategory);
  if (main.toLowerCase() === 'services' && list(tender.additionalProcurementCategories).some((c) => str(c).toLowerCase() === 'consultingservices')) return 'consulting';
  return main;
}

const LOSING_AWARD = new Set(['cancelled', 'unsuccessful']);

interface Org {
  key: string;
  name: string;
  /** the party (or the reference itself when it carries an identifier, as in OCDS 1.0) */
  org: JsonObject | null;
}

/**
 * `base` says where the release stood (`releases[3]`; '' for a line of its own) or, for releases merged,
 * which ocid they were: the paths of rejected items are given within it.
 */
export function mapRelease(rel: JsonObject, base: string | { merged: number }): MappedRelease {
  const out: MappedRelease = { bids: [], tenders: [], companies: [], rejects: [], source: 'none', multiLotBids: 0, consortiumBids: 0, partyKeys: [] };
  const ocid = str(rel.ocid);
  const at = (path: string) =>
    typeof base === 'object' ? `${path} of ocid ${JSON.stringify(ocid)}, ${base.merged} releases merged` : base ? `${base}.${path}` : path;
  const parties = objects(rel.parties);
  const partyById = new Map<string, JsonObject>();
  for (const p of parties) {
    const id = str(p.id);
    if (id && !partyById.has(id)) partyById.set(id, p);
  }
  const resolve = (ref: Json | undefined): Org => {
    if (!isObject(ref)) return { key: '', name: '', org: null };
    const party = partyById.get(str(ref.id));
    const org = party ?? (isObject(ref.identifier) ? ref : null);
    return { key: orgId(org?.identifier, ref.id), name: str(party?.name) || str(ref.name), org };
  };
  const hasRole = (p: JsonObject, role: string) => list(p.roles).some((r) => str(r).toLowerCase() === role.toLowerCase());

  const tender = isObject(rel.tender) ? rel.tender : {};
  const buyerRef = isObject(rel.buyer) ? rel.buyer : (parties.find((p) => hasRole(p, 'buyer')) ?? (isObject(tender.procuringEntity) ? tender.procuringEntity : parties.find((p) => hasRole(p, 'procuringEntity'))));
  const buyer = resolve(buyerRef);

  const lots = new Map<string, JsonObject>();
  for (const l of objects(tender.lots)) if (str(l.id)) lots.set(str(l.id), l);
  const lotsOf = (v: Json | undefined): string[] => {
    const ids = list(v).map(str).filter(Boolean);
    return ids.length ? [...new Set(ids)] : [''];
  };

  // awards: the winners of each lot ('' = the awards that name no lot)
  interface Win {
    org: Org;
    amount: string;
    date: string;
    contractDate: string;
    lots: string[];
  }
  const contracts = objects(rel.contracts);
  const awards = objects(rel.awards);
  const wins: Win[] = [];
  for (const a of awards) {
    if (LOSING_AWARD.has(str(a.status).toLowerCase())) continue;
    const contract = contracts.find((c) => str(c.awardID) !== '' && str(c.awardID) === str(a.id));
    for (const s of list(a.suppliers)) {
      const org = resolve(s);
      if (org.key || org.name) wins.push({ org, amount: amountOf(a.value), date: str(a.date), contractDate: str(contract?.dateSigned), lots: lotsOf(a.relatedLots) });
    }
  }
  // a row of lot L is decided by the awards of L and those that name no lot; a row of no lot by every award
  const awardsFor = (lot: string) => awards.filter((a) => lot === '' || lotsOf(a.relatedLots).some((l) => l === '' || l === lot));
  const winsFor = (lot: string) => wins.filter((w) => lot === '' || w.lots.some((l) => l === '' || l === lot));

  // per lot: the tender-level fields, the winners, and whether any award decides it
  const units = new Map<string, { level: string[]; wins: Win[]; decided: boolean }>();
  const unit = (lot: string) => {
    let u = units.get(lot);
    if (!u) units.set(lot, (u = { level: tenderLevel(lot), wins: winsFor(lot), decided: awardsFor(lot).length > 0 }));
    return u;
  };
  const tenderLevel = (lot: string): string[] => {
    const lotObj = lot ? lots.get(lot) : undefined;
    // a lot's estimate is its own; the tender's value stands for it only when the tender has that one lot
    const value = lotObj?.value ?? (!lot || lots.size <= 1 ? tender.value : undefined);
    const win = winsFor(lot)[0];
    const period = isObject(tender.tenderPeriod) ? tender.tenderPeriod : {};
    return [
      ocid,
      lot,
      buyer.key,
      buyer.name,
      str(tender.title),
      categoryOf(tender),
      procedureOf(tender),
      amountOf(value),
      currencyOf(value) || currencyOf(tender.value),
      str(period.startDate),
      str(period.endDate),
      isObject(tender.bidOpening) ? str(tender.bidOpening.date) : '',
      win?.date ?? '',
      win?.contractDate ?? '',
    ];
  };

  const bidRows: { key: string; fields: string[] }[] = [];
  const addBid = (lot: string, bidder: Org, bid: { amount?: string; status?: string; time?: string; currency?: string } = {}) => {
    const u = unit(lot);
    const win = bidder.key || bidder.name ? u.wins.find((w) => sameOrg(w.org, bidder)) : undefined;
    const fields = u.level.slice();
    if (bid.currency) fields[CURRENCY] = bid.currency;
    fields.push(bidder.key, bidder.name, bid.amount ?? '', bid.status ?? '', win ? 'true' : u.decided ? 'false' : '', win?.amount ?? '', bid.time ?? '');
    bidRows.push({ key: bidder.key || bidder.name, fields });
  };

  const details = isObject(rel.bids) ? list(rel.bids.details) : [];
  const tenderers = list(tender.tenderers);
  if (details.length) {
    out.source = 'bids';
    details.forEach((d, k) => {
      const path = at(`bids.details[${k}]`);
      const who = isObject(d) ? list(d.tenderers) : [];
      if (!isObject(d) || !who.length) {
        out.rejects.push({ table: 'bids', reason: 'a bid with no tenderer', path, record: d });
        return;
      }
      if (who.length > 1) out.consortiumBids++;
      const bidLots = lots.size ? lotsOf(d.relatedLots) : [''];
      if (bidLots.length > 1) out.multiLotBids++;
      const status = str(d.status);
      const bidder = resolve(who[0]);
      for (const lot of bidLots)
        addBid(lot, bidder, {
          amount: bidLots.length > 1 ? '' : amountOf(d.value),
          status: NOT_EVALUATED.has(status.toLowerCase()) ? '' : status,
          time: str(d.date),
          currency: currencyOf(d.value),
        });
    });
  } else if (tenderers.length) {
    out.source = 'tenderers';
    tenderers.forEach((t, k) => {
      const org = resolve(t);
      if (!isObject(t) || (!org.key && !org.name)) {
        out.rejects.push({ table: 'bids', reason: 'a tenderer with no id or name', path: at(`tender.tenderers[${k}]`), record: t });
        return;
      }
      addBid('', org);
    });
  }

  if (bidRows.length) {
    // a winning supplier missing from the bids did bid: a row of its own, without a price
    for (const w of wins) {
      const key = w.org.key || w.org.name;
      if (bidRows.some((b) => b.key === key)) continue;
      addBid(out.source === 'bids' && lots.size ? (w.lots[0] ?? '') : '', w.org);
    }
    for (const b of bidRows) out.bids.push(b.fields);
  } else if (out.rejects.length === 0 && (Object.keys(tender).length || awards.length || contracts.length)) {
    // no bid rows: the process as tenders rows, one per awarded lot (its first supplier the winner), or one for the tender
    const declared = str(tender.numberOfTenderers);
    const done = new Set<string>();
    for (const w of wins)
      for (const lot of w.lots) {
        if (done.has(lot)) continue;
        done.add(lot);
        const fields = tenderLevel(lot);
        fields[AWARD_DATE] = w.date;
        fields[CONTRACT_DATE] = w.contractDate;
        fields.push(w.org.key, w.org.name, w.amount, declared);
        out.tenders.push(fields);
      }
    if (!done.size) out.tenders.push([...tenderLevel(''), '', '', '', declared]);
  }

  // companies: tenderers and suppliers, by role or because a bid or an award names them
  const named = new Set<JsonObject>();
  const seen = new Set<string>();
  const addCompany = (org: JsonObject, key: string, path: string) => {
    if (!key) {
      out.rejects.push({ table: 'companies', reason: 'a tenderer or supplier with no id', path, record: org });
      return;
    }
    if (seen.has(key)) return;
    seen.add(key);
    const contact = isObject(org.contactPoint) ? org.contactPoint : {};
    const row: Record<string, string> = {
      company_id: key,
      name: str(org.name),
      address: addressText(org.address),
      phone: str(contact.telephone),
      email: str(contact.email),
      website: str(contact.url),
      province: isObject(org.address) ? str(org.address.region) : '',
    };
    out.companies.push({ key, fields: OCDS_COMPANY_COLUMNS.map((c) => row[c]) });
  };
  const refs: Json[] = [...details.flatMap((d) => (isObject(d) ? list(d.tenderers) : [])), ...tenderers, ...awards.flatMap((a) => list(a.suppliers))];
  for (const ref of refs) {
    const o = resolve(ref);
    if (o.org) named.add(o.org);
  }
  parties.forEach((p, i) => {
    const key = orgId(p.identifier, p.id);
    if (key) out.partyKeys.push(key);
    if (hasRole(p, 'tenderer') || hasRole(p, 'supplier') || named.has(p)) addCompany(p, key, at(`parties[${i}]`));
  });
  // OCDS 1.0: organisations written in full where they are named, without a parties list
  for (const o of named) if (!parties.includes(o)) addCompany(o, orgId(o.identifier, o.id), at('(tenderer or supplier)'));
  return out;
}

function sameOrg(a: Org, b: Org): boolean {
  return a.key ? a.key === b.key : !b.key && a.name === b.name;
}
