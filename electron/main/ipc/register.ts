import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { CALL_NAMES, EVENT_NAMES, type CallName } from '../../../shared/core/api/contract.js';
import { AppError } from '../../../shared/core/api/errors.js';
import { fail, ok, type Result } from '../../../shared/core/api/result.js';
import { parseCallInput } from '../../../shared/core/api/validate.js';
import type { DriftlineService } from '../../../shared/node/services/driftline-service.js';

/**
 * The only place that touches ipcMain: one handler per contract call, bound from the service's typed
 * handler map (a call without a handler is a compile error there). Each handler checks that the
 * sender is our window's main frame, validates the input with the call's schema and returns errors
 * as values, because Electron keeps only an error's message across IPC.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, service: DriftlineService, trusted: () => WebContents | undefined): () => void {
  const isTrustedSender = (event: IpcMainInvokeEvent): boolean => {
    const wc = trusted();
    return !!wc && event.sender === wc && event.senderFrame === wc.mainFrame;
  };
  for (const name of CALL_NAMES) {
    ipcMain.handle(name, async (event, input: unknown): Promise<Result<unknown>> => {
      if (!isTrustedSender(event)) return fail(new AppError('UNAUTHORIZED', `${name}: refused a call from a frame that is not the studio window`));
      try {
        const call = parseCallInput<CallName>(name, input);
        const handler = service.handlers[call.name] as (i: unknown) => unknown;
        return ok(await handler(call.input));
      } catch (err) {
        return fail(err);
      }
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
