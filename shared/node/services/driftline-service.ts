import { randomUUID } from 'node:crypto';
import { AppError, toAppError } from '../../core/api/errors.js';
import type { CallInput, CallName, CallOutput, Handlers } from '../../core/api/contract.js';
import { dispatchCall, invokeCall } from '../../core/api/dispatch.js';
import type { Result } from '../../core/api/result.js';
import { groupKeyOf, groupLabel } from '../../core/model/groups.js';
import { explainKind } from '../explain/index.js';
import { predictChanges } from './predict.js';
import { parseUrn } from '../../core/model/urn.js';
import type { Graph } from '../../core/model/graph.js';
import { createPatch } from '../../core/drift/json-patch.js';
import { parsePointer } from '../../core/drift/json-pointer.js';
import type { Store } from '../store/index.js';
import { SCHEMA_VERSION } from '../store/index.js';
import { validateSourceEntry } from '../sources/sources-file.js';
import { sourceKindForms } from '../sources/registry.js';
import { createLogger } from '../log/logger.js';
import { exportBundle, loadOrCreateSigningKey, trustStatus, type KeyStore } from '../store/bundle/index.js';
import { exportReportForService } from './report-export.js';
import { exportTarget } from '../serve/safe-files.js';
import { basename, dirname, join } from 'node:path';
import { EventBus } from './events.js';
import { runScan } from './scan.js';
import { accessForPrincipal, accessForUrn, accessMatrix } from './access-queries.js';
import { coverageOf } from './analyzers/coverage.js';
import { driftUnknownsOf } from './analyzers/drift.js';
import { testSourceConnection } from './source-checks.js';

const log = createLogger('services.driftline');

/** The seal of a workspace opened from a bundle, as openBundle's verify found it. */
export interface BundleInfo {
  signer: string;
  fingerprint: string;
  manifestHash: string;
  /** What verify said of the bundle's integrity. */
  verified: boolean;
}

export interface ServiceOptions {
  /** Set when the workspace was opened from a sealed snapshot bundle (read-only). */
  bundle?: BundleInfo;
  /** Where exports (reports, bundles) are written; default: `driftline-exports/` beside the workspace. */
  exportsDir?: string;
  /** Where the auditor's signing key is kept: Electron passes one backed by the OS keychain. */
  keyStore?: KeyStore;
  /**
   * Check every answer and event against the contract's output schemas. Default: on when
   * DRIFTLINE_CHECK_OUTPUTS=1, which the test setup sets for every test and every process it spawns.
   */
  checkOutputs?: boolean;
  /**
   * Opens the workspace as its one writer, for the calls that write (a scan, saving a source).
   * `driftline serve` and the studio read through a read-only store and claim the writer only for
   * that, so a scan run from the CLI meanwhile is never disturbed (store/writer-lock.ts). The
   * factory may wait for another writer; `signal` stops the wait.
   */
  openWriter?: (purpose: string, signal?: AbortSignal) => Promise<Store>;
}

/**
 * The use cases behind every contract call, shared by Electron main, `driftline serve` and tests.
 * One instance per open workspace.
 */
export class DriftlineService {
  readonly events: EventBus;
  readonly checkOutputs: boolean;
  private readonly scans = new Map<string, AbortController>();

  constructor(readonly store: Store, private readonly options: ServiceOptions = {}) {
    this.checkOutputs = options.checkOutputs ?? process.env.DRIFTLINE_CHECK_OUTPUTS === '1';
    this.events = new EventBus(this.checkOutputs);
  }

  /** One call as every transport makes it (input parsed, errors as values): see dispatchCall. */
  dispatch(name: string, input: unknown): Promise<Result<unknown>> {
    return dispatchCall(this.handlers, name, input, { checkOutput: this.checkOutputs });
  }

  /** The same, typed, for the CLI: input through the same schema, errors thrown as AppErrors. */
  call<K extends CallName>(name: K, input: CallInput<K>): Promise<CallOutput<K>> {
    return invokeCall(this.handlers, name, input, { checkOutput: this.checkOutputs });
  }

