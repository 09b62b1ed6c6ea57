/**
 * Evaluation: `npm run eval`. For each labelled set under ../shared/data (skipped quietly when absent),
 * runs the whole analysis in-process with the default configuration plus the same `--set`s for every set
 * (so that every judged tender is ranked), ranks tenders by entity risk (tenders without findings rank
 * lowest, ties by mid-rank) and prints tender-level ROC AUC and average precision next to the single-screen
 * baseline −CV computed here. When the seeded economy generator (bench/gen) is present, also generates an
 * economy with planted schemes (precision and recall per scheme against truth.csv) and a clean one (high
 * findings per 1,000 tenders). Prints markdown tables.
 *
 * Options: --set detector.param=value (repeatable, replaces the default sets), --seed N, --scale N,
 * --no-gen.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, type Report } from '../src/analyze.js';
import { applySets, defaultConfig } from '../src/config/config.js';
import { bidPrices, bidStatus, INVALID_STATUSES } from '../src/detectors/util.js';
import { DETECTORS } from '../src/detectors/index.js';
import { loadDataset, type InputSpec } from '../src/io/dataset.js';
import type { Dataset } from '../src/model/dataset.js';
import { entityKey } from '../src/scoring/rank.js';
import { averagePrecision, rocAuc } from './eval-metrics.js';
import { foundKeys, namesPlanted, parseTruth } from './eval-truth.js';
import { dataRoot, LABELLED_SETS, readLabels } from './eval-screens.js';

/** Lower the reporting floor of the ranking detectors so that every judged tender gets a score. */
export const EVAL_SETS = ['bid-screens.min_score=0'];

const TARGETS: Record<string, number> = { 'ch-ticino': 0.88, 'br-carwash': 0.92, 'it-roadworks': 0.75 };

function args(): { sets: string[]; seed: number; scale: number; gen: boolean } {
  const a = process.argv.slice(2);
  const sets: string[] = [];
  let seed = 7;
  let scale = 10;
  let gen = true;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === '--set') sets.push(a[++i]);
    else if (a[i] === '--seed') seed = Number(a[++i]);
    else if (a[i] === '--scale') scale = Number(a[++i]);
    else if (a[i] === '--no-gen') gen = false;
  }
  return { sets: sets.length ? sets : EVAL_SETS, seed, scale, gen };
}

function run(data: Dataset, sets: string[]): Report {
  const cfg = applySets(defaultConfig(DETECTORS), sets, DETECTORS);
  const { report, errors } = analyze(data, cfg, DETECTORS, 'eval');
  for (const e of errors) process.stderr.write(`eval: detector ${e.id} failed: ${String(e.error)}\n`);
  return report;
}

/** −CV of each unit's valid bids (n ≥ 2), NaN when it cannot be computed. */
function negCv(data: Dataset): Float64Array {
  const units = data.units;
  const prices = bidPrices(data)!;
  const out = new Float64Array(units.n).fill(NaN);
  for (let u = 0; u < units.n; u++) {
    const b: number[] = [];
    for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
      const r = units.bidRows[k];
      if (prices[r] > 0 && !INVALID_STATUSES.has(bidStatus(data, r))) b.push(prices[r]);
    }
    if (b.length < 2) continue;
    const m = b.reduce((s, x) => s + x, 0) / b.length;
    const sd = Math.sqrt(b.reduce((s, x) => s + (x - m) ** 2, 0) / (b.length - 1));
    out[u] = -sd / m;
  }
  return out;
}

/** Scores with NaN (not judged) placed below every judged value. */
function lowestForMissing(x: Float64Array): Float64Array {
  let min = Infinity;
  for (const v of x) if (v < min) min = v;
  return x.map((v) => (Number.isNaN(v) ? (Number.isFinite(min) ? min - 1 : 0) : v));
}

const f2 = (x: number) => (Number.isNaN(x) ? '—' : x.toFixed(2));

