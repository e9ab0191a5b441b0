import { AppError } from '../../../core/api/errors.js';
import { diffDesiredLive, isDriftDifference, type DriftItem } from '../../../core/drift/diff-desired-live.js';
import { compareClusterRbac, resolveEffectivePermissions, type RbacComparison, type RbacRight, type RbacSubject } from '../../../core/drift/rbac.js';
import type { Finding, Severity } from '../../../core/model/finding.js';
import { k8sUrn, parseUrn } from '../../../core/model/urn.js';
import type { ConfigVersion, SnapshotInfo, Store, StoredSource } from '../../store/index.js';
import { defineAnalyzer } from './analyzer.js';
import { driftSeverity, newestCompleteSnapshot, objectLabel, valuePhrase } from './drift.js';
import { phrase, spokenEvidence } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';

/*
 * Cluster vs cluster (DESIGN.md "Drift"): clusters meant to run the same thing (prod-cn and
 * prod-eu) are compared on their newest complete snapshots — same-named objects field by field,
 * and RBAC by the effective rights of every subject.
 */

type DriftFinding = Extract<Finding, { type: 'drift' }>;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// ---------------------------------------------------------------------------------------------
// Which clusters should agree.

/** The name before the last '-': prod-cn and prod-eu are both "prod". */
const familyOf = (name: string): string | undefined => (name.lastIndexOf('-') > 0 ? name.slice(0, name.lastIndexOf('-')) : undefined);

const peersOf = (source: Pick<StoredSource, 'config'>): string[] | undefined =>
  Array.isArray(source.config.peers) ? source.config.peers.filter((peer): peer is string => typeof peer === 'string') : undefined;

/**
 * Pairs of kubernetes sources to compare, each pair once with names in order. A source that lists
 * `peers` is paired with exactly those (either side listing the other is enough); sources that list
 * none are paired by name family (prod-cn with prod-eu), the usual way regional twins are named.
 */
export function peerPairs(sources: readonly Pick<StoredSource, 'name' | 'kind' | 'config'>[]): [string, string][] {
  const clusters = sources.filter((source) => source.kind === 'kubernetes').sort((a, b) => a.name.localeCompare(b.name));
  const pairs: [string, string][] = [];
  for (let i = 0; i < clusters.length; i++) {
    for (let j = i + 1; j < clusters.length; j++) {
      const [a, b] = [clusters[i], clusters[j]];
      const peersA = peersOf(a);
      const peersB = peersOf(b);
      const declared = (peersA?.includes(b.name) ?? false) || (peersB?.includes(a.name) ?? false);
      const family = familyOf(a.name);
      const sameFamily = peersA === undefined && peersB === undefined && family !== undefined && family === familyOf(b.name);
      if (declared || sameFamily) pairs.push([a.name, b.name]);
    }
  }
  return pairs;
}

// ---------------------------------------------------------------------------------------------
// One cluster's state.

interface ClusterState {
  name: string;
  snapshot: SnapshotInfo;
  /** "namespace/Kind/name" → newest version. */
  objects: Map<string, ConfigVersion>;
}

function clusterState(store: Store, name: string): ClusterState | undefined {
  const snapshot = newestCompleteSnapshot(store, name);
  if (!snapshot) return undefined;
  const objects = new Map<string, ConfigVersion>();
  for (const version of store.configs.latestAll('live', snapshot.id)) {
    const parsed = parseUrn(version.urn);
    if (parsed.scheme === 'k8s' && parsed.source === name) objects.set(parsed.segments.join('/'), version);
  }
  return { name, snapshot, objects };
}

const metadataOf = (content: unknown): Record<string, unknown> => (isRecord(content) && isRecord(content.metadata) ? content.metadata : {});

/** Objects Kubernetes itself maintains: their differences are version skew, not anyone's decision. */
function isBootstrapPolicy(content: unknown): boolean {
  const labels = metadataOf(content).labels;
  return isRecord(labels) && labels['kubernetes.io/bootstrapping'] === 'rbac-defaults';
}

const SYSTEM_NAMESPACES = new Set(['kube-system', 'kube-public', 'kube-node-lease']);
/** Kinds whose content is per-cluster by nature (addresses, leader leases, events). */
const PER_CLUSTER_KINDS = new Set(['Event', 'Endpoints', 'EndpointSlice', 'Lease', 'ControllerRevision', 'Node', 'Pod', 'ReplicaSet', 'Job']);

/** Same-named objects worth comparing: made by people, not by the control plane. */
function isComparable(key: string, content: unknown): boolean {
  const [namespace, kind, name] = key.split('/');
  if (SYSTEM_NAMESPACES.has(namespace) || PER_CLUSTER_KINDS.has(kind)) return false;
  if (isBootstrapPolicy(content) || (namespace === '_' && name.startsWith('system:'))) return false;
  const metadata = metadataOf(content);
  if (Array.isArray(metadata.ownerReferences) && metadata.ownerReferences.length > 0) return false;
  if (kind === 'ConfigMap' && name === 'kube-root-ca.crt') return false;
  return !(kind === 'Secret' && isRecord(content) && content.type === 'kubernetes.io/service-account-token');
}

