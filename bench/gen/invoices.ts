/**
 * E-invoices, generated day by day so that numbers rise per seller and series in date order and
 * only a day's rows are ever in memory: honest trade along a mostly acyclic supply graph, winners
 * billing buyers after awards, monthly rent and subscriptions, cancellations and replacements —
 * and the planted invoice schemes.
 */
import type { Award } from './bids.js';
import { ByteWriter, PackedTexts, cell } from './csv.js';
import {
  INVOICE_END, INVOICE_START, addMonths, civil, dayOf, holidaysBetween, isHoliday, isTet, iso, monthOf,
  nextWorkday, parseIso, vat8Allowed, weekday, yearOf,
} from './dates.js';
import { personName, type Buyer, type Firm } from './entities.js';
import { AliasTable, type Rng } from './rng.js';
import { SECTORS, isCompetitive, sectorIdx } from './sectors.js';
import type { Truth } from './truth.js';
import { PROVINCES } from './vn-data.js';
import type { World } from './world.js';

export const INVOICE_HEADER = [
  'invoice_id', 'template', 'series', 'number', 'issue_date', 'seller_id', 'seller_name', 'buyer_id', 'buyer_name',
  'amount', 'vat_rate', 'vat_amount', 'total_amount', 'currency', 'status', 'related_invoice', 'contract_ref', 'description',
];

const CONSUMER = -1_000_000_000;
const DAYS = INVOICE_END - INVOICE_START + 1;

// ---------------------------------------------------------------------------------------------
// Planned before the registry is written: firms that exist only for invoice schemes.

export interface Shell {
  firm: Firm;
  inst: string;
  traits: { round: boolean; offDays: boolean; burst: boolean; afterClosure: boolean };
  days: number[];
  afterClosureDays: number;
  customers: number[];
}

export interface Carousel {
  members: Firm[];
  inst: string;
  gid: string;
  /** per hop: day, seller position, amount */
  hops: { day: number; from: number; amount: number; cycle: number }[];
}

export interface InvoiceFirmsPlan {
  shells: Shell[];
  carousels: Carousel[];
}

function clampDay(d: number): number {
  return Math.max(INVOICE_START, Math.min(INVOICE_END, d));
}

export function planInvoiceFirms(rng: Rng, world: World, truth: Truth): InvoiceFirmsPlan {
  const SI = world.sizes.invoices / 2500;
  const nShell = Math.max(1, Math.round(0.04 * SI));
  const nCar = Math.max(1, Math.round(0.05 * SI));
  const shells: Shell[] = [];
  const carousels: Carousel[] = [];
  const provWeights = PROVINCES.map((p) => p.weight);
  const tradeFirms = world.firms.filter((f) => f.role === 'trader' || f.role === 'bidder');
  // Each shell has the fabricated-amount signature; the other traits rotate so every detector
  // has shells that show its signal and shells that do not.
  const traitCycle = [
    { round: true, offDays: true, burst: true, afterClosure: true },
    { round: false, offDays: false, burst: true, afterClosure: false },
    { round: true, offDays: false, burst: false, afterClosure: true },
    { round: false, offDays: true, burst: false, afterClosure: false },
    { round: true, offDays: true, burst: false, afterClosure: false },
    { round: false, offDays: false, burst: false, afterClosure: true },
  ];
  // Shells need ≥ 130 invoices each to be judged; they take at most 30% of the invoice budget.
  let shellInvoices = 0;
  for (let i = 0; i < nShell; i++) {
    if (shellInvoices + 130 > 0.3 * world.sizes.invoices) break;
    const inst = `shell-${i + 1}`;
    const traits = traitCycle[i % traitCycle.length];
    const province = rng.weightedIndex(provWeights);
    const reg = rng.range(dayOf(2023, 2, 1), dayOf(2025, 6, 30));
    const firm = world.factory.firm(rng, {
      province, sector: rng.pick(['wholesale', 'materials', 'construction', 'consulting'].map(sectorIdx)), role: 'shell',
      registered: reg, legal: rng.pick(['TNHH', 'TNHH_MTV', 'CP'] as const), tradeWeight: 0, bidWeight: 0,
    });
    firm.template = 1;
    const life = rng.range(180, 420);
    const closes = traits.afterClosure || rng.chance(0.5);
    if (closes) {
      firm.closed = reg + life;
      firm.status = rng.chance(0.6) ? 'absconded' : 'closed';
    }
    const end = Math.min(INVOICE_END, reg + life);
    const n = Math.min(rng.range(130, 360), Math.floor(0.3 * world.sizes.invoices - shellInvoices));
    shellInvoices += n;
    const days: number[] = [];
    const offDays = traits.offDays ? [...holidaysBetween(reg + 1, end), ...sundays(reg + 1, end)] : [];
    for (let j = 0; j < n; j++) {
      let d: number;
      if (traits.offDays && offDays.length && rng.chance(0.4)) d = rng.pick(offDays);
      else if (traits.burst && rng.chance(0.6)) d = reg + rng.range(1, 90);
      else d = rng.range(reg + (traits.burst ? 91 : 10), end);
      if (!traits.offDays && weekday(d) === 0) d += 1;
      if (!traits.offDays && isHoliday(d)) d = nextWorkday(d);
      if (d > end) d = end;
      days.push(clampDay(d));
    }
    const afterClosureDays = traits.afterClosure && firm.closed !== Infinity ? rng.range(5, 15) : 0;
    for (let j = 0; j < afterClosureDays; j++) days.push(clampDay(firm.closed + rng.range(1, 60)));
    const customers = rng.sample(tradeFirms, rng.range(6, 25)).map((f) => f.idx);
    shells.push({ firm, inst, traits, days, afterClosureDays, customers });
    truth.company('benford', firm, inst, 'amounts=fabricated');
    if (traits.round) truth.company('round-amounts', firm, inst);
    if (traits.offDays) truth.company('weekend-holiday', firm, inst);
    if (traits.burst) truth.company('new-or-closed-seller', firm, inst, 'volume-in-first-90-days');
    if (afterClosureDays) truth.company('new-or-closed-seller', firm, inst, 'invoices-after-closure');
  }
  for (let i = 0; i < nCar; i++) {
    const inst = `carousel-${i + 1}`;
    const gid = `C${String(i + 1).padStart(4, '0')}`;
    const k = rng.range(3, 5);
    const province = rng.weightedIndex(provWeights);
    const sector = rng.pick(['wholesale', 'it', 'electrical', 'materials'].map(sectorIdx));
    const members = Array.from({ length: k }, () =>
      world.factory.firm(rng, {
        province: rng.chance(0.7) ? province : rng.weightedIndex(provWeights), sector, role: 'scheme',
        registered: rng.range(dayOf(2019, 1, 1), dayOf(2022, 10, 1)), tradeWeight: rng.uniform(0.5, 2), bidWeight: 0,
      }),
    );
    for (const m of members) m.template = 1;
    const cycles = rng.range(3, 6);
    let day = rng.range(INVOICE_START + 30, INVOICE_END - 120 * cycles - 60);
    const hops: Carousel['hops'] = [];
    for (let c = 0; c < cycles; c++) {
      let amount = Math.round(rng.lognormal(Math.log(1.2e9), 0.7) / 1000) * 1000 + rng.range(1, 999) * 1000;
      let d = nextWorkday(day);
      for (let h = 0; h < k; h++) {
        hops.push({ day: clampDay(d), from: h, amount, cycle: c });
        d = nextWorkday(d + rng.range(1, 5));
        amount = Math.round((amount * rng.uniform(0.975, 1.03)) / 1000) * 1000;
      }
      day += rng.range(25, 110);
    }
    carousels.push({ members, inst, gid, hops });
    truth.group('circular-invoicing', gid, inst, `members=${members.map((m) => m.id).join('|')};cycles=${cycles}`);
    for (const m of members) truth.company('circular-invoicing', m, inst, `group=${gid}`);
  }
  return { shells, carousels };
}

