import { ANOMALY_THRESHOLD, scoreChanges } from '../drift/anomaly.js';
import { FEATURES, HistoryIndex } from './features.js';
import { featureContributions, predictProbability, trainGbdt, type GbdtModel, type GbdtOptions, type TrainingSet } from './gbdt.js';
import type { History, HistoryChange } from './history.js';
import { reasonsFor, type PredictionReason } from './reasons.js';

export const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** The default forecast horizon: 72 hours. */
export const DEFAULT_HORIZON_MS = 72 * HOUR_MS;

/** Fewer positive training rows than this and trees would learn noise: the rate model is used. */
export const MIN_TRAINING_POSITIVES = 20;

/** Options of {@link trainForecaster} and {@link forecast}. */
export interface ForecastOptions {
  /** How far ahead (default 72 h). */
  horizonMs?: number;
  /** Spacing of the training origins (default 24 h). */
  stepMs?: number;
  /** How far back training origins go (default 365 days). */
  trainingDays?: number;
  /** Negative rows kept per positive row when training (the rest are represented by weights). Default 12. */
  negativesPerPositive?: number;
  /** Tree settings (see gbdt.ts). */
  gbdt?: GbdtOptions;
}

/** What was trained, for the output's "how sure can I be" line. */
export interface ModelInfo {
  kind: 'gbdt' | 'rate';
  /** Why the simpler model was used, when it was. */
  note?: string;
  trainedUpTo: string;
  trainingOrigins: number;
  trainingRows: number;
  positives: number;
  trees: number;
  /** Unusual changes among the changes used for training: what the unusual part is estimated from. */
  unusualChanges: number;
  changes: number;
}

/** A model trained on the history up to one moment, ready to forecast at that moment. */
export interface Forecaster {
  index: HistoryIndex;
  trainedAt: number;
  horizonMs: number;
  model?: GbdtModel;
  info: ModelInfo;
  /** Per object (track): how many of its changes up to `trainedAt` were unusual, and of how many. */
  unusualCounts: Map<number, { unusual: number; changes: number }>;
  /** Share of all changes up to `trainedAt` that were unusual: the prior for objects with few changes. */
  unusualPrior: number;
}

/** One object's forecast. */
export interface Prediction {
  urn: string;
  kind: string;
  namespace: string;
  name: string;
  /** Chance that the object changes within the horizon. */
  probability: number;
  /** Chance that it changes within the horizon in an unusual way or leaving live differing from git. */
  unusual: number;
  reasons: PredictionReason[];
}

/** The forecast at one moment. */
export interface Forecast {
  asOf: string;
  horizonHours: number;
  model: ModelInfo;
  predictions: Prediction[];
}

/** Deterministic [0, 1) from a string and a number: which negative rows training keeps. */
function keepHash(key: string, t: number): number {
  let h = 2166136261 ^ Math.floor(t / HOUR_MS);
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  h = Math.imul(h ^ (h >>> 15), 2246822507);
  return ((h ^ (h >>> 13)) >>> 0) / 4294967296;
}

/**
 * Which changes were unusual, judged only from the changes given (all at or before the training
 * moment): the anomaly scorer's verdict, or a live change that bypassed GitOps.
 */
export function unusualFlags(changes: readonly HistoryChange[]): boolean[] {
  const scored = scoreChanges(changes.map((c, i) => ({
    id: String(i), urn: c.urn, namespace: namespaceOfUrn(c.urn), time: new Date(c.time).toISOString(),
    author: c.author ?? `unknown (seen live)`, keysTouched: c.keysTouched, patch: c.patch,
    observedOnly: c.observedOnly, outsideGitOps: c.outsideGitOps,
  })));
  // Creating an object is judged by the exposure analyzers, not as an unusual change to it.
  return changes.map((c, i) => c.change !== 'added' && (scored[i].score >= ANOMALY_THRESHOLD || !!c.outsideGitOps));
}

function namespaceOfUrn(urn: string): string {
  const m = /^k8s:\/\/[^/]+\/([^/]+)\//.exec(urn);
  return m ? (m[1] === '_' ? '(cluster)' : decodeURIComponent(m[1])) : urn.replace(/^([a-z0-9]+:\/\/[^/]+).*$/, '$1');
}

