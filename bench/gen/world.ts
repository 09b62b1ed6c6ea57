/**
 * The ordinary economy: public buyers, firms that bid, firms that only trade, landlords and
 * subscription sellers — and the traps an honest economy contains (business centres hosting
 * many unrelated firms, common representative names, strong incumbents).
 */
import { dayOf } from './dates.js';
import { FirmFactory, makeBuyers, renderAddress, type Buyer, type Firm } from './entities.js';
import { Rng } from './rng.js';
import { BIDDER_SECTOR_WEIGHTS, SECTORS, TRADE_SECTOR_WEIGHTS, sectorIdx } from './sectors.js';
import { TaxCodeIssuer } from './taxcode.js';
import { BUILDINGS, PROVINCES } from './vn-data.js';

export interface Sizes {
  scale: number;
  tenders: number;
  invoices: number;
  buyers: number;
  bidderFirms: number;
  tradeFirms: number;
}

export function sizesFor(scale: number, tenders?: number, invoices?: number): Sizes {
  const t = Math.max(1, Math.round(tenders ?? 100 * scale));
  const inv = Math.max(0, Math.round(invoices ?? 25 * t));
  return {
    scale: t / 100,
    tenders: t,
    invoices: inv,
    buyers: Math.max(12, Math.round(t / 20)),
    bidderFirms: Math.max(150, Math.round(t * 0.2)),
    tradeFirms: Math.max(40, Math.round(inv / 120)),
  };
}

/** Office districts of the three big cities and their wards. */
const CENTRE_PLACES: Record<number, [string, string[]][]> = {
  0: [['Quận Cầu Giấy', ['Dịch Vọng Hậu', 'Trung Hòa', 'Yên Hòa']], ['Quận Nam Từ Liêm', ['Mỹ Đình 1', 'Mễ Trì']], ['Quận Đống Đa', ['Láng Hạ', 'Thành Công']]],
  1: [['Quận 1', ['Bến Nghé', 'Đa Kao', 'Bến Thành']], ['Quận 3', ['Võ Thị Sáu']], ['Quận Tân Bình', ['2', '4', '12']]],
  3: [['Quận Hải Châu', ['Hòa Cường Bắc', 'Thạc Gián']], ['Quận Sơn Trà', ['An Hải Bắc']]],
};

export interface BusinessCentre {
  address: string;
  province: number;
  firms: number[];
}

export interface World {
  sizes: Sizes;
  issuer: TaxCodeIssuer;
  factory: FirmFactory;
  firms: Firm[];
  buyers: Buyer[];
  incumbents: number[];
  centres: BusinessCentre[];
  landlords: number[];
  subscriptionSellers: number[];
}

