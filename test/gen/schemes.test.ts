/**
 * Every planted scheme shows its signal in the files as written, and the honest part of the
 * economy does not show the signals that only planted entities should.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVINCES } from '../../bench/gen/vn-data.js';
import { build, cleanup, groupBy, type Dataset, type Row } from './load.js';

afterAll(cleanup);

const DAY = 86400000;
const days = (a: string, b: string): number => (Date.parse(b.slice(0, 10)) - Date.parse(a.slice(0, 10))) / DAY;
const num = (s: string): number => Number(s);

const VAT8 = [
  ['2022-02-01', '2022-12-31'], ['2023-07-01', '2023-12-31'], ['2024-01-01', '2024-06-30'],
  ['2024-07-01', '2024-12-31'], ['2025-01-01', '2025-06-30'], ['2025-07-01', '2026-12-31'],
];
const vat8ok = (d: string): boolean => VAT8.some(([a, b]) => d >= a && d <= b);

function ceilings(d: string): { recurrent: number; goods: number } {
  if (d >= '2025-08-04') return { recurrent: 500e6, goods: 2e9 };
  if (d >= '2025-01-15') return { recurrent: 300e6, goods: 1e9 };
  return { recurrent: 100e6, goods: 1e9 };
}

const fold = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase();
const phoneKey = (s: string): string => {
  let d = s.replace(/\D/g, '');
  if (d.startsWith('84')) d = '0' + d.slice(2);
  return d;
};
const PUBLIC_MAIL = /^(gmail|yahoo|outlook|hotmail)\./;
const ADDRESS_STOP = new Set(['so', 'duong', 'd', 'phuong', 'p', 'xa', 'x', 'thi', 'tran', 'tt', 'quan', 'q', 'huyen', 'h', 'tx', 'tp', 'thanh', 'pho', 'tinh', 'tang', 't', 'toa', 'nha', 'tn']);
/** Words of an address with abbreviations, accents and administrative words removed. */
function addressTokens(a: string): string[] {
  const f = fold(a)
    .replace(/tp\.?\s*hcm/g, 'ho chi minh')
    .replace(/\bhn\b/g, 'ha noi')
    .replace(/\bhp\b/g, 'hai phong')
    .replace(/\bdn\b/g, 'da nang')
    .replace(/\bbr-vt\b/g, 'ba ria - vung tau')
    .replace(/\btt hue\b/g, 'thua thien hue')
    .replace(/\bt(\d+)\b/g, 'tang $1')
    .replace(/\b(p|q)\.(\d)/g, '$1 $2');
  return f.split(/[^a-z0-9/]+/).filter((w) => w && !ADDRESS_STOP.has(w));
}
function sameAddress(a: string, b: string): boolean {
  const ta = addressTokens(a);
  const tb = addressTokens(b);
  const na = ta.filter((w) => /\d/.test(w)).join(' ');
  const nb = tb.filter((w) => /\d/.test(w)).join(' ');
  if (na !== nb) return false;
  const A = new Set(ta);
  const B = new Set(tb);
  const inter = [...A].filter((w) => B.has(w)).length;
  return inter / (A.size + B.size - inter) >= 0.8;
}

function isHolidayOrSunday(d: string): boolean {
  if (new Date(d + 'T00:00:00Z').getUTCDay() === 0) return true;
  const tet = [['2023-01-20', '2023-01-26'], ['2024-02-08', '2024-02-14'], ['2025-01-25', '2025-02-02'], ['2026-02-14', '2026-02-22']];
  if (tet.some(([a, b]) => d >= a && d <= b)) return true;
  return ['01-01', '04-30', '05-01', '09-02'].includes(d.slice(5));
}

function firstDigitMad(amounts: number[]): number {
  const c = new Array(10).fill(0);
  for (const a of amounts) c[Number(String(Math.abs(a))[0])]++;
  const n = amounts.length;
  let s = 0;
  for (let d = 1; d <= 9; d++) s += Math.abs(c[d] / n - Math.log10(1 + 1 / d));
  return s / 9;
}

