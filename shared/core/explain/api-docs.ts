/**
 * The offline Kubernetes API reference (resources/explain/k8s-api-docs.json, generated from the
 * official zh-CN reference pages by scripts/explain/build-k8s-api-docs.ts): every core kind's
 * fields in English and Chinese, so `explain` works on a dump with no OpenAPI captured.
 */

/** One field of a type, with the official English and its official Chinese translation. */
export interface ApiDocField {
  name: string;
  /** As the reference writes it: `string`, `[]Container`, `map[string]string`, `IntOrString`. */
  type?: string;
  /** The id of the field's type in `types`, when it has fields or a description of its own. */
  ref?: string;
  required: boolean;
  /** A constant value (`apiVersion: apps/v1`). */
  fixed?: string;
  en?: string;
  zh?: string;
}

/** A type of the reference: a kind, a spec, or a type described inline (DeploymentStrategy). */
export interface ApiDocType {
  /** "<page>#<name>", e.g. "workload-resources/deployment-v1#DeploymentSpec". */
  id: string;
  name: string;
  page: string;
  description: { en?: string; zh?: string };
  fields: ApiDocField[];
}

export interface ApiDocResource {
  source: { title: string; url: string; license: string; authors: string; pages: number; note: string };
  /** "apps/v1/Deployment" → its type. */
  kinds: Record<string, { apiVersion: string; kind: string; type: string }>;
  types: Record<string, ApiDocType>;
}

/** The kind entry for a kind name (any case, optionally "group/version/Kind"), preferring GA and the highest version. */
export function findKind(docs: ApiDocResource, kind: string): ApiDocResource['kinds'][string] | undefined {
  if (docs.kinds[kind]) return docs.kinds[kind];
  const wanted = kind.toLowerCase();
  const matches = Object.values(docs.kinds).filter((k) => k.kind.toLowerCase() === wanted);
  const version = (apiVersion: string) => Number(/v(\d+)$/.exec(apiVersion)?.[1] ?? 0);
  return matches.sort((a, b) => version(b.apiVersion) - version(a.apiVersion))[0];
}

/** The field at a dotted path below a type, with the type it belongs to. Throws a message naming the unknown step. */
export function walkApiDocs(docs: ApiDocResource, typeId: string, path: string, kindLabel: string): { type: ApiDocType; field?: ApiDocField; fieldType?: ApiDocType } {
  let type = docs.types[typeId];
  if (!type) throw new Error(`${kindLabel}: the offline reference has no type ${typeId}`);
  const steps = path.split('.').map((s) => s.trim()).filter(Boolean);
  let field: ApiDocField | undefined;
  const walked: string[] = [];
  for (const [i, step] of steps.entries()) {
    const next = type.fields.find((f) => f.name === step);
    if (!next) {
      const known = type.fields.map((f) => f.name).sort();
      throw new Error(`${kindLabel}: field "${[...walked, step].join('.')}" does not exist${known.length ? `; fields here: ${known.join(', ')}` : ''}`);
    }
    walked.push(step);
    field = next;
    if (i < steps.length - 1) {
      if (!next.ref || !docs.types[next.ref]) throw new Error(`${kindLabel}: "${walked.join('.')}" (${next.type ?? '?'}) has no fields below it`);
      type = docs.types[next.ref];
    }
  }
  return { type, field, fieldType: field?.ref ? docs.types[field.ref] : undefined };
}
