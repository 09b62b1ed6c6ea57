/**
 * The distributions the html and markdown charts draw that the JSON report does not carry, computed once
 * from the dataset in linear time: bids per tender, the winning bid / estimate (the ratio near-estimate-win
 * judges: its prices and its band of plausible ratios) and the co-bidding counts among the firms of the
 * rings a report draws. What a finding measured (Benford's digit counts) is drawn from its evidence, not
 * recomputed here.
 */
import type { Report } from './analyze.js';
import { PLAUSIBLE } from './detectors/near-estimate-win.js';
import { bidPrices } from './model/bids.js';
import type { Dataset } from './model/dataset.js';
import { ringsToDraw, type Bar, type Figures } from './report/charts.js';

const RATIO_LO = 0.6;
const RATIO_STEP = 0.025;
const RATIO_BINS = 16; // 0.600 … 1.000

export function datasetFigures(data: Dataset, report?: Report): Figures {
  const out: Figures = {};
  const bids = data.bids;
  if (bids && bids.n > 0) {
    const units = data.units;
    const counts = new Array<number>(10).fill(0);
    for (let u = 0; u < units.n; u++) {
      const k = units.nBids(u);
      if (k > 0) counts[Math.min(k, 10) - 1]++;
    }
    out.bidsPerTender = counts.map((value, i) => ({ label: i === 9 ? '10+' : String(i + 1), value, mark: i === 0 }));

    const est = units.table.num('estimated_value');
    if (est) {
      const award = units.table.num('award_amount');
      const price = bidPrices(data);
      const bins = new Array<number>(RATIO_BINS + 2).fill(0);
      let n = 0;
      let outside = 0;
      for (let u = 0; u < units.n; u++) {
        const e = est[u];
        if (!(e > 0)) continue;
        const w = units.winnerBid[u];
        const a = award && award[u] > 0 ? award[u] : w >= 0 && price ? price[w] : NaN;
        if (!(a > 0)) continue;
        const r = a / e;
        if (r < PLAUSIBLE[0] || r > PLAUSIBLE[1]) {
          outside++;
          continue;
        }
        n++;
        if (r < RATIO_LO) bins[0]++;
        else if (r > 1) bins[RATIO_BINS + 1]++;
        else bins[1 + Math.min(RATIO_BINS - 1, Math.floor((r - RATIO_LO) / RATIO_STEP + 1e-9))]++;
      }
      if (n > 0) {
        const bars: Bar[] = bins.map((value, i) => {
          if (i === 0) return { label: `<${RATIO_LO.toFixed(2)}`, value, tick: true };
          if (i === RATIO_BINS + 1) return { label: '>1.00', value, mark: true, tick: true };
          const lo = RATIO_LO + (i - 1) * RATIO_STEP;
          return { label: lo.toFixed(3).replace(/0$/, ''), value, mark: lo >= 0.95 - 1e-9, tick: (i - 1) % 2 === 0 };
        });
        out.ratio = { bars, n, outside, plausible: [PLAUSIBLE[0], PLAUSIBLE[1]] };
      }
    }
  }
  if (report) {
    const ringMembers = new Set<string>();
    for (const { members } of ringsToDraw(report)) for (const e of members) ringMembers.add(e.id);
    if (ringMembers.size && bids) out.cobid = coBids(data, ringMembers);
  }
  return out;
}

/** party index for each wanted id (-1 when the id is not a party of the data) */
function partyIndex(data: Dataset, ids: Set<string>): Int32Array {
  const slot = new Int32Array(data.parties.size).fill(-1);
  const order = [...ids].sort();
  const pos = new Map(order.map((id, i) => [id, i]));
  for (let p = 0; p < data.parties.size; p++) {
    const i = pos.get(data.parties.id(p));
    if (i !== undefined) slot[p] = i;
  }
  return slot;
}

function coBids(data: Dataset, ids: Set<string>): Record<string, number> {
  const units = data.units;
  const bidder = data.bids!.party('bidder_id');
  if (!bidder) return {};
  const order = [...ids].sort();
  const slot = partyIndex(data, ids);
  const k = order.length;
  const pair = new Int32Array(k * k);
  const seen = new Int32Array(k).fill(-1);
  const present: number[] = [];
  for (let u = 0; u < units.n; u++) {
    present.length = 0;
    for (let j = units.bidStart[u]; j < units.bidStart[u + 1]; j++) {
      const p: number = bidder[units.bidRows[j]];
      const s = p >= 0 ? slot[p] : -1;
      if (s >= 0 && seen[s] !== u) {
        seen[s] = u;
        present.push(s);
      }
    }
    for (let a = 0; a < present.length; a++)
      for (let b = a + 1; b < present.length; b++) {
        const [x, y] = present[a] < present[b] ? [present[a], present[b]] : [present[b], present[a]];
        pair[x * k + y]++;
      }
  }
  const out: Record<string, number> = {};
  for (let x = 0; x < k; x++) for (let y = x + 1; y < k; y++) if (pair[x * k + y]) out[`${order[x]}\t${order[y]}`] = pair[x * k + y];
  return out;
}
