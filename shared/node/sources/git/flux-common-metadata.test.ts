import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { collectCapture, type CollectedCapture } from '../../../../scripts/testing/capture-harness.js';
import { corpus } from '../../../../scripts/testing/corpora.js';
import { diffDesiredLive, isDriftDifference } from '../../../core/drift/diff-desired-live.js';
import type { CaptureRecord } from '../source.js';
import { finishFluxObjects } from './flux-common-metadata.js';
import { findKubectl } from './kustomize.js';
import { gitSource } from './index.js';

let root: string;
beforeAll(() => {
  if (!findKubectl()) throw new Error('kubectl is needed to build kustomizations: apt-get install -y kubernetes-client (or put kubectl on PATH)');
  root = mkdtempSync(join(tmpdir(), 'driftline-flux-meta-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const configs = (c: CollectedCapture) => c.records.filter((r): r is Extract<CaptureRecord, { type: 'config' }> => r.type === 'config');
const latest = (c: CollectedCapture, urn: string) => configs(c).filter((r) => r.urn === urn).at(-1)?.content as any;

describe('commonMetadata, as kustomize-controller applies it', () => {
  it("sets the labels and annotations on every object's own metadata, a common key overriding the object's, and leaves selectors and templates alone", () => {
    const text = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    app.kubernetes.io/name: old\n    keep: "yes"\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n';
    const out = finishFluxObjects(text, { labels: { 'app.kubernetes.io/name': 'tqm' }, annotations: { team: 'media' } }, false);
    const [deploy, cm] = parseAllDocuments(out).map((doc) => doc.toJS());
    expect(deploy.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'tqm', keep: 'yes' });
    expect(deploy.metadata.annotations).toEqual({ team: 'media' });
    expect(deploy.spec.selector.matchLabels).toEqual({ app: 'web' });
    expect(deploy.spec.template.metadata.labels).toEqual({ app: 'web' });
    expect(cm.metadata).toEqual({ name: 'plain', labels: { 'app.kubernetes.io/name': 'tqm' }, annotations: { team: 'media' } });
  });
});

describe('Flux commonMetadata and SOPS decryption on the real GitOps history (bjw-s-labs/home-ops, before commit 789758ea)', () => {
  let c: CollectedCapture;
  beforeAll(async () => {
    // The last tree in which Flux Kustomizations decrypt SOPS files themselves (789758ea moved that to the controller).
    const full = join(root, 'home-ops');
    execFileSync('git', ['clone', '-q', '-b', 'slice', corpus('gitops-history', 'home-ops-kubernetes-2025.bundle'), full]);
    const repo = join(root, 'downloads');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    execFileSync('sh', ['-c', 'git -C "$1" archive 789758ea^ flux/cluster apps/downloads components | tar -x -C "$2"', 'sh', full, repo]);
    const env = { ...process.env, GIT_AUTHOR_NAME: 'Ops', GIT_AUTHOR_EMAIL: 'ops@example.com', GIT_COMMITTER_NAME: 'Ops', GIT_COMMITTER_EMAIL: 'ops@example.com', GIT_AUTHOR_DATE: '2025-09-30T00:00:00Z', GIT_COMMITTER_DATE: '2025-09-30T00:00:00Z' };
    execFileSync('git', ['-C', repo, 'add', '-A'], { env });
    execFileSync('git', ['-C', repo, 'commit', '-q', '-m', 'downloads namespace of home-ops'], { env });
    c = await collectCapture(gitSource, { name: 'home-ops', kind: 'git', region: 'eu-west-1', path: repo, desiredFor: 'home' }, { baseDir: root });
  }, 180_000);

  it('builds without a warning that commonMetadata or decryption is not applied', () => {
    expect(configs(c).length).toBeGreaterThan(10);
    expect(c.warnings.filter((w) => /commonMetadata|decryption|not applied/.test(w.message))).toEqual([]);
  });

  it("labels every object of the tqm Kustomization with its commonMetadata (app.kubernetes.io/name: tqm)", () => {
    const built = ['HelmRelease/tqm', 'OCIRepository/tqm', 'Secret/tqm-secret'].map((k) => latest(c, `k8s://home/downloads/${k}`));
    for (const object of built) expect(object?.metadata?.labels?.['app.kubernetes.io/name']).toBe('tqm');
  });

  it('keeps a SOPS-encrypted value marked, drops the sops block, and drift calls it unknown rather than comparing ciphertext', () => {
    const secret = latest(c, 'k8s://home/downloads/Secret/tqm-secret');
    expect(secret.sops).toBeUndefined();
    const value = secret.stringData['config.yaml'];
    expect(value).toMatchObject({ $hash: expect.any(String), $why: ['sops-encrypted'] });
    expect(JSON.stringify(c.records)).not.toContain('ENC[AES256_GCM');
    const live = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'tqm-secret', namespace: 'downloads', labels: { 'app.kubernetes.io/name': 'tqm' } }, type: 'Opaque', data: { 'config.yaml': { $hash: c.fingerprint('clients: {}') } } };
    const items = diffDesiredLive(secret, live);
    expect(items.map((i) => [i.path, i.kind, i.unknown])).toEqual([['/data/config.yaml', 'unknown', 'sops-encrypted']]);
    expect(items.filter(isDriftDifference)).toEqual([]);
  });
});
