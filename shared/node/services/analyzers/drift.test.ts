import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { k8sUrn } from '../../../core/model/urn.js';
import type { Finding } from '../../../core/model/finding.js';
import { createLogger } from '../../log/logger.js';
import { Store, type SnapshotInfo, type StoredSource } from '../../store/index.js';
import { runScan } from '../scan.js';
import type { AnalyzerContext } from './analyzer.js';
import { driftAnalyzer, driftSeverity } from './drift.js';
import { corporaDir } from '../../../../scripts/testing/corpora.js';
import { registerConfigStandIns, type Manifest, type StandInCommit } from '../../../../scripts/testing/config-stand-ins.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

const CORPORA = corporaDir();

// The kubernetes and git kinds are stand-ins here (see scripts/testing/config-stand-ins.ts).
const { clusters, repositories } = registerConfigStandIns();
type Commit = StandInCommit;

const source = (name: string, kind: string, extra: Record<string, unknown> = {}): StoredSource =>
  ({ name, kind, region: 'cn-north-1', config: { name, kind, region: 'cn-north-1', ...extra }, baseDir: tmp.dir });

const ctx = (): AnalyzerContext => ({ log: createLogger('test.drift'), signal: new AbortController().signal, progress: () => {} });

// ---------------------------------------------------------------------------------------------
// Desired state from real manifests, and what a real API server makes of them.

function loadManifests(files: string[]): Manifest[] {
  return files.flatMap((file) => parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => doc.toJS() as Manifest).filter((m) => m && m.kind));
}

const SOCK_SHOP = loadManifests(readdirSync(join(CORPORA, 'argocd-example-apps/sock-shop/base')).map((f) => join(CORPORA, 'argocd-example-apps/sock-shop/base', f)));
const BOUTIQUE_DIR = join(CORPORA, 'microservices-demo/kubernetes-manifests');
const BOUTIQUE = loadManifests(
  (parseAllDocuments(readFileSync(join(BOUTIQUE_DIR, 'kustomization.yaml'), 'utf8'))[0].toJS().resources as string[]).map((f) => join(BOUTIQUE_DIR, f)),
);

const SECRET_DESIRED = 'correct-horse-battery-staple-approved';
const SECRET_LIVE = 'hand-set-Tr0ub4dor-live-only';
const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const cartsDbSecret: Manifest = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'carts-db-credentials' }, stringData: { password: SECRET_DESIRED } };

/** The desired objects: namespace → manifests (the manifests leave the namespace to kustomize, as in the corpora). */
const DESIRED: [string, Manifest[]][] = [['sock-shop', [...SOCK_SHOP, cartsDbSecret]], ['boutique', BOUTIQUE]];

