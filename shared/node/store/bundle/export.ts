import { existsSync } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { AppError } from '../../../core/api/errors.js';
import { SCHEMA_VERSION, type Store } from '../index.js';
import { ContainerWriter, MANIFEST_ENTRY, SIGNATURE_ENTRY, sha256Hex } from './container.js';
import { chainHash, partsHash, type BundlePart, type Manifest, type SnapshotLink } from './manifest.js';
import { PartSet } from './parts.js';
import { loadOrCreateSigningKey, publicKeyDerBase64, signBytes, type KeyPair } from './signing.js';

export interface ExportBundleOptions {
  /** Only these sources' snapshots (default: all). */
  sources?: string[];
  /** Only snapshots started at or after / at or before these ISO times. */
  since?: string;
  until?: string;
  /** Default: the auditor's key from loadOrCreateSigningKey(). */
  signingKey?: KeyPair;
}

export interface ExportBundleResult {
  path: string;
  snapshots: number;
  parts: number;
  bytes: number;
  manifestHash: string;
  signer: string;
  fingerprint: string;
}

interface SnapshotRow { id: number; source: string; status: string; started_at: string; prev_id: number | null; content_hash: string | null }

/** The source named in a URN, without a full parse (rows are streamed by the hundred thousand). */
const urnSource = (urn: string): string | undefined => {
  const m = /^[a-z0-9]+:\/\/([^/#]+)/.exec(urn);
  if (!m) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
};

/**
 * Seals the chosen snapshots of a workspace into one bundle file (format: container.ts): the rows that
 * belong to each snapshot as NDJSON parts, a manifest with every part's SHA-256 and the hash chain,
 * and an Ed25519 signature over the manifest. Rows of no chosen snapshot (analyzer results, nodes an
 * edge needs) go into "-shared" parts. The file appears only when complete (written aside, then renamed).
 */
export async function exportBundle(store: Store, out: string, options: ExportBundleOptions = {}): Promise<ExportBundleResult> {
  if (existsSync(out)) throw new AppError('INVALID_INPUT', `${out} already exists; a sealed bundle is never overwritten — choose another file name or remove it first`);
  const db = store.db;
  const known = new Set(store.sources().map((s) => s.name));
  const unknown = (options.sources ?? []).filter((s) => !known.has(s));
  if (unknown.length) throw new AppError('INVALID_INPUT', `unknown source(s) ${unknown.join(', ')}; this workspace has ${[...known].join(', ') || 'no sources'}`);
  const scope = options.sources?.length ? new Set(options.sources) : null;
  const inScope = (source: string | undefined): boolean => !scope || (source !== undefined && scope.has(source));

  const chosen = (db.prepare(`SELECT id, source, status, started_at, prev_id, content_hash FROM snapshots WHERE status != 'running' ORDER BY id`).all() as SnapshotRow[])
    .filter((s) => inScope(s.source) && (!options.since || s.started_at >= options.since) && (!options.until || s.started_at <= options.until));
  if (chosen.length === 0) throw new AppError('INVALID_INPUT', `no finished snapshot matches${scope ? ` sources ${[...scope].join(', ')}` : ''}${options.since ? ` since ${options.since}` : ''}${options.until ? ` until ${options.until}` : ''}; run "driftline scan" first or widen the selection`);
  const ids = new Set(chosen.map((s) => s.id));
  const snapOf = (id: number | null): number | null | undefined => (id === null ? null : ids.has(id) ? id : undefined);

  const parts = new PartSet();
  for (const r of db.prepare(`SELECT * FROM sources ORDER BY name`).iterate() as Iterable<{ name: string }>) if (inScope(r.name)) parts.add('sources', null, r);
  for (const r of db.prepare(`SELECT * FROM snapshots ORDER BY id`).iterate() as Iterable<{ id: number }>) if (ids.has(r.id)) parts.add('snapshots', null, r);
  for (const r of db.prepare(`SELECT * FROM schemas ORDER BY source, kind`).iterate() as Iterable<{ source: string }>) if (inScope(r.source)) parts.add('schemas', null, r);

  // Edges first: the nodes they touch must travel with them even when those nodes belong elsewhere.
  const neededNodes = new Set<number>();
  for (const r of db.prepare(`SELECT e.*, f.source AS from_source, t.source AS to_source FROM edges e JOIN nodes f ON f.id = e.from_id JOIN nodes t ON t.id = e.to_id ORDER BY e.id`).iterate() as Iterable<Record<string, unknown> & { from_id: number; to_id: number; last_snapshot: number | null; from_source: string; to_source: string }>) {
    const snap = snapOf(r.last_snapshot);
    if (snap === undefined || (snap === null && !inScope(r.from_source) && !inScope(r.to_source))) continue;
    const { from_source: _f, to_source: _t, ...row } = r;
    parts.add('edges', snap, row);
    neededNodes.add(r.from_id);
    neededNodes.add(r.to_id);
  }
  for (const r of db.prepare(`SELECT * FROM nodes ORDER BY id`).iterate() as Iterable<{ id: number; source: string; last_snapshot: number | null }>) {
    const snap = snapOf(r.last_snapshot);
    if (snap !== undefined && snap !== null) parts.add('nodes', snap, r);
    else if ((snap === null && inScope(r.source)) || neededNodes.has(r.id)) parts.add('nodes', null, r);
  }
  for (const r of db.prepare(`SELECT * FROM config_versions ORDER BY id`).iterate() as Iterable<{ urn: string; snapshot_id: number | null }>) {
    const snap = snapOf(r.snapshot_id);
    if (snap !== undefined && (snap !== null || inScope(urnSource(r.urn)))) parts.add('config_versions', snap, r);
  }
  for (const r of db.prepare(`SELECT c.*, v.snapshot_id AS version_snapshot FROM changes c LEFT JOIN config_versions v ON v.id = COALESCE(c.to_version, c.from_version) ORDER BY c.id`).iterate() as Iterable<Record<string, unknown> & { urn: string; version_snapshot: number | null }>) {
    const { version_snapshot, ...row } = r;
    const snap = snapOf(version_snapshot);
    if (snap !== undefined && (snap !== null || inScope(urnSource(r.urn)))) parts.add('changes', snap, row);
  }
  for (const r of db.prepare(`SELECT * FROM findings ORDER BY id`).iterate() as Iterable<{ urn: string; snapshot_id: number | null }>) {
    const snap = snapOf(r.snapshot_id);
    if (snap !== undefined && (snap !== null || inScope(urnSource(r.urn)))) parts.add('findings', snap, r);
  }

  const key = options.signingKey ?? (await loadOrCreateSigningKey());
  const tmp = `${out}.partial-${process.pid}`;
  const writer = await ContainerWriter.create(tmp);
  try {
    const manifestParts: BundlePart[] = [];
    for (const p of parts.parts()) {
      const data = p.finish();
      const sha256 = await writer.add(p.name, data);
      manifestParts.push({ name: p.name, table: p.table, snapshot: p.snapshot, rows: p.rows, bytes: data.length, rawBytes: p.rawBytes, sha256 });
    }
    const manifest: Manifest = {
      format: 'driftline-bundle',
      version: 1,
      createdAt: new Date().toISOString(),
      schemaVersion: SCHEMA_VERSION,
      workspaceId: store.workspace.id,
      scope: { sources: scope ? [...scope] : null, since: options.since ?? null, until: options.until ?? null },
      parts: manifestParts,
      snapshots: buildChain(chosen, manifestParts, (id) => db.prepare(`SELECT content_hash FROM snapshots WHERE id = ?`).pluck().get(id) as string | null | undefined),
      signer: { name: key.signer, publicKey: publicKeyDerBase64(key), fingerprint: key.fingerprint },
    };
    const manifestBytes = Buffer.from(JSON.stringify(manifest, null, 1), 'utf8');
    await writer.add(MANIFEST_ENTRY, manifestBytes);
    await writer.add(SIGNATURE_ENTRY, Buffer.from(signBytes(manifestBytes, key), 'latin1'));
    await writer.finish();
    await rename(tmp, out);
    return { path: out, snapshots: chosen.length, parts: manifestParts.length, bytes: (await stat(out)).size, manifestHash: sha256Hex(manifestBytes), signer: key.signer, fingerprint: key.fingerprint };
  } catch (err) {
    await writer.abort();
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Links each snapshot to its predecessor (prev_id) in snapshot order; see manifest.ts for the hashes. */
function buildChain(snapshots: SnapshotRow[], parts: BundlePart[], contentHashOf: (id: number) => string | null | undefined): SnapshotLink[] {
  const chains = new Map<number, string>();
  return snapshots.map((s) => {
    const own = partsHash(parts.filter((p) => p.snapshot === s.id));
    const anchored = s.prev_id !== null && !chains.has(s.prev_id);
    // A predecessor left out by `since` is not in the bundle to hash: its content hash stands in as the
    // anchor, so the link can still be checked against the bundle (or workspace) that holds it.
    const prevChainHash = s.prev_id === null ? '' : chains.get(s.prev_id) ?? `anchor:${s.prev_id}:${contentHashOf(s.prev_id) ?? ''}`;
    const hash = chainHash(prevChainHash, s.content_hash, own);
    chains.set(s.id, hash);
    return { id: s.id, source: s.source, status: s.status, startedAt: s.started_at, prevId: s.prev_id, contentHash: s.content_hash, partsHash: own, prevChainHash, chainHash: hash, anchored };
  });
}
