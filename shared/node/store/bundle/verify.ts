import { bundleInvalid, DEFAULT_LIMITS, hashEntry, MANIFEST_ENTRY, readEntry, readEntryTable, sha256Hex, SIGNATURE_ENTRY, type BundleLimits, type EntryRef } from './container.js';
import { chainHash, manifestSchema, partsHash, type Manifest } from './manifest.js';
import { normalizeFingerprint, publicKeyFingerprint, verifyBytes } from './signing.js';
import { createPublicKey } from 'node:crypto';
import { trustStatus, type TrustStatus } from './trust-store.js';

export interface VerifyProblem {
  part?: string;
  snapshot?: number;
  problem: string;
}

export interface VerifyResult {
  /** Integrity: every hash, the chain and the signature hold (and the expected signer, when one was given). */
  ok: boolean;
  /** broken (ok is false), untrusted (intact, but the key is not in the local trust store) or trusted. */
  trust: TrustStatus;
  /** The auditor's name for the signer when trusted; `signer` is only what the manifest claims. */
  trustedName: string | null;
  signer: string;
  fingerprint: string;
  manifestHash: string;
  snapshots: number;
  problems: VerifyProblem[];
}

export interface VerifyOptions {
  /** The fingerprint the signer's key must have (from the auditor, out of band). */
  expectFingerprint?: string;
  limits?: BundleLimits;
  /** The trust store to judge the signer by (default: the user's, see trust-store.ts). */
  trustStoreFile?: string;
}

const short = (h: string): string => `${h.slice(0, 12)}…`;

/** The manifest as read and parsed, with the entry table; for openBundle and tests. */
export interface ReadManifest {
  entries: EntryRef[];
  manifest: Manifest;
  manifestBytes: Buffer;
  signature: string;
}

/** Reads and parses the manifest; structural damage throws AppError('BUNDLE_INVALID'). */
export async function readManifest(path: string, limits: BundleLimits = DEFAULT_LIMITS): Promise<ReadManifest> {
  const entries = await readEntryTable(path, limits);
  const manifestRef = entries.find((e) => e.name === MANIFEST_ENTRY)!;
  const sigRef = entries.find((e) => e.name === SIGNATURE_ENTRY)!;
  const manifestBytes = await readEntry(path, manifestRef);
  let json: unknown;
  try {
    json = JSON.parse(manifestBytes.toString('utf8'));
  } catch (err) {
    throw bundleInvalid(path, `the manifest is not valid JSON (${(err as Error).message}); the bundle was altered or damaged`, err);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw bundleInvalid(path, `the manifest does not have the expected shape (${issue.path.join('.') || '(root)'}: ${issue.message}); it was altered or written by a newer Driftline`);
  }
  if (parsed.data.parts.length > limits.maxEntries) throw bundleInvalid(path, `the manifest lists ${parsed.data.parts.length} parts, over the limit of ${limits.maxEntries}`);
  // Declared sizes are checked before any part is hashed or inflated: a bundle that admits to being
  // too big is refused at once, not after minutes of work (one that lies is stopped at its claim).
  const rawTotal = parsed.data.parts.reduce((n, p) => n + p.rawBytes, 0);
  if (rawTotal > limits.maxRawTotalBytes) throw bundleInvalid(path, `declares ${rawTotal} bytes of data once decompressed, over the limit of ${limits.maxRawTotalBytes}`);
  const tooBig = parsed.data.parts.find((p) => p.rawBytes > limits.maxRawPartBytes);
  if (tooBig) throw bundleInvalid(path, `part ${tooBig.name} declares ${tooBig.rawBytes} bytes decompressed, over the limit of ${limits.maxRawPartBytes}`);
  return { entries, manifest: parsed.data, manifestBytes, signature: (await readEntry(path, sigRef)).toString('latin1') };
}

/**
 * Checks a bundle end to end and says exactly what does not match: every part's SHA-256 against the
 * manifest, parts missing or unlisted, the hash chain of snapshots, the signature, and (optionally)
 * who signed. Problems are values; only a bundle too damaged to read a manifest from throws.
 */
