/**
 * The invoice view shared by the invoice detectors, built once per Dataset (src/graph/dataset-cache.ts):
 * - line items (rows sharing an invoice key) folded into one invoice: amounts summed, the first row kept
 *   for dates, parties and evidence. The key is seller + template + series + number; invoice_id, when
 *   given, only names the invoice (DATA.md). A key seen again after its lines restarted (line_no not increasing) or, without
 *   line_no, on another date or buyer or as an identical row, starts a new *copy*: the same number issued
 *   twice;
 * - the invoices of each seller in date order (counting sort by seller, then by date within a seller), as
 *   CSR offsets over party ids;
 * - standing orders (rent, subscriptions): invoices that recur at regular intervals, cached per gap.
 * Everything is typed arrays over dense ids, so 5 M invoices cost a few hundred MB, not per-row objects.
 * How findings name invoices is src/detectors/invoice-facts.ts.
 */
import type { Dataset } from '../model/dataset.js';
import type { Codes, Table } from '../model/table.js';
import { DAY_MS } from '../util/dates.js';
import { cached } from './dataset-cache.js';

export interface InvoiceIndex {
  /** number of invoices (after folding line items) */
  n: number;
  /** row of the invoices table → invoice */
  rowInvoice: Int32Array;
  /** invoice → its first row, and how many rows (lines) it has */
  firstRow: Int32Array;
  nRows: Int32Array;
  seller: Int32Array;
  /** -1 when blank */
  buyer: Int32Array;
  /** issue date, epoch ms (NaN when blank) */
  date: Float64Array;
  /** net amount summed over lines (total_amount when amount is blank) */
  amount: Float64Array;
  /** VAT summed over lines; NaN when no line has one */
  vat: Float64Array;
  /** the invoice key (copies share it) and the copy number (0 = first seen) */
  key: Int32Array;
  copy: Int32Array;
  /** invoices by seller in (date, file order): bySeller[sellerStart[p] .. sellerStart[p + 1]) */
  bySeller: Int32Array;
  sellerStart: Int32Array;
  /** sellers (party ids) with at least one invoice, ascending */
  sellers: Int32Array;
  /** the key's template, series and number as reconciled (by row of the invoices table) */
  parts: KeyParts;
}

export function invoiceIndex(data: Dataset): InvoiceIndex {
  return cached('invoice-index', data, () => build(data));
}

/**
 * Dense ids for the 4-int tuples of the rows of four columns (a blank column reads -1), numbered in order of
 * first appearance. Open addressing with one slot of 2 Int32s: id + 1 (0 = empty) and the tuple's 32-bit
 * hash; the tuple itself is read back from the columns at the id's first row, only when the hashes agree.
 * 5 M rows take 2^23 slots (64 MB) plus the first rows (20 MB), freed once the keys are assigned.
 */
export class TupleIds {
  private readonly cap: number;
  private readonly slots: Int32Array;
  private readonly first: Int32Array;
  size = 0;
  constructor(
    private readonly cols: readonly (Codes | undefined)[],
    rows: number,
  ) {
    // load factor at most 0.7
    this.cap = 1 << Math.max(4, Math.ceil(Math.log2(rows / 0.7 + 1)));
    this.slots = new Int32Array(this.cap * 2);
    this.first = new Int32Array(rows);
  }
  private at(k: number, r: number): number {
    const c = this.cols[k];
    return c ? c[r] : -1;
  }
  /** The id of row r's tuple. */
  id(r: number): number {
    const a = this.at(0, r);
    const b = this.at(1, r);
    const c = this.at(2, r);
    const d = this.at(3, r);
    let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x632be5ab, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 15) ^ c, 0x27d4eb2f) ^ Math.imul(d + 0x165667b1, 0x9e3779b1);
    h ^= h >>> 13;
    const mask = this.cap - 1;
    const t = this.slots;
    let s = h & mask;
    for (;;) {
      const o = s * 2;
      const id = t[o] - 1;
      if (id < 0) {
        t[o] = this.size + 1;
        t[o + 1] = h;
        this.first[this.size] = r;
        return this.size++;
      }
      if (t[o + 1] === h) {
        const f = this.first[id];
        if (this.at(0, f) === a && this.at(1, f) === b && this.at(2, f) === c && this.at(3, f) === d) return id;
      }
      s = (s + 1) & mask;
    }
  }
}

