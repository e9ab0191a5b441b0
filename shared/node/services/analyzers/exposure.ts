import { resolveEffectivePermissions, subjectKey, whoCan, type EffectivePermission, type RbacSubject } from '../../../core/drift/rbac.js';
import type { Finding, Severity } from '../../../core/model/finding.js';
import type { GraphEdge, GraphNode } from '../../../core/model/graph.js';
import { appUrn, k8sUrn, parseUrn, type ParsedUrn } from '../../../core/model/urn.js';
import { summarisePolicy, type PolicySummary } from '../../sources/s3/policy.js';
import type { Store } from '../../store/index.js';
import { piiHolders } from '../../../core/lineage/index.js';
import { defineAnalyzer } from './analyzer.js';

/** Grants edges this analyzer writes; a re-run replaces them. */
export const EXPOSURE_RULE_PREFIX = 'exposure.';

/** Keys that hold a way into a dataset. */
const CREDENTIAL_KEY = /pass(word)?|passwd|pwd|dsn|database_url|db_url|jdbc|connection|secret_access_key|access_key|token|credential|sasl|jaas/i;
/** Groups that mean "everyone" (or every workload): exposure to them is critical. */
const BROAD_GROUPS = /^system:(authenticated|unauthenticated|serviceaccounts(:.*)?)$/;
/** Same rule as the S3 source: `s3:GetObject`, `s3:Get*`, `s3:*` and `*` read objects. */
const READS_OBJECTS = /^(\*|s3:\*|s3:Get\*|s3:GetObject\*?)$/i;
const KAFKA_READS = new Set(['READ', 'ALL']);

interface Exposure { finding: Finding; grant?: { subjectUrn: string; subjectName: string; source: string; region?: string } }

const safeParse = (urn: string): ParsedUrn | undefined => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/** Secrets/ConfigMaps that open a door to PII, with why. */
function credentialHolders(store: Store, edges: GraphEdge[], pii: Map<string, Set<string>>): Map<string, { why: string; strong: boolean; entities: Set<string> }> {
  const touching = new Map<string, { target: string; entities: Set<string> }>();
  for (const e of edges) {
    if ((e.kind === 'reads' || e.kind === 'writes') && pii.has(e.to)) touching.set(e.from, { target: e.to, entities: pii.get(e.to)! });
  }
  const out = new Map<string, { why: string; strong: boolean; entities: Set<string> }>();
  for (const e of edges) {
    if ((e.kind !== 'references' && e.kind !== 'mounts') || !touching.has(e.from)) continue;
    const p = safeParse(e.to);
    if (p?.scheme !== 'k8s' || (p.segments[1] !== 'Secret' && p.segments[1] !== 'ConfigMap')) continue;
    const t = touching.get(e.from)!;
    out.set(e.to, { why: `used by ${e.from}, which reads/writes ${t.target} (PII: ${[...t.entities].sort().join(', ')})`, strong: true, entities: t.entities });
  }
  // Credential-looking objects next to a PII workload, even when no reference was captured.
  const piiNamespaces = new Map<string, { workload: string; entities: Set<string> }>();
  for (const [urn, t] of touching) {
    const p = safeParse(urn);
    if (p?.scheme === 'k8s') piiNamespaces.set(`${p.source}/${p.segments[0]}`, { workload: urn, entities: t.entities });
  }
  for (const v of store.configs.latestAll('live')) {
    if (out.has(v.urn)) continue;
    const p = safeParse(v.urn);
    const content = v.content as { kind?: string; data?: Record<string, unknown> } | null;
    if (p?.scheme !== 'k8s' || (content?.kind !== 'Secret' && content?.kind !== 'ConfigMap')) continue;
    const keys = Object.keys(content.data ?? {}).filter((k) => CREDENTIAL_KEY.test(k));
    const near = piiNamespaces.get(`${p.source}/${p.segments[0]}`);
    if (keys.length && near) out.set(v.urn, { why: `holds credential-like keys (${keys.join(', ')}) in the namespace of ${near.workload}, which touches PII`, strong: false, entities: near.entities });
  }
  return out;
}

/** A subject too internal to report (control-plane components), unless it is a "everyone" group. */
function isSystemSubject(s: RbacSubject): boolean {
  if (s.kind === 'ServiceAccount') return s.namespace === 'kube-system';
  return s.name.startsWith('system:') && !BROAD_GROUPS.test(s.name);
}

