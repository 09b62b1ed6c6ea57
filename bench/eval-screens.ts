/**
 * Measures each bid-price screen alone, and candidate combinations, on the labelled sets under
 * ../shared/data: tender-level ROC AUC with percentile ranks over the whole set in the collusive direction
 * (tenders a screen cannot judge rank lowest). `npm run build && node dist/bench/eval-screens.js`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../src/io/dataset.js';
import { bidPrices, bidStatus, INVALID_STATUSES, percentileRanks } from '../src/detectors/util.js';
import { screens, SCREEN_NAMES, DIRECTION, tightestSubgroup, sortedBids } from '../src/stats/screens.js';
import { rocAuc } from './eval-metrics.js';

export const LABELLED_SETS = ['ch-ticino', 'ch-graubuenden-seegaster', 'it-roadworks', 'br-carwash'];

export function dataRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // dist/bench → repo root is two up; bench/ (ts-run) → one up
  for (const up of ['../..', '..', '../../..']) {
    const root = join(here, up);
    if (existsSync(join(root, 'package.json'))) return join(root, '..', 'shared', 'data');
  }
  return join(process.cwd(), '..', 'shared', 'data');
}

export function readLabels(path: string): Map<string, number> {
  const out = new Map<string, number>();
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).slice(1);
  for (const l of lines) {
    if (!l.trim()) continue;
    const [id, v] = l.split(',');
    out.set(id, Number(v));
  }
  return out;
}

async function main(): Promise<void> {
  const root = dataRoot();
  const rows: string[] = [];
  const extra = ['cv_nb', 'spd_nb', 'skew_nb', 'sub3cv', 'sub4cv', 'sub3spd', 'nbids', 'cvL', 'qcd', 'cvlow', 'meansub3'];
  const combos: Record<string, (r: Record<string, number>) => number> = {
    'cv+spd': (r) => (r.cv + r.spd) / 2,
    'nb:cv+spd+skew': (r) => (r.cv_nb + r.spd_nb + r.skew_nb) / 3,
    'nb:2cv+spd+skew': (r) => (2 * r.cv_nb + r.spd_nb + r.skew_nb) / 4,
    '2cv+spd+skew': (r) => (2 * r.cv + r.spd + r.skew) / 4,
    '2cv+spd+skew+cvL': (r) => (2 * r.cv + r.spd + r.skew + r.cvL) / 5,
    '3cv+spd+skew+sub4': (r) => (3 * r.cv + r.spd + r.skew + r.sub4cv) / 6,
    'cv+cvL': (r) => (r.cv + r.cvL) / 2,
    'cv+qcd': (r) => (r.cv + r.qcd) / 2,
    'cv+skew+qcd': (r) => (r.cv + r.skew + r.qcd) / 3,
    'cv+spd+skew+cvL': (r) => (r.cv + r.spd + r.skew + r.cvL) / 4,
    'cv+skew+cvlow': (r) => (r.cv + r.skew + r.cvlow) / 3,
    'cv+skew': (r) => (r.cv + r.skew) / 2,
    'cv+spd+skew': (r) => (r.cv + r.spd + r.skew) / 3,
    'cv+sub3cv': (r) => (r.cv + r.sub3cv) / 2,
    'cv+sub4cv': (r) => (r.cv + r.sub4cv) / 2,
    'cv+spd+sub4': (r) => (r.cv + r.spd + r.sub4cv) / 3,
    'cv+skew+sub4': (r) => (r.cv + r.skew + r.sub4cv) / 3,
    '2cv+skew+sub4': (r) => (2 * r.cv + r.skew + r.sub4cv) / 4,
    '2cv+spd+skew+sub4': (r) => (2 * r.cv + r.spd + r.skew + r.sub4cv) / 5,
    'cv+spd+skew+sub3+sub4': (r) => (r.cv + r.spd + r.skew + r.sub3cv + r.sub4cv) / 5,
    'max(cv,sub4)': (r) => Math.max(r.cv, r.sub4cv),
    'cv+rdnor': (r) => (r.cv + r.rdnor) / 2,
    'cv+kurt-': (r) => (r.cv + (1 - r.kurt)) / 2,
    'cv+diffp-': (r) => (r.cv + (1 - r.diffp)) / 2,
    'cv+spd+skew+kurt-': (r) => (r.cv + r.spd + r.skew + (r.kurt > 0 ? 1 - r.kurt : 0)) / 4,
  };
  const header = ['set', 'tenders', ...SCREEN_NAMES, ...extra, ...Object.keys(combos)];
  rows.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  for (const set of LABELLED_SETS) {
    const dir = join(root, set);
    if (!existsSync(join(dir, 'bids.csv'))) continue;
    const { dataset } = await loadDataset([{ kind: 'bids', path: join(dir, 'bids.csv') }]);
    const labels = readLabels(join(dir, 'labels.csv'));
    const units = dataset.units;
    const prices = bidPrices(dataset)!;
    const names = [...SCREEN_NAMES, 'sub3cv', 'sub4cv', 'sub3spd', 'nbids', 'cvL', 'qcd', 'cvlow', 'meansub3'];
    const sixteen = 0;
    const raw: Record<string, Float64Array> = Object.fromEntries(names.map((n) => [n, new Float64Array(units.n).fill(NaN)]));
    const label = new Float64Array(units.n);
    for (let u = 0; u < units.n; u++) {
      label[u] = labels.get(units.tenderId(u)) ?? 0;
      const p: number[] = [];
      for (let k = units.bidStart[u]; k < units.bidStart[u + 1]; k++) {
        const r = units.bidRows[k];
        if (INVALID_STATUSES.has(bidStatus(dataset, r))) continue;
        if (prices[r] > 0) p.push(prices[r]);
      }
      const b = sortedBids(p);
      const s = screens(b);
      for (const n of SCREEN_NAMES) raw[n][u] = DIRECTION[n] * s[n];
      const g3 = tightestSubgroup(b, 3);
      const g4 = tightestSubgroup(b, 4);
      raw.sub3cv[u] = g3 ? -g3.cv : NaN;
      raw.sub4cv[u] = g4 ? -g4.cv : NaN;
      raw.sub3spd[u] = g3 ? -g3.spd : NaN;
      raw.nbids[u] = b.length;
      if (b.length >= 4) {
        const L = b.subarray(1);
        const m = L.reduce((x, y) => x + y, 0) / L.length;
        const sdv = Math.sqrt(L.reduce((x, y) => x + (y - m) ** 2, 0) / (L.length - 1));
        raw.cvL[u] = -sdv / m;
      }
      if (b.length >= 4) {
        const q = (p: number) => { const pos = p * (b.length - 1); const lo = Math.floor(pos); const hi = Math.min(b.length - 1, lo + 1); return b[lo] + (b[hi] - b[lo]) * (pos - lo); };
        raw.qcd[u] = -(q(0.75) - q(0.25)) / (q(0.75) + q(0.25));
        const h = b.subarray(0, Math.max(3, Math.ceil(b.length / 2)));
        const m = h.reduce((x, y) => x + y, 0) / h.length;
        raw.cvlow[u] = -Math.sqrt(h.reduce((x, y) => x + (y - m) ** 2, 0) / (h.length - 1)) / m;
      }
      if (b.length >= 3 && b.length <= 12) {
        let acc = 0, cnt = 0;
        for (let i = 0; i < b.length; i++) for (let j = i + 1; j < b.length; j++) for (let k = j + 1; k < b.length; k++) {
          const m = (b[i] + b[j] + b[k]) / 3; acc += Math.sqrt(((b[i] - m) ** 2 + (b[j] - m) ** 2 + (b[k] - m) ** 2) / 2) / m; cnt++; }
        raw.meansub3[u] = -acc / cnt;
      }
    }
    const rank: Record<string, Float64Array> = {};
    for (const n of names) {
      const r = percentileRanks(raw[n]);
      for (let u = 0; u < r.length; u++) if (Number.isNaN(r[u])) r[u] = 0;
      rank[n] = r;
    }
    // ranks within bidder-count buckets
    const bucket = (n: number) => (n < 3 ? 0 : n === 3 ? 1 : n <= 5 ? 2 : n <= 9 ? 3 : 4);
    for (const n of ['cv', 'spd', 'skew']) {
      const out = new Float64Array(units.n);
      for (let g = 1; g <= 4; g++) {
        const ids: number[] = [];
        for (let u = 0; u < units.n; u++) if (bucket(raw.nbids[u]) === g) ids.push(u);
        const r = percentileRanks(ids.map((u) => raw[n][u]));
        ids.forEach((u, i) => (out[u] = Number.isNaN(r[i]) ? 0 : r[i]));
      }
      rank[n + '_nb'] = out;
    }
    names.push('cv_nb', 'spd_nb', 'skew_nb');
    const cells = [set, String(units.n)];
    for (const n of names) cells.push(rocAuc(rank[n], label).toFixed(2));
    for (const f of Object.values(combos)) {
      const sc = new Float64Array(units.n);
      for (let u = 0; u < units.n; u++) {
        const r: Record<string, number> = {};
        for (const n of names) r[n] = rank[n][u];
        sc[u] = f(r);
      }
      cells.push(rocAuc(sc, label).toFixed(2));
    }
    rows.push(`| ${cells.join(' | ')} |`);
  }
  process.stdout.write(rows.join('\n') + '\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
