import { describe, expect, it } from 'vitest';
import { findingId, rankEntities, toFinding } from '../../src/scoring/rank.js';
import { ramp, severityOf } from '../../src/scoring/score.js';

const draft = (score: number, ids: string[]) => ({
  score,
  title: 't',
  entities: ids.map((id) => ({ type: 'company' as const, id })),
  evidence: {},
  explanation: 'e',
});

describe('scoring', () => {
  it('severity from the common scale', () => {
    expect(severityOf(0.8)).toBe('high');
    expect(severityOf(0.7999)).toBe('medium');
    expect(severityOf(0.5)).toBe('medium');
    expect(severityOf(0.49)).toBe('low');
  });

  it('ramp interpolates and clamps in either direction', () => {
    expect(ramp(0.995, 0.99, 1, 0.5, 0.7)).toBeCloseTo(0.6);
    expect(ramp(2, 0.99, 1, 0.5, 0.7)).toBe(0.7);
    expect(ramp(0.1, 0.2, 0.1, 0.5, 0.9)).toBe(0.9);
  });

  it('finding ids are stable and independent of entity order', () => {
    const a = findingId('d', [{ type: 'company', id: 'A' }, { type: 'tender', id: 'T' }], 'k');
    const b = findingId('d', [{ type: 'tender', id: 'T' }, { type: 'company', id: 'A' }], 'k');
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(findingId('d', [{ type: 'tender', id: 'T' }], 'k2')).not.toBe(findingId('d', [{ type: 'tender', id: 'T' }], 'k'));
  });

  it('entity risk combines the best score of each detector: 1 − Π(1 − s)', () => {
    const fs = [toFinding('d1', draft(0.6, ['A'])), toFinding('d1', draft(0.9, ['A', 'B'])), toFinding('d2', draft(0.5, ['A']))];
    const ranked = rankEntities(fs);
    const a = ranked.find((e) => e.id === 'A')!;
    expect(a.risk).toBeCloseTo(1 - (1 - 0.9) * (1 - 0.5), 4);
    expect(a.detectors).toEqual(['d1', 'd2']);
    expect(a.findings).toBe(3);
    expect(ranked[0].id).toBe('A');
    expect(ranked.find((e) => e.id === 'B')!.risk).toBeCloseTo(0.9, 4);
  });

  it('a firm\'s unrelated affairs count as the worst of them; findings that name a tender or a firm in common combine', () => {
    const on = (detector: string, score: number, tender: string | null, firms: string[]) =>
      toFinding(detector, {
        score,
        title: 't',
        entities: [...(tender ? [{ type: 'tender' as const, id: tender }] : []), ...firms.map((id) => ({ type: 'company' as const, id }))],
        evidence: {},
        explanation: 'e',
      });
    const fs = [
      // ACME: two ordinary flags on two tenders and a pair finding with BETA: three unrelated affairs
      on('single-bidder', 0.6, 'T1', ['ACME']),
      on('lowest-bid-disqualified', 0.7, 'T2', ['ACME']),
      on('co-bidding-pair', 0.5, null, ['ACME', 'BETA']),
      // GAMMA: two detectors on one tender, and a pair finding with DELTA that names that tender too: one affair
      on('single-bidder', 0.6, 'T3', ['GAMMA']),
      on('bid-screens', 0.7, 'T3', ['GAMMA']),
      on('co-bidding-pair', 0.5, 'T3', ['GAMMA', 'DELTA']),
    ];
    const r = new Map(rankEntities(fs).map((e) => [`${e.type}:${e.id}`, e]));
    expect(r.get('company:ACME')!.risk).toBeCloseTo(0.7, 4);
    expect(r.get('company:ACME')!.detectors).toEqual(['co-bidding-pair', 'lowest-bid-disqualified', 'single-bidder']);
    expect(r.get('company:GAMMA')!.risk).toBeCloseTo(1 - (1 - 0.6) * (1 - 0.7) * (1 - 0.5), 4);
    // a tender combines every detector that named it
    expect(r.get('tender:T3')!.risk).toBeCloseTo(1 - (1 - 0.6) * (1 - 0.7) * (1 - 0.5), 4);
  });

  it('detectors that report one observation count once per affair', () => {
    const f = (detector: string, score: number) =>
      toFinding(detector, { score, title: 't', entities: [{ type: 'tender', id: 'T1' }, { type: 'company', id: 'ACME' }], evidence: {}, explanation: 'e' });
    const fs = [f('lowest-bid-disqualified', 0.7), f('all-but-winner-disqualified', 0.75), f('single-bidder', 0.6)];
    const same = new Map([
      ['lowest-bid-disqualified', 'disqualified rivals'],
      ['all-but-winner-disqualified', 'disqualified rivals'],
    ]);
    const r = new Map(rankEntities(fs, new Map(), same).map((e) => [`${e.type}:${e.id}`, e]));
    expect(r.get('tender:T1')!.risk).toBeCloseTo(1 - (1 - 0.75) * (1 - 0.6), 4);
    expect(r.get('company:ACME')!.risk).toBeCloseTo(1 - (1 - 0.75) * (1 - 0.6), 4);
    // without the grouping all three would combine
    expect(new Map(rankEntities(fs).map((e) => [e.id, e.risk])).get('T1')).toBeCloseTo(1 - 0.3 * 0.25 * 0.4, 4);
  });
});
