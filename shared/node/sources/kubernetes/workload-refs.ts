import type { GraphEdge } from '../../../core/model/graph.js';
import { k8sUrn } from '../../../core/model/urn.js';
import type { Phrase } from '../../../core/model/phrase.js';
import { phrase, say } from '../../../core/i18n/phrase.js';

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
  // The detail is kept as English text and as phrases (said in the reader's language when shown).
  const parts = new Map<string, Phrase[]>();
  const add = (kind: 'references' | 'mounts', targetKind: string, name: unknown, rule: string, detail: Phrase | string) => {
    if (typeof name !== 'string' || name === '') return;
    const to = k8sUrn(source, ns, targetKind, name);
    const key = `${kind} ${to}`;
    const p = typeof detail === 'string' ? undefined : detail;
    const text = typeof detail === 'string' ? detail : say(detail, 'en');
    const existing = edges.get(key);
    const mine = parts.get(key) ?? [];
    if (p) parts.set(key, [...mine, p]);
    if (existing) {
      existing.evidence.detail += `; ${text}`;
      // A phrase only while every part has one: otherwise the English text is the whole truth.
      existing.evidence.phrase = p && mine.length && existing.evidence.phrase ? phrase('ev.list', { items: [...mine, p] }) : undefined;
      if (!existing.evidence.phrase) delete existing.evidence.phrase;
    } else edges.set(key, { from: workloadUrn, to, kind, confidence: 1, evidence: { rule, detail: text, ...(p && { phrase: p }) } });
  };

  const containers = [...asArray(pod.initContainers), ...asArray(pod.containers), ...asArray(pod.ephemeralContainers)];
  for (const c of containers) {
    for (const from of asArray(c?.envFrom)) {
      add('references', 'ConfigMap', from?.configMapRef?.name, 'k8s.env-from', phrase('ev.k8s.envFrom', { container: c.name, ref: 'configMapRef' }));
      add('references', 'Secret', from?.secretRef?.name, 'k8s.env-from', phrase('ev.k8s.envFrom', { container: c.name, ref: 'secretRef' }));
    }
    for (const env of asArray(c?.env)) {
      const cm = env?.valueFrom?.configMapKeyRef;
      const sec = env?.valueFrom?.secretKeyRef;
      add('references', 'ConfigMap', cm?.name, 'k8s.env-value-from', phrase('ev.k8s.envValueFrom', { container: c.name, env: String(env.name), key: String(cm?.key) }));
      add('references', 'Secret', sec?.name, 'k8s.env-value-from', phrase('ev.k8s.envValueFrom', { container: c.name, env: String(env.name), key: String(sec?.key) }));
    }
  }

  const volumePhrase = (volume: string, projected: boolean): Phrase => {
    const paths = containers.flatMap((c) => asArray(c?.volumeMounts).filter((m) => m?.name === volume).map((m) => `${c.name}:${m.mountPath}`));
    if (paths.length) return phrase(projected ? 'ev.k8s.projectedAt' : 'ev.k8s.volumeAt', { volume, paths: paths.join(', ') });
    return phrase(projected ? 'ev.k8s.projectedUnmounted' : 'ev.k8s.volumeUnmounted', { volume });
  };
  for (const v of asArray(pod.volumes)) {
    add('mounts', 'ConfigMap', v?.configMap?.name, 'k8s.volume', volumePhrase(String(v.name), false));
    add('mounts', 'Secret', v?.secret?.secretName, 'k8s.volume', volumePhrase(String(v.name), false));
    for (const src of asArray(v?.projected?.sources)) {
      add('mounts', 'ConfigMap', src?.configMap?.name, 'k8s.volume', volumePhrase(String(v.name), true));
      add('mounts', 'Secret', src?.secret?.name, 'k8s.volume', volumePhrase(String(v.name), true));
    }
  }

  for (const ips of asArray(pod.imagePullSecrets)) add('references', 'Secret', ips?.name, 'k8s.image-pull-secret', 'imagePullSecrets');
  // An unset serviceAccountName means "default": the API server's ServiceAccount admission sets it.
  const sa = pod.serviceAccountName || pod.serviceAccount;
  add('references', 'ServiceAccount', sa || 'default', 'k8s.service-account', sa ? `spec.serviceAccountName: ${sa}` : phrase('ev.k8s.defaultServiceAccount'));
  return [...edges.values()];
}
