import { permissionAllows, resolveEffectivePermissions, subjectKey, whoCan, type EffectivePermission, type RbacSubject } from '../../../core/drift/rbac.js';
import { phrase, spokenEvidence } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';
import type { Finding, Severity } from '../../../core/model/finding.js';
import type { GraphEdge, GraphNode } from '../../../core/model/graph.js';
import { k8sUrn, parseUrn, type ParsedUrn } from '../../../core/model/urn.js';
import type { ConfigVersion, Store } from '../../store/index.js';
import { piiHolders } from '../../../core/lineage/index.js';
import { defineAnalyzer } from './analyzer.js';

/** Grants edges this analyzer writes; a re-run replaces them. */
export const EXPOSURE_RULE_PREFIX = 'exposure.';

/** Keys that hold a way into a dataset. */
const CREDENTIAL_KEY = /pass(word)?|passwd|pwd|dsn|database_url|db_url|jdbc|connection|secret_access_key|access_key|token|credential|sasl|jaas/i;
/** Groups that mean "everyone" (or every workload): exposure to them is critical. */
const BROAD_GROUPS = /^system:(authenticated|unauthenticated|serviceaccounts(:.*)?)$/;

interface Exposure { finding: Finding; grant?: { subjectUrn: string; subjectName: string; source: string; region?: string } }

const safeParse = (urn: string): ParsedUrn | undefined => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/** Secrets/ConfigMaps that open a door to PII, with why. */
function credentialHolders(store: Store, edges: GraphEdge[], pii: Map<string, Set<string>>): Map<string, { why: Phrase; strong: boolean; entities: Set<string> }> {
  const touching = new Map<string, { target: string; entities: Set<string> }>();
  for (const e of edges) {
    if ((e.kind === 'reads' || e.kind === 'writes') && pii.has(e.to)) touching.set(e.from, { target: e.to, entities: pii.get(e.to)! });
  }
  const out = new Map<string, { why: Phrase; strong: boolean; entities: Set<string> }>();
  for (const e of edges) {
    if ((e.kind !== 'references' && e.kind !== 'mounts') || !touching.has(e.from)) continue;
    const p = safeParse(e.to);
    if (p?.scheme !== 'k8s' || (p.segments[1] !== 'Secret' && p.segments[1] !== 'ConfigMap')) continue;
    const t = touching.get(e.from)!;
    out.set(e.to, { why: phrase('ev.exposure.usedBy', { workload: e.from, target: t.target, entities: [...t.entities].sort().join(', ') }), strong: true, entities: t.entities });
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
    if (keys.length && near) out.set(v.urn, { why: phrase('ev.exposure.credentialKeysNear', { keys: keys.join(', '), workload: near.workload }), strong: false, entities: near.entities });
  }
  return out;
}

/** A subject too internal to report (control-plane components), unless it is a "everyone" group. */
function isSystemSubject(s: RbacSubject): boolean {
  if (s.kind === 'ServiceAccount') return s.namespace === 'kube-system';
  return s.name.startsWith('system:') && !BROAD_GROUPS.test(s.name);
}

/** Effective RBAC permissions per Kubernetes source (bindings grant within their own cluster), resolved on first use. */
function permissionsBySource(live: ConfigVersion[]): (source: string) => EffectivePermission[] | undefined {
  const rbac = new Map<string, { roles: unknown[]; clusterRoles: unknown[]; roleBindings: unknown[]; clusterRoleBindings: unknown[] }>();
  for (const v of live) {
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
  const resolved = new Map<string, EffectivePermission[]>();
  return (source) => {
    const objects = rbac.get(source);
    if (!objects) return undefined;
    let permissions = resolved.get(source);
    if (!permissions) resolved.set(source, (permissions = resolveEffectivePermissions(objects)));
    return permissions;
  };
}

function k8sExposures(store: Store, edges: GraphEdge[], pii: Map<string, Set<string>>, permissionsOf: (source: string) => EffectivePermission[] | undefined): Exposure[] {
  const holders = credentialHolders(store, edges, pii);
  if (holders.size === 0) return [];
  const out: Exposure[] = [];
  for (const [urn, holder] of holders) {
    const p = safeParse(urn)!;
    const [namespace, kind, name] = p.segments;
    const permissions = permissionsOf(p.source);
    if (!permissions) continue;
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
          ...spokenEvidence(phrase('ev.exposure.rbac', { subject: key, verbs: [...s.verbs].join('/'), kind, object: `${namespace}/${name}`, via: [...s.via].join(', '), why: holder.why })),
        },
        grant: { subjectUrn, subjectName: key, source: p.source, region },
      });
    }
  }
  return out;
}

