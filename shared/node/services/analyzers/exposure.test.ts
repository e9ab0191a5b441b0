import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../../core/model/finding.js';
import { textOf } from '../../../core/i18n/phrase.js';
import type { PiiTag } from '../../../core/model/graph.js';
import { k8sUrn, kafkaUrn } from '../../../core/model/urn.js';
import { Store } from '../../store/index.js';
import { runAnalyzers } from '../analyze.js';
import { saveConfigRecord } from '../config-versions.js';
import { IGNORED_SYSTEM_SUBJECTS } from './exposure.js';

/**
 * exposure.k8s-credentials through a real workspace: live Kubernetes objects saved as the
 * Kubernetes source saves them (Secret values hashed), graph nodes and edges as the sources write
 * them, then every analyzer as a scan runs them.
 */

const CN = 'cn-north-1';
const tag = (entity: string): PiiTag => ({ entity, confidence: 0.9, matches: 45, sampled: 50, examples: ['u***@example.com'] });
const urn = (namespace: string, kind: string, name: string) => k8sUrn('prod-cn', namespace, kind, name);
const TOPIC = kafkaUrn('events', 'shop.users');
const DEPLOY = urn('shop', 'Deployment', 'orders-reader');

// Values that must never reach a finding (synthetic).
const DB_PASSWORD = 'hunter2-synthetic';
const KEY_MATERIAL = 'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu';

const meta = (namespace: string, name: string) => ({ name, namespace });
const secret = (namespace: string, name: string, data: Record<string, string>, type = 'Opaque') =>
  ({ apiVersion: 'v1', kind: 'Secret', metadata: meta(namespace, name), type, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])) });
const configMap = (namespace: string, name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(namespace, name), data });
const rule = (resources: string[], verbs: string[], resourceNames?: string[], apiGroups = ['']) => ({ apiGroups, resources, verbs, ...(resourceNames && { resourceNames }) });
const clusterRole = (name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name }, rules });
const role = (namespace: string, name: string, rules: unknown[]) => ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: meta(namespace, name), rules });
const ref = (kind: string, name: string) => ({ apiGroup: 'rbac.authorization.k8s.io', kind, name });
const clusterBinding = (name: string, roleName: string, subjects: unknown[]) =>
  ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name }, roleRef: ref('ClusterRole', roleName), subjects });
const binding = (namespace: string, name: string, roleRef: unknown, subjects: unknown[]) =>
  ({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: meta(namespace, name), roleRef, subjects });
const user = (name: string) => ({ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name });
const group = (name: string) => ({ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name });
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', name, namespace });

const objects = [
  // Used by a workload that reads PII: the PII-linked rule (exposure.k8s-rbac) covers it.
  secret('shop', 'shop-db-credentials', { dsn: `mysql://shop:${DB_PASSWORD}@db/shop` }),
  secret('shop', 'payment-api', { 'api-key': 'synthetic-api-key' }),
  // The API server's token of a ServiceAccount, in a namespace without PII workloads (next to one,
  // the PII-linked rule reports it for its `token` key, as a way into that workload's data).
  secret('billing', 'invoicer-token-x7k2p', { token: 'synthetic-sa-token' }, 'kubernetes.io/service-account-token'),
  secret('billing', 'stripe', { secret_key: 'synthetic-stripe-key' }),
  // Credential by value: a URL with a password (also matched by the PII-linked rule's key names).
  configMap('shop', 'app-config', { DATABASE_URL: `postgres://app:${DB_PASSWORD}@pg:5432/shop`, LOG_LEVEL: 'info' }),
  // Credential by value: a private key under a harmless name.
  configMap('shop', 'tls-bundle', { 'server.pem': `-----BEGIN RSA PRIVATE KEY-----\n${KEY_MATERIAL}\n-----END RSA PRIVATE KEY-----` }),
  // No credential keys, but its node is tagged with PII.
  configMap('shop', 'customer-export', { 'columns.csv': 'id,email' }),
  // Neither: key names that merely contain "pass"/"secret" as parts of other words.
  configMap('billing', 'feature-flags', { passport_field_label: 'Passport', secretName: 'stripe', 'flags.json': '{}' }),

  clusterRole('secret-reader', [rule(['secrets'], ['get', 'list', 'watch'])]),
  clusterRole('ops-admin', [rule(['*'], ['*'], undefined, ['*'])]),
  clusterRole('secret-viewer', [rule(['secrets'], ['get', 'list'])]),
  clusterRole('cluster-admin', [rule(['*'], ['*'], undefined, ['*'])]),
  clusterRole('system:controller:namespace-controller', [rule(['*'], ['get', 'list', 'watch', 'delete'], undefined, ['*'])]),
  role('shop', 'secret-reader', [rule(['secrets'], ['get', 'list'])]),
  role('shop', 'payment-api-reader', [rule(['secrets'], ['get'], ['payment-api'])]),
  role('shop', 'config-reader', [rule(['configmaps'], ['get', 'list'])]),
  clusterBinding('backup-reads-all-secrets', 'secret-reader', [user('backup-operator')]),
  clusterBinding('ops-admin', 'ops-admin', [group('ops')]),
  clusterBinding('cluster-admin', 'cluster-admin', [group('system:masters')]),
  clusterBinding('system:kube-controller-manager', 'secret-reader', [user('system:kube-controller-manager')]),
  clusterBinding('system:controller:namespace-controller', 'system:controller:namespace-controller', [sa('kube-system', 'namespace-controller')]),
  binding('shop', 'reporting-secrets', ref('Role', 'secret-reader'), [sa('shop', 'reporting')]),
  binding('shop', 'payments-dev', ref('Role', 'payment-api-reader'), [user('payments-dev')]),
  binding('shop', 'web-config', ref('Role', 'config-reader'), [sa('shop', 'web')]),
  // A RoleBinding to a ClusterRole reads in its own namespace only; system:authenticated is everyone.
  binding('billing', 'everyone-reads-secrets', ref('ClusterRole', 'secret-viewer'), [group('system:authenticated')]),
];

