import type { ScanProgress } from '../../core/api/contract.js';
import { toAppError } from '../../core/api/errors.js';
import { createLogger } from '../log/logger.js';
import type { Store } from '../store/index.js';
import { ANALYZERS } from './analyzers/registry.js';
import { ProgressMeter } from './progress.js';

const log = createLogger('services.analyze');

/** Runs every analyzer over the workspace; one failing analyzer is reported and the rest go on. */
export async function runAnalyzers(store: Store, opts: { scanId: string; signal: AbortSignal; onProgress?: (p: ScanProgress) => void }): Promise<{ analyzer: string; findings: number; error?: string }[]> {
  const results: { analyzer: string; findings: number; error?: string }[] = [];
  for (const analyzer of ANALYZERS) {
    if (opts.signal.aborted) break;
    const meter = new ProgressMeter(opts.onProgress ?? (() => {}), { scanId: opts.scanId, source: `analyzer:${analyzer.name}` });
    meter.update({ phase: 'analyzing', done: 0, warnings: 0, failures: 0 }, true);
    try {
      const r = await analyzer.run(store, {
        log: createLogger(`analyzers.${analyzer.name}`),
        signal: opts.signal,
        progress: (done, total, item) => meter.update({ phase: 'analyzing', done, total, item, warnings: 0, failures: 0 }),
      });
      results.push({ analyzer: analyzer.name, findings: r.findings });
      meter.update({ phase: 'done', done: r.findings, warnings: 0, failures: 0 }, true);
    } catch (err) {
      const message = toAppError(err).message;
      log.error('analyzer failed', { analyzer: analyzer.name, error: message });
      results.push({ analyzer: analyzer.name, findings: 0, error: message });
      meter.update({ phase: 'failed', done: 0, warnings: 0, failures: 1, item: message }, true);
    }
  }
  return results;
}
