/**
 * Findings of one evidence group about the same firms (shared-identity, company-groups, capital-link on one
 * linked set) are shown under the first of them in the reports people read, so that one set does not take
 * the first rows; JSON keeps every finding.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Entity } from '../../src/detectors/types.js';
import { alsoLine, foldRelated } from '../../src/report/fold.js';
import { toFinding, type Finding } from '../../src/scoring/rank.js';
import { cli, ROOT } from '../helpers/cli.js';

const firm = (id: string): Entity => ({ type: 'company', id });
const tender = (id: string): Entity => ({ type: 'tender', id });
const finding = (detector: string, score: number, entities: Entity[]): Finding =>
  toFinding(detector, { score, entities, title: `${detector} ${score}`, explanation: 'x', evidence: {} });
const GROUPS = new Map([
  ['shared-identity', 'identity links'],
  ['capital-link', 'identity links'],
  ['similar-names', 'identity links'],
]);

describe('foldRelated', () => {
  const findings = [
    finding('shared-identity', 0.95, [tender('T1'), firm('RED'), firm('BLUE'), firm('GREEN')]),
    finding('single-bidder', 0.9, [tender('T9'), firm('RED')]),
    finding('capital-link', 0.9, [tender('T1'), firm('BLUE'), firm('RED')]), // a subset, same tender: folded
    finding('similar-names', 0.8, [firm('RED'), firm('WHITE')]), // WHITE is not in the set: a row
    finding('capital-link', 0.7, [tender('T5'), firm('RED'), firm('BLUE')]), // no tender in common: a row
    finding('similar-names', 0.6, [firm('GREEN'), firm('RED')]), // no tenders named: folded
  ];

  it('folds a later finding of the same group whose firms are all in an earlier row and that shares a tender', () => {
    const { rows, also } = foldRelated(findings, GROUPS);
    expect(rows).toEqual([0, 1, 3, 4]);
    expect([...also]).toEqual([[0, [2, 5]]]);
    expect(alsoLine(findings, also.get(0)!)).toBe('Also about these firms: capital-link 0.90 (#3), similar-names 0.60 (#6)');
  });

  it('folds nothing without evidence groups, and never across groups', () => {
    expect(foldRelated(findings, undefined).rows).toEqual([0, 1, 2, 3, 4, 5]);
    const apart = new Map([...GROUPS, ['capital-link', 'other']]);
    expect(foldRelated(findings, apart).rows).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('analyze --format table', () => {
  const fx = (f: string) => join(ROOT, 'test', 'fixtures', 'company-groups', f);
  const args = ['analyze', '--bids', fx('bids.csv'), '--companies', fx('companies.csv'), '--fail-on', 'never'];

  it('shows one linked set once, with the other detectors that saw it under it; JSON keeps all three', async () => {
    const table = await cli(args);
    expect(table.code).toBe(0);
    const rows = table.stdout.split('\n').filter((l) => /^│ \d+ /.test(l));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/^│ 1 .*shared-identity/);
    expect(table.stdout.replace(/[│\s]+/g, ' ')).toContain('Also about these firms: company-groups 0.93 (#2), capital-link 0.90 (#3)');
    const json = JSON.parse((await cli([...args, '--format', 'json'])).stdout) as { findings: Finding[] };
    expect(json.findings.map((f) => f.detector)).toEqual(['shared-identity', 'company-groups', 'capital-link']);
  });
});
