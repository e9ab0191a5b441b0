import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture, type CollectedCapture } from '../../../../scripts/testing/capture-harness.js';
import type { CaptureRecord } from '../source.js';
import { isAppError } from '../../../core/api/errors.js';
import { gitSource } from './index.js';
import { corpus } from '../../../../scripts/testing/corpora.js';

const CORPORA = corpus('argocd-example-apps');
const RAW_SECRET = 'git-committed-password-123';

let root: string;
let repo: string;
let shimDir: string;
let gitLog: string;
const shas: string[] = [];

/** Writes to the test repo (only the test writes; the source only reads). */
function commit(author: string, message: string, date: string): string {
  const env = { ...process.env, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: `${author.toLowerCase()}@example.com`, GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: `${author.toLowerCase()}@example.com`, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync('git', ['-C', repo, 'add', '-A'], { env });
  execFileSync('git', ['-C', repo, 'commit', '-q', '-m', message], { env });
  const sha = execFileSync('git', ['-C', repo, 'log', '-1', '--format=%H']).toString().trim();
  shas.push(sha);
  return sha;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'driftline-git-'));
  repo = join(root, 'gitops');
  mkdirSync(repo);
  execFileSync('git', ['init', '-q', '-b', 'main', repo]);
  // 1. Alice: sock-shop as plain YAML files, guestbook as a kustomization (namePrefix: kustomize-)
  cpSync(join(CORPORA, 'sock-shop/base'), join(repo, 'clusters/prod/sock-shop'), { recursive: true });
  cpSync(join(CORPORA, 'kustomize-guestbook'), join(repo, 'clusters/prod/guestbook'), { recursive: true });
  writeFileSync(join(repo, 'README.md'), '# gitops\n');
  writeFileSync(join(repo, '.github-ci.yml'), 'on: push\njobs: {}\n'); // YAML that is not a manifest
  commit('Alice', 'Initial sock-shop and guestbook', '2026-01-05T10:00:00+01:00');
  // 2. Bob scales carts
  const carts = join(repo, 'clusters/prod/sock-shop/carts-dep.yaml');
  writeFileSync(carts, readFileSync(carts, 'utf8').replace('replicas: 1', 'replicas: 3'));
  commit('Bob', 'Scale carts to 3', '2026-02-10T15:30:00+01:00');
  // 3. Carol: new guestbook image (kustomize), a Secret, a binary file and an invalid manifest
  const gb = join(repo, 'clusters/prod/guestbook/guestbook-ui-deployment.yaml');
  writeFileSync(gb, readFileSync(gb, 'utf8').replace('gb-frontend:v5', 'gb-frontend:v6'));
  writeFileSync(join(repo, 'clusters/prod/db-secret.yaml'), `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: sock-shop\nstringData:\n  password: ${RAW_SECRET}\n`);
  writeFileSync(join(repo, 'clusters/prod/logo.yaml'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00, 0x01, 0x02]));
  writeFileSync(join(repo, 'clusters/prod/broken.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata: {a: [1, 2\n');
  commit('Carol', 'Guestbook v6, db secret', '2026-03-01T09:00:00Z');
  // 4. Dave removes the payment Service
  unlinkSync(join(repo, 'clusters/prod/sock-shop/payment-svc.yaml'));
  commit('Dave', 'Remove payment service', '2026-03-02T09:00:00Z');
  // 5. Erin: an app folder that builds with a component from elsewhere, and one that only lists its files
  mkdirSync(join(repo, 'clusters/prod/components/team-label'), { recursive: true });
  mkdirSync(join(repo, 'clusters/prod/apps/web'), { recursive: true });
  mkdirSync(join(repo, 'clusters/prod/apps/plain'), { recursive: true });
  const component = (team: string) => `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  team: ${team}\n`;
  writeFileSync(join(repo, 'clusters/prod/components/team-label/kustomization.yaml'), component('shop'));
  writeFileSync(join(repo, 'clusters/prod/apps/web/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./cm.yaml\ncomponents:\n  - ../../components/team-label\n');
  writeFileSync(join(repo, 'clusters/prod/apps/web/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-config\n  namespace: web\ndata:\n  mode: fast\n');
  writeFileSync(join(repo, 'clusters/prod/apps/plain/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./svc.yaml\n');
  writeFileSync(join(repo, 'clusters/prod/apps/plain/svc.yaml'), 'apiVersion: v1\nkind: Service\nmetadata:\n  name: plain\n  namespace: web\nspec:\n  ports: [{port: 80}]\n');
  commit('Erin', 'Web app with the team component', '2026-03-03T09:00:00Z');
  // 6. Frank changes only the component: the web app's objects change with it
  writeFileSync(join(repo, 'clusters/prod/components/team-label/kustomization.yaml'), component('web'));
  commit('Frank', 'Web belongs to the web team', '2026-03-04T09:00:00Z');
  // 7. Gina breaks the web build: its objects keep their last known state (no removal)
  writeFileSync(join(repo, 'clusters/prod/apps/web/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./cm.yaml\n  - ./missing.yaml\ncomponents:\n  - ../../components/team-label\n');
  commit('Gina', 'Half-finished web change', '2026-03-05T09:00:00Z');

  // A git shim on PATH that logs every invocation, to prove the source only reads.
  shimDir = join(root, 'bin');
  mkdirSync(shimDir);
  gitLog = join(root, 'git-calls.log');
  writeFileSync(join(shimDir, 'git'), `#!/bin/sh\necho "$*" >> "${gitLog}"\nexec /usr/bin/git "$@"\n`);
  chmodSync(join(shimDir, 'git'), 0o755);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function withPath<T>(path: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env.PATH;
  process.env.PATH = path;
  try {
    return await fn();
  } finally {
    process.env.PATH = old;
  }
}

const configsOf = (c: CollectedCapture, urn: string) => c.records.filter((r): r is Extract<CaptureRecord, { type: 'config' }> => r.type === 'config' && r.urn === urn);
const gitConfig = (extra: Record<string, unknown> = {}) => ({ name: 'gitops', kind: 'git', region: 'cn-north-1', path: 'gitops', desiredFor: 'prod', ...extra });

describe('git source', () => {
  let c: CollectedCapture;
  beforeAll(async () => {
    writeFileSync(gitLog, '');
    c = await withPath(`${shimDir}:${process.env.PATH}`, () => collectCapture(gitSource, gitConfig(), { baseDir: root }));
  });

  it('yields one desired version per commit that changed an object, with author, time, message and revision', () => {
    const carts = configsOf(c, 'k8s://prod/default/Deployment/carts');
    expect(carts.map((r) => [r.author, r.revision, r.message, (r.content as any).spec.replicas])).toEqual([
      ['Alice <alice@example.com>', shas[0], 'Initial sock-shop and guestbook', 1],
      ['Bob <bob@example.com>', shas[1], 'Scale carts to 3', 3],
    ]);
    expect(carts.every((r) => r.origin === 'desired')).toBe(true);
    expect(carts[1].time).toBe('2026-02-10T15:30:00+01:00');
    // untouched objects have exactly one version
    expect(configsOf(c, 'k8s://prod/default/Deployment/catalogue')).toHaveLength(1);
    expect(configsOf(c, 'k8s://prod/default/Ingress/front-end-ingress')).toHaveLength(1);
  });

  it('renders kustomize directories with kubectl kustomize, per commit', () => {
    const ui = configsOf(c, 'k8s://prod/default/Deployment/kustomize-guestbook-ui');
    expect(ui.map((r) => [r.author, (r.content as any).spec.template.spec.containers[0].image])).toEqual([
      ['Alice <alice@example.com>', 'gcr.io/google-samples/gb-frontend:v5'],
      ['Carol <carol@example.com>', 'gcr.io/google-samples/gb-frontend:v6'],
    ]);
    expect(configsOf(c, 'k8s://prod/default/Service/kustomize-guestbook-ui')).toHaveLength(1);
    expect(configsOf(c, 'k8s://prod/default/Deployment/guestbook-ui')).toEqual([]); // the files are not also read as plain YAML
  });

  it('records removal from the desired state as content null', () => {
    const payment = configsOf(c, 'k8s://prod/default/Service/payment');
    expect(payment.map((r) => [r.author, r.content === null])).toEqual([['Alice <alice@example.com>', false], ['Dave <dave@example.com>', true]]);
  });

  it('hashes Secret values from manifests', () => {
    expect(JSON.stringify(c.records)).not.toContain(RAW_SECRET);
    const db = configsOf(c, 'k8s://prod/sock-shop/Secret/db');
    expect((db[0].content as any).stringData.password).toEqual({ $hash: c.fingerprint(RAW_SECRET) });
  });

  it('fails binary files and invalid YAML per item and goes on', () => {
    const failures = c.failures.map((f) => `${f.item}: ${(f.error as Error).message}`);
    expect(failures).toHaveLength(3);
    expect(failures.find((f) => f.includes('apps/web'))).toMatch(/apps\/web at [0-9a-f]{12}: kubectl kustomize failed/);
    expect(failures.find((f) => f.includes('logo.yaml'))).toMatch(/binary file, not a YAML manifest/);
    expect(failures.find((f) => f.includes('broken.yaml'))).toMatch(/clusters\/prod\/broken\.yaml@[0-9a-f]{12}:\d+:\d+: invalid YAML/);
    expect(c.failures.every((f) => isAppError(f.error, 'SOURCE_BAD_DATA'))).toBe(true);
  });

  it('yields a git-file node per manifest with its last change and objects', () => {
    const files = c.records.filter((r): r is Extract<CaptureRecord, { type: 'node' }> => r.type === 'node').map((r) => r.node);
    const carts = files.find((n) => n.urn === 'git://gitops/clusters/prod/sock-shop/carts-dep.yaml');
    expect(carts).toMatchObject({ kind: 'git-file', props: { lastAuthor: 'Bob <bob@example.com>', lastCommit: shas[1], objects: ['k8s://prod/default/Deployment/carts'] } });
    expect(files.find((n) => n.urn === 'git://gitops/clusters/prod/sock-shop/payment-svc.yaml')).toBeUndefined();
    expect(files.find((n) => n.urn === 'git://gitops/clusters/prod/guestbook/kustomization.yaml')?.props?.objectCount).toBe(2);
  });

  it('builds kustomizations with the components they include from elsewhere, and rebuilds them when those change', () => {
    const web = configsOf(c, 'k8s://prod/web/ConfigMap/web-config');
    expect(web.map((r) => [r.author, (r.content as any)?.metadata.labels.team])).toEqual([
      ['Erin <erin@example.com>', 'shop'],
      ['Frank <frank@example.com>', 'web'],
    ]);
    // Gina's broken build is a failure, not a removal of web-config from the desired state.
    expect(web.some((r) => r.content === null)).toBe(false);
  });

  it('reads a kustomization that only lists its files without kubectl', async () => {
    const plain = await withPath(shimDir, () => collectCapture(gitSource, gitConfig({ dir: 'clusters/prod/apps' }), { baseDir: root }));
    expect(configsOf(plain, 'k8s://prod/web/Service/plain').map((r) => r.author)).toEqual(['Erin <erin@example.com>']);
    expect(configsOf(plain, 'k8s://prod/web/ConfigMap/web-config')).toEqual([]); // needs kustomize to build
  });

  it('makes the objects defined at ref graph nodes, with their namespace, folder and references', () => {
    const nodes = c.records.filter((r): r is Extract<CaptureRecord, { type: 'node' }> => r.type === 'node').map((r) => r.node);
    const carts = nodes.find((n) => n.urn === 'k8s://prod/default/Deployment/carts');
    expect(carts).toMatchObject({ kind: 'workload', name: 'carts', source: 'prod', parent: 'k8s://prod/_/Namespace/default', props: { kind: 'Deployment', desiredIn: 'gitops', gitPath: 'clusters/prod/sock-shop/carts-dep.yaml' } });
    expect(nodes.find((n) => n.urn === 'k8s://prod/web/ConfigMap/web-config')?.props).toMatchObject({ gitPath: 'clusters/prod/apps/web' });
    // Removed from the repository: no node.
    expect(nodes.find((n) => n.urn === 'k8s://prod/default/Service/payment')).toBeUndefined();
    expect(nodes.find((n) => n.urn === 'k8s://prod/_/Namespace/web')).toMatchObject({ props: { inferred: true } });
    const edges = c.records.filter((r): r is Extract<CaptureRecord, { type: 'edge' }> => r.type === 'edge').map((r) => r.edge);
    expect(edges).toContainEqual(expect.objectContaining({ from: 'k8s://prod/_/Namespace/default', to: 'k8s://prod/default/Deployment/carts', kind: 'contains' }));
  });

  it('runs only read-only git commands, each with the fixed safe configuration', () => {
    const calls = readFileSync(gitLog, 'utf8').trim().split('\n');
    const subcommands = calls.map((l) => l.split(' ').find((w, i, all) => !w.startsWith('-') && all[i - 1] !== '-C' && all[i - 1] !== '-c'));
    expect(subcommands.length).toBeGreaterThan(3);
    // `config --get-all safe.directory` reads the user's own trust decisions; everything else runs in the repository.
    expect(new Set(subcommands)).toEqual(new Set(['config', 'check-ref-format', 'rev-parse', 'ls-tree', 'log', 'cat-file']));
    for (const call of calls.filter((l) => !l.startsWith('config '))) {
      expect(call).toContain('-c gpg.program=false');
      expect(call).toContain('-c log.showSignature=false');
      expect(call).toContain('-c core.fsmonitor=false');
    }
    expect(calls.find((l) => l.startsWith('config '))).toBe('config --includes -z --get-all safe.directory');
  });

  it('limits to `dir`, names the source itself without desiredFor, and warns when kubectl is missing', async () => {
    const only = await withPath(shimDir, () => collectCapture(gitSource, gitConfig({ dir: 'clusters/prod/guestbook', desiredFor: undefined }), { baseDir: root }));
    expect(only.records.filter((r) => r.type === 'config')).toEqual([]);
    expect(only.warnings.map((w) => w.message).join()).toMatch(/kustomize directory \(clusters\/prod\/guestbook\) found; only those that just list their files are read without kubectl — install kubectl/);
    const sock = await collectCapture(gitSource, gitConfig({ dir: 'clusters/prod/sock-shop', desiredFor: undefined }), { baseDir: root });
    const urns = new Set(sock.records.filter((r) => r.type === 'config').map((r: any) => r.urn));
    expect([...urns].every((u) => u.startsWith('k8s://gitops/default/'))).toBe(true);
    expect(urns.size).toBe(readdirSync(join(CORPORA, 'sock-shop/base')).length);
  });

  it('reads an older ref and reports a bad path or ref clearly', async () => {
    const old = await collectCapture(gitSource, gitConfig({ ref: shas[0] }), { baseDir: root });
    expect(configsOf(old, 'k8s://prod/default/Deployment/carts')).toHaveLength(1);
    const err = await collectCapture(gitSource, gitConfig({ ref: 'no-such-branch' }), { baseDir: root }).catch((e) => e);
    expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
    expect(err.message).toMatch(/git:\/\/gitops: .*no-such-branch.* — check `ref`/);
    const conn = await gitSource.testConnection(gitSource.configSchema.parse(gitConfig({ path: root })), { baseDir: root, signal: AbortSignal.timeout(10_000), log: console as any });
    expect(conn).toEqual({ ok: false, message: expect.stringMatching(/is not a git checkout — point `path` at a clone/) });
  });
});
