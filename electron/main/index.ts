import { app, ipcMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { appRoot, driftlineHome } from '../../shared/node/services/index.js';
import { openTarget, sealNotice } from './open-target.js';
import { showNotice } from './platform/dialogs.js';
import { launchTarget } from './launch-args.js';
import { keychainKeyStore } from './platform/signing-key-store.js';
import { createStudioWindow } from './window.js';
import { registerAppScheme, serveStudio } from './protocol.js';
import { StudioSession } from './session.js';
import { installMenu, uiLang } from './menu.js';

/**
 * Composition root: opens the workspace given with --workspace, binds the contract over IPC, shows
 * the window and the File menu. No business logic lives here.
 */
// Compiled into dist/electron-main.mjs (scripts/build/build.mjs); files beside the code are found from the install root.
const root = appRoot();
const target = launchTarget(process.argv, join(root, 'resources', 'demo', 'demo.driftline'));

let win: BrowserWindow | undefined;
const session = new StudioSession(ipcMain, () => win?.webContents, { keyStore: keychainKeyStore(join(driftlineHome(), 'signing')) });

app.enableSandbox();
registerAppScheme();
app.whenReady().then(async () => {
  serveStudio(join(root, 'renderer', 'dist'));
  const opened = await openTarget(target.kind, target.path);
  session.open(opened.store, opened.options);
  win = createStudioWindow(join(root, 'dist', 'preload.cjs'));
  installMenu(session, () => win);
  const notice = sealNotice(opened.seal, uiLang());
  if (notice) win.once('ready-to-show', () => showNotice(win!, notice));
  app.on('before-quit', () => session.close());
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => app.quit());
// macOS hands a double-clicked file to the running app instead of argv.
app.on('open-file', (event, path) => {
  event.preventDefault();
  if (!app.isReady()) return;
  void (async () => {
    const opened = await openTarget(/\.dlbundle$/i.test(path) ? 'bundle' : 'workspace', path);
    session.open(opened.store, opened.options);
    win?.webContents.reload();
    const notice = sealNotice(opened.seal, uiLang());
    if (notice && win) showNotice(win, notice);
  })();
});
