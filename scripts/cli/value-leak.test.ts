import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../testing/temp.js';
import { startK8sApiServer, type K8sApiServer } from '../testing/k8s-api-server/index.js';
import { Store } from '../../shared/node/store/index.js';
import { DriftlineService } from '../../shared/node/services/driftline-service.js';
import { startHttpServer } from '../../shared/node/serve/http-server.js';
import { readEntryTable, readEntry } from '../../shared/node/store/bundle/container.js';
import { setLogSink } from '../../shared/node/log/logger.js';
import { CALL_NAMES } from '../../shared/core/api/contract.js';
import { runCliInProcess } from './run-in-process.js';

/*
 * Raw values planted in configuration that is not a Secret — a password in a container's env, a
 * phone number in a ConfigMap, an email in an annotation, a token in args, a password in a DSN and
 * in a mounted properties file — on both the desired (git) and the live (cluster) side. A full
 * scan, analysis and every way out of Driftline must never carry any of them: the workspace file and
 * its WAL, the bundle's parts, every answer of `driftline serve`, the CLI's JSON, the CSV/JSON and
 * OpenLineage exports, the PDF's text, and the logs.
 */
const tmp = useTempHome('driftline-leak-');
const RAW = {
  livePassword: 'Pl4nted-Live-Passw0rd',
  gitPassword: 'Pl4nted-Git-Passw0rd',
  phone: '13912345678',
  phoneLater: '13987654321',
  email: 'planted.person@example.org',
  token: 'Zq8Kd2Lm9Vx4Rt7Np3Hs6Wb',
  dsnPassword: 'dsnS3cretValue',
  propsPassword: 'Pr0ps-File-Secret',
};
const RAW_VALUES = Object.values(RAW);

const deployment = (name: string, password: string) => ({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name, namespace: 'shop', annotations: { owner: RAW.email } },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name }, annotations: { 'on-call': RAW.phone } },
      spec: { containers: [{ name, image: 'shop/api:1.0', args: [`--api-token=${RAW.token}`, 'serve'], env: [{ name: 'MYSQL_PASSWORD', value: password }, { name: 'DATABASE_URL', value: `mysql://app:${RAW.dsnPassword}@db.shop:3306/shop` }, { name: 'LOG_LEVEL', value: 'info' }] }] },
    },
  },
});
const configMap = (phone: string) => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'contact', namespace: 'shop', annotations: { 'maintainer-email': RAW.email } },
  data: { SUPPORT_PHONE: phone, MODE: 'prod', 'application.properties': `bootstrap.servers=kafka:9092\nspring.datasource.password=${RAW.propsPassword}\nadmin.email=${RAW.email}\n` },
});

let api: K8sApiServer;
let workspace: string;
const logs: string[] = [];
const outputs = new Map<string, string>();

async function cli(...argv: string[]) {
  const result = await runCliInProcess(...argv);
  outputs.set(`cli ${argv.join(' ')} (stdout+stderr)`, result.out + result.err);
  return result;
}

