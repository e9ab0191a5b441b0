import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import type { Finding } from '../../../core/model/finding.js';
import { k8sUrn } from '../../../core/model/urn.js';
import { createLogger } from '../../log/logger.js';
import { Store, type StoredSource } from '../../store/index.js';
import { runScan } from '../scan.js';
import type { AnalyzerContext } from './analyzer.js';
import { peerPairs, rbacCompareAnalyzer } from './rbac-compare.js';
import { corpus } from '../../../../scripts/testing/corpora.js';
import { registerConfigStandIns, type Manifest } from '../../../../scripts/testing/config-stand-ins.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

// The kubernetes kind is a stand-in here (see scripts/testing/config-stand-ins.ts).
const { clusters } = registerConfigStandIns();

const source = (name: string, extra: Record<string, unknown> = {}): StoredSource =>
  ({ name, kind: 'kubernetes', region: 'cn-north-1', config: { name, kind: 'kubernetes', region: 'cn-north-1', ...extra }, baseDir: tmp.dir });
const ctx = (): AnalyzerContext => ({ log: createLogger('test.rbac-compare'), signal: new AbortController().signal, progress: () => {} });

const BOOTSTRAP = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };

/** What both clusters run; `variant` sets the per-cluster differences. */
function cluster(variant: { logLevel: string; ordersImage: string; clusterIP: string; orderSecrets: boolean; discoveryGroups: string[] }): Manifest[] {
  const orders = parseYaml(readFileSync(corpus('argocd-example-apps', 'sock-shop', 'base', 'orders-dep.yaml'), 'utf8'));
  orders.metadata.namespace = 'shop';
  orders.spec.template.spec.containers[0].image = variant.ordersImage;
  return [
    orders,
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'orders', namespace: 'shop' }, spec: { clusterIP: variant.clusterIP, clusterIPs: [variant.clusterIP], ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }], selector: { name: 'orders' } } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'shop' }, data: { LOG_LEVEL: variant.logLevel, REGION_NEUTRAL: 'yes' } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'orders', namespace: 'shop' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'secret-reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
    ...(variant.orderSecrets ? [{ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'orders-secrets', namespace: 'shop' }, subjects: [{ kind: 'ServiceAccount', name: 'orders' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' } }] : []),
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'view', labels: BOOTSTRAP }, rules: [{ apiGroups: [''], resources: ['pods', 'services'], verbs: ['get', 'list', 'watch'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'dev-view', namespace: 'shop' }, subjects: [{ kind: 'Group', name: 'developers', apiGroup: 'rbac.authorization.k8s.io' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } },
    // Version skew the control plane maintains, not anyone's decision: not reported.
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'system:discovery', labels: BOOTSTRAP }, rules: [{ nonResourceURLs: ['/api'], verbs: ['get'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'system:discovery', labels: BOOTSTRAP }, subjects: variant.discoveryGroups.map((name) => ({ kind: 'Group', name })), roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: `.:53 { forward . ${variant.clusterIP} }` } },
    { apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'orders-5f8d', namespace: 'shop', ownerReferences: [{ kind: 'Deployment', name: 'orders', uid: variant.clusterIP }] }, spec: { replicas: 1 } },
  ];
}

describe('rbac-compare analyzer: cluster vs cluster', () => {
  let store: Store;
  let findings: Extract<Finding, { type: 'drift' }>[];
  afterAll(() => store.close());

  beforeAll(async () => {
    store = Store.open(tmp.path('compare.driftline'), { create: true });
    clusters.set('prod-cn', cluster({ logLevel: 'debug', ordersImage: 'weaveworksdemos/orders:0.4.7', clusterIP: '10.96.1.10', orderSecrets: true, discoveryGroups: ['system:authenticated'] }));
    clusters.set('prod-eu', cluster({ logLevel: 'info', ordersImage: 'weaveworksdemos/orders:0.4.8', clusterIP: '10.100.7.3', orderSecrets: false, discoveryGroups: ['system:authenticated', 'system:unauthenticated'] }));
    // Not a twin of either prod cluster (other family, no peers): never compared.
    clusters.set('staging-x', cluster({ logLevel: 'trace', ordersImage: 'weaveworksdemos/orders:latest', clusterIP: '10.0.0.1', orderSecrets: false, discoveryGroups: [] }));
    await runScan({ store, sources: [source('prod-cn'), source('prod-eu'), source('staging-x')], analyze: false });
    await rbacCompareAnalyzer.run(store, ctx());
    findings = store.findings.list({ type: 'drift' }).map((f) => f.finding as Extract<Finding, { type: 'drift' }>);
  });

  it('reports exactly the differing objects and the subject whose rights differ', () => {
    expect(findings.map((f) => `${f.rule} ${f.urn} ${f.path}`).sort()).toEqual([
      `drift.cluster-mismatch ${k8sUrn('prod-cn', 'shop', 'ConfigMap', 'app-config')} /data/LOG_LEVEL`,
      `drift.cluster-mismatch ${k8sUrn('prod-cn', 'shop', 'Deployment', 'orders')} /spec/template/spec/containers/0/image`,
      `drift.rbac-mismatch ${k8sUrn('prod-cn', 'shop', 'ServiceAccount', 'orders')} `,
    ]);
  });

  it('names both clusters and both values for a same-named object', () => {
    const config = findings.find((f) => f.urn.endsWith('/ConfigMap/app-config'))!;
    expect(config).toMatchObject({ desired: 'debug', live: 'info', severity: 'low', confidence: 1 });
    expect(config.evidence).toMatch(/ConfigMap shop\/app-config differs between clusters at \/data\/LOG_LEVEL: "debug" in prod-cn \(snapshot \d+\), "info" in prod-eu/);
    const image = findings.find((f) => f.urn.endsWith('/Deployment/orders'))!;
    expect(image).toMatchObject({ desired: 'weaveworksdemos/orders:0.4.7', live: 'weaveworksdemos/orders:0.4.8', severity: 'high' });
  });

  it('names the ServiceAccount that can read secrets in one cluster only, with the rights on each side', () => {
    const rbac = findings.find((f) => f.rule === 'drift.rbac-mismatch')!;
    expect(rbac.severity).toBe('high');
    expect(rbac.evidence).toBe('ServiceAccount shop/orders has different rights in prod-cn and prod-eu. Only in prod-cn: get/list secrets in namespace shop. Only in prod-eu: nothing.');
    expect(rbac.desired).toEqual([
      { namespace: 'shop', apiGroup: '', resource: 'secrets', verb: 'get' },
      { namespace: 'shop', apiGroup: '', resource: 'secrets', verb: 'list' },
    ]);
    expect(rbac.live).toEqual([]);
  });

  it('never mentions a cluster outside the pair', () => {
    expect(JSON.stringify(findings)).not.toContain('staging-x');
  });
});

describe('peerPairs', () => {
  const k8s = (name: string, peers?: unknown) => ({ name, kind: 'kubernetes', config: peers === undefined ? {} : { peers } });
  it.each([
    ['twins by name family', [k8s('prod-cn'), k8s('prod-eu'), k8s('staging')], [['prod-cn', 'prod-eu']]],
    ['three regions of one family pair each way', [k8s('prod-us'), k8s('prod-cn'), k8s('prod-eu')], [['prod-cn', 'prod-eu'], ['prod-cn', 'prod-us'], ['prod-eu', 'prod-us']]],
    ['declared peers pair across families', [k8s('alpha', ['beta']), k8s('beta')], [['alpha', 'beta']]],
    ['declared peers replace the name rule', [k8s('prod-cn', ['dr-site']), k8s('prod-eu'), k8s('dr-site')], [['dr-site', 'prod-cn']]],
    ['a dump of a cluster is not its twin (prefix "prod-cn" vs "prod")', [k8s('prod-cn'), k8s('prod-cn-dump')], []],
    ['names without a family are never paired by name', [k8s('prod'), k8s('production')], []],
    ['a malformed peers value is read as absent (the name rule applies), not as an error', [k8s('prod-cn', 42), k8s('prod-eu')], [['prod-cn', 'prod-eu']]],
  ])('%s', (_why, sources, pairs) => {
    expect(peerPairs([...sources, { name: 'gitops', kind: 'git', config: { peers: ['prod-cn'] } }])).toEqual(pairs);
  });
});
