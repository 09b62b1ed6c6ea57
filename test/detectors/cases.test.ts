/**
 * Detector cases as data: test/fixtures/<detector-id>/cases.json lists, per case, the input files, optional
 * `--set` overrides and what must happen (status, count, entities flagged and not flagged, severities,
 * coverage). Each detector has a flagging case, a clean case, a boundary case and a missing-column case.
 * Reading the cases is shared with the detector pages (test/helpers/cases.ts).
 */
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../src/detectors/index.js';
import { caseDirs, caseSpecs, casesOf, KINDS, type Case, type Kind } from '../helpers/cases.js';
import { flaggedKeys, runOn } from '../helpers/run.js';

const dirs = caseDirs();

/**
 * Kinds a detector still lacks, while the detector itself is being reworked (its cases come with that
 * change). The list must be exact: a detector that gains the kind fails the test until its entry is removed.
 */
const PENDING: Record<string, Kind[]> = {};

/** The kinds a detector's cases cover; `missing` only through a case where the detector itself is skipped. */
function kindsOf(cases: Case[]): Set<Kind> {
  return new Set(cases.filter((c) => c.kind !== 'missing' || c.expect.status === 'skipped').map((c) => c.kind));
}

it('every registered detector has fixture cases', () => {
  const missing = DETECTORS.map((d) => d.id).filter((id) => !dirs.includes(id));
  expect(missing).toEqual([]);
});

it('every registered detector has a flag, a clean, a boundary and a missing-column case', () => {
  const lacking: Record<string, Kind[]> = {};
  for (const { id } of DETECTORS) {
    if (!dirs.includes(id)) continue;
    const have = kindsOf(casesOf(id));
    const gaps = KINDS.filter((k) => !have.has(k));
    if (gaps.length) lacking[id] = gaps;
  }
  expect(lacking).toEqual(PENDING);
});

for (const dir of dirs) {
  const cases = casesOf(dir);
  describe(dir, () => {
    for (const c of cases) {
      it(c.name, async () => {
        checkKind(c);
        const specs = caseSpecs(dir, c);
        if (c.expect.error) {
          await expect(runOn(specs, [dir], c.set)).rejects.toThrow(c.expect.error);
          return;
        }
        const report = await runOn(specs, [dir], c.set);
        const summary = report.detectors.find((d) => d.id === dir)!;
        expect(summary, `detector ${dir} in the report`).toBeDefined();
        if (c.expect.status) expect(summary.status).toBe(c.expect.status);
        if (c.expect.reason) expect(summary.reason).toBe(c.expect.reason);
        if (c.expect.count !== undefined) expect(report.findings.length).toBe(c.expect.count);
        if (c.expect.minCount !== undefined) expect(report.findings.length).toBeGreaterThanOrEqual(c.expect.minCount);
        if (c.expect.applied !== undefined) expect(summary.applied).toBe(c.expect.applied);
        if (c.expect.notApplicable) expect(summary.notApplicable).toEqual(c.expect.notApplicable);
        const keys = flaggedKeys(report);
        for (const k of c.expect.flagged ?? []) expect(keys.has(k), `${k} flagged`).toBe(true);
        for (const k of c.expect.notFlagged ?? []) expect(keys.has(k), `${k} not flagged`).toBe(false);
        for (const [k, sev] of Object.entries(c.expect.severity ?? {})) {
          const f = report.findings.find((x) => x.entities.some((e) => `${e.type}:${e.id}` === k));
          expect(f?.severity, `severity of ${k}`).toBe(sev);
        }
        for (const f of report.findings) {
          expect(f.score).toBeGreaterThanOrEqual(0);
          expect(f.score).toBeLessThanOrEqual(1);
          expect(f.explanation.length).toBeGreaterThan(20);
        }
      });
    }
  });
}

/** What a case's kind promises about its expectations, so that a label cannot drift from the case. */
function checkKind(c: Case): void {
  const e = c.expect;
  expect(KINDS, `kind of "${c.name}"`).toContain(c.kind);
  switch (c.kind) {
    case 'flag':
      expect(e.error, 'a flag case runs').toBeUndefined();
      expect((e.count ?? 0) > 0 || (e.minCount ?? 0) > 0 || (e.flagged ?? []).length > 0, 'a flag case expects findings').toBe(true);
      break;
    case 'clean':
      expect(c.set, 'a clean case runs at the defaults').toBeUndefined();
      expect(e.status, 'a clean case runs').toBe('ran');
      expect(e.count, 'a clean case expects no finding').toBe(0);
      break;
    case 'boundary':
      expect(e.error, 'a boundary case runs').toBeUndefined();
      break;
    case 'missing':
      if (e.status === 'skipped') expect(e.reason, 'a skipped missing-column case says why').toBeTruthy();
      else expect(e.error !== undefined || e.status === 'ran', 'a missing-column case is skipped, rejected or runs on what is left').toBe(true);
      break;
  }
}
