import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGunzip } from 'node:zlib';
import { jsonTextDepth, MAX_NESTING } from '../../../core/model/nesting.js';
import { StringDecoder } from 'node:string_decoder';
import type Database from 'better-sqlite3';
import { AppError } from '../../../core/api/errors.js';
import { SCHEMA_VERSION, Store } from '../index.js';
import { bundleInvalid, DEFAULT_LIMITS, type BundleLimits, type EntryRef } from './container.js';
import { BUNDLE_TABLES, type BundlePart } from './manifest.js';
import { readManifest, verifyBundle } from './verify.js';
import type { TrustStatus } from './trust-store.js';

/** A bundle's seal as verify found it: what the studio banner, Electron, the CLI and the report show. */
export interface BundleSeal {
  /** The name the manifest claims (free text: not an identity). */
  signer: string;
  /** The signer's identity: SHA-256 of its public key. */
  fingerprint: string;
  manifestHash: string;
  /** What verifyBundle said of its integrity (hashes, chain, signature). */
  verified: boolean;
  trust: TrustStatus;
  /** The auditor's own name for the signer, when trusted. */
  trustedName: string | null;
}

export interface OpenedBundle {
  store: Store;
  bundle: BundleSeal;
}

export interface OpenBundleOptions {
  expectFingerprint?: string;
  /** Refuse a bundle whose signer is not in the trust store (BUNDLE_UNTRUSTED), instead of opening it marked untrusted. */
  requireTrusted?: boolean;
  limits?: BundleLimits;
  trustStoreFile?: string;
}

/**
 * Verifies a bundle, then materializes it into a NEW workspace file (a temp file when no path is
 * given) and opens that read-only. Refuses (BUNDLE_INVALID) a bundle that does not verify; the
 * parts are re-hashed while they are read, so a file swapped after verification is caught too.
 */
export async function openBundle(path: string, workspacePath?: string, options: OpenBundleOptions = {}): Promise<OpenedBundle> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const result = await verifyBundle(path, { expectFingerprint: options.expectFingerprint, limits, trustStoreFile: options.trustStoreFile });
  if (!result.ok) {
    throw bundleInvalid(path, `does not verify, so it was not opened:\n  ${result.problems.map((p) => p.problem).join('\n  ')}`);
  }
  if (options.requireTrusted && result.trust !== 'trusted') {
    throw new AppError('BUNDLE_UNTRUSTED', `${path}: intact, but signed by key ${result.fingerprint} (claiming to be "${result.signer}"), which is not in your trust store — check the fingerprint with the signer, then run "driftline snapshot trust add ${result.fingerprint} --name <who>"`);
  }
  const { manifest, entries } = await readManifest(path, limits);
  if (manifest.schemaVersion > SCHEMA_VERSION) {
    throw bundleInvalid(path, `was written with workspace schema ${manifest.schemaVersion}; this Driftline knows ${SCHEMA_VERSION}. Update Driftline to open it.`);
  }
  // Declared sizes (per part and in total) were checked by readManifest, before verify hashed anything.

  const target = workspacePath ?? join(tmpdir(), `driftline-bundle-${result.manifestHash.slice(0, 12)}-${randomBytes(4).toString('hex')}.driftline`);
  if (existsSync(target)) throw new AppError('INVALID_INPUT', `${target} already exists; opening a bundle always makes a new workspace — choose another path`);

  const byName = new Map(entries.map((e) => [e.name, e]));
  const order = [...manifest.parts].sort((a, b) => BUNDLE_TABLES.indexOf(a.table) - BUNDLE_TABLES.indexOf(b.table));
  const writable = Store.open(target, { create: true });
  try {
    const db = writable.db;
    // Rows keep their ids, so edges and findings still point at the right nodes and snapshots.
    db.pragma('foreign_keys = OFF');
    db.exec('BEGIN');
    try {
      for (const part of order) await restorePart(db, path, part, byName.get(part.name)!, limits);
      const meta = db.prepare(`INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)`);
      meta.run('bundle_manifest_hash', result.manifestHash);
      meta.run('bundle_signer', result.signer);
      meta.run('bundle_fingerprint', result.fingerprint);
      // What verify said, and when: the studio and the report show this, never a constant.
      meta.run('bundle_verified', result.ok ? 'ok' : 'failed');
      meta.run('bundle_verified_at', new Date().toISOString());
      meta.run('bundle_source_workspace', manifest.workspaceId);
      writable.graph.refreshDerived();
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
    // A rollback-journal file is self-contained, so the read-only open needs no -wal/-shm beside it.
    db.pragma('journal_mode = DELETE');
    writable.close();
  } catch (err) {
    writable.close();
    await Promise.all(['', '-wal', '-shm', '-journal'].map((s) => rm(target + s, { force: true })));
    throw err;
  }
  return {
    store: Store.open(target, { readOnly: true }),
    bundle: { signer: result.signer, fingerprint: result.fingerprint, manifestHash: result.manifestHash, verified: result.ok, trust: result.trust, trustedName: result.trustedName },
  };
}

