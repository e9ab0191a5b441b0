import { BrowserWindow, shell, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/node/serve/http-server.js';
import { APP_INDEX_URL, APP_ORIGIN } from './app-path.js';

/** The window's security settings, kept in one object so a test can assert every one of them. */
export function secureWebPreferences(preloadPath: string): Electron.WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  };
}

/**
 * Creates the studio window on driftline://studio (see protocol.ts): sandboxed, strict CSP,
 * window.open denied, navigation away from the studio blocked (web links open in the user's browser).
 */
export function createStudioWindow(preloadPath: string): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  const win = new BrowserWindow({ width: 1400, height: 900, show: false, title: 'Driftline', webPreferences: secureWebPreferences(preloadPath) });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_INDEX_URL);
  return win;
}
