/**
 * Prices and bidders for every tender, and the two bid files: canonical `bids.csv` and the
 * Vietnamese e-procurement layout `bids-vn.csv` (BOM, `;`, `1.234.567`, dd/mm/yyyy, Đạt/Không đạt).
 */
import { ByteWriter, PackedTexts, cell, vnAmount } from './csv.js';
import { addMinutes, hm, hms, iso, vnDate } from './dates.js';
import type { Firm } from './entities.js';
import { Rng } from './rng.js';
import { CATEGORY_VN, PROCEDURE_VN, isCompetitive } from './sectors.js';
import { Pools, type TenderSpec } from './tenders.js';
import { PROVINCES } from './vn-data.js';
import type { World } from './world.js';

export interface BidRow {
  firm: number;
  amount: number;
  final: number;
  valid: boolean;
  day: number;
  min: number;
  sec: number;
}

export interface Lot {
  lot: string;
  estimate: number;
  bids: BidRow[];
  /** index into bids, or -1 */
  winner: number;
}

export interface Award {
  spec: TenderSpec;
  lot: string;
  winner: number;
  amount: number;
}

export interface FactualCounts {
  lots: number;
  competitiveLots: number;
  singleBidder: number;
  lowestBidDisqualified: number;
  allButWinnerDisqualified: number;
  nearEstimateWin: number;
  identicalBids: number;
  failed: number;
}

/** What one buyer's bid rows show about disqualifications (every lot, planted or not). */
export interface BuyerBids {
  bids: number;
  disqualified: number;
  /** disqualified while priced (bid_amount) below the winning bid of its lot */
  belowWinner: number;
  /** the first planted instance whose bids were disqualified on purpose at this buyer, or '' */
  planted: string;
}

/** Plans that disqualify bids on purpose (the others' disqualifications are the honest ~3.5%). */
const DISQUALIFYING = new Set(['lowdisq', 'allbut', 'captured']);

export const CANONICAL_BID_HEADER = [
  'tender_id', 'lot_id', 'buyer_id', 'buyer_name', 'title', 'category', 'procedure', 'estimated_value', 'currency',
  'published_date', 'deadline_date', 'opening_date', 'award_date', 'contract_date', 'bidder_id', 'bidder_name',
  'bid_amount', 'final_amount', 'bid_status', 'is_winner', 'award_amount', 'bid_time', 'province',
];

export const VN_BID_HEADER = [
  'Mã TBMT', 'Phần', 'Mã bên mời thầu', 'Bên mời thầu', 'Tên gói thầu', 'Lĩnh vực', 'Hình thức lựa chọn nhà thầu',
  'Giá gói thầu', 'Ngày đăng tải', 'Thời điểm đóng thầu', 'Ngày mở thầu', 'Ngày phê duyệt KQLCNT', 'Ngày ký hợp đồng',
  'MST nhà thầu', 'Tên nhà thầu', 'Giá dự thầu', 'Giá dự thầu sau giảm giá', 'Kết quả đánh giá', 'Trúng thầu',
  'Giá trúng thầu', 'Tỉnh/Thành phố',
];

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

function roundTo(x: number, unit: number): number {
  return Math.max(unit, Math.round(x / unit) * unit);
}

export class BidEngine {
  readonly awards: Award[] = [];
  readonly factual: FactualCounts = {
    lots: 0, competitiveLots: 0, singleBidder: 0, lowestBidDisqualified: 0, allButWinnerDisqualified: 0,
    nearEstimateWin: 0, identicalBids: 0, failed: 0,
  };

  /** Per buyer (by idx): its bids and disqualifications, as the bid files will show them. */
  readonly byBuyer = new Map<number, BuyerBids>();

  constructor(private readonly rng: Rng, private readonly world: World, private readonly pools: Pools) {}

  private get firms(): Firm[] {
    return this.world.firms;
  }

  private unit(est: number): number {
    const r = this.rng.next();
    if (est >= 5e9 && r < 0.2) return 1e6;
    return r < 0.85 ? 1000 : 1;
  }

  /** A submission time before the deadline, most of them in the last two days. */
  private submitTime(spec: TenderSpec): [number, number, number] {
    const rng = this.rng;
    let day: number;
    if (rng.chance(0.7)) day = spec.deadline - rng.int(Math.min(3, spec.deadline - spec.published));
    else day = spec.published + 1 + rng.int(Math.max(1, spec.deadline - spec.published));
    day = Math.min(day, spec.deadline);
    let min: number;
    if (day === spec.deadline) min = rng.range(Math.min(420, spec.deadlineMin - 5), spec.deadlineMin - 1);
    else min = rng.range(450, 1320);
    return [day, min, rng.int(60)];
  }