// ---- the parts of the invoice key, spelled one way ----

/** A series written with its template digit in front (`1C24TAA`): the digit, then KHHDon (C/K, year, type, 2 chars). */
const SERIES_WITH_TEMPLATE = /^([1-9])([CK]\d{2}[A-Z][A-Z0-9]{2})$/i;

/**
 * The invoice key's template, series and number, reconciled across the spellings DATA.md allows, decided
 * once per dictionary entry (no per-row string work): a series written with its template digit in front
 * (`1C24TAA`) is template `1` + series `C24TAA` when the template column is blank or says the same; a
 * template of digits only is its integer (`01` = `1`); an invoice number of digits only is compared as a
 * number (`00000002` = `2`). Other values are kept as written (trimmed). Ids are dense: templates and
 * series in `templates` / `series`, numbers up to `nNumbers`; -1 = blank.
 */

/** An id per distinct non-blank string, in first-seen order, the strings kept in `list`; -1 for blank. */
function idsInto(list: string[]): (s: string) => number {
  const ids = new Map<string, number>();
  return (s) => {
    if (!s) return -1;
    let id = ids.get(s);
    if (id === undefined) {
      ids.set(s, (id = list.length));
      list.push(s);
    }
    return id;
  };
}

export class KeyParts {
  readonly templates: string[] = [];
  readonly series: string[] = [];
  nNumbers = 0;
  /** per dictionary code: the template; the digit written in front of the series, its rest, the series as written; the number */
  private readonly tplOf: Int32Array;
  private readonly serDigit: Int32Array;
  private readonly serRest: Int32Array;
  private readonly serWhole: Int32Array;
  private readonly numOf: Int32Array;
  private readonly tpl?: Codes;
  private readonly ser?: Codes;
  private readonly num?: Codes;
  /** whether a spelling was reconciled: else the codes themselves are the key */
  readonly seriesMerged: boolean;
  readonly numbersMerged: boolean;

  constructor(t: Table) {
    const tpl = t.str('template');
    const ser = t.str('series');
    const num = t.str('number');
    this.tpl = tpl?.codes;
    this.ser = ser?.codes;
    this.num = num?.codes;
    const tplId = idsInto(this.templates);
    const serId = idsInto(this.series);
    const tDict = tpl?.dict ?? [];
    this.tplOf = Int32Array.from(tDict, (s) => {
      const v = s.trim();
      return tplId(/^\d+$/.test(v) ? String(Number(v)) : v);
    });
    const sDict = ser?.dict ?? [];
    this.serDigit = new Int32Array(sDict.length).fill(-1);
    this.serRest = new Int32Array(sDict.length);
    this.serWhole = new Int32Array(sDict.length);
    let split = false;
    sDict.forEach((s, i) => {
      const v = s.trim();
      this.serWhole[i] = serId(v);
      const m = SERIES_WITH_TEMPLATE.exec(v);
      if (m) {
        this.serDigit[i] = tplId(m[1]);
        this.serRest[i] = serId(m[2]);
        split = true;
      } else this.serRest[i] = this.serWhole[i];
    });
    const numIds = new Map<string, number>();
    const nDict = num?.dict ?? [];
    this.numOf = Int32Array.from(nDict, (s) => {
      let v = s.trim();
      if (/^\d+$/.test(v)) v = v.replace(/^0+(?=\d)/, '');
      let id = numIds.get(v);
      if (id === undefined) numIds.set(v, (id = numIds.size));
      return id;
    });
    this.nNumbers = numIds.size;
    this.seriesMerged = split || this.templates.length < tDict.length || this.series.length < sDict.length;
    this.numbersMerged = numIds.size < nDict.length;
  }

