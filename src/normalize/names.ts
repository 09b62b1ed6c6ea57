/**
 * Names as comparable keys: people (representatives, owners) and companies.
 *
 * People: folded (case, diacritics), titles dropped (Ông, Bà, Mr, Giám đốc…), a given name written
 * first moved back, so that "Nguyễn Văn An", "NGUYEN VAN AN" and "An Nguyen Van" agree. Owners are `;`-separated, optionally
 * `name:share%`.
 *
 * Companies: folded, the legal form removed (Công ty TNHH, TNHH MTV, Một thành viên, Cổ phần, CTCP,
 * Cty, DNTN, Doanh nghiệp tư nhân, JSC, Co., Ltd …), "Chi nhánh … tại …" reduced to the parent's
 * name, and place suffixes (Hà Nội, Miền Bắc, Sài Gòn, Việt Nam, a province …) removed from the end;
 * what remains is the name's core: "Công ty TNHH Xây dựng An Phát Hà Nội" → "xay dung an phat".
 */
import { stripAccents } from './fold.js';

const TITLES = new Set(['ong', 'ba', 'anh', 'chi', 'mr', 'mrs', 'ms', 'miss', 'dr', 'ts', 'ths', 'ks', 'gs', 'pgs', 'cn', 'ls', 'bs']);
const ROLE = /\b(?:giam doc|tong giam doc|pho giam doc|chu tich hdqt|chu tich|chu doanh nghiep|nguoi dai dien|director|ceo)\b/g;

/** Vietnamese family names, folded: a name written given-name first ("An Nguyen Van") is turned back. */
const FAMILY = new Set([
  'nguyen', 'tran', 'le', 'pham', 'hoang', 'huynh', 'phan', 'vu', 'vo', 'dang', 'bui', 'do', 'ho', 'ngo', 'duong', 'ly',
  'trinh', 'dinh', 'mai', 'truong', 'lam', 'luong', 'ta', 'cao', 'ha', 'to', 'doan', 'trieu', 'thai', 'kieu', 'tang',
]);

/**
 * A person's name as a key ("nguyen van an"), or '' when nothing is left. Word order is kept (Nguyễn
 * Xuân Thành and Nguyễn Thanh Xuân are different people); a given name written first before a
 * family name ("An Nguyen Van") is moved back to the end.
 */
export function personKey(raw: string): string {
  if (!raw) return '';
  const s = stripAccents(raw).toLowerCase().replace(ROLE, ' ').replace(/[^a-z\s]+/g, ' ');
  const toks = s.split(/\s+/).filter(Boolean);
  // a title is a word in front of the name (Ông, Bà, Anh, Chị, Mr): Anh, Chi and Ba are also given names
  // ("Trần Thu Anh"), so they are dropped only there
  while (toks.length > 1 && TITLES.has(toks[0])) toks.shift();
  if (toks.length === 0 || (toks.length === 1 && TITLES.has(toks[0]))) return '';
  if (toks.length >= 2 && !FAMILY.has(toks[0]) && FAMILY.has(toks[1])) toks.push(toks.shift()!);
  return toks.join(' ');
}

export interface Owner {
  name: string;
  key: string;
  /** share in [0, 1], or null when not given */
  share: number | null;
}

/** "Nguyễn Văn An:60%; Trần Thị Bình:40%" → owners with shares; plain names get share null. */
export function parseOwners(raw: string): Owner[] {
  if (!raw) return [];
  const out: Owner[] = [];
  for (const part of raw.split(/[;|\n]+/)) {
    const m = /^(.*?)(?:[:(=-]\s*(\d+(?:[.,]\d+)?)\s*%?\s*\)?)?\s*$/.exec(part.trim());
    if (!m) continue;
    const name = m[1].trim();
    const key = personKey(name);
    if (!key) continue;
    const share = m[2] !== undefined ? Math.min(1, Number(m[2].replace(',', '.')) / 100) : null;
    out.push({ name, key, share: Number.isFinite(share) ? share : null });
  }
  return out;
}