  /** The handler map bound by every transport: one entry per contract call. */
  readonly handlers: Handlers = {
    'workspace:info': () => {
      const counts = this.store.graph.counts();
      return {
        path: this.store.workspace.path,
        id: this.store.workspace.id,
        schemaVersion: SCHEMA_VERSION,
        readOnly: !this.canWrite,
        counts: {
          ...counts,
          findings: this.store.db.prepare(`SELECT count(*) FROM findings`).pluck().get() as number,
          snapshots: this.store.db.prepare(`SELECT count(*) FROM snapshots`).pluck().get() as number,
        },
        bundle: this.seal(),
      };
    },

    'sources:list': () => this.listSources(),
    'sources:kinds': () => sourceKindForms(),

    'sources:test': ({ name }) => testSourceConnection(this.requireSource(name), 15_000),

    'sources:save': async ({ entry }) => {
      this.assertWritable();
      const valid = validateSourceEntry(entry, `source "${String(entry.name ?? '?')}"`);
      const existing = this.store.sources().find((s) => s.name === valid.name);
      await this.withWriter('saving a source', undefined, (writer) => writer.upsertSource({ name: valid.name, kind: valid.kind, region: valid.region, config: valid.config, baseDir: existing?.baseDir ?? process.cwd() }));
      return this.listSources().find((s) => s.name === valid.name)!;
    },

    'snapshots:list': ({ source }) => this.store.snapshots.list(source),

    'graph:overview': () => this.overview(),

    'graph:get': ({ sources, group, limit, boundary }) => {
      if (group) {
        const max = limit ?? 20_000;
        const ids = this.store.graph.idsInGroup(group, max + 1);
        const kept = ids.slice(0, max);
        const inside = this.store.graph.subgraph(kept);
        // With `boundary`, the group's data-flow edges to other groups come along (their far ends by URN only).
        const edges = boundary ? [...inside.edges, ...this.store.graph.boundaryEdges(kept)] : inside.edges;
        return { ...inside, edges, truncated: ids.length > max };
      }
      return this.store.graph.all({ sources, limit });
    },

    'graph:node': ({ urn }) => ({
      node: this.store.graph.requireNode(urn),
      neighbours: this.store.graph.neighbours(urn),
      findings: this.store.findings.list({ urn }),
    }),

    'graph:lineage': ({ urn, direction, depth, edgeKinds }) => {
      parseUrn(urn);
      if (direction !== 'both') return this.store.graph.closure(urn, direction, { depth, edgeKinds });
      return mergeGraphs(this.store.graph.closure(urn, 'upstream', { depth, edgeKinds }), this.store.graph.closure(urn, 'downstream', { depth, edgeKinds }));
    },

    'graph:search': ({ query, limit }) => this.store.graph.search(query, limit),

    'findings:list': ({ type, minSeverity, urn, limit }) => this.store.findings.list({ type, minSeverity, urn, limit }),
    'access:field': ({ urn }) => accessForUrn(this.store, urn),
    'access:principal': ({ principal }) => accessForPrincipal(this.store, principal),
    'access:matrix': () => accessMatrix(this.store),
    'coverage:get': () => coverageOf(this.store),
    'drift:unknowns': () => driftUnknownsOf(this.store),

    'changes:list': ({ urn, urnPrefix, limit }) => {
      const anomalies = new Map(this.store.findings.list({ type: 'anomaly' }).map((f) => [String(f.finding.type === 'anomaly' ? f.finding.changeId ?? '' : ''), f.finding]));
      return this.store.configs.changes({ urn, urnPrefix, limit }).map((c) => {
        const a = anomalies.get(String(c.id));
        return { ...c, ...(a && a.type === 'anomaly' ? { anomaly: { score: a.score, explanation: a.explanation, ...(a.reasons ? { reasons: a.reasons } : {}) } } : {}) };
      });
    },

    'configs:versions': ({ urn }) => this.store.configs.versions(urn),

    'diff:snapshots': ({ from, to }) => diffSnapshotVersions(this.store, from, to),

    'explain:get': ({ kind, path, lang }) => explainKind(this.store, kind, path, lang),

    'predict:forecast': ({ asOf, horizonHours, kinds, limit }) => {
      const f = predictChanges(this.store, { asOf, horizonHours, kinds });
      return { ...f, predictions: f.predictions.slice(0, limit ?? 100), total: f.predictions.length };
    },

    'scan:start': ({ sources }) => {
      this.assertWritable();
      const all = this.store.sources();
      const chosen = sources?.length ? sources.map((n) => this.requireSource(n)) : all;
      if (chosen.length === 0) throw new AppError('INVALID_INPUT', 'no sources to scan: add a source first (Sources view, or "driftline scan <sources.yaml>")');
      if (this.scans.size > 0) throw new AppError('INVALID_INPUT', 'a scan is already running; wait for it or cancel it');
      const scanId = randomUUID();
      const controller = new AbortController();
      this.scans.set(scanId, controller);
      // The call answers at once; progress and the end come as events. A read-only studio claims the
      // workspace's writer for the scan (waiting for another writer to finish) and lets it go after.
      void this.withWriter('scan from the studio', controller.signal, (store) => runScan({ store, sources: chosen, scanId, signal: controller.signal, onProgress: (p) => this.events.emit('scan:progress', p) }))
        .then((r) => this.events.emit('scan:finished', { scanId, ok: r.ok, snapshots: r.snapshots.map((s) => s.id), message: r.ok ? `captured ${r.snapshots.length} source(s)` : r.snapshots.filter((s) => s.status !== 'complete').map((s) => `${s.source}: ${s.status}${s.report.error ? ` — ${s.report.error}` : ''}`).join('; ') }))
        .catch((err) => { log.error('scan failed', { error: String(err) }); this.events.emit('scan:finished', { scanId, ok: false, snapshots: [], message: toAppError(err).message }); })
        .finally(() => this.scans.delete(scanId));
      return { scanId };
    },

    'scan:cancel': ({ scanId }) => {
      const c = this.scans.get(scanId);
      c?.abort();
      return { cancelled: !!c };
    },

    'report:export': async ({ lang, fileName }) => {
      const out = this.exportPath(fileName ?? `${this.exportStem()}-report-${lang}.pdf`);
      const r = await exportReportForService(this.store, out, lang);
      return { path: r.path, fileName: basename(r.path), bytes: r.bytes, pages: r.pages };
    },

    'snapshots:export': async ({ sources, fileName }) => {
      const out = this.exportPath(fileName ?? `${this.exportStem()}.dlbundle`);
      const signingKey = await loadOrCreateSigningKey(undefined, this.options.keyStore);
      const r = await exportBundle(this.store, out, { sources, signingKey });
      return { path: r.path, fileName: basename(r.path), bytes: r.bytes, snapshots: r.snapshots, parts: r.parts, manifestHash: r.manifestHash, signer: r.signer, fingerprint: r.fingerprint };
    },
  };

