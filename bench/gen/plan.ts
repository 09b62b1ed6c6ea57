/**
 * Planting the procurement schemes of DETECTORS.md. Phase A builds planted tenders (and the firms
 * that run them) before the honest tenders are drawn; phase B twists chosen honest tenders
 * (permanent losers, fixed-ratio pairs, identical bids, late winning bids) and marks tenders whose
 * billing will be rigged (overbilling, invoices before award, side payments to losers).
 * Every planted entity is recorded in the truth with the detectors it is meant to trigger.
 */
import { CEILING_CHANGES, INVOICE_END, TENDER_END, TENDER_START, ceilingsOn, nextWorkday, yearOf } from './dates.js';
import {
  FirmFactory, formatOwners, personName, renderAddress, renderPhone, slug, splitShares,
  type AddressStyle, type Buyer, type Firm, type PhoneStyle,
} from './entities.js';
import type { Rng } from './rng.js';
import { SECTORS, isCompetitive, sectorIdx, type Category, type Procedure } from './sectors.js';
import {
  chooseSector, designatedCeiling, drawEstimate, newSpec, roundEstimate, scheduleDates, titleFor,
  type Plan, type TenderSpec,
} from './tenders.js';
import type { Truth } from './truth.js';
import { PROVINCES, type LegalForm } from './vn-data.js';
import type { World } from './world.js';

export interface PlanA {
  specs: TenderSpec[];
  /** Honest-tender weight multiplier per buyer (reserved buyers get fewer honest tenders). */
  buyerFactor: Map<number, number>;
  instances: number;
}

const CONSTRUCTION = sectorIdx('construction');

export class Planner {
  readonly specs: TenderSpec[] = [];
  readonly buyerFactor = new Map<number, number>();
  /** Captured buyers: their planted winner must keep most of their awards. */
  private readonly capturedBuyers: { buyer: Buyer; winner: number; planted: number }[] = [];
  private readonly reserved = new Set<number>();
  private readonly factory: FirmFactory;
  private readonly S: number;
  private readonly byProvince: Buyer[][];

  constructor(private readonly rng: Rng, private readonly world: World, private readonly truth: Truth) {
    this.factory = world.factory;
    this.S = world.sizes.scale;
    this.byProvince = PROVINCES.map(() => []);
    for (const b of world.buyers) this.byProvince[b.province].push(b);
  }

  count(rate: number, lo = 1): number {
    return Math.max(lo, Math.round(rate * this.S));
  }

  /** Instance size: the minimum on small runs (so ~100 tenders still hold one of each scheme). */
  private size(lo: number, hi: number): number {
    return this.S < 5 ? lo : this.rng.range(lo, hi);
  }

  // -------------------------------------------------------------------------------------------
  // helpers

  /** A not yet reserved buyer (weighted by activity), optionally in a province / matching a test. */
  private buyer(opts: { province?: number; test?: (b: Buyer) => boolean; factor?: number; secondHalf?: boolean } = {}): Buyer {
    const rng = this.rng;
    const half = this.world.buyers.length / 2;
    const ok = (b: Buyer): boolean =>
      !this.reserved.has(b.idx) && (!opts.test || opts.test(b)) && (!opts.secondHalf || b.idx >= half);
    const probe = (list: Buyer[]): Buyer | null => {
      if (!list.length) return null;
      for (let k = 0; k < 60; k++) {
        const a = list[rng.int(list.length)];
        const b = list[rng.int(list.length)];
        const c = a.weight >= b.weight ? a : b;
        if (ok(c)) return c;
      }
      return null;
    };
    const quick = (opts.province !== undefined ? probe(this.byProvince[opts.province]) : null) ?? (opts.province === undefined ? probe(this.world.buyers) : null);
    if (quick) {
      this.reserved.add(quick.idx);
      if (opts.factor !== undefined) this.buyerFactor.set(quick.idx, Math.min(this.buyerFactor.get(quick.idx) ?? 1, opts.factor));
      return quick;
    }
    let pool = opts.province !== undefined ? this.byProvince[opts.province].filter(ok) : [];
    if (!pool.length) pool = this.world.buyers.filter(ok);
    if (!pool.length) pool = this.world.buyers.filter((b) => (!opts.secondHalf || b.idx >= half) && (!opts.test || opts.test(b)));
    if (!pool.length) pool = this.world.buyers.filter((b) => !opts.secondHalf || b.idx >= half);
    const b = pool[rng.weightedIndex(pool.map((x) => x.weight + 0.5))];
    this.reserved.add(b.idx);
    if (opts.factor !== undefined) this.buyerFactor.set(b.idx, Math.min(this.buyerFactor.get(b.idx) ?? 1, opts.factor));
    return b;
  }

  /**
   * Up to k unreserved buyers of one province (the province of the first one found, which is
   * `province` when it still has a free buyer).
   */
  private buyersIn(province: number, k: number, factor: number): Buyer[] {
    const first = this.buyer({ province, factor });
    const out = [first];
    for (let i = 1; i < k; i++) {
      const free = this.byProvince[first.province].filter((b) => !this.reserved.has(b.idx));
      if (!free.length) break;
      out.push(this.buyer({ province: first.province, factor }));
    }
    return out;
  }