export function buildWorld(root: Rng, sizes: Sizes): World {
  const issuer = new TaxCodeIssuer();
  const factory = new FirmFactory(issuer);
  const buyers = makeBuyers(root.fork('buyers'), issuer, sizes.buyers);
  const provWeights = PROVINCES.map((p) => p.weight);

  // Firms that bid. A few national firms sit in Hà Nội / TP. Hồ Chí Minh.
  const rb = root.fork('bidder-firms');
  for (let i = 0; i < sizes.bidderFirms; i++) {
    const province = rb.weightedIndex(provWeights);
    const sector = rb.weighted(BIDDER_SECTOR_WEIGHTS);
    const f = factory.firm(rb, { province, sector, role: 'bidder', bidWeight: rb.pareto(1.4, 40) });
    // Young firms bid less often.
    if (f.registered > dayOf(2022, 6, 30)) f.bidWeight *= 0.3;
  }

  // Strong honest incumbents: cheaper, and present in most tenders of their niche.
  const incumbents: number[] = [];
  const niche = new Map<string, number[]>();
  for (const f of factory.firms) {
    const k = `${f.sector}:${f.province}`;
    let a = niche.get(k);
    if (!a) niche.set(k, (a = []));
    a.push(f.idx);
  }
  const ri = root.fork('incumbents');
  for (const k of [...niche.keys()].sort()) {
    const members = niche.get(k)!;
    if (members.length < 12 || !ri.chance(0.3)) continue;
    const f = factory.firms[ri.pick(members)];
    f.bidWeight = Math.max(f.bidWeight, 6) * 3;
    f.eff = ri.uniform(0.9, 0.94);
    f.tradeWeight *= 3;
    if (f.registered > dayOf(2015, 1, 1)) f.registered = dayOf(2005 + ri.int(10), 1 + ri.int(12), 1 + ri.int(28));
    incumbents.push(f.idx);
  }

  // Firms that only trade (suppliers of the bidders, wholesalers, manufacturers).
  const rt = root.fork('trade-firms');
  for (let i = 0; i < sizes.tradeFirms; i++) {
    const province = rt.weightedIndex(provWeights);
    const sector = rt.weighted(TRADE_SECTOR_WEIGHTS);
    factory.firm(rt, { province, sector, role: 'trader' });
  }

  // Landlords and subscription sellers: monthly same-amount invoices (a trap for repeated-amount,
  // round-amount and Benford screens).
  const rl = root.fork('recurring-firms');
  const nFirms = factory.firms.length;
  const landlords: number[] = [];
  const subscriptionSellers: number[] = [];
  const nLand = Math.max(2, Math.round(nFirms / 500));
  const nSub = Math.max(1, Math.round(nFirms / 2500));
  for (let i = 0; i < nLand; i++) {
    const province = rl.chance(0.7) ? rl.pick([0, 1, 3]) : rl.weightedIndex(provWeights);
    landlords.push(factory.firm(rl, { province, sector: sectorIdx('realestate'), role: 'landlord', legal: rl.chance(0.6) ? 'CP' : 'TNHH', tradeWeight: 0 }).idx);
  }
  for (let i = 0; i < nSub; i++) {
    const province = rl.chance(0.8) ? rl.pick([0, 1]) : rl.weightedIndex(provWeights);
    subscriptionSellers.push(factory.firm(rl, { province, sector: sectorIdx('telecom'), role: 'subscription', legal: 'CP', tradeWeight: 0 }).idx);
  }

  // Branches (chi nhánh) of ordinary firms: same tax-code root, another province; they trade but
  // do not bid, so a parent and its branch never meet in a tender by chance.
  const rbr = root.fork('branches');
  const parents = factory.firms.filter((f) => (f.role === 'bidder' || f.role === 'trader') && f.legal !== 'DNTN');
  const nBranches = Math.max(2, Math.round(parents.length * 0.025));
  for (const parent of rbr.sample(parents, nBranches)) {
    const province = rbr.weightedIndex(provWeights);
    const b = factory.firm(rbr, { province, sector: parent.sector, role: 'trader', branchOf: parent, registered: parent.registered + rbr.range(200, 3000) });
    b.owners = parent.owners;
  }

  // Honest closures and suspensions during the period.
  const rc = root.fork('closures');
  for (const f of factory.firms) {
    if (f.role !== 'bidder' && f.role !== 'trader') continue;
    const r = rc.next();
    if (r < 0.035) {
      f.closed = rc.range(dayOf(2023, 3, 1), dayOf(2026, 5, 31));
      if (f.closed <= f.registered + 200) {
        f.closed = Infinity;
        continue;
      }
      f.status = rc.chance(0.8) ? 'closed' : 'suspended';
    }
  }

  // Business centres: one building address shared by dozens of unrelated firms.
  const rbc = root.fork('business-centres');
  const centres: BusinessCentre[] = [];
  const nCentres = Math.max(2, Math.round(nFirms / 1500));
  const usedBuildings = new Set<string>();
  for (let c = 0; c < nCentres; c++) {
    const province = c % 3 === 2 ? 3 : c % 2;
    const candidates = factory.firms.filter((f) => f.province === province && (f.role === 'bidder' || f.role === 'trader') && !f.id.includes('-'));
    if (candidates.length < 6) continue;
    const want = Math.min(Math.round(candidates.length * 0.08), rbc.range(20, 60));
    const chosen = rbc.sample(candidates, Math.max(5, want));
    let building = rbc.pick(BUILDINGS);
    for (let k = 0; usedBuildings.has(`${building}:${province}`) && k < 20; k++) building = rbc.pick(BUILDINGS);
    usedBuildings.add(`${building}:${province}`);
    const [district, wards] = rbc.pick(CENTRE_PLACES[province]);
    const addr = {
      kind: 'building' as const,
      unit: `Tầng ${rbc.range(3, 20)}, ${building}`,
      number: String(rbc.range(1, 120)),
      street: rbc.pick(['Phạm Hùng', 'Lê Thánh Tôn', 'Nguyễn Văn Linh', 'Trần Duy Hưng', 'Nguyễn Thị Minh Khai', 'Duy Tân', 'Hoàng Quốc Việt']),
      wardKind: 'Phường',
      ward: rbc.pick(wards),
      district,
      province,
    };
    const base = renderAddress(addr, 'full');
    for (const f of chosen) {
      f.addr = addr;
      const roomy = rbc.chance(0.4);
      f.address = roomy ? `Phòng ${rbc.range(1, 20)}${String(rbc.range(1, 30)).padStart(2, '0')}, ${base}` : rbc.chance(0.15) ? renderAddress(addr, 'plain') : base;
    }
    centres.push({ address: base, province, firms: chosen.map((f) => f.idx).sort((a, b) => a - b) });
  }

  return { sizes, issuer, factory, firms: factory.firms, buyers, incumbents, centres, landlords, subscriptionSellers };
}

export function sectorOf(f: Firm): (typeof SECTORS)[number] {
  return SECTORS[f.sector];
}
