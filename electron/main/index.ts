import { app, ipcMain, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { DriftlineService, Store, driftlineHome } from '../../shared/node/services/index.js';
import { keychainKeyStore } from './platform/signing-key-store.js';
import { registerIpc } from './ipc/register.js';
import { createStudioWindow } from './window.js';
import { registerAppScheme, serveStudio } from './protocol.js';

/**
 * Composition root: opens the workspace given with --workspace, binds the contract over IPC and
 * shows the window. No business logic lives here.
 */
const root = join(import.meta.dirname, '..', '..');
const argIndex = process.argv.indexOf('--workspace');
const workspacePath = argIndex > 0 ? process.argv[argIndex + 1] : join(root, 'resources', 'demo', 'demo.driftline');

let win: BrowserWindow | undefined;

app.enableSandbox();
registerAppScheme();
app.whenReady().then(() => {
  serveStudio(join(root, 'renderer', 'dist'));
  const store = Store.open(workspacePath);
  const service = new DriftlineService(store, { keyStore: keychainKeyStore(join(driftlineHome(), 'signing')) });
  registerIpc(ipcMain, service, () => win?.webContents);
  win = createStudioWindow(join(root, 'electron', 'dist', 'preload.cjs'));
  app.on('before-quit', () => store.close());
});

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});
app.on('window-all-closed', () => app.quit());