/** Legal forms and generic company words, folded, longest first. */
const LEGAL_FORMS = [
  'cong ty trach nhiem huu han mot thanh vien', 'cong ty trach nhiem huu han hai thanh vien tro len',
  'cong ty trach nhiem huu han', 'trach nhiem huu han', 'cong ty co phan', 'doanh nghiep tu nhan',
  'hai thanh vien tro len', 'mot thanh vien', 'hop tac xa', 'cong ty hop danh', 'tong cong ty', 'tap doan',
  'joint stock company', 'company limited', 'limited liability company', 'co ltd', 'company', 'limited',
  'corporation', 'corp', 'jsc', 'ltd', 'llc', 'inc', 'co', 'cong ty', 'cty', 'tnhh', 'mtv', 'ctcp', 'cp', 'dntn', 'htx',
];
const LEGAL_RE = new RegExp(`\\b(?:${LEGAL_FORMS.map((f) => f.replace(/ /g, '\\s+')).join('|')})\\b`, 'g');

/** Trade abbreviations written out, so "TM DV" and "Thương mại Dịch vụ" agree. */
const ABBR: Record<string, string> = {
  tm: 'thuong mai', dv: 'dich vu', xd: 'xay dung', sx: 'san xuat', xnk: 'xuat nhap khau', dt: 'dau tu',
  ptcn: 'phat trien cong nghe', cn: 'cong nghe', kt: 'ky thuat', tbyt: 'thiet bi y te', vt: 'van tai',
};
const ABBR_RE = new RegExp(`\\b(?:${Object.keys(ABBR).join('|')})\\b`, 'g');

/** Place words that firms add to their names, folded; matched at the end of the name. */
const PLACES = [
  'viet nam', 'vietnam', 'vn', 'ha noi', 'hn', 'sai gon', 'sg', 'mien bac', 'mien trung', 'mien nam', 'thu do',
  'tay nguyen', 'dong duong', 'quoc te', 'international', 'hcm', 'tp hcm', 'ho chi minh', 'thanh pho ho chi minh',
  'hai phong', 'da nang', 'can tho', 'an giang', 'ba ria vung tau', 'vung tau', 'bac giang', 'bac kan', 'bac lieu',
  'bac ninh', 'ben tre', 'binh dinh', 'binh duong', 'binh phuoc', 'binh thuan', 'ca mau', 'cao bang', 'dak lak',
  'dak nong', 'dien bien', 'dong nai', 'dong thap', 'gia lai', 'ha giang', 'ha nam', 'ha tinh', 'hai duong',
  'hau giang', 'hoa binh', 'hung yen', 'khanh hoa', 'kien giang', 'kon tum', 'lai chau', 'lam dong', 'lang son',
  'lao cai', 'long an', 'nam dinh', 'nghe an', 'ninh binh', 'ninh thuan', 'phu tho', 'phu yen', 'quang binh',
  'quang nam', 'quang ngai', 'quang ninh', 'quang tri', 'soc trang', 'son la', 'tay ninh', 'thai binh',
  'thai nguyen', 'thanh hoa', 'thua thien hue', 'hue', 'tien giang', 'tra vinh', 'tuyen quang', 'vinh long',
  'vinh phuc', 'yen bai',
].sort((a, b) => b.length - a.length);
const PLACE_END = new RegExp(`(?:\\s+(?:tp|tinh|thanh pho)?\\s*(?:${PLACES.join('|')}))+$`);
/** one place word (with its tp / tỉnh / thành phố) at the end */
const ONE_PLACE_END = new RegExp(`\\s+(?:tp|tinh|thanh pho)?\\s*(?:${PLACES.join('|')})$`);

/**
 * The core of a company name: folded, without legal form and trailing place words. When removing the
 * place would leave nothing ("Công ty TNHH Hà Nội"), the place stays.
 */