function sundays(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = from; d <= to; d++) if (weekday(d) === 0) out.push(d);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Trade graph

interface TradeGraph {
  start: Int32Array;
  to: Int32Array;
  muOff: Float32Array;
  twoWayPairs: number;
}

const PUBLIC_SELLERS = new Set(['office', 'it', 'food', 'printing', 'transport', 'services', 'fuel', 'medical', 'electrical', 'materials', 'education', 'construction', 'consulting'].map(sectorIdx));
const RETAIL = new Set(['office', 'food', 'fuel', 'it', 'transport'].map(sectorIdx));

function buildTradeGraph(rng: Rng, world: World): TradeGraph {
  const firms = world.firms;
  const n = firms.length;
  const tier = (f: Firm): number => SECTORS[f.sector].tier;
  const canBuy = (f: Firm): boolean => f.role === 'bidder' || f.role === 'trader' || f.role === 'scheme';
  const buyersByProv: number[][] = PROVINCES.map(() => []);
  const allBuyers: number[] = [];
  for (const f of firms) if (canBuy(f)) (buyersByProv[f.province].push(f.idx), allBuyers.push(f.idx));
  const publicByProv: number[][] = PROVINCES.map(() => []);
  for (const b of world.buyers) publicByProv[b.province].push(b.idx);
  const lists: number[][] = Array.from({ length: n }, () => []);
  const offs: number[][] = Array.from({ length: n }, () => []);
  // Links only go up the supply chain, so b → a can never exist beside a → b: checking the
  // seller's own short list is enough to avoid duplicates.
  const linked = (a: number, b: number): boolean => lists[a].includes(b);
  for (const f of firms) {
    if (f.tradeWeight <= 0 || f.role === 'shell' || f.role === 'landlord' || f.role === 'subscription') continue;
    const want = Math.min(60, Math.max(2, Math.round(2 + rng.pareto(1.3, 20) * 1.5 + Math.sqrt(f.tradeWeight))));
    const t = tier(f);
    for (let k = 0, attempts = 0; k < want && attempts < want * 8; attempts++) {
      const r = rng.next();
      if (r < 0.1 && PUBLIC_SELLERS.has(f.sector)) {
        const pool = publicByProv[f.province].length ? publicByProv[f.province] : world.buyers.map((b) => b.idx);
        lists[f.idx].push(-(rng.pick(pool) + 1));
        offs[f.idx].push(0);
        k++;
        continue;
      }
      if (r < 0.15 && RETAIL.has(f.sector) && !lists[f.idx].includes(CONSUMER)) {
        lists[f.idx].push(CONSUMER);
        offs[f.idx].push(0);
        k++;
        continue;
      }
      const pool = r < 0.65 && buyersByProv[f.province].length > 3 ? buyersByProv[f.province] : allBuyers;
      const b = rng.pick(pool);
      if (b === f.idx) continue;
      // Firms buy mostly from other lines of business; competitors rarely trade with each other.
      if (firms[b].sector === f.sector && rng.next() > 0.12) continue;
      const tb = tier(firms[b]);
      if (!(tb > t || (tb === t && b > f.idx))) continue;
      if (linked(f.idx, b)) continue;
      lists[f.idx].push(b);
      offs[f.idx].push(rng.gauss(0, 0.5));
      k++;
    }
  }
  // Ordinary two-way trade: goods one way, much smaller services the other way.
  const pairs = Math.max(2, Math.round(allBuyers.length / 200));
  let made = 0;
  for (let i = 0; i < pairs * 4 && made < pairs; i++) {
    const a = rng.pick(allBuyers);
    const b = rng.pick(allBuyers);
    if (a === b || firms[a].tradeWeight <= 0 || firms[b].tradeWeight <= 0) continue;
    if (linked(a, b) || linked(b, a)) continue;
    lists[a].unshift(b);
    offs[a].unshift(rng.gauss(0.3, 0.3));
    lists[b].unshift(a);
    offs[b].unshift(-Math.log(rng.uniform(15, 60)));
    made++;
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i] + lists[i].length;
  const to = new Int32Array(start[n]);
  const muOff = new Float32Array(start[n]);
  for (let i = 0; i < n; i++) {
    to.set(lists[i], start[i]);
    muOff.set(offs[i], start[i]);
  }
  return { start, to, muOff, twoWayPairs: made };
}

// ---------------------------------------------------------------------------------------------
// Events waiting for their day

type Ev =
  | { k: 'bill'; a: number; amount: number; mode: 'normal' | 'overbill' | 'before'; part: number; ref: string }
  | { k: 'side'; a: number; loser: number; amount: number }
  | { k: 'recurring'; c: number; desc: string }
  | { k: 'follow'; seller: number; buyer: number; amount: number; desc: string | Buffer; related: string; status: 'replacement' | 'adjustment'; churn: boolean }
  | { k: 'shell'; s: number; after: boolean }
  | { k: 'hop'; c: number; h: number }
  | { k: 'dup'; seller: number; mode: 'number' | 'amount'; inst: string }
  | { k: 'dupCopy'; seller: number; buyer: number; amount: number; desc: string | Buffer; slot: number; number: number; earlier: string; mode: 'number' | 'amount'; inst: string; sameAmount: boolean }
  | { k: 'gap'; seller: number; inst: string }
  | { k: 'back'; seller: number; inst: string }
  | { k: 'vat'; seller: number; mode: 'rate' | 'amount'; inst: string }
  | { k: 'split'; seller: number; buyer: number; amount: number; inst: string }
  | { k: 'spend'; seller: number; buyer: number; amount: number; inst: string; ref: string }
  | { k: 'burst'; seller: number; inst: string };

