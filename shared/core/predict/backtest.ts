import { FEATURES, HistoryIndex } from './features.js';
import { DEFAULT_HORIZON_MS, HOUR_MS, forecastTracks, trainForecaster, unusualFlags, type ForecastOptions, type Forecaster } from './forecast.js';
import type { History } from './history.js';
import { brierScore, rocAuc, topK } from './metrics.js';

const DAY_MS = 24 * HOUR_MS;

/** Options of {@link backtest}. */
export interface BacktestOptions extends ForecastOptions {
  /** Days at the end of the history that are forecast (default: the last third, at most 180). */
  testDays?: number;
  /** Spacing of the test origins (default 24 h). */
  testStepMs?: number;
  /** The model is retrained this often during the test period (default 30 days). */
  retrainDays?: number;
  /** Subsets measured besides "all objects" (default: ConfigMap). */
  kinds?: string[];
  /** Called after each retrain, for progress. */
  onProgress?: (done: number, total: number) => void;
}

/** How one ranking did. */
export interface RankingMetrics {
  auc: number | null;
  /** Mean over the test origins of the share of the top 10 that changed. */
  precisionAt10: number | null;
  /** Mean over the test origins with a change of the share of the changed objects found in the top 10. */
  recallAt10: number | null;
  brier: number | null;
}

/** The measures of one set of objects (all, or one kind). */
export interface SubsetReport {
  subset: string;
  samples: number;
  positives: number;
  /** The best precision@10 any ranking could reach (fewer than 10 changes at some origins). */
  precisionAt10Ceiling: number | null;
  model: RankingMetrics;
  recency: RankingMetrics;
  frequency: RankingMetrics;
  /** The constant base rate, the reference for the Brier score. */
  baseRate: RankingMetrics;
  /** The "unusual or drifting" part, against what happened. */
  unusual: RankingMetrics & { positives: number };
}

export interface BacktestReport {
  horizonHours: number;
  testFrom: string;
  testTo: string;
  origins: number;
  retrains: number;
  trees: number[];
  subsets: SubsetReport[];
}

interface Sample { origin: number; track: number; kind: string; p: number; u: number; recency: number; frequency: number; y: number; yu: number }

/**
 * Rolling-origin evaluation: the test period is cut into blocks; at the start of each block a model
 * is trained on the history up to then (trainForecaster never reads later changes), and every test
 * origin of the block is forecast with it and compared with what happened in the next horizon.
 * Beside the model: "most recently changed first" and "most frequently changed first".
 */
export function backtest(history: History, options: BacktestOptions = {}): BacktestReport {
  const horizonMs = options.horizonMs ?? DEFAULT_HORIZON_MS;
  const step = options.testStepMs ?? DAY_MS;
  const index = new HistoryIndex(history);
  const span = (index.end - index.start) / DAY_MS;
  const testDays = options.testDays ?? Math.min(180, Math.floor(span / 3));
  const lastOrigin = index.end - horizonMs;
  const firstOrigin = lastOrigin - testDays * DAY_MS;
  const retrainMs = (options.retrainDays ?? 30) * DAY_MS;
  // What really happened, judged with the whole history: the truth the forecasts are checked against.
  const truthFlags = unusualFlags(index.changes.map((c) => c.change));
  const unusualTimes = new Map<number, number[]>();
  index.changes.forEach((c, i) => { if (truthFlags[i]) (unusualTimes.get(c.track) ?? unusualTimes.set(c.track, []).get(c.track)!).push(c.change.time); });

  const samples: Sample[] = [];
  const trees: number[] = [];
  const hoursSince = FEATURES.indexOf('hoursSinceLast');
  const total = FEATURES.indexOf('changesAll');
  const blocks = Math.max(1, Math.ceil((lastOrigin - firstOrigin + 1) / retrainMs));
  let origins = 0;
  let f: Forecaster | undefined;
  for (let b = 0; b < blocks; b++) {
    const blockStart = firstOrigin + b * retrainMs;
    f = trainForecaster(index, blockStart, options);
    trees.push(f.info.trees);
    options.onProgress?.(b + 1, blocks);
    for (let t = blockStart; t < Math.min(blockStart + retrainMs, lastOrigin + 1); t += step) {
      origins++;
      for (const { track, prediction: p } of forecastTracks(f, t)) {
        const object = index.tracks[track].object;
        const x = index.features(track, t, horizonMs);
        const y = index.changesIn(track, t, t + horizonMs).length > 0 ? 1 : 0;
        const yu = (unusualTimes.get(track) ?? []).some((time) => time > t && time <= t + horizonMs) ? 1 : 0;
        samples.push({ origin: t, track, kind: object.kind, p: p.probability, u: p.unusual, recency: -x[hoursSince], frequency: x[total], y, yu });
      }
    }
  }
  const kinds = options.kinds ?? ['ConfigMap'];
  const subsets = [{ name: 'all', of: samples }, ...kinds.map((k) => ({ name: k, of: samples.filter((s) => s.kind.toLowerCase() === k.toLowerCase()) }))];
  return {
    horizonHours: horizonMs / HOUR_MS,
    testFrom: new Date(firstOrigin).toISOString(),
    testTo: new Date(lastOrigin).toISOString(),
    origins,
    retrains: blocks,
    trees,
    subsets: subsets.map(({ name, of }) => measure(name, of)),
  };
}

