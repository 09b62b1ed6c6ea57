/**
 * Case- and accent-insensitive keys for matching headers and coded values written in English or
 * Vietnamese: "Mã gói thầu" → "ma_goi_thau", "Đạt" → "dat", "Body_Name " → "body_name".
 */
const MARKS = /[\u0300-\u036f]/g;
const NON_ALNUM = /[^a-z0-9]+/g;

export function stripAccents(s: string): string {
  // fast path: every code unit has a known result of at most one character; else the full normalisation
  const n = s.length;
  if (n > 4096) return slowStripAccents(s);
  let ascii = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    ascii = false;
    if (c >= FOLD_END || FOLDED[c] === SLOW) return slowStripAccents(s);
  }
  if (ascii) return s;
  if (n > buffer.length) buffer = new Uint16Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const f = FOLDED[s.charCodeAt(i)];
    if (f !== REMOVED) buffer[k++] = f;
  }
  return String.fromCharCode.apply(null, buffer.subarray(0, k) as unknown as number[]);
}

function slowStripAccents(s: string): string {
  return s.normalize('NFD').replace(MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

/**
 * What stripAccents makes of each code unit below FOLD_END on its own: the one character left (a letter
 * without its marks), REMOVED (a combining mark), or SLOW (the string takes the full path). NFD only
 * decomposes each character and reorders runs of combining marks: when the marks of every decomposition
 * are in U+0300–U+036F (all removed) and the rest is one character that is not a mark (below U+0300, or
 * general punctuation without a decomposition), the string's result is the concatenation of the units'.
 */
const FOLD_END = 0x2070;
const SLOW = -1;
const REMOVED = -2;
const FOLDED = new Int32Array(FOLD_END);
for (let c = 0; c < FOLD_END; c++) {
  const one = String.fromCharCode(c);
  const d = one.normalize('NFD');
  if (c >= 0x2000) {
    FOLDED[c] = d === one ? c : SLOW;
    continue;
  }
  let ok = true;
  let base = -1;
  for (let j = 0; j < d.length && ok; j++) {
    const x = d.charCodeAt(j);
    if (x >= 0x300 && x <= 0x36f) continue;
    if (x >= 0x300 || base >= 0) ok = false;
    else base = x;
  }
  if (base === 0x111) base = 0x64; // đ
  if (base === 0x110) base = 0x44; // Đ
  FOLDED[c] = !ok ? SLOW : base < 0 ? REMOVED : base;
}
let buffer = new Uint16Array(256);

/** Lower-case, accents removed, runs of anything but letters and digits turned into one `_`. */
export function foldKey(s: string): string {
  return stripAccents(s).toLowerCase().replace(NON_ALNUM, '_').replace(/^_+|_+$/g, '');
}

/** Lower-case, accents removed, whitespace collapsed: for comparing free text such as names. */
export function foldText(s: string): string {
  return stripAccents(s).toLowerCase().replace(/\s+/g, ' ').trim();
}
