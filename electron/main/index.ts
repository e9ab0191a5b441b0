import { app, ipcMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { Store, driftlineHome } from '../../shared/node/services/index.js';
import { keychainKeyStore } from './platform/signing-key-store.js';
import { createStudioWindow } from './window.js';
import { registerAppScheme, serveStudio } from './protocol.js';
import { StudioSession } from './session.js';
import { installMenu } from './menu.js';

/**
 * Composition root: opens the workspace given with --workspace, binds the contract over IPC, shows
 * the window and the File menu. No business logic lives here.
 */
const root = join(import.meta.dirname, '..', '..');
const argIndex = process.argv.indexOf('--workspace');
const workspacePath = argIndex > 0 ? process.argv[argIndex + 1] : join(root, 'resources', 'demo', 'demo.driftline');

let win: BrowserWindow | undefined;
const session = new StudioSession(ipcMain, () => win?.webContents, { keyStore: keychainKeyStore(join(driftlineHome(), 'signing')) });

app.enableSandbox();
registerAppScheme();
app.whenReady().then(() => {
  serveStudio(join(root, 'renderer', 'dist'));
  session.open(Store.open(workspacePath));
  win = createStudioWindow(join(root, 'electron', 'dist', 'preload.cjs'));
  installMenu(session, () => win);
  app.on('before-quit', () => session.close());
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => app.quit());
