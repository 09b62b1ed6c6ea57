import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../bench/gen/index.js';
import { isValidTaxCode } from '../../bench/gen/taxcode.js';
import { build, cleanup, groupBy, readCsv, tmp, type Dataset } from './load.js';

afterAll(cleanup);

const OPTS = { seed: 11, scale: 2, invoices: 6000, splitVn: true } as const;

function files(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  for (const f of readdirSync(dir).sort()) out[f] = readFileSync(join(dir, f));
  return out;
}

/** Undo the tax-code quirks of the Vietnamese export (vn prefix, lost leading zero). */
function normTax(s: string): string {
  let t = s.replace(/^vn/i, '');
  if (/^\d{9}(-\d{3})?$/.test(t)) t = '0' + t;
  return t;
}

describe('determinism', () => {
  it('same seed and options give byte-identical files; another seed gives other files', async () => {
    const a = tmp('det-a');
    const b = tmp('det-b');
    const c = tmp('det-c');
    await generate({ ...OPTS, out: a });
    await generate({ ...OPTS, out: b });
    await generate({ ...OPTS, seed: 12, out: c });
    const fa = files(a);
    const fb = files(b);
    const fc = files(c);
    expect(Object.keys(fa)).toEqual(['bids-vn.csv', 'bids.csv', 'companies.csv', 'invoices.csv', 'summary.json', 'truth.csv']);
    for (const k of Object.keys(fa)) expect(fb[k].equals(fa[k]), k).toBe(true);
    for (const k of ['bids.csv', 'companies.csv', 'invoices.csv', 'truth.csv']) expect(fc[k].equals(fa[k]), k).toBe(false);
  });

  it('splitting into the Vietnamese file only moves rows: the economy is the same', async () => {
    const a = await build({ seed: 5, scale: 1, invoices: 3000 }, 'nosplit');
    const b = await build({ seed: 5, scale: 1, invoices: 3000, splitVn: true }, 'split');
    expect(b.bids.length + b.bidsVn.length).toBe(a.bids.length);
    expect(readFileSync(join(b.dir, 'invoices.csv')).equals(readFileSync(join(a.dir, 'invoices.csv')))).toBe(true);
    expect(readFileSync(join(b.dir, 'truth.csv')).equals(readFileSync(join(a.dir, 'truth.csv')))).toBe(true);
  });
});