  private mkBid(spec: TenderSpec, firm: number, amount: number, final = amount, valid = true): BidRow {
    const [day, min, sec] = this.submitTime(spec);
    return { firm, amount, final, valid, day, min, sec };
  }

  private honestBids(spec: TenderSpec, est: number, firms: number[]): BidRow[] {
    const rng = this.rng;
    const m = clamp(rng.gauss(0.95, 0.03), 0.85, 0.995);
    const cv = rng.uniform(0.05, 0.12);
    const unit = this.unit(est);
    const out: BidRow[] = [];
    for (const f of firms) {
      const amount = roundTo(est * m * this.firms[f].eff * Math.exp(rng.gauss(0, cv)), unit);
      const final = rng.chance(0.85) ? amount : roundTo(amount * (1 - rng.uniform(0.005, 0.05)), unit);
      const valid = firms.length < 2 || !rng.chance(0.035);
      out.push(this.mkBid(spec, f, amount, final, valid));
    }
    if (out.length === 1) {
      const b = out[0];
      const cap = est * rng.uniform(0.95, 0.985);
      if (b.final > cap) {
        b.final = roundTo(cap, unit);
        if (b.amount < b.final) b.amount = b.final;
      }
    } else {
      let lo = Infinity;
      for (const b of out) if (b.valid && b.final < lo) lo = b.final;
      if (lo !== Infinity && lo > est * 0.985) {
        const k = (est * rng.uniform(0.92, 0.98)) / lo;
        for (const b of out) {
          b.amount = roundTo(b.amount * k, unit);
          b.final = Math.min(b.amount, roundTo(b.final * k, unit));
        }
      }
    }
    return out;
  }

  private designatedRow(spec: TenderSpec, firm: number, est: number, ratio?: number): BidRow {
    const rng = this.rng;
    const r = ratio ?? clamp(1 - Math.exp(rng.gauss(Math.log(0.05), 0.5)), 0.85, 0.995);
    const amount = roundTo(est * r, this.unit(est));
    return this.mkBid(spec, firm, amount);
  }

  private others(spec: TenderSpec, n: number, exclude: number[]): number[] {
    return this.pools.select(this.rng, spec.sector, spec.buyer.province, n, spec.published, spec.award, exclude);
  }

  private lowestValid(bids: BidRow[]): number {
    let w = -1;
    for (let i = 0; i < bids.length; i++) if (bids[i].valid && (w < 0 || bids[i].final < bids[w].final)) w = i;
    return w;
  }