export interface InvoiceStats {
  rows: number;
  honest: number;
  contract: number;
  recurring: number;
  followUps: number;
  planted: number;
  twoWayPairs: number;
  recurringContracts: number;
}

interface Recurring {
  seller: number;
  buyer: number;
  amount: number;
  from: number;
  to: number;
  dom: number;
  item: string;
}

interface EmitOpts {
  status?: string;
  related?: string;
  contract?: string;
  desc?: string | Buffer;
  /** force this VAT rate (8 outside its periods) */
  rate?: number;
  /** multiply the correct VAT amount by this */
  vatFactor?: number;
  slot?: number;
  number?: number;
  /** issue date differs from the processing day (back-dated invoice) */
  date?: number;
}

export class InvoiceGenerator {
  private readonly w: ByteWriter;
  private readonly firms: Firm[];
  private readonly buyers: Buyer[];
  private readonly queue: (Ev[] | undefined)[] = new Array(DAYS);
  private readonly triggers: (number[] | undefined)[] = new Array(DAYS);
  private readonly counters: Int32Array;
  /** Latest issue day per seller, year and series slot. */
  private readonly lastDay: Int32Array;
  private readonly idName: PackedTexts;
  private readonly buyerIdName: PackedTexts;
  private readonly consumer = ByteWriter.enc(',Khách lẻ');
  private readonly series: (string | undefined)[];
  private readonly dates: string[] = [];
  private readonly years = new Int16Array(DAYS);
  private readonly vat8 = new Uint8Array(DAYS);
  /** Whether the caller needs the id of the row being written (truth, related invoices). */
  private wantId = true;
  private recurring: Recurring[] = [];
  private readonly vatCode: Uint8Array;
  private readonly descs: Buffer[][];
  private readonly churn: Uint8Array;
  /** Hot per-firm fields, kept in typed arrays for locality. */
  private readonly fReg: Int32Array;
  private readonly fClosed: Int32Array;
  private readonly fMu: Float64Array;
  private readonly fSigma: Float64Array;
  private graph!: TradeGraph;
  private sellerTable!: AliasTable;
  private quota!: Int32Array;
  private nextId = 1;
  /** Share of honest award billing and monthly leases kept (1 unless the invoice budget is tiny). */
  private keep = 1;
  readonly stats: InvoiceStats = { rows: 0, honest: 0, contract: 0, recurring: 0, followUps: 0, planted: 0, twoWayPairs: 0, recurringContracts: 0 };

  constructor(
    private readonly rng: Rng,
    private readonly world: World,
    private readonly awards: Award[],
    private readonly truth: Truth,
    private readonly plan: InvoiceFirmsPlan | null,
    path: string,
  ) {
    this.w = new ByteWriter(path);
    this.firms = world.firms;
    this.buyers = world.buyers;
    this.counters = new Int32Array(this.firms.length * 4 * 2);
    this.lastDay = new Int32Array(this.firms.length * 4 * 2);
    this.idName = new PackedTexts(this.firms.map((f) => `${f.id},${cell(f.name)}`));
    this.buyerIdName = new PackedTexts(this.buyers.map((b) => `${b.id},${cell(b.name)}`));
    this.series = new Array(this.firms.length * 8);
    for (let o = 0; o < DAYS; o++) {
      this.dates.push(iso(INVOICE_START + o));
      this.years[o] = yearOf(INVOICE_START + o);
      this.vat8[o] = vat8Allowed(INVOICE_START + o) ? 1 : 0;
    }
    this.vatCode = Uint8Array.from(this.firms, (f) => {
      if (f.template === 2) return 0;
      const s = SECTORS[f.sector];
      if (s.vat === 10) return s.reduced8 ? 1 : 2;
      if (s.vat === 5) return 3;
      if (s.vat === 'KCT') return 4;
      return 5;
    });
    this.descs = SECTORS.map((s) => s.items.map((it) => ByteWriter.enc(cell(it.charAt(0).toUpperCase() + it.slice(1)))));
    this.churn = new Uint8Array(this.firms.length);
    this.fReg = Int32Array.from(this.firms, (f) => f.registered);
    this.fClosed = Int32Array.from(this.firms, (f) => (f.closed === Infinity ? 2 ** 31 - 1 : f.closed));
    this.fMu = Float64Array.from(this.firms, (f) => f.invMu);
    this.fSigma = Float64Array.from(this.firms, (f) => f.invSigma);
  }

  private push(day: number, e: Ev): void {
    if (day < INVOICE_START || day > INVOICE_END) return;
    const o = day - INVOICE_START;
    (this.queue[o] ??= []).push(e);
  }

  private active(f: Firm, day: number): boolean {
    return day >= f.registered && day < f.closed;
  }

  // -------------------------------------------------------------------------------------------
  // Emission

  private yearOf(day: number): number {
    const o = day - INVOICE_START;
    return o >= 0 && o < DAYS ? this.years[o] : yearOf(day);
  }