async function labelled(sets: string[]): Promise<string[]> {
  const root = dataRoot();
  const lines = [
    `Tender-level ranking on the labelled sets (entity risk of each tender; sets: ${sets.map((s) => `\`${s}\``).join(', ')})`,
    '',
    '| set | tenders | collusive | AUC | AP | −CV AUC | −CV AP | AUC without identical-bids | bid-screens alone AUC | target AUC | detectors with findings |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  let any = false;
  for (const set of LABELLED_SETS) {
    const dir = join(root, set);
    if (!existsSync(join(dir, 'bids.csv')) || !existsSync(join(dir, 'labels.csv'))) continue;
    any = true;
    const { dataset } = await loadDataset([{ kind: 'bids', path: join(dir, 'bids.csv') }]);
    const labels = readLabels(join(dir, 'labels.csv'));
    const units = dataset.units;
    const report = run(dataset, sets);
    const risk = new Map<string, number>();
    for (const e of report.entities) if (e.type === 'tender') risk.set(entityKey(e), Math.max(risk.get(entityKey(e)) ?? 0, e.risk));
    // bid-screens alone: best score of its findings per tender; and the risk without identical-bids
    const own = new Map<string, number>();
    const family = new Map<string, Map<string, number>>();
    const price = new Set(DETECTORS.map((d) => d.id).filter((id) => id !== 'identical-bids'));
    for (const f of report.findings)
      for (const e of f.entities) {
        if (e.type !== 'tender') continue;
        const k = entityKey(e);
        if (f.detector === 'bid-screens') own.set(k, Math.max(own.get(k) ?? 0, f.score));
        if (price.has(f.detector)) {
          const m = family.get(k) ?? new Map<string, number>();
          m.set(f.detector, Math.max(m.get(f.detector) ?? 0, f.score));
          family.set(k, m);
        }
      }
    const familyRisk = (k: string) => 1 - [...(family.get(k)?.values() ?? [])].reduce((acc, s) => acc * (1 - s), 1);
    const label: number[] = [];
    const score: number[] = [];
    const alone: number[] = [];
    const fam: number[] = [];
    const cv = lowestForMissing(negCv(dataset));
    const cvScore: number[] = [];
    const seen = new Set<string>();
    for (let u = 0; u < units.n; u++) {
      const id = units.tenderId(u);
      if (!labels.has(id) || seen.has(id)) continue;
      seen.add(id);
      const key = entityKey({ type: 'tender', id, ...(units.lot(u) ? { lot: units.lot(u) } : {}) });
      label.push(labels.get(id)!);
      score.push(risk.get(key) ?? 0);
      alone.push(own.get(key) ?? 0);
      fam.push(familyRisk(key));
      cvScore.push(cv[u]);
    }
    const pos = label.filter((x) => x === 1).length;
    const fired = report.detectors.filter((d) => (d.findings ?? 0) > 0).map((d) => d.id);
    lines.push(
      `| ${set} | ${label.length} | ${pos} | ${f2(rocAuc(score, label))} | ${f2(averagePrecision(score, label))} | ${f2(rocAuc(cvScore, label))} | ${f2(averagePrecision(cvScore, label))} | ${f2(rocAuc(fam, label))} | ${f2(rocAuc(alone, label))} | ${TARGETS[set] ? `≥ ${TARGETS[set]}` : 'beat −CV'} | ${fired.join(', ')} |`,
    );
  }
  if (!any) return [`(no labelled sets under ${root}: skipped)`];
  return lines;
}

/**
 * Are planted entities ranked above normal trade? ROC AUC and average precision of entity risk, planted
 * (of any scheme) against every other tender and every other firm that bid or sold (risk 0 when no finding
 * names it).
 */
function entityRanking(data: Dataset, report: Report, planted: Set<string>): string[] {
  const risk = new Map<string, number>();
  for (const e of report.entities) risk.set(entityKey(e), e.risk);
  const universe: Record<string, Set<string>> = { tender: new Set(), company: new Set() };
  for (let u = 0; u < data.units.n; u++) universe.tender.add(entityKey({ type: 'tender', id: data.units.tenderId(u), ...(data.units.lot(u) ? { lot: data.units.lot(u) } : {}) }));
  for (const [table, col] of [[data.bids, 'bidder_id'], [data.invoices, 'seller_id']] as const) {
    const ids = table?.party(col);
    if (ids) for (const p of ids) if (p >= 0) universe.company.add(`company:${data.parties.id(p)}`);
  }
  const lines = [
    'Entity ranking on the generated economy: planted entities (any scheme) against all others, by entity risk',
    '',
    '| entities | planted | others | ROC AUC | AP | planted in the top 100 |',
    '|---|---|---|---|---|---|',
  ];
  for (const [type, keys] of Object.entries(universe)) {
    const all = [...keys].sort();
    const label = all.map((k) => (planted.has(k) ? 1 : 0));
    const score = all.map((k) => risk.get(k) ?? 0);
    const pos = label.reduce<number>((n, x) => n + x, 0);
    const top = all
      .map((k, i) => [score[i], label[i], k] as const)
      .sort((a, b) => b[0] - a[0] || (a[2] < b[2] ? -1 : 1))
      .slice(0, 100)
      .reduce((n, x) => n + x[1], 0);
    lines.push(`| ${type} | ${pos} | ${all.length - pos} | ${f2(rocAuc(score, label))} | ${f2(averagePrecision(score, label))} | ${top} |`);
  }
  return lines;
}

async function generated(seed: number, scale: number): Promise<string[]> {
  const genPath = join(import.meta.dirname, 'gen', 'index.js');
  if (!existsSync(genPath)) return ['(bench/gen not present: generated-economy figures skipped)'];
  const gen = (await import(pathToFileURL(genPath).href)) as { generate(o: { seed: number; scale: number; out: string; clean?: boolean }): Promise<unknown> };
  const lines: string[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'redflag-eval-'));
  try {
    const load = async (dir: string) => {
      const specs: InputSpec[] = [];
      for (const [kind, f] of [['bids', 'bids.csv'], ['bids', 'bids-vn.csv'], ['companies', 'companies.csv'], ['invoices', 'invoices.csv']] as const)
        if (existsSync(join(dir, f))) specs.push({ kind, path: join(dir, f) });
      return (await loadDataset(specs)).dataset;
    };
    // planted economy: precision and recall per scheme whose id is a detector
    const planted = join(tmp, 'planted');
    await gen.generate({ seed, scale, out: planted });
    const data = await load(planted);
    const report = run(data, []);
    const truth = parseTruth(readFileSync(join(planted, 'truth.csv'), 'utf8'));
    const ids = new Set(DETECTORS.map((d) => d.id));
    const schemes = [...new Set(truth.map((t) => t.scheme))].sort();
    const anyPlanted = new Set(truth.map((t) => t.key));
    lines.push(
      `Generated economy (seed ${seed}, scale ${scale}, ${data.units.n} tenders), default settings: precision = share of the detector's findings naming a planted entity of its scheme; recall = share of planted entities (of the types the detector reports) that its findings name; a planted group is named by a finding that reports a group and more than half of its members`,
      '',
      '| scheme | planted entities | findings | precision | precision (any planted scheme) | recall | findings ≥ medium | precision ≥ medium | recall ≥ medium |',
      '|---|---|---|---|---|---|---|---|---|',
    );
    for (const s of schemes) {
      const mine = report.findings.filter((f) => f.detector === s);
      const rows = truth.filter((t) => t.scheme === s);
      const keys = new Set(rows.map((t) => t.key));
      if (!ids.has(s)) {
        lines.push(`| ${s} | ${keys.size} | (no detector) | — | — | — |`);
        continue;
      }
      // planted groups are matched by their members (a detector names its groups after what it found)
      const groups = rows.filter((t) => t.key.startsWith('group:'));
      const types = new Set(mine.flatMap((f) => f.entities.map((e) => e.type)));
      const judged = [...keys].filter((k) => !types.size || types.has(k.split(':')[0] as never));
      const named = foundKeys(mine, rows);
      const hit = mine.filter((f) => namesPlanted(f, keys, groups)).length;
      const hitAny = mine.filter((f) => f.entities.some((e) => anyPlanted.has(entityKey(e)))).length;
      const found = judged.filter((k) => named.has(k)).length;
      // what an analyst acts on: medium and high findings only
      const acted = mine.filter((f) => f.severity !== 'low');
      const actedNamed = foundKeys(acted, rows);
      const actedHit = acted.filter((f) => namesPlanted(f, keys, groups)).length;
      const actedFound = judged.filter((k) => actedNamed.has(k)).length;
      const share = (n: number, d: number) => (d ? f2(n / d) : '—');
      lines.push(
        `| ${s} | ${keys.size} | ${mine.length} | ${share(hit, mine.length)} | ${share(hitAny, mine.length)} | ${share(found, judged.length)} | ` +
          `${acted.length} | ${share(actedHit, acted.length)} | ${share(actedFound, judged.length)} |`,
      );
    }
    lines.push('', ...entityRanking(data, report, anyPlanted));
    // clean economy: high findings per 1,000 tenders
    const clean = join(tmp, 'clean');
    await gen.generate({ seed, scale, out: clean, clean: true });
    const cdata = await load(clean);
    const crep = run(cdata, []);
    const per = (n: number) => ((n * 1000) / Math.max(1, cdata.units.n)).toFixed(2);
    lines.push('', `Clean economy (no schemes, ${cdata.units.n} tenders), default settings: high findings per 1,000 tenders`, '', '| detector | high | medium | per 1,000 tenders (high) |', '|---|---|---|---|');
    for (const d of crep.detectors) {
      if (!d.bySeverity || !(d.bySeverity.high + d.bySeverity.medium)) continue;
      lines.push(`| ${d.id} | ${d.bySeverity.high} | ${d.bySeverity.medium} | ${per(d.bySeverity.high)} |`);
    }
    lines.push(`| **all** | ${crep.summary.bySeverity.high} | ${crep.summary.bySeverity.medium} | ${per(crep.summary.bySeverity.high)} |`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return lines;
}

async function main(): Promise<void> {
  const a = args();
  const out = [...(await labelled(a.sets))];
  if (a.gen) {
    try {
      out.push('', ...(await generated(a.seed, a.scale)));
    } catch (e) {
      out.push('', `(generated economy failed: ${e instanceof Error ? e.message : String(e)})`);
    }
  }
  process.stdout.write(out.join('\n') + '\n');
}

await main();
