/**
 * The report's early-warning section: which configuration objects are likely to change within the
 * horizon, why, and how well the same model did on this workspace's own past (a short rolling-origin
 * backtest, next to the recency and frequency baselines), so a reader can judge the ranking.
 * Its own module so that the report layout (sections.ts, index.ts) only calls it.
 */
import { translate, type Lang } from '../../core/i18n/index.js';
import { backtest, DEFAULT_HORIZON_MS, forecast, HOUR_MS, type BacktestReport, type Forecast } from '../../core/predict/index.js';
import { explainPrediction } from '../../core/predict/reasons.js';
import type { Store } from '../store/index.js';
import { loadHistory } from '../services/predict.js';
import type { ReportWriter } from './pdf-writer.js';

/** Rows in the table: the report is read by people, the CLI gives the whole list. */
const ROWS = 15;
/** The report's backtest covers the last four weeks at most, so export stays quick on long histories. */
const BACKTEST_DAYS = 28;
/** Below this much history a backtest would measure noise. */
const MIN_HISTORY_DAYS = 21;
const DAY_MS = 24 * HOUR_MS;

/** What the section shows, computed from the store (exported for tests). */
export function predictionSectionData(store: Store): { forecast?: Forecast; backtest?: BacktestReport } {
  const history = loadHistory(store);
  if (history.changes.length === 0) return {};
  const times = history.changes.map((c) => c.time).filter(Number.isFinite);
  const start = Math.min(...times);
  const end = Math.max(...times);
  const f = forecast(history, end, { horizonMs: DEFAULT_HORIZON_MS });
  const spanDays = (end - start) / DAY_MS;
  if (spanDays < MIN_HISTORY_DAYS) return { forecast: f };
  return { forecast: f, backtest: backtest(history, { horizonMs: DEFAULT_HORIZON_MS, testDays: Math.min(BACKTEST_DAYS, Math.floor(spanDays / 3)), kinds: [] }) };
}

/** Writes the section (after the change timeline). */
export function renderPrediction(w: ReportWriter, store: Store, lang: Lang): void {
  const tr = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(lang, key, params);
  const hours = DEFAULT_HORIZON_MS / HOUR_MS;
  w.section(tr('predict.report.title', { hours }));
  const { forecast: f, backtest: b } = predictionSectionData(store);
  if (!f || f.predictions.length === 0) return w.paragraph(tr('predict.report.none'));
  w.paragraph(f.model.kind === 'gbdt' ? tr('predict.report.intro', { asOf: f.asOf.slice(0, 16).replace('T', ' ') + ' UTC' }) : tr('predict.timeline.modelRate'));
  const all = b?.subsets[0];
  const fixed = (v: number | null | undefined) => (v === null || v === undefined ? '—' : v.toFixed(3));
  if (all && all.model.auc !== null) {
    w.paragraph(tr('predict.report.backtest', { origins: b!.origins, auc: fixed(all.model.auc), recency: fixed(all.recency.auc), frequency: fixed(all.frequency.auc), p10: fixed(all.model.precisionAt10), brier: fixed(all.model.brier) }));
  } else {
    w.paragraph(tr('predict.report.noBacktest'));
  }
  const percent = (p: number) => `${Math.round(p * 100)}%`;
  w.table(
    [{ header: w.tr('report.col.object'), weight: 3.6, maxLines: 3 }, { header: tr('predict.col.probability'), weight: 1, align: 'right' }, { header: tr('predict.col.unusual'), weight: 1, align: 'right' }, { header: tr('predict.col.reasons'), weight: 6, maxLines: 5 }],
    f.predictions.slice(0, ROWS).map((p) => [p.urn, percent(p.probability), percent(p.unusual), explainPrediction(p.reasons, lang)]),
  );
}