  private emit(day: number, seller: number, buyer: number, amount: number, o?: EmitOpts): string {
    const f = this.firms[seller];
    const issue = o?.date ?? day;
    const io = issue - INVOICE_START;
    const y = this.yearOf(issue);
    const yi = Math.max(0, Math.min(3, y - 2023));
    const slot = o?.slot ?? (f.seriesLetters.length > 1 && this.rng.chance(0.3) ? 1 : 0);
    const ci = (seller * 4 + yi) * 2 + slot;
    const number = o?.number ?? ++this.counters[ci];
    if (issue > this.lastDay[ci]) this.lastDay[ci] = issue;
    let series = this.series[ci];
    if (series === undefined) series = this.series[ci] = `${f.seriesCode}${String(y % 100).padStart(2, '0')}${f.seriesLetters[slot]}`;
    const idn = this.nextId++;
    const w = this.w;
    w.begin();
    const idStart = w.pending;
    w.byte(72);
    w.byte(68);
    w.intPad(idn, 9);
    const id = this.wantId ? w.slice(idStart) : '';
    w.byte(44);
    w.int(f.template);
    w.byte(44);
    w.ascii(series);
    w.byte(44);
    w.int(number);
    w.byte(44);
    w.ascii(io >= 0 && io < DAYS ? this.dates[io] : iso(issue));
    w.byte(44);
    w.packed(this.idName, seller);
    w.byte(44);
    if (buyer >= 0) w.packed(this.idName, buyer);
    else if (buyer === CONSUMER) {
      if (this.rng.chance(0.6)) w.bytes_(this.consumer);
      else w.str(`,${personName(this.rng)}`);
    } else w.packed(this.buyerIdName, -buyer - 1);
    w.byte(44);
    w.int(amount);
    w.byte(44);
    let vat = 0;
    const code = this.vatCode[seller];
    if (code !== 0) {
      let rate: number;
      if (o?.rate !== undefined) rate = o.rate;
      else if (code === 1) rate = (io >= 0 && io < DAYS ? this.vat8[io] === 1 : vat8Allowed(issue)) ? 8 : 10;
      else if (code === 2) rate = 10;
      else if (code === 3) rate = 5;
      else if (code === 4) rate = -1;
      else rate = 0;
      if (rate < 0) {
        w.ascii('KCT,0');
      } else {
        vat = Math.round((amount * rate) / 100);
        if (o?.vatFactor !== undefined) vat = Math.round(vat * o.vatFactor);
        w.int(rate);
        w.byte(44);
        w.int(vat);
      }
    } else w.byte(44);
    w.byte(44);
    w.int(amount + vat);
    w.ascii(',VND,');
    w.ascii(o?.status ?? 'original');
    w.byte(44);
    if (o?.related) w.ascii(o.related);
    w.byte(44);
    if (o?.contract) w.str(o.contract);
    w.byte(44);
    const desc = o?.desc ?? this.descs[f.sector][this.rng.int(this.descs[f.sector].length)];
    if (typeof desc === 'string') w.str(desc);
    else w.bytes_(desc);
    w.end();
    this.stats.rows++;
    return id;
  }

  private roundAmount(x: number): number {
    return this.rng.chance(0.85) ? Math.max(1000, Math.round(x / 1000) * 1000) : Math.max(1000, Math.round(x));
  }

  // -------------------------------------------------------------------------------------------
  // Honest trade

  private honest(day: number): void {
    const rng = this.rng;
    const g = this.graph;
    const reg = this.fReg;
    const closed = this.fClosed;
    for (let attempt = 0; attempt < 12; attempt++) {
      const s = this.sellerTable.draw(rng);
      if (day < reg[s] || day >= closed[s]) continue;
      const age = day - reg[s];
      if (age < 365 && rng.next() * 365 > age) continue;
      const len = g.start[s + 1] - g.start[s];
      if (len === 0) continue;
      const li = g.start[s] + Math.floor(len * Math.pow(rng.next(), 1.7));
      const b = g.to[li];
      let amount: number;
      if (b >= 0) {
        if (day < reg[b] || day >= closed[b]) continue;
        amount = this.roundAmount(Math.min(5e10, rng.lognormal(this.fMu[s] + g.muOff[li], this.fSigma[s])));
      } else if (b === CONSUMER) {
        amount = this.roundAmount(Math.max(20000, rng.lognormal(Math.log(1.5e6), 1.0)));
      } else {
        amount = this.roundAmount(Math.min(49.5e6, rng.lognormal(Math.log(6e6), 0.9)));
      }
      this.honestInvoice(day, s, b, amount);
      this.stats.honest++;
      return;
    }
  }

  private honestInvoice(day: number, s: number, b: number, amount: number): string {
    const rng = this.rng;
    const churn = this.churn[s] === 1;
    const r = rng.next();
    const pCancel = churn ? 0.12 : 0.004;
    const pRepl = churn ? 0.3 : 0.007;
    const pAdj = churn ? 0.38 : 0.01;
    if (r >= pAdj) {
      this.wantId = false;
      this.emit(day, s, b, amount);
      this.wantId = true;
      return '';
    }
    if (r < pCancel) return this.emit(day, s, b, amount, { status: 'cancelled' });
    if (r < pRepl) {
      const id = this.emit(day, s, b, amount, { status: 'replaced' });
      const desc = this.descs[this.firms[s].sector][rng.int(this.descs[this.firms[s].sector].length)];
      const na = rng.chance(0.5) ? amount : this.roundAmount(amount * rng.uniform(0.9, 1.1));
      this.push(day + rng.range(1, 10), { k: 'follow', seller: s, buyer: b, amount: na, desc, related: id, status: 'replacement', churn });
      return id;
    }
    const id = this.emit(day, s, b, amount, { status: 'adjusted' });
    const delta = this.roundAmount(amount * rng.uniform(0.02, 0.1)) * (rng.chance(0.6) ? -1 : 1);
    this.push(day + rng.range(3, 30), { k: 'follow', seller: s, buyer: b, amount: delta, desc: delta < 0 ? 'Điều chỉnh giảm đơn giá' : 'Điều chỉnh tăng đơn giá', related: id, status: 'adjustment', churn });
    return id;
  }

  // -------------------------------------------------------------------------------------------
  // Setup

  private setup(honestBudget: number): void {
    this.stats.twoWayPairs = this.graph.twoWayPairs;
    const weights = this.firms.map((f, i) => (this.graph.start[i + 1] > this.graph.start[i] ? Math.max(0, f.tradeWeight) : 0));
    this.sellerTable = new AliasTable(weights);
    // Daily quotas: working days, quiet Tết, busy year end, slow growth.
    const dw = new Float64Array(DAYS);
    let tot = 0;
    for (let o = 0; o < DAYS; o++) {
      const d = INVOICE_START + o;
      const [y, m, dd] = civil(d);
      let x = [0, 1.1, 0.85, 1, 1, 1, 1.05, 0.95, 1, 1, 1.05, 1.1, 1.4][m];
      if (m === 12 && dd >= 15) x *= 1.25;
      const wd = weekday(d);
      if (wd === 6) x *= 0.3;
      else if (wd === 0) x *= 0.025;
      if (isTet(d)) x *= 0.03;
      else if (isHoliday(d)) x *= 0.05;
      x *= 1 + 0.07 * (y - 2023);
      dw[o] = x;
      tot += x;
    }
    this.quota = new Int32Array(DAYS);
    let acc = 0;
    let given = 0;
    for (let o = 0; o < DAYS; o++) {
      acc += (dw[o] / tot) * honestBudget;
      const q = Math.round(acc) - given;
      this.quota[o] = q;
      given += q;
    }
  }

