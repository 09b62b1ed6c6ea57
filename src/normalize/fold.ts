/**
 * Case- and accent-insensitive keys for matching headers and coded values written in English or
 * Vietnamese: "Mã gói thầu" → "ma_goi_thau", "Đạt" → "dat", "Body_Name " → "body_name".
 */
const MARKS = /[\u0300-\u036f]/g;
const NON_ALNUM = /[^a-z0-9]+/g;

export function stripAccents(s: string): string {
  return s.normalize('NFD').replace(MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/** Lower-case, accents removed, runs of anything but letters and digits turned into one `_`. */
export function foldKey(s: string): string {
  return stripAccents(s).toLowerCase().replace(NON_ALNUM, '_').replace(/^_+|_+$/g, '');
}

/** Lower-case, accents removed, whitespace collapsed: for comparing free text such as names. */
export function foldText(s: string): string {
  return stripAccents(s).toLowerCase().replace(/\s+/g, ' ').trim();
}