  private province(): number {
    return this.rng.weightedIndex(PROVINCES.map((p) => p.weight));
  }

  private firm(province: number, sector: number, extra: Partial<Parameters<FirmFactory['firm']>[1]> = {}): Firm {
    return this.factory.firm(this.rng, { province, sector, role: 'scheme', bidWeight: 0, ...extra });
  }

  /** A working day in [lo, hi]. */
  private day(lo: number, hi: number): number {
    const d = this.rng.range(lo, Math.max(lo, hi));
    return Math.min(nextWorkday(d), hi + 3);
  }

  private competitiveProcedure(cat: Category, est: number, day: number, allowShopping = true): Procedure {
    if (allowShopping && cat !== 'consulting' && cat !== 'mixed' && est <= ceilingsOn(day).shopping && this.rng.chance(0.45)) return 'competitive-shopping';
    return 'open';
  }

  private spec(buyer: Buyer, sector: number, published: number, procedure: Procedure, estimate: number, plan: Plan, inProject = true): TenderSpec {
    const cat: Category = SECTORS[sector].category ?? 'goods';
    const s = newSpec(this.rng, buyer, cat, sector, published, procedure, estimate, inProject);
    s.plan = plan;
    s.nBids = 0;
    this.specs.push(s);
    return s;
  }

  /** Estimate for a competitive planted tender: not tiny. */
  private compEstimate(cat: Category): number {
    let e = drawEstimate(this.rng, cat);
    for (let i = 0; i < 5 && e < 150e6; i++) e = drawEstimate(this.rng, cat);
    return Math.max(e, roundEstimate(this.rng, this.rng.uniform(150e6, 400e6)));
  }

  private sectorFor(buyer: Buyer, cats: Category[]): number {
    return chooseSector(this.rng, buyer, this.rng.pick(cats));
  }

  /** Registered long enough before `day` to look established. */
  private established(day: number): number {
    return day - this.rng.range(3 * 365, 12 * 365);
  }

  // -------------------------------------------------------------------------------------------
  // Phase A

  planA(): PlanA {
    let inst = 0;
    // Planted tenders take at most 60% of the tender budget (≈ 42 of 100 at scale 1, ≈ 7% at
    // large scale); an instance that would not fit is left out.
    const budget = 0.6 * this.world.sizes.tenders;
    const kinds: [number, number, number, (i: number) => boolean | void][] = [
      [0.25, 4, 8, (i) => this.cover(`cover-${i + 1}`, `G${String(i + 1).padStart(4, '0')}`)],
      [0.12, 8, 15, (i) => this.rotation(`rotation-${i + 1}`, `R${String(i + 1).padStart(4, '0')}`)],
      [0.05, 9, 18, (i) => this.allocation(`allocation-${i + 1}`, `M${String(i + 1).padStart(4, '0')}`)],
      [0.1, 3, 6, (i) => this.lowestDisqualified(`lowest-disq-${i + 1}`)],
      [0.1, 2, 4, (i) => this.allButWinner(`all-but-winner-${i + 1}`)],
      [0.1, 3, 6, (i) => this.singleBidder(`single-bidder-${i + 1}`)],
      [0.1, 6, 10, (i) => this.captured(`captured-buyer-${i + 1}`)],
      [0.15, 2, 5, (i) => this.split(`split-${i + 1}`)],
      [0.1, 2, 4, (i) => this.shortPeriod(`short-period-${i + 1}`)],
      [0.1, 2, 4, (i) => this.newCompany(`new-company-${i + 1}`)],
    ];
    for (const [rate, lo, hi, plant] of kinds) {
      const most = this.S < 5 ? lo : hi;
      for (let i = 0; i < this.count(rate); i++) {
        if (this.specs.length + most > budget) break;
        // (false: no room for the instance)
        if (plant(i) !== false) inst++;
      }
    }
    return { specs: this.specs, buyerFactor: this.buyerFactor, instances: inst };
  }

