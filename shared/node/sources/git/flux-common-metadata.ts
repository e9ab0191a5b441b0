import { parseAllDocuments } from 'yaml';
import { isSopsMetadata } from '../../../core/drift/sops.js';

/** `spec.commonMetadata` of a Flux Kustomization: labels and annotations put on every object it applies. */
export interface FluxCommonMetadata {
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

const stringMap = (value: unknown): Record<string, string> => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
};

/** The commonMetadata of a Kustomization's spec (empty maps when it has none). */
export function readCommonMetadata(spec: Record<string, unknown>): FluxCommonMetadata {
  const common = spec.commonMetadata && typeof spec.commonMetadata === 'object' ? (spec.commonMetadata as Record<string, unknown>) : {};
  return { labels: stringMap(common.labels), annotations: stringMap(common.annotations) };
}

/**
 * What kustomize-controller does after the build and the postBuild substitution: every object's own
 * `metadata.labels` and `metadata.annotations` get the common ones, a common key overriding the
 * object's (selectors and pod templates are left alone, unlike kustomize's `commonLabels`). With
 * `decryption`, the controller decrypts SOPS files and the `sops` block is gone from what it applies;
 * here the values stay ciphertext (drift marks them unknown) and only the block is dropped.
 */
export function finishFluxObjects(text: string, common: FluxCommonMetadata, decryption: boolean): string {
  const labels = Object.entries(common.labels);
  const annotations = Object.entries(common.annotations);
  if (labels.length === 0 && annotations.length === 0 && !decryption) return text;
  const parts: string[] = [];
  // A document after the first prints its own "---": joined with one, it must not bring a second (an empty document).
  const textOf = (doc: ReturnType<typeof parseAllDocuments>[number]): string => doc.toString().replace(/^---\n/, '');
  for (const doc of parseAllDocuments(text)) {
    const obj = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown> | null;
    if (!obj || typeof obj !== 'object' || Array.isArray(obj)) {
      parts.push(textOf(doc));
      continue;
    }
    for (const [k, v] of labels) doc.setIn(['metadata', 'labels', k], v);
    for (const [k, v] of annotations) doc.setIn(['metadata', 'annotations', k], v);
    if (decryption && isSopsMetadata(obj.sops)) doc.delete('sops');
    parts.push(textOf(doc));
  }
  return parts.join('---\n');
}
