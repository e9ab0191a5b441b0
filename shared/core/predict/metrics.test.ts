import { describe, expect, it } from 'vitest';
import { brierScore, rocAuc, topK } from './metrics.js';

describe('rocAuc', () => {
  it.each([
    { name: 'perfect ranking', scores: [0.9, 0.8, 0.2, 0.1], labels: [1, 1, 0, 0], auc: 1 },
    { name: 'reversed ranking', scores: [0.1, 0.2, 0.8, 0.9], labels: [1, 1, 0, 0], auc: 0 },
    // one positive above both negatives, the other tied with one negative and above the other: (1 + 1 + 0.5 + 1) / 4
    { name: 'ties count half', scores: [0.9, 0.5, 0.5, 0.1], labels: [1, 1, 0, 0], auc: 0.875 },
    { name: 'all tied', scores: [1, 1, 1, 1], labels: [1, 0, 1, 0], auc: 0.5 },
  ])('$name', ({ scores, labels, auc }) => {
    expect(rocAuc(scores, labels)).toBeCloseTo(auc, 10);
  });

  it('is undefined without both classes (reason: no pair to compare)', () => {
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeUndefined();
    expect(rocAuc([0.1, 0.2], [0, 0])).toBeUndefined();
  });
});

describe('brierScore', () => {
  it('is the mean squared error of the probabilities', () => {
    expect(brierScore([1, 0, 0.5], [1, 0, 1])).toBeCloseTo(0.25 / 3, 10);
    expect(brierScore([], [])).toBeUndefined();
  });
});

describe('topK', () => {
  it('takes the k highest scores, ties broken by the tie-break then input order', () => {
    const r = topK([0.5, 0.9, 0.5, 0.1], [0, 1, 1, 0], 2, [0, 0, 1, 0]);
    expect(r).toEqual({ precision: 1, recall: 1, hits: 2, positives: 2 });
    const noTieBreak = topK([0.5, 0.9, 0.5, 0.1], [0, 1, 1, 0], 2);
    expect(noTieBreak.precision).toBe(0.5);
  });

  it('has no recall when nothing happened', () => {
    expect(topK([0.3, 0.2], [0, 0], 10).recall).toBeUndefined();
  });
});