  /** Quân xanh – quân đỏ: one controller's firms, linked by identity, bid together for one winner. */
  private cover(inst: string, gid: string): void {
    const rng = this.rng;
    const t = this.truth;
    const buyers = this.buyersIn(this.province(), rng.chance(0.5) ? 2 : 1, 0.6);
    const province = buyers[0].province;
    const sector = rng.weighted([[CONSTRUCTION, 6], [sectorIdx('medical'), 2], [sectorIdx('it'), 1], [sectorIdx('electrical'), 1], [sectorIdx('consulting'), 1.5]]);
    const cat = SECTORS[sector].category!;
    const k = rng.range(3, 5);
    const nT = this.size(4, 8);
    const start = this.day(TENDER_START, TENDER_END - 400);
    const span = rng.range(150, 600);
    const { members, devices, similar, branch } = this.linkedGroup(province, sector, k, start - 60, inst === 'cover-1');
    const winner = members[0];
    const markups = members.slice(1).map(() => Math.round(rng.uniform(0.01, 0.08) * 1000) / 1000);
    const specs: TenderSpec[] = [];
    for (let j = 0; j < nT; j++) {
      const published = this.day(start + Math.floor((span * j) / nT), start + Math.floor((span * (j + 1)) / nT));
      const est = this.compEstimate(cat);
      const order = [winner.idx, ...members.slice(1).map((m) => m.idx)];
      const s = this.spec(rng.pick(buyers), sector, published, this.competitiveProcedure(cat, est, published), est, {
        kind: 'cover', inst, members: order, markups,
      });
      specs.push(s);
    }
    const memberList = members.map((m) => m.id).join('|');
    t.group('company-groups', gid, inst, `members=${memberList};links=${devices.join('|')}`);
    for (const m of members) t.company('company-groups', m, inst, `group=${gid}`);
    for (const m of members) t.company('shared-identity', m, inst, `group=${gid};links=${devices.join('|')}`);
    t.company('cover-bid-pattern', winner, inst, 'role=winner');
    members.slice(1).forEach((m, i) => t.company('cover-bid-pattern', m, inst, `role=cover;markup=${markups[i]}`));
    for (const s of specs) {
      t.tender('cover-bid-pattern', s, inst, `group=${gid}`);
      t.tender('bid-screens', s, inst, 'pattern=cover');
      t.tender('shared-identity', s, inst, `group=${gid}`);
      t.tender('company-groups', s, inst, `group=${gid}`);
      t.tender('near-estimate-win', s, inst, 'ratio>=0.99');
    }
    if (nT >= 5) {
      for (const m of members.slice(1)) t.company('co-bidding-pair', m, inst, `with=${winner.id}`);
      t.company('co-bidding-pair', winner, inst, 'role=always-wins');
    }
    // Each cover bidder keeps its mark-up over the winner: fixed-ratio pairs by construction.
    if (nT >= 4) {
      t.company('fixed-ratio-bids', winner, inst, 'role=base');
      members.slice(1).forEach((m, i) => t.company('fixed-ratio-bids', m, inst, `role=follower;ratio=${(1 + markups[i]).toFixed(3)}`));
      for (const s of specs) t.tender('fixed-ratio-bids', s, inst, `group=${gid}`);
    }
    if (similar) {
      for (const m of members) t.company('similar-names', m, inst, `group=${gid}`);
      for (const s of specs) t.tender('similar-names', s, inst, `group=${gid}`);
    } else if (branch) {
      // "Chi nhánh <parent's name> tại …" bids against its parent in every tender of the group: the
      // two share a name, whatever the other members are called
      const parent = members[0];
      t.company('similar-names', parent, inst, `group=${gid};branch=${branch.id}`);
      t.company('similar-names', branch, inst, `group=${gid};branch-of=${parent.id}`);
      for (const s of specs) t.tender('similar-names', s, inst, `group=${gid};branch=${branch.id}`);
    }
    if (inst === 'cover-1' || rng.chance(0.5)) {
      const s = rng.pick(specs);
      s.billing = { kind: 'side', inst: `side-payment-${inst}`, share: rng.uniform(0.01, 0.03) };
    }
  }

  /**
   * 3–5 firms of one controller. Consecutive links share one or two identity details written the
   * way different exports write them; half of the groups also share an owner with ≥ 30%.
   */
  linkedGroup(province: number, sector: number, k: number, before: number, forceSimilar = false): { members: Firm[]; devices: string[]; similar: boolean; branch?: Firm } {
    const rng = this.rng;
    const f = this.factory;
    const similar = forceSimilar || rng.chance(0.5);
    const core = FirmFactory.core(rng);
    const industry = rng.pick(SECTORS[sector].industry);
    const controller = personName(rng);
    const ownerAll = rng.chance(0.5);
    const regBase = this.established(before);
    const closeReg = rng.chance(0.4);
    const devices = new Set<string>();
    const legalPool: LegalForm[] = ['TNHH', 'CP', 'TNHH_MTV', 'CP'];
    const mk = (i: number, branchOf?: Firm): Firm =>
      this.firm(province, sector, {
        core: similar ? core : undefined,
        industry: similar ? industry : undefined,
        legal: legalPool[(i + rng.int(2)) % legalPool.length],
        registered: closeReg ? regBase + rng.range(0, 120) : this.established(before),
        branchOf,
      });
    const members: Firm[] = [mk(0)];
    let branchFirm: Firm | undefined;
    let domain = '';
    const phoneStyles: PhoneStyle[] = ['plain', 'spaced', 'intl', 'dotted', 'intlSpaced'];
    const addrStyles: AddressStyle[] = ['full', 'abbr', 'ascii', 'plain', 'compact'];
    for (let i = 1; i < k; i++) {
      const prev = members[rng.int(members.length)];
      const branch = i === 1 && rng.chance(0.15);
      const m = mk(i, branch ? members[0] : undefined);
      if (branch) {
        devices.add('tax-root');
        branchFirm = m;
      }
      const strong = i === 1 ? rng.pick(['phone', 'address'] as const) : rng.weighted([['phone', 3], ['address', 3], ['email-domain', 2], ['bank-account', 0.7]] as const);
      const chosen = new Set<string>([strong]);
      if (rng.chance(0.45)) chosen.add(rng.weighted([['phone', 3], ['address', 3], ['email-domain', 2], ['representative', 2]] as const));
      if (branch && rng.chance(0.5)) chosen.clear(), chosen.add('address');
      for (const d of chosen) {
        devices.add(d);
        switch (d) {
          case 'phone':
            m.phoneDigits = prev.phoneDigits;
            m.phone = renderPhone(prev.phoneDigits, rng.pick(phoneStyles.filter((s) => renderPhone(prev.phoneDigits, s) !== prev.phone)));
            break;
          case 'address': {
            m.addr = prev.addr;
            const styles = addrStyles.filter((s) => renderAddress(prev.addr, s) !== prev.address);
            m.address = renderAddress(prev.addr, rng.pick(styles.length ? styles : addrStyles));
            break;
          }
          case 'email-domain': {
            if (!domain) {
              domain = prev.email.split('@')[1];
              if (/^(gmail|yahoo|outlook|hotmail)\./.test(domain)) {
                domain = f.uniqueDomain(rng, slug(core) || 'nhom');
                prev.email = f.uniqueEmail(rng, rng.pick(['info', 'kinhdoanh', 'contact']), domain);
                if (rng.chance(0.5)) prev.website = 'www.' + domain;
              }
            }
            m.email = f.uniqueEmail(rng, rng.pick(['ketoan', 'dauthau', 'admin', 'sales', 'duan', 'hanhchinh']), domain);
            break;
          }
          case 'bank-account':
            m.bankNo = prev.bankNo;
            m.bank = rng.chance(0.5) ? prev.bank : `${prev.bank.split(' - ')[1]}: ${prev.bankNo}`;
            break;
          case 'representative':
            m.representative = prev.representative;
            break;
        }
      }
      members.push(m);
    }
    if (ownerAll) {
      devices.add('owner');
      for (const m of members) {
        if (m.legal === 'TNHH_MTV' || m.legal === 'DNTN') {
          m.owners = `${controller}:100%`;
          continue;
        }
        const share = rng.range(30, 70);
        const others = rng.range(1, 2);
        const rest = splitShares(rng, others, 5).map((x) => Math.round((x * (100 - share)) / 100));
        rest[0] += 100 - share - rest.reduce((a, b) => a + b, 0);
        m.owners = formatOwners([[controller, share], ...rest.map((r) => [personName(rng), r] as [string, number])]);
      }
    }
    if (similar) devices.add('similar-name');
    return { members, devices: [...devices].sort(), similar, branch: branchFirm };
  }