  /** Installment counts for award billing, drawn up front so the honest budget can be sized. */
  private planAwards(): number {
    const rng = this.rng.fork('award-billing');
    let count = 0;
    this.awards.forEach((a, i) => {
      const spec = a.spec;
      const b = spec.billing;
      const trig = b?.kind === 'before' ? Math.max(spec.published + 1, spec.award - b.lead) - 1 : spec.contract;
      if (trig > INVOICE_END || trig < INVOICE_START - 400) return;
      const o = Math.max(0, trig - INVOICE_START);
      (this.triggers[o] ??= []).push(i);
      const c = spec.category;
      const n = c === 'goods' ? rng.range(1, 2) : c === 'works' || c === 'mixed' ? rng.range(2, 4) : rng.range(1, 3);
      count += n + (b?.kind === 'before' ? 1 : 0);
      void isCompetitive;
    });
    return Math.round(count * 0.93);
  }

  private scheduleAward(ai: number, today: number): void {
    const rng = this.rng;
    const a = this.awards[ai];
    const spec = a.spec;
    const b = spec.billing;
    if (!b && this.keep < 1 && rng.next() >= this.keep) return;
    const seller = this.firms[a.winner];
    const c = spec.category;
    const n = c === 'goods' ? rng.range(1, 2) : c === 'works' || c === 'mixed' ? rng.range(2, 4) : rng.range(1, 3);
    const ref = b || rng.chance(0.85) ? spec.id : '';
    const mode = b?.kind === 'overbill' ? 'overbill' : b?.kind === 'before' ? 'before' : 'normal';
    // Amounts: honest invoices bring the VAT-inclusive total to 96–100% of the award; overbilling
    // brings the amount before VAT alone to award × factor.
    const code = this.vatCode[a.winner];
    const rate = code === 1 || code === 2 ? 0.1 : code === 3 ? 0.05 : 0;
    const net = mode === 'overbill' && b?.kind === 'overbill' ? a.amount * b.factor : (a.amount * rng.uniform(0.96, 1.0)) / (1 + rate);
    const raw = Array.from({ length: n }, () => rng.uniform(0.5, 1.5));
    const sum = raw.reduce((x, y) => x + y, 0);
    let day = Math.max(today, spec.contract) + (c === 'goods' ? rng.range(10, 45) : rng.range(20, 70));
    let left = net;
    let earlyShare = 0;
    if (mode === 'before' && b?.kind === 'before') {
      const d0 = Math.max(spec.published + 1, spec.award - b.lead);
      earlyShare = rng.uniform(0.3, 0.6);
      const amt = Math.round((net * earlyShare) / 1000) * 1000;
      this.push(Math.max(today, d0), { k: 'bill', a: ai, amount: amt, mode, part: 0, ref: spec.id });
      left -= amt;
    }
    for (let i = 0; i < n; i++) {
      const amt = i === n - 1 ? Math.round(left / 1000) * 1000 : Math.round(((net * (1 - earlyShare) * raw[i]) / sum) / 1000) * 1000;
      left -= amt;
      this.push(nextWorkday(day), { k: 'bill', a: ai, amount: Math.max(1000, amt), mode, part: i + 1, ref });
      day += rng.range(25, 120);
    }
    if (b?.kind === 'side' && spec.losers) {
      const losers = rng.sample(spec.losers.filter((l) => l !== a.winner), rng.range(1, 2));
      for (const l of losers) {
        const times = rng.range(1, 2);
        for (let t = 0; t < times; t++) {
          const amt = Math.round((a.amount * b.share * rng.uniform(0.7, 1.3)) / times / 1000) * 1000;
          this.push(nextWorkday(spec.award + rng.range(20, 150)), { k: 'side', a: ai, loser: l, amount: amt });
        }
      }
    }
    void seller;
  }

  private planRecurring(): number {
    const rng = this.rng.fork('recurring');
    const I = this.world.sizes.invoices;
    const months = 42;
    const tenantsWanted = Math.max(2, Math.round((0.02 * I) / months));
    const subsWanted = Math.max(3, Math.round((0.03 * I) / months));
    const candidates = this.firms.filter((f) => f.role === 'bidder' || f.role === 'trader');
    const byProv: Firm[][] = PROVINCES.map(() => []);
    for (const f of candidates) byProv[f.province].push(f);
    let count = 0;
    const contracts: Recurring[] = [];
    const land = this.world.landlords;
    for (let i = 0; i < tenantsWanted && land.length; i++) {
      const l = this.firms[land[i % land.length]];
      const pool = byProv[l.province].length ? byProv[l.province] : candidates;
      const t = rng.pick(pool);
      const amount = rng.chance(0.6) ? rng.range(8, 150) * 1e6 : rng.range(16, 300) * 5e5;
      const from = rng.range(INVOICE_START - 400, INVOICE_END - 180);
      const to = from + rng.range(365, 1500);
      contracts.push({ seller: l.idx, buyer: t.idx, amount, from, to, dom: rng.range(1, 5), item: 'Tiền thuê văn phòng' });
    }
    const subs = this.world.subscriptionSellers;
    const plans = subs.map(() => [rng.range(3, 9) * 50000, rng.range(10, 30) * 50000, rng.range(40, 120) * 50000]);
    for (let i = 0; i < subsWanted && subs.length; i++) {
      const si = i % subs.length;
      const s = this.firms[subs[si]];
      const t = rng.pick(candidates);
      const amount = rng.pick(plans[si]);
      const from = rng.range(INVOICE_START - 700, INVOICE_END - 90);
      const to = from + rng.range(365, 2000);
      contracts.push({ seller: s.idx, buyer: t.idx, amount, from, to, dom: 1, item: rng.pick(SECTORS[s.sector].items) });
    }
    this.stats.recurringContracts = contracts.length;
    this.recurring = contracts;
    for (const ct of contracts) {
      for (let m = 0; ; m++) {
        const first = addMonths(INVOICE_START, m, 1);
        if (first > INVOICE_END) break;
        const d = nextWorkday(first + ct.dom - 1);
        if (d >= ct.from && d <= ct.to && d <= INVOICE_END) count++;
      }
    }
    return count;
  }

