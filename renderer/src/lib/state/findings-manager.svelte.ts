import { invoke } from '../api/client';
import type { StoredFinding } from '../../../../shared/core/model/finding';

/**
 * All findings of the workspace, loaded once and filtered/sorted in the page: an audit workspace
 * holds thousands of findings, not millions, and instant filtering is what the auditor needs.
 */
class FindingsManager {
  all = $state.raw<StoredFinding[]>([]);
  loaded = $state(false);
  loading = $state(false);
  error = $state<string | null>(null);

  async load(force = false): Promise<void> {
    if (this.loaded && !force) return;
    this.loading = true;
    try {
      this.all = await invoke('findings:list', {});
      this.error = null;
      this.loaded = true;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }
}

export const findings = new FindingsManager();
