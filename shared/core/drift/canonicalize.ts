import { sha256Hex } from './sha256.js';
import { isSopsCiphertext, isSopsMetadata } from './sops.js';

/** Turns a Secret value into a hash; callers pass a keyed HMAC so that equal values can be matched but not guessed. */
export type SecretValueHasher = (value: string) => string;

/** Options of {@link canonicalizeManifest}. */
export interface CanonicalizeOptions {
  /** Hashes Secret values (base64 text of the bytes). Default: unkeyed sha256Hex, fine for tests only. */
  hashSecretValue?: SecretValueHasher;
}

/** The shape a Secret value takes after canonicalization: the value itself is never kept. */
export interface HashedSecretValue {
  $hash: string;
  /** `['sops-encrypted']` when the repository holds the value encrypted (the hash is of the ciphertext). */
  $why?: string[];
}

// Fields the API server writes on every object; they change without anyone changing the configuration.
const SERVER_METADATA_FIELDS = ['managedFields', 'resourceVersion', 'uid', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'selfLink'];
// Annotations written by tools on apply/rollout, not by the author of the manifest.
const TOOL_ANNOTATIONS = ['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function cleanMetadata(metadata: Record<string, unknown>): Record<string, unknown> {
  const cleaned: Record<string, unknown> = { ...metadata };
  for (const field of SERVER_METADATA_FIELDS) delete cleaned[field];
  if (isRecord(cleaned.annotations)) {
    const annotations: Record<string, unknown> = { ...cleaned.annotations };
    let removed = false;
    for (const key of TOOL_ANNOTATIONS) {
      if (key in annotations) {
        delete annotations[key];
        removed = true;
      }
    }
    // An annotations map that only held tool annotations was not written by the author either.
    if (removed && Object.keys(annotations).length === 0) delete cleaned.annotations;
    else cleaned.annotations = annotations;
  }
  return cleaned;
}

/** Deep copy that also cleans nested `metadata` (pod templates carry `creationTimestamp: null`). */
function cleanTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cleanTree);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    out[key] = key === 'metadata' && isRecord(member) ? cleanTree(cleanMetadata(member)) : cleanTree(member);
  }
  return out;
}

function utf8ToBase64(text: string): string {
  let binary = '';
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * Replaces Secret values by hashes. The API server merges `stringData` (plain text) into `data`
 * (base64), so both are hashed over the same base64 text and `stringData` is folded into `data`:
 * a desired Secret written with stringData then compares equal to the live one.
 */
function hashSecretValues(secret: Record<string, unknown>, hash: SecretValueHasher): Record<string, unknown> {
  const data: Record<string, unknown> = {};
  const hashed = (base64: string): HashedSecretValue => ({ $hash: hash(base64.replace(/\s+/g, '')) });
  // SOPS ciphertext is not the value: it is kept marked, so drift says "unknown" instead of comparing it.
  const encrypted = (ciphertext: string): HashedSecretValue => ({ $hash: hash(ciphertext), $why: ['sops-encrypted'] });
  if (isRecord(secret.data)) {
    for (const [key, value] of Object.entries(secret.data)) data[key] = typeof value !== 'string' ? value : isSopsCiphertext(value) ? encrypted(value) : hashed(value);
  }
  if (isRecord(secret.stringData)) {
    for (const [key, value] of Object.entries(secret.stringData)) data[key] = typeof value !== 'string' ? value : isSopsCiphertext(value) ? encrypted(value) : hashed(utf8ToBase64(value));
  }
  const out: Record<string, unknown> = { ...secret };
  delete out.stringData;
  if (isRecord(secret.data) || isRecord(secret.stringData)) out.data = data;
  return out;
}

/**
 * The comparable form of a Kubernetes object: a deep copy without `status`, server-written
 * metadata (managedFields, resourceVersion, uid, generation, timestamps, selfLink) and tool
 * annotations (last-applied-configuration, deployment revision), with Secret values replaced by
 * `{ $hash }`. Idempotent: canonicalizing twice gives the same result. Non-objects are returned as they are.
 */
export function canonicalizeManifest(manifest: unknown, options: CanonicalizeOptions = {}): unknown {
  if (!isRecord(manifest)) return manifest;
  const withoutStatus: Record<string, unknown> = { ...manifest };
  delete withoutStatus.status;
  // SOPS's own block (keys, MAC) is in the repository's file, never in the cluster's object.
  if (isSopsMetadata(withoutStatus.sops)) delete withoutStatus.sops;
  const cleaned = cleanTree(withoutStatus) as Record<string, unknown>;
  if (cleaned.kind === 'Secret') return hashSecretValues(cleaned, options.hashSecretValue ?? sha256Hex);
  return cleaned;
}
