import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture, type CollectedCapture } from '../../../../scripts/testing/capture-harness.js';
import { corpus } from '../../../../scripts/testing/corpora.js';
import type { CaptureRecord } from '../source.js';
import { findKubectl } from './kustomize.js';
import { gitSource } from './index.js';

const RAW_TOKEN = 'flux-secret-token-9c1e';
let root: string;

function commitAll(repo: string, message: string, date: string): void {
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Ops', GIT_AUTHOR_EMAIL: 'ops@example.com', GIT_COMMITTER_NAME: 'Ops', GIT_COMMITTER_EMAIL: 'ops@example.com', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
  execFileSync('git', ['-C', repo, 'add', '-A'], { env });
  execFileSync('git', ['-C', repo, 'commit', '-q', '-m', message], { env });
}
function write(repo: string, path: string, text: string): void {
  mkdirSync(dirname(join(repo, path)), { recursive: true });
  writeFileSync(join(repo, path), text);
}
const configs = (c: CollectedCapture) => c.records.filter((r): r is Extract<CaptureRecord, { type: 'config' }> => r.type === 'config');
const versionsOf = (c: CollectedCapture, urn: string) => configs(c).filter((r) => r.urn === urn).map((r) => r.content as any);
const latest = (c: CollectedCapture, urn: string) => versionsOf(c, urn).at(-1);

