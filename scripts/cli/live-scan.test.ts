import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../testing/temp.js';
import { corpus } from '../testing/corpora.js';
import { startK8sApiServer, type K8sApiServer } from '../testing/k8s-api-server/index.js';
import { runCliInProcess } from './run-in-process.js';

/**
 * The CLI against a live cluster, as an auditor runs it: sources.yaml names a kubeconfig and a
 * context, `driftline scan` captures through the test API server (proven faithful with kubectl in
 * its own tests), and the other commands read the workspace.
 */
const tmp = useTempHome();
let api: K8sApiServer;
const SECRET_VALUE = 'sk_live_4eC39HqLyjWDarjtT1zdp7dc';

beforeAll(async () => {
  api = await startK8sApiServer({
    files: [corpus('microservices-demo', 'release', 'kubernetes-manifests.yaml')],
    namespace: 'boutique',
    objects: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'payment-keys', namespace: 'boutique' }, type: 'Opaque', data: { STRIPE_KEY: Buffer.from(SECRET_VALUE).toString('base64') } }],
  });
});
afterAll(async () => {
  await api?.close();
  tmp.cleanup();
});

const run = runCliInProcess;

describe('driftline scan on a live cluster', () => {
  it('captures through the kubeconfig, keeps neither its token nor Secret values, and only reads', async () => {
    const yaml = tmp.path('sources.yaml');
    const kubeconfig = api.kubeconfigPath();
    const context = /current-context: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1];
    writeFileSync(yaml, `sources:\n  - name: prod-cn\n    kind: kubernetes\n    region: cn-north-1\n    kubeconfig: ${kubeconfig}\n    context: ${context}\n`);
    const workspace = tmp.path('live.driftline');
    const scan = await run('scan', yaml, '--workspace', workspace);
    expect(scan.err).not.toMatch(/failed/);
    expect(scan.code).toBe(0);
    expect(scan.out).toMatch(/prod-cn: snapshot \d+ complete/);
    expect(scan.err).toMatch(/prod-cn capturing/);

    const explain = await run('explain', '--workspace', workspace, 'Deployment', 'spec.replicas');
    expect(explain.code).toBe(0);
    expect(explain.out).toMatch(/FIELD: spec\.replicas <integer>/);

    const lineage = await run('lineage', '--workspace', workspace, 'k8s://prod-cn/_/Namespace/boutique', '--downstream', '--depth', '1', '--json');
    expect(JSON.parse(lineage.out).nodes.map((n: { urn: string }) => n.urn)).toContain('k8s://prod-cn/boutique/Deployment/frontend');

    const token = /token: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1];
    const bytes = readdirSync(tmp.dir).filter((f) => f.startsWith('live.driftline')).map((f) => readFileSync(tmp.path(f)).toString('latin1')).join('');
    expect(bytes.length).toBeGreaterThan(0);
    for (const secret of [token, SECRET_VALUE, Buffer.from(SECRET_VALUE).toString('base64')]) expect(bytes.includes(secret)).toBe(false);
    expect(api.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('driftline sources test', () => {
  it('says which sources answer and which do not, before any scan', async () => {
    const kubeconfig = api.kubeconfigPath();
    const context = /current-context: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1];
    const yaml = tmp.path('check.yaml');
    writeFileSync(yaml, `sources:\n  - name: prod-cn\n    kind: kubernetes\n    region: cn-north-1\n    kubeconfig: ${kubeconfig}\n    context: ${context}\n  - name: gone\n    kind: kubernetes\n    region: cn-north-1\n    file: ./missing-dump.json\n`);
    const r = await run('sources', 'test', yaml);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ok\s+prod-cn\s+kubernetes/m);
    expect(r.out).toMatch(/^FAIL\s+gone\s+kubernetes .*missing-dump\.json/m);
    const onlyGood = await run('sources', 'test', yaml, '--source', 'prod-cn');
    expect(onlyGood.code).toBe(0);
  });
});