// ---------- exposure.k8s-credentials: who can read Secrets and credential ConfigMaps ----------

/**
 * RBAC subjects left out of exposure.k8s-credentials: the control plane itself, which reads every
 * Secret by design, so reporting it would bury the findings an auditor can act on. Only these:
 *  - Group system:masters — cluster admins by client certificate; the API server lets them bypass RBAC.
 *  - User system:kube-controller-manager — creates service-account tokens, mounts volumes.
 *  - ServiceAccounts of kube-system (system:serviceaccount:kube-system:*) — the built-in controllers
 *    run as these (ClusterRoleBindings system:controller:*).
 * Anyone else who can read a Secret, system-named or not, is reported.
 */
export const IGNORED_SYSTEM_SUBJECTS: readonly string[] = ['Group:system:masters', 'User:system:kube-controller-manager', 'ServiceAccount:kube-system/*'];

function isIgnoredSystemSubject(s: RbacSubject): boolean {
  if (s.kind === 'ServiceAccount') return s.namespace === 'kube-system';
  // A binding may name a ServiceAccount as a User by its user name.
  if (s.kind === 'User' && s.name.startsWith('system:serviceaccount:kube-system:')) return true;
  return IGNORED_SYSTEM_SUBJECTS.includes(`${s.kind}:${s.name}`);
}

/** ConfigMap key names that hold a credential (by name; `passport` or `secretName`-like references aside). */
const CREDENTIAL_KEY_NAME = /password|passwd|(^|[^a-z])pwd([^a-z]|$)|(^|[^a-z])secret([^a-z_]|_key|$)|token|(^|[^a-z])dsn([^a-z]|$)|api[_.-]?key|private[_.-]?key|credential|jaas/i;
/** A URL with a password in it (`mysql://user:pass@db/shop`, a DATABASE_URL with credentials). */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+:[^\s/@]+@/i;
/** A PEM private key, whatever its key name. */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
/** Secrets of this type are the API server's own tokens for ServiceAccounts, reported with the ServiceAccount. */
const SERVICE_ACCOUNT_TOKEN = 'kubernetes.io/service-account-token';
const READ_VERBS = ['get', 'list', 'watch'] as const;

interface CredentialObject {
  urn: string;
  source: string;
  namespace: string;
  kind: 'Secret' | 'ConfigMap';
  name: string;
  /** Why it matters, naming keys but never values. */
  why: Phrase;
}

const listKeys = (keys: string[]): Phrase | string => (keys.length > 6 ? phrase('ev.exposure.keysAndMore', { keys: keys.slice(0, 6).join(', '), count: String(keys.length - 6) }) : keys.join(', '));

/**
 * Every live Secret except service-account tokens, and every ConfigMap whose keys look like
 * credentials (by name, or a value that is a URL with a password or a private key) or whose node
 * carries PII. Values are read here only to be tested, never copied into a finding.
 */