  /** A ring taking turns to win ≥ 8 tenders of one category and province, always bidding together. */
  private rotation(inst: string, gid: string): void {
    const rng = this.rng;
    const t = this.truth;
    const buyers = this.buyersIn(this.province(), rng.range(2, 3), 0.7);
    const province = buyers[0].province;
    const sector = rng.chance(0.6) ? CONSTRUCTION : rng.pick(['medical', 'it', 'electrical', 'education', 'services'].map(sectorIdx));
    const cat = SECTORS[sector].category!;
    const k = this.S < 5 ? 3 : rng.range(3, 6);
    const nT = this.S < 5 ? 8 : Math.max(8, k * 2 + rng.range(0, 4));
    const start = this.day(TENDER_START, TENDER_END - 500);
    const span = rng.range(300, 800);
    const members = Array.from({ length: k }, () => this.firm(province, sector, { registered: this.established(start) }));
    const order = rng.shuffle(members.slice());
    const ids = members.map((m) => m.idx);
    const specs: TenderSpec[] = [];
    for (let j = 0; j < nT; j++) {
      const published = this.day(start + Math.floor((span * j) / nT), start + Math.floor((span * (j + 1)) / nT));
      const est = this.compEstimate(cat);
      const s = this.spec(rng.pick(buyers), sector, published, this.competitiveProcedure(cat, est, published), est, {
        kind: 'rotation', inst, members: ids, winner: order[j % k].idx, outsiders: rng.chance(0.3) ? rng.range(1, 2) : 0,
      });
      specs.push(s);
    }
    t.group('bid-rotation', gid, inst, `members=${members.map((m) => m.id).join('|')};tenders=${nT}`);
    for (const m of members) t.company('bid-rotation', m, inst, `group=${gid}`);
    for (const s of specs) {
      t.tender('bid-rotation', s, inst, `group=${gid}`);
      t.tender('bid-screens', s, inst, 'pattern=rotation');
    }
  }

  private hasFreeBuyer(province: number): boolean {
    return this.byProvince[province].some((b) => !this.reserved.has(b.idx));
  }

  /**
   * k provinces of one region that still have a free buyer. The region's provinces are drawn first;
   * one without a free buyer (most small provinces have few buyers, or none) gives its seat to another
   * province of the region: a buyer anywhere in the country would place that firm among rivals the
   * others never meet. Fewer than k when the region has no more; when it has fewer than two, the
   * region with the most such provinces.
   */
  private regionProvinces(region: 'N' | 'C' | 'S', k: number): number[] {
    const rng = this.rng;
    const of = (r: string): number[] => PROVINCES.map((_, i) => i).filter((i) => PROVINCES[i].region === r);
    const drawn = rng.sample(of(region), k);
    const out: number[] = [];
    for (const p of drawn) {
      if (this.hasFreeBuyer(p)) {
        out.push(p);
        continue;
      }
      const other = of(region).filter((q) => !drawn.includes(q) && !out.includes(q) && this.hasFreeBuyer(q));
      if (other.length) out.push(rng.pick(other));
    }
    if (out.length >= 2) return out;
    const regions = (['N', 'C', 'S'] as const).map((r) => of(r).filter((q) => this.hasFreeBuyer(q)));
    const best = regions.reduce((a, b) => (b.length > a.length ? b : a));
    return best.length > out.length ? rng.sample(best, Math.min(k, best.length)) : out;
  }