  /** The template of row r (-1 blank): the template column, else the digit written in front of the series. */
  template(r: number): number {
    const tc = this.tpl ? this.tpl[r] : -1;
    const t = tc >= 0 ? this.tplOf[tc] : -1;
    const sc = this.ser ? this.ser[r] : -1;
    if (sc < 0) return t;
    const d = this.serDigit[sc];
    return d >= 0 && t < 0 ? d : t;
  }

  /** The series of row r (-1 blank), without a template digit written in front when it agrees with the template. */
  seriesOf(r: number): number {
    const sc = this.ser ? this.ser[r] : -1;
    if (sc < 0) return -1;
    const d = this.serDigit[sc];
    if (d < 0) return this.serWhole[sc];
    const tc = this.tpl ? this.tpl[r] : -1;
    const t = tc >= 0 ? this.tplOf[tc] : -1;
    return t < 0 || t === d ? this.serRest[sc] : this.serWhole[sc];
  }

  /** The number of row r (-1 blank), digits-only numbers without their leading zeros. */
  number(r: number): number {
    const c = this.num ? this.num[r] : -1;
    return c < 0 ? -1 : this.numOf[c];
  }

  /** The number id of a number code. */
  numberOfCode(c: number): number {
    return c < 0 ? -1 : this.numOf[c];
  }

  /** One id for a (template, series) pair, ≥ 0. */
  seriesKey(r: number): number {
    return (this.template(r) + 1) * (this.series.length + 1) + this.seriesOf(r) + 1;
  }

  /** The template and the series of row r as reconciled ('' when blank). */
  templateName(r: number): string {
    const t = this.template(r);
    return t < 0 ? '' : this.templates[t];
  }
  seriesName(r: number): string {
    const s = this.seriesOf(r);
    return s < 0 ? '' : this.series[s];
  }

  /** "template 1, series C24TAA" for the pair of row r, as the e-invoice names it ('' when both are blank). */
  seriesText(r: number): string {
    const t = this.template(r);
    const s = this.seriesOf(r);
    const parts: string[] = [];
    if (t >= 0) parts.push(`template ${this.templates[t]}`);
    if (s >= 0) parts.push(`series ${this.series[s]}`);
    return parts.join(', ');
  }
}

/** An array of `rows` small non-negative ids (−1 blank) as narrow as `size` allows. */
function idArray(rows: number, size: number): Codes {
  return size < 127 ? new Int8Array(rows) : size < 32767 ? new Int16Array(rows) : new Int32Array(rows);
}

/** The key id of each row (the hash is let go on return). */
function keyRows(cols: (Codes | undefined)[], rows: number): { rowKey: Int32Array; nKeys: number } {
  const rowKey = new Int32Array(rows);
  const ids = new TupleIds(cols, rows);
  for (let r = 0; r < rows; r++) rowKey[r] = ids.id(r);
  return { rowKey, nKeys: ids.size };
}

