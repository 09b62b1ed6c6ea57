import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { applySelection, defaultConfig } from '../../src/config/config.js';
import { DETECTORS } from '../../src/detectors/index.js';
import { loadDataset } from '../../src/io/dataset.js';
import { runOn } from '../helpers/run.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'buyer-steering');

describe('buyer-steering', () => {
  it('states the pattern at the buyer: the count, the kind and the firm', async () => {
    const report = await runOn([{ kind: 'bids', path: join(dir, 'bids.csv') }], ['buyer-steering']);
    const titles = report.findings.map((f) => f.title).sort();
    expect(titles).toEqual([
      'CITY-HOSP: 3 open tenders each drew only ACME',
      'SCHOOL: the lowest bid was disqualified in 3 of 3 tenders, each time in favour of BETA',
    ]);
    const school = report.findings.find((f) => f.title.startsWith('SCHOOL'))!;
    expect(school.evidence).toMatchObject({ tendersWithoutCompetition: 3, winsAtBuyer: 3, byKind: { lowestBidDisqualified: 3, singleBid: 0 } });
    const first = (school.evidence.tenders as Record<string, unknown>[])[0];
    expect(first).toMatchObject({ tender: 'L1', outcome: ['lowest'], winningBid: 100, lowestBid: 90, lowestBidder: 'LOWCO' });
    expect(school.explanation).toContain('Of the 3 tenders BETA won at this buyer, 3 had no real competition (3 lowest bids disqualified)');
  });

  it('scores against a frozen pooled rate: where 60% of awards go without competition, 3 of 3 is ordinary', async () => {
    const { dataset } = await loadDataset([{ kind: 'bids', path: join(dir, 'bids.csv') }]);
    const cfg = applySelection(defaultConfig(DETECTORS), ['buyer-steering'], undefined, DETECTORS);
    const own = analyze(dataset, cfg, DETECTORS, 'test');
    expect(own.report.findings).toHaveLength(2);
    expect((own.references['buyer-steering'] as { rate: number }).rate).toBeCloseTo(9 / 129, 6);
    const frozen = analyze(dataset, cfg, DETECTORS, 'test', { references: { 'buyer-steering': { rate: 0.6 } } });
    expect(frozen.report.findings).toHaveLength(0);
  });
});
