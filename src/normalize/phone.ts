/**
 * Vietnamese phone numbers as comparable keys: "+84 912 345 678", "84912345678", "0912.345.678",
 * "(024) 3826 1234" → "0912345678", "02438261234".
 *
 * Mobile numbers have 10 digits (0 + 9); landlines 11 (0 + 2-digit area code 2x + 8). Old forms are
 * rewritten to the current plan: the 11-digit mobile prefixes retired in 2018 (0162 → 032, 0123 →
 * 083 …) and Hà Nội's landline area code 04 (→ 024, 2017). A leading zero lost in a spreadsheet
 * (912345678) is restored. A cell may hold several numbers separated by `;`, `,`, `/` or " - ".
 */

/** 2018 mobile renumbering: old 4-digit prefix → new 3-digit prefix. */
const OLD_MOBILE: Record<string, string> = {
  '0162': '032', '0163': '033', '0164': '034', '0165': '035', '0166': '036', '0167': '037', '0168': '038', '0169': '039',
  '0120': '070', '0121': '079', '0122': '077', '0126': '076', '0128': '078',
  '0123': '083', '0124': '084', '0125': '085', '0127': '081', '0129': '082',
  '0186': '056', '0188': '058', '0199': '059',
};

/** One number: its digits in the current national format, or null when it is not a phone number. */
export function normalizePhone(raw: string): string | null {
  let d = raw.replace(/\b(?:ext|x|máy lẻ|may le)\.?\s*\d+\s*$/i, '').replace(/\D+/g, '');
  if (d.startsWith('0084')) d = '0' + d.slice(4);
  else if (d.startsWith('84') && (d.length === 11 || d.length === 12)) d = '0' + d.slice(2);
  else if (!d.startsWith('0') && (d.length === 9 || d.length === 10)) d = '0' + d;
  if (d.length === 11 && OLD_MOBILE[d.slice(0, 4)]) d = OLD_MOBILE[d.slice(0, 4)] + d.slice(4);
  if (d.length === 10 && d.startsWith('04')) d = '024' + d.slice(2);
  if (!d.startsWith('0')) return null;
  if (d.length === 10 && /^0[35789]/.test(d)) return d;
  if (d.length === 11 && d.startsWith('02')) return d;
  return null;
}

/** Every phone number in a cell, normalised and without repeats, in the order written. */
export function normalizePhones(raw: string): string[] {
  if (!raw) return [];
  const out: string[] = [];
  for (const part of raw.split(/[;,/|]|\s[-–]\s|\s{2,}/)) {
    const p = normalizePhone(part);
    if (p && !out.includes(p)) out.push(p);
  }
  return out;
}
