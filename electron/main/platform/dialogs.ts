import { dialog, type BrowserWindow } from 'electron';

/** Asks for a workspace file to open; undefined when the user cancels. */
export async function chooseWorkspace(win: BrowserWindow): Promise<string | undefined> {
  const r = await dialog.showOpenDialog(win, { title: 'Open workspace', properties: ['openFile'], filters: [{ name: 'Driftline workspace', extensions: ['driftline'] }] });
  return r.canceled ? undefined : r.filePaths[0];
}

/** Asks for a sealed snapshot bundle to open (read-only, verified first). */
export async function chooseBundle(win: BrowserWindow): Promise<string | undefined> {
  const r = await dialog.showOpenDialog(win, { title: 'Open sealed bundle', properties: ['openFile'], filters: [{ name: 'Driftline sealed bundle', extensions: ['dlbundle'] }, { name: 'All files', extensions: ['*'] }] });
  return r.canceled ? undefined : r.filePaths[0];
}

export function showError(win: BrowserWindow, title: string, message: string): void {
  void dialog.showMessageBox(win, { type: 'error', title, message: title, detail: message });
}

export function showNotice(win: BrowserWindow, notice: { type: 'warning' | 'error'; title: string; detail: string }): void {
  void dialog.showMessageBox(win, { type: notice.type, title: notice.title, message: notice.title, detail: notice.detail });
}