function build(data: Dataset): InvoiceIndex {
  const t = data.invoices!;
  const rows = t.n;
  const sellerCol = t.party('seller_id')!;
  const buyerCol = t.party('buyer_id');
  const dateCol = t.num('issue_date')!;
  const amountCol = t.num('amount');
  const totalCol = t.num('total_amount');
  const vatCol = t.num('vat_amount');
  const lineCol = t.hasValues('line_no') ? t.num('line_no') : undefined;
  const template = t.str('template');
  const series = t.str('series');
  const number = t.str('number');
  const desc = t.str('description');

  // the key of each row: seller + template + series + number (invoice_id only names the invoice, so two
  // ids carrying one number are still the same number issued twice), each part spelled one way (KeyParts:
  // decided per dictionary entry; rows are only mapped, when some spelling was reconciled)
  const kp = new KeyParts(t);
  let tplKey: Codes | undefined = template?.codes;
  let serKey: Codes | undefined = series?.codes;
  let numKey: Codes | undefined = number?.codes;
  if (kp.seriesMerged) {
    tplKey = idArray(rows, kp.templates.length);
    serKey = idArray(rows, kp.series.length);
    for (let r = 0; r < rows; r++) {
      tplKey[r] = kp.template(r);
      serKey[r] = kp.seriesOf(r);
    }
  }
  if (kp.numbersMerged) {
    numKey = idArray(rows, kp.nNumbers);
    for (let r = 0; r < rows; r++) numKey[r] = kp.number(r);
  }
  const { rowKey, nKeys } = keyRows([sellerCol, tplKey, serKey, numKey], rows);
  tplKey = serKey = numKey = undefined;

  // fold lines into invoices, in file order
  const cur = new Int32Array(nKeys).fill(-1);
  const lastLine = new Float64Array(lineCol ? nKeys : 0);
  const copies = new Int32Array(nKeys);
  const rowInvoice = new Int32Array(rows);
  const firstRow = new Int32Array(rows);
  const nRowsA = new Int32Array(rows);
  const amount = new Float64Array(rows);
  const vat = new Float64Array(rows).fill(NaN);
  const copy = new Int32Array(rows);
  const key = new Int32Array(rows);
  let n = 0;
  const valueOf = (r: number) => {
    const a = amountCol ? amountCol[r] : NaN;
    return Number.isNaN(a) && totalCol ? totalCol[r] : a;
  };
  for (let r = 0; r < rows; r++) {
    const k = rowKey[r];
    let inv = cur[k];
    if (inv >= 0) {
      const f = firstRow[inv];
      let same: boolean;
      if (lineCol) {
        const ln = lineCol[r];
        same = !Number.isNaN(ln) && ln > lastLine[k];
      } else {
        const sameDoc = dateCol[r] === dateCol[f] && (buyerCol ? buyerCol[r] === buyerCol[f] : true);
        const identical = valueOf(r) === valueOf(f) && (desc ? desc.codes[r] === desc.codes[f] : true);
        same = sameDoc && !identical;
      }
      if (!same) inv = -1;
    }
    if (inv < 0) {
      inv = n++;
      cur[k] = inv;
      firstRow[inv] = r;
      copy[inv] = copies[k]++;
      key[inv] = k;
      amount[inv] = 0;
    }
    if (lineCol) lastLine[k] = Number.isNaN(lineCol[r]) ? Infinity : lineCol[r];
    rowInvoice[r] = inv;
    nRowsA[inv]++;
    const a = valueOf(r);
    if (!Number.isNaN(a)) amount[inv] += a;
    if (vatCol && !Number.isNaN(vatCol[r])) vat[inv] = (Number.isNaN(vat[inv]) ? 0 : vat[inv]) + vatCol[r];
  }
  // invoices whose every line lacks an amount stay NaN
  const hasAmount = new Uint8Array(n);
  for (let r = 0; r < rows; r++) if (!Number.isNaN(valueOf(r))) hasAmount[rowInvoice[r]] = 1;
  for (let i = 0; i < n; i++) if (!hasAmount[i]) amount[i] = NaN;

  const seller = new Int32Array(n);
  const buyer = new Int32Array(n);
  const date = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = firstRow[i];
    seller[i] = sellerCol[r];
    buyer[i] = buyerCol ? buyerCol[r] : -1;
    date[i] = dateCol[r];
  }

  // CSR by seller, then date order within each seller
  const P = data.parties.size;
  const sellerStart = new Int32Array(P + 1);
  for (let i = 0; i < n; i++) if (seller[i] >= 0) sellerStart[seller[i] + 1]++;
  for (let p = 0; p < P; p++) sellerStart[p + 1] += sellerStart[p];
  const fill = sellerStart.slice(0, P);
  const bySeller = new Int32Array(sellerStart[P]);
  for (let i = 0; i < n; i++) if (seller[i] >= 0) bySeller[fill[seller[i]]++] = i;
  const sellersList: number[] = [];
  const byDate = (a: number, b: number) => {
    const da = date[a];
    const db = date[b];
    if (da !== db) {
      if (Number.isNaN(da)) return 1;
      if (Number.isNaN(db)) return -1;
      return da - db;
    }
    return a - b;
  };
  for (let p = 0; p < P; p++) {
    const s = sellerStart[p];
    const e = sellerStart[p + 1];
    if (e > s) sellersList.push(p);
    if (e - s > 1) {
      // exports are usually in date order already: sort only when they are not
      let sorted = true;
      for (let k = s + 1; k < e && sorted; k++) if (byDate(bySeller[k - 1], bySeller[k]) > 0) sorted = false;
      if (!sorted) bySeller.subarray(s, e).sort(byDate);
    }
  }

  return {
    n,
    rowInvoice,
    // views, not copies: with one row per invoice n = rows, and a copy would double the peak
    firstRow: firstRow.subarray(0, n),
    nRows: nRowsA.subarray(0, n),
    seller,
    buyer,
    date,
    amount: amount.subarray(0, n),
    vat: vat.subarray(0, n),
    key: key.subarray(0, n),
    copy: copy.subarray(0, n),
    bySeller,
    sellerStart,
    sellers: Int32Array.from(sellersList),
    parts: kp,
  };
}

