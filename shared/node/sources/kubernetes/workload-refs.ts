import type { GraphEdge } from '../../../core/model/graph.js';
import { k8sUrn } from '../../../core/model/urn.js';

/** Where each workload kind keeps its pod template (https://kubernetes.io/docs/concepts/workloads/). */
export function podSpecOf(obj: any): any | undefined {
  switch (obj?.kind) {
    case 'Deployment': case 'StatefulSet': case 'DaemonSet': case 'ReplicaSet': case 'Job':
      return obj.spec?.template?.spec;
    case 'CronJob':
      return obj.spec?.jobTemplate?.spec?.template?.spec;
    case 'Pod':
      return obj.spec;
    default:
      return undefined;
  }
}

const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/**
 * Edges from a workload to the ConfigMaps, Secrets and ServiceAccount its pods use: `references` for
 * environment variables (env valueFrom, envFrom), image pull secrets and the service account; `mounts`
 * for volumes (configMap, secret, projected). Each edge says which field holds the reference, so an
 * auditor can check it; edges to one target of one kind are merged with their details joined.
 */
export function workloadReferenceEdges(source: string, obj: any, workloadUrn: string): GraphEdge[] {
  const pod = podSpecOf(obj);
  if (!pod || typeof pod !== 'object') return [];
  const ns: string = obj.metadata?.namespace || 'default';
  const edges = new Map<string, GraphEdge>();
  const add = (kind: 'references' | 'mounts', targetKind: string, name: unknown, rule: string, detail: string) => {
    if (typeof name !== 'string' || name === '') return;
    const to = k8sUrn(source, ns, targetKind, name);
    const key = `${kind} ${to}`;
    const existing = edges.get(key);
    if (existing) existing.evidence.detail += `; ${detail}`;
    else edges.set(key, { from: workloadUrn, to, kind, confidence: 1, evidence: { rule, detail } });
  };

  const containers = [...asArray(pod.initContainers), ...asArray(pod.containers), ...asArray(pod.ephemeralContainers)];
  for (const c of containers) {
    for (const from of asArray(c?.envFrom)) {
      add('references', 'ConfigMap', from?.configMapRef?.name, 'k8s.env-from', `container ${c.name} envFrom configMapRef`);
      add('references', 'Secret', from?.secretRef?.name, 'k8s.env-from', `container ${c.name} envFrom secretRef`);
    }
    for (const env of asArray(c?.env)) {
      const cm = env?.valueFrom?.configMapKeyRef;
      const sec = env?.valueFrom?.secretKeyRef;
      add('references', 'ConfigMap', cm?.name, 'k8s.env-value-from', `container ${c.name} env ${env.name} ← key ${cm?.key}`);
      add('references', 'Secret', sec?.name, 'k8s.env-value-from', `container ${c.name} env ${env.name} ← key ${sec?.key}`);
    }
  }

  const mountPaths = (volume: string): string => {
    const paths = containers.flatMap((c) => asArray(c?.volumeMounts).filter((m) => m?.name === volume).map((m) => `${c.name}:${m.mountPath}`));
    return paths.length ? ` at ${paths.join(', ')}` : ' (not mounted by any container)';
  };
  for (const v of asArray(pod.volumes)) {
    add('mounts', 'ConfigMap', v?.configMap?.name, 'k8s.volume', `volume ${v.name}${mountPaths(v.name)}`);
    add('mounts', 'Secret', v?.secret?.secretName, 'k8s.volume', `volume ${v.name}${mountPaths(v.name)}`);
    for (const src of asArray(v?.projected?.sources)) {
      add('mounts', 'ConfigMap', src?.configMap?.name, 'k8s.volume', `projected volume ${v.name}${mountPaths(v.name)}`);
      add('mounts', 'Secret', src?.secret?.name, 'k8s.volume', `projected volume ${v.name}${mountPaths(v.name)}`);
    }
  }

  for (const ips of asArray(pod.imagePullSecrets)) add('references', 'Secret', ips?.name, 'k8s.image-pull-secret', 'imagePullSecrets');
  // An unset serviceAccountName means "default": the API server's ServiceAccount admission sets it.
  const sa = pod.serviceAccountName || pod.serviceAccount;
  add('references', 'ServiceAccount', sa || 'default', 'k8s.service-account', sa ? `spec.serviceAccountName: ${sa}` : 'serviceAccountName unset: pods run as "default"');
  return [...edges.values()];
}
