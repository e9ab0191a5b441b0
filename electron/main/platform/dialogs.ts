import { dialog, type BrowserWindow } from 'electron';

/** Asks for a workspace file to open; undefined when the user cancels. */
export async function chooseWorkspace(win: BrowserWindow): Promise<string | undefined> {
  const r = await dialog.showOpenDialog(win, { title: 'Open workspace', properties: ['openFile'], filters: [{ name: 'Driftline workspace', extensions: ['driftline'] }] });
  return r.canceled ? undefined : r.filePaths[0];
}
