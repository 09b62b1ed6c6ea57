/**
 * What the group-interest findings say: counts in titles that match the evidence, one finding per linked
 * set of firms, and link weights that do not overstate a building or a name.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fixture = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

describe('shared-identity', () => {
  it('counts the firms that share each value, not the whole linked set, and lists the set\'s tenders once', async () => {
    const r = await runOn(
      [{ kind: 'bids', path: fixture('shared-identity', 'group-bids.csv') }, { kind: 'companies', path: fixture('shared-identity', 'group-companies.csv') }],
      ['shared-identity'],
    );
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0];
    expect(f.title).toBe('5 linked bidders in 3 tenders (4 share phone 0796818524, 2 share address "78 Nam Ky Khoi Nghia, P. Ben Thanh, Q.1, TP.HCM")');
    expect(f.evidence.sharedValues).toEqual([
      { kind: 'phone', value: '0796818524', firms: ['BLUE1', 'BLUE2', 'BLUE3', 'RED'] },
      { kind: 'address', value: '78 nam ky khoi nghia · ward ben thanh · district 1', firms: ['BLUE4', 'RED'] },
      { kind: 'person', value: 'ta quang vinh', firms: ['BLUE4', 'RED'] },
    ]);
    expect((f.evidence.tenders as { tender: string; linked: string[] }[]).map((t) => [t.tender, t.linked.length])).toEqual([['G1', 5], ['G2', 2], ['G3', 2]]);
    expect(f.evidence).toMatchObject({ tenderCount: 3, wonByLinked: 3, valueWonByLinked: 590 });
    expect(f.amount).toBe(590);
  });

  it('a single tender whose bidders all share the values: "2 bidders in T1 share …"', async () => {
    const r = await runOn(
      [{ kind: 'bids', path: fixture('shared-identity', 'bids.csv') }, { kind: 'companies', path: fixture('shared-identity', 'companies.csv') }],
      ['shared-identity'],
    );
    expect(r.findings.map((f) => f.title).sort()).toEqual([
      '2 bidders in T1 share phone 0912345678 and e-mail/web domain acme.vn',
      '2 bidders in T3 share address "Số 12, đường Lê Lợi, Phường 5, Quận 3, TP. Hồ Chí Minh"',
    ]);
    const t3 = r.findings.find((f) => f.entities[0].id === 'T3')!;
    expect(t3.score).toBe(0.75);
    expect(t3.explanation).toContain('an address alone (scored at most 0.75)');
  });
});

describe('row order', () => {
  it('the group-interest findings do not change when the rows of both files are reversed (only the line numbers do)', async () => {
    const dets = ['shared-identity', 'company-groups', 'capital-link'];
    const a = await runOn([{ kind: 'bids', path: fixture('shared-identity', 'group-bids.csv') }, { kind: 'companies', path: fixture('shared-identity', 'group-companies.csv') }], dets);
    const b = await runOn(
      [{ kind: 'bids', path: fixture('shared-identity', 'group-bids-reversed.csv') }, { kind: 'companies', path: fixture('shared-identity', 'group-companies-reversed.csv') }],
      dets,
    );
    const strip = (x: unknown): unknown =>
      Array.isArray(x) ? x.map(strip) : x && typeof x === 'object' ? Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'line' && k !== 'file').map(([k, v]) => [k, strip(v)])) : x;
    expect(a.findings.length).toBeGreaterThan(1);
    expect(strip(b.findings)).toEqual(strip(a.findings));
  });
});

describe('company-groups and capital-link on weak links', () => {
  const files = [
    { kind: 'bids' as const, path: fixture('company-groups', 'tower-bids.csv') },
    { kind: 'companies' as const, path: fixture('company-groups', 'tower-companies.csv') },
  ];

  it('a group linked only by one address, or only by a name, is medium and says why', async () => {
    const r = await runOn(files, ['company-groups']);
    const byGroup = Object.fromEntries(r.findings.map((f) => [f.entities[0].id, f]));
    expect(Object.keys(byGroup).sort()).toEqual(['G-NAME1', 'G-ROOM1']);
    expect(byGroup['G-ROOM1'].score).toBe(0.75);
    expect(byGroup['G-ROOM1'].evidence.linkedOnlyBy).toBe('address');
    expect(byGroup['G-ROOM1'].explanation).toContain('only by shared addresses, so scored at most 0.75');
    expect(byGroup['G-NAME1'].score).toBeLessThan(0.75);
    expect(byGroup['G-NAME1'].explanation).toContain("only by a person's name, which may be a namesake");
  });

  it('capital-link does not assert common control from an owner\'s name alone', async () => {
    const r = await runOn(files, ['capital-link']);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0].title).toBe('2 co-bidders share an owner named Tạ Quang Vĩnh (3 tenders)');
    expect(r.findings[0].explanation).toContain('if this is one person, they are not independent competitors');
    expect(r.findings[0].explanation).toContain('check it is not a namesake');
  });
});

describe('company-groups', () => {
  it('names the outside firm that won the group\'s tenders, and its weaker link to a member', async () => {
    const r = await runOn([{ kind: 'bids', path: fixture('company-groups', 'outside-winner.csv') }], ['company-groups']);
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0];
    expect(f.title).toMatch(/^2 linked firms bid against each other in 2 tenders and won 0; 2 won by WINCO, itself linked to a member more weakly \(0\.\d+\)$/);
    expect(f.evidence.outsideWinner).toMatchObject({ firm: 'WINCO', tendersWon: 2 });
    expect((f.evidence.outsideWinner as { weakLink: number }).weakLink).toBeLessThan(0.6);
    expect(f.explanation).toContain('possibly the group\'s designated winner');
  });
});
