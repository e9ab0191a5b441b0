import { createHmac, randomBytes } from 'node:crypto';
import type { CaptureContext, CaptureProgress, CaptureRecord, SourceDefinition } from '../../shared/node/sources/source.js';
import { createLogger } from '../../shared/node/log/logger.js';

export interface CollectOptions {
  /** Directory relative file paths in the config resolve against (default: process.cwd()). */
  baseDir?: string;
  signal?: AbortSignal;
  /** Checkpoints the source may read back. */
  checkpoints?: Record<string, string>;
  /** Stop collecting (and abort the capture) after this many records — a bound for runaway sources. */
  maxRecords?: number;
  /** Called for every record; with `keepRecords: false` records are only counted, for big captures. */
  onRecord?(record: CaptureRecord): void;
  keepRecords?: boolean;
}

export interface CollectedCapture {
  records: CaptureRecord[];
  /** How many records were yielded (also when they were not kept). */
  count: number;
  warnings: { item: string; message: string }[];
  failures: { item: string; error: unknown }[];
  progress: CaptureProgress[];
  /** The keyed fingerprint the capture used, so tests can compute expected hashes. */
  fingerprint(value: string): string;
}

/**
 * Runs a source's capture the way the scan service will — config parsed by the source's schema, a
 * real CaptureContext (HMAC-SHA256 fingerprints with a random per-run key, an AbortSignal, a logger)
 * — and collects everything it yields, for tests.
 */
export async function collectCapture<C extends { name: string; region: string }>(
  source: SourceDefinition<C>,
  rawConfig: unknown,
  opts: CollectOptions = {},
): Promise<CollectedCapture> {
  const config = source.configSchema.parse(rawConfig);
  const key = randomBytes(32);
  const fingerprint = (value: string) => createHmac('sha256', key).update(value, 'utf8').digest('hex');
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort(opts.signal?.reason);
  if (opts.signal?.aborted) abort.abort(opts.signal.reason);
  opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const out: CollectedCapture = { records: [], count: 0, warnings: [], failures: [], progress: [], fingerprint };
  const ctx: CaptureContext = {
    sourceName: config.name,
    region: config.region,
    baseDir: opts.baseDir ?? process.cwd(),
    signal: abort.signal,
    log: createLogger(`sources.${source.kind}`),
    fingerprint,
    progress: (p) => out.progress.push(p),
    warn: (item, message) => out.warnings.push({ item, message }),
    fail: (item, error) => out.failures.push({ item, error }),
    checkpoint: (k) => opts.checkpoints?.[k],
  };
  try {
    for await (const record of source.capture(config, ctx)) {
      out.count++;
      opts.onRecord?.(record);
      if (opts.keepRecords !== false) out.records.push(record);
      if (opts.maxRecords !== undefined && out.count >= opts.maxRecords) {
        abort.abort(new Error(`collectCapture: stopped after ${opts.maxRecords} records`));
        break;
      }
    }
  } finally {
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
  return out;
}
