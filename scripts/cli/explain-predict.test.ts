import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus } from '../testing/corpora.js';
import { useTempHome } from '../testing/temp.js';
import { Store } from '../../shared/node/store/index.js';
import { runCliInProcess } from './run-in-process.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());
const CRD = resolve(import.meta.dirname, '../testing/fixtures/flux-helm-controller/helm.toolkit.fluxcd.io_helmreleases.yaml');

const run = runCliInProcess;

const EXTRA = `apiVersion: v1
kind: ConfigMap
metadata: {name: app-config, namespace: shop}
data: {mode: fast}
---
apiVersion: v1
kind: Pod
metadata: {name: debug, namespace: shop}
spec:
  containers: [{name: sh, image: busybox:1.36}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
`;

describe('driftline explain on an offline dump with no OpenAPI', () => {
  let ws: string;
  beforeAll(async () => {
    const dir = tmp.path('explain');
    mkdirSync(dir, { recursive: true });
    // A kubectl dump as an auditor is handed it: the Online Boutique release, three more core kinds, and Flux's real HelmRelease CRD.
    writeFileSync(join(dir, 'dump.yaml'), [readFileSync(corpus('microservices-demo/release/kubernetes-manifests.yaml'), 'utf8'), EXTRA, readFileSync(CRD, 'utf8')].join('\n---\n'));
    writeFileSync(join(dir, 'sources.yaml'), 'sources:\n  - name: prod\n    kind: kubernetes\n    region: cn-north-1\n    file: ./dump.yaml\n');
    ws = join(dir, 'w.driftline');
    expect((await run('scan', join(dir, 'sources.yaml'), '--workspace', ws)).code).toBe(0);
    const store = Store.open(ws, { readOnly: true });
    expect(store.configs.schemaKinds()).toEqual(['HelmRelease']); // no OpenAPI document: core kinds come from the built-in reference
    store.close();
  });

  it.each([
    { args: ['Deployment', 'spec.replicas'], zh: /预期 Pod 的数量/, en: /Number of desired pods/ },
    { args: ['Pod', 'spec.containers'], zh: /属于 Pod 的容器列表/, en: /List of containers belonging to the pod/ },
    { args: ['ConfigMap'], zh: /ConfigMap 包含供 Pod 使用的配置数据/, en: /ConfigMap holds configuration data/ },
    { args: ['Service', 'spec.type'], zh: /type 确定 Service 的公开方式/, en: /type determines how the Service is exposed/ },
    { args: ['Role', 'rules'], zh: /rules 包含了这个 Role 的所有 PolicyRule/, en: /Rules holds all the PolicyRules for this Role/ },
  ])('$args.0 $args.1 in Chinese and English', async ({ args, zh, en }) => {
    const chinese = await run('explain', '--workspace', ws, ...args, '--lang', 'zh-CN');
    expect(chinese.code).toBe(0);
    expect(chinese.out).toMatch(zh);
    expect(chinese.out).toMatch(/内容来自离线保存的 Kubernetes 官方 API 参考文档（CC BY 4\.0/);
    const english = await run('explain', '--workspace', ws, ...args);
    expect(english.out).toMatch(en);
  });

  it('explains a real CRD with Chinese for its embedded core type and its CEL rules, English kept elsewhere', async () => {
    const status = await run('explain', '--workspace', ws, 'HelmRelease', 'status', '--lang', 'zh-CN');
    expect(status.out).toMatch(/conditions\t<\[\]object>\s+\[Condition\]/);
    const conditions = await run('explain', '--workspace', ws, 'HelmRelease', 'status.conditions', '--lang', 'zh-CN');
    expect(conditions.out).toMatch(/`message` 是人类可读的消息/); // the official translation of metav1.Condition.message
    expect(conditions.out).toMatch(/Conditions holds the conditions for the HelmRelease\.\n\s+（无官方译文，保留作者英文原文）/);
    const spec = await run('explain', '--workspace', ws, 'HelmRelease', 'spec', '--lang', 'zh-CN');
    expect(spec.out).toMatch(/校验规则:\n\s+\(has\(self\.chart\) && !has\(self\.chartRef\)\) \|\| \(!has\(self\.chart\) && has\(self\.chartRef\)\)\n\s+chart 与 chartRef 必须设置且只能设置其中一个\n\s+either chart or chartRef must be set/);
    const json = JSON.parse((await run('explain', '--workspace', ws, 'HelmRelease', 'spec.interval', '--json')).out);
    expect(json).toMatchObject({ kind: 'HelmRelease', apiVersion: 'helm.toolkit.fluxcd.io/v2', path: 'spec.interval', required: true, source: 'schema' });
  });

  it('writes the whole schema as a Chinese document, in Markdown and PDF', async () => {
    const md = tmp.path('explain/helmrelease.zh.md');
    const r = await run('explain', '--workspace', ws, 'HelmRelease', '--doc', '--out', md, '--lang', 'zh-CN');
    expect(r.code).toBe(0);
    const text = readFileSync(md, 'utf8');
    for (const expected of ['# HelmRelease（helm.toolkit.fluxcd.io/v2）模式参考', '## 字段树', '## 字段详情', '### spec.chart.spec.version', '## 校验规则（CEL）', 'chart 与 chartRef 必须设置且只能设置其中一个', '## 术语表', '| condition | 状况 |', 'CC BY 4.0', '（无官方译文，保留作者英文原文）', '作用域: `Namespaced`']) expect(text).toContain(expected);
    // Defaults and enums are shown; required fields are marked.
    expect(text).toMatch(/### spec\.chart\.spec\.reconcileStrategy\n\n类型: `string` · 默认值: `ChartVersion`\n\n可选值: `ChartVersion`, `Revision`/);
    const pdf = tmp.path('explain/helmrelease.zh.pdf');
    expect((await run('explain', '--workspace', ws, 'HelmRelease', '--doc', '--out', pdf, '--lang', 'zh-CN')).code).toBe(0);
    const probe = spawnSync('pdftotext', ['-v']);
    if (probe.error) throw new Error('pdftotext is missing: apt-get install -y poppler-utils');
    // Reading order (not -layout), so a table cell wrapped over lines stays one text.
    const pdfText = execFileSync('pdftotext', [pdf, '-']).toString().replace(/\n/g, '');
    expect(pdfText).toContain('模式参考');
    expect(pdfText).toContain('必须设置且只能设置其中一个');
  });

  it('names what is wrong: an unknown kind, a core kind with --doc, a bad --out', async () => {
    const unknown = await run('explain', '--workspace', ws, 'Widget', '--lang', 'zh-CN');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/no kind "Widget" in the offline Kubernetes reference/);
    const core = await run('explain', '--workspace', ws, 'Deployment', '--doc', '--out', tmp.path('explain/d.md'));
    expect(core.err).toMatch(/no schema for kind "Deployment" in this workspace; schemas kept: HelmRelease/);
    expect((await run('explain', '--workspace', ws, 'HelmRelease', '--doc', '--out', tmp.path('x.txt'))).err).toMatch(/--out must end in \.md or \.pdf/);
    expect((await run('explain', '--workspace', ws, 'Deployment', 'spec.nope')).err).toMatch(/field "spec\.nope" does not exist; fields here: .*replicas/);
  });
});

