import { textOf } from '../../../core/i18n/phrase.js';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startK8sApiServer, type K8sApiServer } from '../../../../scripts/testing/k8s-api-server/index.js';
import { KAFKA_CONNECTOR_CRD, ORDERS_CONNECTOR } from '../../../../scripts/testing/k8s-api-server/fixtures.js';
import { collectCapture, type CollectedCapture } from '../../../../scripts/testing/capture-harness.js';
import type { CaptureRecord } from '../source.js';
import { isAppError } from '../../../core/api/errors.js';
import { kubernetesSource } from './index.js';
import { setListPageSizeForTests } from './live-capture.js';
import { corpus } from '../../../../scripts/testing/corpora.js';

const BOUTIQUE = corpus('microservices-demo', 'release', 'kubernetes-manifests.yaml');
const RAW_PASSWORD = 'S3cr3t-Passw0rd!-do-not-leak';
const RAW_TOKEN = 'tok_live_8f2b9c1d';

const secret = {
  apiVersion: 'v1', kind: 'Secret', type: 'Opaque',
  metadata: {
    name: 'db-credentials', namespace: 'shop',
    // kubectl apply stores the whole manifest here, values included: it must be hashed too.
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ stringData: { password: RAW_PASSWORD } }) },
  },
  data: { password: Buffer.from(RAW_PASSWORD).toString('base64'), token: Buffer.from(RAW_TOKEN).toString('base64') },
};
const orders = {
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orders', namespace: 'shop', labels: { app: 'orders' } },
  spec: {
    selector: { matchLabels: { app: 'orders' } },
    template: {
      metadata: { labels: { app: 'orders' } },
      spec: {
        serviceAccountName: 'orders-sa',
        containers: [{
          name: 'app', image: 'shop/orders:1.0',
          envFrom: [{ configMapRef: { name: 'orders-config' } }],
          env: [{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'password' } } }],
          volumeMounts: [{ name: 'tls', mountPath: '/etc/tls' }],
        }],
        volumes: [{ name: 'tls', secret: { secretName: 'orders-tls' } }],
      },
    },
  },
};
const shopObjects = [
  secret,
  orders,
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'orders-tls', namespace: 'shop' }, type: 'kubernetes.io/tls', data: { 'tls.key': Buffer.from('-----BEGIN PRIVATE KEY-----xyz').toString('base64') } },
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'orders-sa', namespace: 'shop' } },
  ...Array.from({ length: 7 }, (_, i) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'shop' }, data: { n: String(i) } })),
  { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orders-config', namespace: 'shop' }, data: { DB_HOST: 'shop-db' } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-secrets', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'auditor' }, rules: [{ apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list'] }] },
  { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly', namespace: 'shop' }, spec: { schedule: '0 1 * * *', jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'x', envFrom: [{ secretRef: { name: 'db-credentials' } }] }] } } } } } },
  KAFKA_CONNECTOR_CRD,
  ORDERS_CONNECTOR,
];

let server: K8sApiServer;
beforeAll(async () => {
  server = await startK8sApiServer({ files: [BOUTIQUE], namespace: 'boutique', objects: shopObjects });
});
afterAll(async () => server?.close());
afterEach(() => {
  setListPageSizeForTests(undefined);
  server.setForbidden([]);
  server.onRequest(undefined);
});

const config = (extra: Record<string, unknown> = {}) => ({ name: 'prod', kind: 'kubernetes', region: 'cn-north-1', kubeconfig: server.kubeconfigPath(), ...extra });
const nodes = (c: CollectedCapture) => c.records.filter((r): r is Extract<CaptureRecord, { type: 'node' }> => r.type === 'node').map((r) => r.node);
const configs = (c: CollectedCapture) => c.records.filter((r): r is Extract<CaptureRecord, { type: 'config' }> => r.type === 'config');
const edges = (c: CollectedCapture) => c.records.filter((r): r is Extract<CaptureRecord, { type: 'edge' }> => r.type === 'edge').map((r) => r.edge);
const countOf = (c: CollectedCapture, kind: string) => nodes(c).filter((n) => n.props?.kind === kind).length;

describe('kubernetes source, live against the test API server', () => {
  let full: CollectedCapture;
  let requestsBefore: number;
  beforeAll(async () => {
    requestsBefore = server.requests.length;
    full = await collectCapture(kubernetesSource, config());
  });

  it('captures the kinds with nodes, config versions and namespace edges', () => {
    expect(full.failures).toEqual([]);
    expect(countOf(full, 'Deployment')).toBe(13); // 12 from the corpora + orders
    expect(countOf(full, 'Service')).toBe(12);
    expect(countOf(full, 'ServiceAccount')).toBe(12);
    expect(countOf(full, 'ConfigMap')).toBe(8);
    expect(countOf(full, 'Namespace')).toBe(2);
    const frontend = nodes(full).find((n) => n.urn === 'k8s://prod/boutique/Deployment/frontend');
    expect(frontend).toMatchObject({ kind: 'workload', source: 'prod', region: 'cn-north-1', parent: 'k8s://prod/_/Namespace/boutique', props: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'boutique' } });
    expect(nodes(full).find((n) => n.urn === 'k8s://prod/shop/ServiceAccount/orders-sa')?.kind).toBe('subject');
    expect(nodes(full).find((n) => n.urn === 'k8s://prod/_/ClusterRole/auditor')?.parent).toBeUndefined();
    const cfg = configs(full).find((c) => c.urn === 'k8s://prod/boutique/Deployment/frontend');
    expect(cfg).toMatchObject({ origin: 'live', content: { kind: 'Deployment', metadata: { name: 'frontend' } } });
    expect(edges(full)).toContainEqual(expect.objectContaining({ from: 'k8s://prod/_/Namespace/shop', to: 'k8s://prod/shop/ConfigMap/orders-config', kind: 'contains' }));
  });

  it('never yields a raw Secret value: data and last-applied are hashed', () => {
    const all = JSON.stringify(full.records);
    for (const raw of [RAW_PASSWORD, RAW_TOKEN, Buffer.from(RAW_PASSWORD).toString('base64'), Buffer.from(RAW_TOKEN).toString('base64'), 'BEGIN PRIVATE KEY']) {
      expect(all).not.toContain(raw);
    }
    const content = configs(full).find((c) => c.urn === 'k8s://prod/shop/Secret/db-credentials')!.content as any;
    expect(content.data).toEqual({ password: { $hash: full.fingerprint(RAW_PASSWORD) }, token: { $hash: full.fingerprint(RAW_TOKEN) } });
    expect(content.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']).toHaveProperty('$hash');
    expect(nodes(full).find((n) => n.urn === 'k8s://prod/shop/Secret/db-credentials')?.kind).toBe('secret');
  });

  it('links workloads to the ConfigMaps, Secrets and ServiceAccount they use', () => {
    const from = 'k8s://prod/shop/Deployment/orders';
    const out = edges(full).filter((e) => e.from === from).map((e) => `${e.kind} ${e.to}`).sort();
    expect(out).toEqual([
      'mounts k8s://prod/shop/Secret/orders-tls',
      'references k8s://prod/shop/ConfigMap/orders-config',
      'references k8s://prod/shop/Secret/db-credentials',
      'references k8s://prod/shop/ServiceAccount/orders-sa',
    ]);
    expect(edges(full).find((e) => e.from === from && e.to.endsWith('/Secret/orders-tls'))?.evidence.detail).toContain('/etc/tls');
    // CronJobs keep their pod template one level deeper; pods without serviceAccountName run as "default"
    expect(edges(full).filter((e) => e.from === 'k8s://prod/shop/CronJob/nightly').map((e) => e.to).sort()).toEqual(['k8s://prod/shop/Secret/db-credentials', 'k8s://prod/shop/ServiceAccount/default']);
  });

  it('captures CRDs, the well-known KafkaConnector custom resources, and schemas', () => {
    expect(nodes(full).find((n) => n.urn === 'k8s://prod/shop/KafkaConnector/orders-cdc')).toMatchObject({ kind: 'connector', props: { apiVersion: 'kafka.strimzi.io/v1beta2' } });
    const schemas = full.records.filter((r): r is Extract<CaptureRecord, { type: 'schema' }> => r.type === 'schema');
    const connector = schemas.find((s) => s.kind === 'KafkaConnector')?.schema as any;
    expect(connector.properties.spec.properties.tasksMax.description).toMatch(/maximum number of tasks/);
    const deployment = schemas.find((s) => s.kind === 'Deployment')?.schema as any;
    expect(deployment.description).toMatch(/declarative updates/);
    // $refs are inlined down to the container's env
    expect(deployment.properties.spec.properties.template.properties.spec.properties.containers.items.properties.env.description).toMatch(/environment variables/);
    expect(schemas.map((s) => s.kind)).toEqual(expect.arrayContaining(['Secret', 'ConfigMap', 'ClusterRoleBinding']));
  });

  it('reports progress per kind and sends nothing but GETs', () => {
    expect(full.progress.length).toBeGreaterThanOrEqual(15);
    expect(full.progress.some((p) => p.item?.includes('secrets'))).toBe(true);
    const sent = server.requests.slice(requestsBefore);
    expect(sent.length).toBeGreaterThan(15);
    expect(sent.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(sent.filter((r) => r.query.watch)).toEqual([]);
  });

  it('paginates with limit/continue', async () => {
    setListPageSizeForTests(3);
    const before = server.requests.length;
    const paged = await collectCapture(kubernetesSource, config());
    expect(countOf(paged, 'ConfigMap')).toBe(8);
    expect(countOf(paged, 'Deployment')).toBe(13);
    const cmLists = server.requests.slice(before).filter((r) => r.path === '/api/v1/configmaps');
    expect(cmLists.map((r) => [r.query.limit, Boolean(r.query.continue)])).toEqual([['3', false], ['3', true], ['3', true]]);
  });

  it('restarts a list whose continue token expired (410 Gone) and captures each object once', async () => {
    setListPageSizeForTests(3);
    let compacted = false;
    server.onRequest((r) => {
      if (!compacted && r.path === '/api/v1/configmaps' && r.query.continue) {
        compacted = true;
        server.compact(); // this very request now carries a too-old token
      }
    });
    const before = server.requests.length;
    const c = await collectCapture(kubernetesSource, config());
    const cmUrns = nodes(c).filter((n) => n.props?.kind === 'ConfigMap').map((n) => n.urn);
    expect(cmUrns).toHaveLength(8);
    expect(new Set(cmUrns).size).toBe(8);
    expect(c.warnings.map((w) => w.message).join('\n')).toMatch(/continue token for configmaps expired \(410 Gone\)/);
    const firstPages = server.requests.slice(before).filter((r) => r.path === '/api/v1/configmaps' && !r.query.continue);
    expect(firstPages).toHaveLength(2); // the first attempt and the restart
  });

  it('turns a forbidden kind into a gap with an actionable reason and goes on', async () => {
    server.setForbidden(['secrets']);
    const c = await collectCapture(kubernetesSource, config());
    const gaps = c.records.filter((r): r is Extract<CaptureRecord, { type: 'gap' }> => r.type === 'gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0].reason).toMatch(/^k8s:\/\/prod: list secrets forbidden for user system:serviceaccount:audit:driftline — grant list on secrets or exclude the kind/);
    // Said in Chinese in the studio: who, what, and the fix; the server's own English words stay in the English text only.
    expect(textOf(gaps[0].reason, gaps[0].phrase, 'zh-CN')).toBe('k8s://prod：用户 system:serviceaccount:audit:driftline 无权列出 secrets（list 被拒绝）——请授予对 secrets 的 list 权限，或在扫描中排除该类型');
    expect(countOf(c, 'Secret')).toBe(0);
    expect(countOf(c, 'ConfigMap')).toBe(8);
    expect(countOf(c, 'ClusterRole')).toBe(1);
  });

  it('limits a capture to the configured namespaces', async () => {
    const before = server.requests.length;
    const c = await collectCapture(kubernetesSource, config({ namespaces: ['shop'] }));
    expect(nodes(c).filter((n) => n.props?.namespace && n.props.namespace !== 'shop')).toEqual([]);
    expect(countOf(c, 'Deployment')).toBe(1);
    expect(countOf(c, 'Namespace')).toBe(1);
    const paths = server.requests.slice(before).map((r) => r.path);
    expect(paths).toContain('/api/v1/namespaces/shop/secrets');
    expect(paths).not.toContain('/api/v1/secrets');
  });

  it('fails the capture with SOURCE_AUTH on a rejected token, and SOURCE_UNREACHABLE when nothing listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftline-kc-'));
    try {
      const bad = join(dir, 'bad');
      writeFileSync(bad, readFileSync(server.kubeconfigPath(), 'utf8').replace(server.token, 'wrong-token'));
      const err = await collectCapture(kubernetesSource, config({ kubeconfig: bad })).catch((e) => e);
      expect(isAppError(err, 'SOURCE_AUTH')).toBe(true);
      expect(err.message).toMatch(/k8s:\/\/prod: the API server https:\/\/127\.0\.0\.1:\d+ rejected the credentials of user "driftline-test-user"/);

      const other = await startK8sApiServer();
      const gone = join(dir, 'gone');
      writeFileSync(gone, readFileSync(other.kubeconfigPath(), 'utf8'));
      await other.close();
      const err2 = await collectCapture(kubernetesSource, config({ kubeconfig: gone })).catch((e) => e);
      expect(isAppError(err2, 'SOURCE_UNREACHABLE')).toBe(true);
      expect(err2.message).toMatch(/cannot reach the API server https:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('tests the connection and names a missing context', async () => {
    const ok = await kubernetesSource.testConnection(kubernetesSource.configSchema.parse(config()), { baseDir: '.', signal: AbortSignal.timeout(10_000), log: console as any });
    expect(ok).toEqual({ ok: true, message: expect.stringMatching(/connected to https:\/\/127\.0\.0\.1:\d+ \(Kubernetes v1\.32\.4\)/) });
    const bad = await kubernetesSource.testConnection(kubernetesSource.configSchema.parse(config({ context: 'staging' })), { baseDir: '.', signal: AbortSignal.timeout(10_000), log: console as any });
    expect(bad).toEqual({ ok: false, message: expect.stringMatching(/context "staging" is not in .* \(it has: driftline-test\)/) });
  });
});
