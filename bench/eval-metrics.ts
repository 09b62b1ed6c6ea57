/**
 * Ranking metrics for the evaluation: ROC AUC with mid-ranks for ties, and average precision with ties
 * broken pessimistically inside a tie block (every positive of a block counted at the block's end).
 */

/** ROC AUC of `score` (higher = more suspicious) against 0/1 `label`: P(score+ > score−) + ½ P(tie). */
export function rocAuc(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const n = score.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[a] - score[b]);
  let pos = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && score[idx[j + 1]] === score[idx[i]]) j++;
    const mid = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) if (label[idx[k]] === 1) {
      pos++;
      rankSum += mid;
    }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Average precision: mean over positives of the precision at their rank; ties share one cut. */
export function averagePrecision(score: ArrayLike<number>, label: ArrayLike<number>): number {
  const n = score.length;
  const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => score[b] - score[a]);
  let totalPos = 0;
  for (let k = 0; k < n; k++) if (label[k] === 1) totalPos++;
  if (totalPos === 0) return NaN;
  let tp = 0;
  let seen = 0;
  let ap = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && score[idx[j + 1]] === score[idx[i]]) j++;
    let blockPos = 0;
    for (let k = i; k <= j; k++) if (label[idx[k]] === 1) blockPos++;
    tp += blockPos;
    seen += j - i + 1;
    ap += blockPos * (tp / seen);
    i = j + 1;
  }
  return ap / totalPos;
}