let ds: Dataset;
let clean: Dataset;
let byTender: Map<string, Row[]>;
let firms: Map<string, Row>;
let invById: Map<string, Row>;
const inst = (t: Row): string => /instance=([^;]+)/.exec(t.detail)![1];
const detail = (t: Row, k: string): string => new RegExp(`(?:^|;)${k}=([^;]+)`).exec(t.detail)?.[1] ?? '';
const truthOf = (scheme: string, type: string): Row[] => ds.truth.filter((t) => t.scheme === scheme && t.entity_type === type);
const winnerOf = (rows: Row[]): Row | undefined => rows.find((r) => r.is_winner === 'true');
const plantedTenders = (): Set<string> => new Set(ds.truth.filter((t) => t.entity_type === 'tender').map((t) => t.entity_id));
const plantedInvoices = (): Set<string> => new Set(ds.truth.filter((t) => t.entity_type === 'invoice').map((t) => t.entity_id));

beforeAll(async () => {
  // GEN_SEED / GEN_SCALE let the same checks run on other economies.
  const seed = Number(process.env.GEN_SEED ?? 21);
  const scale = Number(process.env.GEN_SCALE ?? 4);
  ds = await build({ seed, scale, invoices: 3000 * scale }, 'schemes');
  clean = await build({ seed, scale, invoices: 3000 * scale, clean: true }, 'schemes-clean');
  byTender = groupBy(ds.bids, (r) => r.tender_id);
  firms = new Map(ds.companies.map((c) => [c.company_id, c]));
  invById = new Map(ds.invoices.map((r) => [r.invoice_id, r]));
});

