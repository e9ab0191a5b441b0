import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startK8sApiServer, type K8sApiServer } from './index.js';
import { KAFKA_CONNECTOR_CRD, ORDERS_CONNECTOR } from './fixtures.js';
import { corpus } from '../../../scripts/testing/corpora.js';

/**
 * Faithfulness: Debian's real kubectl must be able to talk to the test API server (DESIGN.md
 * "Testing against real parts"). If kubectl can discover, list, paginate and get, so can Driftline.
 */
const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
const BOUTIQUE = corpus('microservices-demo', 'release', 'kubernetes-manifests.yaml');

let server: K8sApiServer;
const kubectl = async (...args: string[]): Promise<string> => {
  const { stdout } = await run(KUBECTL, ['--kubeconfig', server.kubeconfigPath(), '--request-timeout=20s', ...args], { timeout: 30_000, maxBuffer: 32 * 1024 * 1024 });
  return stdout;
};

beforeAll(async () => {
  if (!existsSync(KUBECTL)) throw new Error(`kubectl not found at ${KUBECTL}: install it with \`apt-get install -y kubernetes-client\``);
  server = await startK8sApiServer({
    files: [BOUTIQUE],
    namespace: 'boutique',
    objects: [
      KAFKA_CONNECTOR_CRD,
      ORDERS_CONNECTOR,
      ...['a', 'b', 'c', 'd', 'e'].map((n) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${n}`, namespace: 'shop' }, data: { key: n } })),
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'boutique' }, data: { LOG_LEVEL: 'info' } },
    ],
  });
});
afterAll(async () => server?.close());

describe('real kubectl against the test API server', () => {
  it('lists namespaces (discovery, shortNames-free path)', async () => {
    const out = await kubectl('get', 'ns', '-o', 'name');
    expect(out.trim().split('\n').sort()).toEqual(['namespace/boutique', 'namespace/shop']);
    const table = await kubectl('get', 'ns');
    expect(table).toMatch(/^NAME\s+/);
    expect(table).toContain('boutique');
  });

  it('lists ConfigMaps in all namespaces via the `cm` short name', async () => {
    const list = JSON.parse(await kubectl('get', 'cm', '-A', '-o', 'json'));
    const names = list.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`).sort();
    expect(names).toEqual(['boutique/settings', 'shop/cm-a', 'shop/cm-b', 'shop/cm-c', 'shop/cm-d', 'shop/cm-e']);
    // kubectl re-adds apiVersion/kind that the server leaves out of list items
    expect(list.items[0]).toMatchObject({ apiVersion: 'v1', kind: 'ConfigMap' });
  });

  it('gets the corpora Deployments of one namespace as JSON', async () => {
    const list = JSON.parse(await kubectl('get', 'deploy', '-n', 'boutique', '-o', 'json'));
    expect(list.items).toHaveLength(12);
    const frontend = list.items.find((i: any) => i.metadata.name === 'frontend');
    expect(frontend.kind).toBe('Deployment');
    expect(frontend.spec.template.spec.containers[0].image).toMatch(/frontend/);
    expect(Number(frontend.metadata.resourceVersion)).toBeGreaterThan(1000);
  });

  it('gets one object by name and reports a missing one as NotFound', async () => {
    const sa = JSON.parse(await kubectl('get', 'sa', 'frontend', '-n', 'boutique', '-o', 'json'));
    expect(sa).toMatchObject({ kind: 'ServiceAccount', metadata: { name: 'frontend', namespace: 'boutique' } });
    await expect(kubectl('get', 'cm', 'nope', '-n', 'shop')).rejects.toThrow(/configmaps "nope" not found/);
  });

  it('lists custom resources of a CRD by plural and short name', async () => {
    expect((await kubectl('get', 'kafkaconnectors', '-n', 'shop', '-o', 'name')).trim()).toBe('kafkaconnector.kafka.strimzi.io/orders-cdc');
    const list = JSON.parse(await kubectl('get', 'kctr', '-A', '-o', 'json'));
    expect(list.items[0]).toMatchObject({ apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaConnector', spec: { tasksMax: 1 } });
  });

  it('answers --raw paths with the real list shape', async () => {
    const raw = JSON.parse(await kubectl('get', '--raw', '/api/v1/namespaces'));
    expect(raw.kind).toBe('NamespaceList');
    expect(raw.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(raw.items.map((i: any) => i.metadata.name)).toEqual(['boutique', 'shop']);
    const version = JSON.parse(await kubectl('get', '--raw', '/version'));
    expect(version.gitVersion).toMatch(/^v1\.\d+/);
  });

  it('paginates with --chunk-size=2 using limit/continue', async () => {
    const before = server.requests.length;
    const out = await kubectl('get', 'cm', '-n', 'shop', '--chunk-size=2', '-o', 'name');
    expect(out.trim().split('\n')).toEqual(['cm-a', 'cm-b', 'cm-c', 'cm-d', 'cm-e'].map((n) => `configmap/${n}`));
    const lists = server.requests.slice(before).filter((r) => r.path === '/api/v1/namespaces/shop/configmaps');
    expect(lists.map((r) => r.query.limit)).toEqual(['2', '2', '2']);
    expect(lists.filter((r) => r.query.continue).length).toBe(2);
  });

  it('reports an expired continue token as 410 Gone with reason Expired', async () => {
    const first = JSON.parse(await kubectl('get', '--raw', '/api/v1/namespaces/shop/configmaps?limit=2'));
    expect(first.metadata.continue).toBeTruthy();
    server.compact();
    const err = await kubectl('get', '--raw', `/api/v1/namespaces/shop/configmaps?limit=2&continue=${first.metadata.continue}`).catch((e) => e);
    expect(String(err.stderr)).toMatch(/too old|Expired|Gone/i);
  });

  it('refuses a wrong token and forbidden kinds, with Status bodies', async () => {
    // (Without any credentials kubectl would prompt for a username on stdin, so send a wrong token.)
    const wrongToken = await kubectl('--token', 'not-the-token', 'get', 'ns').catch((e) => e);
    expect(String(wrongToken.stderr)).toMatch(/You must be logged in to the server/);
    server.setForbidden(['secrets']);
    const denied = await kubectl('get', 'secrets', '-A').catch((e) => e);
    expect(String(denied.stderr)).toMatch(/secrets is forbidden: User ".*" cannot list resource "secrets"/);
    server.setForbidden([]);
  });

  it('streams watch events as JSON lines', async () => {
    const watch = run(KUBECTL, ['--kubeconfig', server.kubeconfigPath(), 'get', 'cm', '-n', 'shop', '--watch-only', '-o', 'name', '--request-timeout=3s'], { timeout: 30_000 }).catch((e) => e);
    await new Promise((r) => setTimeout(r, 1500));
    server.addObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'watched', namespace: 'shop' }, data: {} });
    const result = await watch;
    expect(String(result.stdout)).toContain('configmap/watched');
  });

  it('received nothing but GETs from kubectl', () => {
    expect(server.requests.length).toBeGreaterThan(10);
    expect(server.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});
