import { access } from 'node:fs/promises';
import { deferredCapture, defineSource, type CaptureContext, type CaptureRecord } from '../source.js';
import { toAppError } from '../../../core/api/errors.js';
import { kubernetesConfigSchema, type KubernetesSourceConfig } from './config.js';
import { resolveConfigPath } from './paths.js';
import { readChangeAuthors } from './change-authors.js';

export { kubernetesConfigSchema, type KubernetesSourceConfig } from './config.js';

const kubeconfigFileOf = (config: KubernetesSourceConfig, baseDir: string): string => resolveConfigPath(config.kubeconfig ?? '~/.kube/config', baseDir);

/**
 * Kubernetes, read-only: a live cluster through the user's kubeconfig (list/get only), or an
 * offline dump (`file:`). Yields nodes, config versions (Secret values hashed, never raw), namespace
 * `contains` edges, workload → ConfigMap/Secret/ServiceAccount edges, and schemas for `explain`.
 */
export const kubernetesSource = defineSource<KubernetesSourceConfig>({
  kind: 'kubernetes',
  configSchema: kubernetesConfigSchema,

  async testConnection(config, ctx) {
    const label = `k8s://${config.name}`;
    try {
      if (config.file !== undefined) {
        const file = resolveConfigPath(config.file, ctx.baseDir);
        await access(file);
        return { ok: true, message: `${label}: dump file ${file} is readable` };
      }
      // The Kubernetes client loads only when a live cluster is reached.
      const { KubeApiClient, KubeHttpError, forbiddenUser } = await import('./api-client.js');
      const client = KubeApiClient.fromKubeconfig(kubeconfigFileOf(config, ctx.baseDir), config.context, label);
      const version = await client.getJson('/version', {}, ctx.signal);
      const ns = config.namespaces?.[0];
      const probe = ns ? `/api/v1/namespaces/${encodeURIComponent(ns)}/configmaps` : '/api/v1/namespaces';
      try {
        await client.getJson(probe, { limit: 1 }, ctx.signal);
      } catch (err) {
        if (err instanceof KubeHttpError && err.status === 403) {
          return { ok: false, message: `${label}: connected to ${client.server} (${version?.gitVersion ?? 'unknown version'}) but user ${forbiddenUser(err.message, client.userName)} may not list ${ns ? `configmaps in ${ns}` : 'namespaces'} — grant list or set \`namespaces\`` };
        }
        throw err;
      }
      return { ok: true, message: `${label}: connected to ${client.server} (Kubernetes ${version?.gitVersion ?? 'unknown version'}) as ${client.userName}` };
    } catch (err) {
      return { ok: false, message: toAppError(err, 'SOURCE_UNREACHABLE').message };
    }
  },

  capture(config: KubernetesSourceConfig, ctx: CaptureContext): AsyncIterable<CaptureRecord> {
    // Audit logs and Event lists are read first: they name who made the writes the objects show.
    const authors = async () => config.auditLogs?.length
      ? readChangeAuthors(config.auditLogs.map((f) => resolveConfigPath(f, ctx.baseDir)), (message) => ctx.warn(`k8s://${config.name}: audit log`, message), ctx.signal)
      : undefined;
    if (config.file !== undefined) return deferredCapture(async () => (await import('./dump-capture.js')).captureDump(resolveConfigPath(config.file!, ctx.baseDir), config, ctx, await authors()));
    return deferredCapture(async () => (await import('./live-capture.js')).captureLive(config, ctx, { kubeconfigFile: kubeconfigFileOf(config, ctx.baseDir), authors: await authors() }));
  },
});

export default kubernetesSource;
