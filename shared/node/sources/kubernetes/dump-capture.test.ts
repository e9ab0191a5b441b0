import { execFile } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startK8sApiServer } from '../../../../scripts/testing/k8s-api-server/index.js';
import { collectCapture, type CollectedCapture } from '../../../../scripts/testing/capture-harness.js';
import type { CaptureRecord } from '../source.js';
import { AppError, isAppError } from '../../../core/api/errors.js';
import { kubernetesSource } from './index.js';
import { corpus } from '../../../../scripts/testing/corpora.js';

const BOUTIQUE = corpus('microservices-demo', 'release', 'kubernetes-manifests.yaml');
const RAW = 'hunter2-never-in-output';
const run = promisify(execFile);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-dumps-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const capture = (file: string) => collectCapture(kubernetesSource, { name: 'dump', kind: 'kubernetes', region: 'eu-west-1', file }, { baseDir: dir });
const nodes = (c: CollectedCapture) => c.records.filter((r): r is Extract<CaptureRecord, { type: 'node' }> => r.type === 'node').map((r) => r.node);
const kinds = (c: CollectedCapture) => nodes(c).reduce<Record<string, number>>((acc, n) => ({ ...acc, [String(n.props?.kind)]: (acc[String(n.props?.kind)] ?? 0) + 1 }), {});
const failureText = (c: CollectedCapture) => c.failures.map((f) => `${f.item} → ${(f.error as Error).message}`).join('\n');

