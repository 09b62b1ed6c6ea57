/**
 * Vietnamese addresses as comparable keys.
 *
 * The same office is written "Số 84, đường Nguyễn Thị Minh Khai, Phường 5, Quận 3, TP. Hồ Chí Minh",
 * "84 Nguyen Thi Minh Khai, P.5, Q.3, TP.HCM", "Số 84 Đ. Nguyễn Thị Minh Khai, phường 05, quận 3,
 * Sài Gòn". After folding (case, diacritics, punctuation) each part is classified by its marker —
 * Phường/P./F., Xã/X., Thị trấn/TT (ward); Quận/Q., Huyện/H., Thị xã/TX, Thành phố/TP. (district);
 * Tỉnh or anything after the district (province); Số (number); đường/Đ./phố (street); ngõ/ngách/
 * hẻm/kiệt (lane); Tầng, Phòng, Tòa nhà (floor, room, building) — and the key is built from the
 * parts that pin a place down: lane, number, street, hamlet or lot, ward and district.
 *
 * The province is left out of the key: it is written in too many ways (HN, TP.HCM, Sài Gòn, Thành
 * phố Hà Nội) and a number + street + ward + district is already specific. Floor, room and building
 * name are left out too: they are often omitted. An address that names a building, floor, room or
 * suite (Tòa nhà, Tầng, Lầu, Phòng; Building, Tower, Floor, Suite, Room) may be a business centre or a
 * virtual office hosting many unrelated firms, however few of them an export happens to hold:
 * `inBuilding` says so, and the identity links weigh such an address low unless the room matches.
 */
import { stripAccents } from './fold.js';

export interface AddressParts {
  number: string;
  street: string;
  lane: string;
  ward: string;
  district: string;
  /** hamlet, lot, industrial park: other parts that locate the place */
  place: string;
  building: string;
  floor: string;
  room: string;
}

export interface NormalAddress {
  /** the comparable key: "lane|number|street|place|ward|district" */
  key: string;
  parts: AddressParts;
}

/** Big cities written as a province after "TP." / "Thành phố". */
const CITY_PROVINCES = new Set(['ha noi', 'hn', 'hcm', 'ho chi minh', 'da nang', 'hai phong', 'can tho', 'sai gon', 'dn', 'hp', 'ct']);

/**
 * Multi-word markers folded into one token before splitting, each with the words one of which any match
 * contains: a replacement is skipped when none of them is in the string (it could not match).
 */
const PHRASES: [RegExp, string, string[]][] = [
  [/(?:\bthanh pho\s+|\bt\s*\.?\s*p\b\s*\.?\s*)?(?:\bho chi minh\b|\bhcmc?\b|\bsai gon\b)/g, ' , hcm , ', ['ho chi minh', 'hcm', 'sai gon']],
  [/\bthanh pho\b|\bt\s*\.\s*p\b\.?|\btp\b\.?/g, ' tp ', ['thanh pho', '.', 'tp']],
  [/\bthi xa\b|\btx\b\.?/g, ' tx ', ['thi xa', 'tx']],
  [/\bthi tran\b|\btt\b\.?/g, ' tt ', ['thi tran', 'tt']],
  [/\btoa nha\b|\btn\b\.?/g, ' toanha ', ['toa nha', 'tn']],
  [/\bkhu cong nghiep\b|\bkcn\b/g, ' kcn ', ['khu cong nghiep', 'kcn']],
  [/\bcum cong nghiep\b|\bccn\b/g, ' ccn ', ['cum cong nghiep', 'ccn']],
  [/\bkhu do thi\b|\bkdt\b/g, ' kdt ', ['khu do thi', 'kdt']],
  [/\bdai lo\b/g, ' duong ', ['dai lo']],
  [/\bso nha\b/g, ' so ', ['so nha']],
  [/\bkhu pho\b|\bkp\b\.?/g, ' kp ', ['khu pho', 'kp']],
  [/\bto dan pho\b|\btdp\b\.?/g, ' tdp ', ['to dan pho', 'tdp']],
  [/\bkhu dan cu\b|\bkdc\b\.?/g, ' kdc ', ['khu dan cu', 'kdc']],
  [/\bquoc lo\b|\bql\b\.?/g, ' ql ', ['quoc lo', 'ql']],
  [/\btinh lo\b|\btl\b\.?/g, ' tl ', ['tinh lo', 'tl']],
  [/\bviet nam\b|\bvietnam\b/g, ' ', ['viet']],
];