function measure(subset: string, samples: Sample[]): SubsetReport {
  const positives = samples.filter((s) => s.y).length;
  const base = positives / Math.max(1, samples.length);
  const byOrigin = new Map<number, Sample[]>();
  for (const s of samples) (byOrigin.get(s.origin) ?? byOrigin.set(s.origin, []).get(s.origin)!).push(s);
  // The forecast lists objects by the model's probability; ties at the top-10 cut must not inherit
  // that order, so each origin's objects are put back in a neutral one (the index's, by URN).
  for (const group of byOrigin.values()) group.sort((a, b) => a.track - b.track);
  const ranking = (score: (s: Sample) => number, label: (s: Sample) => number, prob?: (s: Sample) => number, tieBreak?: (s: Sample) => number): RankingMetrics => {
    const auc = rocAuc(samples.map(score), samples.map(label));
    const precisions: number[] = [];
    const recalls: number[] = [];
    for (const group of byOrigin.values()) {
      const r = topK(group.map(score), group.map(label), 10, tieBreak ? group.map(tieBreak) : undefined);
      precisions.push(r.precision);
      if (r.recall !== undefined) recalls.push(r.recall);
    }
    return {
      auc: auc ?? null,
      precisionAt10: precisions.length ? mean(precisions) : null,
      recallAt10: recalls.length ? mean(recalls) : null,
      brier: prob ? brierScore(samples.map(prob), samples.map(label)) ?? null : null,
    };
  };
  const ceiling: number[] = [];
  for (const group of byOrigin.values()) ceiling.push(Math.min(10, group.filter((s) => s.y).length) / Math.min(10, group.length));
  const unusualBase = samples.filter((s) => s.yu).length / Math.max(1, samples.length);
  return {
    subset,
    samples: samples.length,
    positives,
    precisionAt10Ceiling: ceiling.length ? mean(ceiling) : null,
    model: ranking((s) => s.p, (s) => s.y, (s) => s.p),
    // Ties (objects never changed since they appeared) are broken by the other baseline's order.
    recency: ranking((s) => s.recency, (s) => s.y, undefined, (s) => s.frequency),
    frequency: ranking((s) => s.frequency, (s) => s.y, undefined, (s) => s.recency),
    // A constant ranks nothing: its precision@10 and recall@10 are those of a random pick of 10.
    baseRate: { ...ranking(() => base, (s) => s.y, () => base), ...randomPick(byOrigin) },
    unusual: { ...ranking((s) => s.u, (s) => s.yu, (s) => s.u), positives: samples.filter((s) => s.yu).length, ...(unusualBase === 0 ? { auc: null } : {}) },
  };
}

/** Expected precision@10 and recall@10 of ten objects drawn at random at each origin. */
function randomPick(byOrigin: Map<number, Sample[]>): { precisionAt10: number | null; recallAt10: number | null } {
  const precisions: number[] = [];
  const recalls: number[] = [];
  for (const group of byOrigin.values()) {
    const positives = group.filter((s) => s.y).length;
    precisions.push(positives / group.length);
    if (positives > 0) recalls.push(Math.min(10, group.length) / group.length);
  }
  return { precisionAt10: precisions.length ? mean(precisions) : null, recallAt10: recalls.length ? mean(recalls) : null };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
