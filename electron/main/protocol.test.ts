import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { useTempHome } from '../../scripts/testing/temp.js';

// Electron's binary cannot run here (ENVIRONMENT.md): the module is mocked at its boundary. net.fetch
// reads the file it is given, as Electron's does for file:// URLs — following links, which is why
// our handler must not hand it one.
let handler: ((request: { url: string }) => Promise<Response>) | undefined;
vi.mock('electron', () => ({
  protocol: { handle: (_scheme: string, fn: any) => { handler = fn; }, registerSchemesAsPrivileged: () => {} },
  net: { fetch: async (url: string) => new Response(readFileSync(fileURLToPath(url))) },
}));

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

describe('driftline:// serves the renderer folder', () => {
  it('serves its files, and not a link planted in it that leads out', async () => {
    writeFileSync(tmp.path('private.txt'), 'a private file');
    mkdirSync(tmp.path('dist/assets'), { recursive: true });
    writeFileSync(tmp.path('dist/index.html'), '<title>studio</title>');
    writeFileSync(tmp.path('dist/assets/app.js'), 'export {}');
    symlinkSync(tmp.path('private.txt'), tmp.path('dist/assets/leak.js'));
    symlinkSync(tmp.dir, tmp.path('dist/up'));
    const { serveStudio } = await import('./protocol.js');
    serveStudio(tmp.path('dist'));
    const get = async (url: string) => { const r = await handler!({ url }); return { status: r.status, body: await r.text() }; };
    expect(await get('driftline://studio/index.html')).toEqual({ status: 200, body: '<title>studio</title>' });
    expect(await get('driftline://studio/assets/app.js')).toEqual({ status: 200, body: 'export {}' });
    expect(await get('driftline://studio/assets/leak.js')).toEqual({ status: 404, body: 'not found' });
    expect(await get('driftline://studio/up/private.txt')).toEqual({ status: 404, body: 'not found' });
  });
});

describe('packaging', () => {
  it('flips the Electron fuses that would let the packaged app run as a plain Node or load code from outside its asar', () => {
    const config = parse(readFileSync(new URL('../../electron-builder.yml', import.meta.url), 'utf8'));
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
      enableCookieEncryption: true,
      loadBrowserProcessSpecificV8Snapshot: false,
    });
    // The asar must not be switched off, or onlyLoadAppFromAsar would leave the app unable to start.
    expect(config.asar).not.toBe(false);
  });
});
