import { app, Menu, type BrowserWindow, type MenuItemConstructorOptions } from 'electron';
import { openTarget, sealNotice } from './open-target.js';
import { chooseBundle, chooseWorkspace, showError, showNotice } from './platform/dialogs.js';
import type { StudioSession } from './session.js';

/**
 * File ▸ Open workspace… / Open sealed bundle…: the studio's way to look at another capture. A bundle
 * is verified (hashes, chain, signature) and opened read-only; the window shows its seal banner.
 */
export function installMenu(session: StudioSession, window: () => BrowserWindow | undefined): void {
  const reopen = async (kind: 'workspace' | 'bundle') => {
    const win = window();
    if (!win) return;
    try {
      const path = kind === 'workspace' ? await chooseWorkspace(win) : await chooseBundle(win);
      if (!path) return;
      const opened = await openTarget(kind, path);
      session.open(opened.store, opened.options);
      win.webContents.reload();
      const notice = sealNotice(opened.seal, uiLang());
      if (notice) showNotice(win, notice);
    } catch (err) {
      showError(win, kind === 'workspace' ? 'Could not open the workspace' : 'Could not open the bundle', (err as Error).message);
    }
  };
  const template: MenuItemConstructorOptions[] = [
    {
      label: 'File',
      submenu: [
        { label: 'Open Workspace…', accelerator: 'CmdOrCtrl+O', click: () => void reopen('workspace') },
        { label: 'Open Sealed Bundle…', accelerator: 'CmdOrCtrl+Shift+O', click: () => void reopen('bundle') },
        { type: 'separator' },
        { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

/** The OS language, for the few sentences main itself says (the window has its own setting). */
export const uiLang = (): 'en' | 'zh-CN' => (/^zh/i.test(app.getLocale()) ? 'zh-CN' : 'en');