describe('bid schemes', () => {
  it('cover bidding: one winner near the estimate, losers at a narrow fixed mark-up', () => {
    const tenders = groupBy(truthOf('cover-bid-pattern', 'tender'), inst);
    expect(tenders.size).toBeGreaterThan(0);
    for (const [, ts] of tenders) {
      const winners = new Set<string>();
      for (const t of ts) {
        const rows = byTender.get(t.entity_id)!;
        const w = winnerOf(rows)!;
        winners.add(w.bidder_id);
        expect(num(w.award_amount) / num(w.estimated_value)).toBeGreaterThanOrEqual(0.99);
        const b1 = num(w.bid_amount);
        const markups = rows.filter((r) => r !== w).map((r) => num(r.bid_amount) / b1 - 1);
        expect(markups.length).toBeGreaterThanOrEqual(2);
        for (const m of markups) expect(m).toBeGreaterThanOrEqual(0.005), expect(m).toBeLessThanOrEqual(0.1);
        for (const r of rows) expect(r.bid_status).toBe('valid');
      }
      expect(winners.size).toBe(1);
    }
  });

  it('company groups: members linked by identity details that differ only in how they are written', () => {
    const groups = truthOf('company-groups', 'group');
    expect(groups.length).toBeGreaterThan(0);
    let writtenDifferently = 0;
    for (const g of groups) {
      const members = detail(g, 'members').split('|').map((id) => firms.get(id)!);
      const keys = (c: Row): string[] => {
        const out = [`phone:${phoneKey(c.phone)}`, `rep:${c.representative}`, `bank:${c.bank_account.replace(/\D/g, '')}`, `root:${c.company_id.slice(0, 10)}`];
        const dom = c.email.split('@')[1];
        if (!PUBLIC_MAIL.test(dom)) out.push(`mail:${dom}`);
        for (const o of c.owners.split(';')) {
          const [name, share] = o.split(':');
          if (parseFloat(share) >= 30) out.push(`owner:${name}`);
        }
        return out;
      };
      const linked = (i: number, j: number): boolean => {
        const ki = new Set(keys(members[i]));
        return keys(members[j]).some((k) => ki.has(k)) || sameAddress(members[i].address, members[j].address);
      };
      // connected through shared details
      const seen = new Set([0]);
      let grew = true;
      while (grew) {
        grew = false;
        for (let i = 0; i < members.length; i++) {
          if (seen.has(i)) continue;
          if ([...seen].some((j) => linked(i, j))) (seen.add(i), (grew = true));
        }
      }
      expect(seen.size, g.entity_id).toBe(members.length);
      for (let i = 0; i < members.length; i++)
        for (let j = i + 1; j < members.length; j++) {
          const a = members[i];
          const b = members[j];
          if ((phoneKey(a.phone) === phoneKey(b.phone) && a.phone !== b.phone) || (sameAddress(a.address, b.address) && a.address !== b.address)) writtenDifferently++;
        }
      // the members bid against each other
      const tenders = ds.truth.filter((t) => t.scheme === 'company-groups' && t.entity_type === 'tender' && detail(t, 'group') === g.entity_id);
      for (const t of tenders) {
        const bidders = new Set(byTender.get(t.entity_id)!.map((r) => r.bidder_id));
        expect(members.filter((m) => bidders.has(m.company_id)).length).toBeGreaterThanOrEqual(2);
      }
    }
    expect(writtenDifferently).toBeGreaterThan(0);
  });

  it('similar names: a member bidding against its own branch is listed with it, whatever the group is called', async () => {
    // seed 12: a cover group of unrelated names, one member with a branch (-001) of another
    const e = await build({ seed: 12, scale: 10, invoices: 0 }, 'branch');
    const names = new Map(e.companies.map((c) => [c.company_id, c.name]));
    const bidders = new Map([...groupBy(e.bids, (r) => r.tender_id)].map(([id, rows]) => [id, new Set(rows.map((r) => r.bidder_id))]));
    const listed = (type: string): Set<string> => new Set(e.truth.filter((t) => t.scheme === 'similar-names' && t.entity_type === type).map((t) => t.entity_id));
    const [firmsListed, tendersListed] = [listed('company'), listed('tender')];
    let pairs = 0;
    for (const g of e.truth.filter((t) => t.scheme === 'company-groups' && t.entity_type === 'group')) {
      const members = detail(g, 'members').split('|');
      for (const branch of members.filter((m) => /-\d{3}$/.test(m))) {
        const parent = branch.slice(0, 10);
        if (!members.includes(parent)) continue;
        pairs++;
        expect(names.get(branch)).toContain(names.get(parent));
        expect([firmsListed.has(parent), firmsListed.has(branch)], branch).toEqual([true, true]);
        const met = e.truth.filter((t) => t.scheme === 'company-groups' && t.entity_type === 'tender' && detail(t, 'group') === g.entity_id)
          .map((t) => t.entity_id)
          .filter((id) => bidders.get(id)!.has(parent) && bidders.get(id)!.has(branch));
        expect(met.length).toBeGreaterThan(0);
        for (const id of met) expect(tendersListed.has(id), id).toBe(true);
      }
    }
    expect(pairs).toBeGreaterThan(0);
  });

  it('bid rotation: the ring bids together on ≥ 8 tenders of one category and province and takes turns', () => {
    const groups = truthOf('bid-rotation', 'group');
    expect(groups.length).toBeGreaterThan(0);
    for (const g of groups) {
      const members = detail(g, 'members').split('|');
      const ts = ds.truth.filter((t) => t.scheme === 'bid-rotation' && t.entity_type === 'tender' && inst(t) === inst(g)).map((t) => byTender.get(t.entity_id)!);
      expect(ts.length).toBeGreaterThanOrEqual(8);
      expect(new Set(ts.map((r) => r[0].category)).size).toBe(1);
      expect(new Set(ts.map((r) => r[0].province)).size).toBe(1);
      const wins = new Map(members.map((m) => [m, 0]));
      for (const rows of ts) {
        const bidders = new Set(rows.map((r) => r.bidder_id));
        for (const m of members) expect(bidders.has(m)).toBe(true);
        const w = winnerOf(rows)!.bidder_id;
        expect(wins.has(w)).toBe(true);
        wins.set(w, wins.get(w)! + 1);
      }
      const counts = [...wins.values()];
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });

  it('market allocation: the firms never meet and each wins its own territory', () => {
    for (const g of truthOf('market-allocation', 'group')) {
      const members = new Set(detail(g, 'members').split('|'));
      const ts = ds.truth.filter((t) => t.scheme === 'market-allocation' && t.entity_type === 'tender' && inst(t) === inst(g));
      for (const t of ts) {
        const rows = byTender.get(t.entity_id)!;
        expect(rows.filter((r) => members.has(r.bidder_id)).length).toBe(1);
        expect(members.has(winnerOf(rows)!.bidder_id)).toBe(true);
      }
    }
  });

  it('market allocation: each group holds distinct provinces of one region, each firm winning in its own', async () => {
    // seed 7, scale 3 (the samples' economy): before, a province without a free buyer sent its firm to a
    // buyer anywhere in the country
    for (const e of [ds, await build({ seed: 7, scale: 3, invoices: 0 }, 'allocation')]) {
      const firmProvince = new Map(e.companies.map((c) => [c.company_id, c.province]));
      const regionOf = new Map(PROVINCES.map((p) => [p.name, p.region]));
      const tenders = groupBy(e.bids, (r) => r.tender_id);
      const groups = e.truth.filter((t) => t.scheme === 'market-allocation' && t.entity_type === 'group');
      expect(groups.length).toBeGreaterThan(0);
      for (const g of groups) {
        const members = detail(g, 'members').split('|');
        const provinces = members.map((m) => firmProvince.get(m)!);
        expect(members.length).toBeGreaterThanOrEqual(2);
        expect(new Set(provinces).size, provinces.join(', ')).toBe(members.length);
        expect(new Set(provinces.map((p) => regionOf.get(p))).size, provinces.join(', ')).toBe(1);
        for (const t of e.truth.filter((t) => t.scheme === 'market-allocation' && t.entity_type === 'tender' && inst(t) === inst(g))) {
          const rows = tenders.get(t.entity_id)!;
          expect(rows[0].province).toBe(firmProvince.get(winnerOf(rows)!.bidder_id));
        }
      }
    }
  });

  it('identical bids, lowest bid disqualified, all but winner disqualified, single bidder', () => {
    for (const t of truthOf('identical-bids', 'tender')) {
      const amounts = byTender.get(t.entity_id)!.map((r) => r.bid_amount);
      expect(new Set(amounts).size).toBeLessThan(amounts.length);
    }
    for (const t of truthOf('lowest-bid-disqualified', 'tender')) {
      const rows = byTender.get(t.entity_id)!;
      const lowest = rows.reduce((a, b) => (num(b.bid_amount) < num(a.bid_amount) ? b : a));
      expect(lowest.bid_status).toBe('disqualified');
    }
    for (const t of truthOf('all-but-winner-disqualified', 'tender')) {
      const rows = byTender.get(t.entity_id)!;
      expect(rows.filter((r) => r.bid_status === 'valid')).toEqual([winnerOf(rows)]);
      expect(rows.length).toBeGreaterThanOrEqual(2);
    }
    for (const t of truthOf('single-bidder', 'tender')) {
      const rows = byTender.get(t.entity_id)!;
      expect(rows.length).toBe(1);
      expect(rows[0].procedure).toBe('open');
    }
  });

  it('excessive disqualifications: a planted buyer is listed only when its disqualified bids stand out among all it received', () => {
    // P(X ≥ k), X ~ Binomial(n, p)
    const tail = (k: number, n: number, p: number): number => {
      let s = 0;
      for (let j = k; j <= n; j++) {
        let log = j * Math.log(p) + (n - j) * Math.log(1 - p);
        for (let i = 1; i <= j; i++) log += Math.log((n - j + i) / i);
        s += Math.exp(log);
      }
      return s;
    };
    const stats = new Map<string, { n: number; d: number; below: number }>();
    for (const [, rows] of byTender) {
      for (const [, lot] of groupBy(rows, (r) => r.lot_id)) {
        const w = winnerOf(lot);
        for (const r of lot) {
          const s = stats.get(r.buyer_id) ?? { n: 0, d: 0, below: 0 };
          stats.set(r.buyer_id, s);
          s.n++;
          if (r.bid_status !== 'disqualified') continue;
          s.d++;
          if (w && num(r.bid_amount) < num(w.bid_amount)) s.below++;
        }
      }
    }
    const judged = [...stats.values()].filter((s) => s.n >= 5);
    const total = judged.reduce((a, s) => a + s.n, 0);
    const rate = judged.reduce((a, s) => a + s.d, 0) / total;
    const belowRate = judged.reduce((a, s) => a + s.below, 0) / total;
    const standsOut = (id: string): boolean => {
      const s = stats.get(id)!;
      return (s.d >= 2 && s.d / s.n >= 0.1 && tail(s.d, s.n, rate) <= 0.001) || (s.below >= 3 && tail(s.below, s.n, belowRate) <= 0.001);
    };
    const listed = new Set(truthOf('excessive-disqualifications', 'buyer').map((t) => t.entity_id));
    expect(listed.size).toBeGreaterThan(0);
    for (const id of listed) expect(standsOut(id), id).toBe(true);
    // every buyer of a plan that disqualifies on purpose, listed exactly when it stands out
    const planted = ['lowest-bid-disqualified', 'all-but-winner-disqualified', 'buyer-concentration'].flatMap((s) => truthOf(s, 'buyer').map((t) => t.entity_id));
    for (const id of planted) expect(listed.has(id), id).toBe(standsOut(id));
  });

  it('captured buyer: one winner takes most awards, always at ≥ 99% of the estimate', () => {
    for (const b of truthOf('repeat-winner', 'buyer')) {
      const winner = detail(b, 'winner');
      const awards = ds.bids.filter((r) => r.buyer_id === b.entity_id && r.is_winner === 'true');
      const mine = awards.filter((r) => r.bidder_id === winner);
      expect(mine.length).toBeGreaterThanOrEqual(5);
      expect(mine.length / awards.length).toBeGreaterThanOrEqual(0.5);
    }
    for (const t of truthOf('near-estimate-win', 'tender')) {
      const w = winnerOf(byTender.get(t.entity_id)!)!;
      expect(num(w.award_amount) / num(w.estimated_value)).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('permanent losers bid often and never win; fixed-ratio pairs keep their ratio', () => {
    for (const c of truthOf('permanent-loser', 'company')) {
      const rows = ds.bids.filter((r) => r.bidder_id === c.entity_id);
      expect(rows.length).toBeGreaterThanOrEqual(8);
      expect(rows.filter((r) => r.is_winner === 'true').length).toBe(0);
    }
    for (const [, cs] of groupBy(truthOf('fixed-ratio-bids', 'company'), inst)) {
      const base = cs.find((c) => detail(c, 'role') === 'base')!;
      const ts = ds.truth.filter((t) => t.scheme === 'fixed-ratio-bids' && t.entity_type === 'tender' && inst(t) === inst(base));
      expect(ts.length).toBeGreaterThanOrEqual(4);
      for (const follower of cs.filter((c) => detail(c, 'role') === 'follower')) {
        const ratio = Number(detail(follower, 'ratio') || detail(base, 'ratio'));
        for (const t of ts) {
          const rows = byTender.get(t.entity_id)!;
          const a = num(rows.find((r) => r.bidder_id === base.entity_id)!.bid_amount);
          const b = num(rows.find((r) => r.bidder_id === follower.entity_id)!.bid_amount);
          expect(Math.abs(b / a - ratio)).toBeLessThan(0.005);
        }
      }
    }
  });

  it('split purchases: designated awards to one supplier within 30 days, each just under the ceiling, summing above it', () => {
    const groups = groupBy(truthOf('split-purchases', 'tender'), inst);
    expect(groups.size).toBeGreaterThan(0);
    for (const [, ts] of groups) {
      const rows = ts.map((t) => winnerOf(byTender.get(t.entity_id)!)!);
      expect(rows.length).toBeGreaterThanOrEqual(2);
      expect(new Set(rows.map((r) => r.bidder_id)).size).toBe(1);
      expect(new Set(rows.map((r) => r.buyer_id)).size).toBe(1);
      const dates = rows.map((r) => r.award_date).sort();
      expect(days(dates[0], dates[dates.length - 1])).toBeLessThanOrEqual(30);
      const T = Number(detail(ts[0], 'ceiling'));
      const c = ceilings(dates[0]);
      expect([c.recurrent, c.goods]).toContain(T);
      expect(ceilings(dates[dates.length - 1])).toEqual(c);
      let sum = 0;
      for (const r of rows) {
        expect(r.procedure).toBe('designated');
        expect(num(r.award_amount)).toBeGreaterThanOrEqual(0.85 * T);
        expect(num(r.award_amount)).toBeLessThan(T);
        expect(num(r.estimated_value)).toBeLessThan(T);
        sum += num(r.award_amount);
      }
      expect(sum).toBeGreaterThanOrEqual(T);
    }
  });

  it('short submission periods and late winning bids are planted only', () => {
    const short = new Set(truthOf('short-submission-period', 'tender').map((t) => t.entity_id));
    const late = new Set(truthOf('late-winning-bid', 'tender').map((t) => t.entity_id));
    expect(short.size).toBeGreaterThan(0);
    expect(late.size).toBeGreaterThan(0);
    for (const [id, rows] of byTender) {
      const r = rows[0];
      const period = days(r.published_date, r.deadline_date);
      const limit = r.procedure === 'competitive-shopping' ? 7 : r.procedure === 'open' || r.procedure === 'restricted' ? 15 : 0;
      expect(period < limit, `${id} ${r.procedure} ${period}`).toBe(short.has(id));
      const w = winnerOf(rows);
      const isLate = !!w && w.bid_time > r.deadline_date;
      expect(isLate, id).toBe(late.has(id));
      for (const b of rows) if (b !== w) expect(b.bid_time <= r.deadline_date).toBe(true);
    }
  });

  it('new-company winners were registered less than a year before the award', () => {
    for (const t of truthOf('new-company-winner', 'tender')) {
      const w = winnerOf(byTender.get(t.entity_id)!)!;
      const reg = firms.get(w.bidder_id)!.registration_date;
      expect(days(reg, w.award_date)).toBeLessThan(365);
      expect(days(reg, w.award_date)).toBeGreaterThan(0);
    }
  });
});

describe('invoice schemes', () => {
  it('VAT carousel: each cycle closes, hops within days and within 10%', () => {
    const byInst = groupBy(truthOf('circular-invoicing', 'invoice'), (t) => `${inst(t)}/${detail(t, 'cycle')}`);
    expect(byInst.size).toBeGreaterThan(0);
    for (const [, ts] of byInst) {
      const inv = ts.map((t) => invById.get(t.entity_id)!).sort((a, b) => a.issue_date.localeCompare(b.issue_date) || a.invoice_id.localeCompare(b.invoice_id));
      expect(inv[inv.length - 1].buyer_id).toBe(inv[0].seller_id);
      for (let i = 1; i < inv.length; i++) {
        expect(inv[i].seller_id).toBe(inv[i - 1].buyer_id);
        expect(days(inv[i - 1].issue_date, inv[i].issue_date)).toBeLessThanOrEqual(10);
        expect(Math.abs(num(inv[i].amount) / num(inv[i - 1].amount) - 1)).toBeLessThan(0.1);
      }
    }
  });

  it('duplicates: the later copy repeats the number, or seller, buyer and amount within days', () => {
    const ts = truthOf('duplicate-invoices', 'invoice');
    expect(ts.length).toBeGreaterThan(0);
    for (const t of ts) {
      const later = invById.get(t.entity_id)!;
      const earlier = invById.get(detail(t, 'earlier'))!;
      expect(later.seller_id).toBe(earlier.seller_id);
      if (detail(t, 'same') === 'seller+series+number') {
        expect([later.series, later.number]).toEqual([earlier.series, earlier.number]);
      } else {
        expect([later.buyer_id, later.amount]).toEqual([earlier.buyer_id, earlier.amount]);
        expect(later.number).not.toBe(earlier.number);
        expect(days(earlier.issue_date, later.issue_date)).toBeLessThanOrEqual(7);
      }
    }
  });

  it('invoice numbers rise by one per seller and series in date order, except the planted breaks', () => {
    const planted = plantedInvoices();
    for (const [, rows] of groupBy(ds.invoices, (r) => `${r.seller_id}/${r.series}`)) {
      const ok = rows.filter((r) => !planted.has(r.invoice_id)).sort((a, b) => num(a.number) - num(b.number));
      for (let i = 1; i < ok.length; i++) {
        expect(ok[i].issue_date >= ok[i - 1].issue_date, `${ok[i].invoice_id}`).toBe(true);
        expect(num(ok[i].number)).toBeGreaterThan(num(ok[i - 1].number));
      }
    }
    const seq = truthOf('invoice-sequence', 'invoice');
    expect(seq.length).toBeGreaterThan(0);
    for (const t of seq) {
      const r = invById.get(t.entity_id)!;
      const same = ds.invoices.filter((x) => x.seller_id === r.seller_id && x.series === r.series && x !== r);
      if (t.detail.includes('gap=')) expect(same.some((x) => num(x.number) === num(r.number) - 1)).toBe(false);
      if (t.detail.includes('out-of-date-order')) expect(same.some((x) => num(x.number) < num(r.number) && x.issue_date > r.issue_date)).toBe(true);
      if (t.detail.includes('reused-number')) expect(same.some((x) => x.number === r.number)).toBe(true);
    }
  });

  it('VAT: correct everywhere except the planted mismatches', () => {
    const planted = new Set(truthOf('vat-mismatch', 'invoice').map((t) => t.entity_id));
    expect(planted.size).toBeGreaterThan(0);
    for (const r of ds.invoices) {
      if (r.vat_rate === '' || r.vat_rate === 'KCT') continue;
      const rate = Number(r.vat_rate);
      const correct = num(r.vat_amount) === Math.round((num(r.amount) * rate) / 100) && (rate !== 8 || vat8ok(r.issue_date)) && num(r.total_amount) === num(r.amount) + num(r.vat_amount);
      expect(correct, r.invoice_id).toBe(!planted.has(r.invoice_id));
    }
  });

  it('shells: fabricated amounts, round amounts, off days, invoices after closure', () => {
    const bySeller = groupBy(ds.invoices, (r) => r.seller_id);
    for (const c of truthOf('benford', 'company')) {
      const amounts = bySeller.get(c.entity_id)!.map((r) => num(r.amount));
      expect(amounts.length).toBeGreaterThanOrEqual(100);
      expect(firstDigitMad(amounts)).toBeGreaterThan(0.03);
    }
    for (const c of truthOf('round-amounts', 'company')) {
      const rows = bySeller.get(c.entity_id)!;
      expect(rows.filter((r) => num(r.amount) % 1e6 === 0).length / rows.length).toBeGreaterThan(0.9);
    }
    for (const c of truthOf('weekend-holiday', 'company')) {
      const rows = bySeller.get(c.entity_id)!;
      expect(rows.filter((r) => isHolidayOrSunday(r.issue_date)).length / rows.length).toBeGreaterThan(0.2);
    }
    for (const c of truthOf('invoice-burst', 'company')) {
      const month = detail(c, 'month');
      const rows = bySeller.get(c.entity_id)!;
      const perMonth = [...groupBy(rows, (r) => r.issue_date.slice(0, 7)).entries()];
      const peak = perMonth.find(([m]) => m === month)![1].length;
      const others = perMonth.filter(([m]) => m !== month).map(([, v]) => v.length).sort((a, b) => a - b);
      expect(peak).toBeGreaterThan(3 * (others[Math.floor(others.length / 2)] ?? 0));
    }
    for (const t of truthOf('new-or-closed-seller', 'invoice')) {
      const r = invById.get(t.entity_id)!;
      expect(r.issue_date >= firms.get(r.seller_id)!.closure_date).toBe(true);
    }
    // honest amounts follow Benford closely; honest sellers with volume rarely work on Sundays
    // (rent and subscriptions repeat a few amounts by design: left out here)
    const ordinary = clean.invoices.filter((r) => !/ tháng \d{2}\/\d{4}$/.test(r.description));
    expect(firstDigitMad(ordinary.map((r) => num(r.amount)).filter((a) => a !== 0))).toBeLessThan(0.012);
    const honestBig = [...groupBy(clean.invoices, (r) => r.seller_id).values()].filter((v) => v.length >= 150);
    expect(honestBig.length).toBeGreaterThan(0);
    for (const v of honestBig) expect(v.filter((r) => isHolidayOrSunday(r.issue_date)).length / v.length).toBeLessThan(0.1);
  });

  it('split invoices: several just under 50 m to one public buyer within days', () => {
    for (const [, ts] of groupBy(truthOf('split-invoices', 'invoice'), inst)) {
      const inv = ts.map((t) => invById.get(t.entity_id)!);
      expect(inv.length).toBeGreaterThanOrEqual(3);
      expect(new Set(inv.map((r) => `${r.seller_id}>${r.buyer_id}`)).size).toBe(1);
      for (const r of inv) expect(num(r.amount)).toBeGreaterThanOrEqual(40e6), expect(num(r.amount)).toBeLessThan(50e6);
    }
  });
});

describe('bids × invoices', () => {
  const awards = (): Map<string, Row> => {
    const m = new Map<string, Row>();
    for (const r of ds.bids) if (r.is_winner === 'true') m.set(r.tender_id, r);
    return m;
  };

  it('winners bill buyers against the tender: honest totals stay within the award, planted ones exceed it', () => {
    const over = new Set(truthOf('overbilling', 'tender').map((t) => t.entity_id));
    const before = new Set(truthOf('invoice-before-award', 'tender').map((t) => t.entity_id));
    expect(over.size).toBeGreaterThan(0);
    expect(before.size).toBeGreaterThan(0);
    const aw = awards();
    const multiLot = new Set(ds.bids.filter((r) => r.lot_id).map((r) => r.tender_id));
    let billed = 0;
    for (const [tid, rows] of groupBy(ds.invoices.filter((r) => r.contract_ref.startsWith('IB')), (r) => r.contract_ref)) {
      if (multiLot.has(tid)) continue;
      const w = aw.get(tid)!;
      billed++;
      for (const r of rows) {
        expect(r.seller_id).toBe(w.bidder_id);
        expect(r.buyer_id).toBe(w.buyer_id);
        expect(r.issue_date < w.award_date, r.invoice_id).toBe(before.has(tid) && truthOf('invoice-before-award', 'invoice').some((t) => t.entity_id === r.invoice_id));
      }
      const net = rows.reduce((s, r) => s + num(r.amount), 0);
      const gross = rows.reduce((s, r) => s + num(r.total_amount), 0);
      if (over.has(tid)) expect(net).toBeGreaterThan(num(w.award_amount) * 1.05);
      else expect(gross).toBeLessThanOrEqual(num(w.award_amount) * 1.001);
    }
    expect(billed).toBeGreaterThan(ds.summary.counts.awards * 0.5);
  });

  it('side payments: a losing bidder invoices the winner after the award', () => {
    const aw = awards();
    const ts = truthOf('loser-invoices-winner', 'invoice');
    expect(ts.length).toBeGreaterThan(0);
    for (const t of ts) {
      const r = invById.get(t.entity_id)!;
      const tid = detail(t, 'tender');
      const w = aw.get(tid)!;
      expect(r.buyer_id).toBe(w.bidder_id);
      const losers = byTender.get(tid)!.filter((b) => b.is_winner !== 'true').map((b) => b.bidder_id);
      expect(losers).toContain(r.seller_id);
      const d = days(w.award_date, r.issue_date);
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThanOrEqual(180);
    }
  });

  it('spend without award: large totals to a public buyer that never awarded the seller anything', () => {
    const aw = awards();
    for (const [, ts] of groupBy(truthOf('spend-without-award', 'invoice'), inst)) {
      const inv = ts.map((t) => invById.get(t.entity_id)!);
      const { seller_id, buyer_id } = inv[0];
      expect([...aw.values()].some((w) => w.bidder_id === seller_id && w.buyer_id === buyer_id)).toBe(false);
      expect(inv.reduce((s, r) => s + num(r.amount), 0)).toBeGreaterThan(1e9);
    }
  });
});

describe('the clean economy', () => {
  it('has no near-estimate pattern, no late or short tenders, and VAT in order', () => {
    const wins = clean.bids.filter((r) => r.is_winner === 'true');
    const near = wins.filter((r) => num(r.award_amount) / num(r.estimated_value) >= 0.99);
    expect(near.length / wins.length).toBeLessThan(0.01);
    for (const r of clean.invoices) if (r.vat_rate === '8') expect(vat8ok(r.issue_date)).toBe(true);
    expect(plantedTenders().size).toBeGreaterThan(0);
  });
});
