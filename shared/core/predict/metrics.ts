/**
 * Ranking and calibration measures of a forecast against what happened.
 */

/**
 * Area under the ROC curve: the chance that a random positive is scored above a random negative
 * (ties count half), by the rank-sum (Mann–Whitney U) formula. Undefined without both classes.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | undefined {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[i]]) j++;
    // Tied scores share the mean of their ranks (1-based).
    const meanRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[order[k]]) { positives++; rankSum += meanRank; }
    i = j + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return undefined;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** Mean squared difference between probabilities and outcomes (0 is perfect). */
export function brierScore(probabilities: ArrayLike<number>, labels: ArrayLike<number>): number | undefined {
  if (probabilities.length === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) sum += (probabilities[i] - (labels[i] ? 1 : 0)) ** 2;
  return sum / probabilities.length;
}

/**
 * Precision and recall of the top `k` by score. Ties at the cut are broken by `tieBreak` (higher
 * first), then by input order, so the measure is deterministic.
 */
export function topK(scores: ArrayLike<number>, labels: ArrayLike<number>, k: number, tieBreak?: ArrayLike<number>): { precision: number; recall: number | undefined; hits: number; positives: number } {
  const order = Array.from({ length: scores.length }, (_, i) => i)
    .sort((a, b) => scores[b] - scores[a] || (tieBreak ? tieBreak[b] - tieBreak[a] : 0) || a - b);
  const top = order.slice(0, k);
  const hits = top.filter((i) => labels[i]).length;
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i]) positives++;
  return { precision: top.length ? hits / top.length : 0, recall: positives ? hits / positives : undefined, hits, positives };
}
