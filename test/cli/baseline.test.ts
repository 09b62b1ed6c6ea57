/**
 * Frozen baselines and --new-since, driven in-process through main() with a tiny detector registry whose
 * one detector scores bids against a percentile of the data (its `reference`): a batch whose own
 * percentile would hide its high bids gets them flagged against the history's.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import { toolVersion } from '../../src/cli/main.js';
import { defineDetector, type FindingDraft } from '../../src/detectors/types.js';
import { referencesHash } from '../../src/scoring/baseline.js';
import { Sink, cli as inProcess } from '../helpers/cli.js';

const root = join(import.meta.dirname, '..', '..');
const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(readFileSync(join(root, 'schema', 'report.schema.json'), 'utf8')));

/** Flags every bid above the `pct` percentile of all bid amounts (nearest rank); the cut is its reference. */
const aboveCut = defineDetector({
  id: 'above-cut',
  title: 'Bid above the percentile cut',
  family: 'price',
  rationale: 'test detector',
  sources: [],
  needs: ['bids.bid_amount'],
  params: { pct: { default: 0.9, min: 0, max: 1, description: 'percentile of the cut' } },
  explain: { definition: 'bid > cut', formula: 'cut = amount at rank ceil(pct × n)', why: 'test', falsePositives: 'none' },
  run(data, p, ctx) {
    const bids = data.bids!;
    const amount = bids.num('bid_amount')!;
    const bidder = bids.party('bidder_id')!;
    const sorted = Array.from(amount).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    const own = { cut: sorted[Math.max(0, Math.ceil(p.pct * sorted.length) - 1)] };
    const ref = (ctx.reference as { cut: number } | undefined) ?? own;
    const findings: FindingDraft[] = [];
    for (let r = 0; r < bids.n; r++)
      if (amount[r] > ref.cut)
        findings.push({
          score: 0.9,
          title: `bid ${amount[r]} above ${ref.cut}`,
          entities: [{ type: 'company', id: data.parties.id(bidder[r]) }],
          evidence: { amount: amount[r], cut: ref.cut },
          explanation: 'above the cut',
          key: bids.text('tender_id', r),
        });
    return { findings, applied: bids.n, reference: own };
  },
});
/** A detector without a reference, so a baseline covers only some detectors. */
const noRef = defineDetector({
  id: 'no-ref',
  title: 'Never flags',
  family: 'competition',
  rationale: 'test detector',
  sources: [],
  needs: ['bids.bid_amount'],
  params: {},
  explain: { definition: '-', formula: '-', why: '-', falsePositives: '-' },
  run: (data) => ({ findings: [], applied: data.bids!.n }),
});
const registry = [aboveCut, noRef];

/** `tty`: stderr is a terminal; `progressMinBytes`: the input size from which progress shows there. */
const cli = (args: string[], tty = false, progressMinBytes?: number) =>
  inProcess(args, { registry, stderr: new Sink({ tty }), ...(progressMinBytes === undefined ? {} : { progressMinBytes }) });

let dir: string;
let history: string;
let batch: string;
let base: string;
const csv = (rows: [string, string, number][]) => 'tender_id,buyer_id,bidder_id,bid_amount\n' + rows.map((r) => `${r[0]},CITY-HOSP,${r[1]},${r[2]}`).join('\n') + '\n';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'redflag-baseline-'));
  history = join(dir, 'history.csv');
  batch = join(dir, 'batch.csv');
  base = join(dir, 'baseline.json');
  // history: 100 bids of 1,000 … 100,000 → the 90th percentile is 90,000
  writeFileSync(history, csv(Array.from({ length: 100 }, (_, i) => [`H${i + 1}`, `FIRM${i % 7}`, (i + 1) * 1000])));
  // a batch of uniformly high bids: against itself only the top one exceeds its own 90th percentile
  writeFileSync(batch, csv(Array.from({ length: 10 }, (_, i) => [`T${i + 1}`, i === 9 ? 'ACME' : `FIRM${i}`, 200_000 + i * 1000])));
  const r = await cli(['baseline', '--bids', history, '--output', base]);
  expect(r.code).toBe(0);
});