function defaultImagePullPolicy(image: string): string {
  const tag = image.slice(image.lastIndexOf('/') + 1).split(':')[1];
  return image.includes('@') ? 'IfNotPresent' : !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/**
 * What `kubectl apply` of a manifest looks like when read back: server metadata, the last-applied
 * annotation, defaulted fields, assigned cluster IPs and node ports, and status.
 */
function simulateLive(manifest: Manifest, namespace: string, index: number): Manifest {
  const live = structuredClone(manifest);
  live.metadata = {
    ...live.metadata, namespace, uid: randomUUID(), resourceVersion: String(1000 + index), generation: 2, creationTimestamp: '2025-12-01T08:00:00Z',
    managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update', apiVersion: live.apiVersion, time: '2025-12-01T08:00:00Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
    annotations: { ...live.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(manifest) },
  };
  if (live.kind === 'Deployment') {
    live.metadata.annotations['deployment.kubernetes.io/revision'] = '1';
    live.spec.replicas ??= 1;
    live.spec.revisionHistoryLimit ??= 10;
    live.spec.progressDeadlineSeconds ??= 600;
    live.spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    live.spec.template.metadata.creationTimestamp = null;
    const pod = live.spec.template.spec;
    Object.assign(pod, { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', ...pod });
    pod.securityContext ??= {};
    pod.terminationGracePeriodSeconds ??= 30;
    if (pod.serviceAccountName) pod.serviceAccount = pod.serviceAccountName;
    for (const container of [...(pod.initContainers ?? []), ...pod.containers]) {
      container.imagePullPolicy ??= defaultImagePullPolicy(container.image);
      container.terminationMessagePath ??= '/dev/termination-log';
      container.terminationMessagePolicy ??= 'File';
      container.resources ??= {};
      for (const port of container.ports ?? []) port.protocol ??= 'TCP';
      for (const probe of [container.livenessProbe, container.readinessProbe].filter(Boolean)) {
        Object.assign(probe, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...probe });
        if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
      }
    }
    live.status = { observedGeneration: 2, replicas: live.spec.replicas, readyReplicas: live.spec.replicas, conditions: [{ type: 'Available', status: 'True' }] };
  }
  if (live.kind === 'Service') {
    const spec = live.spec;
    spec.type ??= 'ClusterIP';
    Object.assign(spec, { clusterIP: `10.96.0.${index % 250}`, clusterIPs: [`10.96.0.${index % 250}`], sessionAffinity: 'None', ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster' });
    spec.ports.forEach((port: Manifest, i: number) => {
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port;
      if (spec.type !== 'ClusterIP') port.nodePort = 30000 + index * 3 + i;
    });
    if (spec.type === 'LoadBalancer') Object.assign(spec, { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
    live.status = { loadBalancer: {} };
  }
  if (live.kind === 'Secret') {
    live.data = Object.fromEntries(Object.entries(live.stringData ?? {}).map(([key, value]) => [key, base64(String(value))]));
    delete live.stringData;
    live.type ??= 'Opaque';
  }
  return live;
}

function liveCluster(): Manifest[] {
  let index = 0;
  return DESIRED.flatMap(([namespace, manifests]) => manifests.map((manifest) => simulateLive(manifest, namespace, index++)));
}

const find = (objects: Manifest[], namespace: string, kind: string, name: string): Manifest => {
  const object = objects.find((o) => o.metadata.namespace === namespace && o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`fixture: ${kind} ${namespace}/${name} not found`);
  return object;
};
const container = (deployment: Manifest, name: string): Manifest => deployment.spec.template.spec.containers.find((c: Manifest) => c.name === name);

const initialCommit: Commit = {
  revision: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678', author: 'alice', time: '2025-11-03T10:15:00Z', message: 'sock-shop and boutique',
  objects: DESIRED.flatMap(([namespace, manifests]) => manifests.map((manifest) => ({ namespace, manifest }))),
};

const driftOf = (store: Store): Extract<Finding, { type: 'drift' }>[] =>
  store.findings.list({ type: 'drift' }).map((f) => f.finding as Extract<Finding, { type: 'drift' }>);

// ---------------------------------------------------------------------------------------------

describe('drift analyzer: git desired vs live', () => {
  it('finds no drift when live is the desired state plus server defaults, status and managedFields', async () => {
    const store = Store.open(tmp.path('clean.driftline'), { create: true });
    repositories.set('gitops-clean', [initialCommit]);
    clusters.set('clean-cn', liveCluster());
    await runScan({ store, sources: [source('gitops-clean', 'git', { desiredFor: 'clean-cn' }), source('clean-cn', 'kubernetes')], analyze: false });
    // The comparison really ran over every object: 29 sock-shop + 1 Secret + the boutique objects, all live.
    expect(store.configs.latestAll('desired').length).toBe(SOCK_SHOP.length + 1 + BOUTIQUE.length);
    expect(store.configs.latestAll('live').length).toBe(store.configs.latestAll('desired').length);

    const result = await driftAnalyzer.run(store, ctx());
    expect(driftOf(store)).toEqual([]);
    expect(result.findings).toBe(0);
    store.close();
  });

  it('a replica count the manifest leaves unset is the autoscaler’s where one targets the workload (real HPA), and drift where none does', async () => {
    const store = Store.open(tmp.path('autoscaled.driftline'), { create: true });
    const hpa = parseAllDocuments(readFileSync(join(import.meta.dirname, '../../../../scripts/testing/fixtures/home-ops-zeroscaler/horizontalpodautoscaler.yaml'), 'utf8'))[0].toJS() as Manifest;
    hpa.metadata = { name: 'frontend', namespace: 'boutique' };
    hpa.spec.scaleTargetRef = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'frontend' };
    repositories.set('gitops-hpa', [{ ...initialCommit, objects: [...initialCommit.objects, { namespace: 'boutique', manifest: hpa }] }]);
    const live = [...liveCluster(), simulateLive(hpa, 'boutique', 990)];
    expect('replicas' in find(BOUTIQUE.map((m) => ({ ...m, metadata: { ...m.metadata, namespace: 'boutique' } })), 'boutique', 'Deployment', 'frontend').spec).toBe(false);
    find(live, 'boutique', 'Deployment', 'frontend').spec.replicas = 0; // scaled to zero by the HPA
    find(live, 'boutique', 'Deployment', 'cartservice').spec.replicas = 3; // scaled by hand: no autoscaler
    clusters.set('hpa-cn', live);
    await runScan({ store, sources: [source('gitops-hpa', 'git', { desiredFor: 'hpa-cn' }), source('hpa-cn', 'kubernetes')], analyze: false });
    await driftAnalyzer.run(store, ctx());
    expect(driftOf(store).map((f) => `${f.urn} ${f.path}`)).toEqual([`${k8sUrn('hpa-cn', 'boutique', 'Deployment', 'cartservice')} /spec/replicas`]);
    store.close();
  });

  describe('a cluster that drifts over three snapshots', () => {
    let store: Store;
    let findings: Extract<Finding, { type: 'drift' }>[];
    let live: Manifest[];
    let profiler: Manifest;
    let snapshot1: SnapshotInfo, snapshot2: SnapshotInfo, snapshot3: SnapshotInfo;
    let laterCommit: Commit;
    const at = (name: string, path: string) => findings.find((f) => f.urn.endsWith(`/${name}`) && f.path === path);
    afterAll(() => store.close());

    beforeAll(async () => {
    store = Store.open(tmp.path('drift.driftline'), { create: true });
    writeFileSync(tmp.path('drift-ignore.yaml'), [
      'rules:',
      '  - id: profiler-toggled-by-sre',
      '    kind: Deployment',
      '    namespace: boutique',
      '    name: frontend',
      '    pointer: /spec/template/spec/containers[name=server]/env[name=ENABLE_PROFILER]',
      '',
    ].join('\n'));
    const gitops = source('gitops', 'git', {
      desiredFor: 'prod-cn',
      ignore: [{ kind: 'Deployment', name: 'front-end', pointer: '/spec/template/spec/containers[name=front-end]/env[name=SESSION_REDIS]' }],
      ignoreFile: 'drift-ignore.yaml',
    });
    const prod = source('prod-cn', 'kubernetes');
    repositories.set('gitops', [initialCommit]);
    await runScan({ store, sources: [gitops], analyze: false });

    // Snapshot 1: hand edits the ignore rules cover, a Secret set by hand, an unmanaged Deployment,
    // and objects that are not drift: controller-owned, created by Kubernetes, or outside git's namespaces.
    live = liveCluster();
    container(find(live, 'sock-shop', 'Deployment', 'front-end'), 'front-end').env.find((e: Manifest) => e.name === 'SESSION_REDIS').value = 'false';
    profiler = container(find(live, 'boutique', 'Deployment', 'frontend'), 'server').env.find((e: Manifest) => e.name === 'ENABLE_PROFILER');
    profiler.value = profiler.value === '1' ? '0' : '1';
    find(live, 'sock-shop', 'Secret', 'carts-db-credentials').data.password = base64(SECRET_LIVE);
    const debugShell = simulateLive({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'debug-shell' }, spec: { selector: { matchLabels: { app: 'debug' } }, template: { metadata: { labels: { app: 'debug' } }, spec: { containers: [{ name: 'sh', image: 'busybox:1.36' }] } } } }, 'sock-shop', 900);
    const replicaSet = { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'carts-7d9f', namespace: 'sock-shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'carts', uid: randomUUID() }] }, spec: { replicas: 1 } };
    const generated = [
      { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: 'sock-shop' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt', namespace: 'boutique' }, data: { 'ca.crt': '-----BEGIN CERTIFICATE-----' } },
      { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'carts', namespace: 'sock-shop' } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: '.:53 {}' } },
    ];
    clusters.set('prod-cn', [...live, debugShell, replicaSet, ...generated]);
    [snapshot1] = (await runScan({ store, sources: [prod], analyze: false })).snapshots;

    // Snapshot 2: someone bumps the carts image by hand. Snapshot 3: someone scales orders.
    container(find(live, 'sock-shop', 'Deployment', 'carts'), 'carts').image = 'weaveworksdemos/carts:0.4.9-hotfix';
    [snapshot2] = (await runScan({ store, sources: [prod], analyze: false })).snapshots;
    find(live, 'sock-shop', 'Deployment', 'orders').spec.replicas = 3;
    [snapshot3] = (await runScan({ store, sources: [prod], analyze: false })).snapshots;

    // After the last snapshot, carol commits a ConfigMap nobody has applied yet.
    const featureFlags = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'feature-flags' }, data: { checkout_v2: 'on' } };
    laterCommit = { revision: 'f00dfeedcafe0000000000000000000000000001', author: 'carol', time: new Date(Date.now() + 60_000).toISOString(), message: 'feature flags', objects: [{ namespace: 'sock-shop', manifest: featureFlags }] };
    repositories.set('gitops', [initialCommit, laterCommit]);
    await runScan({ store, sources: [gitops], analyze: false });

    await driftAnalyzer.run(store, ctx());
    findings = driftOf(store);
    });

    it('reports exactly the drifts that were made, and nothing for owned, generated or unmanaged-namespace objects', () => {
      expect(findings.map((f) => `${f.rule} ${f.urn} ${f.path}`).sort()).toEqual([
        `drift.missing-live ${k8sUrn('prod-cn', 'sock-shop', 'ConfigMap', 'feature-flags')} `,
        `drift.modified ${k8sUrn('prod-cn', 'boutique', 'Deployment', 'frontend')} /spec/template/spec/containers/0/env/${container(find(live, 'boutique', 'Deployment', 'frontend'), 'server').env.indexOf(profiler)}/value`,
        `drift.modified ${k8sUrn('prod-cn', 'sock-shop', 'Deployment', 'carts')} /spec/template/spec/containers/0/image`,
        `drift.modified ${k8sUrn('prod-cn', 'sock-shop', 'Deployment', 'front-end')} /spec/template/spec/containers/0/env/0/value`,
        `drift.modified ${k8sUrn('prod-cn', 'sock-shop', 'Deployment', 'orders')} /spec/replicas`,
        `drift.modified ${k8sUrn('prod-cn', 'sock-shop', 'Secret', 'carts-db-credentials')} /data/password`,
        `drift.unmanaged-live ${k8sUrn('prod-cn', 'sock-shop', 'Deployment', 'debug-shell')} `,
      ].sort());
    });

    it('dates each drift from the snapshot where it began, and names the values', () => {
      const image = at('carts', '/spec/template/spec/containers/0/image')!;
      expect(image).toMatchObject({ desired: 'weaveworksdemos/carts:0.4.8', live: 'weaveworksdemos/carts:0.4.9-hotfix', severity: 'high', confidence: 1, since: snapshot2.startedAt });
      expect(image.evidence).toContain(`since snapshot ${snapshot2.id} (${snapshot2.startedAt})`);
      expect(image.evidence).toContain('Deployment sock-shop/carts');

      const replicas = at('orders', '/spec/replicas')!;
      // Capacity, not rights nor where data goes: Low (severity follows what the change does).
      expect(replicas).toMatchObject({ desired: 1, live: 3, severity: 'low', since: snapshot3.startedAt });
      expect(replicas.evidence).toContain(`since snapshot ${snapshot3.id} (`);

      const unmanaged = at('debug-shell', '')!;
      expect(unmanaged).toMatchObject({ rule: 'drift.unmanaged-live', severity: 'medium', since: snapshot1.startedAt });
      expect(unmanaged.evidence).toMatch(/not in git \(gitops.*manages namespace sock-shop/);
    });

    it('dates an object committed after the last snapshot from its commit', () => {
      const missing = at('feature-flags', '')!;
      expect(missing).toMatchObject({ rule: 'drift.missing-live', since: laterCommit.time, desired: { $object: 'ConfigMap sock-shop/feature-flags', $sha256: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      // A whole object is named and hashed in the finding, never copied into it.
      expect(JSON.stringify(missing)).not.toContain('checkout_v2');
      expect(missing.evidence).toContain('since commit f00dfee by carol');
    });

    it('keeps differences covered by inline and file ignore rules, marked ignored with severity info', () => {
      const inline = at('front-end', '/spec/template/spec/containers/0/env/0/value')!;
      expect(inline).toMatchObject({ ignored: true, severity: 'info', desired: 'true', live: 'false' });
      expect(inline.confidence).toBeLessThan(1);
      expect(inline.evidence).toContain('ignored by rule Deployment/*/front-end:/spec/template/spec/containers[name=front-end]/env[name=SESSION_REDIS]');
      const fromFile = findings.find((f) => f.urn.endsWith('/boutique/Deployment/frontend'))!;
      expect(fromFile).toMatchObject({ ignored: true, severity: 'info' });
      expect(fromFile.evidence).toContain('ignored by rule profiler-toggled-by-sre');
      expect(findings.filter((f) => f.ignored)).toHaveLength(2);
    });

    it('compares a Secret by hash only: the drift is reported and no value appears anywhere in the findings', () => {
      const secret = at('carts-db-credentials', '/data/password')!;
      expect(secret.desired).toEqual({ $hash: expect.stringMatching(/^[0-9a-f]{16,}$/) });
      expect(secret.live).toEqual({ $hash: expect.stringMatching(/^[0-9a-f]{16,}$/) });
      expect(secret.desired).not.toEqual(secret.live);
      expect(secret.evidence).toMatch(/secret value with hash [0-9a-f]{12}…/);
      const everything = JSON.stringify(store.findings.list());
      for (const leak of [SECRET_DESIRED, SECRET_LIVE, base64(SECRET_DESIRED), base64(SECRET_LIVE)]) expect(everything).not.toContain(leak);
    });

    it('replaces its findings when run again instead of adding to them', async () => {
      await driftAnalyzer.run(store, ctx());
      expect(driftOf(store)).toHaveLength(findings.length);
    });
  });
});

describe('driftSeverity', () => {
  it.each([
    ['Deployment', '/spec/template/spec/containers/0/securityContext/privileged', 'high', 'privilege settings decide what a container may do on the node'],
    ['Deployment', '/spec/template/spec/containers/1/image', 'high', 'a different image is different code'],
    ['Deployment', '/spec/template/spec/serviceAccountName', 'high', 'another identity means other API rights'],
    ['Deployment', '/spec/template/spec/hostNetwork', 'high', 'host namespaces escape pod isolation'],
    ['Deployment', '/spec/template/spec/containers/2', 'high', 'a whole container nobody approved'],
    ['Role', '/rules/0/verbs', 'high', 'RBAC rules are rights'],
    ['Deployment', '/spec/replicas', 'low', 'capacity, not rights'],
    ['Deployment', '/spec/template/spec/containers/0/resources/limits/cpu', 'low', 'capacity, not rights'],
    ['Secret', '/data/password', 'medium', 'a credential nobody approved'],
    ['ConfigMap', '/data/LOG_LEVEL', 'low', 'ordinary configuration'],
    ['RoleBinding', '', 'high', 'a whole access object out of step with git'],
    ['ConfigMap', '', 'medium', 'a whole object out of step with git'],
  ])('%s %s → %s', (kind, path, severity) => {
    expect(driftSeverity(kind, path)).toBe(severity);
  });
});