beforeAll(() => {
  if (!findKubectl()) throw new Error('kubectl is needed to build kustomizations: apt-get install -y kubernetes-client (or put kubectl on PATH)');
  root = mkdtempSync(join(tmpdir(), 'driftline-flux-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const ks = (name: string, spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 1h\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n${spec}`;

describe('git capture of Flux Kustomizations (small cases, one per rule)', () => {
  let c: CollectedCapture;
  beforeAll(async () => {
    const repo = join(root, 'hand');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    // Variables from a ConfigMap and a Secret in the repository, and one Secret only the cluster holds.
    write(repo, 'flux/vars.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  DOMAIN: example.org\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\n  namespace: flux-system\nstringData:\n  TOKEN: ${RAW_TOKEN}\n`);
    write(repo, 'flux/apps.yaml', [
      ks('web', '  path: ./apps/web\n  targetNamespace: web\n  components:\n    - ../../components/labels\n  postBuild:\n    substitute:\n      APP: web\n      REPLICAS: "3"\n    substituteFrom:\n      - kind: ConfigMap\n        name: cluster-settings\n      - kind: Secret\n        name: cluster-secrets\n'),
      ks('api', '  path: ./apps/api\n  targetNamespace: api\n  postBuild:\n    substitute:\n      APP: api\n    substituteFrom:\n      - kind: Secret\n        name: only-in-cluster\n        optional: true\n'),
      ks('plain', '  path: ./apps/plain\n  targetNamespace: tools\n'),
    ].join('---\n'));
    write(repo, 'components/labels/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nlabels:\n  - pairs:\n      app.kubernetes.io/part-of: ${APP}\n');
    write(repo, 'apps/web/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ./deploy.yaml\n  - ./settings.yaml\n  - ./script.yaml\n');
    write(repo, 'apps/web/deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${APP}\nspec:\n  replicas: ${REPLICAS}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: nginx\n          env:\n            - {name: URL, value: "https://${APP}.${DOMAIN}"}\n            - {name: TOKEN, value: "${TOKEN}"}\n            - {name: REGION, value: "${REGION:=eu-west-1}"}\n            - {name: UNSET, value: "${NOT_DEFINED}"}\n');
    write(repo, 'apps/web/settings.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}-settings\ndata:\n  escaped: "$${APP}"\n  shell: "$HOME"\n');
    write(repo, 'apps/web/script.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-script\n  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\ndata:\n  run.sh: "echo ${APP}"\n');
    // No kustomization.yaml: Flux generates one listing the folder's manifests.
    write(repo, 'apps/api/cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${APP}-config\ndata:\n  key: "${API_KEY}"\n  region: "${REGION:=eu}"\n');
    write(repo, 'apps/api/values.yaml', 'replicas: 2\n'); // not a Kubernetes object: not a resource
    write(repo, 'apps/plain/svc.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: echo\nspec:\n  ports: [{port: 80}]\n');
    commitAll(repo, 'Flux apps', '2026-04-01T10:00:00Z');
    // The ConfigMap named by substituteFrom changes: the objects built with it change too.
    write(repo, 'flux/vars.yaml', `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\n  namespace: flux-system\ndata:\n  DOMAIN: example.net\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: cluster-secrets\n  namespace: flux-system\nstringData:\n  TOKEN: ${RAW_TOKEN}\n`);
    commitAll(repo, 'New domain', '2026-04-02T10:00:00Z');
    c = await collectCapture(gitSource, { name: 'gitops', kind: 'git', region: 'eu-west-1', path: repo, desiredFor: 'prod' }, { baseDir: root });
  });

  it('puts the objects in the targetNamespace and names them with the substituted variables', () => {
    const urns = configs(c).map((r) => r.urn);
    expect(urns).toContain('k8s://prod/web/Deployment/web');
    expect(urns).toContain('k8s://prod/web/ConfigMap/web-settings');
    expect(urns).toContain('k8s://prod/tools/Service/echo');
    expect(urns.filter((u) => u.includes('/default/'))).toEqual([]);
    expect(urns.some((u) => u.includes('${'))).toBe(false);
  });

  it('substitutes inline values, ConfigMap values, defaults and empties as Flux does; components come from the path', () => {
    const d = latest(c, 'k8s://prod/web/Deployment/web');
    expect(d.spec.replicas).toBe(3); // "3" substituted into YAML text is a number, as with Flux
    expect(d.metadata.labels['app.kubernetes.io/part-of']).toBe('web');
    const env = Object.fromEntries(d.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.URL).toBe('https://web.example.net');
    expect(env.REGION).toBe('eu-west-1');
    // kustomize prints the reference unquoted, so the empty substitution leaves an empty YAML value (null), as under Flux.
    expect(env.UNSET).toBeNull();
  });

  it('rebuilds when a substituteFrom ConfigMap changes', () => {
    const urls = versionsOf(c, 'k8s://prod/web/Deployment/web').map((d) => d.spec.template.spec.containers[0].env[0].value);
    expect(urls).toEqual(['https://web.example.org', 'https://web.example.net']);
  });

  it('never lets a Secret value through: only its keyed hash stands in', () => {
    const d = latest(c, 'k8s://prod/web/Deployment/web');
    const token = d.spec.template.spec.containers[0].env.find((e: any) => e.name === 'TOKEN');
    expect(token.value).toMatchObject({ $hash: expect.any(String) }); // the marker, hashed again as a credential-like value
    const settings = latest(c, 'k8s://prod/flux-system/Secret/cluster-secrets');
    expect(settings.stringData.TOKEN).toEqual({ $hash: c.fingerprint(RAW_TOKEN) });
    expect(JSON.stringify(c.records)).not.toContain(RAW_TOKEN);
    expect(JSON.stringify(c.warnings)).not.toContain(RAW_TOKEN);
  });

  it('keeps $${var} literal, $var untouched, and skips resources that opt out', () => {
    expect(latest(c, 'k8s://prod/web/ConfigMap/web-settings').data.escaped).toBe('${APP}');
    expect(latest(c, 'k8s://prod/web/ConfigMap/web-settings').data.shell).toBe('$HOME');
    expect(latest(c, 'k8s://prod/web/ConfigMap/web-script').data['run.sh']).toBe('echo ${APP}');
  });

  it('marks what the repository cannot tell as unknown, says why, and never guesses a default', () => {
    const cm = latest(c, 'k8s://prod/api/ConfigMap/api-config');
    expect(cm.data.key).toBe('<unknown:${API_KEY}>');
    expect(cm.data.region).toBe('<unknown:${REGION}>');
    const warning = c.warnings.find((w) => w.message.includes('flux-system/api'));
    expect(warning?.message).toMatch(/API_KEY.*Secret flux-system\/only-in-cluster is not in the repository/);
  });

  it('generates the kustomization of a folder without one from its manifests only', () => {
    expect(c.failures.map((f) => String((f.error as Error).message ?? f.error))).toEqual([]);
    expect(versionsOf(c, 'k8s://prod/api/ConfigMap/api-config')).toHaveLength(1);
  });

  it('places each built object in the folder Flux builds (what the forecast groups neighbours by), and the files list their objects', () => {
    const nodes = c.records.filter((r): r is Extract<CaptureRecord, { type: 'node' }> => r.type === 'node');
    expect(nodes.find((n) => n.node.urn === 'k8s://prod/web/Deployment/web')?.node.props).toMatchObject({ gitPath: 'apps/web' });
    expect(nodes.find((n) => n.node.urn === 'k8s://prod/tools/Service/echo')?.node.props).toMatchObject({ gitPath: 'apps/plain' });
    expect(nodes.find((n) => n.node.urn === 'git://gitops/apps/web/deploy.yaml')?.node.props?.objects).toContain('k8s://prod/web/Deployment/web');
  });

  it('keeps the Flux Kustomizations themselves as desired objects', () => {
    expect(latest(c, 'k8s://prod/flux-system/Kustomization/web').spec.targetNamespace).toBe('web');
  });
});

describe('git capture of Flux Kustomizations on the real GitOps history (bjw-s-labs/home-ops)', () => {
  let c: CollectedCapture;
  beforeAll(async () => {
    // The newest tree of the corpus, cut to the cluster's root Kustomization, the ai namespace and the shared components.
    const full = join(root, 'home-ops');
    execFileSync('git', ['clone', '-q', '-b', 'slice', corpus('gitops-history', 'home-ops-kubernetes-2025.bundle'), full]);
    const repo = join(root, 'home-ops-ai');
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    for (const part of ['flux/cluster', 'apps/ai', 'components']) cpSync(join(full, part), join(repo, part), { recursive: true });
    commitAll(repo, 'ai namespace of home-ops', '2026-08-22T00:00:00Z');
    c = await collectCapture(gitSource, { name: 'home-ops', kind: 'git', region: 'eu-west-1', path: repo }, { baseDir: root });
  }, 120_000);

  it('places every object in its namespace (apps/ai/kustomization.yaml, then targetNamespace: ai)', () => {
    const urns = configs(c).map((r) => r.urn);
    expect(urns.filter((u) => u.includes('/default/'))).toEqual([]);
    expect(urns).toContain('k8s://home-ops/ai/HelmRelease/open-webui');
    expect(urns).toContain('k8s://home-ops/ai/Kustomization/open-webui');
  });

  it('fills in postBuild variables, nested defaults included (components/kopiur/backup)', () => {
    const pvc = latest(c, 'k8s://home-ops/ai/PersistentVolumeClaim/open-webui'); // name: "${KOPIUR_CLAIM:-${APP}}"
    expect(pvc.spec.resources.requests.storage).toBe('5Gi'); // ${KOPIUR_CAPACITY:=5Gi}
    expect(pvc.spec.storageClassName).toBe('miroir-local');
    expect(latest(c, 'k8s://home-ops/ai/Dragonfly/open-webui-dragonfly')).toBeDefined(); // ${APP}-dragonfly
    expect(configs(c).some((r) => r.urn.includes('${') || JSON.stringify(r.content).includes('${APP}'))).toBe(false);
    // Components only other namespaces use (anubis, zeroscaler) are rightly reported: nothing in this cut fills them in.
    expect(c.warnings.filter((w) => /variables/.test(w.message) && !/components\/(anubis|zeroscaler)\//.test(w.item))).toEqual([]);
  });

  it("applies the root Kustomization's patches to the Kustomizations it builds, and theirs to the HelmReleases", () => {
    const hr = latest(c, 'k8s://home-ops/ai/HelmRelease/open-webui');
    expect(hr.spec.install).toEqual({ crds: 'CreateReplace', strategy: { name: 'RetryOnFailure' } });
    expect(hr.spec.upgrade.remediation).toEqual({ remediateLastFailure: true, retries: 2 });
  });
});
