import type { z } from 'zod';
import type { GraphEdge, GraphNodeInput } from '../../core/model/graph.js';
import type { Finding } from '../../core/model/finding.js';
import type { Logger } from '../log/logger.js';
import type { UrnSchemeSpec } from '../../core/model/urn.js';
import type { Phrase } from '../../core/model/phrase.js';

/**
 * What a source yields while it captures. Sources never touch the store (DESIGN.md import rules):
 * the scan service batches these records into the workspace, one transaction per batch.
 */
export type CaptureRecord =
  | { type: 'node'; node: GraphNodeInput }
  | { type: 'edge'; edge: GraphEdge }
  /** A configuration object as captured (canonicalized by the service), for drift and timelines. */
  | { type: 'config'; urn: string; content: unknown; origin: 'live' | 'desired'; author?: string; time?: string; message?: string; revision?: string }
  | { type: 'finding'; finding: Finding }
  /** Something the source could not see (e.g. a forbidden kind): recorded as a gap in the snapshot. */
  | { type: 'gap'; item: string; reason: string; /** `reason` as a phrase, said in the reader's language. */ phrase?: Phrase }
  /** A resumable position (e.g. a binlog file+pos); saved in the same transaction as the records before it. */
  | { type: 'checkpoint'; key: string; value: string }
  /** Field descriptions for `driftline explain` (kind → JSON schema). */
  | { type: 'schema'; kind: string; schema: unknown };

export interface CaptureProgress {
  done: number;
  total?: number;
  item?: string;
}

/** Everything a source may use while capturing. */
export interface CaptureContext {
  /** The source's unique name from sources.yaml: the URN authority. */
  sourceName: string;
  region: string;
  /** Directory of sources.yaml, for resolving relative file paths. */
  baseDir: string;
  signal: AbortSignal;
  log: Logger;
  /** Keyed fingerprint (HMAC-SHA256, per-workspace key) of a normalized value. Never store raw PII. */
  fingerprint(value: string): string;
  /** Reports progress; the scan service turns it into scan:progress events with rate and ETA. */
  progress(p: CaptureProgress): void;
  /** A per-item problem that did not stop the capture (capped list in the scan report). */
  warn(item: string, message: string): void;
  /** A per-item failure: the item is skipped, the capture goes on (capped list in the scan report). */
  fail(item: string, error: unknown): void;
  /** The last checkpoint saved under this key for this source, if any. */
  checkpoint(key: string): string | undefined;
}

export interface ConnectionTest {
  ok: boolean;
  message: string;
}

/** A source kind: its config schema and two read-only operations. */
export interface SourceDefinition<C extends { name: string; region: string } = any> {
  kind: string;
  /**
   * zod schema of this kind's entry in sources.yaml (including name, kind, region). It lives in
   * shared/core/sources/<kind>.ts with form metadata on its fields (shared/core/sources/field.ts): the
   * studio's form is generated from it (`sources:kinds`).
   */
  configSchema: z.ZodType<C>;
  /**
   * URN schemes this kind mints beyond the built-in ones (k8s, git, mysql, kafka, s3, app, connect,
   * net): registered with the parser and the grouping when the kind is, and sent to the studio.
   */
  urnSchemes?: readonly UrnSchemeSpec[];
  /** Checks reachability and read permission without capturing. */
  testConnection(config: C, ctx: Pick<CaptureContext, 'baseDir' | 'signal' | 'log'>): Promise<ConnectionTest>;
  /** Captures the source. Must only read. Yields records as it goes so memory stays bounded. */
  capture(config: C, ctx: CaptureContext): AsyncIterable<CaptureRecord>;
}

/** Identity function that gives a source definition its types. */
export function defineSource<C extends { name: string; region: string }>(def: SourceDefinition<C>): SourceDefinition<C> {
  return def;
}

/**
 * A capture whose code is imported only when the scan starts reading it. A source's index.ts keeps
 * its kind and config schema light and reaches its capture code (and the SDK that code imports:
 * kafkajs, mysql2, the AWS SDK…) through this, so listing or validating sources loads no SDK.
 *   capture: (config, ctx) => deferredCapture(async () => (await import('./live.js')).captureLive(config, ctx))
 */
export function deferredCapture(start: () => Promise<AsyncIterable<CaptureRecord>>): AsyncIterable<CaptureRecord> {
  return {
    async *[Symbol.asyncIterator]() {
      yield* await start();
    },
  };
}
