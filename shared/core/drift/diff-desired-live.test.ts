import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findingSchema } from '../model/finding.js';
import { diffDesiredLive, type DriftItem } from './diff-desired-live.js';
import { driftItemsToFindings } from './drift-findings.js';
import { parseIgnoreRules } from './ignore-rules.js';
import { corporaDir } from '../../../scripts/testing/corpora.js';

type Manifest = Record<string, any>;
const CORPORA = corporaDir();

function readManifests(dir: string): Manifest[] {
  return readdirSync(dir).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml').sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((doc) => doc.toJS() as Manifest))
    .filter((doc) => doc && typeof doc.kind === 'string');
}

const desiredState = [
  ...readManifests(join(CORPORA, 'microservices-demo/kubernetes-manifests')),
  ...readManifests(join(CORPORA, 'argocd-example-apps/sock-shop/base')),
];

const imagePullPolicyFor = (image: string): string => (/:[^/]+$/.test(image) && !image.endsWith(':latest') ? 'IfNotPresent' : 'Always');

function defaultProbe(probe: Manifest | undefined): void {
  if (!probe) return;
  Object.assign(probe, { timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3, ...probe });
  if (probe.httpGet) probe.httpGet.scheme ??= 'HTTP';
}

/** What the API server returns after `kubectl apply` of a manifest: defaults, status, managed fields, reordered keyed lists. */
function simulateLive(desired: Manifest, index: number): Manifest {
  const live = structuredClone(desired);
  live.metadata = {
    ...live.metadata, namespace: 'shop', uid: `uid-${index}`, resourceVersion: String(1000 + index), generation: 3,
    creationTimestamp: '2024-05-01T10:00:00Z', managedFields: [{ manager: 'kubectl-client-side-apply', operation: 'Update' }],
    annotations: { ...live.metadata.annotations, 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(desired) },
  };
  if (live.kind === 'Deployment') {
    live.metadata.annotations['deployment.kubernetes.io/revision'] = '3';
    Object.assign(live.spec, { replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } }, ...live.spec });
    live.spec.template.metadata.creationTimestamp = null;
    const pod = live.spec.template.spec;
    Object.assign(pod, { dnsPolicy: 'ClusterFirst', restartPolicy: 'Always', schedulerName: 'default-scheduler', securityContext: {}, terminationGracePeriodSeconds: 30, ...pod });
    if (pod.serviceAccountName) pod.serviceAccount = pod.serviceAccountName;
    for (const container of [...pod.containers, ...(pod.initContainers ?? [])]) {
      Object.assign(container, { imagePullPolicy: imagePullPolicyFor(container.image), terminationMessagePath: '/dev/termination-log', terminationMessagePolicy: 'File', resources: {}, ...container });
      for (const port of container.ports ?? []) port.protocol ??= 'TCP';
      defaultProbe(container.livenessProbe);
      defaultProbe(container.readinessProbe);
      // The server stores quantities canonically: "1000m" as "1", 0.5 as "500m".
      for (const amounts of [container.resources.limits, container.resources.requests]) {
        for (const [resource, amount] of Object.entries(amounts ?? {})) if (amount === '1000m') amounts[resource] = '1';
      }
      // Keyed lists come back in any order: they must be matched by name, not index.
      if (container.env) container.env = [...container.env].reverse();
    }
    for (const volume of pod.volumes ?? []) if (volume.configMap) volume.configMap.defaultMode ??= 420;
    live.status = { replicas: 1, readyReplicas: 1, observedGeneration: 3, conditions: [{ type: 'Available', status: 'True' }] };
  }
  if (live.kind === 'Service') {
    Object.assign(live.spec, { type: 'ClusterIP', sessionAffinity: 'None', clusterIP: `10.96.0.${index % 250}`, clusterIPs: [`10.96.0.${index % 250}`], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', internalTrafficPolicy: 'Cluster', ...live.spec });
    if (live.spec.type === 'LoadBalancer') Object.assign(live.spec, { externalTrafficPolicy: 'Cluster', allocateLoadBalancerNodePorts: true });
    for (const port of live.spec.ports) {
      port.protocol ??= 'TCP';
      port.targetPort ??= port.port;
      if (live.spec.type === 'LoadBalancer') port.nodePort = 30000 + index;
    }
    live.status = { loadBalancer: {} };
  }
  if (live.kind === 'ServiceAccount') live.secrets = [{ name: `${desired.metadata.name}-token-abcde` }];
  return live;
}

const find = (kind: string, name: string): Manifest => desiredState.find((m) => m.kind === kind && m.metadata.name === name)!;

describe('diffDesiredLive on real manifests', () => {
  it('reads a real corpus with deployments, services and service accounts', () => {
    const kinds = new Set(desiredState.map((m) => m.kind));
    expect(desiredState.length).toBeGreaterThan(50);
    expect([...kinds]).toEqual(expect.arrayContaining(['Deployment', 'Service', 'ServiceAccount']));
  });

  it('finds no drift when live only adds server defaults, status, managedFields and reorders keyed lists', () => {
    const drifted = desiredState.map((desired, i) => ({ name: `${desired.kind}/${desired.metadata.name}`, items: diffDesiredLive(desired, simulateLive(desired, i)) }))
      .filter((result) => result.items.length > 0);
    expect(drifted).toEqual([]);
  });

  it('reports exactly an image tag, a replica count and an env var changed by hand, with pointers into the manifest', () => {
    const desired = find('Deployment', 'carts');
    const live = simulateLive(desired, 1);
    live.spec.replicas = 3;
    live.spec.template.spec.containers[0].image = 'weaveworksdemos/carts:0.4.9';
    live.spec.template.spec.containers[0].env.find((e: Manifest) => e.name === 'ZIPKIN').value = 'zipkin.other.svc';
    expect(diffDesiredLive(desired, live)).toEqual<DriftItem[]>([
      { path: '/spec/replicas', desired: 1, live: 3, kind: 'modified' },
      { path: '/spec/template/spec/containers/0/image', desired: 'weaveworksdemos/carts:0.4.8', live: 'weaveworksdemos/carts:0.4.9', kind: 'modified' },
      { path: '/spec/template/spec/containers/0/env/0/value', desired: 'zipkin.jaeger.svc.cluster.local', live: 'zipkin.other.svc', kind: 'modified' },
    ]);
  });

  it.each<[string, (live: Manifest) => void, DriftItem[]]>([
    ['an env var added by hand is unmanaged (addressed by its live index)', (live) => live.spec.template.spec.containers[0].env.push({ name: 'DEBUG', value: '1' }),
      [{ path: '/spec/template/spec/containers/0/env/2', desired: undefined, live: { name: 'DEBUG', value: '1' }, kind: 'unmanaged-live' }]],
    ['an env var removed is missing live', (live) => { live.spec.template.spec.containers[0].env = live.spec.template.spec.containers[0].env.filter((e: Manifest) => e.name !== 'JAVA_OPTS'); },
      [{ path: '/spec/template/spec/containers/0/env/1', desired: { name: 'JAVA_OPTS', value: expect.stringContaining('-Xms64m') }, live: undefined, kind: 'missing-live' }]],
    ['a sidecar container injected live is unmanaged', (live) => live.spec.template.spec.containers.push({ name: 'istio-proxy', image: 'istio/proxyv2:1.20' }),
      [{ path: '/spec/template/spec/containers/1', desired: undefined, live: { name: 'istio-proxy', image: 'istio/proxyv2:1.20' }, kind: 'unmanaged-live' }]],
    ['a server-defaulted field set to a non-default value by hand is unmanaged', (live) => { live.spec.template.spec.containers[0].imagePullPolicy = 'Never'; },
      [{ path: '/spec/template/spec/containers/0/imagePullPolicy', desired: undefined, live: 'Never', kind: 'unmanaged-live' }]],
    ['a memory limit changed in value is modified, not just re-spelled', (live) => { live.spec.template.spec.containers[0].resources.limits.memory = '1Gi'; },
      [{ path: '/spec/template/spec/containers/0/resources/limits/memory', desired: '500Mi', live: '1Gi', kind: 'modified' }]],
    ['a cpu limit re-spelled with the same value is not drift', (live) => { live.spec.template.spec.containers[0].resources.limits.cpu = '0.3'; }, []],
    ['a field the manifest does not set and the server does not default is server-owned', (live) => { live.spec.template.spec.priority = 0; live.spec.minReadySeconds = 5; }, []],
    ['a label removed is missing live', (live) => { delete live.metadata.labels.name; },
      [{ path: '/metadata/labels/name', desired: 'carts', live: undefined, kind: 'missing-live' }]],
  ])('%s', (_reason, change, expected) => {
    const desired = find('Deployment', 'carts');
    const live = simulateLive(desired, 1);
    change(live);
    expect(diffDesiredLive(desired, live)).toEqual(expected);
  });

  it('reports a changed Service port and a non-default targetPort', () => {
    const desired = find('Service', 'front-end');
    const live = simulateLive(desired, 2);
    live.spec.ports[0].targetPort = 8080;
    expect(diffDesiredLive(desired, live)).toEqual([{ path: '/spec/ports/0/targetPort', desired: 8079, live: 8080, kind: 'modified' }]);
  });

  it('gives one whole-object item when the object exists on one side only', () => {
    const desired = find('Service', 'front-end');
    expect(diffDesiredLive(desired, undefined)).toEqual([{ path: '', desired: expect.objectContaining({ kind: 'Service' }), live: undefined, kind: 'missing-live' }]);
    expect(diffDesiredLive(undefined, simulateLive(desired, 2))).toEqual([{ path: '', desired: undefined, live: expect.not.objectContaining({ status: expect.anything() }), kind: 'unmanaged-live' }]);
    expect(diffDesiredLive(undefined, undefined)).toEqual([]);
  });

  it('compares Secret values by hash and never returns the values', () => {
    const desired = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, stringData: { password: 'hunter2', user: 'admin' } };
    const live = { ...desired, type: 'Opaque', data: { password: Buffer.from('hunter3').toString('base64'), user: Buffer.from('admin').toString('base64') } };
    delete (live as Partial<typeof live>).stringData;
    const items = diffDesiredLive(desired, live, { hashSecretValue: (value) => `h:${value}` });
    expect(items).toEqual([{ path: '/data/password', desired: { $hash: `h:${Buffer.from('hunter2').toString('base64')}` }, live: { $hash: `h:${Buffer.from('hunter3').toString('base64')}` }, kind: 'modified' }]);
    expect(JSON.stringify(diffDesiredLive(desired, live))).not.toMatch(/hunter|aHVudGVy|admin/);
  });

  it('marks the difference on one container env var by name as ignored, and keeps the others', () => {
    const desired = find('Deployment', 'frontend');
    const live = simulateLive(desired, 3);
    const server = live.spec.template.spec.containers[0];
    server.env.find((e: Manifest) => e.name === 'ENABLE_PROFILER').value = '1';
    server.env.find((e: Manifest) => e.name === 'PORT').value = '9090';
    const rules = parseIgnoreRules(`
- kind: Deployment
  name: front*
  pointer: /spec/template/spec/containers[name=server]/env[name=ENABLE_PROFILER]
  id: profiler-toggled-by-oncall
`);
    const items = diffDesiredLive(desired, live, { ignoreRules: rules });
    const envIndex = (name: string): number => desired.spec.template.spec.containers[0].env.findIndex((e: Manifest) => e.name === name);
    expect(items).toEqual([
      { path: `/spec/template/spec/containers/0/env/${envIndex('PORT')}/value`, desired: '8080', live: '9090', kind: 'modified' },
      { path: `/spec/template/spec/containers/0/env/${envIndex('ENABLE_PROFILER')}/value`, desired: '0', live: '1', kind: 'modified', ignored: { rule: 'profiler-toggled-by-oncall' } },
    ]);
    const findings = driftItemsToFindings('k8s://prod/shop/Deployment/frontend', items);
    for (const finding of findings) expect(findingSchema.parse(finding)).toEqual(finding);
    expect(findings.map((f) => [f.rule, f.severity, f.ignored])).toEqual([['drift.modified', 'medium', undefined], ['drift.modified', 'info', true]]);
  });

  it.each([
    ['another object name', 'name: other-*'],
    ['another kind', 'kind: StatefulSet'],
    ['another container', 'pointer: /spec/template/spec/containers[name=sidecar]/env[name=PORT]'],
  ])('does not mark differences when the rule names %s', (_reason, line) => {
    const desired = find('Deployment', 'frontend');
    const live = simulateLive(desired, 3);
    live.spec.template.spec.containers[0].env.find((e: Manifest) => e.name === 'PORT').value = '9090';
    const base: Record<string, string> = { kind: 'Deployment', name: 'frontend', pointer: '/spec/template/spec/containers[name=server]/env[name=PORT]' };
    const [key, value] = line.split(': ');
    const yaml = Object.entries({ ...base, [key]: value }).map(([k, v]) => `${k}: "${v}"`).join('\n  ');
    const items = diffDesiredLive(desired, live, { ignoreRules: parseIgnoreRules(`- ${yaml}`) });
    expect(items).toHaveLength(1);
    expect(items[0].ignored).toBeUndefined();
  });
});
