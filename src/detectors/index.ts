/**
 * The registry: every detector, in the order of the catalogue (DETECTORS.md). Adding a detector means
 * adding its file, one import and one line here; nothing is discovered implicitly.
 */
import type { Detector } from './types.js';
// 1. competition and award
import singleBidder from './single-bidder.js';
import nearEstimateWin from './near-estimate-win.js';
import lowestBidDisqualified from './lowest-bid-disqualified.js';
import allButWinnerDisqualified from './all-but-winner-disqualified.js';
import shortSubmissionPeriod from './short-submission-period.js';
import lateWinningBid from './late-winning-bid.js';
import excessiveDisqualifications from './excessive-disqualifications.js';
import buyerSteering from './buyer-steering.js';
import nonCompetitiveShare from './non-competitive-share.js';
// 2. bid-price screens
import identicalBids from './identical-bids.js';
import bidScreens from './bid-screens.js';
import closeSecondBid from './close-second-bid.js';
import heavilyDiscountedWin from './heavily-discounted-win.js';
import fixedRatioBids from './fixed-ratio-bids.js';
import coverBidPattern from './cover-bid-pattern.js';
// 3. market structure
import repeatWinner from './repeat-winner.js';
import buyerConcentration from './buyer-concentration.js';
import permanentLoser from './permanent-loser.js';
import coBiddingPair from './co-bidding-pair.js';
import bidRotation from './bid-rotation.js';
import marketAllocation from './market-allocation.js';
import heterogeneousSupplier from './heterogeneous-supplier.js';
import newCompanyWinner from './new-company-winner.js';
// 4. group interest
import sharedIdentity from './shared-identity.js';
import companyGroups from './company-groups.js';
import similarNames from './similar-names.js';
import capitalLink from './capital-link.js';
// 5. thresholds and splitting
import splitPurchases from './split-purchases.js';
import thresholdBunching from './threshold-bunching.js';
import splitInvoices from './split-invoices.js';
// 6. invoices
import benford from './benford.js';
import roundAmounts from './round-amounts.js';
import repeatedAmounts from './repeated-amounts.js';
import duplicateInvoices from './duplicate-invoices.js';
import invoiceSequence from './invoice-sequence.js';
import weekendHoliday from './weekend-holiday.js';
import newOrClosedSeller from './new-or-closed-seller.js';
import invoiceBurst from './invoice-burst.js';
import cancelledReplaced from './cancelled-replaced.js';
import vatMismatch from './vat-mismatch.js';
import circularInvoicing from './circular-invoicing.js';
// 7. bids × invoices
import loserInvoicesWinner from './loser-invoices-winner.js';
import overbilling from './overbilling.js';
import invoiceBeforeAward from './invoice-before-award.js';
import spendWithoutAward from './spend-without-award.js';

export const DETECTORS: readonly Detector[] = [
  // 1. competition and award
  singleBidder,
  nearEstimateWin,
  lowestBidDisqualified,
  allButWinnerDisqualified,
  shortSubmissionPeriod,
  lateWinningBid,
  excessiveDisqualifications,
  buyerSteering,
  nonCompetitiveShare,
  // 2. bid-price screens
  identicalBids,
  bidScreens,
  closeSecondBid,
  heavilyDiscountedWin,
  fixedRatioBids,
  coverBidPattern,
  // 3. market structure
  repeatWinner,
  buyerConcentration,
  permanentLoser,
  coBiddingPair,
  bidRotation,
  marketAllocation,
  heterogeneousSupplier,
  newCompanyWinner,
  // 4. group interest
  sharedIdentity,
  companyGroups,
  similarNames,
  capitalLink,
  // 5. thresholds and splitting
  splitPurchases,
  thresholdBunching,
  splitInvoices,
  // 6. invoices
  benford,
  roundAmounts,
  repeatedAmounts,
  duplicateInvoices,
  invoiceSequence,
  weekendHoliday,
  newOrClosedSeller,
  invoiceBurst,
  cancelledReplaced,
  vatMismatch,
  circularInvoicing,
  // 7. bids × invoices
  loserInvoicesWinner,
  overbilling,
  invoiceBeforeAward,
  spendWithoutAward,
];

export function findDetector(id: string): Detector | undefined {
  return DETECTORS.find((d) => d.id === id);
}
