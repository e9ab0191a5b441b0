import type { IpcMain, WebContents } from 'electron';
import { DriftlineService, type ServiceOptions, type Store } from '../../shared/node/services/index.js';
import { registerIpc } from './ipc/register.js';

/**
 * The workspace the window shows, and the contract bound to it. Opening another workspace (or a
 * sealed bundle) closes the old store, binds the calls to a new service and leaves the window as is;
 * the caller reloads it.
 */
export class StudioSession {
  private store?: Store;
  private unbind?: () => void;

  constructor(
    private readonly ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
    private readonly trusted: () => WebContents | undefined,
    private readonly options: ServiceOptions = {},
  ) {}

  open(store: Store, extra: ServiceOptions = {}): DriftlineService {
    this.close();
    this.store = store;
    const service = new DriftlineService(store, { ...this.options, ...extra });
    this.unbind = registerIpc(this.ipcMain, service, this.trusted);
    return service;
  }

  get path(): string | undefined {
    return this.store?.workspace.path;
  }

  close(): void {
    this.unbind?.();
    this.unbind = undefined;
    this.store?.close();
    this.store = undefined;
  }
}
