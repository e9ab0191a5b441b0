import { createHash } from 'node:crypto';
import { canonicalJson } from '../../core/drift/canonical-json.js';
import { canonicalizeManifest } from '../../core/drift/canonicalize.js';
import { createPatch } from '../../core/drift/json-patch.js';
import type { Store } from '../store/index.js';
import type { CaptureRecord } from '../sources/source.js';

type ConfigRecord = Extract<CaptureRecord, { type: 'config' }>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Saves a captured configuration as a version (canonical JSON + SHA-256) and, when it differs from
 * the previous version of the same origin, a change with the JSON patch between them.
 * Secret values are hashed with the workspace key before anything is written.
 */
export function saveConfigRecord(store: Store, record: ConfigRecord, snapshotId: number, hashSecretValue: (v: string) => string): void {
  if (record.content === null || record.content === undefined) return saveRemoval(store, record, snapshotId);
  const canonical = canonicalizeManifest(record.content, { hashSecretValue });
  const contentJson = canonicalJson(canonical);
  const contentHash = sha256(contentJson);
  const previous = store.configs.latest(record.urn, record.origin);
  const observed = new Date().toISOString();
  let time = record.time ?? observed;
  if (previous && previous.contentHash === contentHash && (record.origin === 'live' || previous.revision === (record.revision ?? null))) {
    // Unchanged live objects still get a version row in this snapshot, so "the state at snapshot N" is complete.
    if (record.origin === 'live') store.configs.add({ urn: record.urn, origin: 'live', snapshotId, contentHash, contentJson, author: previous.author, time, message: null, revision: record.revision ?? null });
    return;
  }
  // A live object credits its last write (managedFields); a write older than the version we already
  // hold did not make this change (e.g. a field no manager owns changed): author and time unknown.
  if (record.origin === 'live' && previous && record.author !== undefined && record.time !== undefined && Date.parse(record.time) <= Date.parse(previous.time)) {
    record = { ...record, author: undefined, time: undefined, message: undefined };
    time = observed;
  }
  const versionId = store.configs.add({
    urn: record.urn, origin: record.origin, snapshotId, contentHash, contentJson,
    author: record.author ?? null, time, message: record.message ?? null, revision: record.revision ?? null,
  });
  if (previous && previous.contentHash === contentHash) return;
  store.configs.addChange({
    urn: record.urn, origin: record.origin,
    fromVersion: previous?.id ?? null, toVersion: versionId,
    change: previous ? 'modified' : 'added',
    // An added object's content is its version; the patch of a first sighting stays empty.
    patch: previous ? createPatch(previous.content, canonical) : [],
    time, author: record.author ?? null,
  });
}

/**
 * Live objects present in the source's previous complete snapshot but not in this one were
 * removed: record a 'removed' change for each. Returns how many.
 */
export function recordRemovals(store: Store, snapshotId: number, seen: Set<string>): number {
  const snap = store.snapshots.get(snapshotId);
  if (!snap?.prevId) return 0;
  let removed = 0;
  for (const v of store.configs.latestAll('live', snap.prevId)) {
    if (seen.has(v.urn)) continue;
    store.configs.addChange({ urn: v.urn, origin: 'live', fromVersion: v.id, toVersion: null, change: 'removed', patch: [{ op: 'remove', path: '' }], time: new Date().toISOString(), author: null });
    removed++;
  }
  return removed;
}

/**
 * A source said the object is gone (e.g. deleted from git): keep a tombstone version (content null)
 * so "the latest desired state" no longer holds it, and a 'removed' change for the timeline.
 */
function saveRemoval(store: Store, record: ConfigRecord, snapshotId: number): void {
  const previous = store.configs.latest(record.urn, record.origin);
  if (!previous || previous.content === null) return;
  const time = record.time ?? new Date().toISOString();
  const versionId = store.configs.add({ urn: record.urn, origin: record.origin, snapshotId, contentHash: sha256('null'), contentJson: 'null', author: record.author ?? null, time, message: record.message ?? null, revision: record.revision ?? null });
  store.configs.addChange({ urn: record.urn, origin: record.origin, fromVersion: previous.id, toVersion: versionId, change: 'removed', patch: [], time, author: record.author ?? null });
}