describe('files', () => {
  let ds: Dataset;
  beforeAll(async () => {
    ds = await build(OPTS, 'files');
  });

  it('writes the canonical headers', () => {
    expect(Object.keys(ds.bids[0])).toEqual([
      'tender_id', 'lot_id', 'buyer_id', 'buyer_name', 'title', 'category', 'procedure', 'estimated_value', 'currency',
      'published_date', 'deadline_date', 'opening_date', 'award_date', 'contract_date', 'bidder_id', 'bidder_name',
      'bid_amount', 'final_amount', 'bid_status', 'is_winner', 'award_amount', 'bid_time', 'province',
    ]);
    expect(Object.keys(ds.companies[0])).toEqual([
      'company_id', 'name', 'address', 'phone', 'email', 'website', 'bank_account', 'representative', 'owners',
      'registration_date', 'closure_date', 'status', 'province',
    ]);
    expect(Object.keys(ds.invoices[0])).toEqual([
      'invoice_id', 'template', 'series', 'number', 'issue_date', 'seller_id', 'seller_name', 'buyer_id', 'buyer_name',
      'amount', 'vat_rate', 'vat_amount', 'total_amount', 'currency', 'status', 'related_invoice', 'contract_ref', 'description',
    ]);
    expect(Object.keys(ds.truth[0])).toEqual(['scheme', 'entity_type', 'entity_id', 'detail']);
  });

  it('uses canonical coded values, plain amounts and ISO dates in bids.csv', () => {
    for (const r of ds.bids) {
      expect(['goods', 'works', 'consulting', 'non-consulting', 'mixed']).toContain(r.category);
      expect(['open', 'restricted', 'competitive-shopping', 'designated', 'direct']).toContain(r.procedure);
      expect(['valid', 'disqualified']).toContain(r.bid_status);
      expect(['true', 'false']).toContain(r.is_winner);
      expect(r.estimated_value).toMatch(/^\d+$/);
      expect(r.bid_amount).toMatch(/^\d+$/);
      expect(r.published_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(r.deadline_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(r.bid_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      if (r.is_winner === 'true') expect(r.award_amount).toBe(r.final_amount);
      else expect(r.award_amount).toBe('');
    }
  });

  it('keeps the rows of a tender together, one winner per lot at most, direct awards as one row', () => {
    const seen = new Set<string>();
    let prev = '';
    for (const r of ds.bids) {
      if (r.tender_id !== prev) {
        expect(seen.has(r.tender_id)).toBe(false);
        seen.add(r.tender_id);
        prev = r.tender_id;
      }
    }
    for (const [, rows] of groupBy(ds.bids, (r) => `${r.tender_id}/${r.lot_id}`)) {
      expect(rows.filter((r) => r.is_winner === 'true').length).toBeLessThanOrEqual(1);
      if (rows[0].procedure === 'designated' || rows[0].procedure === 'direct') {
        expect(rows.length).toBe(1);
        expect(rows[0].is_winner).toBe('true');
      }
    }
  });

  it('keeps dates in order: published < deadline = opening ≤ award ≤ contract, bids after publication', () => {
    for (const r of ds.bids) {
      expect(r.published_date < r.deadline_date.slice(0, 10)).toBe(true);
      expect(r.opening_date).toBe(r.deadline_date.slice(0, 10));
      if (r.award_date) {
        expect(r.award_date > r.deadline_date.slice(0, 10)).toBe(true);
        expect(r.contract_date > r.award_date).toBe(true);
      }
      expect(r.bid_time.slice(0, 10) >= r.published_date).toBe(true);
      expect(r.published_date >= '2023-01-01' && r.published_date <= '2025-12-31').toBe(true);
    }
    for (const c of ds.companies) if (c.closure_date) expect(c.closure_date > c.registration_date).toBe(true);
  });

  it('writes only valid tax codes (after undoing the export quirks of bids-vn.csv)', () => {
    const ids = [
      ...ds.companies.map((c) => c.company_id),
      ...ds.bids.flatMap((r) => [r.bidder_id, r.buyer_id]),
      ...ds.bidsVn.flatMap((r) => [normTax(r['MST nhà thầu']), normTax(r['Mã bên mời thầu'])]),
      ...ds.invoices.flatMap((r) => (r.buyer_id ? [r.seller_id, r.buyer_id] : [r.seller_id])),
    ];
    const bad = ids.filter((id) => !isValidTaxCode(id));
    expect(bad).toEqual([]);
    expect(ds.companies.some((c) => /-\d{3}$/.test(c.company_id))).toBe(true);
  });

  it('references only known firms and buyers', () => {
    const firms = new Set(ds.companies.map((c) => c.company_id));
    const buyers = new Set([...ds.bids.map((r) => r.buyer_id), ...ds.bidsVn.map((r) => normTax(r['Mã bên mời thầu']))]);
    for (const r of ds.bids) expect(firms.has(r.bidder_id), r.bidder_id).toBe(true);
    for (const r of ds.bidsVn) expect(firms.has(normTax(r['MST nhà thầu']))).toBe(true);
    for (const r of ds.invoices) {
      expect(firms.has(r.seller_id)).toBe(true);
      if (r.buyer_id) expect(firms.has(r.buyer_id) || buyers.has(r.buyer_id), r.buyer_id).toBe(true);
    }
  });

  it('truth rows reference ids present in the data', () => {
    const tenders = new Set([...ds.bids.map((r) => r.tender_id), ...ds.bidsVn.map((r) => r['Mã TBMT'])]);
    const firms = new Set(ds.companies.map((c) => c.company_id));
    const buyers = new Set([...ds.bids.map((r) => r.buyer_id), ...ds.bidsVn.map((r) => normTax(r['Mã bên mời thầu']))]);
    const invoices = new Set(ds.invoices.map((r) => r.invoice_id));
    expect(ds.truth.length).toBeGreaterThan(50);
    for (const t of ds.truth) {
      expect(t.detail).toMatch(/^instance=[a-z0-9-]+/);
      if (t.entity_type === 'tender') expect(tenders.has(t.entity_id), t.entity_id).toBe(true);
      else if (t.entity_type === 'company') expect(firms.has(t.entity_id), t.entity_id).toBe(true);
      else if (t.entity_type === 'buyer') expect(buyers.has(t.entity_id), t.entity_id).toBe(true);
      else if (t.entity_type === 'invoice') expect(invoices.has(t.entity_id), t.entity_id).toBe(true);
      else {
        expect(t.entity_type).toBe('group');
        const members = /members=([^;]+)/.exec(t.detail)![1].split('|');
        expect(members.length).toBeGreaterThanOrEqual(3);
        for (const m of members) expect(firms.has(m), m).toBe(true);
      }
    }
  });

  it('plants at least one instance of every scheme at scale 1 and up', () => {
    const schemes = new Set(ds.truth.map((t) => t.scheme));
    for (const s of [
      'bid-rotation', 'cover-bid-pattern', 'shared-identity', 'company-groups', 'split-purchases', 'circular-invoicing',
      'duplicate-invoices', 'loser-invoices-winner', 'overbilling', 'invoice-before-award', 'benford', 'single-bidder',
      'near-estimate-win', 'repeat-winner', 'identical-bids', 'lowest-bid-disqualified', 'all-but-winner-disqualified',
      'permanent-loser', 'fixed-ratio-bids', 'market-allocation', 'short-submission-period', 'late-winning-bid',
      'new-company-winner', 'split-invoices', 'invoice-sequence', 'cancelled-replaced', 'vat-mismatch',
      'new-or-closed-seller', 'spend-without-award', 'round-amounts', 'weekend-holiday', 'invoice-burst',
    ]) {
      expect(schemes.has(s), s).toBe(true);
    }
    expect(Object.keys(ds.summary.planted).sort()).toEqual([...schemes].sort());
  });

  it('writes bids-vn.csv the way a Vietnamese e-procurement export looks', () => {
    const raw = readFileSync(join(ds.dir, 'bids-vn.csv'));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = raw.toString('utf8');
    const header = text.slice(1, text.indexOf('\r\n')).split(';');
    for (const h of ['Mã TBMT', 'Mã bên mời thầu', 'Bên mời thầu', 'Tên gói thầu', 'Lĩnh vực', 'Hình thức lựa chọn nhà thầu', 'Giá gói thầu',
      'Ngày đăng tải', 'Thời điểm đóng thầu', 'Ngày mở thầu', 'Ngày phê duyệt KQLCNT', 'MST nhà thầu', 'Tên nhà thầu', 'Giá dự thầu',
      'Kết quả đánh giá', 'Trúng thầu', 'Giá trúng thầu', 'Tỉnh/Thành phố']) {
      expect(header).toContain(h);
    }
    expect(ds.bidsVn.length).toBeGreaterThan(50);
    for (const r of ds.bidsVn) {
      expect(r['Giá gói thầu']).toMatch(/^\d{1,3}(\.\d{3})*$/);
      expect(r['Giá dự thầu']).toMatch(/^\d{1,3}(\.\d{3})*$/);
      expect(r['Ngày đăng tải']).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
      expect(r['Thời điểm đóng thầu']).toMatch(/^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
      expect(['Hàng hóa', 'Xây lắp', 'Tư vấn', 'Phi tư vấn', 'Hỗn hợp']).toContain(r['Lĩnh vực']);
      expect(['Đấu thầu rộng rãi', 'Đấu thầu hạn chế', 'Chào hàng cạnh tranh', 'Chỉ định thầu', 'Mua sắm trực tiếp']).toContain(r['Hình thức lựa chọn nhà thầu']);
      expect(['Đạt', 'Không đạt']).toContain(r['Kết quả đánh giá']);
      expect(['x', 'Có', '']).toContain(r['Trúng thầu']);
    }
    expect(ds.bidsVn.some((r) => /^\d{1,3}(\.\d{3})+$/.test(r['Giá dự thầu']))).toBe(true);
    // quoting: some names or titles hold ; or "
    expect(/;"[^"\r\n]*(;|"")/.test(text)).toBe(true);
    // tax-code quirks
    expect(ds.bidsVn.some((r) => r['MST nhà thầu'].startsWith('vn'))).toBe(true);
    expect(ds.bidsVn.some((r) => /^\d{9}$/.test(r['MST nhà thầu']))).toBe(true);
    // every tender of the first half of the buyers went to the Vietnamese file
    const vnBuyers = new Set(ds.bidsVn.map((r) => normTax(r['Mã bên mời thầu'])));
    for (const r of ds.bids) expect(vnBuyers.has(r.buyer_id)).toBe(false);
  });

  it('writes invoice series as C/K + 2-digit year + 3 letters, numbers rising with dates', () => {
    for (const r of ds.invoices) {
      expect(r.series).toMatch(/^[CK]\d{2}[A-Z]{3}$/);
      expect(r.series.slice(1, 3)).toBe(r.issue_date.slice(2, 4));
    }
  });
});

describe('--clean', () => {
  it('plants nothing and writes a truth file with only its header', async () => {
    const ds = await build({ seed: 3, scale: 2, invoices: 4000, clean: true }, 'clean');
    expect(ds.truth).toEqual([]);
    expect(readFileSync(join(ds.dir, 'truth.csv'), 'utf8')).toBe('scheme,entity_type,entity_id,detail\n');
    expect(ds.summary.planted).toEqual({});
    expect(ds.summary.counts.plantedTenders).toBe(0);
    expect(ds.summary.counts.tenders).toBe(200);
    // the traps stay
    expect(ds.summary.traps.businessCentres.length).toBeGreaterThan(0);
    expect(ds.summary.traps.recurringContracts).toBeGreaterThan(0);
    const reps = groupBy(ds.companies, (c) => c.representative);
    expect(Math.max(...[...reps.values()].map((v) => v.length))).toBeGreaterThan(1);
  });
});

describe('samples/', () => {
  it('is exactly what the generator writes for --seed 7 --scale 3 --split-vn --invoices 5000', async () => {
    const dir = tmp('samples');
    await generate({ seed: 7, scale: 3, splitVn: true, invoices: 5000, out: dir });
    const samples = fileURLToPath(new URL('../../samples/', import.meta.url));
    for (const f of ['bids.csv', 'bids-vn.csv', 'companies.csv', 'invoices.csv', 'truth.csv', 'summary.json']) {
      expect(readFileSync(join(samples, f)).equals(readFileSync(join(dir, f))), `samples/${f} is stale`).toBe(true);
    }
  });
});

describe('summary.json', () => {
  it('counts rows per file', async () => {
    const dir = tmp('summary');
    const s = await generate({ seed: 9, scale: 1, invoices: 2500, out: dir });
    expect(s.files['bids.csv'].rows).toBe(readCsv(join(dir, 'bids.csv')).length);
    expect(s.files['invoices.csv'].rows).toBe(readCsv(join(dir, 'invoices.csv')).length);
    expect(s.files['truth.csv'].rows).toBe(readCsv(join(dir, 'truth.csv')).length);
    expect(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))).toEqual(s);
  });
});