  /** Bids of one lot. */
  private lotBids(spec: TenderSpec, est: number): BidRow[] {
    const rng = this.rng;
    const plan = spec.plan;
    if (!plan) {
      if (spec.procedure === 'designated' || spec.procedure === 'direct') {
        const f = this.others(spec, 1, [])[0];
        return f === undefined ? [] : [this.designatedRow(spec, f, est)];
      }
      return this.honestBids(spec, est, this.others(spec, spec.nBids, []));
    }
    switch (plan.kind) {
      case 'cover': {
        const [w, ...losers] = plan.members;
        const unit = est >= 5e9 && rng.chance(0.3) ? 1e6 : 1000;
        const wAmt = roundTo(est * rng.uniform(0.99, 0.9995), unit);
        if (wAmt > est) return this.coverFallback(spec, est, w);
        const bids: BidRow[] = [];
        const [d0, m0, s0] = this.submitTime(spec);
        let [day, min] = [d0, Math.min(m0, spec.deadlineMin - 5 * plan.members.length - 60)];
        if (min < 420) min = 420;
        const order = rng.shuffle(plan.members.slice());
        const times = new Map<number, [number, number, number]>();
        for (const f of order) {
          times.set(f, [day, min, rng.int(60)]);
          [day, min] = addMinutes(day, min, rng.range(1, 9));
        }
        void s0;
        const push = (f: number, amount: number): void => {
          const t = times.get(f)!;
          bids.push({ firm: f, amount, final: amount, valid: true, day: t[0], min: t[1], sec: t[2] });
        };
        push(w, wAmt);
        losers.forEach((f, i) => push(f, roundTo(wAmt * (1 + plan.markups[i] + rng.gauss(0, 0.0012)), unit)));
        return bids;
      }
      case 'rotation': {
        const wAmt = roundTo(est * rng.uniform(0.93, 0.985), 1000);
        const bids = [this.mkBid(spec, plan.winner, wAmt)];
        for (const f of plan.members) if (f !== plan.winner) bids.push(this.mkBid(spec, f, roundTo(wAmt * (1 + rng.uniform(0.015, 0.08)), 1000)));
        for (const f of this.others(spec, plan.outsiders, plan.members)) {
          bids.push(this.mkBid(spec, f, roundTo(wAmt * rng.uniform(1.04, 1.25), 1000), undefined, !rng.chance(0.05)));
        }
        return rng.shuffle(bids);
      }
      case 'alloc':
      case 'newco': {
        const fav = plan.kind === 'alloc' ? plan.owner : plan.favoured;
        const n = plan.kind === 'alloc' ? plan.outsiders : plan.others;
        const lo = plan.kind === 'alloc' ? 0.93 : 0.95;
        const hi = plan.kind === 'alloc' ? 0.98 : 0.99;
        const fAmt = roundTo(est * rng.uniform(lo, hi), 1000);
        const bids = this.honestBids(spec, est, this.others(spec, n, [fav]));
        for (const b of bids) {
          if (b.amount <= fAmt * 1.02) b.amount = roundTo(fAmt * rng.uniform(1.02, 1.15), 1000);
          b.final = b.amount;
          b.valid = true;
        }
        bids.push(this.mkBid(spec, fav, fAmt));
        return rng.shuffle(bids);
      }
      case 'lowdisq': {
        const fAmt = roundTo(est * rng.uniform(0.95, 0.985), 1000);
        const rest = this.others(spec, plan.others, [plan.favoured]);
        const bids = [this.mkBid(spec, plan.favoured, fAmt)];
        rest.forEach((f, i) => {
          if (i === 0) bids.push(this.mkBid(spec, f, roundTo(fAmt * rng.uniform(0.85, 0.95), 1000), undefined, false));
          else bids.push(this.mkBid(spec, f, roundTo(fAmt * rng.uniform(1.02, 1.15), 1000), undefined, !(i === 1 && rng.chance(0.4))));
        });
        return rng.shuffle(bids);
      }
      case 'allbut': {
        const fAmt = roundTo(est * rng.uniform(0.95, 0.985), 1000);
        const bids = this.honestBids(spec, est, this.others(spec, plan.others, [plan.favoured]));
        for (const b of bids) b.valid = false;
        bids.push(this.mkBid(spec, plan.favoured, fAmt));
        return rng.shuffle(bids);
      }
      case 'single':
        return [this.mkBid(spec, plan.favoured, roundTo(est * rng.uniform(0.93, 0.985), 1000))];
      case 'captured': {
        if (spec.procedure === 'designated') return [this.designatedRow(spec, plan.favoured, est, rng.uniform(0.99, 0.999))];
        const fAmt = roundTo(est * rng.uniform(0.99, 0.998), 1000);
        const bids = [this.mkBid(spec, plan.favoured, fAmt)];
        for (const f of this.others(spec, plan.others, [plan.favoured])) {
          bids.push(this.mkBid(spec, f, roundTo(fAmt * rng.uniform(1.01, 1.12), 1000), undefined, !rng.chance(0.4)));
        }
        return rng.shuffle(bids);
      }
      case 'split':
        return [this.mkBid(spec, plan.supplier, plan.amount)];
      case 'short':
        return this.honestBids(spec, est, this.others(spec, plan.others, []));
    }
  }

  private coverFallback(spec: TenderSpec, est: number, w: number): BidRow[] {
    return [this.mkBid(spec, w, roundTo(est * 0.99, 1000))];
  }

  private applyMod(spec: TenderSpec, bids: BidRow[]): void {
    const rng = this.rng;
    const mod = spec.mod;
    if (!mod) return;
    const lowest = (): number => {
      const w = this.lowestValid(bids);
      return w < 0 ? spec.estimate * 0.9 : bids[w].final;
    };
    switch (mod.kind) {
      case 'permloser': {
        const amt = roundTo(lowest() * rng.uniform(1.04, 1.2), 1000);
        bids.splice(rng.int(bids.length + 1), 0, this.mkBid(spec, mod.firm, amt));
        break;
      }
      case 'fixedratio': {
        const m = clamp(rng.gauss(0.93, 0.03), 0.85, 0.98);
        const a = roundTo(spec.estimate * m * Math.exp(rng.gauss(0, 0.06)), 1000);
        const b = roundTo(a * mod.ratio, 1000);
        bids.splice(rng.int(bids.length + 1), 0, this.mkBid(spec, mod.a, a));
        bids.splice(rng.int(bids.length + 1), 0, this.mkBid(spec, mod.b, b));
        break;
      }
      case 'identical': {
        const amt = roundTo(lowest() * rng.uniform(1.02, 1.12), 1000);
        bids.splice(rng.int(bids.length + 1), 0, this.mkBid(spec, mod.a, amt));
        bids.splice(rng.int(bids.length + 1), 0, this.mkBid(spec, mod.b, amt));
        break;
      }
      case 'latewin': {
        const amt = roundTo(lowest() * rng.uniform(0.95, 0.99), 1000);
        const b = this.mkBid(spec, mod.firm, amt);
        const [d, m] = addMinutes(spec.deadline, spec.deadlineMin, rng.range(4, 150));
        b.day = d;
        b.min = m;
        bids.splice(rng.int(bids.length + 1), 0, b);
        break;
      }
    }
  }

