import { BrowserWindow, shell, session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/node/serve/http-server.js';
import { APP_INDEX_URL, APP_ORIGIN } from './app-path.js';
import { isAllowedExternalUrl } from './external-links.js';

/** Whether a navigation stays inside the studio (driftline://studio/…). */
const insideStudio = (url: string): boolean => url.startsWith(`${APP_ORIGIN}/`);

/** Refuses every navigation — of the window, of any frame, by a redirect — that would leave the studio. */
function keepInsideStudio(event: { preventDefault(): void; url?: string }, legacyUrl?: string): void {
  const url = typeof event.url === 'string' ? event.url : legacyUrl;
  if (typeof url !== 'string' || !insideStudio(url)) event.preventDefault();
}

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
 * window.open denied, navigation, frame navigation and redirects away from the studio blocked,
 * every permission refused; allow-listed https links open in the user's browser (external-links.ts).
 */
export function createStudioWindow(preloadPath: string): BrowserWindow {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // The studio needs no camera, microphone, notifications, geolocation, clipboard reading, HID…:
  // every permission a page asks for, or checks, is refused.
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  const win = new BrowserWindow({ width: 1400, height: 900, show: false, title: 'Driftline', webPreferences: secureWebPreferences(preloadPath) });
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (event, url) => keepInsideStudio(event, url));
  win.webContents.on('will-frame-navigate', (event) => keepInsideStudio(event));
  win.webContents.on('will-redirect', (event, url) => keepInsideStudio(event, url));
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.once('ready-to-show', () => win.show());
  void win.loadURL(APP_INDEX_URL);
  return win;
}
