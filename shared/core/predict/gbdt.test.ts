import { describe, expect, it } from 'vitest';
import { featureContributions, predictProbability, trainGbdt, type TrainingSet } from './gbdt.js';
import { rocAuc } from './metrics.js';

/** A deterministic pseudo-random stream (mulberry32), so the data is the same on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** y depends on x0 (strongly) and an interaction of x1 and x2; x3 is noise. */
function dataset(n: number, seed: number): TrainingSet {
  const r = random(seed);
  const x: Float64Array[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const row = Float64Array.from([r(), r(), r(), r()]);
    const logit = 6 * (row[0] - 0.5) + (row[1] > 0.5 && row[2] > 0.5 ? 2 : -1);
    y[i] = r() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    x.push(row);
  }
  return { x, y };
}

const NAMES = ['x0', 'x1', 'x2', 'noise'];

describe('trainGbdt', () => {
  const train = dataset(4000, 1);
  const validation = dataset(1000, 2);
  const test = dataset(2000, 3);
  const model = trainGbdt(NAMES, train, validation);

  it('learns a signal it can rank held-out rows by', () => {
    const auc = rocAuc(test.x.map((row) => predictProbability(model, row)), test.y)!;
    // The Bayes-optimal ranking of this data reaches about 0.88; a model that learned nothing gets 0.5.
    expect(auc).toBeGreaterThan(0.83);
    expect(model.rounds).toBeGreaterThan(5);
  });

  it('is deterministic: the same rows give the same model', () => {
    expect(trainGbdt(NAMES, train, validation)).toEqual(model);
  });

  it('explains each prediction: base, root values and contributions add up to the log-odds', () => {
    const row = test.x[7];
    const p = predictProbability(model, row);
    const c = featureContributions(model, row);
    const roots = model.trees.reduce((sum, tree) => sum + tree[0].value, 0);
    const logit = model.base + roots + c.reduce((a, b) => a + b, 0);
    expect(1 / (1 + Math.exp(-logit))).toBeCloseTo(p, 10);
    // The strong feature explains more than the noise across rows.
    let strong = 0;
    let noise = 0;
    for (const r of test.x.slice(0, 200)) {
      const cc = featureContributions(model, r);
      strong += Math.abs(cc[0]);
      noise += Math.abs(cc[3]);
    }
    expect(strong).toBeGreaterThan(5 * noise);
  });

  it('treats a row weight like repeated rows', () => {
    // Values on a grid of 11 (fewer than the bins), so both trainings see the same bin edges.
    const raw = dataset(300, 9);
    const small = { x: raw.x.map((row) => row.map((v) => Math.round(v * 10) / 10)), y: raw.y };
    const weighted = trainGbdt(NAMES, { ...small, weight: Float64Array.from(small.y, () => 2) }, undefined, { maxTrees: 20, minChildWeight: 1, lambda: 0 });
    const doubled = trainGbdt(NAMES, { x: [...small.x, ...small.x], y: Uint8Array.from([...small.y, ...small.y]) }, undefined, { maxTrees: 20, minChildWeight: 1, lambda: 0 });
    for (const row of small.x.slice(0, 20)) expect(predictProbability(weighted, row)).toBeCloseTo(predictProbability(doubled, row), 6);
  });

  it('starts from the weighted base rate and stays there without a signal', () => {
    const x = Array.from({ length: 200 }, () => Float64Array.from([1, 1, 1, 1]));
    const y = Uint8Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const flat = trainGbdt(NAMES, { x, y });
    expect(predictProbability(flat, x[0])).toBeCloseTo(0.25, 3);
  });
});