/** Fields each cluster assigns for itself (addresses, ports, bound volumes, token names). */
function withoutAssignedFields(kind: string, content: unknown): unknown {
  if (!isRecord(content)) return content;
  const copy = structuredClone(content);
  const spec = isRecord(copy.spec) ? copy.spec : undefined;
  if (kind === 'Service' && spec) {
    for (const field of ['clusterIP', 'clusterIPs', 'healthCheckNodePort', 'loadBalancerIP']) delete spec[field];
    if (Array.isArray(spec.ports)) for (const port of spec.ports) if (isRecord(port)) delete port.nodePort;
  }
  if (kind === 'PersistentVolumeClaim' && spec) delete spec.volumeName;
  if (kind === 'ServiceAccount') delete copy.secrets;
  return copy;
}

// ---------------------------------------------------------------------------------------------
// (a) Same-named objects.

/**
 * Both directions of the desired-vs-live comparison, so each side is judged on the fields it sets
 * (keyed lists by name, quantities by value, Secret values by hash). A→B gives changed values and
 * fields only A sets; B→A adds the fields only B sets.
 */
function diffClusters(a: unknown, b: unknown, hashSecretValue: (value: string) => string): { path: string; valueA: unknown; valueB: unknown }[] {
  const forward: DriftItem[] = diffDesiredLive(a, b, { hashSecretValue }).filter(isDriftDifference);
  const backward: DriftItem[] = diffDesiredLive(b, a, { hashSecretValue }).filter(isDriftDifference);
  return [
    ...forward.filter((item) => item.kind !== 'unmanaged-live').map((item) => ({ path: item.path, valueA: item.desired, valueB: item.live })),
    ...backward.filter((item) => item.kind === 'missing-live').map((item) => ({ path: item.path, valueA: item.live, valueB: item.desired })),
  ];
}

