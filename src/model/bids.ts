/**
 * How the bids table is read by every layer above the model (stats, graph, detectors): the price of a
 * bid and its status. One copy, so that the co-bidding graph, the price statistics and the detectors
 * judge the same bids at the same prices.
 */
import type { Dataset } from './dataset.js';

/** The price column: the bid as read out (bid_amount), falling back row by row to the final amount. */
export function bidPrices(data: Dataset): Float64Array | undefined {
  const bids = data.bids;
  if (!bids) return undefined;
  const amount = bids.num('bid_amount');
  const final = bids.num('final_amount');
  if (!final) return amount;
  if (!amount) return final;
  const out = new Float64Array(bids.n);
  for (let r = 0; r < bids.n; r++) out[r] = Number.isNaN(amount[r]) ? final[r] : amount[r];
  return out;
}

/** The status of a bid row as a canonical string ('' when blank). */
export function bidStatus(data: Dataset, row: number): string {
  return data.bids?.text('bid_status', row) ?? '';
}
