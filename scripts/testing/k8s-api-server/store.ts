import { randomUUID } from 'node:crypto';
import { BUILTIN_RESOURCES, groupVersionOf, resourcesFromCrd, type ServedResource } from './resources.js';

/** A Kubernetes object as JSON. */
export type K8sObject = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; resourceVersion?: string; [k: string]: unknown }; [k: string]: unknown };

export interface WatchEvent {
  rv: number;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resourceKey: string;
  object: K8sObject;
}

export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export const resourceKey = (res: Pick<ServedResource, 'group' | 'plural'>): string => `${res.group}/${res.plural}`;
const objectKey = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;
const groupOf = (apiVersion: string): string => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');

/**
 * The server's state: objects per resource, one global resourceVersion counter (as etcd's revision),
 * an event history for watches, and a compaction mark below which continue tokens and watch
 * resourceVersions are "too old" (410 Gone), as after etcd compaction.
 */
export class ObjectStore {
  private readonly byResource = new Map<string, Map<string, K8sObject>>();
  private readonly history: WatchEvent[] = [];
  private readonly listeners = new Set<(e: WatchEvent) => void>();
  private rv = 1000;
  compactedRv = 0;

  constructor(private readonly defaultNamespace = 'default') {}

  get currentRv(): number {
    return this.rv;
  }

  /** Every resource served now: the built-ins plus those of the CRDs in the store. */
  resources(): ServedResource[] {
    const crds = [...(this.byResource.get('apiextensions.k8s.io/customresourcedefinitions')?.values() ?? [])];
    return [...BUILTIN_RESOURCES, ...crds.flatMap(resourcesFromCrd)];
  }

  resourceFor(apiVersion: string, kind: string): ServedResource | undefined {
    const group = groupOf(apiVersion);
    return this.resources().find((r) => r.group === group && r.kind === kind);
  }

  onEvent(listener: (e: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Objects of one resource (all versions share storage), sorted by namespace/name as etcd keys are. */
  list(res: ServedResource, namespace?: string): K8sObject[] {
    const all = [...(this.byResource.get(resourceKey(res))?.entries() ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return all.map(([, o]) => o).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
  }

  get(res: ServedResource, namespace: string | undefined, name: string): K8sObject | undefined {
    return this.byResource.get(resourceKey(res))?.get(objectKey(res.namespaced ? namespace : undefined, name));
  }

  eventsSince(rv: number): WatchEvent[] {
    return this.history.filter((e) => e.rv > rv);
  }

  add(input: unknown): K8sObject {
    const { res, obj } = this.prepare(input);
    const map = this.mapFor(res);
    const key = objectKey(obj.metadata.namespace, obj.metadata.name);
    if (map.has(key)) throw new Error(`${res.plural} "${obj.metadata.name}" already exists — use updateObject`);
    if (res.namespaced && !this.get(this.resourceFor('v1', 'Namespace')!, undefined, obj.metadata.namespace!)) {
      // A real cluster has the namespace before anything is created in it; seeds from plain manifests
      // rarely carry Namespace objects, so create it as `kubectl create namespace` would.
      this.add({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: obj.metadata.namespace } });
    }
    obj.metadata.uid ??= randomUUID();
    obj.metadata.creationTimestamp ??= new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (obj.spec !== undefined) obj.metadata.generation ??= 1;
    if (res.kind === 'Namespace') obj.status ??= { phase: 'Active' };
    return this.commit(map, key, obj, res, 'ADDED');
  }

  update(input: unknown): K8sObject {
    const { res, obj } = this.prepare(input);
    const map = this.mapFor(res);
    const key = objectKey(obj.metadata.namespace, obj.metadata.name);
    const old = map.get(key);
    if (!old) throw new Error(`${res.plural} "${obj.metadata.name}" not found — use addObject`);
    obj.metadata.uid = old.metadata.uid;
    obj.metadata.creationTimestamp = old.metadata.creationTimestamp;
    if (obj.spec !== undefined) obj.metadata.generation = Number(old.metadata.generation ?? 1) + 1;
    return this.commit(map, key, obj, res, 'MODIFIED');
  }

  delete(ref: ObjectRef): K8sObject {
    const res = this.resourceFor(ref.apiVersion, ref.kind);
    if (!res) throw new Error(`no resource serves ${ref.apiVersion} ${ref.kind}`);
    const map = this.mapFor(res);
    const key = objectKey(res.namespaced ? ref.namespace ?? this.defaultNamespace : undefined, ref.name);
    const old = map.get(key);
    if (!old) throw new Error(`${res.plural} "${ref.name}" not found`);
    map.delete(key);
    this.rv += 1;
    const gone = structuredClone(old);
    gone.metadata.resourceVersion = String(this.rv);
    this.emit({ rv: this.rv, type: 'DELETED', resourceKey: resourceKey(res), object: gone });
    return gone;
  }

  /**
   * Forgets history up to now, as etcd compaction does: every continue token and watch
   * resourceVersion issued so far gets 410 Gone. Modelled as one more revision being written and
   * compacted, so that even tokens carrying the current revision expire.
   */
  compact(): void {
    this.rv += 1;
    this.compactedRv = this.rv;
    this.history.splice(0, this.history.length);
  }

  private prepare(input: unknown): { res: ServedResource; obj: K8sObject } {
    const obj = structuredClone(input) as K8sObject;
    if (!obj || typeof obj !== 'object' || typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof obj.metadata?.name !== 'string') {
      throw new Error('an object needs apiVersion, kind and metadata.name');
    }
    const res = this.resourceFor(obj.apiVersion, obj.kind);
    if (!res) throw new Error(`no resource serves ${obj.apiVersion} ${obj.kind} — add its CustomResourceDefinition first`);
    if (res.namespaced) obj.metadata.namespace ??= this.defaultNamespace;
    else delete obj.metadata.namespace;
    return { res, obj };
  }

  private mapFor(res: ServedResource): Map<string, K8sObject> {
    const key = resourceKey(res);
    let map = this.byResource.get(key);
    if (!map) this.byResource.set(key, (map = new Map()));
    return map;
  }

  private commit(map: Map<string, K8sObject>, key: string, obj: K8sObject, res: ServedResource, type: WatchEvent['type']): K8sObject {
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    map.set(key, obj);
    this.emit({ rv: this.rv, type, resourceKey: resourceKey(res), object: structuredClone(obj) });
    return obj;
  }

  private emit(e: WatchEvent): void {
    this.history.push(e);
    for (const l of this.listeners) l(e);
  }
}

export { groupVersionOf };
