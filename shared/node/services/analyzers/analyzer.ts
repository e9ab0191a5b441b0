import type { Store } from '../../store/index.js';
import type { Logger } from '../../log/logger.js';

/**
 * An analyzer reads the whole workspace graph after capture and derives edges and findings
 * (PII findings, lineage, drift, flows, exposure, anomalies). Analyzers are re-runnable: each
 * replaces what it produced before, so a re-scan never duplicates.
 */
export interface AnalyzerContext {
  log: Logger;
  signal: AbortSignal;
  progress(done: number, total?: number, item?: string): void;
}

export interface Analyzer {
  /** Unique; also the `producer` of the findings it writes. */
  name: string;
  /** Analyzers run in ascending order (lineage before flows that follow its edges). */
  order: number;
  run(store: Store, ctx: AnalyzerContext): Promise<{ findings: number; edges?: number }> | { findings: number; edges?: number };
}

export const defineAnalyzer = (a: Analyzer): Analyzer => a;
