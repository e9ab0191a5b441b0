import { AppError } from '../../core/api/errors.js';
import { diffDesiredLive, isDriftDifference } from '../../core/drift/diff-desired-live.js';
import type { PatchOp } from '../../core/drift/json-patch.js';
import { keysTouchedByPatch } from '../../core/drift/snapshot-diff.js';
import { createPatch } from '../../core/drift/json-patch.js';
import { parseUrn } from '../../core/model/urn.js';
import { backtest, forecast, generatedIdentity, pinsOf, HOUR_MS, DEFAULT_HORIZON_MS, type BacktestReport, type Forecast, type History, type HistoryChange, type HistoryObject } from '../../core/predict/index.js';
import type { ConfigVersion, Store } from '../store/index.js';

/** Options of {@link predictChanges}. */
export interface PredictOptions {
  /** ISO 8601; default: when the workspace last looked (its newest snapshot), else its newest change. */
  asOf?: string;
  horizonHours?: number;
  kinds?: string[];
}

const isPatch = (value: unknown): value is PatchOp[] =>
  Array.isArray(value) && value.every((op) => typeof op === 'object' && op !== null && typeof (op as PatchOp).path === 'string');

/** Kind, namespace and name of a configuration object from its URN. */
function describe(urn: string): Omit<HistoryObject, 'neighbourhood' | 'urn'> | undefined {
  try {
    const parsed = parseUrn(urn);
    if (parsed.scheme === 'k8s') {
      const [namespace, kind, name] = parsed.segments;
      return { kind, namespace: namespace === '_' ? '' : namespace, name };
    }
    return { kind: parsed.scheme, namespace: parsed.segments.slice(0, -1).join('/'), name: parsed.segments[parsed.segments.length - 1] };
  } catch {
    return undefined;
  }
}

/**
 * Reads the workspace's whole change history for prediction: every stored change with the keys it
 * touched, its commit or snapshot, and — for changes seen in a cluster — whether it left the
 * object differing from the desired version in force at that moment (GitOps bypassed).
 */
export function loadHistory(store: Store): History {
  const changes = store.configs.changes({ limit: Number.MAX_SAFE_INTEGER });
  const versions = new Map<string, Map<number, ConfigVersion>>();
  const desired = new Map<string, ConfigVersion[]>();
  const versionsOf = (urn: string) => {
    let v = versions.get(urn);
    if (!v) {
      const all = store.configs.versions(urn);
      v = new Map(all.map((x) => [x.id, x]));
      versions.set(urn, v);
      desired.set(urn, all.filter((x) => x.origin === 'desired'));
    }
    return v;
  };
  // Where an object is defined in git (the folder of its manifest), from the desired nodes' props.
  const folders = new Map<string, string>();
  for (const node of store.graph.nodesWhere({ kind: 'k8s-object' })) {
    const path = (node.props as { gitPath?: unknown } | undefined)?.gitPath;
    if (typeof path === 'string') folders.set(node.urn, path.replace(/\/[^/]*$/, '') || '.');
  }

  const out: HistoryChange[] = [];
  /** The content before and after each change, for merging generated renames. */
  const contents = new Map<HistoryChange, { before: unknown; after: unknown }>();
  for (const c of changes) {
    const v = versionsOf(c.urn);
    const before = c.fromVersion !== null ? v.get(c.fromVersion) : undefined;
    const after = c.toVersion !== null ? v.get(c.toVersion) : undefined;
    const patch = isPatch(c.patch) ? c.patch : [];
    let outsideGitOps: boolean | undefined;
    if (c.origin === 'live' && c.change !== 'removed' && after?.content) {
      const inForce = [...(desired.get(c.urn) ?? [])].reverse().find((d) => d.time <= c.time);
      if (inForce && inForce.content !== null) {
        try {
          outsideGitOps = diffDesiredLive(inForce.content, after.content).some((item) => !item.ignored && isDriftDifference(item));
        } catch {
          outsideGitOps = undefined;
        }
      }
    }
    out.push({
      urn: c.urn, time: Date.parse(c.time), author: c.author ?? after?.author ?? null,
      origin: c.origin === 'live' ? 'live' : 'desired', change: c.change,
      group: c.origin === 'desired' ? `rev:${after?.revision ?? before?.revision ?? c.id}` : `snap:${after?.snapshotId ?? before?.snapshotId ?? c.id}`,
      keysTouched: keysTouchedByPatch(patch, before?.content, after?.content).filter((k) => k !== ''),
      patch, message: after?.message ?? undefined,
      outsideGitOps, observedOnly: c.origin === 'live' && !c.author,
      ...(after?.content ? { pins: Object.fromEntries(pinsOf(after.content)) } : {}),
    });
    contents.set(out[out.length - 1], { before: before?.content, after: after?.content });
  }
  const merged = mergeGeneratedRenames(out, contents);
  const objects: HistoryObject[] = [];
  for (const c of merged) {
    const identity = c.identity ?? c.urn;
    if (objects.some((o) => o.urn === identity)) continue;
    const d = describe(identity);
    if (!d) continue;
    objects.push({ urn: identity, ...d, neighbourhood: folders.get(c.urn) ?? (d.namespace || '(cluster)') });
  }
  return { objects, changes: merged };
}