  /** Invoice schemes on existing firms; returns the number of invoices they add. */
  private planSchemes(): number {
    const rng = this.rng.fork('invoice-schemes');
    const t = this.truth;
    const SI = this.world.sizes.invoices / 2500;
    const n = (rate: number): number => Math.max(1, Math.round(rate * SI));
    let added = 0;
    const plan = this.plan!;
    plan.shells.forEach((sh, i) => {
      const closed = sh.firm.closed;
      for (const d of sh.days) this.push(d, { k: 'shell', s: i, after: d >= closed });
      added += sh.days.length;
    });
    plan.carousels.forEach((c, ci) => {
      c.hops.forEach((h, hi) => this.push(h.day, { k: 'hop', c: ci, h: hi }));
      added += c.hops.length;
    });
    // Sellers with enough volume to carry a planted invoice anomaly.
    const totalW = this.firms.reduce((s, f, i) => s + (this.graph.start[i + 1] > this.graph.start[i] ? f.tradeWeight : 0), 0);
    const expected = (f: Firm): number => (f.tradeWeight / totalW) * this.world.sizes.invoices * 0.85;
    const used = new Set<number>();
    const busy = this.firms.filter(
      (f) => (f.role === 'trader' || f.role === 'bidder') && f.template === 1 && f.closed === Infinity && f.registered < INVOICE_START - 365 &&
        this.graph.start[f.idx + 1] - this.graph.start[f.idx] >= 2 && expected(f) >= 25,
    );
    const bidders = this.firms.filter(
      (f) => f.role === 'bidder' && f.template === 1 && f.closed === Infinity && f.registered < INVOICE_START - 365,
    );
    const pickSeller = (test: (f: Firm) => boolean = () => true, pool: Firm[] = busy): Firm | null => {
      for (let k = 0; k < 200 && pool.length; k++) {
        const f = pool[rng.int(pool.length)];
        if (used.has(f.idx) || !test(f)) continue;
        used.add(f.idx);
        return f;
      }
      return null;
    };
    const someDay = (lo = INVOICE_START + 30, hi = INVOICE_END - 40): number => nextWorkday(rng.range(lo, hi));
    for (let i = 0; i < n(0.08); i++) {
      const f = pickSeller();
      if (!f) break;
      const inst = `duplicate-invoices-${i + 1}`;
      const k = rng.range(3, 6);
      for (let j = 0; j < k; j++) this.push(someDay(), { k: 'dup', seller: f.idx, mode: rng.chance(0.5) ? 'number' : 'amount', inst });
      added += 2 * k;
      t.company('duplicate-invoices', f, inst, `copies=${k}`);
    }
    for (let i = 0; i < n(0.05); i++) {
      const f = pickSeller();
      if (!f) break;
      const inst = `invoice-sequence-${i + 1}`;
      const k = rng.range(3, 6);
      for (let j = 0; j < k; j++) this.push(someDay(), { k: rng.chance(0.5) ? 'gap' : 'back', seller: f.idx, inst });
      added += k;
      t.company('invoice-sequence', f, inst);
    }
    for (let i = 0; i < n(0.05); i++) {
      const f = pickSeller();
      if (!f) break;
      this.churn[f.idx] = 1;
      t.company('cancelled-replaced', f, `cancelled-replaced-${i + 1}`, 'share>=0.3');
    }
    for (let i = 0; i < n(0.06); i++) {
      const mode = i % 2 === 0 ? 'rate' : 'amount';
      const f = pickSeller((x) => this.vatCode[x.idx] === 1 || (mode === 'amount' && this.vatCode[x.idx] !== 4));
      if (!f) break;
      const inst = `vat-mismatch-${i + 1}`;
      const k = rng.range(4, 12);
      for (let j = 0; j < k; j++) {
        const d = mode === 'rate' ? nextWorkday(rng.range(dayOf(2023, 1, 3), dayOf(2023, 6, 28))) : someDay();
        this.push(d, { k: 'vat', seller: f.idx, mode, inst });
      }
      added += k;
      t.company('vat-mismatch', f, inst, mode === 'rate' ? 'rate=8-outside-period' : 'vat_amount-wrong');
    }
    // Bursts: an established seller suddenly issues many times its usual monthly volume.
    for (let i = 0; i < n(0.04); i++) {
      const f = pickSeller((x) => x.registered < dayOf(2021, 1, 1) && expected(x) >= 60);
      if (!f) break;
      const inst = `invoice-burst-${i + 1}`;
      const month = addMonths(dayOf(2024, 1, 1), rng.range(0, 23), 1);
      const perMonth = expected(f) / 42;
      const k = Math.max(25, Math.round(perMonth * rng.uniform(5, 8)));
      for (let j = 0; j < k; j++) this.push(nextWorkday(month + rng.range(0, 26)), { k: 'burst', seller: f.idx, inst });
      added += k;
      const [y, m] = civil(month);
      t.company('invoice-burst', f, inst, `month=${y}-${String(m).padStart(2, '0')};extra=${k}`);
    }
    const awardPairs = new Set<string>();
    for (const a of this.awards) awardPairs.add(`${a.winner}:${a.spec.buyer.idx}`);
    for (let i = 0; i < n(0.06); i++) {
      const f = pickSeller((x) => PUBLIC_SELLERS.has(x.sector));
      if (!f) break;
      const inst = `split-invoices-${i + 1}`;
      const b = this.buyers[rng.int(this.buyers.length)];
      const k = rng.range(3, 6);
      const d0 = someDay();
      for (let j = 0; j < k; j++) {
        const amount = Math.round(rng.uniform(40e6, 49.95e6) / 1000) * 1000;
        this.push(nextWorkday(d0 + rng.range(0, 12)), { k: 'split', seller: f.idx, buyer: b.idx, amount, inst });
      }
      added += k;
      t.company('split-invoices', f, inst, `buyer=${b.id}`);
      t.buyer('split-invoices', b, inst, `seller=${f.id}`);
    }
    for (let i = 0; i < n(0.05); i++) {
      let b: Buyer | null = null;
      let f: Firm | null = null;
      for (let k = 0; k < 30 && !f; k++) {
        const cb = this.buyers[rng.int(this.buyers.length)];
        const cf = pickSeller((x) => x.role === 'bidder' && !awardPairs.has(`${x.idx}:${cb.idx}`), bidders);
        if (cf) (b = cb), (f = cf);
      }
      if (!f || !b) break;
      const inst = `spend-without-award-${i + 1}`;
      const k = rng.range(6, 15);
      const d0 = someDay(INVOICE_START + 30, INVOICE_END - 400);
      const span = rng.range(90, 360);
      const ref = rng.chance(0.5) ? `HĐ số ${rng.range(1, 99)}/${yearOf(d0)}/HĐKT` : '';
      for (let j = 0; j < k; j++) {
        const amount = Math.round(Math.min(2e9, rng.lognormal(Math.log(300e6), 0.5)) / 1000) * 1000;
        this.push(nextWorkday(d0 + rng.range(0, span)), { k: 'spend', seller: f.idx, buyer: b.idx, amount, inst, ref });
      }
      added += k;
      t.company('spend-without-award', f, inst, `buyer=${b.id}`);
      t.buyer('spend-without-award', b, inst, `seller=${f.id}`);
    }
    return added;
  }

