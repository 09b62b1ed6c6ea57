/**
 * Tender specifications: who buys what, when, how (procedure and legal deadlines), at what
 * estimate; honest ones drawn from the economy, planted ones built by plan.ts. Prices and
 * bidders are decided later, in bids.ts, from `plan` (a planted scheme driving the tender) and
 * `mod` (a planted twist on an otherwise honest tender).
 */
import {
  TENDER_END, TENDER_START, ceilingsOn, isHoliday, monthOf, nextWorkday, weekday, yearOf,
} from './dates.js';
import type { Buyer, Firm } from './entities.js';
import { BUYER_GOODS, categoryWeightsOf } from './entities.js';
import { AliasTable, CumulativePicker, type Rng } from './rng.js';
import { BIDDING_SECTORS, CATEGORIES, SECTORS, sectorIdx, type Category, type Procedure } from './sectors.js';
import { COMMUNES, HAMLETS, PROVINCES } from './vn-data.js';
import type { World } from './world.js';

export type Plan =
  | { kind: 'cover'; inst: string; members: number[]; markups: number[] }
  | { kind: 'rotation'; inst: string; members: number[]; winner: number; outsiders: number }
  | { kind: 'alloc'; inst: string; owner: number; outsiders: number }
  | { kind: 'lowdisq'; inst: string; favoured: number; others: number }
  | { kind: 'allbut'; inst: string; favoured: number; others: number }
  | { kind: 'single'; inst: string; favoured: number }
  | { kind: 'captured'; inst: string; favoured: number; others: number }
  | { kind: 'split'; inst: string; supplier: number; amount: number }
  | { kind: 'short'; inst: string; others: number }
  | { kind: 'newco'; inst: string; favoured: number; others: number };

export type Mod =
  | { kind: 'permloser'; inst: string; firm: number }
  | { kind: 'fixedratio'; inst: string; a: number; b: number; ratio: number }
  | { kind: 'identical'; inst: string; a: number; b: number }
  | { kind: 'latewin'; inst: string; firm: number };

export type Billing =
  | { kind: 'overbill'; inst: string; factor: number }
  | { kind: 'before'; inst: string; lead: number }
  | { kind: 'side'; inst: string; share: number };

export interface TenderSpec {
  /** Creation order: a stable key before ids are assigned. */
  n: number;
  id: string;
  buyer: Buyer;
  category: Category;
  sector: number;
  procedure: Procedure;
  inProject: boolean;
  title: string;
  published: number;
  deadline: number;
  deadlineMin: number;
  award: number;
  contract: number;
  estimate: number;
  /** 0 = one lot, lot_id left blank; otherwise the number of lots. */
  lots: number;
  /** Bidders per lot for honest competition. */
  nBids: number;
  plan: Plan | null;
  mod: Mod | null;
  billing: Billing | null;
  sortKey: number;
  /** Filled in by bids.ts (single-lot tenders). */
  winner: number;
  awardAmount: number;
  losers: number[] | null;
}

// ---------------------------------------------------------------------------------------------
// Dates

const MONTH_WEIGHT = [0, 0.65, 0.6, 1.0, 1.05, 1.1, 1.1, 1.0, 1.0, 1.0, 1.1, 1.3, 1.35];

let pubTable: { table: AliasTable; days: number[] } | null = null;

/** Day a notice is published: working days, fewer around Tết, more before year end. */
export function drawPublication(rng: Rng): number {
  if (!pubTable) {
    const days: number[] = [];
    const w: number[] = [];
    for (let d = TENDER_START; d <= TENDER_END; d++) {
      const wd = weekday(d);
      let x = MONTH_WEIGHT[monthOf(d)];
      if (wd === 0) x *= 0.01;
      else if (wd === 6) x *= 0.06;
      if (isHoliday(d)) x *= 0.02;
      x *= 1 + 0.06 * (yearOf(d) - 2023);
      days.push(d);
      w.push(x);
    }
    pubTable = { table: new AliasTable(w), days };
  }
  return pubTable.days[pubTable.table.draw(rng)];
}

const DEADLINE_MINUTES: [number, number][] = [[540, 40], [570, 15], [600, 20], [840, 10], [900, 10], [480, 5]];

