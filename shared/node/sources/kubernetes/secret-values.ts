import { hideConfigValues } from '../../../core/drift/config-values.js';
import { isSopsCiphertext } from '../../../core/drift/sops.js';

/**
 * Secret values never leave the source raw (DESIGN.md "Sources" and "Drift": compared by hash, never
 * stored). Each value is replaced by `{ "$hash": fingerprint(value) }`.
 */
export interface HashedValue {
  $hash: string;
  /** `['sops-encrypted']` for a value the repository holds encrypted with SOPS: its hash is of the ciphertext. */
  $why?: string[];
}

/** kubectl apply copies the whole manifest — Secret values included — into this annotation. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * `data` holds base64; `stringData` (in manifests) holds the same values in plain text. Hashing the
 * decoded text makes both forms of one value hash alike, so git desired state and live state compare.
 * Binary values that are not valid UTF-8 are hashed in their base64 form.
 */
function decodedOrRaw(base64: string): string {
  const bytes = Buffer.from(base64, 'base64');
  const text = bytes.toString('utf8');
  return Buffer.from(text, 'utf8').equals(bytes) ? text : `base64:${base64}`;
}

const hashMap = (values: unknown, fingerprint: (v: string) => string, decode: boolean): Record<string, HashedValue> | unknown => {
  if (!values || typeof values !== 'object' || Array.isArray(values)) return values;
  const out: Record<string, HashedValue> = {};
  for (const [key, v] of Object.entries(values)) {
    // Ciphertext is not the value: marked, so drift says "unknown" instead of comparing it with the cluster's.
    if (isSopsCiphertext(v)) out[key] = { $hash: fingerprint(v), $why: ['sops-encrypted'] };
    else out[key] = { $hash: fingerprint(decode ? decodedOrRaw(String(v ?? '')) : String(v ?? '')) };
  }
  return out;
};

/** True for a core/v1 Secret. */
export const isSecret = (obj: { apiVersion?: unknown; kind?: unknown }): boolean => obj.kind === 'Secret' && (obj.apiVersion === 'v1' || obj.apiVersion === undefined);

/** A copy of a Secret with every value (data, stringData, the last-applied annotation) replaced by its hash. */
export function hideSecretValues<T extends Record<string, any>>(secret: T, fingerprint: (value: string) => string): T {
  const copy: Record<string, any> = { ...secret };
  if ('data' in copy) copy.data = hashMap(copy.data, fingerprint, true);
  if ('stringData' in copy) copy.stringData = hashMap(copy.stringData, fingerprint, false);
  const annotations = copy.metadata?.annotations;
  if (annotations && typeof annotations === 'object' && LAST_APPLIED in annotations) {
    copy.metadata = { ...copy.metadata, annotations: { ...annotations, [LAST_APPLIED]: { $hash: fingerprint(String(annotations[LAST_APPLIED])) } } };
  }
  return copy as T;
}

/**
 * The one value policy both the kubernetes source (live, dumps) and the git source (desired state)
 * apply to every object before it leaves the source: every value of a Secret is hashed; any other
 * object keeps its configuration but loses the values that hold PII or look like credentials
 * (core/drift/config-values.ts). Same function, same workspace key: desired and live still compare.
 */
export function protectValues<T>(obj: T, fingerprint: (value: string) => string): T {
  if (obj && typeof obj === 'object' && !Array.isArray(obj) && isSecret(obj as { kind?: unknown })) return hideSecretValues(obj as Record<string, any>, fingerprint) as T;
  return hideConfigValues(obj, fingerprint);
}