  /** Firms of one segment that never meet, each winning in its own province of one region. */
  private allocation(inst: string, gid: string): boolean {
    const rng = this.rng;
    const t = this.truth;
    const sector = rng.pick(['medical', 'education', 'it', 'services', 'electrical'].map(sectorIdx));
    const cat = SECTORS[sector].category!;
    const provs = this.regionProvinces(rng.pick(['N', 'C', 'S'] as const), 3);
    if (provs.length < 2) return false;
    const start = this.day(TENDER_START, TENDER_END - 600);
    const firms: Firm[] = [];
    const all: TenderSpec[] = [];
    for (const province of provs) {
      const buyers = this.buyersIn(province, 2, 0.5);
      const owner = this.firm(province, sector, { registered: this.established(start) });
      firms.push(owner);
      const nT = this.size(3, 6);
      for (let j = 0; j < nT; j++) {
        const published = this.day(start + j * 90, start + j * 90 + 80);
        const est = this.compEstimate(cat);
        const s = this.spec(buyers[j % buyers.length], sector, published, this.competitiveProcedure(cat, est, published), est, {
          kind: 'alloc', inst, owner: owner.idx, outsiders: rng.range(1, 3),
        });
        all.push(s);
        t.tender('market-allocation', s, inst, `group=${gid};territory=${PROVINCES[province].name}`);
      }
      for (const b of buyers) t.buyer('market-allocation', b, inst, `group=${gid};allocated-to=${owner.id}`);
    }
    t.group('market-allocation', gid, inst, `members=${firms.map((f) => f.id).join('|')}`);
    for (const f of firms) t.company('market-allocation', f, inst, `group=${gid}`);
    void all;
    return true;
  }

  private lowestDisqualified(inst: string): void {
    const rng = this.rng;
    const b = this.buyer({ factor: 0.6 });
    const sector = this.sectorFor(b, ['goods', 'works', 'goods']);
    const cat = SECTORS[sector].category!;
    const start = this.day(TENDER_START, TENDER_END - 400);
    const fav = this.firm(b.province, sector, { registered: this.established(start) });
    const nT = this.size(3, 6);
    for (let j = 0; j < nT; j++) {
      const published = this.day(start + j * 50, start + j * 50 + 45);
      const est = this.compEstimate(cat);
      const s = this.spec(b, sector, published, this.competitiveProcedure(cat, est, published), est, {
        kind: 'lowdisq', inst, favoured: fav.idx, others: rng.range(2, 4),
      });
      this.truth.tender('lowest-bid-disqualified', s, inst);
    }
    this.truth.buyer('lowest-bid-disqualified', b, inst, `favoured=${fav.id}`);
    this.truth.company('lowest-bid-disqualified', fav, inst, 'role=favoured');
  }

  private allButWinner(inst: string): void {
    const rng = this.rng;
    const b = this.buyer({ factor: 0.6 });
    const sector = this.sectorFor(b, ['goods', 'works']);
    const cat = SECTORS[sector].category!;
    const start = this.day(TENDER_START, TENDER_END - 300);
    const fav = this.firm(b.province, sector, { registered: this.established(start) });
    const nT = this.size(2, 4);
    for (let j = 0; j < nT; j++) {
      const published = this.day(start + j * 60, start + j * 60 + 50);
      const est = this.compEstimate(cat);
      const s = this.spec(b, sector, published, this.competitiveProcedure(cat, est, published), est, {
        kind: 'allbut', inst, favoured: fav.idx, others: rng.range(2, 4),
      });
      this.truth.tender('all-but-winner-disqualified', s, inst);
    }
    this.truth.buyer('all-but-winner-disqualified', b, inst, `favoured=${fav.id}`);
    this.truth.company('all-but-winner-disqualified', fav, inst, 'role=favoured');
  }

  private singleBidder(inst: string): void {
    const b = this.buyer({ factor: 0.6 });
    const sector = this.sectorFor(b, ['goods', 'works']);
    const cat = SECTORS[sector].category!;
    const start = this.day(TENDER_START, TENDER_END - 300);
    const fav = this.firm(b.province, sector, { registered: this.established(start) });
    const nT = this.size(3, 6);
    for (let j = 0; j < nT; j++) {
      const published = this.day(start + j * 45, start + j * 45 + 40);
      const s = this.spec(b, sector, published, 'open', this.compEstimate(cat), { kind: 'single', inst, favoured: fav.idx });
      this.truth.tender('single-bidder', s, inst);
    }
    this.truth.buyer('single-bidder', b, inst, `favoured=${fav.id}`);
    this.truth.company('single-bidder', fav, inst, 'role=sole-bidder');
  }