/** Sets deadline, award and contract dates from the publication day, per procedure. */
export function scheduleDates(rng: Rng, spec: TenderSpec, opts: { short?: boolean } = {}): void {
  const p = spec.procedure;
  let period: number;
  if (opts.short) period = p === 'competitive-shopping' ? rng.range(2, 5) : rng.range(5, 11);
  else if (p === 'open' || p === 'restricted') period = rng.weighted([[18, 6], [19, 4], [20, 5], [21, 4], [22, 3], [25, 2], [28, 2], [30, 1]]);
  else if (p === 'competitive-shopping') period = rng.range(7, 12);
  else period = rng.range(3, 10);
  let deadline = spec.published + period;
  if (!opts.short) deadline = nextWorkday(deadline);
  else if (weekday(deadline) === 0) deadline++;
  spec.deadline = deadline;
  spec.deadlineMin = rng.weighted(DEADLINE_MINUTES);
  const evalDays = p === 'open' ? rng.range(14, 45) : p === 'restricted' ? rng.range(14, 40) : p === 'competitive-shopping' ? rng.range(7, 25) : rng.range(3, 15);
  spec.award = nextWorkday(deadline + evalDays);
  spec.contract = nextWorkday(spec.award + rng.range(2, 15));
}

// ---------------------------------------------------------------------------------------------
// Estimates, procedures, sectors, titles

const EST: Record<Category, [number, number]> = {
  goods: [Math.log(450e6), 1.15],
  works: [Math.log(2.2e9), 1.0],
  consulting: [Math.log(250e6), 0.95],
  'non-consulting': [Math.log(350e6), 1.0],
  mixed: [Math.log(8e9), 0.8],
};

export function roundEstimate(rng: Rng, x: number): number {
  const unit = rng.weighted([[1000, 55], [1e6, 30], [1, 15]]);
  return Math.max(unit, Math.round(x / unit) * unit);
}

export function drawEstimate(rng: Rng, cat: Category): number {
  const [mu, s] = EST[cat];
  return roundEstimate(rng, Math.max(20e6, Math.min(900e9, rng.lognormal(mu, s))));
}

/** Ceiling for designated contracting that applies to this purchase on this day. */
export function designatedCeiling(cat: Category, inProject: boolean, day: number): number {
  const c = ceilingsOn(day);
  if (cat === 'consulting') return c.consulting;
  return inProject ? c.goodsWorks : c.recurrent;
}

const PROCEDURE_WEIGHTS: Record<Category, [Procedure, number][]> = {
  goods: [['designated', 24], ['direct', 3], ['competitive-shopping', 32], ['open', 40], ['restricted', 1]],
  works: [['designated', 27], ['competitive-shopping', 27], ['open', 44], ['restricted', 2]],
  consulting: [['designated', 45], ['open', 53], ['restricted', 2]],
  'non-consulting': [['designated', 25], ['competitive-shopping', 35], ['open', 40]],
  mixed: [['open', 94], ['restricted', 6]],
};

/** Procedure in realistic proportions, then an estimate the law allows for it. */
export function chooseProcedureAndEstimate(rng: Rng, cat: Category, day: number, inProject: boolean): [Procedure, number] {
  const p = rng.weighted(PROCEDURE_WEIGHTS[cat]);
  const [mu, s] = EST[cat];
  let cap = 900e9;
  let shift = 0;
  if (p === 'designated' || p === 'direct') {
    cap = designatedCeiling(cat, inProject, day);
    shift = -0.8;
  } else if (p === 'competitive-shopping') {
    cap = ceilingsOn(day).shopping;
    shift = -0.2;
  } else if (p === 'open') shift = 0.35;
  let e = 0;
  for (let i = 0; i < 30; i++) {
    e = rng.lognormal(mu + shift, s);
    if (e < cap && e >= 20e6) break;
  }
  if (!(e < cap && e >= 20e6)) e = Math.exp(rng.uniform(Math.log(20e6), Math.log(cap * 0.98)));
  return [p, Math.min(roundEstimate(rng, e), cap - 1000)];
}

export function chooseProcedure(rng: Rng, cat: Category, estimate: number, day: number, inProject: boolean): Procedure {
  const ceil = designatedCeiling(cat, inProject, day);
  const shop = ceilingsOn(day).shopping;
  const r = rng.next();
  if (estimate < ceil && r < 0.45) return cat === 'goods' && rng.chance(0.08) ? 'direct' : 'designated';
  if (estimate <= shop && cat !== 'consulting' && cat !== 'mixed' && r < 0.8) return 'competitive-shopping';
  if (rng.chance(0.025)) return 'restricted';
  return 'open';
}

export function chooseSector(rng: Rng, buyer: Buyer, cat: Category): number {
  if (cat === 'goods') return sectorIdx(rng.weighted(BUYER_GOODS[buyer.type]));
  return rng.pick(BIDDING_SECTORS[cat]);
}

export function categoryFor(sector: number): Category {
  return SECTORS[sector].category ?? 'goods';
}

function districtLabel(d: string): string {
  if (d.startsWith('TP. ')) return 'thành phố ' + d.slice(4);
  return d.charAt(0).toLowerCase() + d.slice(1);
}

