import { createHash, randomUUID } from 'node:crypto';
import { AppError, toAppError } from '../../core/api/errors.js';
import type { ScanProgress } from '../../core/api/contract.js';
import type { GraphNodeInput } from '../../core/model/graph.js';
import { createLogger } from '../log/logger.js';
import type { Store, StoredSource, SnapshotInfo, ScanReport } from '../store/index.js';
import { getSourceDefinition } from '../sources/registry.js';
import type { CaptureContext, CaptureRecord } from '../sources/source.js';
import { ProgressMeter } from './progress.js';
import { saveConfigRecord, recordRemovals } from './config-versions.js';
import { runAnalyzers } from './analyze.js';
import { loadRulePacks } from '../pii/rule-packs.js';
import type { RegionMap } from '../../core/egress/region-map.js';
import { REGION_MAP_META } from './egress-view.js';

const log = createLogger('services.scan');

/** The scan report keeps this many warnings, failures and gaps per snapshot; the rest are counted. */
export const REPORT_CAP = 200;
const BATCH_RECORDS = 500;
const BATCH_MS = 250;

export interface ScanOptions {
  store: Store;
  sources: StoredSource[];
  scanId?: string;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Run the analyzers after capture (default true). */
  analyze?: boolean;
  /** The `regions:` map of sources.yaml: saved in the workspace for egress and coverage. */
  regionMap?: RegionMap;
}

export interface ScanResult {
  scanId: string;
  ok: boolean;
  snapshots: SnapshotInfo[];
}

function emptyReport(): ScanReport {
  return { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } };
}

function pushCapped<T>(list: T[], item: T, report: ScanReport, key: keyof ScanReport['dropped']): void {
  if (list.length < REPORT_CAP) list.push(item);
  else report.dropped[key]++;
}

/**
 * Captures each source into a new snapshot, one transaction per batch, then runs the analyzers.
 * A source that fails ends its own snapshot as 'failed' (what was saved stays); the others go on.
 */
export async function runScan(options: ScanOptions): Promise<ScanResult> {
  const { store } = options;
  if (store.readOnly) throw new AppError('WORKSPACE_READ_ONLY', `${store.workspace.path} is open read-only (a snapshot bundle); scan into a workspace of your own`);
  const scanId = options.scanId ?? randomUUID();
  const signal = options.signal ?? new AbortController().signal;
  const emit = options.onProgress ?? (() => {});
  const snapshots: SnapshotInfo[] = [];
  loadRulePacks();
  if (options.regionMap) store.setMeta(REGION_MAP_META, JSON.stringify(options.regionMap));

  for (const source of options.sources) {
    if (signal.aborted) break;
    snapshots.push(await captureSource(store, source, scanId, signal, emit));
  }
  if (options.analyze !== false && !signal.aborted) {
    await runAnalyzers(store, { scanId, signal, onProgress: emit });
  }
  // Analyzers may add nodes (e.g. lineage endpoints not captured yet): make them searchable and counted too.
  store.graph.refreshDerived();
  return { scanId, ok: snapshots.every((s) => s.status === 'complete'), snapshots };
}

