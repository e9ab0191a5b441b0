import { afterAll, describe, expect, it, vi } from 'vitest';
import { useTempHome } from '../../scripts/testing/temp.js';
import { Store, exportBundle, openBundle } from '../../shared/node/services/index.js';
import { StudioSession } from './session.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

function workspaceWithSnapshot(name: string): Store {
  const store = Store.open(tmp.path(`${name}.driftline`), { create: true });
  store.upsertSource({ name: 'db', kind: 'mysql', region: 'cn-north-1', config: { name: 'db', kind: 'mysql', region: 'cn-north-1', file: 'x' }, baseDir: tmp.dir });
  const id = store.snapshots.begin('db');
  store.graph.upsertNode({ urn: `mysql://db/${name}/users`, kind: 'table', name: 'users', source: 'db' }, id);
  store.snapshots.finish(id, 'complete', { contentHash: 'b'.repeat(64), stats: { node: 1 }, report: { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } } });
  return store;
}

describe('studio session (File ▸ Open)', () => {
  it('rebinds every call to the newly opened workspace and closes the old one', async () => {
    const handlers = new Map<string, (e: unknown, input: unknown) => Promise<any>>();
    const ipcMain = { handle: vi.fn((n: string, f: any) => handlers.set(n, f)), removeHandler: vi.fn((n: string) => handlers.delete(n)) };
    const frame = {};
    const wc = { mainFrame: frame, send: vi.fn(), isDestroyed: () => false };
    const session = new StudioSession(ipcMain as never, () => wc as never);
    const call = (name: string) => handlers.get(name)!({ sender: wc, senderFrame: frame }, {});

    const a = workspaceWithSnapshot('a');
    session.open(a);
    expect((await call('workspace:info')).value.path).toBe(a.workspace.path);

    // A sealed bundle of another workspace opens read-only, with its seal shown.
    const b = workspaceWithSnapshot('b');
    await exportBundle(b, tmp.path('b.dlbundle'));
    b.close();
    session.open((await openBundle(tmp.path('b.dlbundle'))).store);
    const info = (await call('workspace:info')).value;
    expect(info).toMatchObject({ readOnly: true, bundle: { verified: true, manifestHash: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(() => a.graph.counts()).toThrow(/not open/);
    expect((await handlers.get('scan:start')!({ sender: wc, senderFrame: frame }, {}))).toMatchObject({ ok: false, error: { code: 'WORKSPACE_READ_ONLY' } });
    expect(ipcMain.removeHandler).toHaveBeenCalledWith('workspace:info');
    session.close();
  });
});
