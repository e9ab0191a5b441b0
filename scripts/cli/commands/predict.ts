import { AppError } from '../../../shared/core/api/errors.js';
import { explainPrediction, type BacktestReport, type RankingMetrics } from '../../../shared/core/predict/index.js';
import { isLang } from '../../../shared/core/i18n/index.js';
import { backtestChanges, parseHorizon, predictChanges } from '../../../shared/node/services/index.js';
import { parseCommandArgs, requireOption, type Command } from '../args.js';
import { withStore } from '../workspace.js';

const f3 = (v: number | null): string => (v === null ? 'n/a' : v.toFixed(3));
const row = (name: string, m: RankingMetrics): string => `  ${name.padEnd(28)} ${f3(m.auc).padStart(7)} ${f3(m.precisionAt10).padStart(8)} ${f3(m.recallAt10).padStart(8)} ${f3(m.brier).padStart(7)}`;

/** The backtest as a table a person reads: the model next to both baselines, per subset. */
export function formatBacktest(r: BacktestReport): string {
  const out = [`Backtest: ${r.origins} daily origins from ${r.testFrom} to ${r.testTo}, horizon ${r.horizonHours} h, retrained ${r.retrains}× (no look-ahead: each model saw only history before its test origins)`];
  for (const s of r.subsets) {
    out.push('', `${s.subset}: ${s.samples} object-origins, ${s.positives} changed within the horizon${s.precisionAt10Ceiling !== null ? `; best possible precision@10 ${f3(s.precisionAt10Ceiling)}` : ''}`);
    out.push(`  ${''.padEnd(28)} ${'ROC AUC'.padStart(7)} ${'prec@10'.padStart(8)} ${'rec@10'.padStart(8)} ${'Brier'.padStart(7)}`);
    out.push(row('model (gradient-boosted)', s.model), row('most recently changed first', s.recency), row('most frequently changed first', s.frequency), row('base rate (constant)', s.baseRate));
    out.push(row(`unusual/drift (${s.unusual.positives} cases)`, s.unusual));
  }
  return out.join('\n') + '\n';
}

export const predictCommand: Command = {
  name: 'predict',
  usage: `Usage: driftline predict --workspace <file> [--as-of <ISO-8601>] [--horizon 72h] [--kind K,…] [--json] [--lang en|zh-CN]
       driftline predict --workspace <file> --backtest [--horizon 72h] [--kind K,…] [--json]

Learns from the workspace's own change history (git commits, snapshots, managedFields times) the
chance that each configuration object changes within the horizon (default 72 h), and that the
change is unusual or leaves the cluster differing from git; each with its reasons.
--as-of uses only the history up to that moment (that is how the forecast is backtested).
--json prints an array sorted by probability: {urn, kind, namespace, name, probability, unusual, reasons}.
--backtest evaluates on the history itself (rolling origin, train before / test after): ROC AUC,
precision@10, recall@10 and Brier score beside two baselines (most recently changed first, most
frequently changed first); --kind adds per-kind figures (default ConfigMap).
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('predict', argv, {
      workspace: { type: 'string' }, 'as-of': { type: 'string' }, horizon: { type: 'string' }, kind: { type: 'string' },
      json: { type: 'boolean' }, backtest: { type: 'boolean' }, lang: { type: 'string' }, limit: { type: 'string' },
    });
    const workspace = requireOption('predict', values.workspace, 'workspace');
    const horizonHours = parseHorizon(values.horizon as string | undefined);
    const kinds = typeof values.kind === 'string' ? values.kind.split(',').map((k) => k.trim()).filter(Boolean) : undefined;
    const lang = (values.lang ?? 'en') as string;
    if (!isLang(lang)) throw new AppError('INVALID_INPUT', `driftline predict: --lang must be en or zh-CN, not "${lang}"`);
    if (values.backtest) {
      if (values['as-of']) throw new AppError('INVALID_INPUT', 'driftline predict: --backtest evaluates the whole history; leave out --as-of');
      return withStore(workspace, (store) => {
        const report = backtestChanges(store, { horizonHours, kinds, onProgress: (done, total) => { if (io.isTTY) io.err(`\rretraining ${done}/${total}`); } });
        if (io.isTTY) io.err('\n');
        io.out(values.json ? JSON.stringify(report, null, 2) + '\n' : formatBacktest(report));
        return 0;
      }, { readOnly: true });
    }
    return withStore(workspace, (store) => {
      const forecast = predictChanges(store, { asOf: values['as-of'] as string | undefined, horizonHours, kinds });
      if (values.json) {
        io.out(JSON.stringify(forecast.predictions.map((p) => ({ ...p, explanation: explainPrediction(p.reasons, lang) })), null, 2) + '\n');
        return 0;
      }
      const limit = values.limit ? Number(values.limit) : 20;
      io.out(`As of ${forecast.asOf}, next ${forecast.horizonHours} h — model: ${forecast.model.kind}${forecast.model.note ? ` (${forecast.model.note})` : ''}, trained on ${forecast.model.trainingRows} windows with ${forecast.model.positives} changes\n\n`);
      for (const p of forecast.predictions.slice(0, limit)) {
        io.out(`${(100 * p.probability).toFixed(1).padStart(5)}%  unusual ${(100 * p.unusual).toFixed(1).padStart(4)}%  ${p.urn}\n        ${explainPrediction(p.reasons, lang)}\n`);
      }
      if (forecast.predictions.length > limit) io.out(`… ${forecast.predictions.length - limit} more (--limit N, or --json for all)\n`);
      return 0;
    }, { readOnly: true });
  },
};