/**
 * Objects that kustomize's generators name by their content hash (`app-values-7t2k9m4bcd`) get a
 * new name with every edit: the old name is removed and the new one added in the same commit. For
 * the history they are one object (the name without the hash) and that pair is one modification.
 */
function mergeGeneratedRenames(changes: HistoryChange[], contents: Map<HistoryChange, { before: unknown; after: unknown }>): HistoryChange[] {
  const out: HistoryChange[] = [];
  const pairs = new Map<string, { removed?: HistoryChange; added?: HistoryChange; before?: unknown; after?: unknown }>();
  for (const c of changes) {
    const d = describe(c.urn);
    const identity = d ? generatedIdentity(d.kind, c.urn) : undefined;
    if (!identity) { out.push(c); continue; }
    const tagged: HistoryChange = { ...c, identity };
    if (c.change === 'modified') { out.push(tagged); continue; }
    const key = `${identity}\u0000${c.group}`;
    const pair = pairs.get(key) ?? pairs.set(key, {}).get(key)!;
    pair[c.change] = tagged;
    if (c.change === 'removed') pair.before = contents.get(c)?.before;
    else pair.after = contents.get(c)?.after;
  }
  for (const { removed, added, before, after } of pairs.values()) {
    if (!removed || !added) { if (removed) out.push(removed); if (added) out.push(added); continue; }
    // Names aside, the two contents differ only where the generator's input changed.
    const strip = (content: unknown) => (content && typeof content === 'object' ? { ...(content as Record<string, unknown>), metadata: undefined } : content);
    const patch = before !== undefined && after !== undefined ? createPatch(strip(before), strip(after)) : [];
    out.push({ ...added, change: 'modified', patch, keysTouched: keysTouchedByPatch(patch, strip(before), strip(after)).filter((k) => k !== '') });
  }
  return out;
}

function parseAsOf(asOf: string | undefined, store: Store, history: History): number {
  if (asOf !== undefined) {
    const t = Date.parse(asOf);
    if (!Number.isFinite(t)) throw new AppError('INVALID_INPUT', `--as-of "${asOf}" is not an ISO 8601 time; write e.g. 2026-05-01T00:00:00Z`);
    return t;
  }
  const snapshots = store.snapshots.list().filter((s) => s.status === 'complete');
  const lastLook = snapshots.length ? Math.max(...snapshots.map((s) => Date.parse(s.startedAt))) : -Infinity;
  const lastChange = history.changes.reduce((m, c) => Math.max(m, c.time), -Infinity);
  return Math.max(lastLook, lastChange);
}

/** Parses "72h", "3d" or a number of hours. */
export function parseHorizon(text: string | undefined): number {
  if (text === undefined) return DEFAULT_HORIZON_MS / HOUR_MS;
  const m = /^(\d+(?:\.\d+)?)\s*(h|d)?$/i.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new AppError('INVALID_INPUT', `--horizon "${text}" is not a duration; write e.g. 72h or 3d`);
  return Number(m[1]) * (m[2]?.toLowerCase() === 'd' ? 24 : 1);
}

/** The forecast of the workspace at `asOf` (only history up to then is read). */
export function predictChanges(store: Store, options: PredictOptions = {}): Forecast {
  const history = loadHistory(store);
  if (history.changes.length === 0) throw new AppError('NOT_FOUND', 'this workspace has no configuration history to forecast from; scan a GitOps repository (its commits) or a cluster twice');
  const asOf = parseAsOf(options.asOf, store, history);
  return forecast(history, asOf, { horizonMs: (options.horizonHours ?? 72) * HOUR_MS, kinds: options.kinds });
}

/** The rolling-origin backtest over the workspace's own history. */
export function backtestChanges(store: Store, options: { horizonHours?: number; kinds?: string[]; testDays?: number; onProgress?: (done: number, total: number) => void } = {}): BacktestReport {
  const history = loadHistory(store);
  if (history.changes.length === 0) throw new AppError('NOT_FOUND', 'this workspace has no configuration history to backtest on; scan a GitOps repository first');
  return backtest(history, { horizonMs: (options.horizonHours ?? 72) * HOUR_MS, kinds: options.kinds, testDays: options.testDays, onProgress: options.onProgress });
}