function workName(rng: Rng, buyer: Buyer): string {
  const c1 = rng.pick(COMMUNES);
  let c2 = rng.pick(COMMUNES);
  if (c2 === c1) c2 = COMMUNES[(COMMUNES.indexOf(c1) + 3) % COMMUNES.length];
  const dl = districtLabel(buyer.district);
  return rng.pick([
    `Cải tạo, nâng cấp đường giao thông liên xã ${c1} – ${c2}, ${dl}`,
    `Xây dựng nhà lớp học 3 tầng Trường Tiểu học ${c1}`,
    `Sửa chữa, cải tạo trụ sở làm việc ${buyer.name}`,
    `Kè chống sạt lở bờ sông đoạn qua xã ${c1}`,
    `Xây dựng hệ thống thoát nước khu dân cư ${c1}`,
    `Nâng cấp trạm y tế xã ${c1}`,
    `Đường bê tông nội đồng ${rng.pick(HAMLETS)}, xã ${c1}`,
    `Xây dựng cầu ${c1} và đường dẫn hai đầu cầu`,
    `Cải tạo hệ thống điện chiếu sáng công cộng ${dl}`,
    `Xây dựng nhà văn hóa ${rng.pick(HAMLETS).toLowerCase()} xã ${c1}`,
    `Nâng cấp, mở rộng tuyến đường ĐH.${rng.range(1, 40)} ${dl}`,
    `Xây dựng khối nhà điều trị nội trú ${buyer.name}`,
    `Kiên cố hóa kênh mương nội đồng xã ${c1}`,
  ]);
}