/** The invoice's id as DATA.md defines it: invoice_id, else `seller_id/template+series/number`. */
export function invoiceId(data: Dataset, ix: InvoiceIndex, inv: number): string {
  const t = data.invoices!;
  const r = ix.firstRow[inv];
  const id = t.text('invoice_id', r);
  if (id) return id;
  return `${ix.seller[inv] >= 0 ? data.parties.id(ix.seller[inv]) : ''}/${t.text('template', r)}${t.text('series', r)}/${t.text('number', r)}`;
}

/**
 * The integer of the longest run of digits in an invoice number, the first when tied ("0000123" → 123,
 * "AB-0042" → 42, "47981658_1" → 47981658); NaN without digits.
 */
export function numberValue(s: string): number {
  let best = '';
  for (const m of s.match(/\d+/g) ?? []) if (m.length > best.length) best = m;
  if (!best) return NaN;
  const v = Number(best);
  return Number.isSafeInteger(v) ? v : NaN;
}

const byValue = (x: number, y: number) => (x === y ? 0 : Number.isNaN(x) ? 1 : Number.isNaN(y) ? -1 : x - y);

/**
 * A comparator of invoices by what they are, not where they are in the export: date, amount, the
 * number's value, then the invoice's id (the last two read only on a tie), then the row. Two exports of
 * the same invoices in another row order then pair and list them alike, so finding ids do not move.
 */
export function stableOrder(data: Dataset, ix: InvoiceIndex): (a: number, b: number) => number {
  const t = data.invoices!;
  const num = t.str('number');
  const nv = (inv: number) => {
    const c = num ? num.codes[ix.firstRow[inv]] : -1;
    return c < 0 ? NaN : numberValue(num!.dict[c]);
  };
  return (a, b) => {
    const d = byValue(ix.date[a], ix.date[b]) || byValue(ix.amount[a], ix.amount[b]);
    if (d || a === b) return d;
    const n = byValue(nv(a), nv(b));
    if (n) return n;
    const ia = invoiceId(data, ix, a);
    const ib = invoiceId(data, ix, b);
    return ia < ib ? -1 : ia > ib ? 1 : a - b;
  };
}

// ---- standing orders: the same amount and kind of item to the same buyer, at least a month apart ----

/**
 * Invoices that belong to a standing order: rent, subscriptions, retainers. Within one seller, invoices
 * with the same buyer, the same amount and the same description once digits are blanked ("rent for
 * 07/2025" ~ "rent for 08/2025") form a series; a series of two or more whose every gap is at least
 * `minGap` days (between distinct dates) is a standing order, also when several dates carry more than one
 * invoice (two identical subscriptions billed together month after month). An extra copy on one or two
 * dates breaks the pattern, so duplicates of a standing order are not hidden by it. Cached per dataset
 * and gap.
 */
