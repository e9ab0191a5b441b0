import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CALL_NAMES, EVENT_NAMES } from '../../../shared/core/api/contract.js';
import { AppError } from '../../../shared/core/api/errors.js';
import { fail, type Result } from '../../../shared/core/api/result.js';
import type { DriftlineService } from '../../../shared/node/services/driftline-service.js';

/**
 * The only place that touches ipcMain: one handler per contract call. Each checks that the sender
 * is our window's main frame, then hands the call to the one dispatch every transport shares
 * (service.dispatch: input validated with the call's schema, errors as values, because Electron
 * keeps only an error's message across IPC).
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, service: DriftlineService, trusted: () => WebContents | undefined): () => void {
  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const wc = trusted();
    return !!wc && event.sender === wc && event.senderFrame === wc.mainFrame;
  };
  for (const name of CALL_NAMES) {
    ipcMain.handle(name, async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) return fail(new AppError('UNAUTHORIZED', `${name}: refused a call from a frame that is not the studio window`));
      return service.dispatch(name, input);
    });
  }
  const unsubscribe = EVENT_NAMES.map((event) => service.events.on(event, (payload) => {
    const wc = trusted();
    if (wc && !wc.isDestroyed()) wc.send(event, payload);
  }));
  return () => {
    for (const name of CALL_NAMES) ipcMain.removeHandler(name);
    unsubscribe.forEach((u) => u());
  };
}
