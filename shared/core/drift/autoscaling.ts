/**
 * Replica counts that an autoscaler owns. A manifest that leaves `spec.replicas` unset hands the
 * field to whoever scales the workload — the Kubernetes documentation says to remove it from the
 * manifest when a HorizontalPodAutoscaler manages the workload
 * (https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#migrating-deployments-and-statefulsets-to-horizontal-autoscaling),
 * and KEDA's ScaledObject drives an HPA of its own. A live replica count other than the server's
 * default (1) is then the autoscaler at work, not drift. Without an autoscaler it still is drift:
 * someone scaled the workload by hand.
 */

/** The pointer of the field an autoscaler owns in its target. */
export const REPLICAS_POINTER = '/spec/replicas';

const SCALABLE = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

/** "namespace/Kind/name" of a workload. */
export const workloadKey = (namespace: string | undefined, kind: string, name: string): string => `${namespace || 'default'}/${kind}/${name}`;

/**
 * The workloads whose replica count an autoscaler among `objects` owns: key (see
 * {@link workloadKey}) → the autoscaler, e.g. "HorizontalPodAutoscaler media/jellyfin".
 * Objects are manifests or live objects, in any mix; anything else is skipped.
 */
export function replicaOwners(objects: Iterable<unknown>): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of objects) {
    if (!o || typeof o !== 'object') continue;
    const obj = o as { kind?: unknown; apiVersion?: unknown; metadata?: { name?: unknown; namespace?: unknown }; spec?: { scaleTargetRef?: { kind?: unknown; name?: unknown } } };
    const isHpa = obj.kind === 'HorizontalPodAutoscaler' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('autoscaling/');
    const isKeda = obj.kind === 'ScaledObject' && typeof obj.apiVersion === 'string' && obj.apiVersion.startsWith('keda.sh/');
    if (!isHpa && !isKeda) continue;
    const ref = obj.spec?.scaleTargetRef;
    if (typeof ref?.name !== 'string' || ref.name === '') continue;
    // KEDA's scaleTargetRef.kind defaults to Deployment; the HPA's is required.
    const kind = typeof ref.kind === 'string' && ref.kind !== '' ? ref.kind : isKeda ? 'Deployment' : undefined;
    if (!kind || !SCALABLE.has(kind)) continue;
    const namespace = typeof obj.metadata?.namespace === 'string' ? obj.metadata.namespace : undefined;
    out.set(workloadKey(namespace, kind, ref.name), `${obj.kind} ${namespace || 'default'}/${String(obj.metadata?.name ?? '?')}`);
  }
  return out;
}