  /**
   * The seal shown in the studio banner: the bundle's (given by the opener, or kept in meta by
   * store/bundle/open.ts with what verify said), and whether its signer is trusted — judged now, by
   * the local trust store, so adding or removing a signer shows at once.
   */
  private seal(): CallOutput<'workspace:info'>['bundle'] {
    const base = this.options.bundle ?? this.sealFromMeta();
    if (!base) return null;
    const { signer, fingerprint, manifestHash, verified } = base;
    return { signer, fingerprint, manifestHash, verified, ...trustStatus(verified, fingerprint) };
  }

  private sealFromMeta(): BundleInfo | null {
    const manifestHash = this.store.meta('bundle_manifest_hash');
    if (!manifestHash) return null;
    // A workspace made before verify's verdict was kept cannot prove it: it shows as not verified.
    return { manifestHash, signer: this.store.meta('bundle_signer') ?? '', fingerprint: this.store.meta('bundle_fingerprint') ?? '', verified: this.store.meta('bundle_verified') === 'ok' };
  }

  /** The folder exports go to; `driftline serve` offers its files for download, and nothing else. */
  get exportsDir(): string {
    return this.options.exportsDir ?? join(dirname(this.store.workspace.path), 'driftline-exports');
  }

  private exportPath(fileName: string): string {
    if (basename(fileName) !== fileName) throw new AppError('INVALID_INPUT', `"${fileName}" must be a plain file name`);
    return exportTarget(this.exportsDir, fileName);
  }

  /** "<workspace>-<UTC time>": export names sort by time and never overwrite each other. */
  private exportStem(): string {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
    return `${basename(this.store.workspace.path).replace(/\.driftline$/, '').replace(/[^A-Za-z0-9._-]/g, '_')}-${stamp}`;
  }

  private listSources(): CallOutput<'sources:list'> {
    return this.store.sources().map((s) => {
      const snaps = this.store.snapshots.list(s.name);
      return { name: s.name, kind: s.kind, region: s.region, config: s.config, lastSnapshot: snaps[snaps.length - 1] ?? null, snapshotCount: snaps.length };
    });
  }

