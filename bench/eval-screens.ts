/**
 * Measures each bid-price screen alone, and candidate combinations, on the labelled sets under
 * ../shared/data (and on generated economies given as directories with bids.csv + truth.csv, whose
 * bid-screens and cover-bid-pattern tenders are the positives): tender-level ROC AUC, percentile ranks over
 * the whole set in the collusive direction, tenders a measure cannot judge ranked lowest.
 * `npm run build && node dist/bench/eval-screens.js [DIR…]`. docs/screens.md reports its output.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/io/dataset.js';
import { bidPrices, percentileRanks } from '../src/detectors/util.js';
import { DIRECTION, mean, screens, SCREEN_NAMES, sd, tightestSubgroup } from '../src/stats/screens.js';
import { validBids } from '../src/stats/tender-prices.js';
import { rocAuc } from './eval-metrics.js';

export const LABELLED_SETS = ['ch-ticino', 'ch-graubuenden-seegaster', 'it-roadworks', 'br-carwash'];

/** ../shared/data beside the repository root (found from dist/bench or bench). */
export function dataRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '..', '../../..']) {
    const root = join(here, up);
    if (existsSync(join(root, 'package.json'))) return join(root, '..', 'shared', 'data');
  }
  return join(process.cwd(), '..', 'shared', 'data');
}

/** labels.csv: tender_id,collusive (1/0). */
export function readLabels(path: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of readFileSync(path, 'utf8').split(/\r?\n/).slice(1)) {
    if (!l.trim()) continue;
    const [id, v] = l.split(',');
    out.set(id, Number(v));
  }
  return out;
}

/** Tenders of a generated economy planted with a bid-price scheme are the positives. */
function truthLabels(path: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const l of readFileSync(path, 'utf8').split(/\r?\n/).slice(1)) {
    const [scheme, type, id] = l.split(',');
    if (type === 'tender' && (scheme === 'bid-screens' || scheme === 'cover-bid-pattern')) out.set(id, 1);
  }
  return out;
}

/** Single measures, each signed so that high = collusive. */
const MEASURES = [...SCREEN_NAMES, 'sub3_cv', 'sub4_cv', 'losers_cv', 'n_bids'] as const;
type Measure = (typeof MEASURES)[number];

const lg = (x: number) => Math.log(Math.max(x, 0.001));

/** Candidate combinations of percentile ranks (r = rank in the collusive direction, 0 when not judged). */
const COMBOS: Record<string, (r: Record<Measure, number>) => number> = {
  'mean of the 8 screens': (r) => SCREEN_NAMES.filter((k) => k !== 'mad').reduce((s, k) => s + r[k], 0) / 8,
  'CV + SPD + SKEW': (r) => (r.cv + r.spd + r.skew) / 3,
  '3 CV + SPD + SKEW': (r) => (3 * r.cv + r.spd + r.skew) / 5,
  '2 CV + SPD + SKEW + sub4 CV': (r) => (2 * r.cv + r.spd + r.skew + r.sub4_cv) / 5,
  '3 CV + SPD + SKEW + sub4 CV': (r) => (3 * r.cv + r.spd + r.skew + r.sub4_cv) / 6,
  '3 CV + SPD + SKEW + sub4 CV, geometric (chosen)': (r) => Math.exp((3 * lg(r.cv) + lg(r.spd) + lg(r.skew) + lg(r.sub4_cv)) / 6),
  '3 CV + SPD + SKEW + sub4 CV + MAD, geometric': (r) => Math.exp((3 * lg(r.cv) + lg(r.spd) + lg(r.skew) + lg(r.sub4_cv) + lg(r.mad)) / 7),
  '3 CV + SPD + SKEW + 2 sub4 CV': (r) => (3 * r.cv + r.spd + r.skew + 2 * r.sub4_cv) / 7,
  'CV + sub4 CV': (r) => (r.cv + r.sub4_cv) / 2,
  'CV + losers CV': (r) => (r.cv + r.losers_cv) / 2,
  'CV + SPD + SKEW − KURT': (r) => (r.cv + r.spd + r.skew + (r.kurt > 0 ? 1 - r.kurt : 0)) / 4,
};