async function captureSource(store: Store, source: StoredSource, scanId: string, signal: AbortSignal, emit: (p: ScanProgress) => void): Promise<SnapshotInfo> {
  const def = getSourceDefinition(source.kind);
  const config = def.configSchema.parse(source.config);
  store.upsertSource(source);
  const snapshotId = store.snapshots.begin(source.name);
  const report = emptyReport();
  const stats: Record<string, number> = {};
  const contentHash = createHash('sha256');
  const meter = new ProgressMeter(emit, { scanId, source: source.name });
  const seenLive = new Set<string>();
  let done = 0;
  let total: number | undefined;
  let item: string | undefined;
  const progress = (phase: ScanProgress['phase'], force = false) =>
    meter.update({ phase, done, total, item, warnings: report.warnings.length + report.dropped.warnings, failures: report.failures.length + report.dropped.failures }, force);

  const ctx: CaptureContext = {
    sourceName: source.name,
    region: source.region,
    baseDir: source.baseDir,
    signal,
    log: createLogger(`sources.${source.kind}`),
    fingerprint: (v) => store.fingerprint(v),
    progress: (p) => { done = p.done; total = p.total; item = p.item; progress('capturing'); },
    warn: (it, message) => pushCapped(report.warnings, { item: it, message }, report, 'warnings'),
    fail: (it, error) => pushCapped(report.failures, { item: it, message: toAppError(error).message }, report, 'failures'),
    checkpoint: (key) => store.checkpoint(source.name, key),
  };

  let batch: CaptureRecord[] = [];
  let lastFlush = Date.now();
  const flush = () => {
    if (batch.length === 0) return;
    const records = batch;
    batch = [];
    store.transaction(() => {
      for (const r of records) applyRecord(store, source, snapshotId, r, report, seenLive);
      store.graph.refreshDerived();
    });
    for (const r of records) {
      stats[r.type] = (stats[r.type] ?? 0) + 1;
      if (r.type !== 'checkpoint') contentHash.update(JSON.stringify(r) + '\n');
    }
    lastFlush = Date.now();
  };

  progress('connecting', true);
  let status: 'complete' | 'failed' | 'cancelled' = 'complete';
  try {
    for await (const record of def.capture(config, ctx)) {
      if (signal.aborted) throw new AppError('CANCELLED', 'scan cancelled');
      batch.push(record);
      if (batch.length >= BATCH_RECORDS || Date.now() - lastFlush >= BATCH_MS) {
        progress('saving');
        flush();
      }
    }
    flush();
    if (signal.aborted) throw new AppError('CANCELLED', 'scan cancelled');
    store.transaction(() => {
      stats.removed = recordRemovals(store, snapshotId, seenLive);
      // Findings a source reports itself are replaced by those of its newest complete snapshot.
      store.db.prepare(`DELETE FROM findings WHERE producer = ? AND IFNULL(snapshot_id, -1) <> ?`).run(`source:${source.name}`, snapshotId);
    });
  } catch (err) {
    // Records already flushed stay: they belong to this (failed or cancelled) snapshot.
    try { flush(); } catch (flushErr) { log.error('could not save the last batch', { source: source.name, error: String(flushErr) }); }
    const appErr = toAppError(err, 'SOURCE_UNREACHABLE');
    status = signal.aborted || appErr.code === 'CANCELLED' ? 'cancelled' : 'failed';
    report.error = appErr.message;
    log.warn('capture ended early', { source: source.name, status, error: appErr.message });
  }
  store.snapshots.finish(snapshotId, status, { contentHash: status === 'complete' ? contentHash.digest('hex') : undefined, stats, report });
  progress(status === 'complete' ? 'done' : status, true);
  return store.snapshots.get(snapshotId)!;
}

function applyRecord(store: Store, source: StoredSource, snapshotId: number, record: CaptureRecord, report: ScanReport, seenLive: Set<string>): void {
  switch (record.type) {
    case 'node': {
      // An endpoint outside the sources has no region unless one was found for it: never the source's.
      const region = record.node.region ?? (record.node.kind === 'endpoint' ? undefined : source.region);
      const node: GraphNodeInput = { ...record.node, source: record.node.source || source.name, region };
      store.graph.upsertNode(node, snapshotId);
      return;
    }
    case 'edge':
      store.graph.upsertEdge(record.edge, snapshotId);
      return;
    case 'config':
      if (record.origin === 'live') seenLive.add(record.urn);
      saveConfigRecord(store, record, snapshotId, (v) => store.fingerprint(v));
      return;
    case 'finding':
      store.findings.add(record.finding, `source:${source.name}`, snapshotId);
      return;
    case 'gap':
      pushCapped(report.gaps, { item: record.item, reason: record.reason, ...(record.phrase && { phrase: record.phrase }) }, report, 'gaps');
      return;
    case 'checkpoint':
      store.setCheckpoint(source.name, record.key, record.value, snapshotId);
      return;
    case 'schema':
      store.configs.setSchema(source.name, record.kind, record.schema);
      return;
  }
}