function credentialObjects(live: ConfigVersion[], pii: Map<string, Set<string>>): CredentialObject[] {
  const out: CredentialObject[] = [];
  for (const v of live) {
    const p = safeParse(v.urn);
    const content = v.content as { kind?: string; type?: string; data?: Record<string, unknown>; binaryData?: Record<string, unknown> } | null;
    if (p?.scheme !== 'k8s' || (content?.kind !== 'Secret' && content?.kind !== 'ConfigMap')) continue;
    const [namespace, , name] = p.segments;
    const kind: CredentialObject['kind'] = content.kind;
    const base = { urn: v.urn, source: p.source, namespace, kind, name };
    if (content.kind === 'Secret') {
      if (content.type === SERVICE_ACCOUNT_TOKEN) continue;
      const keys = Object.keys(content.data ?? {});
      out.push({ ...base, why: keys.length ? phrase('ev.exposure.isSecretWithKeys', { type: content.type ?? 'Opaque', keys: listKeys(keys) }) : phrase('ev.exposure.isSecret', { type: content.type ?? 'Opaque' }) });
      continue;
    }
    const entries = [...Object.entries(content.data ?? {}), ...Object.keys(content.binaryData ?? {}).map((k) => [k, undefined] as const)];
    const credentialKeys = entries
      .filter(([key, value]) => CREDENTIAL_KEY_NAME.test(key) || (typeof value === 'string' && (URL_WITH_PASSWORD.test(value) || PEM_PRIVATE_KEY.test(value))))
      .map(([key]) => key);
    const entities = pii.get(v.urn);
    const reasons = [
      ...(credentialKeys.length ? [phrase('ev.exposure.credentialKeys', { keys: listKeys(credentialKeys) })] : []),
      ...(entities?.size ? [phrase('ev.exposure.taggedPii', { entities: [...entities].sort().join(', ') })] : []),
    ];
    if (reasons.length) out.push({ ...base, why: reasons.length === 2 ? phrase('ev.lineage.and', { first: reasons[0], second: reasons[1] }) : reasons[0] });
  }
  return out;
}

/** How much of the cluster a grant reads: the broadest grant a subject holds on an object decides. */
type ReadScope = 'cluster' | 'namespace' | 'named';
const SCOPE_RANK: Record<ReadScope, number> = { named: 0, namespace: 1, cluster: 2 };
const scopeOf = (permission: EffectivePermission): ReadScope =>
  permission.resourceNames ? 'named' : permission.namespace === '*' ? 'cluster' : 'namespace';

/**
 * Severity by what the subject can read, not by this one object: every Secret of the cluster
 * (a ClusterRoleBinding to `secrets` or to `*`) is high, every Secret of a namespace medium, one
 * object by name low; a group meaning "everyone" is critical, as in exposure.k8s-rbac.
 */
function credentialSeverity(subject: RbacSubject, scope: ReadScope): Severity {
  if (subject.kind === 'Group' && BROAD_GROUPS.test(subject.name)) return 'critical';
  return scope === 'cluster' ? 'high' : scope === 'namespace' ? 'medium' : 'low';
}

function scopeText(scope: ReadScope, object: CredentialObject): Phrase {
  if (scope === 'cluster') return phrase('ev.exposure.scopeCluster', { kind: object.kind });
  if (scope === 'namespace') return phrase('ev.exposure.scopeNamespace', { kind: object.kind, namespace: object.namespace });
  return phrase('ev.exposure.scopeNamed', { kind: object.kind });
}

function k8sCredentialExposures(store: Store, live: ConfigVersion[], pii: Map<string, Set<string>>, permissionsOf: (source: string) => EffectivePermission[] | undefined): Exposure[] {
  const out: Exposure[] = [];
  for (const object of credentialObjects(live, pii)) {
    const permissions = permissionsOf(object.source);
    if (!permissions) continue;
    const resource = object.kind === 'Secret' ? 'secrets' : 'configmaps';
    const bySubject = new Map<string, { subject: RbacSubject; verbs: Set<string>; via: Set<string>; scope: ReadScope }>();
    for (const permission of permissions) {
      if (isIgnoredSystemSubject(permission.subject)) continue;
      // list/watch return every object of the namespace: resourceNames cannot narrow them.
      const verbs = READ_VERBS.filter((verb) => permissionAllows(permission, verb, '', resource, object.namespace, verb === 'get' ? object.name : undefined));
      if (verbs.length === 0) continue;
      const key = subjectKey(permission.subject);
      const entry = bySubject.get(key) ?? { subject: permission.subject, verbs: new Set<string>(), via: new Set<string>(), scope: 'named' as ReadScope };
      verbs.forEach((verb) => entry.verbs.add(verb));
      entry.via.add(permission.via);
      if (SCOPE_RANK[scopeOf(permission)] > SCOPE_RANK[entry.scope]) entry.scope = scopeOf(permission);
      bySubject.set(key, entry);
    }
    const region = store.graph.getNode(object.urn)?.region;
    for (const [key, s] of [...bySubject].sort(([a], [b]) => a.localeCompare(b))) {
      const verbs = READ_VERBS.filter((verb) => s.verbs.has(verb));
      out.push({
        finding: {
          type: 'exposure', rule: 'exposure.k8s-credentials', urn: object.urn, severity: credentialSeverity(s.subject, s.scope),
          // A Secret holds secrets by definition; a ConfigMap is judged by its key names or tags.
          confidence: object.kind === 'Secret' ? 0.9 : 0.7,
          subject: key, verbs, resource: object.urn,
          ...spokenEvidence(phrase('ev.exposure.credentials', { subject: key, verbs: verbs.join('/'), scope: scopeText(s.scope, object), kind: object.kind, object: `${object.namespace}/${object.name}`, via: [...s.via].sort().join(', '), why: object.why })),
        },
        grant: { subjectUrn: subjectUrnOf(object.source, s.subject), subjectName: key, source: object.source, region },
      });
    }
  }
  return out;
}