export function companyCore(raw: string): string {
  if (!raw) return '';
  let s = stripAccents(raw).toLowerCase().replace(/["'“”‘’`]/g, '').replace(/&/g, ' va ');
  s = s.replace(/[^a-z0-9]+/g, ' ').trim();
  // "Chi nhánh [số 2 -] <parent> tại <place>" → the parent's name
  if (/^chi nhanh\b/.test(s)) s = s.replace(/^chi nhanh(?:\s+\d+)?\s+/, '').replace(/\s+tai\s+(?!.*\btai\b).*$/, '');
  s = s.replace(/\s+chi nhanh.*$/, '');
  s = s.replace(LEGAL_RE, ' ').replace(/\s+/g, ' ').trim();
  s = s.replace(ABBR_RE, (w) => ABBR[w]);
  if (!PLACE_END.test(s)) return s;
  // place words are dropped from the end one at a time while a distinctive word is left: folded, a brand
  // can read as a province ("Quang Trí" is Quảng Trị, "Hải Phong" Hải Phòng), and "Xây lắp Quang Trí Bình
  // Dương" is "xay lap quang tri", not "xay lap"
  let core = s;
  for (;;) {
    const shorter = core.replace(ONE_PLACE_END, '').trim();
    if (shorter === core || !shorter || !distinctivePart(shorter)) return core;
    core = shorter;
  }
}

/**
 * The words of `raw` that make up its folded `core`, as written: "Công ty TNHH Xây dựng Đức Hà Đông Dương"
 * with core "xay dung duc ha" → "Xây dựng Đức Hà". The core itself when its words are not found in a row
 * (an abbreviation written out, "TM" → "thuong mai").
 */
export function coreAsWritten(raw: string, core: string): string {
  const want = nameTokens(core);
  const words = raw.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const folded = words.map((w) => stripAccents(w).toLowerCase().replace(/[^a-z0-9]/g, ''));
  for (let i = 0; i + want.length <= folded.length; i++)
    if (want.length && want.every((t, j) => folded[i + j] === t)) return words.slice(i, i + want.length).join(' ');
  return core;
}

/** Trade and industry phrases, folded: a name core made only of these says nothing about who owns the firm. */
const GENERIC = [
  'xay dung', 'xay lap', 'thuong mai', 'dich vu', 'dau tu', 'phat trien', 'san xuat', 'ky thuat', 'cong nghe', 'trang thiet bi',
  'thiet bi', 'van tai', 'tu van', 'giai phap', 'kinh doanh', 'xuat nhap khau', 'tong hop', 'moi truong', 'vat lieu', 'y te',
  'duoc pham', 'duoc', 'tin hoc', 'vien thong', 'noi that', 'quang cao', 'du lich', 'bat dong san', 'nong nghiep',
  'thuc pham', 'hoa chat', 'giao duc', 'van phong pham', 'lap dat', 'co khi', 'ha tang', 'cong trinh', 'giao thong',
  'thuy loi', 'kien truc', 'do thi', 'dien lanh', 'dien tu', 'dien', 'nuoc', 'may', 'sach', 'truong hoc', 'in', 'va',
  'thiet ke', 'an ninh', 'bao ve', 've sinh', 'cay xanh', 'phan mem', 'vi tinh', 'may tinh', 'thong tin', 'nang luong',
].sort((a, b) => b.length - a.length);
const GENERIC_RE = new RegExp(`\\b(?:${GENERIC.join('|')})\\b`, 'g');

/** The part of a name core that is not a trade word: "xay dung an phat" → "an phat" ('' when none). */
export function distinctivePart(core: string): string {
  return core.replace(GENERIC_RE, ' ').replace(/\s+/g, ' ').trim();
}

/** The words of a company core, for blocking and token similarity. */
export function nameTokens(core: string): string[] {
  return core ? core.split(' ') : [];
}

/**
 * How common a person's name is, from the names of the input itself: family name (first word), middle
 * name(s) and given name (last word) are counted separately, and the chance that a random person has
 * this full name is estimated as f(family) × f(middle) × f(given). `expected(key)` is the number of
 * other people in the input expected to carry the name by chance: two firms sharing "Nguyễn Văn Hùng"
 * among thousands of people are probably namesakes; sharing a rare full name is not a coincidence.
 */
export class NameFrequencies {
  private readonly family = new Map<string, number>();
  private readonly middle = new Map<string, number>();
  private readonly given = new Map<string, number>();
  private n = 0;

  add(key: string, count = 1): void {
    const [f, m, g] = splitName(key);
    this.family.set(f, (this.family.get(f) ?? 0) + count);
    this.middle.set(m, (this.middle.get(m) ?? 0) + count);
    this.given.set(g, (this.given.get(g) ?? 0) + count);
    this.n += count;
  }

  /** people expected to carry this full name by chance, besides one holder */
  expected(key: string): number {
    if (this.n < 2) return 0;
    const [f, m, g] = splitName(key);
    const p = ((this.family.get(f) ?? 0) / this.n) * ((this.middle.get(m) ?? 0) / this.n) * ((this.given.get(g) ?? 0) / this.n);
    return (this.n - 1) * p;
  }
}

function splitName(key: string): [string, string, string] {
  const t = key.split(' ');
  if (t.length === 1) return ['', '', t[0]];
  return [t[0], t.slice(1, -1).join(' '), t[t.length - 1]];
}
