/**
 * Drift prediction (pure: runs anywhere): from a workspace's change history, the chance that each
 * configuration object changes within a horizon — and that the change is unusual or leaves live
 * differing from git — with the reasons in words, and a rolling-origin backtest against baselines.
 */
export type { History, HistoryChange, HistoryObject } from './history.js';
export { isAutomation, isVersionBump } from './history.js';
export { bumpedPins, generatedIdentity, pinsOf, type PinMap } from './pins.js';
export { FEATURES, HistoryIndex, type FeatureName, type PinActivity } from './features.js';
export { trainGbdt, predictProbability, featureContributions, type GbdtModel, type GbdtOptions } from './gbdt.js';
export { rocAuc, brierScore, topK } from './metrics.js';
export { DEFAULT_HORIZON_MS, HOUR_MS, forecast, forecastWith, trainForecaster, unusualFlags, type Forecast, type ForecastOptions, type Forecaster, type ModelInfo, type Prediction } from './forecast.js';
export { backtest, type BacktestOptions, type BacktestReport, type RankingMetrics, type SubsetReport } from './backtest.js';
export { REASON_CODES, explainPrediction, reasonText, type PredictionReason, type ReasonCode } from './reasons.js';