/** Training rows from origins at or before `upTo - horizon`, so every label is known at `upTo`. */
function trainingRows(index: HistoryIndex, upTo: number, horizonMs: number, stepMs: number, trainingDays: number, negativesPerPositive: number): { set: TrainingSet; origins: number[]; originOfRow: number[] } {
  const origins: number[] = [];
  const earliest = Math.max(index.start + 7 * DAY_MS, upTo - trainingDays * DAY_MS);
  for (let t = upTo - horizonMs; t >= earliest; t -= stepMs) origins.push(t);
  origins.reverse();
  const rows: { x: Float64Array; y: number; key: string; t: number }[] = [];
  let positives = 0;
  for (const t of origins) {
    for (const track of index.existingAt(t)) {
      const y = index.changesIn(track, t, t + horizonMs).length > 0 ? 1 : 0;
      positives += y;
      rows.push({ x: index.features(track, t, horizonMs), y, key: index.tracks[track].object.urn, t });
    }
  }
  // Keep every positive and a deterministic share of negatives, weighted back to their number.
  const negatives = rows.length - positives;
  const keep = negatives > 0 ? Math.min(1, (negativesPerPositive * Math.max(positives, 1)) / negatives) : 1;
  const kept = rows.filter((r) => r.y === 1 || keepHash(r.key, r.t) < keep);
  return {
    set: {
      x: kept.map((r) => r.x),
      y: Uint8Array.from(kept.map((r) => r.y)),
      weight: Float64Array.from(kept.map((r) => (r.y === 1 ? 1 : 1 / keep))),
    },
    origins,
    originOfRow: kept.map((r) => r.t),
  };
}

/**
 * Trains on the history up to `upTo` only: every training origin is at least one horizon before
 * it, and unusual changes are judged from the changes up to it. Anything later in `index` is never
 * read, so adding history after `upTo` cannot change the model.
 */
export function trainForecaster(index: HistoryIndex, upTo: number, options: ForecastOptions = {}): Forecaster {
  const horizonMs = options.horizonMs ?? DEFAULT_HORIZON_MS;
  const stepMs = options.stepMs ?? DAY_MS;
  const { set, origins, originOfRow } = trainingRows(index, upTo, horizonMs, stepMs, options.trainingDays ?? 365, options.negativesPerPositive ?? 12);
  const positives = set.y.reduce((a, b) => a + b, 0);

  const known = index.changes.filter((c) => c.change.time <= upTo);
  const flags = unusualFlags(known.map((c) => c.change));
  const unusualCounts = new Map<number, { unusual: number; changes: number }>();
  let unusualTotal = 0;
  let judged = 0;
  known.forEach((c, i) => {
    if (c.change.change === 'added') return;
    const counts = unusualCounts.get(c.track) ?? unusualCounts.set(c.track, { unusual: 0, changes: 0 }).get(c.track)!;
    counts.changes++;
    judged++;
    if (flags[i]) { counts.unusual++; unusualTotal++; }
  });

  const info: ModelInfo = {
    kind: 'rate', trainedUpTo: new Date(upTo).toISOString(), trainingOrigins: origins.length, trainingRows: set.x.length,
    positives, trees: 0, unusualChanges: unusualTotal, changes: judged,
  };
  let model: GbdtModel | undefined;
  if (positives >= MIN_TRAINING_POSITIVES) {
    // Early stopping on the latest fifth of the origins (later in time than the rows fitted), then a
    // refit on everything with the chosen number of rounds.
    const cut = origins[Math.floor(origins.length * 0.8)] ?? Infinity;
    const part = (inValidation: boolean): TrainingSet => {
      const idx = originOfRow.map((t, i) => ((t >= cut) === inValidation ? i : -1)).filter((i) => i >= 0);
      return { x: idx.map((i) => set.x[i]), y: Uint8Array.from(idx.map((i) => set.y[i])), weight: Float64Array.from(idx.map((i) => set.weight![i])) };
    };
    const fit = part(false);
    const validation = part(true);
    const probe = validation.y.some((y) => y) && fit.y.some((y) => y) ? trainGbdt([...FEATURES], fit, validation, options.gbdt) : undefined;
    model = trainGbdt([...FEATURES], set, undefined, { ...options.gbdt, maxTrees: Math.max(10, probe?.rounds ?? 100) });
    info.kind = 'gbdt';
    info.trees = model.trees.length;
  } else {
    info.note = `only ${positives} changes in the training windows (fewer than ${MIN_TRAINING_POSITIVES}): probabilities come from each object's own change rate`;
  }
  return { index, trainedAt: upTo, horizonMs, model, info, unusualCounts, unusualPrior: judged > 0 ? unusualTotal / judged : 0 };
}