  /** One supplier wins most of one buyer's awards, always at ≥ 99% of the estimate. */
  private captured(inst: string): void {
    const rng = this.rng;
    const median = this.world.buyers.map((x) => x.weight).sort((a, c) => a - c)[Math.floor(this.world.buyers.length / 2)];
    const b = this.buyer({ factor: 0.15, test: (x) => x.weight <= median });
    this.capturedBuyers.push({ buyer: b, winner: -1, planted: 0 });
    const cap = this.capturedBuyers[this.capturedBuyers.length - 1];
    const cats: Category[] = b.type === 'pmu' || b.type === 'commune' || b.type === 'district' || b.type === 'transport_dept' ? ['works'] : ['goods'];
    const sector = this.sectorFor(b, cats);
    const cat = SECTORS[sector].category!;
    const start = this.day(TENDER_START, TENDER_END - 500);
    const fav = this.firm(b.province, sector, { registered: this.established(start), bidWeight: 8, eff: rng.uniform(0.9, 0.93) });
    const nT = this.size(6, 10);
    cap.winner = fav.idx;
    cap.planted = nT;
    for (let j = 0; j < nT; j++) {
      const published = this.day(start + j * 55, start + j * 55 + 50);
      let s: TenderSpec;
      if (rng.chance(0.5)) {
        const inProject = cat === 'works' || rng.chance(0.5);
        const ceil = designatedCeiling(cat, inProject, published);
        const est = roundEstimate(rng, ceil * rng.uniform(0.3, 0.8));
        s = this.spec(b, sector, published, 'designated', est, { kind: 'captured', inst, favoured: fav.idx, others: 0 }, inProject);
      } else {
        const est = this.compEstimate(cat);
        s = this.spec(b, sector, published, this.competitiveProcedure(cat, est, published), est, { kind: 'captured', inst, favoured: fav.idx, others: rng.range(1, 3) });
      }
      this.truth.tender('near-estimate-win', s, inst, 'ratio>=0.99');
      this.truth.tender('repeat-winner', s, inst);
    }
    this.truth.buyer('repeat-winner', b, inst, `winner=${fav.id}`);
    this.truth.company('repeat-winner', fav, inst, `buyer=${b.id}`);
    this.truth.buyer('near-estimate-win', b, inst, `winner=${fav.id}`);
    this.truth.company('near-estimate-win', fav, inst, `buyer=${b.id}`);
    this.truth.buyer('buyer-concentration', b, inst, `winner=${fav.id}`);
  }

  /** Several designated contracts to one supplier within 30 days, each just under the ceiling. */
  private split(inst: string): void {
    const rng = this.rng;
    const b = this.buyer({ factor: 0.8 });
    const sector = rng.pick(['office', 'it', 'medical', 'electrical', 'materials', 'education'].map(sectorIdx));
    const recurrent = rng.chance(0.6);
    let start = 0;
    for (let tries = 0; tries < 50; tries++) {
      start = this.day(TENDER_START, TENDER_END - 60);
      if (!CEILING_CHANGES.some((c) => c > start - 5 && c <= start + 45)) break;
    }
    const T = recurrent ? ceilingsOn(start).recurrent : ceilingsOn(start).goodsWorks;
    const supplier = this.firm(b.province, sector, { registered: this.established(start), legal: rng.pick(['TNHH', 'TNHH_MTV', 'DNTN'] as const) });
    const k = this.size(2, 5);
    const base = titleFor(rng, 'goods', sector, b, yearOf(start));
    const offsets = Array.from({ length: k }, () => rng.range(0, 18)).sort((a, c) => a - c);
    let sum = 0;
    offsets.forEach((off, j) => {
      const published = Math.max(start, nextWorkday(start + off));
      // Estimate just under the ceiling; the award a little below it (savings of 1.5–8%).
      const est = Math.round((T * rng.uniform(0.93, 0.998)) / 1000) * 1000;
      const amount = Math.max(Math.round((T * 0.86) / 1000) * 1000, Math.round((est * rng.uniform(0.92, 0.985)) / 1000) * 1000);
      const s = this.spec(b, sector, published, 'designated', est, { kind: 'split', inst, supplier: supplier.idx, amount }, !recurrent);
      s.title = `${base} (đợt ${j + 1})`;
      s.award = nextWorkday(published + rng.range(3, 8));
      s.deadline = Math.min(s.deadline, s.award - 1);
      s.contract = nextWorkday(s.award + rng.range(1, 5));
      sum += amount;
      this.truth.tender('split-purchases', s, inst, `ceiling=${T}`);
    });
    this.truth.buyer('split-purchases', b, inst, `supplier=${supplier.id};ceiling=${T};sum=${sum}`);
    this.truth.company('split-purchases', supplier, inst, `buyer=${b.id}`);
  }

  private shortPeriod(inst: string): void {
    const rng = this.rng;
    const b = this.buyer({ factor: 0.8 });
    const sector = this.sectorFor(b, ['goods', 'works']);
    const cat = SECTORS[sector].category!;
    const start = this.day(TENDER_START, TENDER_END - 300);
    const nT = this.size(2, 4);
    for (let j = 0; j < nT; j++) {
      const published = this.day(start + j * 40, start + j * 40 + 35);
      const est = this.compEstimate(cat);
      const s = this.spec(b, sector, published, this.competitiveProcedure(cat, est, published), est, { kind: 'short', inst, others: rng.range(1, 3) });
      scheduleDates(rng, s, { short: true });
      this.truth.tender('short-submission-period', s, inst, `days=${s.deadline - s.published}`);
    }
    this.truth.buyer('short-submission-period', b, inst);
  }

