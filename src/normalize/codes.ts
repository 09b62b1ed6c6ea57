/**
 * Codebooks for coded values written in Vietnamese or English ("Đạt", "Không đạt", "Hàng hóa",
 * "Đấu thầu rộng rãi", "Hóa đơn đã bị hủy"…), matched accent- and case-insensitively, mapped to
 * canonical English values. A value the codebook does not know is kept exactly as written (trimmed)
 * and listed by `inspect`; it is never guessed.
 *
 * Matching tries the whole value first, then a few well-defined variants: text in parentheses or
 * brackets dropped, a leading list number dropped (`1. Đạt`), and per codebook fixed prefixes and
 * suffixes (`Hóa đơn …`, `NNT …`, `… qua mạng`, `… trong nước`).
 */
import { GrowableInt32 } from '../util/growable.js';
import { foldKey } from './fold.js';

export type CodebookName = 'bid_status' | 'category' | 'procedure' | 'invoice_status' | 'company_status' | 'vat_rate';

interface Book {
  /** canonical → folded spellings */
  words: Record<string, string[]>;
  /** folded prefixes and suffixes that may be dropped */
  prefixes?: string[];
  suffixes?: string[];
  /** folded prefix → canonical, for long official descriptions that start with a known phrase */
  startsWith?: [string, string][];
}

const BOOKS: Record<Exclude<CodebookName, 'vat_rate'>, Book> = {
  bid_status: {
    words: {
      valid: [
        'valid', 'dat', 'hop_le', 'pass', 'passed', 'qualified', 'responsive', 'substantially_responsive',
        'accepted', 'awarded', 'trung_thau', 'dat_ky_thuat', 'dat_yeu_cau', 'dat_yeu_cau_ky_thuat',
        'eligible', 'compliant',
      ],
      disqualified: [
        'disqualified', 'khong_dat', 'bi_loai', 'khong_hop_le', 'loai', 'rejected', 'fail', 'failed',
        'non_responsive', 'nonresponsive', 'not_responsive', 'excluded', 'khong_dat_ky_thuat',
        'khong_dat_yeu_cau', 'khong_dat_yeu_cau_ky_thuat', 'ineligible', 'non_compliant', 'invalid',
      ],
      withdrawn: ['withdrawn', 'withdrew', 'rut', 'rut_ho_so', 'rut_hsdt', 'rut_hsdx', 'rut_thau', 'da_rut', 'da_rut_ho_so'],
      late: ['late', 'nop_muon', 'qua_han', 'nop_tre', 'nop_qua_han', 'late_submission', 'submitted_late'],
    },
  },
  category: {
    words: {
      goods: ['goods', 'hang_hoa', 'mua_sam_hang_hoa', 'supplies', 'supply'],
      works: ['works', 'xay_lap', 'xay_dung', 'construction', 'civil_works', 'construction_works'],
      consulting: [
        'consulting', 'tu_van', 'dich_vu_tu_van', 'consultancy', 'consulting_services', 'consultancy_services',
        'consultant_services',
      ],
      'non-consulting': [
        'non_consulting', 'nonconsulting', 'phi_tu_van', 'dich_vu_phi_tu_van', 'non_consulting_services',
        'non_consultancy', 'non_consultancy_services',
      ],
      mixed: ['mixed', 'hon_hop'],
      // 'services' alone is deliberately absent: consulting or not cannot be told.
    },
    prefixes: ['linh_vuc_'],
  },
  procedure: {
    words: {
      open: [
        'open', 'dau_thau_rong_rai', 'rong_rai', 'open_tender', 'open_tendering', 'open_bidding', 'open_procedure',
        'open_competitive_bidding', 'open_competitive_tendering', 'international_competitive_bidding',
        'national_competitive_bidding', 'icb', 'ncb',
      ],
      restricted: [
        'restricted', 'dau_thau_han_che', 'han_che', 'limited', 'limited_bidding', 'limited_tender',
        'limited_tendering', 'limited_competitive_bidding', 'restricted_tender', 'restricted_tendering',
        'restricted_bidding', 'restricted_procedure', 'selective', 'selective_procedure',
      ],
      'competitive-shopping': [
        'competitive_shopping', 'chao_hang_canh_tranh', 'chao_hang_canh_tranh_rut_gon',
        'chao_hang_canh_tranh_thong_thuong', 'shopping', 'request_for_quotation', 'request_for_quotations', 'rfq',
      ],
      designated: [
        'designated', 'chi_dinh_thau', 'chi_dinh_thau_rut_gon', 'chi_dinh_thau_thong_thuong', 'designated_contracting',
        'direct_appointment', 'contractor_appointment', 'direct_contracting',
      ],
      direct: ['direct', 'mua_sam_truc_tiep', 'direct_purchase', 'direct_procurement', 'direct_purchasing'],
      'self-performed': ['self_performed', 'tu_thuc_hien', 'self_performance', 'self_implementation', 'force_account'],
      negotiated: ['negotiated', 'dam_phan_gia', 'price_negotiation', 'negotiated_price'],
      special: [
        'special', 'lua_chon_nha_thau_trong_truong_hop_dac_biet', 'truong_hop_dac_biet', 'special_case',
        'special_cases',
      ],
      community: [
        'community', 'tham_gia_thuc_hien_cua_cong_dong', 'cong_dong_tham_gia_thuc_hien', 'community_participation',
      ],
    },
    prefixes: ['hinh_thuc_'],
    suffixes: [
      '_khong_qua_mang', '_qua_mang', '_trong_nuoc', '_quoc_te', '_online', '_offline', '_domestic', '_international',
    ],
  },
  invoice_status: {
    words: {
      // numeric codes are the `tthai` values of the tax authority's e-invoice portal
      // NF-e (Brazil) latest-event wording is accepted too: "Autorização de Uso" is an issued invoice
      original: ['original', 'new', 'goc', 'moi', '1', 'autorizacao_de_uso', 'autorizada', 'issued'],
      replacement: ['replacement', 'thay_the', '2'],
      adjustment: ['adjustment', 'dieu_chinh', 'dieu_chinh_tang', 'dieu_chinh_giam', '3'],
      replaced: ['replaced', 'bi_thay_the', 'da_bi_thay_the', '4'],
      adjusted: ['adjusted', 'bi_dieu_chinh', 'da_bi_dieu_chinh', '5'],
      cancelled: [
        'cancelled', 'canceled', 'void', 'voided', 'huy', 'da_huy', 'bi_huy', 'da_bi_huy', 'huy_bo', 'xoa_bo',
        'da_xoa_bo', 'da_bi_xoa_bo', 'da_bi_huy_bo', 'da_bi_xoa_bo_huy_bo', '6', 'cancelamento', 'cancelada',
      ],
    },
    prefixes: ['hoa_don_'],
  },
  company_status: {
    words: {
      active: ['active', 'dang_hoat_dong', 'hoat_dong', 'operating', 'in_operation'],
      suspended: [
        'suspended', 'tam_ngung_kinh_doanh', 'tam_ngung_hoat_dong', 'tam_ngung', 'tam_nghi_kinh_doanh',
        'temporarily_suspended',
      ],
      closed: [
        'closed', 'da_giai_the', 'giai_the', 'ngung_hoat_dong', 'da_ngung_hoat_dong', 'da_dong_ma_so_thue',
        'pha_san', 'da_pha_san', 'dissolved', 'bankrupt', 'ceased',
      ],
      absconded: [
        'absconded', 'bo_dia_chi_kinh_doanh', 'bo_tron', 'khong_hoat_dong_tai_dia_chi_da_dang_ky',
        'khong_hoat_dong_tai_dia_chi_dang_ky',
      ],
    },
    prefixes: ['nnt_', 'doanh_nghiep_', 'cong_ty_'],
    // the tax authority's long status texts
    startsWith: [
      ['dang_hoat_dong_', 'active'],
      ['tam_ngung_', 'suspended'],
      ['tam_nghi_kinh_doanh', 'suspended'],
      ['ngung_hoat_dong_', 'closed'],
      ['khong_hoat_dong_tai_dia_chi', 'absconded'],
    ],
  },
};

