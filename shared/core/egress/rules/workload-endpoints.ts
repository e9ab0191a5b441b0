import { collectSettings, type WorkloadSetting } from '../../lineage/rules/workload-references.js';
import { phrase, spokenDetail } from '../../i18n/phrase.js';
import type { Phrase } from '../../model/phrase.js';
import { parseUrn } from '../../model/urn.js';
import { bareHost, hostsIn, isClusterInternal, serviceNamed, type NamedHost } from '../endpoints.js';
import { capturedAt, defineEgressRule, endpointFor, type EgressEdge, type EgressResult, type EgressView, type EndpointNode } from '../rule.js';

export const RULE_ID = 'egress.workload-endpoint';

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob', 'Pod']);
/** Settings whose bare value (no scheme, no port) is a host: `ES_HOST=es.example.eu`. */
const HOST_SETTING = /(HOST|ENDPOINT|SERVER|DOMAIN|URL|URI|ADDR(ESS)?)$/i;
const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

const safeParse = (urn: string) => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/** The hosts a setting names: URLs and host:port anywhere in it, or the whole value for a *_HOST-like name. */
function settingHosts(s: WorkloadSetting): NamedHost[] {
  const found = hostsIn(s.value);
  if (found.length) return found;
  const bare = HOST_SETTING.test(s.name) ? bareHost(s.value) : undefined;
  return bare ? [{ host: bare }] : [];
}

/**
 * Workloads that name an external endpoint in their env, ConfigMaps or mounted config files —
 * directly, or through a Service of type ExternalName (the cluster's DNS alias for an outside host).
 * Each is an `egress` edge workload → endpoint. Cluster-internal names (Services, *.svc) and the
 * captured sources themselves (the database, brokers, object store the workload reads) are not
 * egress. Whether the workload carries PII out is for coverage to say: it joins these edges to
 * the PII datasets the workload reads.
 */
export const workloadEndpoints = defineEgressRule({
  id: RULE_ID,
  description: 'Workload env/ConfigMap/config-file settings naming external hosts, and ExternalName Services → egress workload → endpoint',
  infer(view: EgressView): EgressResult {
    const configMaps = new Map<string, Record<string, any>>();
    const services = new Map<string, Record<string, any>>();
    for (const c of view.configs) {
      const p = safeParse(c.urn);
      if (p?.scheme !== 'k8s' || !isObject(c.content)) continue;
      const key = `${p.source}/${p.segments[0]}/${p.segments[2]}`;
      if (c.content.kind === 'ConfigMap') configMaps.set(key, c.content);
      if (c.content.kind === 'Service') services.set(key, c.content);
    }
    const edges: EgressEdge[] = [];
    const endpoints: EndpointNode[] = [];
    for (const c of view.configs) {
      if (!isObject(c.content) || !WORKLOAD_KINDS.has(c.content.kind)) continue;
      const p = safeParse(c.urn);
      if (p?.scheme !== 'k8s') continue;
      const namespace = p.segments[0];
      const workload = `${c.content.kind} ${namespace}/${p.segments[2]}`;
      const { settings } = collectSettings(c.content, (name) => configMaps.get(`${p.source}/${namespace}/${name}`)?.data);
      const seen = new Set<string>();
      for (const s of settings) {
        for (const h of settingHosts(s)) {
          let host = h.host;
          let via: Phrase | string = '';
          const svcName = serviceNamed(host, namespace);
          const svc = svcName ? services.get(`${p.source}/${svcName.namespace}/${svcName.name}`) : undefined;
          if (svc) {
            // A Service: internal, unless it is an ExternalName alias for an outside host.
            if (svc.spec?.type !== 'ExternalName' || typeof svc.spec?.externalName !== 'string') continue;
            via = phrase('ev.workload.throughExternalName', { service: `${svcName!.namespace}/${svcName!.name}`, target: svc.spec.externalName });
            host = svc.spec.externalName.toLowerCase().replace(/\.$/, '');
          } else if (isClusterInternal(host)) continue;
          if (capturedAt(view, host, h.port)) continue;
          const e = endpointFor(view, host, h.port);
          if (seen.has(e.node.urn)) continue;
          seen.add(e.node.urn);
          endpoints.push(e.node);
          edges.push({
            from: c.urn, to: e.node.urn, kind: 'egress', confidence: 0.8,
            evidence: { rule: RULE_ID, ...e.evidence, ...spokenDetail(phrase('ev.workload.endpoint', { workload, setting: s.name, origin: s.originPhrase ?? s.origin, endpoint: e.node.name, via })), config: c.urn, setting: s.name },
          });
        }
      }
    }
    return { edges, endpoints };
  },
});
