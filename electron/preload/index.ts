import { contextBridge, ipcRenderer } from 'electron';
import type { DriftlineBridge } from '../../shared/core/api/bridge.js';
import { CALL_NAMES, EVENT_NAMES } from '../../shared/core/api/contract.js';
import type { Result } from '../../shared/core/api/result.js';

/**
 * Exposes the contract, and only the contract, as window.driftline. The raw ipcRenderer never
 * reaches the page: unknown channels are refused here before anything is sent.
 */
const api: DriftlineBridge = {
  invoke(channel: string, input: unknown): Promise<Result<unknown>> {
    if (!(CALL_NAMES as string[]).includes(channel)) return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message: `unknown call "${channel}"` } });
    return ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>;
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!(EVENT_NAMES as string[]).includes(event)) throw new Error(`unknown event "${event}"`);
    const wrapped = (_e: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.removeListener(event, wrapped);
  },
};

contextBridge.exposeInMainWorld('driftline', api);