const LOOKUP = new Map<Exclude<CodebookName, 'vat_rate'>, Map<string, string>>();
for (const [name, book] of Object.entries(BOOKS) as [Exclude<CodebookName, 'vat_rate'>, Book][]) {
  const m = new Map<string, string>();
  for (const [canonical, spellings] of Object.entries(book.words)) {
    m.set(foldKey(canonical), canonical);
    for (const s of spellings) m.set(s, canonical);
  }
  LOOKUP.set(name, m);
}

/**
 * Classes of canonical values that the detectors, the co-bidding graph and the price statistics all read
 * the same way (one copy, so that they never disagree on what a valid bid or a standing invoice is).
 * A blank or unknown value is in no class: a bid of unknown status counts as valid.
 */
/** Bid statuses of a bid that did not compete on price. */
export const INVALID_BID_STATUSES: ReadonlySet<string> = new Set(['disqualified', 'withdrawn', 'late']);
/** Invoice statuses of an invoice that no longer stands: cancelled, or superseded by its replacement. */
export const VOID_INVOICE_STATUSES: ReadonlySet<string> = new Set(['cancelled', 'replaced']);

const BRACKETED = /\([^)]*\)|\[[^\]]*\]/g;
const LIST_NUMBER = /^\d{1,2}_(?=[a-z])/;