/** "p.12", "f12", "q3", "t5": a one-letter marker glued to a number. */
const GLUED = /\b(p|f|q|t|h|x|tang|phong|kp|tdp|to|ap|thon)\.?(\d+[a-z]?)\b/g;

type Marker = 'ward' | 'district' | 'tp' | 'province' | 'number' | 'street' | 'lane' | 'floor' | 'room' | 'building' | 'lot';

const MARKERS: Record<string, Marker> = {
  phuong: 'ward', p: 'ward', f: 'ward', xa: 'ward', x: 'ward', tt: 'ward',
  quan: 'district', q: 'district', huyen: 'district', h: 'district', tx: 'district',
  tp: 'tp',
  tinh: 'province',
  so: 'number', sn: 'number',
  duong: 'street', d: 'street', pho: 'street',
  ngo: 'lane', ngach: 'lane', hem: 'lane', kiet: 'lane', hxh: 'lane',
  tang: 'floor', t: 'floor', lau: 'floor', floor: 'floor', fl: 'floor',
  phong: 'room', ph: 'room', room: 'room', suite: 'room', ste: 'room',
  toanha: 'building', toa: 'building', building: 'building', bldg: 'building',
  lo: 'lot',
};

function stripZeros(s: string): string {
  return s.replace(/^0+(?=\d)/, '');
}

const IS_NUMBER = /^\d+[a-z]?(?:\/\d+[a-z]?)*$/;

/**
 * Fold an address to lower-case ASCII with the multi-word markers joined; commas kept as separators.
 * `skipImpossible` false runs every replacement (the same result, slower: for tests).
 */