describe('redflag baseline', () => {
  it('writes the references, the tool version, the config and its hash, and the history rows', () => {
    const b = JSON.parse(readFileSync(base, 'utf8'));
    expect(b).toMatchObject({ schemaVersion: 1, kind: 'redflag-baseline', tool: { name: 'redflag', version: toolVersion() }, rows: { bids: 100 } });
    expect(b.references).toEqual({ 'above-cut': { cut: 90_000 } });
    expect(b.config.detectors['above-cut']).toEqual({ pct: 0.9 });
    expect(b.configHash).toMatch(/^[0-9a-f]{16}$/);
    expect(b.inputs).toEqual([{ path: history, kind: 'bids', rows: 100, rejected: 0 }]);
  });

  it('is byte-identical when made twice and says what it froze', async () => {
    const again = join(dir, 'again.json');
    const r = await cli(['baseline', '--bids', history, '--output', again]);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(base, 'utf8'));
    expect(r.stderr).toContain('1 detector reference frozen (above-cut)');
    expect(r.stderr).toContain('1 detector ran without one');
  });

  it('shows progress (file, each detector) only when stderr is a terminal and the input is large', async () => {
    const out = join(dir, 'tty.json');
    const small = await cli(['baseline', '--bids', history, '--output', out], true);
    expect(small.stderr).not.toContain('\r');
    expect(small.stderr).not.toContain('running detectors');
    const t = await cli(['baseline', '--bids', history, '--output', out], true, 1000);
    expect(t.stderr).toContain(`\r\x1b[2Kreading ${history}`);
    expect(t.stderr).toContain('running detectors (1/2): above-cut');
    expect(t.stderr).toContain('running detectors (2/2): no-ref');
    const p = await cli(['baseline', '--bids', history, '--output', out]);
    expect(p.stderr).not.toContain('\r');
    expect(p.stderr).not.toContain('running detectors');
    const a = await cli(['analyze', '--bids', batch, '--fail-on', 'never'], true, 0);
    expect(a.stderr).toContain('running detectors (1/2): above-cut');
    expect(a.stderr).toMatch(/10 rows read, 0 rejected; 2 detectors ran, 0 skipped; 1 finding \(/);
  });

  it('needs --output and some input', async () => {
    expect((await cli(['baseline', '--bids', history])).code).toBe(2);
    const r = await cli(['baseline', '--output', join(dir, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing to freeze');
  });
});

describe('analyze --baseline', () => {
  it('a batch that hides its high bids from its own percentile is flagged against the history', async () => {
    const own = await cli(['analyze', '--bids', batch, '--format', 'json']);
    const alone = JSON.parse(own.stdout);
    expect(alone.findings.map((f: { entities: { id: string }[] }) => f.entities[0].id)).toEqual(['ACME']);
    expect(alone.baseline).toBeUndefined();

    const r = await cli(['analyze', '--bids', batch, '--baseline', base, '--format', 'json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.stdout);
    expect(rep.findings).toHaveLength(10);
    expect(rep.findings.every((f: { evidence: { cut: number } }) => f.evidence.cut === 90_000)).toBe(true);
    expect(rep.baseline).toEqual({ toolVersion: toolVersion(), configHash: JSON.parse(readFileSync(base, 'utf8')).configHash, rows: { bids: 100 }, detectors: ['above-cut'] });
    expect(validate(rep), JSON.stringify(validate.errors)).toBe(true);
  });

  it('says which detectors had no reference in the baseline and scored against the batch itself', async () => {
    const empty = join(dir, 'empty-refs.json');
    const b = JSON.parse(readFileSync(base, 'utf8'));
    b.references = {};
    b.referencesHash = referencesHash({}); // as a baseline made from history where no detector ran
    writeFileSync(empty, JSON.stringify(b));
    const r = await cli(['analyze', '--bids', batch, '--baseline', empty, '--format', 'json']);
    const rep = JSON.parse(r.stdout);
    expect(rep.findings).toHaveLength(1);
    expect(rep.baseline.detectors).toEqual([]);
    // (above-cut also flags 1 of 10, more than max_flag_share: that warning comes first)
    expect(rep.warnings.filter((w: string) => !w.includes('max_flag_share'))).toEqual(['the baseline has no reference for above-cut: scored against this batch itself']);
    expect(r.stderr).toContain('warning: the baseline has no reference for above-cut');
  });

  it('running a subset of detectors still fits the baseline', async () => {
    const r = await cli(['analyze', '--bids', batch, '--baseline', base, '--detectors', 'above-cut', '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).findings).toHaveLength(10);
  });

  it('refuses a baseline made with another configuration (exit 2, naming the parameter), unless --force', async () => {
    const r = await cli(['analyze', '--bids', batch, '--baseline', base, '--set', 'above-cut.pct=0.5', '--format', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('another configuration');
    expect(r.stderr).toContain('above-cut.pct 0.9 → 0.5');
    expect(r.stderr).toContain('--force');

    const f = await cli(['analyze', '--bids', batch, '--baseline', base, '--set', 'above-cut.pct=0.5', '--force', '--format', 'json']);
    expect(f.code).toBe(1);
    expect(f.stderr).toContain('used with --force');
    expect(JSON.parse(f.stdout).baseline.forced[0]).toContain('another configuration');
  });

  it('refuses a baseline from another tool version (exit 2), unless --force', async () => {
    const old = join(dir, 'old.json');
    const b = JSON.parse(readFileSync(base, 'utf8'));
    b.tool.version = '0.0.1';
    writeFileSync(old, JSON.stringify(b));
    const r = await cli(['analyze', '--bids', batch, '--baseline', old]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`made by redflag 0.0.1, this is ${toolVersion()}`);
    expect((await cli(['analyze', '--bids', batch, '--baseline', old, '--force', '--fail-on', 'never', '--quiet'])).code).toBe(0);
  });

  it('refuses a baseline whose references were edited after it was written (exit 2), even with --force', async () => {
    const edited = join(dir, 'edited.json');
    const b = JSON.parse(readFileSync(base, 'utf8'));
    const id = Object.keys(b.references)[0];
    b.references[id] = 'garbage';
    writeFileSync(edited, JSON.stringify(b));
    for (const extra of [[], ['--force']]) {
      const r = await cli(['analyze', '--bids', batch, '--baseline', edited, ...extra]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('baseline references do not match their hash');
    }
  });

  it('refuses a file that is not a baseline, and a missing one (exit 2)', async () => {
    const rep = join(dir, 'report.json');
    writeFileSync(rep, (await cli(['analyze', '--bids', batch, '--format', 'json'])).stdout);
    const r = await cli(['analyze', '--bids', batch, '--baseline', rep]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a redflag baseline');
    const m = await cli(['analyze', '--bids', batch, '--baseline', join(dir, 'nope.json')]);
    expect(m.code).toBe(2);
    expect(m.stderr).toContain('nope.json');
  });
});

describe('analyze --new-since', () => {
  it('lists only findings not in the previous report, counts the rest, and only new ones fail the run', async () => {
    const first = await cli(['analyze', '--bids', batch, '--baseline', base, '--format', 'json']);
    expect(first.code).toBe(1);
    const prev = join(dir, 'first.json');
    writeFileSync(prev, first.stdout);

    const same = await cli(['analyze', '--bids', batch, '--baseline', base, '--new-since', prev, '--format', 'json']);
    expect(same.code).toBe(0);
    const s = JSON.parse(same.stdout);
    expect(s.findings).toEqual([]);
    expect(s.summary).toMatchObject({ findings: 10, shown: 0, suppressed: { previous: 10 } });
    expect(same.stderr).toContain('10 findings already in');
    expect(validate(s), JSON.stringify(validate.errors)).toBe(true);

    // one more high bid in the next batch: only it is new
    const next = join(dir, 'next.csv');
    writeFileSync(next, readFileSync(batch, 'utf8') + 'T11,CITY-HOSP,NEWCO,300000\n');
    const r = await cli(['analyze', '--bids', next, '--baseline', base, '--new-since', prev, '--format', 'json']);
    expect(r.code).toBe(1);
    const n = JSON.parse(r.stdout);
    expect(n.findings.map((f: { entities: { id: string }[] }) => f.entities[0].id)).toEqual(['NEWCO']);
    expect(n.summary.suppressed).toEqual({ previous: 10 });
    expect(r.stderr).toContain('10 findings already in');
    expect(r.stderr).toContain('1 new');
  });

  it('takes several previous reports (their union)', async () => {
    const full = JSON.parse((await cli(['analyze', '--bids', batch, '--baseline', base, '--format', 'json'])).stdout);
    const a = join(dir, 'a.json');
    const b = join(dir, 'b.json');
    writeFileSync(a, JSON.stringify({ ...full, findings: full.findings.slice(0, 4) }));
    writeFileSync(b, JSON.stringify({ ...full, findings: full.findings.slice(3, 7) }));
    const one = JSON.parse((await cli(['analyze', '--bids', batch, '--baseline', base, '--new-since', b, '--format', 'json'])).stdout);
    expect(one.summary.suppressed.previous).toBe(4);
    const both = JSON.parse((await cli(['analyze', '--bids', batch, '--baseline', base, '--new-since', a, b, '--format', 'json'])).stdout);
    expect(both.summary.suppressed.previous).toBe(7);
    expect(both.findings.map((f: { id: string }) => f.id)).toEqual(full.findings.slice(7).map((f: { id: string }) => f.id));
  });

  it('refuses a previous file that is not a JSON report (exit 2)', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"hello": 1}');
    const r = await cli(['analyze', '--bids', batch, '--new-since', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('not a redflag JSON report');
  });
});
