import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { Store } from '../store/index.js';
import { verifyBundle } from '../store/bundle/index.js';
import { DriftlineService } from '../services/driftline-service.js';
import { startHttpServer, type RunningServer } from './http-server.js';

const tmp = useTempHome();
let store: Store;
let service: DriftlineService;
let server: RunningServer;

beforeAll(async () => {
  store = Store.open(tmp.path('x.driftline'), { create: true });
  store.upsertSource({ name: 'db', kind: 'mysql', region: 'cn-north-1', config: { name: 'db', kind: 'mysql', region: 'cn-north-1', file: 'x' }, baseDir: tmp.dir });
  const id = store.snapshots.begin('db');
  store.graph.upsertNode({ urn: 'mysql://db/shop/users#phone', kind: 'column', name: 'phone', source: 'db', region: 'cn-north-1', pii: [{ entity: 'CN_MOBILE', confidence: 0.9, matches: 9, sampled: 10, examples: ['138****5678'] }] }, id);
  store.snapshots.finish(id, 'complete', { contentHash: 'a'.repeat(64), stats: { node: 1 }, report: { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } } });
  service = new DriftlineService(store, { exportsDir: tmp.path('exports') });
  server = await startHttpServer({ service, staticDir: tmp.dir });
});
afterAll(async () => {
  await server.close();
  store.close();
  tmp.cleanup();
});

const call = async (name: string, body: unknown) => (await fetch(`${server.url}api/call/${name}`, { method: 'POST', headers: { Authorization: `Bearer ${server.token}` }, body: JSON.stringify(body) })).json() as Promise<any>;

describe('exports from the studio', () => {
  it('writes the PDF report into the exports folder and offers it for download with the token', async () => {
    const r = await call('report:export', { lang: 'zh-CN' });
    expect(r).toMatchObject({ ok: true, value: { fileName: expect.stringMatching(/^x-\d{8}-\d{6}-report-zh-CN\.pdf$/), pages: expect.any(Number) } });
    expect(r.value.path.startsWith(tmp.path('exports'))).toBe(true);
    const res = await fetch(`${server.url}api/exports/${r.value.fileName}?token=${server.token}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    expect((await fetch(`${server.url}api/exports/${r.value.fileName}?token=wrong`)).status).toBe(401);
  });

  it('exports a signed snapshot bundle that verifies', async () => {
    const r = await call('snapshots:export', { fileName: 'audit.dlbundle' });
    expect(r).toMatchObject({ ok: true, value: { fileName: 'audit.dlbundle', snapshots: 1 } });
    await expect(verifyBundle(r.value.path)).resolves.toMatchObject({ ok: true, problems: [] });
  });

  it.each([
    ['../evil.pdf', 'a parent folder'],
    ['/tmp/evil.pdf', 'an absolute path'],
    ['sub/evil.pdf', 'a sub-folder'],
    ['evil.sh', 'an extension that is not an export'],
  ])('refuses the file name %j (%s)', async (fileName) => {
    const r = await call('report:export', { lang: 'en', fileName });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(existsSync(tmp.path('evil.pdf'))).toBe(false);
  });

  it('serves nothing outside the exports folder', async () => {
    for (const name of ['..%2Fx.driftline', '%2Fetc%2Fpasswd', 'x.driftline']) {
      expect((await fetch(`${server.url}api/exports/${name}?token=${server.token}`)).status, name).toBe(404);
    }
  });
});