function writeGitRepo(dir: string): void {
  mkdirSync(join(dir, 'shop'), { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', dir]);
  const yaml = (o: unknown) => JSON.stringify(o, null, 2); // JSON is YAML
  writeFileSync(join(dir, 'shop', 'api.yaml'), yaml(deployment('api', RAW.gitPassword)));
  writeFileSync(join(dir, 'shop', 'contact.yaml'), yaml(configMap(RAW.phone)));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Alice', GIT_AUTHOR_EMAIL: 'alice@example.com', GIT_COMMITTER_NAME: 'Alice', GIT_COMMITTER_EMAIL: 'alice@example.com' };
  execFileSync('git', ['-C', dir, 'add', '-A'], { env });
  execFileSync('git', ['-C', dir, 'commit', '-q', '-m', 'shop'], { env });
}

beforeAll(async () => {
  setLogSink((line) => logs.push(line), 'debug');
  api = await startK8sApiServer({
    objects: [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
      deployment('api', RAW.livePassword),
      // Not in git: a drift.unmanaged-live finding for the whole object.
      deployment('shadow', RAW.livePassword),
      configMap(RAW.phone),
    ],
  });
  writeGitRepo(tmp.path('gitops'));
  const kubeconfig = api.kubeconfigPath();
  const context = /current-context: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1];
  writeFileSync(tmp.path('sources.yaml'), [
    'sources:',
    `  - { name: prod, kind: kubernetes, region: cn-north-1, kubeconfig: ${kubeconfig}, context: ${context} }`,
    '  - { name: gitops, kind: git, region: cn-north-1, path: ./gitops, desiredFor: prod }',
    '',
  ].join('\n'));
  workspace = tmp.path('leak.driftline');
  expect((await cli('scan', tmp.path('sources.yaml'), '--workspace', workspace)).code).toBe(0);
  // A second live snapshot in which the phone number changed, so snapshot diffs carry a hidden change.
  api.updateObject(configMap(RAW.phoneLater));
}, 180_000);

afterAll(async () => {
  setLogSink((line) => process.stderr.write(line + '\n'), 'warn');
  await api?.close();
  tmp.cleanup();
});

describe('raw config values never leave the source', () => {
  it('reaches no output: workspace, WAL, bundle parts, serve, CLI JSON, exports, PDF text, logs', async () => {
    // A reader kept open keeps the WAL file (and the second scan's frames in it) on disk.
    const reader = new Database(workspace, { readonly: true });
    reader.prepare('SELECT count(*) FROM nodes').get();
    try {
      expect((await cli('scan', tmp.path('sources.yaml'), '--workspace', workspace, '--source', 'prod')).code).toBe(0);
      const files = readdirSync(tmp.dir).filter((f) => f.startsWith('leak.driftline'));
      expect(files).toContain('leak.driftline-wal');
      for (const f of files) outputs.set(`file ${f}`, readFileSync(tmp.path(f)).toString('latin1'));
    } finally {
      reader.close();
    }

    const snapshots = JSON.parse((await cli('diff', '--workspace', workspace, '--snapshots', '--json')).out) as { id: number; source: string }[];
    const live = snapshots.filter((s) => s.source === 'prod').map((s) => s.id);
    expect(live).toHaveLength(2);
    const drift = JSON.parse((await cli('findings', '--workspace', workspace, '--type', 'drift', '--json')).out) as { rule: string; path: string; evidence: string; live: unknown }[];
    await cli('findings', '--workspace', workspace, '--json');
    await cli('findings', '--workspace', workspace);
    await cli('diff', '--workspace', workspace, '--json');
    await cli('diff', '--workspace', workspace);
    const snapshotDiff = JSON.parse((await cli('diff', '--workspace', workspace, '--from', String(live[0]), '--to', String(live[1]), '--json')).out);
    await cli('diff', '--workspace', workspace, '--from', String(live[0]), '--to', String(live[1]));
    for (const urn of ['k8s://prod/shop/Deployment/api', 'k8s://prod/shop/ConfigMap/contact', 'k8s://prod/_/Namespace/shop']) {
      await cli('lineage', '--workspace', workspace, urn, '--json');
    }

    // The findings say what changed without saying the values.
    const envDrift = drift.find((f) => f.rule === 'drift.modified' && f.path.endsWith('/env/0/value'));
    expect(envDrift?.evidence).toMatch(/value hidden \(hash [0-9a-f]{12}…\) in git .*value hidden \(hash [0-9a-f]{12}…\) in prod/);
    expect(drift.find((f) => f.rule === 'drift.unmanaged-live' && f.path === '')?.live).toEqual({ $object: 'Deployment shop/shadow', $sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(snapshotDiff)).toMatch(/"path":"\/data\/SUPPORT_PHONE","value":\{"\$hash":"[0-9a-f]+","\$preview":"139\*\*\*\*4321"/);

    // Exports and the PDF, in both languages.
    const exportsDir = tmp.path('out');
    mkdirSync(exportsDir);
    for (const lang of ['en', 'zh-CN']) {
      expect((await cli('report', '--workspace', workspace, '--out', join(exportsDir, `r-${lang}.pdf`), '--lang', lang, '--findings-json', join(exportsDir, 'f.json'), '--findings-csv', join(exportsDir, 'f.csv'), '--openlineage', join(exportsDir, 'ol.ndjson'))).code).toBe(0);
      outputs.set(`pdf text ${lang}`, execFileSync('pdftotext', ['-layout', join(exportsDir, `r-${lang}.pdf`), '-'], { encoding: 'utf8' }));
    }
    for (const f of ['f.json', 'f.csv', 'ol.ndjson']) outputs.set(`export ${f}`, readFileSync(join(exportsDir, f), 'utf8'));
    expect(outputs.get('pdf text en')).toMatch(/value hidden/);

    // The sealed bundle, part by part, decompressed.
    const bundle = tmp.path('leak.dlbundle');
    expect((await cli('snapshot', 'export', '--workspace', workspace, '--out', bundle)).code).toBe(0);
    for (const entry of await readEntryTable(bundle)) {
      const data = await readEntry(bundle, entry);
      outputs.set(`bundle ${entry.name}`, entry.name.endsWith('.gz') ? gunzipSync(data).toString('utf8') : data.toString('utf8'));
    }

    // Every call `driftline serve` answers, with real inputs taken from the workspace.
    const store = Store.open(workspace, { readOnly: true });
    const service = new DriftlineService(store, { exportsDir: tmp.path('serve-exports') });
    const server = await startHttpServer({ service, staticDir: tmp.dir });
    try {
      const call = async (name: string, input: unknown) => {
        const text = await (await fetch(`${server.url}api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}` }, body: JSON.stringify(input) })).text();
        outputs.set(`serve ${name} ${JSON.stringify(input)}`, text);
        return JSON.parse(text);
      };
      const urns = (store.db.prepare('SELECT urn FROM nodes').pluck().all() as string[]);
      const configUrns = (store.db.prepare('SELECT DISTINCT urn FROM config_versions').pluck().all() as string[]);
      const inputs: Record<string, unknown[]> = {
        'graph:node': urns.map((urn) => ({ urn })),
        'configs:versions': configUrns.map((urn) => ({ urn })),
        'graph:lineage': urns.filter((u) => u.startsWith('k8s://')).map((urn) => ({ urn, direction: 'both' })),
        'graph:search': ['shop', 'contact', RAW.phone, RAW.email, 'planted'].map((query) => ({ query })),
        'diff:snapshots': [{ from: live[0], to: live[1] }],
        'changes:list': [{}], 'findings:list': [{}], 'graph:get': [{}], 'graph:overview': [{}], 'workspace:info': [{}], 'sources:list': [{}], 'snapshots:list': [{}],
        'explain:get': [{ kind: 'Deployment' }],
      };
      for (const name of CALL_NAMES) for (const input of inputs[name] ?? []) await call(name, input);
      expect([...outputs.keys()].filter((k) => k.startsWith('serve ')).length).toBeGreaterThan(20);
      expect(outputs.get('serve configs:versions {"urn":"k8s://prod/shop/ConfigMap/contact"}')).toContain('139****5678');
    } finally {
      await server.close();
      store.close();
    }
    outputs.set('logs', logs.join('\n'));

    // The check itself: none of the planted values, anywhere.
    const leaks: string[] = [];
    for (const [where, text] of outputs) for (const raw of RAW_VALUES) if (text.includes(raw)) leaks.push(`${raw} in ${where}`);
    expect(leaks).toEqual([]);
    expect(outputs.size).toBeGreaterThan(40);
  }, 300_000);
});
