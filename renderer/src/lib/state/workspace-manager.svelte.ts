import { invoke, onConnectionChange, type ConnectionState } from '../api/client';
import type { CallOutput } from '../../../../shared/core/api/contract';
import { sourceKinds } from './source-kinds-manager.svelte';

export type WorkspaceInfo = CallOutput<'workspace:info'>;

/** The open workspace: its name, counts, and whether it is a read-only sealed snapshot. */
class WorkspaceManager {
  info = $state<WorkspaceInfo | null>(null);
  error = $state<{ code: string; message: string } | null>(null);
  loading = $state(false);
  /** True while the event stream is down after having worked: the UI says it is reconnecting. */
  reconnecting = $state(false);
  #everConnected = false;

  /** The file name without folders: what the auditor recognizes. */
  name = $derived(this.info ? (this.info.path.split(/[\\/]/).pop() ?? this.info.path) : '');
  readOnly = $derived(!!this.info && (this.info.readOnly || !!this.info.bundle));

  async load(): Promise<void> {
    this.loading = true;
    try {
      // Source kinds first: they register the URN schemes the views will parse.
      const [info] = await Promise.all([invoke('workspace:info', {}), sourceKinds.load()]);
      this.info = info;
      this.error = null;
    } catch (err) {
      this.error = { code: (err as { code?: string }).code ?? 'INTERNAL', message: (err as Error).message };
    } finally {
      this.loading = false;
    }
  }

  watchConnection(): () => void {
    return onConnectionChange((state: ConnectionState) => {
      if (state === 'connected') this.#everConnected = true;
      this.reconnecting = this.#everConnected && state !== 'connected';
    });
  }
}

export const workspace = new WorkspaceManager();