export function foldAddress(raw: string, skipImpossible = true): string {
  let s = stripAccents(raw).toLowerCase();
  if (!skipImpossible || s.includes('/')) s = s.replace(/\s*\/\s*/g, '/');
  for (const [re, to, need] of PHRASES) if (!skipImpossible || need.some((w) => s.includes(w))) s = s.replace(re, to);
  s = s.replace(GLUED, ' $1 $2 ');
  s = s.replace(/[^a-z0-9/,;]+/g, ' ');
  if (!skipImpossible || s.includes(';')) s = s.replace(/[;]/g, ',');
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * Parse and key an address; null when it holds too little to locate a place (a province alone, a
 * district alone). Parts are separated by commas; a marker counts at the start of a part (so that
 * street names such as "Ngô Quyền" or "Xã Đàn" keep their words). An address written without commas
 * is first cut before its ward, district and province markers.
 */
export function normalizeAddress(raw: string): NormalAddress | null {
  if (!raw) return null;
  let s = foldAddress(raw);
  if (!/[,;]/.test(raw)) s = s.replace(/ (?=(?:phuong|p|quan|q|huyen|tx|tt|tp|tinh|hcm) )/g, ' , ');
  const parts: AddressParts = { number: '', street: '', lane: '', ward: '', district: '', place: '', building: '', floor: '', room: '' };
  const others: string[] = [];
  for (const seg of s.split(',')) {
    const toks = seg.trim().split(' ').filter(Boolean);
    if (toks.length === 0) continue;
    if (toks.length === 1 && MARKERS[toks[0]]) continue; // a marker left alone ("TP." before "HCM")
    const m = markerAt(toks, 0);
    const text = toks.slice(1).join(' ');
    if (m === undefined) {
      const whole = toks.join(' ');
      if (CITY_PROVINCES.has(whole) || parts.district) break; // the province
      if (toks.length >= 2 && BUILDING_SUFFIX.has(toks[toks.length - 1])) {
        parts.building ||= whole; // "Viettel Tower", "ABC Building"
        continue;
      }
      if (IS_NUMBER.test(toks[0])) numberAndStreet(toks, parts);
      else others.push(whole);
      continue;
    }
    if (m === 'province') break;
    if (m === 'district' || (m === 'tp' && !CITY_PROVINCES.has(text) && !parts.district)) {
      if (parts.district) break; // a second district-level part is the province ("TT Huế")
      parts.district = stripZeros(text);
      continue;
    }
    if (m === 'tp') break; // a city province
    if (parts.district) break; // anything after the district is the province
    switch (m) {
      case 'ward':
        // "P.1708": no ward has a three-digit number, so it is a room (Phòng) of a building
        if (toks[0] === 'p' && /^\d{3,}[a-z]?$/.test(text)) parts.room ||= stripZeros(text);
        else parts.ward ||= stripZeros(text);
        break;
      case 'number':
        numberAndStreet(toks.slice(1), parts);
        break;
      case 'street':
        parts.street ||= text;
        break;
      case 'lane':
        parts.lane ||= toks[1] ?? '';
        if (toks.length > 2) numberAndStreet(toks.slice(2), parts);
        break;
      case 'floor':
        parts.floor ||= stripZeros(text);
        break;
      case 'room':
        parts.room ||= stripZeros(text);
        break;
      case 'building':
        parts.building ||= text;
        break;
      case 'lot':
        others.push(`lo ${text}`);
        break;
    }
  }
  // an unmarked part after a number is the street ("Số 12, Lê Lợi"); the rest locate a hamlet or park
  if (!parts.street && others.length > 0 && (parts.number || parts.lane)) parts.street = others.shift()!;
  parts.place = others.join(' ');
  const located = (parts.number || parts.lane || parts.place) && (parts.street || parts.place) && (parts.ward || parts.district);
  if (!located) return null;
  const key = [parts.lane, parts.number, parts.street, parts.place, parts.ward, parts.district].join('|');
  return { key, parts };
}

/** A one-letter marker ("p", "q", "t", "d", "h", "x") is a marker only when something follows it. */
function isMarkerHere(toks: string[], i: number): boolean {
  const t = toks[i];
  if (t.length > 2) return true;
  const next = toks[i + 1];
  if (next === undefined) return false;
  // "t 5" is a floor, "t" before a word is not
  if (t === 't' || t === 'f') return /^\d/.test(next);
  if (t === 'ph') return /^\d/.test(next);
  return true;
}

/** Markers that are also street-name words ("Ngô Quyền", "Lò Đúc", "Kiệt") count only before a number. */
const NUMBERED = new Set(['ngo', 'ngach', 'hem', 'kiet', 'hxh', 'lo', 'so', 'sn', 'tang', 'lau', 'phong', 'floor', 'fl', 'room', 'suite', 'ste']);

/** The last word of a building's name written without "Tòa nhà" before it. */
const BUILDING_SUFFIX = new Set(['building', 'bldg', 'tower', 'towers']);

/**
 * The address names a building, a floor, a room or a suite: possibly a business centre or a virtual
 * office, where unrelated firms share the street address (the key) but not an office.
 */
export function inBuilding(a: NormalAddress): boolean {
  return !!(a.parts.building || a.parts.floor || a.parts.room);
}

function markerAt(toks: string[], i: number): Marker | undefined {
  const m = MARKERS[toks[i]];
  if (!m || !isMarkerHere(toks, i)) return undefined;
  if (NUMBERED.has(toks[i]) && !/\d/.test(toks[i + 1] ?? '')) return undefined;
  // "Tòa A2", "Tòa B", "Tòa tháp": a block of a building; "Tòa Thánh" is a street
  if (toks[i] === 'toa' && !/\d|^[a-z]$|^thap$/.test(toks[i + 1] ?? '')) return undefined;
  return m;
}

/** ["84", "d", "le", "loi"] → number 84, street "le loi"; "12/3a" stays one number. */
function numberAndStreet(toks: string[], parts: AddressParts): void {
  if (toks.length === 0) return;
  let i = 0;
  if (IS_NUMBER.test(toks[0])) {
    if (!parts.number) parts.number = toks[0].split('/').map(stripZeros).join('/');
    i = 1;
  }
  if (i < toks.length && MARKERS[toks[i]] === 'lane' && markerAt(toks, i)) {
    parts.lane ||= toks[i + 1];
    i += 2;
  }
  if (i < toks.length && MARKERS[toks[i]] === 'street') i++;
  if (i < toks.length && !parts.street) parts.street = toks.slice(i).join(' ');
}

/**
 * A looser key for fuzzy matching: the ward, district and number (the street may be misspelt or
 * abbreviated). Addresses sharing it are compared street by street.
 */
export function addressBlock(a: NormalAddress): string | null {
  const p = a.parts;
  if (!(p.number || p.lane) || !(p.ward && p.district)) return null;
  return [p.lane, p.number, p.ward, p.district].join('|');
}