  // -------------------------------------------------------------------------------------------
  // Events

  private handle(e: Ev, day: number): void {
    const rng = this.rng;
    const t = this.truth;
    switch (e.k) {
      case 'bill': {
        const a = this.awards[e.a];
        const spec = a.spec;
        const seller = this.firms[a.winner];
        if (!this.active(seller, day)) return;
        const desc = cell(`Thanh toán đợt ${Math.max(1, e.part)} ${spec.category === 'goods' ? 'cung cấp hàng hóa' : 'thực hiện'} theo hợp đồng ${e.ref || 'gói thầu'}`);
        const id = this.emit(day, a.winner, -(spec.buyer.idx + 1), e.amount, { contract: e.ref, desc });
        this.stats.contract++;
        const b = spec.billing;
        if (e.mode === 'overbill' && b) {
          t.tender('overbilling', spec, b.inst, `factor=${(b as { factor: number }).factor.toFixed(3)}`);
          t.company('overbilling', seller, b.inst, `tender=${spec.id}`);
          t.invoice('overbilling', id, b.inst, `tender=${spec.id}`);
        } else if (e.mode === 'before' && b && day < spec.award) {
          t.tender('invoice-before-award', spec, b.inst, `award_date=${iso(spec.award)}`);
          t.company('invoice-before-award', seller, b.inst, `tender=${spec.id}`);
          t.invoice('invoice-before-award', id, b.inst, `tender=${spec.id};days_before=${spec.award - day}`);
        }
        return;
      }
      case 'side': {
        const a = this.awards[e.a];
        const spec = a.spec;
        const b = spec.billing!;
        if (!this.active(this.firms[e.loser], day) || !this.active(this.firms[a.winner], day)) return;
        const desc = cell(rng.pick(['Dịch vụ tư vấn hỗ trợ kỹ thuật', 'Thuê thiết bị thi công', 'Chi phí hợp tác thực hiện', 'Cung cấp vật tư phụ']));
        const id = this.emit(day, e.loser, a.winner, e.amount, { desc });
        this.stats.planted++;
        t.tender('loser-invoices-winner', spec, b.inst, `winner=${this.firms[a.winner].id}`);
        t.company('loser-invoices-winner', this.firms[a.winner], b.inst, `role=winner;tender=${spec.id}`);
        t.company('loser-invoices-winner', this.firms[e.loser], b.inst, `role=loser;tender=${spec.id}`);
        t.invoice('loser-invoices-winner', id, b.inst, `tender=${spec.id}`);
        return;
      }
      case 'recurring': {
        const ct = this.recurring[e.c];
        if (!this.active(this.firms[ct.buyer], day) || !this.active(this.firms[ct.seller], day)) return;
        this.emit(day, ct.seller, ct.buyer, ct.amount, { desc: e.desc });
        this.stats.recurring++;
        return;
      }
      case 'follow': {
        if (!this.active(this.firms[e.seller], day)) return;
        const id = this.emit(day, e.seller, e.buyer, e.amount, { status: e.status, related: e.related, desc: e.desc });
        void id;
        this.stats.followUps++;
        return;
      }
      case 'shell': {
        const sh = this.plan!.shells[e.s];
        const amount = sh.traits.round
          ? rng.weighted([[rng.range(2, 9) * 10e6, 3], [rng.range(10, 99) * 1e6, 5], [rng.range(3, 19) * 5e6, 2]])
          : Math.round(rng.uniform(30e6, 97e6) / 1000) * 1000 + (rng.chance(0.5) ? 0 : rng.range(1, 999));
        const desc = cell(rng.pick(['Hàng hóa theo hợp đồng', 'Vật liệu xây dựng', 'Dịch vụ tư vấn', 'Thiết bị điện tử', 'Hàng hóa']));
        const id = this.emit(day, sh.firm.idx, rng.pick(sh.customers), amount, { desc });
        this.stats.planted++;
        if (e.after) t.invoice('new-or-closed-seller', id, sh.inst, 'after-closure');
        return;
      }
      case 'hop': {
        const c = this.plan!.carousels[e.c];
        const h = c.hops[e.h];
        const from = c.members[h.from];
        const to = c.members[(h.from + 1) % c.members.length];
        const id = this.emit(day, from.idx, to.idx, h.amount, { desc: cell(rng.pick(['Linh kiện điện tử', 'Thiết bị viễn thông', 'Hàng hóa theo hợp đồng nguyên tắc', 'Vật tư kim khí'])) });
        this.stats.planted++;
        t.invoice('circular-invoicing', id, c.inst, `group=${c.gid};cycle=${h.cycle + 1};hop=${h.from + 1}`);
        return;
      }
      case 'dup': {
        const s = e.seller;
        const g = this.graph;
        const len = g.start[s + 1] - g.start[s];
        const b = g.to[g.start[s] + this.rng.int(len)];
        if (b >= 0 && !this.active(this.firms[b], day)) return;
        const f = this.firms[s];
        const amount = this.roundAmount(rng.lognormal(f.invMu, 0.8));
        const desc = this.descs[f.sector][rng.int(this.descs[f.sector].length)];
        const slot = 0;
        const id = this.emit(day, s, b, amount, { desc, slot });
        const number = this.counters[(s * 4 + Math.max(0, Math.min(3, yearOf(day) - 2023))) * 2 + slot];
        const later = e.mode === 'number' ? day + rng.range(0, 20) : nextWorkday(day + rng.range(1, 5));
        const sameYear = yearOf(later) === yearOf(day);
        this.push(sameYear ? later : day, { k: 'dupCopy', seller: s, buyer: b, amount, desc, slot, number, earlier: id, mode: e.mode, inst: e.inst, sameAmount: rng.chance(0.6) });
        this.stats.planted++;
        return;
      }
      case 'dupCopy': {
        if (e.mode === 'number') {
          const amount = e.sameAmount ? e.amount : this.roundAmount(e.amount * rng.uniform(0.3, 3));
          const id = this.emit(day, e.seller, e.buyer, amount, { desc: e.desc, slot: e.slot, number: e.number });
          t.invoice('duplicate-invoices', id, e.inst, `earlier=${e.earlier};same=seller+series+number`);
          t.invoice('invoice-sequence', id, e.inst, `reused-number;earlier=${e.earlier}`);
        } else {
          const id = this.emit(day, e.seller, e.buyer, e.amount, { desc: e.desc, slot: e.slot });
          t.invoice('duplicate-invoices', id, e.inst, `earlier=${e.earlier};same=seller+buyer+amount`);
        }
        this.stats.planted++;
        return;
      }
      case 'gap':
      case 'back': {
        const s = e.seller;
        const g = this.graph;
        const len = g.start[s + 1] - g.start[s];
        const b = g.to[g.start[s] + rng.int(len)];
        if (b >= 0 && !this.active(this.firms[b], day)) return;
        const f = this.firms[s];
        const amount = this.roundAmount(rng.lognormal(f.invMu, f.invSigma));
        const ci = (s * 4 + Math.max(0, Math.min(3, yearOf(day) - 2023))) * 2;
        if (e.k === 'gap') {
          const skip = rng.range(5, 40);
          const from = this.counters[ci] + 1;
          this.counters[ci] += skip;
          const id = this.emit(day, s, b, amount, { slot: 0 });
          t.invoice('invoice-sequence', id, e.inst, `gap=${from}-${from + skip - 1}`);
        } else {
          // Dated before an invoice that already carries a lower number, so the break shows.
          const last = this.lastDay[ci];
          const back = last - rng.range(1, 10);
          if (last === 0 || yearOf(back) !== yearOf(day) || back < INVOICE_START) return;
          const id = this.emit(day, s, b, amount, { slot: 0, date: back });
          t.invoice('invoice-sequence', id, e.inst, `out-of-date-order;dated=${iso(back)};issued-after=${iso(day)}`);
        }
        this.stats.planted++;
        return;
      }
      case 'vat': {
        const s = e.seller;
        const g = this.graph;
        const len = g.start[s + 1] - g.start[s];
        const b = g.to[g.start[s] + rng.int(len)];
        if (b >= 0 && !this.active(this.firms[b], day)) return;
        const f = this.firms[s];
        const amount = this.roundAmount(rng.lognormal(f.invMu, f.invSigma));
        const id =
          e.mode === 'rate'
            ? this.emit(day, s, b, amount, { rate: 8 })
            : this.emit(day, s, b, amount, { vatFactor: rng.chance(0.5) ? rng.uniform(0.5, 0.9) : rng.uniform(1.1, 1.3) });
        t.invoice('vat-mismatch', id, e.inst, e.mode === 'rate' ? 'rate=8-outside-period' : 'vat_amount!=amount*rate');
        this.stats.planted++;
        return;
      }
      case 'split': {
        const id = this.emit(day, e.seller, -(e.buyer + 1), e.amount, {});
        t.invoice('split-invoices', id, e.inst, 'amount<50000000');
        this.stats.planted++;
        return;
      }
      case 'burst': {
        const s = e.seller;
        const g = this.graph;
        const len = g.start[s + 1] - g.start[s];
        const li = g.start[s] + rng.int(len);
        const b = g.to[li];
        if (b >= 0 && !this.active(this.firms[b], day)) return;
        const f = this.firms[s];
        const amount = b >= 0 ? this.roundAmount(rng.lognormal(f.invMu + g.muOff[li], f.invSigma)) : this.roundAmount(rng.lognormal(Math.log(6e6), 0.9));
        this.emit(day, s, b, Math.min(amount, b < 0 && b !== CONSUMER ? 49.5e6 : amount));
        this.stats.planted++;
        return;
      }
      case 'spend': {
        const f = this.firms[e.seller];
        if (!this.active(f, day)) return;
        const id = this.emit(day, e.seller, -(e.buyer + 1), e.amount, { contract: e.ref });
        t.invoice('spend-without-award', id, e.inst);
        this.stats.planted++;
        return;
      }
    }
  }

