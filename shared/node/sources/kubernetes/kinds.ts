import type { NodeKind } from '../../../core/model/graph.js';

/** A kind the source lists, with where it lives in the REST API. */
export interface KindSpec {
  group: string; // '' = core
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  /** A custom resource (its schema comes from its CRD, not /openapi/v2). */
  custom?: boolean;
}

export const apiVersionOf = (k: Pick<KindSpec, 'group' | 'version'>): string => (k.group ? `${k.group}/${k.version}` : k.version);

const k = (group: string, version: string, plural: string, kind: string, namespaced: boolean): KindSpec => ({ group, version, plural, kind, namespaced });

/**
 * What a live capture lists, in order: Namespaces first (the parents of everything), CRDs next
 * (they tell which custom resources exist), then the kinds that carry configuration, secrets,
 * workloads and RBAC — what the auditor's questions need (DESIGN.md: where is PII, who can reach it).
 */
export const CAPTURED_KINDS: KindSpec[] = [
  k('', 'v1', 'namespaces', 'Namespace', false),
  k('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'CustomResourceDefinition', false),
  k('', 'v1', 'configmaps', 'ConfigMap', true),
  k('', 'v1', 'secrets', 'Secret', true),
  k('', 'v1', 'serviceaccounts', 'ServiceAccount', true),
  k('', 'v1', 'services', 'Service', true),
  k('apps', 'v1', 'deployments', 'Deployment', true),
  k('apps', 'v1', 'statefulsets', 'StatefulSet', true),
  k('apps', 'v1', 'daemonsets', 'DaemonSet', true),
  k('batch', 'v1', 'cronjobs', 'CronJob', true),
  k('networking.k8s.io', 'v1', 'ingresses', 'Ingress', true),
  k('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  k('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  k('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  k('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
];

/** Custom resources captured whenever their CRD is present: they describe data flows (CDC connectors, GitOps apps). */
export const WELL_KNOWN_CUSTOM_RESOURCES = [
  { group: 'kafka.strimzi.io', version: 'v1beta2', plural: 'kafkaconnectors' },
  { group: 'argoproj.io', version: 'v1alpha1', plural: 'applications' },
];

/**
 * Built-in cluster-scoped kinds. Manifests and dumps do not say a kind's scope; without it we could not
 * tell whether a missing metadata.namespace means "default" (as kubectl apply assumes) or "none".
 */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'ClusterRole',
  'ClusterRoleBinding', 'CustomResourceDefinition', 'APIService', 'PriorityClass', 'RuntimeClass', 'IngressClass',
  'MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'CertificateSigningRequest', 'FlowSchema', 'PriorityLevelConfiguration',
  'ComponentStatus', 'ClusterIssuer',
]);

/** True for kinds that live outside namespaces; `extraClusterScoped` adds kinds learned from CRDs (spec.scope: Cluster). */
export const isClusterScoped = (kind: string, extraClusterScoped?: ReadonlySet<string>): boolean => CLUSTER_SCOPED.has(kind) || (extraClusterScoped?.has(kind) ?? false);

/** The graph node kind for a Kubernetes kind. */
export function nodeKindFor(kind: string): NodeKind {
  switch (kind) {
    case 'Secret': return 'secret';
    case 'ConfigMap': return 'configmap';
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'CronJob': return 'workload';
    case 'ServiceAccount': return 'subject';
    case 'KafkaConnector': return 'connector';
    default: return 'k8s-object';
  }
}