function k8sExposures(store: Store, edges: GraphEdge[], pii: Map<string, Set<string>>): Exposure[] {
  const holders = credentialHolders(store, edges, pii);
  if (holders.size === 0) return [];
  // Bindings grant within their own cluster: resolve per Kubernetes source.
  const rbac = new Map<string, { roles: unknown[]; clusterRoles: unknown[]; roleBindings: unknown[]; clusterRoleBindings: unknown[] }>();
  for (const v of store.configs.latestAll('live')) {
    const p = safeParse(v.urn);
    const kind = (v.content as { kind?: string } | null)?.kind;
    if (p?.scheme !== 'k8s' || !kind) continue;
    const slot = rbac.get(p.source) ?? { roles: [], clusterRoles: [], roleBindings: [], clusterRoleBindings: [] };
    rbac.set(p.source, slot);
    if (kind === 'Role') slot.roles.push(v.content);
    else if (kind === 'ClusterRole') slot.clusterRoles.push(v.content);
    else if (kind === 'RoleBinding') slot.roleBindings.push(v.content);
    else if (kind === 'ClusterRoleBinding') slot.clusterRoleBindings.push(v.content);
  }
  const perms = new Map<string, EffectivePermission[]>();
  const out: Exposure[] = [];
  for (const [urn, holder] of holders) {
    const p = safeParse(urn)!;
    const [namespace, kind, name] = p.segments;
    const objects = rbac.get(p.source);
    if (!objects) continue;
    let permissions = perms.get(p.source);
    if (!permissions) perms.set(p.source, (permissions = resolveEffectivePermissions(objects)));
    const resource = kind === 'Secret' ? 'secrets' : 'configmaps';
    const bySubject = new Map<string, { subject: RbacSubject; verbs: Set<string>; via: Set<string> }>();
    for (const verb of ['get', 'list', 'watch']) {
      // list/watch return every object of the namespace: resourceNames cannot narrow them.
      for (const entry of whoCan(permissions, verb, '', resource, namespace, verb === 'get' ? name : undefined)) {
        if (isSystemSubject(entry.subject)) continue;
        const key = subjectKey(entry.subject);
        const s = bySubject.get(key) ?? { subject: entry.subject, verbs: new Set<string>(), via: new Set<string>() };
        s.verbs.add(verb);
        entry.via.forEach((v) => s.via.add(v));
        bySubject.set(key, s);
      }
    }
    const region = store.graph.getNode(urn)?.region;
    for (const [key, s] of bySubject) {
      const broad = s.subject.kind === 'Group' && BROAD_GROUPS.test(s.subject.name);
      const severity: Severity = broad ? 'critical' : kind === 'Secret' ? (holder.strong ? 'high' : 'medium') : holder.strong ? 'medium' : 'low';
      const subjectUrn = s.subject.kind === 'ServiceAccount' ? k8sUrn(p.source, s.subject.namespace, 'ServiceAccount', s.subject.name) : k8sUrn(p.source, undefined, s.subject.kind, s.subject.name);
      out.push({
        finding: {
          type: 'exposure', rule: 'exposure.k8s-rbac', urn, severity, confidence: holder.strong ? 0.85 : 0.5,
          subject: key, verbs: [...s.verbs], resource: urn,
          evidence: `${key} can ${[...s.verbs].join('/')} ${kind} ${namespace}/${name} via ${[...s.via].join('; ')}. That ${kind} ${holder.why}.`,
        },
        grant: { subjectUrn, subjectName: key, source: p.source, region },
      });
    }
  }
  return out;
}

interface KafkaAcl { principal?: string; host?: string; operation?: string; permission?: string; pattern?: string }

function kafkaExposures(nodes: GraphNode[], pii: Map<string, Set<string>>): Exposure[] {
  const out: Exposure[] = [];
  for (const topic of nodes) {
    const entities = pii.get(topic.urn);
    const acls = (topic.props as { acls?: KafkaAcl[] }).acls;
    if (topic.kind !== 'topic' || !entities || !Array.isArray(acls)) continue;
    const denied = new Set(acls.filter((a) => /deny/i.test(a.permission ?? '') && KAFKA_READS.has((a.operation ?? '').toUpperCase())).map((a) => a.principal));
    const byPrincipal = new Map<string, KafkaAcl[]>();
    for (const acl of acls) {
      if (!acl.principal || !/allow/i.test(acl.permission ?? '') || !KAFKA_READS.has((acl.operation ?? '').toUpperCase()) || denied.has(acl.principal)) continue;
      byPrincipal.set(acl.principal, [...(byPrincipal.get(acl.principal) ?? []), acl]);
    }
    for (const [principal, list] of byPrincipal) {
      const everyone = principal === 'User:*';
      out.push({
        finding: {
          type: 'exposure', rule: 'exposure.kafka-acl', urn: topic.urn, severity: everyone ? 'critical' : 'medium', confidence: 0.9,
          subject: principal, verbs: [...new Set(list.map((a) => a.operation!.toUpperCase()))], resource: topic.urn,
          evidence: `Kafka ACL ${list.map((a) => `ALLOW ${a.operation} for ${principal} from host ${a.host ?? '*'} (${a.pattern ?? 'pattern unknown'})`).join('; ')} on topic ${topic.name}, which holds ${[...entities].sort().join(', ')}${everyone ? ' — any authenticated client can read it' : ''}.`,
        },
        grant: { subjectUrn: appUrn(topic.source, 'principals', principal), subjectName: principal, source: topic.source, region: topic.region },
      });
    }
  }
  return out;
}

