/**
 * Firms and public buyers: names, tax codes, addresses, phones, e-mails, owners — and the
 * renderings of one identity that different exports produce (abbreviated or unaccented
 * addresses, phone numbers with spaces or +84).
 */
import { dayOf } from './dates.js';
import type { Rng } from './rng.js';
import { SECTORS, type Category } from './sectors.js';
import { TaxCodeIssuer } from './taxcode.js';
import {
  BANKS, BUILDINGS, COMMUNES, FAMILY, GIVEN_F, GIVEN_M, HAMLETS, INDUSTRIAL_PARKS, LEGAL_PREFIX, MIDDLE_F,
  MIDDLE_M, MOBILE_PREFIX, NAME_A, NAME_B, NAME_C, PLACE_SUFFIX, PROVINCES, STREETS, WARDS,
  agencyPlace, type LegalForm, type Province,
} from './vn-data.js';

// ---------------------------------------------------------------------------------------------
// Text helpers

export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

export function slug(s: string): string {
  return fold(s).toLowerCase().replace(/[^a-z0-9]+/g, '');
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------
// People

export function personName(rng: Rng, female = rng.chance(0.42)): string {
  const fam = rng.weighted(FAMILY);
  const mid = rng.weighted(female ? MIDDLE_F : MIDDLE_M);
  const given = rng.weighted(female ? GIVEN_F : GIVEN_M);
  return `${fam} ${mid} ${given}`;
}

// ---------------------------------------------------------------------------------------------
// Addresses

export interface Address {
  kind: 'street' | 'rural' | 'building' | 'park';
  unit: string;
  number: string;
  street: string;
  /** "Phường" / "Xã" / "Thị trấn" */
  wardKind: string;
  ward: string;
  district: string;
  province: number;
}

export type AddressStyle = 'full' | 'abbr' | 'plain' | 'ascii' | 'compact';

function wardFor(rng: Rng, district: string): [string, string] {
  if (/^Quận \d+$/.test(district)) return ['Phường', String(rng.range(1, 15))];
  if (district.startsWith('Huyện')) return rng.chance(0.3) ? ['Thị trấn', rng.pick(COMMUNES)] : ['Xã', rng.pick(COMMUNES)];
  return ['Phường', rng.pick(WARDS)];
}

export function makeAddress(rng: Rng, province: number, kind?: Address['kind']): Address {
  const p = PROVINCES[province];
  const district = rng.chance(0.45) ? p.districts[0] : rng.pick(p.districts);
  const k: Address['kind'] = kind ?? (district.startsWith('Huyện') && rng.chance(0.6) ? 'rural' : rng.weighted([['street', 80], ['building', 6], ['park', 4], ['rural', 3]] as const));
  const [wardKind, ward] = k === 'rural' ? (['Xã', rng.pick(COMMUNES)] as [string, string]) : wardFor(rng, district);
  let number = String(rng.chance(0.7) ? rng.range(1, 250) : rng.range(1, 999));
  if (rng.chance(0.12)) number += rng.pick(['A', 'B', 'C']);
  if (rng.chance(0.08)) number = `${rng.range(2, 120)}/${rng.range(1, 60)}`;
  let unit = '';
  if (k === 'building') unit = `Tầng ${rng.range(2, 25)}, ${rng.pick(BUILDINGS)}`;
  else if (k === 'park') unit = `Lô ${rng.pick(['A', 'B', 'C', 'CN'])}${rng.range(1, 30)}, ${rng.pick(INDUSTRIAL_PARKS)}`;
  else if (k === 'rural') unit = p.region === 'S' ? `Ấp ${rng.pick(['1', '2', '3', '4', 'Bình Hòa', 'Tân Lập', 'Phú Thạnh'])}` : rng.pick(HAMLETS.filter((h) => !h.startsWith('Ấp')));
  return { kind: k, unit, number, street: rng.pick(STREETS), wardKind, ward, district, province };
}

function districtAbbr(d: string): string {
  return d
    .replace(/^Quận (\d+)$/, 'Q.$1')
    .replace(/^Quận /, 'Q. ')
    .replace(/^Huyện /, 'H. ')
    .replace(/^Thị xã /, 'TX. ')
    .replace(/^TP\. /, 'TP. ');
}

function wardAbbr(kind: string, ward: string): string {
  if (kind === 'Phường') return /^\d+$/.test(ward) ? `P.${ward}` : `P. ${ward}`;
  if (kind === 'Xã') return `X. ${ward}`;
  return `TT. ${ward}`;
}

function provinceFull(p: Province, alt: boolean): string {
  if (p.name === 'TP. Hồ Chí Minh') return alt ? 'Thành phố Hồ Chí Minh' : 'TP. Hồ Chí Minh';
  if (p.city) return alt ? `Thành phố ${p.name}` : p.name;
  return alt ? p.name : `Tỉnh ${p.name}`;
}

export function renderAddress(a: Address, style: AddressStyle): string {
  const p = PROVINCES[a.province];
  const isRural = a.kind === 'rural';
  switch (style) {
    case 'full':
    case 'ascii': {
      const parts: string[] = [];
      if (a.unit) parts.push(a.unit);
      if (!isRural && a.kind !== 'park') parts.push(`Số ${a.number}, đường ${a.street}`);
      parts.push(`${a.wardKind} ${a.ward}`, a.district, provinceFull(p, false));
      const s = parts.filter(Boolean).join(', ');
      return style === 'ascii' ? fold(s) : s;
    }
    case 'plain': {
      const parts: string[] = [];
      if (a.unit) parts.push(a.unit);
      if (!isRural && a.kind !== 'park') parts.push(`${a.number} ${a.street}`);
      parts.push(`${lowerFirst(a.wardKind)} ${a.ward}`, lowerFirst(a.district), provinceFull(p, true));
      return parts.join(', ');
    }
    case 'abbr':
    case 'compact': {
      const parts: string[] = [];
      if (a.unit) parts.push(a.unit.replace('Tầng ', 'T').replace('Tòa nhà ', 'TN '));
      if (!isRural && a.kind !== 'park') parts.push(style === 'abbr' ? `Số ${a.number} Đ. ${a.street}` : `${a.number} ${a.street}`);
      parts.push(wardAbbr(a.wardKind, a.ward), districtAbbr(a.district), p.short);
      return parts.join(style === 'abbr' ? ', ' : ',');
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Phones

/** A phone as digits: 10-digit mobile (09x…) or 11-digit landline (02x…). */
export function makePhone(rng: Rng, province: number, landline = rng.chance(0.25)): string {
  if (landline) {
    const p = PROVINCES[province];
    const area = p.tax === '01' ? '024' : p.tax === '03' ? '028' : `02${rng.range(0, 9)}${rng.range(0, 9)}`;
    let s = area + rng.pick(['3', '3', '6', '2']);
    while (s.length < 11) s += String(rng.int(10));
    return s;
  }
  let s = rng.pick(MOBILE_PREFIX);
  while (s.length < 10) s += String(rng.int(10));
  return s;
}

export type PhoneStyle = 'plain' | 'spaced' | 'intl' | 'dotted' | 'intlSpaced';

export function renderPhone(digits: string, style: PhoneStyle): string {
  const mobile = digits.length === 10;
  const rest = digits.slice(1);
  switch (style) {
    case 'plain':
      return digits;
    case 'spaced':
      return mobile ? `${digits.slice(0, 4)} ${digits.slice(4, 7)} ${digits.slice(7)}` : `(${digits.slice(0, 3)}) ${digits.slice(3, 7)} ${digits.slice(7)}`;
    case 'intl':
      return `+84${rest}`;
    case 'dotted':
      return mobile ? `${digits.slice(0, 4)}.${digits.slice(4, 7)}.${digits.slice(7)}` : `${digits.slice(0, 3)}.${digits.slice(3, 7)}.${digits.slice(7)}`;
    case 'intlSpaced':
      return mobile ? `(+84) ${rest.slice(0, 3)} ${rest.slice(3, 6)} ${rest.slice(6)}` : `+84 ${rest.slice(0, 2)} ${rest.slice(2, 6)} ${rest.slice(6)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Firms

export type FirmRole =
  | 'bidder'
  | 'trader'
  | 'landlord'
  | 'subscription'
  | 'scheme'
  | 'shell';

export interface Firm {
  idx: number;
  id: string;
  name: string;
  legal: LegalForm;
  province: number;
  sector: number;
  core: string;
  industry: string;
  address: string;
  addr: Address;
  phoneDigits: string;
  phone: string;
  email: string;
  website: string;
  bankNo: string;
  bank: string;
  representative: string;
  owners: string;
  registered: number;
  /** Last day of activity + 1 (closure or suspension), or Infinity. */
  closed: number;
  status: 'active' | 'closed' | 'suspended' | 'absconded';
  role: FirmRole;
  /** Relative frequency of taking part in tenders of its sector (0 = never in honest tenders). */
  bidWeight: number;
  /** Cost efficiency: multiplies its honest bids (incumbents < 1). */
  eff: number;
  /** Relative volume of honest sales invoices. */
  tradeWeight: number;
  invMu: number;
  invSigma: number;
  /** 1 = VAT invoice, 2 = sales invoice (no VAT line). */
  template: number;
  /** Series letters after the year, e.g. "TAA"; the first letter of the series code is C or K. */
  seriesCode: string;
  seriesLetters: string[];
}

export interface FirmSpec {
  province: number;
  sector: number;
  role: FirmRole;
  registered?: number;
  legal?: LegalForm;
  core?: string;
  industry?: string;
  /** Never add a place suffix / always add this one. */
  suffix?: string | null;
  branchOf?: Firm;
  bidWeight?: number;
  eff?: number;
  tradeWeight?: number;
}

export class FirmFactory {
  readonly firms: Firm[] = [];
  private readonly names = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly banks = new Set<string>();

  constructor(readonly issuer: TaxCodeIssuer) {}

  uniquePhone(rng: Rng, province: number, landline?: boolean): string {
    for (;;) {
      const p = makePhone(rng, province, landline);
      if (!this.phones.has(p)) {
        this.phones.add(p);
        return p;
      }
    }
  }

  uniqueBank(rng: Rng): [string, string] {
    for (;;) {
      const [bank, len] = rng.pick(BANKS);
      let s = String(rng.range(1, 9));
      while (s.length < len) s += String(rng.int(10));
      if (!this.banks.has(s)) {
        this.banks.add(s);
        return [s, bank];
      }
    }
  }

  uniqueDomain(rng: Rng, base: string): string {
    for (let i = 0; ; i++) {
      const stem = i === 0 ? base : `${base}${rng.pick(['jsc', 'co', 'group', 'vn', String(rng.range(1, 99))])}`;
      const d = `${stem}${rng.pick(['.vn', '.com.vn', '.com', '.vn', '.net.vn'])}`;
      if (!this.domains.has(d)) {
        this.domains.add(d);
        return d;
      }
    }
  }

  uniqueEmail(rng: Rng, local: string, domain: string): string {
    for (let i = 0; ; i++) {
      const e = `${i === 0 ? local : local + rng.range(1, 999)}@${domain}`;
      if (!this.emails.has(e)) {
        this.emails.add(e);
        return e;
      }
    }
  }

  claimName(name: string): boolean {
    if (this.names.has(name)) return false;
    this.names.add(name);
    return true;
  }

  /** Legal-form-free, place-free name core such as "Phú Thành" or "An Phát 68". */
  static core(rng: Rng): string {
    let c = `${rng.pick(NAME_A)} ${rng.pick(NAME_B)}`;
    if (rng.chance(0.35)) c += ` ${rng.pick(NAME_C)}`;
    return c;
  }

  firm(rng: Rng, spec: FirmSpec): Firm {
    const sector = SECTORS[spec.sector];
    let legal: LegalForm = spec.legal ?? rng.weighted([['TNHH', 42], ['TNHH_MTV', 18], ['CP', 34], ['DNTN', 6]] as const);
    const rep = personName(rng);
    let name = '';
    let core = spec.core ?? '';
    let industry = spec.industry ?? '';
    if (spec.branchOf) {
      const parent = spec.branchOf;
      core = parent.core;
      industry = parent.industry;
      name = `Chi nhánh ${parent.name} tại ${PROVINCES[spec.province].name}`;
      for (let k = 2; !this.claimName(name); k++) name = `Chi nhánh ${k} - ${parent.name}`;
    } else {
      for (let attempt = 0; ; attempt++) {
        if (!spec.core || attempt > 8) core = legal === 'DNTN' && !spec.core && rng.chance(0.5) ? rep : FirmFactory.core(rng);
        if (!spec.industry || attempt > 8) industry = rng.pick(sector.industry);
        if (attempt > 2 && spec.core) legal = rng.pick(['TNHH', 'CP', 'TNHH_MTV'] as const);
        const prefix = rng.weighted(LEGAL_PREFIX[legal]);
        let suffix = '';
        if (spec.suffix !== undefined) suffix = spec.suffix ?? '';
        else if (rng.chance(0.3)) suffix = rng.chance(0.5) ? rng.pick(PLACE_SUFFIX) : PROVINCES[spec.province].name.replace('TP. ', '');
        let ind = industry;
        const r = rng.next();
        if (r < 0.01) ind = ind.replace(' và ', '; ').replace(/^(\S+) /, '$1; ');
        let body = `${ind} ${core}`;
        if (r >= 0.01 && r < 0.03) body = `${ind} "${core}"`;
        name = `${prefix} ${body}${suffix ? ' ' + suffix : ''}`;
        if (this.claimName(name)) break;
      }
    }
    const id = spec.branchOf ? this.issuer.branch(spec.branchOf.id.slice(0, 10)) : this.issuer.issue(rng, PROVINCES[spec.province].tax);
    const addr = makeAddress(rng, spec.province);
    const address = renderAddress(addr, rng.weighted([['full', 80], ['plain', 12], ['abbr', 6], ['compact', 2]] as const));
    const phoneDigits = this.uniquePhone(rng, spec.province);
    const phone = renderPhone(phoneDigits, rng.weighted([['plain', 85], ['spaced', 8], ['intl', 3], ['dotted', 3], ['intlSpaced', 1]] as const));
    const coreSlug = slug(core) || 'congty';
    let email: string;
    let website = '';
    if (legal !== 'DNTN' && rng.chance(0.4)) {
      const domain = this.uniqueDomain(rng, coreSlug);
      email = this.uniqueEmail(rng, rng.pick(['info', 'contact', 'kinhdoanh', 'ketoan', 'admin', 'sales']), domain);
      if (rng.chance(0.7)) website = rng.pick(['https://www.', 'http://', 'www.', 'https://']) + domain;
    } else {
      const local = rng.weighted([
        [coreSlug, 3], [`cty${coreSlug}`, 3], [`${coreSlug}.jsc`, 1], [`ketoan.${coreSlug}`, 2],
        [`${slug(rep)}${rng.range(1960, 1999)}`, 3], [`${coreSlug}${rng.range(1, 99)}`, 2],
      ]);
      email = this.uniqueEmail(rng, local, rng.weighted([['gmail.com', 80], ['yahoo.com', 8], ['yahoo.com.vn', 6], ['outlook.com', 3], ['hotmail.com', 3]]));
    }
    const [bankNo, bankName] = this.uniqueBank(rng);
    const owners = makeOwners(rng, legal, rep);
    const registered = spec.registered ?? honestRegistration(rng);
    const f: Firm = {
      idx: this.firms.length,
      id,
      name,
      legal,
      province: spec.province,
      sector: spec.sector,
      core,
      industry,
      address,
      addr,
      phoneDigits,
      phone,
      email,
      website,
      bankNo,
      bank: `${bankNo} - ${bankName}`,
      representative: rep,
      owners,
      registered,
      closed: Infinity,
      status: 'active',
      role: spec.role,
      bidWeight: spec.bidWeight ?? 0,
      eff: spec.eff ?? Math.exp(rng.gauss(0, 0.025)),
      tradeWeight: spec.tradeWeight ?? rng.pareto(1.25, 200),
      invMu: sector.invMu + rng.gauss(0, 0.6),
      invSigma: rng.uniform(1.25, 1.7),
      template: legal === 'DNTN' && rng.chance(0.5) ? 2 : 1,
      seriesCode: rng.chance(0.88) ? 'C' : 'K',
      seriesLetters: [],
    };
    const l1 = 'T' + randomLetters(rng, 2);
    f.seriesLetters = f.tradeWeight > 20 && rng.chance(0.5) ? [l1, 'T' + randomLetters(rng, 2)] : [l1];
    if (f.seriesLetters.length === 2 && f.seriesLetters[0] === f.seriesLetters[1]) f.seriesLetters.pop();
    this.firms.push(f);
    return f;
  }
}

function randomLetters(rng: Rng, n: number): string {
  const A = 'ABCDEGHKLMNPQRSTUVXY';
  let s = '';
  for (let i = 0; i < n; i++) s += A[rng.int(A.length)];
  return s;
}

/** Registration day of an ordinary firm: mostly years before the data starts, a few recent ones. */
export function honestRegistration(rng: Rng): number {
  if (rng.chance(0.03)) return rng.range(dayOf(2023, 1, 1), dayOf(2025, 9, 30));
  const age = Math.min(29, -Math.log(1 - rng.next()) * 6.5);
  const base = dayOf(2022, 12, 31) - Math.floor(age * 365.25);
  return Math.max(dayOf(1993, 1, 4), base - rng.int(30));
}

export function splitShares(rng: Rng, n: number, minShare = 5): number[] {
  const raw = Array.from({ length: n }, () => rng.uniform(0.3, 1.5));
  const sum = raw.reduce((a, b) => a + b, 0);
  const shares = raw.map((r) => Math.max(minShare, Math.round((r / sum) * 100)));
  let diff = 100 - shares.reduce((a, b) => a + b, 0);
  let i = 0;
  while (diff !== 0) {
    const k = i++ % n;
    if (diff > 0) {
      shares[k]++;
      diff--;
    } else if (shares[k] > minShare) {
      shares[k]--;
      diff++;
    }
    if (i > 10000) break;
  }
  return shares.sort((a, b) => b - a);
}

export function makeOwners(rng: Rng, legal: LegalForm, rep: string): string {
  if (legal === 'DNTN' || legal === 'TNHH_MTV') {
    const owner = rng.chance(0.75) ? rep : personName(rng);
    return `${owner}:100%`;
  }
  const n = legal === 'TNHH' ? rng.range(2, 4) : rng.range(3, 5);
  const shares = splitShares(rng, n);
  const names: string[] = [];
  for (let i = 0; i < n; i++) names.push(i === 0 && rng.chance(0.6) ? rep : personName(rng));
  return names.map((nm, i) => `${nm}:${shares[i]}%`).join(';');
}

export function formatOwners(list: [string, number][]): string {
  return list.map(([n, s]) => `${n}:${s}%`).join(';');
}

// ---------------------------------------------------------------------------------------------
// Public buyers

export type BuyerType =
  | 'health_dept' | 'hospital' | 'health_centre' | 'pmu' | 'district' | 'commune' | 'school'
  | 'transport_dept' | 'edu_dept' | 'agency';

export interface Buyer {
  idx: number;
  id: string;
  name: string;
  type: BuyerType;
  province: number;
  district: string;
  weight: number;
  /** How this buyer's export marks winners in the Vietnamese layout. */
  winnerMark: 'x' | 'Có';
}

/** Category weights [goods, works, consulting, non-consulting, mixed] by buyer type. */
export const BUYER_CATEGORY_WEIGHTS: Record<BuyerType, number[]> = {
  health_dept: [0.7, 0.05, 0.1, 0.15, 0],
  hospital: [0.78, 0.07, 0.05, 0.1, 0],
  health_centre: [0.72, 0.1, 0.05, 0.13, 0],
  pmu: [0.05, 0.55, 0.32, 0.03, 0.05],
  district: [0.25, 0.45, 0.15, 0.13, 0.02],
  commune: [0.2, 0.6, 0.1, 0.1, 0],
  school: [0.6, 0.2, 0.05, 0.15, 0],
  transport_dept: [0.1, 0.55, 0.3, 0.05, 0],
  edu_dept: [0.7, 0.1, 0.05, 0.15, 0],
  agency: [0.5, 0.15, 0.1, 0.25, 0],
};

/** Goods sectors bought, by buyer type: [sectorKey, weight]. */
export const BUYER_GOODS: Record<BuyerType, [string, number][]> = {
  health_dept: [['medical', 8], ['it', 1], ['office', 1]],
  hospital: [['medical', 12], ['food', 1], ['it', 1], ['office', 1], ['electrical', 1]],
  health_centre: [['medical', 10], ['it', 1], ['office', 1]],
  pmu: [['electrical', 3], ['materials', 2], ['it', 1], ['office', 1]],
  district: [['office', 2], ['it', 2], ['electrical', 2], ['materials', 2], ['education', 1]],
  commune: [['materials', 3], ['office', 2], ['electrical', 2]],
  school: [['education', 8], ['it', 2], ['office', 2], ['food', 1]],
  transport_dept: [['electrical', 3], ['materials', 2], ['it', 1]],
  edu_dept: [['education', 8], ['it', 3], ['office', 1]],
  agency: [['it', 5], ['office', 4], ['electrical', 1], ['medical', 1]],
};

const BUYER_TYPE_WEIGHTS: [BuyerType, number][] = [
  ['commune', 16], ['school', 18], ['district', 10], ['pmu', 12], ['hospital', 9], ['health_centre', 7],
  ['agency', 10], ['health_dept', 3], ['transport_dept', 3], ['edu_dept', 3],
];
const TYPE_ACTIVITY: Record<BuyerType, number> = {
  commune: 0.5, school: 0.6, district: 1.4, pmu: 2.2, hospital: 1.6, health_centre: 1, agency: 0.9,
  health_dept: 2, transport_dept: 2, edu_dept: 1.5,
};

function districtLabel(d: string): string {
  // "Huyện Diễn Châu" → "huyện Diễn Châu", "TP. Vinh" → "thành phố Vinh"
  if (d.startsWith('TP. ')) return 'thành phố ' + d.slice(4);
  return lowerFirst(d);
}

function bareDistrict(d: string): string {
  return d.replace(/^(Quận|Huyện|Thị xã|TP\.) /, '');
}

export function buyerName(rng: Rng, type: BuyerType, p: Province, district: string): string {
  const place = agencyPlace(p);
  const dl = districtLabel(district);
  const commune = (): string => (district.startsWith('Huyện') ? `xã ${rng.pick(COMMUNES)}` : /^Quận \d+$/.test(district) ? `phường ${rng.range(1, 15)}` : `phường ${rng.pick(WARDS)}`);
  switch (type) {
    case 'health_dept':
      return `Sở Y tế ${place}`;
    case 'transport_dept':
      return rng.chance(0.7) ? `Sở Giao thông vận tải ${place}` : `Sở Xây dựng ${place}`;
    case 'edu_dept':
      return rng.chance(0.8) ? `Sở Giáo dục và Đào tạo ${place}` : `Phòng Giáo dục và Đào tạo ${dl}`;
    case 'hospital':
      return rng.pick([
        `Bệnh viện Đa khoa ${place}`, `Bệnh viện Đa khoa khu vực ${bareDistrict(district)}`, `Bệnh viện Nhi ${place}`,
        `Bệnh viện Y học cổ truyền ${place}`, `Bệnh viện Phổi ${place}`, `Bệnh viện Sản - Nhi ${place}`, `Bệnh viện Mắt ${place}`,
        `Bệnh viện Đa khoa ${bareDistrict(district)}`,
      ]);
    case 'health_centre':
      return rng.chance(0.7) ? `Trung tâm Y tế ${dl}` : `Trung tâm Kiểm soát bệnh tật ${place}`;
    case 'pmu':
      return rng.pick([
        `Ban Quản lý dự án đầu tư xây dựng ${dl}`, `Ban Quản lý dự án đầu tư xây dựng các công trình giao thông ${place}`,
        `Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp ${place}`,
        `Ban QLDA ĐTXD các công trình nông nghiệp và PTNT ${place}`, `Ban Quản lý dự án khu vực ${bareDistrict(district)}`,
      ]);
    case 'district':
      return `UBND ${dl}`;
    case 'commune':
      return `UBND ${commune()}, ${dl}`;
    case 'school': {
      const level = rng.weighted([['Trường Tiểu học', 4], ['Trường THCS', 3], ['Trường THPT', 3], ['Trường Mầm non', 2], ['Trường Cao đẳng', 0.5]]);
      const who = rng.chance(0.6) ? rng.pick(STREETS) : rng.pick(COMMUNES);
      return level === 'Trường Cao đẳng' ? `Trường Cao đẳng ${rng.pick(['Y tế', 'Sư phạm', 'Nghề', 'Kỹ thuật'])} ${p.name.replace('TP. ', '')}` : `${level} ${who}`;
    }
    case 'agency':
      return rng.pick([
        `Công an ${place}`, `Sở Tài nguyên và Môi trường ${place}`, `Văn phòng UBND ${place}`,
        `Đài Phát thanh và Truyền hình ${place}`, `Sở Nông nghiệp và Phát triển nông thôn ${place}`,
        `Sở Thông tin và Truyền thông ${place}`, `Sở Tài chính ${place}`, `Bảo hiểm xã hội ${place}`,
        `Văn phòng HĐND và UBND ${dl}`, `Trung tâm Phát triển quỹ đất ${place}`,
      ]);
  }
}

export function makeBuyers(rng: Rng, issuer: TaxCodeIssuer, count: number): Buyer[] {
  const buyers: Buyer[] = [];
  const used = new Set<string>();
  const provWeights = PROVINCES.map((p) => p.weight);
  for (let i = 0; i < count; i++) {
    const province = i < PROVINCES.length && count >= PROVINCES.length * 3 ? i : rng.weightedIndex(provWeights);
    const p = PROVINCES[province];
    let type: BuyerType = 'district';
    let name = '';
    let district = p.districts[0];
    for (let attempt = 0; ; attempt++) {
      type = rng.weighted(BUYER_TYPE_WEIGHTS);
      district = rng.pick(p.districts);
      name = buyerName(rng, type, p, district);
      if (attempt > 40) name = `${name} (${bareDistrict(district)} ${attempt})`;
      if (!used.has(name)) break;
    }
    used.add(name);
    buyers.push({
      idx: i,
      id: issuer.issue(rng, p.tax),
      name,
      type,
      province,
      district,
      weight: rng.pareto(1.6, 40) * TYPE_ACTIVITY[type],
      winnerMark: rng.chance(0.75) ? 'x' : 'Có',
    });
  }
  return buyers;
}

export function categoryWeightsOf(b: Buyer): number[] {
  return BUYER_CATEGORY_WEIGHTS[b.type];
}

export type { Category };