  /** All lots of a tender, with winners; records awards. */
  run(spec: TenderSpec): Lot[] {
    const lots: Lot[] = [];
    const nLots = spec.lots || 1;
    let shares: number[] = [1];
    if (spec.lots) {
      const raw = Array.from({ length: nLots }, () => this.rng.uniform(0.4, 1.6));
      const s = raw.reduce((a, b) => a + b, 0);
      shares = raw.map((r) => r / s);
    }
    for (let l = 0; l < nLots; l++) {
      const est = spec.lots ? Math.max(1e6, Math.round((spec.estimate * shares[l]) / 1e6) * 1e6) : spec.estimate;
      const bids = this.lotBids(spec, est);
      if (!spec.lots) this.applyMod(spec, bids);
      let w = this.lowestValid(bids);
      if (w < 0 && bids.length && (spec.mod || spec.billing)) {
        let lo = 0;
        for (let i = 1; i < bids.length; i++) if (bids[i].final < bids[lo].final) lo = i;
        bids[lo].valid = true;
        w = lo;
      }
      const lot: Lot = { lot: spec.lots ? String(l + 1) : '', estimate: est, bids, winner: w };
      lots.push(lot);
      this.count(spec, lot);
      this.tally(spec, lot);
      if (w >= 0) {
        this.awards.push({ spec, lot: lot.lot, winner: bids[w].firm, amount: bids[w].final });
        if (!spec.lots) {
          spec.winner = bids[w].firm;
          spec.awardAmount = bids[w].final;
          if (spec.billing) spec.losers = bids.filter((_, i) => i !== w).map((b) => b.firm);
        }
      }
    }
    return lots;
  }

  private tally(spec: TenderSpec, lot: Lot): void {
    let t = this.byBuyer.get(spec.buyer.idx);
    if (!t) this.byBuyer.set(spec.buyer.idx, (t = { bids: 0, disqualified: 0, belowWinner: 0, planted: '' }));
    const win = lot.winner >= 0 ? lot.bids[lot.winner].amount : NaN;
    let disq = 0;
    for (const b of lot.bids) {
      t.bids++;
      if (b.valid) continue;
      disq++;
      if (b.amount < win) t.belowWinner++;
    }
    t.disqualified += disq;
    if (disq && !t.planted && spec.plan && DISQUALIFYING.has(spec.plan.kind)) t.planted = spec.plan.inst;
  }