type Exposure = Extract<Finding, { type: 'exposure' }>;
const row = (f: Exposure) => `${f.rule} ${f.subject} ${f.resource.replace('k8s://prod-cn/', '')} ${f.severity} ${[...f.verbs].sort().join(',')}`;

describe('exposure.k8s-credentials through a workspace', () => {
  let dir: string;
  let store: Store;
  let exposures: Exposure[];
  const prevHome = process.env.DRIFTLINE_HOME;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'driftline-exposure-'));
    process.env.DRIFTLINE_HOME = join(dir, 'home');
    store = Store.open(join(dir, 'ws.driftline'), { create: true });
    store.upsertSource({ name: 'prod-cn', kind: 'kubernetes', region: CN, config: {}, baseDir: dir });
    store.upsertSource({ name: 'events', kind: 'kafka', region: CN, config: {}, baseDir: dir });
    const snap = store.snapshots.begin('prod-cn');
    for (const o of objects) {
      const { namespace } = o.metadata as { namespace?: string };
      saveConfigRecord(store, { type: 'config', urn: k8sUrn('prod-cn', namespace, o.kind, o.metadata.name), content: structuredClone(o), origin: 'live', time: '2024-05-01T10:00:00Z' }, snap, (v) => store.fingerprint(v));
    }
    store.snapshots.finish(snap, 'complete', { stats: {}, report: { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } } });
    store.transaction(() => {
      store.graph.upsertNode({ urn: TOPIC, kind: 'topic', name: 'shop.users', source: 'events', region: CN, props: {} });
      store.graph.upsertNode({ urn: kafkaUrn('events', 'shop.users', 'email'), kind: 'field', name: 'email', source: 'events', region: CN, parent: TOPIC, props: { path: 'email' }, pii: [tag('EMAIL')] });
      store.graph.upsertEdge({ from: TOPIC, to: kafkaUrn('events', 'shop.users', 'email'), kind: 'contains', confidence: 1, evidence: { rule: 'test.capture', detail: 'captured' } });
      store.graph.upsertNode({ urn: DEPLOY, kind: 'workload', name: 'orders-reader', source: 'prod-cn', region: CN, props: {} });
      store.graph.upsertEdge({ from: DEPLOY, to: TOPIC, kind: 'reads', confidence: 0.9, evidence: { rule: 'test.capture', detail: 'env KAFKA_CONSUMER_TOPIC' } });
      store.graph.upsertEdge({ from: DEPLOY, to: urn('shop', 'Secret', 'shop-db-credentials'), kind: 'references', confidence: 1, evidence: { rule: 'test.capture', detail: 'env DATABASE_URL ← key dsn' } });
      store.graph.upsertNode({ urn: urn('shop', 'ConfigMap', 'customer-export'), kind: 'configmap', name: 'customer-export', source: 'prod-cn', region: CN, props: {}, pii: [tag('EMAIL')] });
    });
    const results = await runAnalyzers(store, { scanId: 't', signal: new AbortController().signal });
    expect(results.filter((r) => r.error)).toEqual([]);
    exposures = store.findings.list({ type: 'exposure' }).map((f) => f.finding as Exposure).filter((f) => f.resource.startsWith('k8s://'));
  });

  afterAll(() => {
    store?.close();
    if (prevHome === undefined) delete process.env.DRIFTLINE_HOME;
    else process.env.DRIFTLINE_HOME = prevHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports every subject that can read a Secret or a credential/PII ConfigMap, graded by how much it can read', () => {
    expect(exposures.map(row).sort()).toEqual([
      // PII-linked (kept as it was): the Secret of a workload that reads PII.
      'exposure.k8s-rbac Group:ops shop/Secret/shop-db-credentials high get,list,watch',
      'exposure.k8s-rbac ServiceAccount:shop/reporting shop/Secret/shop-db-credentials high get,list',
      'exposure.k8s-rbac User:backup-operator shop/Secret/shop-db-credentials high get,list,watch',
      // PII-linked by its credential-like key next to the PII workload: that rule's (lower) severity stands.
      'exposure.k8s-rbac Group:ops shop/ConfigMap/app-config low get,list,watch',
      'exposure.k8s-rbac ServiceAccount:shop/web shop/ConfigMap/app-config low get,list',
      // Any other Secret: cluster-wide high, namespace-wide medium, by name low, everyone critical.
      'exposure.k8s-credentials Group:ops shop/Secret/payment-api high get,list,watch',
      'exposure.k8s-credentials User:backup-operator shop/Secret/payment-api high get,list,watch',
      'exposure.k8s-credentials ServiceAccount:shop/reporting shop/Secret/payment-api medium get,list',
      'exposure.k8s-credentials User:payments-dev shop/Secret/payment-api low get',
      'exposure.k8s-credentials Group:ops billing/Secret/stripe high get,list,watch',
      'exposure.k8s-credentials User:backup-operator billing/Secret/stripe high get,list,watch',
      'exposure.k8s-credentials Group:system:authenticated billing/Secret/stripe critical get,list',
      // ConfigMaps holding a private key, or tagged with PII.
      'exposure.k8s-credentials Group:ops shop/ConfigMap/tls-bundle high get,list,watch',
      'exposure.k8s-credentials ServiceAccount:shop/web shop/ConfigMap/tls-bundle medium get,list',
      'exposure.k8s-credentials Group:ops shop/ConfigMap/customer-export high get,list,watch',
      'exposure.k8s-credentials ServiceAccount:shop/web shop/ConfigMap/customer-export medium get,list',
    ].sort());
  });

  it('has one finding per subject and resource across both rules', () => {
    const keys = exposures.map((f) => `${f.subject} ${f.resource}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('leaves out service-account tokens, harmless ConfigMaps and the documented system subjects', () => {
    expect(IGNORED_SYSTEM_SUBJECTS).toEqual(['Group:system:masters', 'User:system:kube-controller-manager', 'ServiceAccount:kube-system/*']);
    const resources = new Set(exposures.map((f) => f.resource));
    expect(resources.has(urn('billing', 'Secret', 'invoicer-token-x7k2p'))).toBe(false);
    expect(resources.has(urn('billing', 'ConfigMap', 'feature-flags'))).toBe(false);
    const subjects = new Set(exposures.map((f) => f.subject));
    for (const ignored of ['Group:system:masters', 'User:system:kube-controller-manager', 'ServiceAccount:kube-system/namespace-controller']) expect(subjects.has(ignored)).toBe(false);
  });

  it('explains each finding with the binding, the scope and the keys — never a value', () => {
    const ops = exposures.find((f) => f.rule === 'exposure.k8s-credentials' && f.subject === 'Group:ops' && f.resource === urn('billing', 'Secret', 'stripe'))!;
    expect(ops.evidence).toBe('Group:ops can get/list/watch every Secret in the cluster — so Secret billing/stripe — via ClusterRoleBinding ops-admin → ClusterRole ops-admin. That Secret is a Secret (type Opaque, keys secret_key).');
    // The same evidence for a Chinese reader, said from its phrase.
    expect(textOf(ops.evidence, ops.evidencePhrase, 'zh-CN')).toBe('Group:ops 可以通过 ClusterRoleBinding ops-admin → ClusterRole ops-admin 对集群中的所有 Secret 执行 get/list/watch，因而包括 Secret billing/stripe。该 Secret 是一个 Secret（类型 Opaque，键 secret_key）。');
    const dev = exposures.find((f) => f.subject === 'User:payments-dev')!;
    expect(dev.evidence).toContain('can get this Secret by name — so Secret shop/payment-api — via RoleBinding shop/payments-dev → Role payment-api-reader');
    const tls = exposures.find((f) => f.subject === 'ServiceAccount:shop/web' && f.resource === urn('shop', 'ConfigMap', 'tls-bundle'))!;
    expect(tls.evidence).toContain('every ConfigMap in namespace shop');
    expect(tls.evidence).toContain('holds credential-like keys (server.pem)');
    expect(exposures.find((f) => f.resource === urn('shop', 'ConfigMap', 'customer-export'))!.evidence).toContain('is tagged with PII (EMAIL)');
    const everything = JSON.stringify(store.findings.list()) + JSON.stringify(store.graph.allEdges(['grants']));
    for (const raw of [DB_PASSWORD, KEY_MATERIAL, 'synthetic-api-key', 'synthetic-stripe-key', 'synthetic-sa-token']) expect(everything).not.toContain(raw);
  });

  it('draws a grants edge from each subject to what it can read', () => {
    const grants = store.graph.allEdges(['grants']).map((e) => `${e.from} -> ${e.to} ${e.evidence.rule}`);
    expect(grants).toContain(`${k8sUrn('prod-cn', undefined, 'User', 'payments-dev')} -> ${urn('shop', 'Secret', 'payment-api')} exposure.k8s-credentials`);
    expect(grants).toContain(`${k8sUrn('prod-cn', 'shop', 'ServiceAccount', 'reporting')} -> ${urn('shop', 'Secret', 'shop-db-credentials')} exposure.k8s-rbac`);
    expect(store.graph.getNode(k8sUrn('prod-cn', undefined, 'Group', 'ops'))!.kind).toBe('subject');
  });
});
