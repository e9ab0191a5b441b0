import { describe, expect, it } from 'vitest';
import { contentHash } from './canonical-json.js';
import { applyPatch } from './json-patch.js';
import { buildTimeline, diffSnapshots, type ObjectVersion, type SnapshotObject } from './snapshot-diff.js';

const deployment = (image: string, replicas: number, extraEnv: Record<string, string>[] = []) => ({
  kind: 'Deployment', metadata: { name: 'web' },
  spec: { replicas, template: { spec: { containers: [{ name: 'web', image, env: [{ name: 'A', value: '1' }, ...extraEnv] }] } } },
});
const entry = (content: unknown): SnapshotObject => ({ hash: contentHash(content), content });

describe('diffSnapshots', () => {
  it('reports added, removed and modified objects with patches and readable keys', () => {
    const before = new Map([
      ['k8s://p/shop/Deployment/web', entry(deployment('web:1', 2))],
      ['k8s://p/shop/ConfigMap/old', entry({ kind: 'ConfigMap', data: { a: '1' } })],
      ['k8s://p/shop/Service/same', entry({ kind: 'Service', spec: { type: 'ClusterIP' } })],
    ]);
    const after = new Map([
      ['k8s://p/shop/Deployment/web', entry(deployment('web:2', 0, [{ name: 'DB_PASSWORD', value: 'x' }]))],
      ['k8s://p/shop/ConfigMap/new', entry({ kind: 'ConfigMap', data: { b: '2' } })],
      ['k8s://p/shop/Service/same', entry({ spec: { type: 'ClusterIP' }, kind: 'Service' })],
    ]);
    const changes = diffSnapshots(before, after);
    expect(changes.map(({ urn, change, keysTouched }) => ({ urn, change, keysTouched }))).toEqual([
      { urn: 'k8s://p/shop/ConfigMap/new', change: 'added', keysTouched: ['data.b', 'kind'] },
      { urn: 'k8s://p/shop/ConfigMap/old', change: 'removed', keysTouched: ['data.a', 'kind'] },
      { urn: 'k8s://p/shop/Deployment/web', change: 'modified', keysTouched: ['spec.replicas', 'spec.template.spec.containers[web].env[DB_PASSWORD].name', 'spec.template.spec.containers[web].env[DB_PASSWORD].value', 'spec.template.spec.containers[web].image'] },
    ]);
    const modified = changes[2];
    expect(applyPatch(before.get(modified.urn)!.content, modified.patch!)).toEqual(after.get(modified.urn)!.content);
  });

  it('finds nothing between equal snapshots', () => {
    const snapshot = new Map([['k8s://p/_/Namespace/shop', entry({ kind: 'Namespace' })]]);
    expect(diffSnapshots(snapshot, new Map(snapshot))).toEqual([]);
  });
});

describe('buildTimeline', () => {
  const version = (time: string, content: unknown, author?: string, origin = 'git'): ObjectVersion =>
    ({ urn: 'k8s://p/shop/Deployment/web', time, hash: contentHash(content), content, author, origin });

  it('orders versions by time, skips unchanged ones and patches between consecutive versions', () => {
    const v1 = deployment('web:1', 2);
    const v2 = deployment('web:2', 2);
    const timeline = buildTimeline([
      version('2024-03-02T10:00:00Z', v2, 'bob'),
      version('2024-03-01T10:00:00Z', v1, 'alice'),
      version('2024-03-02T10:05:00Z', v2, undefined, 'live-snapshot-7'),
      version('2024-03-03T09:00:00Z', null, 'carol'),
      { urn: 'k8s://p/shop/ConfigMap/c', time: '2024-03-01T00:00:00Z', hash: 'h', content: { data: {} }, origin: 'git' },
    ]);
    expect(timeline.map((e) => [e.urn.split('/').pop(), e.change, e.author, e.keysTouched.length > 0 ? e.keysTouched : undefined])).toEqual([
      ['c', 'added', undefined, ['data']],
      ['web', 'added', 'alice', expect.arrayContaining(['spec.replicas'])],
      ['web', 'modified', 'bob', ['spec.template.spec.containers[web].image']],
      ['web', 'removed', 'carol', expect.arrayContaining(['spec.template.spec.containers[web].image'])],
    ]);
    expect(timeline[2].patch).toEqual([{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'web:2' }]);
    expect(timeline[2].previousHash).toBe(contentHash(v1));
  });
});