  /** This month's rent and subscription invoices. */
  private scheduleMonth(first: number, y: number, mo: number): void {
    const mm = String(mo).padStart(2, '0');
    const descs = new Map<string, string>();
    this.recurring.forEach((ct, c) => {
      const d = nextWorkday(first + ct.dom - 1);
      if (d < ct.from || d > ct.to) return;
      if (this.keep < 1 && this.rng.next() >= this.keep) return;
      let desc = descs.get(ct.item);
      if (desc === undefined) descs.set(ct.item, (desc = cell(`${ct.item.charAt(0).toUpperCase() + ct.item.slice(1)} tháng ${mm}/${y}`)));
      this.push(d, { k: 'recurring', c, desc });
    });
  }

  // -------------------------------------------------------------------------------------------

  async run(): Promise<InvoiceStats> {
    this.w.str(INVOICE_HEADER.join(',') + '\n');
    const target = this.world.sizes.invoices;
    if (target === 0) {
      await this.w.close();
      return this.stats;
    }
    const contract = this.planAwards();
    this.graph = buildTradeGraph(this.rng.fork('graph'), this.world);
    const recurring = this.planRecurring();
    const schemes = this.plan ? this.planSchemes() : 0;
    // A budget too small for every award and lease to be billed keeps a share of them.
    if (contract + recurring > 0 && contract + recurring + schemes > target) this.keep = Math.max(0, (target - schemes) / (contract + recurring));
    const honestBudget = Math.max(0, Math.round((target - contract - recurring - schemes) / 1.012));
    this.setup(honestBudget);
    for (let o = 0; o < DAYS; o++) {
      const day = INVOICE_START + o;
      const [y, mo, dd] = civil(day);
      if (dd === 1) this.scheduleMonth(day, y, mo);
      const trig = this.triggers[o];
      if (trig) for (const ai of trig) this.scheduleAward(ai, day);
      this.triggers[o] = undefined;
      // Events may add events for the same day (a copy issued the same day): drain until empty.
      while (this.queue[o]) {
        const evs = this.queue[o]!;
        this.queue[o] = undefined;
        for (const e of evs) {
          this.handle(e, day);
          if (this.w.pending >= 1 << 20) await this.w.maybeFlush();
        }
      }
      const q = this.quota[o];
      for (let i = 0; i < q; i++) {
        this.honest(day);
        if ((i & 255) === 255) await this.w.maybeFlush();
      }
      await this.w.maybeFlush();
    }
    await this.w.close();
    return this.stats;
  }
}

export { parseIso, monthOf };