/** The bucket policy as the S3 source summarised it, or a raw policy document summarised here. */
function policyOf(raw: unknown): PolicySummary | undefined {
  if (typeof raw === 'string') return summarisePolicy(raw);
  if (!raw || typeof raw !== 'object') return undefined;
  if ('statements' in raw) return raw as PolicySummary;
  if ('Statement' in raw) return summarisePolicy(JSON.stringify(raw));
  return undefined;
}

const coversBucket = (resource: string, bucket: string): boolean =>
  resource === '*' || resource === `arn:aws:s3:::${bucket}/*` || resource.startsWith(`arn:aws:s3:::${bucket}/`) || resource === `arn:aws:s3:::${bucket}*`;

function s3Exposures(nodes: GraphNode[], pii: Map<string, Set<string>>): Exposure[] {
  const out: Exposure[] = [];
  for (const bucket of nodes) {
    const entities = pii.get(bucket.urn);
    if (bucket.kind !== 'bucket' || !entities) continue;
    const holds = [...entities].sort().join(', ');
    const policy = policyOf((bucket.props as { policy?: unknown }).policy);
    if (policy?.status === 'present') {
      for (const st of policy.statements) {
        const actions = st.actions.filter((a) => READS_OBJECTS.test(a));
        if (st.effect !== 'Allow' || st.inverted || actions.length === 0 || !st.resources.some((r) => coversBucket(r, bucket.name))) continue;
        for (const principal of st.principals) {
          const anyone = principal === '*' || principal === 'AWS:*';
          const conditioned = st.conditionKeys.length > 0;
          out.push({
            finding: {
              type: 'exposure', rule: anyone && !conditioned ? 'exposure.s3-public' : 'exposure.s3-policy', urn: bucket.urn,
              severity: anyone ? (conditioned ? 'high' : 'critical') : 'medium', confidence: 0.9,
              subject: principal, verbs: actions, resource: bucket.urn,
              evidence: `bucket policy${st.sid ? ` statement ${st.sid}` : ''} allows ${actions.join(', ')} to ${anyone ? 'anyone (Principal "*")' : principal}${conditioned ? ` under conditions on ${st.conditionKeys.join(', ')}` : ''} on ${bucket.name}, which holds ${holds}.`,
            },
            grant: { subjectUrn: appUrn(bucket.source, 'principals', principal), subjectName: principal, source: bucket.source, region: bucket.region },
          });
        }
      }
    }
    const acl = (bucket.props as { acl?: { status?: string; grants?: { grantee: string; permission: string }[] } }).acl;
    for (const g of acl?.status === 'present' ? acl.grants ?? [] : []) {
      const everyone = g.grantee === 'Group:AllUsers' || g.grantee === 'Group:AuthenticatedUsers';
      if (!everyone || (g.permission !== 'READ' && g.permission !== 'FULL_CONTROL')) continue;
      out.push({
        finding: {
          type: 'exposure', rule: 'exposure.s3-public', urn: bucket.urn, severity: 'critical', confidence: 0.9,
          subject: g.grantee, verbs: [g.permission], resource: bucket.urn,
          evidence: `bucket ACL grants ${g.permission} to ${g.grantee} on ${bucket.name}, which holds ${holds}.`,
        },
        grant: { subjectUrn: appUrn(bucket.source, 'principals', g.grantee), subjectName: g.grantee, source: bucket.source, region: bucket.region },
      });
    }
  }
  return out;
}

/**
 * Who can read each PII-holding thing: Kubernetes subjects that can get/list the Secrets and
 * ConfigMaps holding credentials to PII data, Kafka principals allowed to read PII topics, and
 * principals a bucket policy or ACL lets read PII objects ("*" = public, critical). One
 * `exposure` finding per subject and resource, and a `grants` edge subject → resource.
 */
export const exposureAnalyzer = defineAnalyzer({
  name: 'exposure',
  order: 40,
  run(store) {
    const nodes = store.graph.nodesWhere();
    const edges = store.graph.allEdges();
    const pii = piiHolders(nodes);
    const exposures = [...k8sExposures(store, edges, pii), ...kafkaExposures(nodes, pii), ...s3Exposures(nodes, pii)];
    store.transaction(() => {
      store.graph.deleteEdgesByRulePrefix(EXPOSURE_RULE_PREFIX);
      for (const { finding, grant } of exposures) {
        if (!grant || finding.type !== 'exposure') continue;
        // Principals are not captured as nodes by every source; give the edge a real subject node.
        if (!store.graph.getNode(grant.subjectUrn)) {
          store.graph.upsertNode({ urn: grant.subjectUrn, kind: 'subject', name: grant.subjectName, source: grant.source, region: grant.region, props: { derivedBy: 'exposure' } });
        }
        store.graph.upsertEdge({ from: grant.subjectUrn, to: finding.resource, kind: 'grants', confidence: finding.confidence, evidence: { rule: finding.rule, detail: finding.evidence, verbs: finding.verbs } });
      }
    });
    const findings = exposures.map((e) => e.finding);
    store.findings.replaceFor('exposure', findings);
    return { findings: findings.length, edges: exposures.length };
  },
});