const subjectUrnOf = (source: string, subject: RbacSubject): string =>
  subject.kind === 'ServiceAccount' ? k8sUrn(source, subject.namespace, 'ServiceAccount', subject.name) : k8sUrn(source, undefined, subject.kind, subject.name);

const exposureKey = (finding: Finding): string => (finding.type === 'exposure' ? `${finding.subject}\u0000${finding.resource}` : '');

/**
 * Who can read the Kubernetes objects that open a door to PII: subjects that can get/list the
 * Secrets and ConfigMaps holding credentials to PII data (`exposure.k8s-rbac`), or any Secret or
 * credential- or PII-holding ConfigMap at all (`exposure.k8s-credentials`). One `exposure` finding
 * per subject and resource, and a `grants` edge subject → resource, which the access analyzer
 * follows through credentials. Database, Kafka and S3 principals are the access analyzer's
 * (access.ts), from the grants the sources read.
 */
export const exposureAnalyzer = defineAnalyzer({
  name: 'exposure',
  order: 40,
  run(store) {
    // The nodes and edges exposure looks at (PII holders, reads/writes, references/mounts), streamed
    // from the store: plain columns and containment edges are not needed (AnalysisReads).
    const nodes = [...store.analysis.relevantNodes()];
    const edges = [...store.analysis.flowEdges()];
    const pii = piiHolders(nodes);
    const live = store.configs.latestAll('live');
    const permissionsOf = permissionsBySource(live);
    const piiLinked = k8sExposures(store, edges, pii, permissionsOf);
    // One finding per subject and resource: the PII-linked rule says more (which data), so it wins.
    const linked = new Set(piiLinked.map((e) => exposureKey(e.finding)));
    const credentials = k8sCredentialExposures(store, live, pii, permissionsOf).filter((e) => !linked.has(exposureKey(e.finding)));
    const exposures = [...piiLinked, ...credentials];
    store.transaction(() => {
      store.graph.deleteEdgesByRulePrefix(EXPOSURE_RULE_PREFIX);
      for (const { finding, grant } of exposures) {
        if (!grant || finding.type !== 'exposure') continue;
        // Principals are not captured as nodes by every source; give the edge a real subject node.
        if (!store.graph.getNode(grant.subjectUrn)) {
          store.graph.upsertNode({ urn: grant.subjectUrn, kind: 'subject', name: grant.subjectName, source: grant.source, region: grant.region, props: { derivedBy: 'exposure' } });
        }
        store.graph.upsertEdge({ from: grant.subjectUrn, to: finding.resource, kind: 'grants', confidence: finding.confidence, evidence: { rule: finding.rule, detail: finding.evidence, ...(finding.evidencePhrase && { phrase: finding.evidencePhrase }), verbs: finding.verbs } });
      }
    });
    const findings = exposures.map((e) => e.finding);
    store.findings.replaceFor('exposure', findings);
    return { findings: findings.length, edges: exposures.length };
  },
});
