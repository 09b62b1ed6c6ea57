/**
 * Identity values of a firm as comparable keys, and how much a shared value says.
 *
 * A value is (kind, key): an address key, a phone number, an e-mail address, a non-public domain
 * (of an e-mail or a website), a person (representative or owner), a bank account number, a public
 * IP address, or a tax-code root (a branch "0100233488-001" and its parent share "0100233488").
 *
 * What a shared value says depends on its kind (a bank account shared by two firms is near proof of
 * one controller; a shared representative's name may be a namesake) and on its rarity in the whole
 * input: a value carried by `df` firms weighs
 *
 *     weight(kind) × rarity,   rarity = 1 / (1 + ((df − 2) / halfLife(kind))²)
 *
 * so it keeps nearly its full weight while a handful of firms share it (one controller's 3–5 firms),
 * half of it at df = 2 + halfLife, and little beyond: an address shared by 30 firms (a business
 * centre) is weak, a phone shared by two firms is strong. A person's weight is further divided by
 * 1 + the namesakes expected by chance (names.ts NameFrequencies): a common name such as "Nguyễn Văn
 * An" is weak even when only two firms carry it. A tax-code root is not discounted.
 */
import { normalizeAddress } from './address.js';
import { normalizeEmails, websiteDomain } from './email.js';
import { normalizePhones } from './phone.js';

export type IdentityKind = 'taxroot' | 'bank' | 'phone' | 'email' | 'domain' | 'address' | 'ip' | 'person';

export interface KindSpec {
  label: string;
  /** evidence of common control when exactly two firms share the value */
  weight: number;
  /** df − 2 at which the weight halves; Infinity: never discounted */
  halfLife: number;
}

export const KINDS: Record<IdentityKind, KindSpec> = {
  taxroot: { label: 'tax-code root', weight: 1, halfLife: Infinity },
  bank: { label: 'bank account', weight: 0.95, halfLife: 12 },
  phone: { label: 'phone', weight: 0.92, halfLife: 12 },
  email: { label: 'e-mail', weight: 0.95, halfLife: 12 },
  domain: { label: 'e-mail/web domain', weight: 0.85, halfLife: 15 },
  address: { label: 'address', weight: 0.8, halfLife: 8 },
  ip: { label: 'IP address', weight: 0.75, halfLife: 6 },
  person: { label: 'person', weight: 0.55, halfLife: 8 },
};

export const KIND_ORDER: readonly IdentityKind[] = ['taxroot', 'bank', 'phone', 'email', 'domain', 'address', 'ip', 'person'];

/** Two firms at one address but in different rooms (each wrote its own "Phòng …") share a building, not an office. */
export const OTHER_ROOM_FACTOR = 0.4;

/** A person who is the legal representative or holds ≥ this share of both firms weighs more. */
export const CONTROL_SHARE = 0.3;

export function rarity(kind: IdentityKind, df: number): number {
  const h = KINDS[kind].halfLife;
  if (!Number.isFinite(h) || df <= 2) return 1;
  const x = (df - 2) / h;
  return 1 / (1 + x * x);
}

export interface IdentityKey {
  kind: IdentityKind;
  key: string;
  /** addresses: the room or office number inside the building, when written ('' otherwise) */
  unit?: string;
}

/** Bank account numbers: digit runs of 6 or more, spaces, dots and dashes inside a number removed. */
export function normalizeBankAccounts(raw: string): string[] {
  if (!raw) return [];
  const s = raw.replace(/(?<=\d)[\s.-](?=\d)/g, '');
  const out: string[] = [];
  for (const m of s.match(/\d{6,}/g) ?? []) {
    const k = m.replace(/^0+(?=\d{6})/, '');
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

const IPV4 = /\b(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\b/;

/** A public IPv4 (leading zeros dropped) or IPv6 address; private, loopback and link-local ones are null. */
export function normalizeIp(raw: string): string | null {
  if (!raw) return null;
  const m = IPV4.exec(raw);
  if (m) {
    const o = m.slice(1, 5).map(Number);
    if (o.some((x) => x > 255)) return null;
    const [a, b] = o;
    if (a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127)) return null;
    return o.join('.');
  }
  const s = raw.trim().toLowerCase();
  if (/^[0-9a-f:]+$/.test(s) && s.includes(':') && !s.startsWith('fe80') && !s.startsWith('fc') && !s.startsWith('fd') && s !== '::1') return s;
  return null;
}

/** The column kinds identity values are read from. */
export type IdentityField = 'address' | 'phone' | 'email' | 'website' | 'bank_account' | 'ip';

/** The identity keys of one cell (persons are read with names.ts). */
export function identityKeys(field: IdentityField, raw: string): IdentityKey[] {
  if (!raw) return [];
  switch (field) {
    case 'address': {
      const a = normalizeAddress(raw);
      return a ? [{ kind: 'address', key: a.key, unit: a.parts.room }] : [];
    }
    case 'phone':
      return normalizePhones(raw).map((key) => ({ kind: 'phone', key }));
    case 'email': {
      const out: IdentityKey[] = [];
      for (const e of normalizeEmails(raw)) {
        out.push({ kind: 'email', key: e.email });
        if (!e.publicDomain) out.push({ kind: 'domain', key: e.domain });
      }
      return out;
    }
    case 'website': {
      const d = websiteDomain(raw);
      return d && !normalizeEmails(`x@${d}`)[0]?.publicDomain ? [{ kind: 'domain', key: d }] : [];
    }
    case 'bank_account':
      return normalizeBankAccounts(raw).map((key) => ({ kind: 'bank', key }));
    case 'ip': {
      const ip = normalizeIp(raw);
      return ip ? [{ kind: 'ip', key: ip }] : [];
    }
  }
}

/** A key as people read it: addresses as "12 le loi · ward 5 · district 3", other kinds unchanged. */
export function displayKey(kind: IdentityKind, key: string): string {
  if (kind !== 'address') return key;
  const [lane, number, street, place, ward, district] = key.split('|');
  const head = [lane ? `lane ${lane}` : '', [number, street].filter(Boolean).join(' '), place].filter(Boolean).join(', ');
  return [head, ward ? `ward ${ward}` : '', district ? `district ${district}` : ''].filter(Boolean).join(' · ');
}
