import { describe, expect, it } from 'vitest';
import { canonicalizeManifest } from './canonicalize.js';
import { sha256Hex } from './sha256.js';

const liveDeployment = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web', namespace: 'shop', uid: '0b6c', resourceVersion: '8812', generation: 4, creationTimestamp: '2024-05-01T10:00:00Z',
    selfLink: '/apis/apps/v1/namespaces/shop/deployments/web', managedFields: [{ manager: 'kubectl' }],
    annotations: { 'deployment.kubernetes.io/revision': '4', 'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}', team: 'checkout' },
    labels: { app: 'web' },
  },
  spec: { replicas: 2, template: { metadata: { creationTimestamp: null, labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
  status: { readyReplicas: 2 },
};

describe('canonicalizeManifest', () => {
  it('drops status, server metadata and tool annotations, also in pod templates', () => {
    expect(canonicalizeManifest(liveDeployment)).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop', annotations: { team: 'checkout' }, labels: { app: 'web' } },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'web:1' }] } } },
    });
  });

  it('removes an annotations map that only held tool annotations', () => {
    const manifest = { kind: 'Service', metadata: { name: 's', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}' } } };
    expect(canonicalizeManifest(manifest)).toEqual({ kind: 'Service', metadata: { name: 's' } });
  });

  it('does not change its input and is idempotent', () => {
    const before = JSON.stringify(liveDeployment);
    const once = canonicalizeManifest(liveDeployment);
    expect(JSON.stringify(liveDeployment)).toBe(before);
    expect(canonicalizeManifest(once)).toEqual(once);
  });

  it('replaces Secret values by hashes and never keeps the value', () => {
    const secret = { kind: 'Secret', metadata: { name: 'db' }, data: { password: 'aHVudGVyMg==' }, stringData: { user: 'admin' } };
    const canonical = canonicalizeManifest(secret, { hashSecretValue: (value) => `hmac(${value.length})` }) as Record<string, unknown>;
    expect(canonical).toEqual({ kind: 'Secret', metadata: { name: 'db' }, data: { password: { $hash: 'hmac(12)' }, user: { $hash: 'hmac(8)' } } });
    expect(JSON.stringify(canonicalizeManifest(secret))).not.toMatch(/aHVudGVyMg|admin|hunter2/);
  });

  it('hashes stringData and the equal base64 data the same way, so both forms compare equal', () => {
    const written = canonicalizeManifest({ kind: 'Secret', metadata: { name: 'db' }, stringData: { password: 'hunter2 密码' } });
    const stored = canonicalizeManifest({ kind: 'Secret', metadata: { name: 'db' }, data: { password: Buffer.from('hunter2 密码').toString('base64') } });
    expect(written).toEqual(stored);
    expect(stored).toEqual({ kind: 'Secret', metadata: { name: 'db' }, data: { password: { $hash: sha256Hex(Buffer.from('hunter2 密码').toString('base64')) } } });
  });

  it.each([
    ['null', null],
    ['a string', 'not an object'],
    ['a list', [1, 2]],
  ])('returns %s unchanged (not a manifest)', (_reason, value) => {
    expect(canonicalizeManifest(value)).toEqual(value);
  });
});