export function titleFor(rng: Rng, cat: Category, sector: number, buyer: Buyer, year: number, part?: string): string {
  const nn = String(rng.range(1, 12)).padStart(2, '0');
  const sfx = part ? ` (${part})` : '';
  const items = SECTORS[sector].items;
  const item = rng.pick(items);
  switch (cat) {
    case 'goods':
      return rng.weighted([
        [`Mua sắm ${item} năm ${year}${sfx}`, 5],
        [`Cung cấp ${item} cho ${buyer.name}${sfx}`, 3],
        [`Mua sắm, lắp đặt ${item}${sfx}`, 2],
        [`Gói thầu số ${nn}: Cung cấp ${item}${sfx}`, 3],
        [`Gói thầu số ${nn}: Cung cấp thiết bị; lắp đặt, chạy thử và chuyển giao ${item}${sfx}`, 0.6],
        [`Mua sắm ${item} thuộc dự án "Nâng cao năng lực ${buyer.name}"${sfx}`, 0.6],
      ]);
    case 'works': {
      const w = workName(rng, buyer);
      return rng.weighted([
        [`Thi công xây dựng công trình: ${w}${sfx}`, 5],
        [`Gói thầu số ${nn}: Thi công xây lắp ${w}${sfx}`, 4],
        [`Thi công xây dựng; giám sát tác giả: ${w}${sfx}`, 0.5],
      ]);
    }
    case 'consulting': {
      const w = workName(rng, buyer);
      return rng.pick([
        `Tư vấn lập báo cáo kinh tế - kỹ thuật công trình ${w}${sfx}`,
        `Tư vấn giám sát thi công xây dựng công trình ${w}${sfx}`,
        `Tư vấn khảo sát, thiết kế bản vẽ thi công ${w}${sfx}`,
        `Tư vấn lập hồ sơ mời thầu và đánh giá hồ sơ dự thầu gói thầu thi công ${w}${sfx}`,
        `Kiểm định chất lượng công trình "${w}"${sfx}`,
      ]);
    }
    case 'non-consulting': {
      const key = SECTORS[sector].key;
      if (key === 'transport') return rng.pick([`Thuê xe ô tô phục vụ công tác năm ${year}${sfx}`, `Dịch vụ vận chuyển hàng hóa năm ${year}${sfx}`]);
      if (key === 'printing') return rng.pick([`In ấn tài liệu tuyên truyền năm ${year}${sfx}`, `Tổ chức sự kiện "Ngày hội ${buyer.name}"${sfx}`, `In ấn phẩm, biểu mẫu năm ${year}${sfx}`]);
      return rng.pick([
        `Dịch vụ bảo vệ ${buyer.name} năm ${year}${sfx}`,
        `Dịch vụ vệ sinh công nghiệp ${buyer.name} năm ${year}${sfx}`,
        `Dịch vụ thu gom, vận chuyển rác thải ${districtLabel(buyer.district)} năm ${year}${sfx}`,
        `Chăm sóc cây xanh, thảm cỏ năm ${year}${sfx}`,
      ]);
    }
    case 'mixed':
      return `Thiết kế, cung cấp thiết bị và thi công xây dựng (EPC) công trình ${workName(rng, buyer)}${sfx}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Specs

let specCounter = 0;

export function newSpec(rng: Rng, buyer: Buyer, cat: Category, sector: number, published: number, procedure: Procedure, estimate: number, inProject: boolean): TenderSpec {
  const spec: TenderSpec = {
    n: specCounter++,
    id: '',
    buyer,
    category: cat,
    sector,
    procedure,
    inProject,
    title: '',
    published,
    deadline: 0,
    deadlineMin: 0,
    award: 0,
    contract: 0,
    estimate,
    lots: 0,
    nBids: 1,
    plan: null,
    mod: null,
    billing: null,
    sortKey: rng.next(),
    winner: -1,
    awardAmount: 0,
    losers: null,
  };
  spec.title = titleFor(rng, cat, sector, buyer, yearOf(published));
  scheduleDates(rng, spec);
  return spec;
}

export function resetSpecCounter(): void {
  specCounter = 0;
}

export function honestBidderCount(rng: Rng, p: Procedure): number {
  if (p === 'designated' || p === 'direct') return 1;
  if (rng.chance(0.045)) return 1;
  if (p === 'restricted') return rng.range(3, 5);
  const lambda = p === 'open' ? 4.9 : 3.6;
  return Math.min(14, 2 + rng.poisson(lambda));
}

export function makeHonestSpecs(rng: Rng, world: World, count: number, buyerWeight: (b: Buyer) => number): TenderSpec[] {
  const table = new AliasTable(world.buyers.map(buyerWeight));
  const specs: TenderSpec[] = [];
  for (let i = 0; i < count; i++) {
    const buyer = world.buyers[table.draw(rng)];
    const cat = CATEGORIES[rng.weightedIndex(categoryWeightsOf(buyer))];
    const sector = chooseSector(rng, buyer, cat);
    const published = drawPublication(rng);
    const inProject = cat === 'goods' ? rng.chance(0.4) : cat !== 'non-consulting';
    const [procedure, estimate] = chooseProcedureAndEstimate(rng, cat, published, inProject);
    const spec = newSpec(rng, buyer, cat, sector, published, procedure, estimate, inProject);
    spec.nBids = honestBidderCount(rng, procedure);
    if (cat === 'goods' && procedure === 'open' && estimate > 2e9 && rng.chance(0.25)) spec.lots = rng.range(2, 4);
    specs.push(spec);
  }
  return specs;
}

// ---------------------------------------------------------------------------------------------
// Bidder pools

function active(f: Firm, from: number, to: number): boolean {
  return f.registered <= from - 20 && f.closed > to;
}

export class Pools {
  private readonly national = new Map<number, CumulativePicker>();
  private readonly regional = new Map<string, CumulativePicker>();
  private readonly local = new Map<string, CumulativePicker>();

  constructor(private readonly firms: Firm[]) {
    const nat = new Map<number, number[]>();
    const reg = new Map<string, number[]>();
    const loc = new Map<string, number[]>();
    const push = <K>(m: Map<K, number[]>, k: K, v: number): void => {
      let a = m.get(k);
      if (!a) m.set(k, (a = []));
      a.push(v);
    };
    for (const f of firms) {
      if (f.bidWeight <= 0) continue;
      push(nat, f.sector, f.idx);
      push(reg, `${f.sector}:${PROVINCES[f.province].region}`, f.idx);
      push(loc, `${f.sector}:${f.province}`, f.idx);
    }
    const w = (i: number): number => firms[i].bidWeight;
    for (const [k, v] of nat) this.national.set(k, new CumulativePicker(v, w));
    for (const [k, v] of reg) this.regional.set(k, new CumulativePicker(v, w));
    for (const [k, v] of loc) this.local.set(k, new CumulativePicker(v, w));
  }

  /** One candidate: local firms first, then the region, then anywhere. */
  candidate(rng: Rng, sector: number, province: number): number {
    const r = rng.next();
    let p: CumulativePicker | undefined;
    if (r < 0.62) p = this.local.get(`${sector}:${province}`);
    if (!p && r < 0.86) p = this.regional.get(`${sector}:${PROVINCES[province].region}`);
    if (!p) p = this.national.get(sector);
    if (!p || p.length === 0) return -1;
    return p.draw(rng);
  }

  /** Up to n distinct active firms of the sector, none of `exclude`. */
  select(rng: Rng, sector: number, province: number, n: number, from: number, to: number, exclude: readonly number[] = []): number[] {
    const out: number[] = [];
    for (let attempt = 0; out.length < n && attempt < n * 12 + 10; attempt++) {
      const c = this.candidate(rng, sector, province);
      if (c < 0) break;
      if (out.includes(c) || exclude.includes(c)) continue;
      if (!active(this.firms[c], from, to)) continue;
      out.push(c);
    }
    return out;
  }
}
