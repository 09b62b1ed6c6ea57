/**
 * What the tender-level competition findings say: the buyer in the evidence (not an entity: a tender-level
 * finding is not about the buyer's own conduct, OUTPUT.md; buyer-steering is), the dates and bid rows
 * an inspector opens first, the amounts of disqualified bids, and titles whose numbers read right.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOn } from '../helpers/run.js';

const fixture = (d: string, f: string) => join(import.meta.dirname, '..', 'fixtures', d, f);

describe('competition findings', () => {
  it('single-bidder: dates, the bid row and the sole bidder', async () => {
    const r = await runOn([{ kind: 'bids', path: fixture('single-bidder', 'dated.csv') }], ['single-bidder']);
    const f = r.findings[0];
    expect(f.entities.map((e) => `${e.type}:${e.id}`)).toEqual(['tender:T1', 'company:ACME']);
    expect(f.evidence.buyer).toMatchObject({ type: 'buyer', id: 'CITY-HOSP' });
    expect(f.evidence).toMatchObject({ published: '2024-03-01', deadline: '2024-03-18T09:00', awarded: '2024-04-02' });
    expect(f.evidence.rows).toEqual([{ file: fixture('single-bidder', 'dated.csv'), line: 2 }]);
    expect(f.explanation).toBe('Tender T1 was run as open (published 2024-03-01, deadline 2024-03-18 09:00, awarded 2024-04-02) but received a single bid, from ACME (value 100): no competition took place.');
  });

  it('single-bidder: the value is the winning price as the other price detectors read it (bid_amount, else final_amount)', async () => {
    const r = await runOn([{ kind: 'bids', path: fixture('single-bidder', 'final-amounts.csv') }], ['single-bidder']);
    const byTender = Object.fromEntries(r.findings.map((f) => [f.entities[0].id, f]));
    expect(byTender.T1.amount).toBe(250);
    expect(byTender.T1.evidence.value).toBe(250);
    expect(byTender.T1.explanation).toContain('(value 250)');
    expect(byTender.T2.amount).toBe(100);
    // the dearer tender ranks higher among the flagged ones
    expect(byTender.T1.score).toBeGreaterThan(byTender.T2.score);
  });

  it('all-but-winner-disqualified: the disqualified amounts, whether they were cheaper, and no "all 1 rival bid"', async () => {
    const r = await runOn([{ kind: 'bids', path: fixture('all-but-winner-disqualified', 'flags.csv') }], ['all-but-winner-disqualified']);
    const byTender = Object.fromEntries(r.findings.map((f) => [f.entities[0].id, f]));
    expect(byTender.T1.title).toBe('T1: all 2 rival bids disqualified (both cheaper than the winner)');
    expect(byTender.T4.title).toBe('T4: the only rival bid disqualified (dearer than the winner)');
    expect(byTender.T1.evidence).toMatchObject({
      winningBid: 100,
      disqualifiedBelowWinner: 2,
      lowestBidDisqualified: true,
      disqualifiedBids: [
        { bidder: 'BETA', amount: 95, cheaperThanWinner: true },
        { bidder: 'GAMMA', amount: 97, cheaperThanWinner: true },
      ],
    });
    expect(byTender.T1.explanation).toContain('(BETA at 95, GAMMA at 97)');
    expect(byTender.T1.explanation).toContain('lowest-bid-disqualified reports this tender too');
    expect(byTender.T4.explanation).not.toContain('lowest-bid-disqualified');
  });

  it('lowest-bid-disqualified says when every rival was disqualified too', async () => {
    const r = await runOn([{ kind: 'bids', path: fixture('all-but-winner-disqualified', 'flags.csv') }], ['lowest-bid-disqualified']);
    const byTender = Object.fromEntries(r.findings.map((f) => [f.entities[0].id, f]));
    expect(byTender.T1.evidence.allRivalsDisqualified).toBe(true);
    expect(byTender.T1.explanation).toContain('all-but-winner-disqualified reports this tender');
    expect(byTender.T2.evidence.allRivalsDisqualified).toBe(false);
  });

  it('short-submission-period and late-winning-bid name the buyer and the winner as entity objects, like the other competition detectors', async () => {
    const s = await runOn([{ kind: 'bids', path: fixture('short-submission-period', 'flags.csv') }], ['short-submission-period']);
    const t1 = s.findings.find((f) => f.entities[0].id === 'T1')!;
    expect(t1.evidence.buyer).toEqual({ type: 'buyer', id: 'CITY-HOSP' });
    expect(t1.evidence.winner).toMatchObject({ type: 'company' });
    expect(t1.explanation.startsWith('CITY-HOSP kept the notice open for 4 days')).toBe(true);
    const l = await runOn([{ kind: 'bids', path: fixture('late-winning-bid', 'flags.csv') }], ['late-winning-bid']);
    const t4 = l.findings.find((f) => f.entities[0].id === 'T4')!;
    expect(t4.evidence.buyer).toEqual({ type: 'buyer', id: 'SCHOOL' });
    expect(t4.evidence.winner).toEqual(t4.entities[1]);
  });

  it('excessive-disqualifications says which test fired, and why the share test did not', async () => {
    const files = [{ kind: 'bids' as const, path: fixture('excessive-disqualifications', 'flags.csv') }];
    const decisive = await runOn(files, ['excessive-disqualifications'], ['excessive-disqualifications.min_share=0.8']);
    const f = decisive.findings[0];
    expect(f.evidence.firedOn).toEqual(['decisive']);
    expect(f.title).toBe('CITY-HOSP disqualified 12 bids cheaper than the winner (12 of 30 disqualified)');
    expect(f.explanation).toContain('(40%: below min_share 80%), but 12 of them priced below the winning bid');
    const both = await runOn(files, ['excessive-disqualifications']);
    const city = both.findings.find((x) => x.entities[0].id === 'CITY-HOSP')!;
    expect(city.evidence.firedOn).toEqual(['share', 'decisive']);
    expect(city.explanation).toContain('40%, above the outlier cut-off of 15.6%');
  });

  it('near-estimate-win names the strong threshold and scores a strong ratio above a plain one', async () => {
    const r = await runOn([{ kind: 'bids', path: fixture('near-estimate-win', 'flags.csv') }], ['near-estimate-win']);
    const byTender = Object.fromEntries(r.findings.map((f) => [f.entities[0].id, f]));
    expect(byTender.T1.title).toBe('T1: won at 99.50% of the estimate (at or above the strong 99.5%)');
    expect(byTender.T3.title).toBe('T3: won at 99.00% of the estimate');
    expect(byTender.T1.explanation).toContain('flagged from 99.0%, strong from 99.5%, which it reaches');
    expect(byTender.T1.score).toBeGreaterThan(byTender.T3.score);
  });
});
