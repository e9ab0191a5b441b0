import { Store } from '../../shared/node/services/index.js';
import { DriftlineService } from '../../shared/node/services/index.js';

/** Opens a workspace for a command and closes it afterwards, whatever happens. */
export async function withStore<T>(path: string, fn: (store: Store) => Promise<T> | T, options: { create?: boolean; readOnly?: boolean } = {}): Promise<T> {
  const store = Store.open(path, options);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

export async function withService<T>(path: string, fn: (service: DriftlineService) => Promise<T> | T, options: { readOnly?: boolean } = {}): Promise<T> {
  return withStore(path, (store) => fn(new DriftlineService(store)), options);
}
