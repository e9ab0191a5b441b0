import { describe, expect, it, vi } from 'vitest';

// Electron's binary cannot run here (ENVIRONMENT.md): the module is mocked at its boundary and we
// check what our code asks of it — the security settings and the navigation guards.
const created: { options: any; handlers: Record<string, (...a: any[]) => unknown>; openHandler?: (d: { url: string }) => unknown; loaded?: string }[] = [];
const openExternal = vi.fn();
let headerHook: ((details: any, cb: (r: any) => void) => void) | undefined;
let permissionRequest: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | undefined;
let permissionCheck: ((wc: unknown, permission: string) => boolean) | undefined;

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
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: (fn: any) => { headerHook = fn; } },
      setPermissionRequestHandler: (fn: any) => { permissionRequest = fn; },
      setPermissionCheckHandler: (fn: any) => { permissionCheck = fn; },
    },
  },
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

  it('denies window.open; opens outside the app only https links to allow-listed hosts', async () => {
    const open = (url: string) => created[0].openHandler!({ url });
    expect(open('https://github.com/driftline/driftline/issues')).toEqual({ action: 'deny' });
    expect(open('https://kubernetes.io/docs/concepts/configuration/configmap/')).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://github.com/driftline/driftline/issues'], ['https://kubernetes.io/docs/concepts/configuration/configmap/']]);
    for (const url of [
      'https://example.org/', // a host not on the list
      'https://github.com.evil.example/', // a look-alike
      'https://user:pw@github.com/', // credentials hidden in the link
      'https://github.com:8443/', // an unusual port
      'http://github.com/', // not https
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://server/share',
      'not a url',
    ]) expect(open(url), url).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledTimes(2);
  });

  it('refuses every permission a page requests or checks', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'openExternal']) {
      const granted = vi.fn();
      permissionRequest!({}, permission, granted);
      expect(granted, permission).toHaveBeenCalledWith(false);
      expect(permissionCheck!({}, permission), permission).toBe(false);
    }
  });

  it('blocks frame navigation and redirects away from the studio, and webviews', () => {
    const frame = (url: string) => { const e = { url, isMainFrame: false, preventDefault: vi.fn() }; created[0].handlers['will-frame-navigate'](e); return e.preventDefault; };
    expect(frame('https://evil.example/')).toHaveBeenCalled();
    expect(frame('file:///etc/passwd')).toHaveBeenCalled();
    expect(frame('driftline://studio/index.html')).not.toHaveBeenCalled();
    const redirect = (url: string) => { const e = { url, preventDefault: vi.fn() }; created[0].handlers['will-redirect'](e, url); return e.preventDefault; };
    expect(redirect('https://evil.example/')).toHaveBeenCalled();
    expect(redirect('driftline://studio/assets/app.js')).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    created[0].handlers['will-attach-webview'](webview);
    expect(webview.preventDefault).toHaveBeenCalled();
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
