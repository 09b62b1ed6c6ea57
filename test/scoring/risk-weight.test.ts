/**
 * Entity risk discounts a detector whose medium and high findings cover more than max_flag_share of what it
 * judged: a flag raised on 40% of tenders does not single a tender out. Two stand-in detectors over the same
 * tenders: COMMON flags 40 of 100 tenders at 0.6, RARE flags 2 of 100 at 0.45.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, flaggedUnits, riskWeight } from '../../src/analyze.js';
import { defaultConfig } from '../../src/config/config.js';
import { defineDetector, type FindingDraft } from '../../src/detectors/types.js';
import { loadDataset } from '../../src/io/dataset.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderTable } from '../../src/report/table.js';
import { rankEntities, toFinding } from '../../src/scoring/rank.js';

const tender = (i: number) => ({ type: 'tender' as const, id: `T${String(i).padStart(3, '0')}` });
const draft = (i: number, score: number): FindingDraft => ({ score, title: 't', entities: [tender(i)], evidence: {}, explanation: 'e' });

const stand = (id: string, flagged: number[], score: number) =>
  defineDetector({
    id,
    title: id,
    family: 'competition',
    rationale: 'r',
    sources: [],
    needs: [],
    params: {},
    explain: { definition: 'd', formula: 'f', why: 'w', falsePositives: 'p' },
    run: () => ({ findings: flagged.map((i) => draft(i, score)), applied: 100 }),
  });

const COMMON = stand('common', Array.from({ length: 40 }, (_, i) => i), 0.6);
const RARE = stand('rare', [50, 51], 0.45);

async function run(maxShare = 0.05) {
  const { dataset } = await loadDataset([{ kind: 'bids', path: join(import.meta.dirname, '..', 'fixtures', 'bid-screens', 'price.csv') }]);
  const cfg = { ...defaultConfig([COMMON, RARE]), max_flag_share: maxShare };
  return analyze(dataset, cfg, [COMMON, RARE], 'test').report;
}

describe('risk weights', () => {
  it('a detector flagging 40% of what it judged counts at max_flag_share / 40% in entity risk', async () => {
    const report = await run();
    const common = report.detectors.find((d) => d.id === 'common')!;
    expect(common.riskWeight).toBe(0.125);
    expect(common.flagShareWarning).toContain('count at ×0.13 in entity risk');
    expect(report.detectors.find((d) => d.id === 'rare')!.riskWeight).toBeUndefined();
    const risk = new Map(report.entities.map((e) => [e.id, e.risk]));
    expect(risk.get('T000')).toBeCloseTo(0.6 * 0.125, 4);
    expect(risk.get('T050')).toBeCloseTo(0.45, 4);
    // the rare signal now ranks first; the findings keep their own scores and severities
    expect(report.entities[0].id).toBe('T050');
    expect(report.findings.filter((f) => f.detector === 'common').every((f) => f.score === 0.6 && f.severity === 'medium')).toBe(true);
  });

  it('the table and markdown reports say which detectors were discounted, and by how much', async () => {
    const note = 'Detectors that flag more than max_flag_share of what they judged count for less: common ×0.13.';
    const report = await run();
    expect(renderMarkdown(report, { color: false, width: 100 })).toContain(note);
    expect(renderTable(report, { color: false, width: 100 })).toContain(note);
    expect(renderMarkdown(await run(0.4), { color: false, width: 100 })).not.toContain('count for less');
  });

  it('no discount at or under max_flag_share', async () => {
    const report = await run(0.4);
    expect(report.detectors.find((d) => d.id === 'common')!.riskWeight).toBeUndefined();
    expect(report.entities[0].risk).toBeCloseTo(0.6, 4);
  });

  it('fewer than 20 strong findings, or a share at or under max_flag_share, are not discounted', () => {
    expect(riskWeight(3, 100, 0.05)).toBe(1);
    expect(riskWeight(19, 100, 0.05)).toBe(1);
    expect(riskWeight(20, 100, 0.05)).toBe(0.25);
    expect(riskWeight(20, 400, 0.05)).toBe(1);
  });

  it('counts distinct judged units when the detector names them, and low findings not at all', () => {
    const unitOf = (f: { entities: readonly { id: string }[] }) => f.entities[0].id;
    const fs = [toFinding('d', draft(1, 0.6)), toFinding('d', { ...draft(1, 0.7), key: 'b' }), toFinding('d', draft(2, 0.3))];
    expect(flaggedUnits(fs)).toBe(3);
    expect(flaggedUnits(fs, unitOf)).toBe(2);
    expect(flaggedUnits(fs, unitOf, true)).toBe(1);
  });

  it('rankEntities scales each detector by its weight before combining', () => {
    const fs = [toFinding('a', draft(1, 0.8)), toFinding('b', draft(1, 0.5))];
    const r = rankEntities(fs, new Map([['a', 0.5]]));
    expect(r[0].risk).toBeCloseTo(1 - (1 - 0.4) * (1 - 0.5), 4);
  });
});

describe('data checks before the detectors', () => {
  it('warns when bid rows repeat a bidder already in the same tender', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path: join(import.meta.dirname, '..', 'fixtures', 'single-bidder', 'repeated.csv') }]);
    const report = analyze(dataset, defaultConfig([RARE]), [RARE], 'test').report;
    expect(report.warnings).toContain(
      'bids: 1 row repeats a bidder already in the same tender (1 tender); single-bidder counts distinct bidders, the price detectors count each row as a bid: check the export for duplicated rows',
    );
    const clean = await loadDataset([{ kind: 'bids', path: join(import.meta.dirname, '..', 'fixtures', 'bid-screens', 'price.csv') }]);
    expect(analyze(clean.dataset, defaultConfig([RARE]), [RARE], 'test').report.warnings.some((w) => w.startsWith('bids:'))).toBe(false);
  });
});