  /** A firm registered months before winning several large tenders. */
  private newCompany(inst: string): void {
    const rng = this.rng;
    const buyers = this.buyersIn(this.province(), rng.chance(0.5) ? 2 : 1, 0.8);
    const province = buyers[0].province;
    const sector = rng.chance(0.6) ? CONSTRUCTION : rng.pick(['medical', 'it', 'electrical'].map(sectorIdx));
    const cat = SECTORS[sector].category!;
    const reg = this.day(TENDER_START - 200, TENDER_END - 400);
    const firm = this.firm(province, sector, { registered: reg, legal: rng.pick(['TNHH', 'TNHH_MTV', 'CP'] as const) });
    const nT = this.size(2, 4);
    for (let j = 0; j < nT; j++) {
      const published = Math.max(TENDER_START, this.day(reg + 45 + j * 60, reg + 90 + j * 60));
      const big = cat === 'works' ? rng.uniform(5e9, 40e9) : rng.uniform(2e9, 12e9);
      const est = roundEstimate(rng, big);
      const s = this.spec(rng.pick(buyers), sector, published, 'open', est, { kind: 'newco', inst, favoured: firm.idx, others: rng.range(2, 4) });
      this.truth.tender('new-company-winner', s, inst, `registered=${firm.registered}`);
    }
    this.truth.company('new-company-winner', firm, inst);
  }

  // -------------------------------------------------------------------------------------------
  // Phase B: twists on honest tenders

  private readonly biddersIn = new Map<number, number>();

