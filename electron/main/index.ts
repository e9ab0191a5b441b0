import { app, ipcMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { Store, appRoot, driftlineHome, openBundle } from '../../shared/node/services/index.js';
import { launchTarget } from './launch-args.js';
import { keychainKeyStore } from './platform/signing-key-store.js';
import { createStudioWindow } from './window.js';
import { registerAppScheme, serveStudio } from './protocol.js';
import { StudioSession } from './session.js';
import { installMenu } from './menu.js';

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
  session.open(target.kind === 'bundle' ? (await openBundle(target.path)).store : Store.open(target.path));
  win = createStudioWindow(join(root, 'dist', 'preload.cjs'));
  installMenu(session, () => win);
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
    session.open(/\.dlbundle$/i.test(path) ? (await openBundle(path)).store : Store.open(path));
    win?.webContents.reload();
  })();
});
