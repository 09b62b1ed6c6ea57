/**
 * The registry: every detector, in the order of the catalogue (DETECTORS.md). Adding a detector means
 * adding its file and one line here; nothing is discovered implicitly.
 */
import type { Detector } from './types.js';
import singleBidder from './single-bidder.js';
import nearEstimateWin from './near-estimate-win.js';
import lowestBidDisqualified from './lowest-bid-disqualified.js';
import allButWinnerDisqualified from './all-but-winner-disqualified.js';
import identicalBids from './identical-bids.js';
import repeatWinner from './repeat-winner.js';

export const DETECTORS: readonly Detector[] = [
  // 1. competition and award
  singleBidder,
  nearEstimateWin,
  lowestBidDisqualified,
  allButWinnerDisqualified,
  // 2. bid-price screens
  identicalBids,
  // 3. market structure
  repeatWinner,
];

export function findDetector(id: string): Detector | undefined {
  return DETECTORS.find((d) => d.id === id);
}
