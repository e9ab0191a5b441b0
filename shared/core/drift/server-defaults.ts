/**
 * Values the API server fills in when a manifest leaves a field out. When the desired manifest is
 * silent about such a field, a live value equal to the default is not drift; a different live value
 * is (someone set it by hand). Fields absent from both the desired manifest and this table are
 * server-owned and never drift. Sources: the defaulting functions of k8s.io/kubernetes
 * pkg/apis/{core,apps,batch}/v1/defaults.go.
 */

/** How to tell whether a live value is the server's default. */
export type ServerDefault =
  /** The default is this exact JSON value. */
  | { equals: unknown }
  /** The server assigns a value of its own choosing (cluster IPs, node ports): any value is fine. */
  | { assigned: true }
  /** The default depends on sibling fields of the same object. */
  | { derive: (parent: Record<string, unknown>) => unknown };

interface ServerDefaultRule {
  /** Object kinds the rule applies to. */
  kinds: readonly string[];
  /** Slash-separated field path; `*` stands for any list item. */
  path: string;
  value: ServerDefault;
}

const POD_SPEC_LOCATIONS: Record<string, string> = {
  Pod: 'spec',
  Deployment: 'spec/template/spec',
  ReplicaSet: 'spec/template/spec',
  ReplicationController: 'spec/template/spec',
  StatefulSet: 'spec/template/spec',
  DaemonSet: 'spec/template/spec',
  Job: 'spec/template/spec',
  CronJob: 'spec/jobTemplate/spec/template/spec',
};