/** The canonical value for `raw`, or null when the codebook does not know it (or it is blank). */
export function matchCode(book: CodebookName, raw: string): string | null {
  const s = raw.trim();
  if (s === '') return null;
  if (book === 'vat_rate') return matchVatRate(s);
  const words = LOOKUP.get(book)!;
  const def = BOOKS[book];
  let key = foldKey(s);
  let hit = words.get(key);
  if (hit !== undefined) return hit;
  if (s.indexOf('(') >= 0 || s.indexOf('[') >= 0) {
    key = foldKey(s.replace(BRACKETED, ' '));
    hit = words.get(key);
    if (hit !== undefined) return hit;
  }
  if (LIST_NUMBER.test(key)) {
    key = key.replace(LIST_NUMBER, '');
    hit = words.get(key);
    if (hit !== undefined) return hit;
  }
  for (let changed = true; changed && key !== ''; ) {
    changed = false;
    for (const p of def.prefixes ?? []) {
      if (key.startsWith(p) && key.length > p.length) {
        key = key.slice(p.length);
        changed = true;
      }
    }
    for (const x of def.suffixes ?? []) {
      if (key.endsWith(x) && key.length > x.length) {
        key = key.slice(0, -x.length);
        changed = true;
      }
    }
    if (changed) {
      hit = words.get(key);
      if (hit !== undefined) return hit;
    }
  }
  for (const [prefix, canonical] of def.startsWith ?? []) if (key.startsWith(prefix)) return canonical;
  return null;
}

const VAT_KCT = new Set(['kct', 'khong_chiu_thue', 'khong_chiu_thue_gtgt', 'not_taxable', 'non_taxable', 'exempt', 'vat_exempt']);
const VAT_KKKNT = new Set([
  'kkknt', 'khong_ke_khai_tinh_nop_thue', 'khong_ke_khai_nop_thue', 'khong_phai_ke_khai_tinh_nop_thue',
  'khong_phai_ke_khai_nop_thue',
]);
const VAT_NUMBER = /^(?:khac:)?(\d{0,3}(?:[.,]\d+)?)(%?)$/i;

/**
 * VAT rates as percent strings: '10%', '10', '0.1', '0,1' → '10'; '5,0%' → '5'; 'KCT' / 'Không chịu thuế'
 * → 'KCT'; 'KKKNT'. A bare number below 1 is read as a fraction ('0.08' → '8'); 1 and above as percent.
 */
function matchVatRate(s: string): string | null {
  const key = foldKey(s);
  if (VAT_KCT.has(key)) return 'KCT';
  if (VAT_KKKNT.has(key)) return 'KKKNT';
  const m = VAT_NUMBER.exec(s.replace(/\s+/g, ''));
  if (!m || !/\d/.test(m[1])) return null;
  let v = Number(m[1].replace(',', '.'));
  if (!m[2] && v > 0 && v < 1) v *= 100;
  v = Math.round(v * 10000) / 10000;
  if (!(v >= 0 && v <= 100)) return null;
  return String(v);
}

export interface CodeResult {
  /** -1 blank, else an index into dict */
  codes: Int32Array;
  /** canonical values, or unknown values exactly as written (trimmed) */
  dict: string[];
  /** distinct unknown values with counts, most frequent first, at most 50 */
  unknown: { value: string; count: number }[];
}

const CACHE_LIMIT = 4096;
const MAX_UNKNOWN = 50;

export class CodeColumn {
  private readonly codes = new GrowableInt32(4096);
  private readonly dict: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly known: boolean[] = [];
  private readonly counts: number[] = [];
  /** raw cell → dict index (-1 blank) */
  private readonly cache = new Map<string, number>();

  constructor(private readonly book: CodebookName) {}

  push(raw: string, _line?: number): void {
    let code = this.cache.get(raw);
    if (code === undefined) {
      code = this.lookup(raw);
      if (this.cache.size < CACHE_LIMIT) this.cache.set(raw, code);
    }
    if (code >= 0) this.counts[code]++;
    this.codes.push(code);
  }

  private lookup(raw: string): number {
    const s = raw.trim();
    if (s === '') return -1;
    const canonical = matchCode(this.book, s);
    const value = canonical ?? s;
    let id = this.index.get(value);
    if (id === undefined) {
      id = this.dict.length;
      this.dict.push(value);
      this.index.set(value, id);
      this.known.push(canonical !== null);
      this.counts.push(0);
    }
    return id;
  }

  finish(): CodeResult {
    const unknown: { value: string; count: number }[] = [];
    for (let i = 0; i < this.dict.length; i++) {
      if (!this.known[i] && this.counts[i] > 0) unknown.push({ value: this.dict[i], count: this.counts[i] });
    }
    unknown.sort((a, b) => b.count - a.count);
    return { codes: this.codes.finish(), dict: this.dict, unknown: unknown.slice(0, MAX_UNKNOWN) };
  }
}
