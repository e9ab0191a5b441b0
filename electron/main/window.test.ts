import { describe, expect, it, vi } from 'vitest';

// Electron's binary cannot run here (ENVIRONMENT.md): the module is mocked at its boundary and we
// check what our code asks of it — the security settings and the navigation guards.
const created: { options: any; handlers: Record<string, (...a: any[]) => unknown>; openHandler?: (d: { url: string }) => unknown; loaded?: string }[] = [];
const openExternal = vi.fn();
let headerHook: ((details: any, cb: (r: any) => void) => void) | undefined;

vi.mock('electron', () => ({
  BrowserWindow: class {
    webContents: any;
    constructor(options: any) {
      const rec: (typeof created)[number] = { options, handlers: {} };
      created.push(rec);
      this.webContents = {
        setWindowOpenHandler: (fn: any) => { rec.openHandler = fn; },
        on: (event: string, fn: any) => { rec.handlers[event] = fn; },
      };
    }
    once() {}
    loadURL(url: string) { created[created.length - 1].loaded = url; return Promise.resolve(); }
  },
  shell: { openExternal },
  session: { defaultSession: { webRequest: { onHeadersReceived: (fn: any) => { headerHook = fn; } } } },
}));

describe('studio window', () => {
  it('is sandboxed, isolated and without Node, with a strict CSP', async () => {
    const { createStudioWindow } = await import('./window.js');
    createStudioWindow('/app/electron/dist/preload.cjs');
    const prefs = created[0].options.webPreferences;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, webSecurity: true, webviewTag: false, preload: '/app/electron/dist/preload.cjs' });
    let headers: any;
    headerHook!({ responseHeaders: {} }, (r) => { headers = r.responseHeaders; });
    expect(headers['Content-Security-Policy'][0]).toMatch(/default-src 'self'; script-src 'self'/);
    expect(headers['Content-Security-Policy'][0]).not.toMatch(/unsafe-eval/);
    expect(created[0].loaded).toBe('driftline://studio/index.html');
  });

  it('denies window.open and opens https links outside the app', async () => {
    expect(created[0].openHandler!({ url: 'https://example.org/' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledWith('https://example.org/');
    expect(created[0].openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(1);
  });

  it('blocks navigation to remote URLs', () => {
    const prevent = vi.fn();
    created[0].handlers['will-navigate']({ preventDefault: prevent }, 'https://evil.example/');
    expect(prevent).toHaveBeenCalled();
    const allowed = vi.fn();
    created[0].handlers['will-navigate']({ preventDefault: allowed }, 'driftline://studio/index.html#view=findings');
    const fileNav = vi.fn();
    created[0].handlers['will-navigate']({ preventDefault: fileNav }, 'file:///etc/passwd');
    expect(fileNav).toHaveBeenCalled();
    expect(allowed).not.toHaveBeenCalled();
  });
});

describe('driftline:// scheme', () => {
  it.each([
    ['driftline://studio/index.html', '/app/dist/index.html'],
    ['driftline://studio/', '/app/dist/index.html'],
    ['driftline://studio/assets/layout.worker-abc.js', '/app/dist/assets/layout.worker-abc.js'],
    // Dot segments (plain or encoded) resolve at the root: they can never climb out of it.
    ['driftline://studio/../../etc/passwd', '/app/dist/etc/passwd'],
    ['driftline://studio/%2e%2e/%2e%2e/etc/passwd', '/app/dist/etc/passwd'],
    ['driftline://studio/a/..%2f..%2f..%2fetc/passwd', '/app/dist/etc/passwd'],
  ])('maps %s inside the renderer folder', async (url, file) => {
    const { resolveAppPath } = await import('./app-path.js');
    expect(resolveAppPath('/app/dist', url)).toBe(file);
  });

  it.each([
    ['driftline://other/index.html', 'another host'],
    ['file:///app/dist/index.html', 'another scheme'],
    ['driftline://studio/%E0%A4%A', 'bad percent-encoding'],
  ])('refuses %s (%s)', async (url) => {
    const { resolveAppPath } = await import('./app-path.js');
    expect(resolveAppPath('/app/dist', url)).toBeUndefined();
  });
});