describe('driftline predict on a repository alone', () => {
  let ws: string;
  const T0 = Date.parse('2026-03-01T09:00:00Z');
  const DAY = 86_400_000;
  beforeAll(async () => {
    const repo = tmp.path('predict/gitops');
    mkdirSync(join(repo, 'apps'), { recursive: true });
    execFileSync('git', ['init', '-q', '-b', 'main', repo]);
    const commit = (author: string, message: string, time: number) => {
      const date = new Date(time).toISOString();
      const env = { ...process.env, GIT_AUTHOR_NAME: author, GIT_AUTHOR_EMAIL: `${author.replace(/\W/g, '')}@example.invalid`, GIT_COMMITTER_NAME: author, GIT_COMMITTER_EMAIL: 'ci@example.invalid', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
      execFileSync('git', ['-C', repo, 'add', '-A'], { env });
      execFileSync('git', ['-C', repo, 'commit', '-q', '--allow-empty', '-m', message], { env });
    };
    const deploy = (tag: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers: [{name: web, image: "ghcr.io/acme/web:${tag}"}]\n`;
    const config = (n: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-config, namespace: shop}\ndata: {workers: "${n}"}\n`;
    writeFileSync(join(repo, 'apps/web.yaml'), deploy('1.0.0'));
    writeFileSync(join(repo, 'apps/config.yaml'), config(1));
    writeFileSync(join(repo, 'apps/ns.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n');
    commit('maintainer-1', 'initial', T0);
    for (let d = 1; d <= 70; d++) {
      writeFileSync(join(repo, 'apps/web.yaml'), deploy(`1.0.${d}`));
      commit('renovate[bot]', `fix(container): update image ghcr.io/acme/web (1.0.${d - 1} ➔ 1.0.${d})`, T0 + d * DAY);
      if (d % 9 === 0) {
        writeFileSync(join(repo, 'apps/config.yaml'), config(d));
        commit('maintainer-1', 'tune workers', T0 + d * DAY + 3_600_000);
      }
    }
    writeFileSync(tmp.path('predict/sources.yaml'), 'sources:\n  - name: gitops\n    kind: git\n    region: eu-west-1\n    path: ./gitops\n    desiredFor: prod\n');
    ws = tmp.path('predict/w.driftline');
    expect((await run('scan', tmp.path('predict/sources.yaml'), '--workspace', ws)).code).toBe(0);
  });

  it('has a graph and a timeline from the repository alone', async () => {
    const store = Store.open(ws, { readOnly: true });
    try {
      expect(store.graph.getNode('k8s://prod/shop/Deployment/web')).toMatchObject({ kind: 'workload', props: { desiredIn: 'gitops' } });
      expect(store.graph.getNode('k8s://prod/shop/ConfigMap/web-config')).toMatchObject({ kind: 'configmap' });
      expect(store.configs.changes({ urn: 'k8s://prod/shop/Deployment/web' }).length).toBe(71);
    } finally {
      store.close();
    }
  });

  it('prints the forecast as JSON sorted by probability, each with its reasons', async () => {
    const r = await run('predict', '--workspace', ws, '--as-of', new Date(T0 + 60 * DAY + 1000).toISOString(), '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(out[0]).toMatchObject({ urn: 'k8s://prod/shop/Deployment/web', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(out[0].probability).toBeGreaterThan(0.8);
    expect(out.map((p: { probability: number }) => p.probability)).toEqual([...out.map((p: { probability: number }) => p.probability)].sort((a, b) => b - a));
    for (const p of out) expect(Object.keys(p)).toEqual(expect.arrayContaining(['urn', 'kind', 'namespace', 'name', 'probability', 'unusual', 'reasons']));
    const zh = JSON.parse((await run('predict', '--workspace', ws, '--kind', 'ConfigMap', '--json', '--lang', 'zh-CN')).out);
    expect(zh.map((p: { kind: string }) => p.kind)).toEqual(['ConfigMap']);
    expect(zh[0].explanation).toMatch(/[\u4e00-\u9fff]/);
  });

  it('backtests on its own history next to both baselines', async () => {
    const r = await run('predict', '--workspace', ws, '--backtest', '--json', '--horizon', '3d');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(report.horizonHours).toBe(72);
    expect(report.subsets.map((s: { subset: string }) => s.subset)).toEqual(['all', 'ConfigMap']);
    for (const key of ['model', 'recency', 'frequency']) expect(Object.keys(report.subsets[0][key])).toEqual(['auc', 'precisionAt10', 'recallAt10', 'brier']);
    const text = await run('predict', '--workspace', ws, '--backtest');
    expect(text.out).toMatch(/most recently changed first/);
    expect(text.out).toMatch(/most frequently changed first/);
  });

  it('refuses a time or horizon it cannot read', async () => {
    expect((await run('predict', '--workspace', ws, '--as-of', 'yesterday')).err).toMatch(/--as-of "yesterday" is not an ISO 8601 time/);
    expect((await run('predict', '--workspace', ws, '--horizon', 'soon')).err).toMatch(/--horizon "soon" is not a duration/);
  });
});