function sameNamedFindings(store: Store, a: ClusterState, b: ClusterState): DriftFinding[] {
  const findings: DriftFinding[] = [];
  for (const [key, versionA] of [...a.objects].sort(([x], [y]) => x.localeCompare(y))) {
    const versionB = b.objects.get(key);
    if (!versionB || versionA.contentHash === versionB.contentHash) continue;
    if (!isComparable(key, versionA.content) || !isComparable(key, versionB.content)) continue;
    const kind = key.split('/')[1];
    const differences = diffClusters(withoutAssignedFields(kind, versionA.content), withoutAssignedFields(kind, versionB.content), (value) => store.fingerprint(value));
    for (const difference of differences) {
      findings.push({
        type: 'drift',
        rule: 'drift.cluster-mismatch',
        urn: versionA.urn,
        severity: driftSeverity(kind, difference.path, difference.valueA, difference.valueB),
        // A field only one side sets counts only if it is not the server default: that rests on the default table.
        confidence: difference.valueA !== undefined && difference.valueB !== undefined ? 1 : 0.8,
        ...spokenEvidence(phrase('ev.rbac.clusterMismatch', {
          object: objectLabel(versionA.urn), path: difference.path || phrase('ev.rbac.wholeObject'), valueA: valuePhrase(difference.valueA), a: a.name, snapA: String(a.snapshot.id),
          valueB: valuePhrase(difference.valueB), b: b.name, snapB: String(b.snapshot.id), other: versionB.urn,
        })),
        path: difference.path,
        desired: difference.valueA,
        live: difference.valueB,
      });
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// (b) RBAC: the effective rights of every subject.

const RBAC_KINDS = { Role: 'roles', ClusterRole: 'clusterRoles', RoleBinding: 'roleBindings', ClusterRoleBinding: 'clusterRoleBindings' } as const;

function permissionsOf(cluster: ClusterState, log: (message: string) => void) {
  const objects: Record<(typeof RBAC_KINDS)[keyof typeof RBAC_KINDS], unknown[]> = { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] };
  for (const [key, version] of cluster.objects) {
    const field = RBAC_KINDS[key.split('/')[1] as keyof typeof RBAC_KINDS];
    // Default bindings differ with the Kubernetes version, not by anyone's decision; default roles
    // stay, because operators' own bindings refer to them (view, edit, admin).
    if (field && !(field.endsWith('Bindings') && isBootstrapPolicy(version.content))) objects[field].push(version.content);
  }
  return resolveEffectivePermissions(objects, { onUnresolvedBinding: (message) => log(`${cluster.name}: ${message}`) });
}

/** Rights that let a subject read credentials, run code in pods, or grant itself more. */
const SENSITIVE_RESOURCES = new Set(['*', 'secrets', 'pods/exec', 'pods/attach', 'serviceaccounts/token', 'roles', 'rolebindings', 'clusterroles', 'clusterrolebindings', 'nodes/proxy']);
const SENSITIVE_VERBS = new Set(['*', 'escalate', 'bind', 'impersonate']);

function rbacSeverity(comparison: RbacComparison): Severity {
  const rights = [...comparison.onlyInA, ...comparison.onlyInB];
  return rights.some((right) => SENSITIVE_RESOURCES.has(right.resource) || SENSITIVE_VERBS.has(right.verb)) ? 'high' : 'medium';
}

/** "get/list secrets in namespace shop", grouping verbs on the same resource. */
function describeRights(rights: readonly RbacRight[]): Phrase | Phrase[] {
  if (rights.length === 0) return phrase('ev.rbac.nothing');
  const groups = new Map<string, { right: RbacRight; verbs: string[] }>();
  for (const right of rights) {
    const key = JSON.stringify([right.namespace, right.apiGroup, right.resource, right.resourceNames ?? null]);
    const group = groups.get(key) ?? groups.set(key, { right, verbs: [] }).get(key)!;
    group.verbs.push(right.verb);
  }
  return [...groups.values()].map(({ right, verbs }) => {
    const resource = `${right.apiGroup ? `${right.apiGroup}/` : ''}${right.resource}${right.resourceNames ? ` [${right.resourceNames.join(', ')}]` : ''}`;
    return right.namespace === '*' ? phrase('ev.rbac.rightEverywhere', { verbs: verbs.join('/'), resource }) : phrase('ev.rbac.rightInNamespace', { verbs: verbs.join('/'), resource, namespace: right.namespace });
  });
}

const describeSubject = (subject: RbacSubject): string =>
  `${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}`;

/** A snapshot that could not see some kinds (forbidden, timed out) may lack bindings: say so. */
const gapsOf = (cluster: ClusterState): string[] => cluster.snapshot.report.gaps.map((gap) => `${cluster.name}: ${gap.item} (${gap.reason})`);

function rbacFindings(a: ClusterState, b: ClusterState, log: (message: string) => void): DriftFinding[] {
  const comparisons = compareClusterRbac(permissionsOf(a, log), permissionsOf(b, log));
  const gaps = [...gapsOf(a), ...gapsOf(b)];
  return comparisons.map((comparison) => {
    const { subject } = comparison;
    // The finding sits where the extra rights are: that is where an auditor has to look.
    const where = comparison.onlyInA.length === 0 ? b.name : a.name;
    const urn = k8sUrn(where, subject.kind === 'ServiceAccount' ? subject.namespace : undefined, subject.kind, subject.name);
    return {
      type: 'drift',
      rule: 'drift.rbac-mismatch',
      urn,
      severity: rbacSeverity(comparison),
      confidence: gaps.length > 0 ? 0.7 : 1,
      ...spokenEvidence(gaps.length > 0
        ? phrase('ev.rbac.mismatchWithGaps', { subject: describeSubject(subject), a: a.name, b: b.name, onlyA: describeRights(comparison.onlyInA), onlyB: describeRights(comparison.onlyInB), gaps: gaps.slice(0, 3).join('; ') })
        : phrase('ev.rbac.mismatch', { subject: describeSubject(subject), a: a.name, b: b.name, onlyA: describeRights(comparison.onlyInA), onlyB: describeRights(comparison.onlyInB) })),
      path: '',
      desired: comparison.onlyInA,
      live: comparison.onlyInB,
    };
  });
}

/** Cluster vs cluster: `drift.cluster-mismatch` for same-named objects, `drift.rbac-mismatch` per subject. */
export const rbacCompareAnalyzer = defineAnalyzer({
  name: 'rbac-compare',
  order: 80,
  run(store, ctx) {
    const pairs = peerPairs(store.sources());
    const states = new Map<string, ClusterState | undefined>();
    const stateOf = (name: string): ClusterState | undefined => {
      if (!states.has(name)) states.set(name, clusterState(store, name));
      return states.get(name);
    };
    const findings: DriftFinding[] = [];
    pairs.forEach(([nameA, nameB], i) => {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', 'cluster comparison cancelled');
      const [a, b] = [stateOf(nameA), stateOf(nameB)];
      if (!a || !b) {
        ctx.log.warn('cluster pair not compared: no complete snapshot', { a: nameA, b: nameB, missing: !a ? nameA : nameB });
        return;
      }
      findings.push(...sameNamedFindings(store, a, b), ...rbacFindings(a, b, (message) => ctx.log.info('binding grants nothing', { detail: message })));
      ctx.progress(i + 1, pairs.length, `${nameA} ↔ ${nameB}`);
    });
    store.findings.replaceFor('rbac-compare', findings);
    return { findings: findings.length };
  },
});
