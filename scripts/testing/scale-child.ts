/**
 * A scan and/or the analyzers of a workspace in a process of their own, so a parent (the memory
 * test, bench/scale.bench.ts) can measure this process's peak RSS or give it a heap cap:
 *   node --import tsx [--max-old-space-size=N] scripts/testing/scale-child.ts <workspace> [--scan <nodes>] [--analyze streamed|whole]
 * `--scan` captures a generated estate of about that many nodes through the real scan pipeline
 * (fixtures/scale-source.ts; the analyzers are run separately so each can be timed); `--analyze`
 * runs every analyzer, reading the store as shipped (streamed) or as before (whole graph in memory).
 * Prints one JSON line: counts, per-analyzer milliseconds and errors, peak RSS in MB.
 */
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ANALYZERS } from '../../shared/node/services/analyzers/registry.js';
import { runScan } from '../../shared/node/services/scan.js';
import type { Logger } from '../../shared/node/log/logger.js';
import type { AnalysisReads } from '../../shared/node/store/analysis-reads.js';
import { Store } from '../../shared/node/store/index.js';
import { scaleEstateSource } from './fixtures/scale-source.js';
import { wholeGraphReads } from './whole-graph-reads.js';

const [path, ...args] = process.argv.slice(2);
const option = (name: string) => { const i = args.indexOf(name); return i === -1 ? undefined : args[i + 1]; };
if (!path) throw new Error('usage: scale-child.ts <workspace> [--scan <nodes>] [--analyze streamed|whole]');

const QUIET: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const out: Record<string, unknown> = {};
const store = Store.open(path, { create: true });
try {
  const scanNodes = option('--scan');
  if (scanNodes) {
    const t = performance.now();
    const r = await runScan({ store, sources: [scaleEstateSource(Number(scanNodes), dirname(path))], analyze: false });
    if (!r.ok) throw new Error(`scan failed: ${JSON.stringify(r.snapshots.map((s) => s.report.error))}`);
    out.captureMs = Math.round(performance.now() - t);
  }
  const mode = option('--analyze');
  if (mode) {
    if (mode === 'whole') (store as { analysis: AnalysisReads }).analysis = wholeGraphReads(store);
    const times: Record<string, number> = {};
    const rssAfter: Record<string, number> = {};
    const errors: Record<string, string> = {};
    const signal = new AbortController().signal;
    const ctx = { signal, progress: () => {}, log: QUIET };
    // The same loop as runAnalyzers, each analyzer timed on its own.
    for (const analyzer of ANALYZERS) {
      const t = performance.now();
      try {
        await analyzer.run(store, ctx);
      } catch (err) {
        errors[analyzer.name] = err instanceof Error ? err.message : String(err);
      }
      times[analyzer.name] = Math.round(performance.now() - t);
      rssAfter[analyzer.name] = Math.round(process.resourceUsage().maxRSS / 1024);
    }
    store.graph.refreshDerived();
    Object.assign(out, { analyzerMs: times, peakRssMbAfter: rssAfter, errors, findings: store.db.prepare(`SELECT count(*) FROM findings`).pluck().get() });
  }
  Object.assign(out, store.graph.counts(), { peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) });
} finally {
  store.close();
}
console.log(JSON.stringify(out));
