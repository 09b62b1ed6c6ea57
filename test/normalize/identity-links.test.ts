/**
 * Identity links through the real loader: which firms are linked, how strongly, and which values are
 * discounted (business centres, other rooms, hamlets, common names) or merged (misspelt streets).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityLinks, strongComponents } from '../../src/graph/groups.js';
import { loadDataset } from '../../src/io/dataset.js';

const dir = mkdtempSync(join(tmpdir(), 'redflag-identity-'));
const BIDS = 'tender_id,buyer_id,bidder_id,bid_amount\nT1,B,A1,1\n';
const CENTRE = 'Số 84, đường Nguyễn Thị Minh Khai, Phường Dịch Vọng Hậu, Quận Cầu Giấy, Hà Nội';

async function linksOf(companies: string[][]) {
  const header = 'company_id,address,phone,email,representative,owners';
  const csv = [header, ...companies.map((r) => r.map((c) => `"${c}"`).join(','))].join('\n');
  const path = join(dir, `c${Math.random().toString(36).slice(2)}.csv`);
  const bids = join(dir, 'bids.csv');
  writeFileSync(path, csv);
  writeFileSync(bids, BIDS);
  const { dataset } = await loadDataset([{ kind: 'bids', path: bids }, { kind: 'companies', path }]);
  const il = identityLinks(dataset, 50);
  const id = (p: number) => dataset.parties.id(p);
  const strength = (a: string, b: string) => il.links.find((l) => [id(l.a), id(l.b)].sort().join() === [a, b].sort().join())?.strength ?? 0;
  return { il, dataset, strength };
}

describe('identityLinks', () => {
  it('a misspelt street in the same number, ward and district is merged (fuzzy); another number is not', async () => {
    const { strength } = await linksOf([
      ['A1', 'Số 12, đường Nguyễn Thị Minh Khai, Phường 5, Quận 3, TP. Hồ Chí Minh', '', '', '', ''],
      ['A2', '12 Nguyen T. Minh Khai, P.5, Q.3, TP.HCM', '', '', '', ''],
      ['A3', '14 Nguyễn Thị Minh Khai, P.5, Q.3, TP.HCM', '', '', '', ''],
    ]);
    expect(strength('A1', 'A2')).toBeCloseTo(0.8);
    expect(strength('A1', 'A3')).toBe(0);
  });

  it('a business centre of 20 firms weighs little; two of them in different rooms even less; two firms at one address a lot', async () => {
    const rows: string[][] = [];
    for (let i = 0; i < 20; i++) rows.push([`C${i}`, i < 2 ? `Phòng ${701 + i}, ${CENTRE}` : CENTRE, '', '', '', '']);
    rows.push(['P1', 'Số 3, đường Kim Mã, Phường Kim Mã, Quận Ba Đình, Hà Nội', '', '', '', '']);
    rows.push(['P2', '3 Kim Ma, P. Kim Ma, Q. Ba Dinh, HN', '', '', '', '']);
    const { strength } = await linksOf(rows);
    expect(strength('C5', 'C6')).toBeLessThan(0.1);
    expect(strength('C0', 'C1')).toBeLessThanOrEqual(strength('C5', 'C6'));
    expect(strength('P1', 'P2')).toBeCloseTo(0.8);
  });

  it('a tower shared by 5 firms of a small export is a possible business centre: weak unless two firms wrote the same room', async () => {
    const TOWER = 'Tầng 19, Tòa nhà Viettel Complex, Số 55, đường Nguyễn Thị Minh Khai, Phường Trung Hòa, Quận Cầu Giấy, Hà Nội';
    const { strength } = await linksOf([
      ['V1', TOWER, '', '', '', ''],
      ['V2', TOWER, '', '', '', ''],
      ['V3', `Phòng 1708, ${TOWER}`, '', '', '', ''],
      ['V4', `Phòng 1708, ${TOWER}`, '', '', '', ''],
      ['V5', `Phòng 1122, ${TOWER}`, '', '', '', ''],
      // the same street address written without the tower is in the same building
      ['V6', '55 Nguyễn Thị Minh Khai, P. Trung Hòa, Q. Cầu Giấy, HN', '', '', '', ''],
      // English markers: "Suite" and "... Tower"
      ['E1', 'Suite 305, Saigon Tower, 29 Lê Duẩn, Phường Bến Nghé, Quận 1, TP.HCM', '', '', '', ''],
      ['E2', '29 Le Duan, P. Ben Nghe, Q.1, TP.HCM', '', '', '', ''],
    ]);
    // rarity(6 firms) × 0.8 ≈ 0.64 for an office; × 0.35 for a building
    expect(strength('V1', 'V2')).toBeCloseTo(0.8 * 0.8 * 0.35, 2);
    expect(strength('V1', 'V6')).toBeCloseTo(strength('V1', 'V2'), 6);
    expect(strength('V1', 'V2')).toBeLessThan(0.35); // below shared-identity's min_strength
    expect(strength('V3', 'V4')).toBeCloseTo(0.8 * 0.8, 2); // the same room: one office
    expect(strength('V3', 'V5')).toBe(0); // other rooms of the building: no link
    expect(strength('E1', 'E2')).toBeCloseTo(0.8 * 0.35, 2);
  });

  it('a hamlet without house number weighs less than a street address', async () => {
    const { strength } = await linksOf([
      ['H1', 'Thôn Đông, Xã An Phú, Huyện Đô Lương, Tỉnh Nghệ An', '', '', '', ''],
      ['H2', 'Thon Dong, X. An Phu, H. Do Luong, Nghe An', '', '', '', ''],
    ]);
    expect(strength('H1', 'H2')).toBeCloseTo(0.52);
  });

  it('phones and e-mail domains written differently link; gmail does not', async () => {
    const { strength } = await linksOf([
      ['E1', '', '0912.345.678', 'info@acme.vn', '', ''],
      ['E2', '', '+84 912 345 678', 'sales@acme.vn', '', ''],
      ['E3', '', '0987000111', 'x@gmail.com', '', ''],
      ['E4', '', '0987000222', 'y@gmail.com', '', ''],
    ]);
    expect(strength('E1', 'E2')).toBeGreaterThan(0.98);
    expect(strength('E3', 'E4')).toBe(0);
  });

  it('an uncommon owner of >= 30% of two firms joins them; a common name does not; a minority stake weighs less', async () => {
    const rows: string[][] = [
      ['O1', '', '', '', '', 'Tạ Quang Vĩnh:60%;Lê Thị Hoa:40%'],
      ['O2', '', '', '', '', 'Ta Quang Vinh:35%;Đỗ Văn Tư:65%'],
      ['O3', '', '', '', '', 'Tạ Quang Vĩnh:10%;Hồ Văn Năm:90%'],
      ['N1', '', '', '', 'Nguyễn Văn An', 'Nguyễn Văn An:100%'],
      ['N2', '', '', '', 'Nguyễn Văn An', 'Nguyễn Văn An:100%'],
    ];
    // a population of common names makes "Nguyễn Văn An" expected by chance
    for (let i = 0; i < 60; i++) rows.push([`X${i}`, '', '', '', `Nguyễn Văn ${['An', 'Bình', 'Hùng', 'Dũng'][i % 4]}`, '']);
    const { strength, il, dataset } = await linksOf(rows);
    expect(strength('O1', 'O2')).toBeGreaterThan(0.6);
    expect(strength('O1', 'O3')).toBeLessThan(strength('O1', 'O2'));
    expect(strength('N1', 'N2')).toBeLessThan(0.2);
    const { members } = strongComponents(il, dataset.parties.size, 0.6);
    const groups = members.map((m) => m.map((p) => dataset.parties.id(p)).sort());
    expect(groups).toContainEqual(['O1', 'O2']);
    expect(groups.flat()).not.toContain('N1');
  });
});
