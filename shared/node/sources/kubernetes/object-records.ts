import type { CaptureRecord } from '../source.js';
import { k8sUrn } from '../../../core/model/urn.js';
import { AppError } from '../../../core/api/errors.js';
import { isClusterScoped, nodeKindFor } from './kinds.js';
import { protectValues } from './secret-values.js';
import { workloadReferenceEdges } from './workload-refs.js';
import { authorOf, lastManagedWrite, messageOf, type ChangeAuthors } from './change-authors.js';
import { MAX_NESTING, valueDepth } from '../../../core/model/nesting.js';

/**
 * Refuses an object nested deeper than any real one (AppError SOURCE_BAD_DATA, so it fails as its
 * own item): everything after a source (canonicalization, hashing, patches) walks objects
 * recursively, and a 100 000-level object would overflow its stack and lose the whole batch.
 */
export function assertShallow(obj: unknown, what: string): void {
  if (valueDepth(obj, MAX_NESTING) > MAX_NESTING) throw new AppError('SOURCE_BAD_DATA', `${what}: nested deeper than ${MAX_NESTING} levels (no Kubernetes object does) — refused`);
}

export interface ObjectRecordOptions {
  source: string;
  region: string;
  fingerprint(value: string): string;
  /** Audit-log entries and Events that name who wrote an object (see change-authors.ts). */
  authors?: ChangeAuthors;
}

/**
 * Turns captured Kubernetes objects (live or from a dump) into records: a node, a config version
 * (origin 'live'; Secret values hashed, sensitive config values hidden: secret-values.ts), a `contains` edge from its namespace, workload reference
 * edges, and schema records for CRDs. Remembers namespaces so that the ones only seen as
 * `metadata.namespace` still get a node (`finish()`), and CRD scopes so custom kinds default right.
 */
export class ObjectRecordBuilder {
  private readonly namespacesSeen = new Set<string>();
  private readonly namespacesYielded = new Set<string>();
  private readonly clusterScopedCustomKinds = new Set<string>();

  constructor(private readonly opts: ObjectRecordOptions) {}

  /** The namespace an object lives in: "default" for a namespaced object without one (as kubectl apply assumes). */
  namespaceOf(obj: any): string | undefined {
    if (isClusterScoped(String(obj.kind), this.clusterScopedCustomKinds)) return undefined;
    return obj.metadata?.namespace || 'default';
  }

  /** Records for one object. Throws AppError('SOURCE_BAD_DATA') for an object without kind or name. */
  *records(raw: any): Generator<CaptureRecord> {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new AppError('SOURCE_BAD_DATA', 'not a Kubernetes object (expected a mapping with apiVersion, kind and metadata)');
    if (typeof raw.kind !== 'string' || raw.kind === '') throw new AppError('SOURCE_BAD_DATA', 'object has no kind — every Kubernetes object needs apiVersion and kind');
    const name = raw.metadata?.name;
    if (typeof name !== 'string' || name === '') throw new AppError('SOURCE_BAD_DATA', `${raw.kind} has no metadata.name`);
    assertShallow(raw, `${raw.kind} ${name}`);
    const { source, region } = this.opts;
    if (raw.kind === 'CustomResourceDefinition' && raw.spec?.scope === 'Cluster' && raw.spec?.names?.kind) this.clusterScopedCustomKinds.add(raw.spec.names.kind);

    const namespace = this.namespaceOf(raw);
    const content = protectValues(raw, this.opts.fingerprint);
    const urn = k8sUrn(source, namespace, raw.kind, name);
    const nsUrn = namespace ? k8sUrn(source, undefined, 'Namespace', namespace) : undefined;
    if (raw.kind === 'Namespace') this.namespacesYielded.add(name);
    if (namespace) this.namespacesSeen.add(namespace);

    yield {
      type: 'node',
      node: {
        urn, kind: nodeKindFor(raw.kind), name, source, region, parent: nsUrn,
        props: { apiVersion: raw.apiVersion, kind: raw.kind, namespace, labels: raw.metadata?.labels ?? {} },
      },
    };
    const write = this.opts.authors ? this.opts.authors.lastWrite(raw) : lastManagedWrite(raw);
    yield { type: 'config', urn, content, origin: 'live', ...(write ? { author: authorOf(write), time: write.time, message: messageOf(write) } : {}) };
    if (nsUrn) yield { type: 'edge', edge: { from: nsUrn, to: urn, kind: 'contains', confidence: 1, evidence: { rule: 'k8s.namespace', detail: `metadata.namespace: ${namespace}` } } };
    for (const edge of workloadReferenceEdges(source, { ...raw, metadata: { ...raw.metadata, namespace } }, urn)) yield { type: 'edge', edge };
    if (raw.kind === 'CustomResourceDefinition') yield* crdSchemaRecords(raw);
  }

  /** Nodes for namespaces that objects live in but that were not captured themselves (e.g. listing them was forbidden). */
  *finish(): Generator<CaptureRecord> {
    const { source, region } = this.opts;
    for (const ns of this.namespacesSeen) {
      if (this.namespacesYielded.has(ns)) continue;
      this.namespacesYielded.add(ns);
      yield { type: 'node', node: { urn: k8sUrn(source, undefined, 'Namespace', ns), kind: 'k8s-object', name: ns, source, region, props: { apiVersion: 'v1', kind: 'Namespace', inferred: true } } };
    }
  }
}

/**
 * A CRD carries the schema of its custom resources (spec.versions[].schema.openAPIV3Schema,
 * https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#specifying-a-structural-schema).
 * We keep the storage version's (else the first served one) under the custom kind's name.
 */
export function* crdSchemaRecords(crd: any): Generator<CaptureRecord> {
  const versions: any[] = Array.isArray(crd.spec?.versions) ? crd.spec.versions : [];
  const chosen = versions.find((v) => v?.storage && v?.schema?.openAPIV3Schema) ?? versions.find((v) => v?.served !== false && v?.schema?.openAPIV3Schema);
  const kind = crd.spec?.names?.kind;
  if (!chosen || typeof kind !== 'string') return;
  yield {
    type: 'schema',
    kind,
    schema: { ...chosen.schema.openAPIV3Schema, 'x-kubernetes-group-version-kind': [{ group: crd.spec.group, version: chosen.name, kind }] },
  };
}