async function main(): Promise<void> {
  const root = dataRoot();
  const extra = process.argv.slice(2);
  const sets: string[] = [];
  const columns: Record<string, string[]> = {};
  for (const set of [...LABELLED_SETS, ...extra]) {
    const dir = extra.includes(set) ? set : join(root, set);
    if (!existsSync(join(dir, 'bids.csv'))) continue;
    const { dataset } = await loadDataset([{ kind: 'bids', path: join(dir, 'bids.csv') }]);
    const labels = existsSync(join(dir, 'labels.csv')) ? readLabels(join(dir, 'labels.csv')) : truthLabels(join(dir, 'truth.csv'));
    const units = dataset.units;
    const prices = bidPrices(dataset)!;
    const raw = Object.fromEntries(MEASURES.map((m) => [m, new Float64Array(units.n).fill(NaN)])) as Record<Measure, Float64Array>;
    const label = new Float64Array(units.n);
    const bidder = dataset.bids!.party('bidder_id');
    const firms: number[][] = [];
    for (let u = 0; u < units.n; u++) {
      label[u] = labels.get(units.tenderId(u)) ?? 0;
      const { b, rows } = validBids(dataset, prices, u);
      firms.push(bidder ? [...new Set(rows.map((r) => bidder[r]).filter((f) => f >= 0))] : []);
      const s = screens(b);
      for (const k of SCREEN_NAMES) raw[k][u] = DIRECTION[k] * s[k];
      const g3 = tightestSubgroup(b, 3);
      const g4 = tightestSubgroup(b, Math.min(4, b.length));
      raw.sub3_cv[u] = g3 ? -g3.cv : NaN;
      raw.sub4_cv[u] = g4 && b.length >= 3 ? -g4.cv : NaN;
      raw.losers_cv[u] = b.length >= 4 ? -sd(b, 1) / mean(b, 1) : NaN;
      raw.n_bids[u] = b.length;
    }
    const rank = {} as Record<Measure, Float64Array>;
    for (const m of MEASURES) rank[m] = percentileRanks(raw[m]).map((x) => (Number.isNaN(x) ? 0 : x));
    const name = extra.includes(set) ? set.split('/').pop()! : set;
    sets.push(`${name} (${units.n})`);
    for (const m of MEASURES) (columns[m] ??= []).push(rocAuc(rank[m], label).toFixed(2));
    for (const [c, f] of Object.entries(COMBOS)) {
      const sc = new Float64Array(units.n);
      const r = {} as Record<Measure, number>;
      for (let u = 0; u < units.n; u++) {
        for (const m of MEASURES) r[m] = rank[m][u];
        sc[u] = f(r);
      }
      (columns[c] ??= []).push(rocAuc(sc, label).toFixed(2));
      if (c.endsWith('(chosen)')) {
        // the same mixed with the bidders' history (leave-one-out mean over each firm's other tenders)
        const sum = new Map<number, number>();
        const cnt = new Map<number, number>();
        for (let u = 0; u < units.n; u++)
          if (raw.n_bids[u] >= 3)
            for (const f of firms[u]) {
              sum.set(f, (sum.get(f) ?? 0) + sc[u]);
              cnt.set(f, (cnt.get(f) ?? 0) + 1);
            }
        for (const w of [0.3, 0.5, 0.7]) {
          const mixed = new Float64Array(units.n);
          for (let u = 0; u < units.n; u++) {
            let acc = 0;
            let k = 0;
            if (raw.n_bids[u] >= 3)
              for (const f of firms[u])
                if ((cnt.get(f) ?? 0) > 1) {
                  acc += (sum.get(f)! - sc[u]) / (cnt.get(f)! - 1);
                  k++;
                }
            mixed[u] = (1 - w) * sc[u] + w * (k ? acc / k : 0.5);
          }
          (columns[`chosen + bidders' history, w_firms ${w}`] ??= []).push(rocAuc(mixed, label).toFixed(2));
        }
      }
    }
  }
  const lines = [`| measure | ${sets.join(' | ')} |`, `|---|${sets.map(() => '---').join('|')}|`];
  for (const [m, v] of Object.entries(columns)) lines.push(`| ${m} | ${v.join(' | ')} |`);
  process.stdout.write(lines.join('\n') + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