  planB(honest: TenderSpec[], meanBidsPerFirm: number): number {
    const rng = this.rng;
    for (const f of this.world.firms) if (f.bidWeight > 0) this.biddersIn.set(f.sector, (this.biddersIn.get(f.sector) ?? 0) + 1);
    // A captured buyer keeps at most a third of its tenders for others (so its planted winner holds
    // well over half of its awards, however the honest tenders fell); the rest move to other buyers
    // of the same province.
    for (const cap of this.capturedBuyers) {
      const mine = honest.filter((s) => s.buyer === cap.buyer);
      const keep = Math.floor(cap.planted / 3);
      const others = this.byProvince[cap.buyer.province].filter((b) => b !== cap.buyer && !this.capturedBuyers.some((c) => c.buyer === b));
      const pool = others.length ? others : this.world.buyers.filter((b) => !this.capturedBuyers.some((c) => c.buyer === b));
      for (const s of rng.shuffle(mine).slice(keep)) {
        s.buyer = rng.pick(pool);
        s.title = titleFor(rng, s.category, s.sector, s.buyer, yearOf(s.published));
      }
    }
    const t = this.truth;
    let inst = 0;
    const half = this.world.buyers.length / 2;
    const free = (s: TenderSpec): boolean => !s.mod && !s.billing && !s.plan && !s.lots;
    const competitive = honest.filter((s) => isCompetitive(s.procedure) && s.nBids >= 2 && !s.lots);
    const bySector = new Map<number, TenderSpec[]>();
    for (const s of competitive) {
      let a = bySector.get(s.sector);
      if (!a) bySector.set(s.sector, (a = []));
      a.push(s);
    }
    const taken = new Map<number, number>();
    const sectorKeys = [...bySector.keys()].sort((a, b) => a - b);
    const sectorsWith = (min: number): number[] => sectorKeys.filter((k) => bySector.get(k)!.length - (taken.get(k) ?? 0) >= min * 1.5);
    const take = (sector: number, k: number, test: (s: TenderSpec) => boolean = () => true): TenderSpec[] => {
      const list = bySector.get(sector) ?? [];
      const out: TenderSpec[] = [];
      for (let a = 0; a < k * 40 && out.length < k && list.length; a++) {
        const s = list[rng.int(list.length)];
        if (!free(s) || !test(s) || out.includes(s)) continue;
        out.push(s);
      }
      taken.set(sector, (taken.get(sector) ?? 0) + out.length);
      return out;
    };
    const firstPub = (list: TenderSpec[]): number => Math.min(...list.map((s) => s.published));

    /** The sector with the most free tenders passing `test`, and those tenders. */
    const bestSector = (test: (s: TenderSpec) => boolean, exclude: number[] = []): [number, TenderSpec[]] => {
      let best = -1;
      let list: TenderSpec[] = [];
      for (const k of sectorKeys) {
        if (exclude.includes(k)) continue;
        const l = bySector.get(k)!.filter((x) => free(x) && test(x));
        if (l.length > list.length) (best = k), (list = l);
      }
      return [best, list];
    };
    const small = this.S < 5;
    const any = (): boolean => true;

    // Permanent losers: bid very often, never win.
    for (let i = 0; i < this.count(0.06); i++) {
      const name = `permanent-loser-${i + 1}`;
      let sector: number;
      let list: TenderSpec[];
      const want = Math.max(12, Math.min(80, Math.round(2.2 * meanBidsPerFirm)));
      if (small) {
        [sector, list] = bestSector(any);
        if (list.length < 10) list = rng.sample(competitive.filter(free), want);
        else list = rng.sample(list, Math.min(want, list.length));
        if (list.length) sector = list[0].sector;
      } else {
        const secs = sectorsWith(want);
        if (!secs.length) break;
        sector = rng.pick(secs);
        list = take(sector, want);
      }
      if (list.length < 8) continue;
      const f = this.firm(list[0].buyer.province, sector, { registered: this.established(firstPub(list)) });
      for (const s of list) s.mod = { kind: 'permloser', inst: name, firm: f.idx };
      t.company('permanent-loser', f, name, `bids=${list.length};wins=0`);
      inst++;
    }

    const pickTenders = (lo: number, hi: number, test: (s: TenderSpec) => boolean = any): [number, TenderSpec[]] => {
      if (small) {
        const [sector, list] = bestSector(test);
        return [sector, rng.sample(list, lo)];
      }
      const secs = sectorsWith(hi);
      if (!secs.length) return bestSector(test);
      const sector = rng.pick(secs);
      return [sector, take(sector, rng.range(lo, hi), test)];
    };

    // Fixed-ratio pairs: B always bids A × r.
    for (let i = 0; i < this.count(0.1); i++) {
      const name = `fixed-ratio-${i + 1}`;
      const [sector, list] = pickTenders(5, 8);
      if (list.length < 4) continue;
      const ratio = Math.round(rng.uniform(1.02, 1.09) * 1000) / 1000;
      const reg = this.established(firstPub(list));
      const a = this.firm(list[0].buyer.province, sector, { registered: reg });
      const b = this.firm(list[0].buyer.province, sector, { registered: reg });
      for (const s of list) {
        s.mod = { kind: 'fixedratio', inst: name, a: a.idx, b: b.idx, ratio };
        t.tender('fixed-ratio-bids', s, name, `ratio=${ratio}`);
        t.tender('co-bidding-pair', s, name);
      }
      t.company('fixed-ratio-bids', a, name, `ratio=${ratio};role=base`);
      t.company('fixed-ratio-bids', b, name, `ratio=${ratio};role=follower`);
      t.company('co-bidding-pair', a, name, 'role=always-beats');
      t.company('co-bidding-pair', b, name, 'role=always-loses');
      inst++;
    }

    // Identical bids from one pair.
    for (let i = 0; i < this.count(0.15); i++) {
      const name = `identical-bids-${i + 1}`;
      const [sector, list] = pickTenders(2, 3);
      if (!list.length) continue;
      const reg = this.established(firstPub(list));
      const a = this.firm(list[0].buyer.province, sector, { registered: reg });
      const b = this.firm(list[0].buyer.province, sector, { registered: reg });
      for (const s of list) {
        s.mod = { kind: 'identical', inst: name, a: a.idx, b: b.idx };
        t.tender('identical-bids', s, name);
      }
      t.company('identical-bids', a, name);
      t.company('identical-bids', b, name);
      inst++;
    }

    // Late winning bids (buyers whose tenders go to the canonical file, which carries bid_time).
    for (let i = 0; i < this.count(0.1); i++) {
      const name = `late-winning-bid-${i + 1}`;
      const [sector, list] = pickTenders(2, 3, (s) => s.buyer.idx >= half);
      if (!list.length) continue;
      const f = this.firm(list[0].buyer.province, sector, { registered: this.established(firstPub(list)) });
      for (const s of list) {
        s.mod = { kind: 'latewin', inst: name, firm: f.idx };
        t.tender('late-winning-bid', s, name);
      }
      t.company('late-winning-bid', f, name);
      inst++;
    }

    // Rigged billing on honest awarded tenders (winners known only after the bids are drawn).
    const billable = honest.filter((s) => free(s) && s.award <= INVOICE_END - 320);
    const pickBillable = (test: (s: TenderSpec) => boolean): TenderSpec | null => {
      for (let k = 0; k < 50; k++) {
        const s = billable[rng.int(billable.length)];
        if (s && free(s) && test(s)) return s;
      }
      return null;
    };
    if (billable.length && this.world.sizes.invoices > 0) {
      for (let i = 0; i < this.count(0.2); i++) {
        const s = pickBillable((x) => x.estimate >= 100e6);
        if (!s) break;
        s.billing = { kind: 'overbill', inst: `overbilling-${i + 1}`, factor: rng.uniform(1.15, 1.4) };
        inst++;
      }
      for (let i = 0; i < this.count(0.15); i++) {
        const s = pickBillable((x) => x.published > TENDER_START + 60);
        if (!s) break;
        s.billing = { kind: 'before', inst: `invoice-before-award-${i + 1}`, lead: rng.range(5, 40) };
        inst++;
      }
      for (let i = 0; i < this.count(0.2); i++) {
        const s = pickBillable((x) => isCompetitive(x.procedure) && x.nBids >= 3 && (this.biddersIn.get(x.sector) ?? 0) >= 6);
        if (!s) break;
        s.billing = { kind: 'side', inst: `side-payment-${i + 1}`, share: rng.uniform(0.01, 0.04) };
        inst++;
      }
    }
    return inst;
  }
}

export { TENDER_END };