describe('kubernetes source, offline dumps', () => {
  it('reads real `kubectl get -o json` and `-o yaml` output', async () => {
    const server = await startK8sApiServer({
      files: [BOUTIQUE], namespace: 'boutique',
      objects: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'api', namespace: 'shop' }, data: { key: Buffer.from(RAW).toString('base64') } }],
    });
    try {
      const kubectl = async (...args: string[]) => (await run('/usr/bin/kubectl', ['--kubeconfig', server.kubeconfigPath(), ...args], { timeout: 30_000, maxBuffer: 64 << 20 })).stdout;
      const json = write('cluster.json', await kubectl('get', 'deploy,sa,secret', '-A', '-o', 'json'));
      const yml = write('cluster.yaml', await kubectl('get', 'deploy,sa,secret', '-A', '-o', 'yaml'));
      for (const file of [json, yml]) {
        const c = await capture(file);
        expect(failureText(c)).toBe('');
        expect(kinds(c)).toEqual({ Deployment: 12, ServiceAccount: 11, Secret: 1, Namespace: 2 }); // Namespaces inferred from the objects
        expect(nodes(c).find((n) => n.urn === 'k8s://dump/boutique/Deployment/frontend')?.kind).toBe('workload');
        expect(JSON.stringify(c.records)).not.toContain(RAW);
        expect(JSON.stringify(c.records)).not.toContain(Buffer.from(RAW).toString('base64'));
        const secret = c.records.find((r) => r.type === 'config' && r.urn === 'k8s://dump/shop/Secret/api') as any;
        expect(secret.content.data.key).toEqual({ $hash: c.fingerprint(RAW) });
      }
    } finally {
      await server.close();
    }
  });

  it('reads the corpora multi-document manifests, defaulting the namespace', async () => {
    const c = await capture(BOUTIQUE);
    expect(failureText(c)).toBe('');
    expect(kinds(c)).toEqual({ Deployment: 12, Service: 12, ServiceAccount: 11, Namespace: 1 });
    const checkout = c.records.filter((r) => r.type === 'edge' && r.edge.from === 'k8s://dump/default/Deployment/checkoutservice').map((r: any) => r.edge.to);
    expect(checkout).toEqual(['k8s://dump/default/ServiceAccount/checkoutservice']);
  });

  it('fills in kind/apiVersion of raw API list items from the List kind', async () => {
    const file = write('raw.json', JSON.stringify({ kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '7' }, items: [{ metadata: { name: 'a', namespace: 'x' }, data: { k: 'v' } }] }));
    const c = await capture(file);
    expect(nodes(c).map((n) => n.urn)).toContain('k8s://dump/x/ConfigMap/a');
  });

  // Bad input is per item: each row says why it is invalid and what must still come through.
  const badCases: { name: string; why: string; file: string; text: string; failure: RegExp; captured: string[] }[] = [
    {
      name: 'invalid YAML in one document', why: 'an unclosed flow mapping on line 7', file: 'broken.yaml',
      text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok1}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: [broken\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok2}\n',
      failure: /broken\.yaml:\d+:\d+: invalid YAML in document 2/, captured: ['ok1', 'ok2'],
    },
    {
      name: 'a document without kind', why: 'no kind: not a Kubernetes object', file: 'nokind.yaml',
      text: 'apiVersion: v1\nmetadata: {name: orphan}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n',
      failure: /nokind\.yaml:1:1.*has no kind/, captured: ['ok'],
    },
    {
      name: 'a YAML alias bomb', why: '"billion laughs": 9 levels of 9 aliases expand to 10^9 strings', file: 'bomb.yaml',
      text: ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...'bcdefghi'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill('*' + 'abcdefghi'[i]).join(',')}]`), 'kind: ConfigMap', 'apiVersion: v1', 'metadata: {name: bomb}', '---', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: after-bomb}'].join('\n'),
      failure: /bomb\.yaml:1:1: document 1 refused: .*alias/i, captured: ['after-bomb'],
    },
    {
      name: 'a malformed item in a JSON List', why: '`tru` is not a JSON literal', file: 'item.json',
      text: '{"apiVersion":"v1","kind":"List","items":[\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"good1"}},\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"bad"},"immutable":tru},\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"good2"}}]}',
      failure: /item\.json:3: invalid JSON/, captured: ['good1', 'good2'],
    },
    {
      name: 'a malformed Secret in a JSON List', why: 'an unquoted value; V8\'s message would quote the secret beside it', file: 'secret.json',
      text: '{"apiVersion":"v1","kind":"List","items":[\n{"apiVersion":"v1","kind":"Secret","metadata":{"name":"keys"},"data":{"token":c2tfbGl2ZV9zZWNyZXQ=}},\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after"}}]}',
      failure: /secret\.json:2: invalid JSON(?![\s\S]*c2tf)/, captured: ['after'],
    },
    {
      name: 'an object without a name', why: 'metadata.name is required', file: 'noname.json',
      text: '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Secret","metadata":{}},{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"named"}}]}',
      failure: /Secret has no metadata\.name/, captured: ['named'],
    },
  ];
  for (const bad of badCases) {
    it(`fails only the bad item: ${bad.name} (${bad.why})`, async () => {
      const c = await capture(write(bad.file, bad.text));
      expect(c.failures).toHaveLength(1);
      expect(isAppError(c.failures[0].error, 'SOURCE_BAD_DATA')).toBe(true);
      expect(failureText(c)).toMatch(bad.failure);
      expect(nodes(c).filter((n) => n.props?.kind !== 'Namespace').map((n) => n.name)).toEqual(bad.captured);
    });
  }

  it('stops on broken JSON structure with the file and line, after yielding what came before', async () => {
    const file = write('truncated.json', '{"kind":"List","apiVersion":"v1","items":[\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"first"}},\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cut');
    const seen: string[] = [];
    const err = await collectCapture(kubernetesSource, { name: 'dump', kind: 'kubernetes', region: 'x', file }, { onRecord: (r) => r.type === 'node' && seen.push(r.node.name) }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('SOURCE_BAD_DATA');
    expect(err.message).toMatch(/truncated\.json:3: the JSON ends in the middle of a value/);
    expect(seen).toEqual(['first']);
  });

  it('names a missing dump file, and refuses file together with kubeconfig', async () => {
    const err = await capture(join(dir, 'nope.json')).catch((e) => e);
    expect(isAppError(err, 'CONFIG_INVALID')).toBe(true);
    expect(err.message).toMatch(/k8s:\/\/dump: cannot read dump file .*nope\.json/);
    const parsed = kubernetesSource.configSchema.safeParse({ name: 'x', kind: 'kubernetes', region: 'r', file: 'a.json', kubeconfig: '~/.kube/config' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toMatch(/either file .* or kubeconfig\/context/);
  });

  it('streams a ~50 MB JSON List without parsing it whole', async () => {
    const file = join(dir, 'big.json');
    const out = createWriteStream(file);
    const filler = 'x'.repeat(1800);
    const N = 26_000;
    out.write('{"apiVersion":"v1","kind":"List","items":[\n');
    for (let i = 0; i < N; i++) {
      const item = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: `ns-${i % 50}`, labels: { i: String(i) } }, data: { payload: filler, escaped: 'quote " brace } bracket ] \\ done' } };
      if (!out.write((i ? ',\n' : '') + JSON.stringify(item))) await new Promise<void>((r) => out.once('drain', () => r()));
    }
    await new Promise<void>((r) => out.end('\n]}\n', () => r()));
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(48 << 20);

    let configs = 0;
    let peakHeap = 0;
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const c = await collectCapture(kubernetesSource, { name: 'big', kind: 'kubernetes', region: 'x', file }, {
      keepRecords: false,
      onRecord: (r) => {
        if (r.type === 'config') configs++;
        if (configs % 2000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
      },
    });
    const seconds = (performance.now() - t0) / 1000;
    expect(c.failures).toEqual([]);
    expect(configs).toBe(N);
    // Figures for the report (tests never assert on time; DESIGN.md conventions).
    console.log(`50 MB dump: ${(size / 1e6).toFixed(1)} MB, ${N} objects in ${seconds.toFixed(2)} s, peak heap growth ${((peakHeap - heapBefore) / 1e6).toFixed(0)} MB`);
  }, 120_000);
});
