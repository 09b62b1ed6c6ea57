/**
 * Helpers behind the threshold, new-firm and common-owner detectors: the ceilings that can apply to a
 * purchase, the binomial tail of threshold-bunching, the owner-list parser of capital-link, and
 * byte-identical output across runs.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TABLES, type LegalTables } from '../../src/config/tables.js';
import { isoToMs } from '../../src/util/dates.js';
import { parseOwnerList, ownerKey } from '../../src/detectors/capital-link.js';
import { ceilingCandidates, ceilingKinds } from '../../src/detectors/split-purchases.js';
import { binomialUpperTail } from '../../src/detectors/threshold-bunching.js';
import { findDetector } from '../../src/detectors/index.js';
import { loadDataset } from '../../src/io/dataset.js';
import { runOn } from '../helpers/run.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

describe('ceilings that can apply', () => {
  it('tests every ceiling for an unknown category, and only the matching project ceiling for a known one', () => {
    expect(ceilingKinds('')).toEqual(['recurrent', 'consulting', 'goods_works']);
    expect(ceilingKinds('consulting')).toEqual(['recurrent', 'consulting']);
    expect(ceilingKinds('works')).toEqual(['recurrent', 'goods_works']);
    expect(ceilingKinds('Xây lắp (as written)')).toEqual(['recurrent', 'consulting', 'goods_works']);
  });

  it('takes the period in force on the date, from the table', () => {
    const at = (iso: string, cat: string) => ceilingCandidates(DEFAULT_TABLES, isoToMs(iso), cat).map((c) => [c.kind, c.ceiling, c.period.basis]);
    expect(at('2025-01-14', 'goods')).toEqual([
      ['recurrent', 100e6, 'Law 22/2023/QH15'],
      ['goods_works', 1e9, 'Law 22/2023/QH15'],
    ]);
    expect(at('2025-01-15', 'goods')[0]).toEqual(['recurrent', 300e6, 'Law 57/2024/QH15']);
    expect(at('2025-08-04', 'consulting')).toEqual([
      ['recurrent', 500e6, 'Decree 214/2025/ND-CP'],
      ['consulting', 800e6, 'Decree 214/2025/ND-CP'],
    ]);
    expect(at('2010-01-01', 'goods')).toEqual([]);
  });

  it('uses whatever table the config brings', () => {
    const other: LegalTables = { ...DEFAULT_TABLES, designated_ceilings: [{ from: '2020-01-01', recurrent: 7, consulting: 7, goods_works: 9, basis: 'X' }] };
    expect(ceilingCandidates(other, isoToMs('2024-01-01'), '').map((c) => c.ceiling)).toEqual([7, 9]);
  });
});

describe('binomialUpperTail', () => {
  const brute = (k: number, n: number, p: number) => {
    let s = 0;
    for (let i = k; i <= n; i++) {
      let c = 1;
      for (let j = 0; j < i; j++) c = (c * (n - j)) / (j + 1);
      s += c * p ** i * (1 - p) ** (n - i);
    }
    return s;
  };
  it('matches direct summation', () => {
    for (const [k, n, p] of [
      [16, 17, 0.55],
      [3, 10, 0.5],
      [0, 5, 0.3],
      [40, 60, 0.525],
    ]) {
      const want = brute(k, n, p);
      expect(Math.abs(binomialUpperTail(k, n, p) - want) / want).toBeLessThan(1e-6);
    }
    expect(binomialUpperTail(6, 5, 0.5)).toBe(0);
  });
});

describe('threshold-bunching against a baseline', () => {
  it('takes the historical share below as what honest data looks like', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path: join(fixtures, 'threshold-bunching', 'flags.csv') }]);
    const d = findDetector('threshold-bunching')!;
    const params = Object.fromEntries(Object.entries(d.params).map(([k, v]) => [k, v.default])) as never;
    const own = d.run(dataset, params, { tables: DEFAULT_TABLES });
    expect(own.findings.length).toBe(1);
    expect(own.reference).toEqual({ justBelow: 16 + 8 + 5, justAbove: 1 + 8 });
    // a history where 95% of near-ceiling awards sit below: BUNCH's 16 of 17 is ordinary there
    const hist = d.run(dataset, params, { tables: DEFAULT_TABLES, reference: { justBelow: 950, justAbove: 50 } });
    expect(hist.findings.length).toBe(0);
    // too little history: the parameter stands
    const thin = d.run(dataset, params, { tables: DEFAULT_TABLES, reference: { justBelow: 95, justAbove: 4 } });
    expect(thin.findings.length).toBe(1);
  });
});

describe('owner lists', () => {
  it('reads shares in the usual spellings and folds names', () => {
    expect(parseOwnerList('Nguyễn Văn An:60%; Trần Thị Bình:40%').map((o) => [o.key, o.share])).toEqual([
      ['an nguyen van', 0.6],
      ['binh thi tran', 0.4],
    ]);
    expect(parseOwnerList('Lê Văn Cường (35%)|Bùi Nam=65').map((o) => o.share)).toEqual([0.35, 0.65]);
    expect(parseOwnerList('Đỗ Lan')).toEqual([{ name: 'Đỗ Lan', tokens: ['do', 'lan'], key: 'do lan', share: 1 }]);
    expect(parseOwnerList('A B; C D').map((o) => o.share)).toEqual([null, null]);
    expect(parseOwnerList('Hoàng Minh:30,5%')[0].share).toBeCloseTo(0.305);
    expect(ownerKey('ÔNG NGUYỄN VĂN AN')).toBe(ownerKey('An Nguyen Van'));
  });
});

describe('determinism', () => {
  it('gives byte-identical JSON on a second run', async () => {
    const specs = [
      { kind: 'bids' as const, path: join(fixtures, 'capital-link', 'bids.csv') },
      { kind: 'companies' as const, path: join(fixtures, 'capital-link', 'companies.csv') },
    ];
    const ids = ['capital-link', 'split-purchases', 'threshold-bunching', 'new-company-winner'];
    const a = JSON.stringify(await runOn(specs, ids));
    const b = JSON.stringify(await runOn(specs, ids));
    expect(a).toBe(b);
    const s = [{ kind: 'bids' as const, path: join(fixtures, 'split-purchases', 'flags.csv') }];
    expect(JSON.stringify(await runOn(s, ids))).toBe(JSON.stringify(await runOn(s, ids)));
  });
});