/** Fewer days of history than this are read as this many: one change of a day-old object is no daily rhythm. */
const MIN_RATE_DAYS = 30;

/**
 * Chance of at least one change within the horizon from the object's own rate over the last 90
 * days (a Poisson hazard). The rate is measured over at least {@link MIN_RATE_DAYS} days, so a young
 * object is not forecast with confidence its short history cannot give.
 */
function rateProbability(x: Float64Array, horizonMs: number): number {
  const changes = x[FEATURES.indexOf('changes90d')];
  const age = x[FEATURES.indexOf('ageDays')];
  const days = Math.max(MIN_RATE_DAYS, Math.min(90, Number.isFinite(age) ? age : 0));
  const rate = Number.isFinite(changes) ? changes / days : 0;
  return 1 - Math.exp(-rate * (horizonMs / DAY_MS));
}

/** Forecasts every object that exists at `at` (≥ the training moment; normally equal). */
export function forecastWith(f: Forecaster, at: number = f.trainedAt, kinds?: readonly string[]): Prediction[] {
  return forecastTracks(f, at, kinds).map((p) => p.prediction);
}

/** The forecast of each object with its track in the index (what the backtest joins outcomes on). */
export function forecastTracks(f: Forecaster, at: number, kinds?: readonly string[]): { track: number; prediction: Prediction }[] {
  const wanted = kinds?.length ? new Set(kinds.map((k) => k.toLowerCase())) : undefined;
  const out: { track: number; prediction: Prediction }[] = [];
  for (const track of f.index.existingAt(at)) {
    const object = f.index.tracks[track].object;
    if (wanted && !wanted.has(object.kind.toLowerCase())) continue;
    // A generated object is shown under the name it has at `at`.
    const urn = f.index.urnAt(track, at);
    const name = urn === object.urn ? object.name : decodeURIComponent(urn.slice(urn.lastIndexOf('/') + 1));
    const x = f.index.features(track, at, f.horizonMs);
    const probability = f.model ? predictProbability(f.model, x) : rateProbability(x, f.horizonMs);
    const counts = f.unusualCounts.get(track) ?? { unusual: 0, changes: 0 };
    // P(unusual | change) shrunk towards the workspace's share (a beta prior worth 5 changes).
    const unusualGivenChange = (counts.unusual + 5 * f.unusualPrior) / (counts.changes + 5);
    const contributions = f.model ? featureContributions(f.model, x) : undefined;
    out.push({
      track,
      prediction: {
        urn, kind: object.kind, namespace: object.namespace, name,
        probability: round(probability), unusual: round(probability * unusualGivenChange),
        reasons: reasonsFor(x, contributions, counts, f.index, track, at),
      },
    });
  }
  return out.sort((a, b) => b.prediction.probability - a.prediction.probability || b.prediction.unusual - a.prediction.unusual || (a.prediction.urn < b.prediction.urn ? -1 : 1));
}

const round = (p: number): number => Math.round(p * 10_000) / 10_000;

/**
 * The forecast at `asOf` from `history`: only changes at or before `asOf` are read (the rest are
 * dropped before anything is indexed), the model is trained on them, and every object that exists
 * at `asOf` gets a probability with its reasons.
 */
export function forecast(history: History, asOf: number, options: ForecastOptions & { kinds?: readonly string[] } = {}): Forecast {
  const past: History = { objects: history.objects, changes: history.changes.filter((c) => c.time <= asOf) };
  const index = new HistoryIndex(past);
  const f = trainForecaster(index, asOf, options);
  return { asOf: new Date(asOf).toISOString(), horizonHours: f.horizonMs / HOUR_MS, model: f.info, predictions: forecastWith(f, asOf, options.kinds) };
}