  private requireSource(name: string) {
    const s = this.store.sources().find((x) => x.name === name);
    if (!s) throw new AppError('NOT_FOUND', `no source named "${name}" in this workspace`);
    return s;
  }

  /** Whether calls may write: the store itself is writable, or a writer can be claimed for them. */
  private get canWrite(): boolean {
    return !this.store.readOnly || this.options.openWriter !== undefined;
  }

  private assertWritable(): void {
    if (!this.canWrite) throw new AppError('WORKSPACE_READ_ONLY', this.options.bundle || this.store.meta('bundle_manifest_hash') ? 'this workspace is a sealed snapshot opened read-only; nothing can be changed' : 'this workspace is open read-only; nothing can be changed');
  }

  /** Runs `fn` with a writable store: this one if it is writable, else a writer claimed for the call and closed after. */
  private async withWriter<T>(purpose: string, signal: AbortSignal | undefined, fn: (store: Store) => T | Promise<T>): Promise<T> {
    if (!this.store.readOnly) return fn(this.store);
    const writer = await this.options.openWriter!(purpose, signal);
    try {
      return await fn(writer);
    } finally {
      writer.close();
    }
  }

  /** The aggregated picture: groups and the edges between them, from the store's group counts (no pass over the graph). */
  private overview(): CallOutput<'graph:overview'> {
    const { groups, edges } = this.store.graph.groupCounts();
    return {
      groups: groups.map((g) => ({ key: g.key, label: groupLabel(g.key), source: g.source, kind: g.key.slice(0, g.key.indexOf(':')), count: g.nodes, piiCount: g.piiNodes, ...(g.region ? { region: g.region } : {}) })),
      edges: edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind, count: e.edges })),
      totalNodes: groups.reduce((n, g) => n + g.nodes, 0),
    };
  }

}

function mergeGraphs(a: Graph, b: Graph): Graph {
  const nodes = new Map(a.nodes.map((n) => [n.urn, n]));
  for (const n of b.nodes) nodes.set(n.urn, n);
  const edges = new Map(a.edges.map((e) => [`${e.from}|${e.to}|${e.kind}`, e]));
  for (const e of b.edges) edges.set(`${e.from}|${e.to}|${e.kind}`, e);
  return { nodes: [...nodes.values()], edges: [...edges.values()], truncated: a.truncated || b.truncated };
}

/** Compares the live configuration versions of two snapshots: added, removed, modified with patches. */
/** The value at a JSON pointer, or undefined where the document has none. */
function valueAt(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const token of parsePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

export function diffSnapshotVersions(store: Store, from: number, to: number): CallOutput<'diff:snapshots'> {
  for (const id of [from, to]) if (!store.snapshots.get(id)) throw new AppError('NOT_FOUND', `snapshot ${id} does not exist; list them with "driftline diff --workspace <file>" or the Snapshots view`);
  // Two sources hold different objects: comparing them would call every object added or removed.
  const sourceA = store.snapshots.get(from)!.source, sourceB = store.snapshots.get(to)!.source;
  if (sourceA !== sourceB) throw new AppError('INVALID_INPUT', `snapshot ${from} is of source "${sourceA}" and snapshot ${to} of source "${sourceB}": snapshots compare only within one source; pick two snapshots of "${sourceA}" (or compare two clusters in Drift → Compare clusters)`);
  const a = new Map(store.configs.latestAll('live', from).map((v) => [v.urn, v]));
  const b = new Map(store.configs.latestAll('live', to).map((v) => [v.urn, v]));
  const out: CallOutput<'diff:snapshots'> = [];
  for (const [urn, v] of b) {
    const before = a.get(urn);
    if (!before) out.push({ urn, change: 'added', patch: [] });
    else if (before.contentHash !== v.contentHash) {
      const patch = createPatch(before.content, v.content);
      out.push({ urn, change: 'modified', patch, fields: patch.map((op) => ({ path: op.path, old: valueAt(before.content, op.path), new: op.op === 'remove' ? undefined : valueAt(v.content, op.path) })) });
    }
  }
  for (const urn of a.keys()) if (!b.has(urn)) out.push({ urn, change: 'removed', patch: [] });
  return out.sort((x, y) => x.urn.localeCompare(y.urn));
}