export function standingOrders(data: Dataset, minGap = 25): Uint8Array {
  const byGap = cached('standing-orders', data, () => new Map<number, Uint8Array>());
  let out = byGap.get(minGap);
  if (out) return out;
  const ix = invoiceIndex(data);
  const t = data.invoices!;
  const desc = t.str('description');
  const templateOf = new Int32Array(desc?.dict.length ?? 0);
  if (desc) {
    const ids = new Map<string, number>();
    desc.dict.forEach((s, i) => {
      const k = s.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ').trim();
      let id = ids.get(k);
      if (id === undefined) ids.set(k, (id = ids.size));
      templateOf[i] = id;
    });
  }
  // the kind of item of each invoice, in invoice order (first rows ascending: sequential reads)
  const tid = new Int32Array(ix.n).fill(-1);
  if (desc)
    for (let inv = 0; inv < ix.n; inv++) {
      const c = desc.codes[ix.firstRow[inv]];
      if (c >= 0) tid[inv] = templateOf[c];
    }
  out = new Uint8Array(ix.n);
  const gap = minGap * DAY_MS;
  // scratch arrays for the largest seller, reused by each
  let most = 0;
  for (const q of ix.sellers) most = Math.max(most, ix.sellerStart[q + 1] - ix.sellerStart[q]);
  const B = new Int32Array(most);
  const A = new Float64Array(most);
  const T = new Int32Array(most);
  const slot = new Int32Array(most < 2 ? 0 : 1 << Math.ceil(Math.log2(2 * most)));
  const groupOf = new Int32Array(most);
  const gStart = new Int32Array(most + 1);
  const fill = new Int32Array(most);
  const pos = new Int32Array(most);
  for (const q of ix.sellers) {
    const s0 = ix.sellerStart[q];
    const s1 = ix.sellerStart[q + 1];
    if (s1 - s0 < 2) continue;
    // group the slice by (buyer, amount, kind of item): a hash numbers the groups in order of first
    // appearance, then a counting sort lists each group's invoices in date order
    const len = s1 - s0;
    for (let j = 0; j < len; j++) {
      const v = ix.bySeller[s0 + j];
      B[j] = ix.buyer[v];
      A[j] = Number.isNaN(ix.amount[v]) ? -Infinity : ix.amount[v];
      T[j] = tid[v];
    }
    const cap = 1 << Math.ceil(Math.log2(2 * len));
    slot.fill(-1, 0, cap); // → a member of the group (its first), -1 empty
    let nGroups = 0;
    for (let j = 0; j < len; j++) {
      let h = Math.imul(B[j] ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(T[j] + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(A[j] | 0, 0x27d4eb2f);
      h ^= h >>> 15;
      let x = h & (cap - 1);
      for (;;) {
        const f = slot[x];
        if (f < 0) {
          slot[x] = j;
          groupOf[j] = nGroups++;
          break;
        }
        if (B[f] === B[j] && A[f] === A[j] && T[f] === T[j]) {
          groupOf[j] = groupOf[f];
          break;
        }
        x = (x + 1) & (cap - 1);
      }
    }
    if (nGroups === len) continue; // every invoice alone in its group
    gStart.fill(0, 0, nGroups + 1);
    for (let j = 0; j < len; j++) gStart[groupOf[j] + 1]++;
    for (let g = 0; g < nGroups; g++) gStart[g + 1] += gStart[g];
    fill.set(gStart.subarray(0, nGroups));
    for (let j = 0; j < len; j++) pos[fill[groupOf[j]]++] = j;
    for (let g = 0; g < nGroups; g++) {
      const i = gStart[g];
      const e = gStart[g + 1];
      const a = pos[i];
      if (e - i >= 2 && A[a] !== -Infinity) {
        // regular: the distinct dates are at least `gap` apart, and dates carrying more than one invoice
        // are either absent or recur (two identical subscriptions billed together month after month);
        // one or two such dates are extra copies, not a pattern
        let regular = true;
        let days = 1;
        let multiDays = 0;
        let run = 1;
        for (let k = i + 1; k <= e && regular; k++) {
          const d = k < e ? ix.date[ix.bySeller[s0 + pos[k]]] - ix.date[ix.bySeller[s0 + pos[k - 1]]] : Infinity;
          if (d === 0) {
            run++;
            continue;
          }
          if (run > 1) multiDays++;
          if (k < e) days++;
          if (!(d >= gap)) regular = false;
          run = 1;
        }
        if (days < 2 || multiDays === 1 || multiDays === 2) regular = false;
        if (regular) for (let k = i; k < e; k++) out[ix.bySeller[s0 + pos[k]]] = 1;
      }
    }
  }
  byGap.set(minGap, out);
  return out;
}
