import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../testing/temp.js';
import { englishSentences } from '../testing/english-sentences.js';
import { registerConfigStandIns, type Manifest } from '../testing/config-stand-ins.js';
import { createLogger } from '../../shared/node/log/logger.js';
import { Store, type StoredSource } from '../../shared/node/store/index.js';
import { runScan } from '../../shared/node/services/scan.js';
import { driftAnalyzer, driftUnknownsOf } from '../../shared/node/services/analyzers/drift.js';
import { translate } from '../../shared/core/i18n/index.js';
import { runCliInProcess } from './run-in-process.js';

/*
 * Drift's "unknown" outcome end to end: the real scan pipeline fills the workspace (stand-in
 * sources yield records exactly as the git and kubernetes sources do), the real drift analyzer runs,
 * and `driftline diff` shows what it could not judge — apart from drift, with why and the fix.
 */

const tmp = useTempHome();
afterAll(() => tmp.cleanup());
const { clusters, repositories } = registerConfigStandIns();

const CIPHERTEXT = 'ENC[AES256_GCM,data:GjeZh+tJKAWKETd9,iv:SZORcQoXETuvKVit=,tag:NEkp+afw0+2LGAgK==,type:str]';
const deployment = (image: string, replicas: number | string): Manifest => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' },
  spec: { replicas, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image }] } } },
});
const secret = (password: string): Manifest => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'shop' }, type: 'Opaque', stringData: { password } });
const source = (name: string, kind: string, extra: Record<string, unknown> = {}): StoredSource =>
  ({ name, kind, region: 'cn-north-1', config: { name, kind, region: 'cn-north-1', ...extra }, baseDir: tmp.dir });

const run = runCliInProcess;

let workspace: string;
let findings: number;
beforeAll(async () => {
  workspace = tmp.path('unknown.driftline');
  const store = Store.open(workspace, { create: true });
  // Git: the image tag is a Flux variable only the cluster holds, the password is SOPS ciphertext,
  // and the replica count is fixed at 2. Live: another tag, a password, and 3 replicas (real drift).
  repositories.set('gitops', [{ revision: 'a'.repeat(40), author: 'alice', time: '2026-11-01T10:00:00Z', message: 'web', objects: [
    { manifest: deployment('registry.cn/shop/web:<unknown:${WEB_TAG}>', 2) },
    { manifest: secret(CIPHERTEXT) },
  ] }]);
  clusters.set('prod', [deployment('registry.cn/shop/web:2.4.1', 3), { ...secret('hunter2-live'), data: { password: Buffer.from('hunter2-live').toString('base64') }, stringData: undefined }]);
  await runScan({ store, sources: [source('gitops', 'git', { desiredFor: 'prod' }), source('prod', 'kubernetes')], analyze: false });
  findings = (await driftAnalyzer.run(store, { log: createLogger('test.drift'), signal: new AbortController().signal, progress: () => {} })).findings;
  store.close();
});

describe('drift unknowns: the analyzer and `driftline diff`', () => {
  it('counts only proven drift as findings, and keeps each unknown place with its reason', () => {
    expect(findings).toBe(1);
    const store = Store.open(workspace, { readOnly: true });
    try {
      expect(store.findings.list({ type: 'drift' }).map((f) => f.finding.type === 'drift' && [f.finding.rule, f.finding.path])).toEqual([['drift.modified', '/spec/replicas']]);
      const unknowns = driftUnknownsOf(store);
      expect(unknowns.total).toBe(2);
      expect(unknowns.items.map((u) => [u.urn, u.path, u.reason]).sort()).toEqual([
        ['k8s://prod/shop/Deployment/web', '/spec/template/spec/containers/0/image', 'unresolved-substitution'],
        ['k8s://prod/shop/Secret/db', '/data/password', 'sops-encrypted'],
      ]);
      expect(JSON.stringify(unknowns)).not.toContain('hunter2');
    } finally {
      store.close();
    }
  });

  it('prints the unknown places apart from drift, with why and the fix, and counts them apart', async () => {
    const r = await run('diff', '--workspace', workspace);
    expect(r.code).toBe(0);
    expect(r.out).toContain('drift.modified');
    expect(r.out).toContain(translate('en', 'driftUnknown.cliHeader', { count: 2 }));
    expect(r.out).toContain(translate('en', 'driftUnknown.fix.sops-encrypted'));
    expect(r.out).toMatch(/UNKNOWN\s+k8s:\/\/prod\/shop\/Secret\/db \/data\/password/);
    expect(r.out).toContain(translate('en', 'driftUnknown.cliCount', { count: 1, unknown: 2 }));
    const json = JSON.parse((await run('diff', '--workspace', workspace, '--json')).out) as unknown[];
    expect(json).toHaveLength(1);
    const unknowns = JSON.parse((await run('diff', '--workspace', workspace, '--unknowns', '--json')).out) as { total: number };
    expect(unknowns.total).toBe(2);
  });

  it('says it in Chinese under --lang zh-CN, with no English sentence left', async () => {
    const r = await run('diff', '--workspace', workspace, '--lang', 'zh-CN');
    expect(r.code).toBe(0);
    const unknownPart = r.out.slice(r.out.indexOf(translate('zh-CN', 'driftUnknown.cliHeader', { count: 2 })));
    expect(unknownPart).toContain(translate('zh-CN', 'driftUnknown.fix.unresolved-substitution'));
    expect(englishSentences(unknownPart)).toEqual([]);
    // The drift finding above it is labelled in Chinese too (rule codes and values stay as they are).
    const findingPart = r.out.slice(0, r.out.indexOf(translate('zh-CN', 'driftUnknown.cliHeader', { count: 2 })));
    expect(findingPart).toContain(`${translate('zh-CN', 'drift.desired')}：2`);
    expect(findingPart).toContain(`${translate('zh-CN', 'drift.live')}：3`);
    expect(findingPart).not.toMatch(/desired|live:|since/i);
  });
});
