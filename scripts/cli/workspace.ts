import { Store } from '../../shared/node/services/index.js';
import { DriftlineService } from '../../shared/node/services/index.js';

export interface WorkspaceOpenOptions {
  create?: boolean;
  /** Read only (the default for commands that only look): never claims the workspace, never waits for a scan. */
  readOnly?: boolean;
  /** A writer waits this long for another writer (a running scan) to finish before refusing. */
  waitMs?: number;
  /** What the writer does, for the message a second writer gets. */
  purpose?: string;
  onWait?: (holderDescription: string) => void;
}

/** Opens a workspace for a command and closes it afterwards, whatever happens. */
export async function withStore<T>(path: string, fn: (store: Store) => Promise<T> | T, options: WorkspaceOpenOptions = {}): Promise<T> {
  const store = options.readOnly
    ? await Store.openReader(path, { waitMs: options.waitMs })
    : await Store.openWriter(path, { create: options.create, waitMs: options.waitMs, purpose: options.purpose, onWait: (h) => options.onWait?.(`process ${h.pid} (${h.purpose}, since ${h.since})`) });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** The service over a workspace opened read-only: the query commands never write. */
export async function withService<T>(path: string, fn: (service: DriftlineService) => Promise<T> | T, options: WorkspaceOpenOptions = { readOnly: true }): Promise<T> {
  return withStore(path, (store) => fn(new DriftlineService(store)), options);
}