/** kubelet pulls ":latest" (or untagged) images every time, anything else only if absent. */
function defaultImagePullPolicy(container: Record<string, unknown>): string {
  const image = typeof container.image === 'string' ? container.image : '';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.indexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

const PROBE_DEFAULTS: Record<string, ServerDefault> = {
  timeoutSeconds: { equals: 1 },
  periodSeconds: { equals: 10 },
  successThreshold: { equals: 1 },
  failureThreshold: { equals: 3 },
  'httpGet/scheme': { equals: 'HTTP' },
};

const CONTAINER_DEFAULTS: Record<string, ServerDefault> = {
  imagePullPolicy: { derive: defaultImagePullPolicy },
  terminationMessagePath: { equals: '/dev/termination-log' },
  terminationMessagePolicy: { equals: 'File' },
  resources: { equals: {} },
  'ports/*/protocol': { equals: 'TCP' },
  ...Object.fromEntries(['livenessProbe', 'readinessProbe', 'startupProbe'].flatMap((probe) =>
    Object.entries(PROBE_DEFAULTS).map(([field, value]) => [`${probe}/${field}`, value]))),
};

const POD_SPEC_DEFAULTS: Record<string, ServerDefault> = {
  dnsPolicy: { equals: 'ClusterFirst' },
  restartPolicy: { equals: 'Always' },
  schedulerName: { equals: 'default-scheduler' },
  securityContext: { equals: {} },
  terminationGracePeriodSeconds: { equals: 30 },
  // Deprecated alias the server keeps in step with serviceAccountName.
  serviceAccount: { derive: (podSpec) => podSpec.serviceAccountName },
  'volumes/*/configMap/defaultMode': { equals: 420 },
  'volumes/*/secret/defaultMode': { equals: 420 },
  'volumes/*/projected/defaultMode': { equals: 420 },
  'volumes/*/hostPath/type': { equals: '' },
  ...Object.fromEntries(['containers', 'initContainers'].flatMap((list) =>
    Object.entries(CONTAINER_DEFAULTS).map(([field, value]) => [`${list}/*/${field}`, value]))),
};

const ROLLING_UPDATE_25 = { maxSurge: '25%', maxUnavailable: '25%' };

const KIND_DEFAULTS: Record<string, Record<string, ServerDefault>> = {
  Deployment: {
    'spec/replicas': { equals: 1 },
    'spec/revisionHistoryLimit': { equals: 10 },
    'spec/progressDeadlineSeconds': { equals: 600 },
    'spec/strategy': { equals: { type: 'RollingUpdate', rollingUpdate: ROLLING_UPDATE_25 } },
    'spec/strategy/type': { equals: 'RollingUpdate' },
    'spec/strategy/rollingUpdate': { equals: ROLLING_UPDATE_25 },
    'spec/strategy/rollingUpdate/maxSurge': { equals: '25%' },
    'spec/strategy/rollingUpdate/maxUnavailable': { equals: '25%' },
  },
  StatefulSet: {
    'spec/replicas': { equals: 1 },
    'spec/revisionHistoryLimit': { equals: 10 },
    'spec/podManagementPolicy': { equals: 'OrderedReady' },
    'spec/updateStrategy': { equals: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } } },
    'spec/updateStrategy/rollingUpdate': { equals: { partition: 0 } },
    'spec/persistentVolumeClaimRetentionPolicy': { equals: { whenDeleted: 'Retain', whenScaled: 'Retain' } },
  },
  DaemonSet: {
    'spec/revisionHistoryLimit': { equals: 10 },
    'spec/updateStrategy': { equals: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } } },
    'spec/updateStrategy/rollingUpdate': { equals: { maxSurge: 0, maxUnavailable: 1 } },
  },
  ReplicaSet: { 'spec/replicas': { equals: 1 } },
  Job: {
    'spec/backoffLimit': { equals: 6 },
    'spec/completionMode': { equals: 'NonIndexed' },
    'spec/completions': { equals: 1 },
    'spec/parallelism': { equals: 1 },
    'spec/suspend': { equals: false },
  },
  CronJob: {
    'spec/concurrencyPolicy': { equals: 'Allow' },
    'spec/suspend': { equals: false },
    'spec/successfulJobsHistoryLimit': { equals: 3 },
    'spec/failedJobsHistoryLimit': { equals: 1 },
  },
  Service: {
    'spec/type': { equals: 'ClusterIP' },
    'spec/sessionAffinity': { equals: 'None' },
    'spec/clusterIP': { assigned: true },
    'spec/clusterIPs': { assigned: true },
    'spec/ipFamilies': { assigned: true },
    'spec/ipFamilyPolicy': { assigned: true },
    'spec/healthCheckNodePort': { assigned: true },
    'spec/internalTrafficPolicy': { equals: 'Cluster' },
    'spec/externalTrafficPolicy': { equals: 'Cluster' },
    'spec/allocateLoadBalancerNodePorts': { equals: true },
    'spec/ports/*/protocol': { equals: 'TCP' },
    'spec/ports/*/targetPort': { derive: (port) => port.port },
    'spec/ports/*/nodePort': { assigned: true },
  },
  Secret: { type: { equals: 'Opaque' } },
  // Clusters before 1.24 attach a token Secret to every ServiceAccount.
  ServiceAccount: { secrets: { assigned: true } },
  PersistentVolumeClaim: { 'spec/volumeMode': { equals: 'Filesystem' }, 'spec/volumeName': { assigned: true }, 'spec/storageClassName': { assigned: true } },
};

function buildRules(): ServerDefaultRule[] {
  const rules: ServerDefaultRule[] = [];
  for (const [kind, location] of Object.entries(POD_SPEC_LOCATIONS)) {
    for (const [path, value] of Object.entries(POD_SPEC_DEFAULTS)) rules.push({ kinds: [kind], path: `${location}/${path}`, value });
  }
  for (const [kind, fields] of Object.entries(KIND_DEFAULTS)) {
    for (const [path, value] of Object.entries(fields)) rules.push({ kinds: [kind], path, value });
  }
  return rules;
}

/** Every server-default rule, for documentation and tests. */
export const SERVER_DEFAULT_RULES: readonly ServerDefaultRule[] = buildRules();

// Indexed by "kind:path" so that a lookup during a diff is one map access.
const RULE_INDEX = new Map<string, ServerDefault>(
  SERVER_DEFAULT_RULES.flatMap((rule) => rule.kinds.map((kind) => [`${kind}:${rule.path}`, rule.value] as const)),
);

/**
 * The server default for a field of an object of `kind`, or undefined if the server does not
 * default it. `fieldPath` names list items `*`, e.g. ["spec","template","spec","containers","*","imagePullPolicy"].
 */
export function findServerDefault(kind: string, fieldPath: readonly string[]): ServerDefault | undefined {
  return RULE_INDEX.get(`${kind}:${fieldPath.join('/')}`);
}