  private count(spec: TenderSpec, lot: Lot): void {
    const f = this.factual;
    f.lots++;
    const bids = lot.bids;
    if (lot.winner < 0) {
      f.failed++;
      return;
    }
    if (bids[lot.winner].final / lot.estimate >= 0.99) f.nearEstimateWin++;
    if (!isCompetitive(spec.procedure)) return;
    f.competitiveLots++;
    const valid = bids.filter((b) => b.valid).length;
    if (bids.length === 1 || valid === 1) f.singleBidder++;
    if (bids.length >= 2) {
      let lo = 0;
      for (let i = 1; i < bids.length; i++) if (bids[i].amount < bids[lo].amount) lo = i;
      if (!bids[lo].valid) f.lowestBidDisqualified++;
      if (valid === 1 && bids.length - valid >= 1) f.allButWinnerDisqualified++;
      const seen = new Set<number>();
      for (const b of bids) {
        if (seen.has(b.amount)) {
          f.identicalBids++;
          break;
        }
        seen.add(b.amount);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Writers

export class BidWriters {
  private readonly canonical: ByteWriter;
  private readonly vn: ByteWriter | null;
  private readonly quirks: Rng;
  private readonly firmCsv: PackedTexts;
  private readonly firmVnName: PackedTexts | null;
  tenders = 0;
  vnTenders = 0;

  constructor(dir: string, private readonly world: World, splitVn: boolean, root: Rng) {
    this.canonical = new ByteWriter(`${dir}/bids.csv`);
    this.canonical.str(CANONICAL_BID_HEADER.join(',') + '\n');
    this.vn = splitVn ? new ByteWriter(`${dir}/bids-vn.csv`) : null;
    if (this.vn) this.vn.str('\uFEFF' + VN_BID_HEADER.join(';') + '\r\n');
    this.quirks = root.fork('vn-quirks');
    this.firmCsv = new PackedTexts(world.firms.map((f) => `${f.id},${cell(f.name)},`));
    this.firmVnName = splitVn ? new PackedTexts(world.firms.map((f) => ';' + cell(f.name, ';') + ';')) : null;
  }

  get canonicalRows(): number {
    return this.canonical.rows;
  }

  get vnRows(): number {
    return this.vn?.rows ?? 0;
  }

  async write(spec: TenderSpec, lots: Lot[]): Promise<void> {
    const vn = this.vn && spec.buyer.idx < this.world.buyers.length / 2;
    if (vn) {
      this.vnTenders++;
      this.writeVn(spec, lots);
      await this.vn!.maybeFlush();
    } else {
      this.tenders++;
      this.writeCanonical(spec, lots);
      await this.canonical.maybeFlush();
    }
  }

  private writeCanonical(spec: TenderSpec, lots: Lot[]): void {
    const w = this.canonical;
    const b = spec.buyer;
    const province = ByteWriter.enc(cell(PROVINCES[b.province].name));
    for (const lot of lots) {
      const awarded = lot.winner >= 0;
      const head = ByteWriter.enc(
        `${spec.id},${lot.lot},${b.id},${cell(b.name)},${cell(spec.title)},${spec.category},${spec.procedure},${lot.estimate},VND,` +
          `${iso(spec.published)},${iso(spec.deadline)}T${hms(spec.deadlineMin)},${iso(spec.deadline)},` +
          `${awarded ? iso(spec.award) : ''},${awarded ? iso(spec.contract) : ''},`,
      );
      lot.bids.forEach((bid, i) => {
        const win = i === lot.winner;
        w.begin();
        w.bytes_(head);
        w.packed(this.firmCsv, bid.firm);
        w.int(bid.amount);
        w.byte(44);
        w.int(bid.final);
        w.ascii(bid.valid ? ',valid,' : ',disqualified,');
        w.ascii(win ? 'true,' : 'false,');
        if (win) w.int(bid.final);
        w.byte(44);
        w.ascii(`${iso(bid.day)}T${hms(bid.min, bid.sec)},`);
        w.bytes_(province);
        w.end();
      });
    }
  }

  private quirkId(id: string): string {
    const r = this.quirks.next();
    if (id.includes('-')) return r < 0.03 ? 'vn' + id : id;
    if (r < 0.03 && id.startsWith('0')) return id.slice(1);
    if (r < 0.05) return 'vn' + id;
    return id;
  }

  private writeVn(spec: TenderSpec, lots: Lot[]): void {
    const w = this.vn!;
    const firms = this.world.firms;
    const b = spec.buyer;
    const buyerId = b.idx % 13 === 5 && b.id.startsWith('0') ? b.id.slice(1) : b.id;
    const province = ByteWriter.enc(';' + cell(PROVINCES[b.province].name, ';'));
    for (const lot of lots) {
      const awarded = lot.winner >= 0;
      const head = ByteWriter.enc(
        [
          spec.id, lot.lot, buyerId, cell(b.name, ';'), cell(spec.title, ';'), CATEGORY_VN[spec.category], PROCEDURE_VN[spec.procedure],
          vnAmount(lot.estimate), vnDate(spec.published), `${vnDate(spec.deadline)} ${hm(spec.deadlineMin)}`, vnDate(spec.deadline),
          awarded ? vnDate(spec.award) : '', awarded ? vnDate(spec.contract) : '',
        ].join(';') + ';',
      );
      lot.bids.forEach((bid, i) => {
        const f = firms[bid.firm];
        const win = i === lot.winner;
        w.begin();
        w.bytes_(head);
        w.ascii(this.quirkId(f.id));
        w.packed(this.firmVnName!, bid.firm);
        w.ascii(vnAmount(bid.amount));
        w.byte(59);
        w.ascii(vnAmount(bid.final));
        w.str(bid.valid ? ';Đạt;' : ';Không đạt;');
        if (win) w.str(b.winnerMark);
        w.byte(59);
        if (win) w.ascii(vnAmount(bid.final));
        w.bytes_(province);
        w.end(13);
        w.byte(10);
      });
    }
  }

  async close(): Promise<void> {
    await this.canonical.close();
    if (this.vn) await this.vn.close();
  }
}