/** Nesting a stored JSON column may have: a captured object (at most MAX_NESTING) inside the record that holds it. */
const MAX_ROW_NESTING = 2 * MAX_NESTING;

/**
 * Streams one part: compressed bytes are hashed and inflated with a hard cap (the size the manifest
 * declares, itself capped), so a gzip bomb stops after a few KB past its claim; each NDJSON line is
 * size-capped, parsed, and inserted through a fixed column list (keys from the file never reach SQL).
 */
async function restorePart(db: Database.Database, path: string, part: BundlePart, entry: EntryRef, limits: BundleLimits): Promise<void> {
  const columns = (db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(part.table) as string[]);
  const allowed = new Set(columns);
  const cap = Math.min(part.rawBytes, limits.maxRawPartBytes);
  const hash = createHash('sha256');
  const source = createReadStream(path, { start: entry.offset, end: entry.offset + entry.size - 1, highWaterMark: 2 ** 20 });
  source.on('data', (chunk) => hash.update(chunk));
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  source.pipe(gunzip);
  source.on('error', (err) => gunzip.destroy(err));

  const statements = new Map<string, Database.Statement>();
  let inflated = 0;
  // The unfinished row, as pieces: joined only once its newline arrives, so a long row costs its
  // length once, not once per chunk (a 32 MiB row took 5 s that way, a 2 GiB one minutes).
  let pending: string[] = [];
  let pendingBytes = 0;
  // Chunks can split a multi-byte character; the decoder keeps the partial bytes for the next one.
  const decoder = new StringDecoder('utf8');
  let rows = 0;
  const insertLine = (line: string): void => {
    if (line === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw bundleInvalid(path, `part ${part.name}: row ${rows + 1} is not valid JSON`);
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw bundleInvalid(path, `part ${part.name}: row ${rows + 1} is not an object`);
    const keys = Object.keys(row);
    for (const k of keys) {
      if (!allowed.has(k)) throw bundleInvalid(path, `part ${part.name}: row ${rows + 1} has an unknown column "${k.slice(0, 40)}"`);
      const v = (row as Record<string, unknown>)[k];
      if (v !== null && typeof v !== 'string' && typeof v !== 'number') throw bundleInvalid(path, `part ${part.name}: row ${rows + 1} column ${k} is not a string, number or null`);
      // JSON kept as text (props, PII verdicts, config values) is parsed and re-serialized when the
      // workspace is read: nesting no real row has would overflow the stack there, so it stops here.
      if (typeof v === 'string' && (v.startsWith('{') || v.startsWith('[')) && jsonTextDepth(v, MAX_ROW_NESTING) > MAX_ROW_NESTING) {
        throw bundleInvalid(path, `part ${part.name}: row ${rows + 1} column ${k} holds JSON nested deeper than ${MAX_ROW_NESTING} levels; refused`);
      }
    }
    const sig = keys.join(',');
    let stmt = statements.get(sig);
    if (!stmt) {
      stmt = db.prepare(`INSERT INTO ${part.table} (${keys.map((k) => `"${k}"`).join(', ')}) VALUES (${keys.map(() => '?').join(', ')})`);
      statements.set(sig, stmt);
    }
    try {
      stmt.run(...keys.map((k) => (row as Record<string, string | number | null>)[k]));
    } catch (err) {
      throw bundleInvalid(path, `part ${part.name}: row ${rows + 1} cannot be restored (${(err as Error).message})`, err);
    }
    rows++;
  };

  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      inflated += chunk.length;
      if (inflated > cap) {
        throw bundleInvalid(path, `part ${part.name} inflates past the ${cap} bytes the manifest declares; refused (possible decompression bomb)`);
      }
      const text = decoder.write(chunk);
      let from = 0;
      for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', from)) {
        pending.push(text.slice(from, nl));
        insertLine(pending.join(''));
        pending = [];
        pendingBytes = 0;
        from = nl + 1;
      }
      pending.push(text.slice(from));
      pendingBytes += text.length - from;
      if (pendingBytes > limits.maxLineBytes) throw bundleInvalid(path, `part ${part.name}: row ${rows + 1} is longer than ${limits.maxLineBytes} bytes; refused`);
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw bundleInvalid(path, `part ${part.name} cannot be decompressed (${(err as Error).message})`, err);
  } finally {
    source.destroy();
    gunzip.destroy();
  }
  insertLine(pending.join('') + decoder.end());
  if (hash.digest('hex') !== part.sha256) throw bundleInvalid(path, `part ${part.name} changed after it was verified; copy the bundle again`);
  if (rows !== part.rows) throw bundleInvalid(path, `part ${part.name}: ${rows} rows, the manifest says ${part.rows}`);
}