export async function verifyBundle(path: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const { entries, manifest, manifestBytes, signature } = await readManifest(path, options.limits);
  const problems: VerifyProblem[] = [];

  // Signature: the manifest (which holds every part hash) must be signed by the key it names.
  if (!verifyBytes(manifestBytes, signature, manifest.signer.publicKey)) {
    problems.push({ problem: 'signature does not verify with the key in the manifest: the manifest was changed after signing, or signed by another key' });
  }
  let keyFingerprint = '';
  try {
    keyFingerprint = publicKeyFingerprint(createPublicKey({ key: Buffer.from(manifest.signer.publicKey, 'base64'), format: 'der', type: 'spki' }));
  } catch {
    problems.push({ problem: 'the public key in the manifest is not a valid key' });
  }
  if (keyFingerprint && keyFingerprint !== manifest.signer.fingerprint) {
    problems.push({ problem: `the fingerprint in the manifest (${short(manifest.signer.fingerprint)}) is not that of its public key (${short(keyFingerprint)})` });
  }
  if (options.expectFingerprint !== undefined) {
    const expected = normalizeFingerprint(options.expectFingerprint);
    if (expected !== keyFingerprint) {
      problems.push({ problem: `manifest was re-signed by a key other than ${expected}: it is signed by "${manifest.signer.name}" with key ${keyFingerprint || manifest.signer.fingerprint}` });
    }
  }

  // Parts: present, listed, and byte for byte what the manifest says.
  const byName = new Map(entries.map((e) => [e.name, e]));
  const listed = new Set<string>();
  for (const part of manifest.parts) {
    if (listed.has(part.name)) { problems.push({ part: part.name, problem: `part ${part.name}: listed twice in the manifest` }); continue; }
    listed.add(part.name);
    const entry = byName.get(part.name);
    if (!entry) { problems.push({ part: part.name, problem: `part ${part.name}: listed in the manifest but missing from the bundle` }); continue; }
    if (entry.size !== part.bytes) problems.push({ part: part.name, problem: `part ${part.name}: ${entry.size} bytes, the manifest says ${part.bytes}` });
    const found = await hashEntry(path, entry);
    if (found !== part.sha256) problems.push({ part: part.name, problem: `part ${part.name}: SHA-256 differs from the manifest (expected ${short(part.sha256)}, found ${short(found)})` });
  }
  for (const e of entries) {
    if (e.name !== MANIFEST_ENTRY && e.name !== SIGNATURE_ENTRY && !listed.has(e.name)) problems.push({ part: e.name, problem: `part ${e.name}: in the bundle but not listed in the manifest` });
  }

  problems.push(...checkChain(manifest));
  const fingerprint = keyFingerprint || manifest.signer.fingerprint;
  return {
    ok: problems.length === 0,
    ...trustStatus(problems.length === 0, fingerprint, options.trustStoreFile),
    signer: manifest.signer.name,
    fingerprint,
    manifestHash: sha256Hex(manifestBytes),
    snapshots: manifest.snapshots.length,
    problems,
  };
}

/** Recomputes the chain from the manifest: each link's parts hash, its predecessor, its chain hash. */
export function checkChain(manifest: Manifest): VerifyProblem[] {
  const problems: VerifyProblem[] = [];
  const links = new Map(manifest.snapshots.map((s) => [s.id, s]));
  for (const s of manifest.snapshots) {
    const own = partsHash(manifest.parts.filter((p) => p.snapshot === s.id));
    if (own !== s.partsHash) problems.push({ snapshot: s.id, problem: `snapshot ${s.id}: its parts differ from the ones it was sealed with (parts hash ${short(s.partsHash)} expected, ${short(own)} found)` });
    if (s.prevId !== null) {
      const prev = links.get(s.prevId);
      if (prev) {
        if (s.anchored || s.prevChainHash !== prev.chainHash) problems.push({ snapshot: s.id, problem: `snapshot ${s.id}: chain broken — it does not link to the chain hash of its predecessor ${s.prevId}` });
      } else if (!s.anchored || manifest.scope.since === null) {
        // Only an export with `since` may leave out a predecessor, and it says so in the signed scope.
        problems.push({ snapshot: s.id, problem: `snapshot ${s.id}: chain broken — its predecessor ${s.prevId} is missing` });
      }
    } else if (s.prevChainHash !== '') {
      problems.push({ snapshot: s.id, problem: `snapshot ${s.id}: chain broken — it has no predecessor but links to ${short(s.prevChainHash)}` });
    }
    if (chainHash(s.prevChainHash, s.contentHash, own) !== s.chainHash) {
      problems.push({ snapshot: s.id, problem: `snapshot ${s.id}: chain hash does not match its content hash and parts` });
    }
  }
  for (const p of manifest.parts) {
    if (p.snapshot !== null && !links.has(p.snapshot)) problems.push({ part: p.name, snapshot: p.snapshot, problem: `part ${p.name}: belongs to snapshot ${p.snapshot}, which is not in the manifest` });
  }
  return problems;
}
