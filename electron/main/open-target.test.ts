import { afterAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../../scripts/testing/temp.js';
import { Store, exportBundle } from '../../shared/node/services/index.js';
import { generateSigningKey } from '../../shared/node/store/bundle/index.js';
import { openBundleTarget, openWorkspaceTarget, sealNotice } from './open-target.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

function workspaceWithSnapshot(path: string): Store {
  const store = Store.open(path, { create: true });
  store.upsertSource({ name: 'db', kind: 'mysql', region: 'cn-north-1', config: { name: 'db', kind: 'mysql', region: 'cn-north-1', file: 'x' }, baseDir: tmp.dir });
  const id = store.snapshots.begin('db');
  store.graph.upsertNode({ urn: 'mysql://db/shop/users', kind: 'table', name: 'users', source: 'db' }, id);
  store.snapshots.finish(id, 'complete', { contentHash: 'c'.repeat(64), stats: { node: 1 }, report: { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } } });
  return store;
}

describe('what Electron opens', () => {
  it('a bundle signed by a key the auditor has not trusted opens marked untrusted, with a warning that names the key', async () => {
    const store = workspaceWithSnapshot(tmp.path('a.driftline'));
    const stranger = generateSigningKey('root');
    await exportBundle(store, tmp.path('a.dlbundle'), { signingKey: stranger });
    store.close();
    const target = await openBundleTarget(tmp.path('a.dlbundle'));
    try {
      expect(target.seal).toMatchObject({ verified: true, trust: 'untrusted', signer: 'root', fingerprint: stranger.fingerprint });
      expect(target.options.bundle).toBe(target.seal);
      const notice = sealNotice(target.seal, 'en');
      expect(notice).toMatchObject({ type: 'warning', title: 'Intact, but the signer is not in your trust store' });
      expect(notice!.detail).toContain(`driftline snapshot trust add ${stranger.fingerprint}`);
      expect(sealNotice(target.seal, 'zh-CN')!.title).toBe('内容完整，但签名者不在您的信任列表中');
      expect(sealNotice({ ...target.seal!, trust: 'trusted' }, 'en')).toBeUndefined();
      expect(sealNotice({ ...target.seal!, verified: false, trust: 'broken' }, 'en')?.type).toBe('error');
    } finally {
      target.store.close();
    }
  });

  it('a workspace opens read-only, with a writer to claim only for a scan', async () => {
    workspaceWithSnapshot(tmp.path('w.driftline')).close();
    const target = await openWorkspaceTarget(tmp.path('w.driftline'));
    try {
      expect(target.store.readOnly).toBe(true);
      expect(target.seal).toBeUndefined();
      const writer = await target.options.openWriter!('test');
      expect(writer.workspace.writer?.record.purpose).toBe('Driftline studio (test)');
      writer.close();
    } finally {
      target.store.close();
    }
  });
});
