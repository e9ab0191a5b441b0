import { invoke, on } from '../api/client';
import type { CallOutput, EventPayload, ScanProgress, SourceSummary } from '../../../../shared/core/api/contract';
import { workspace } from './workspace-manager.svelte';

export type TestResult = CallOutput<'sources:test'> & { pending?: boolean };

/**
 * Sources and scans: the list from `sources:list`, connection tests, and the running scan fed by
 * `scan:progress` events (one progress line per source). The list refreshes on `scan:finished`.
 */
class ScanManager {
  sources = $state<SourceSummary[]>([]);
  loaded = $state(false);
  loading = $state(false);
  error = $state<string | null>(null);
  tests = $state<Record<string, TestResult>>({});
  scanId = $state<string | null>(null);
  cancelling = $state(false);
  progress = $state<Record<string, ScanProgress>>({});
  lastFinished = $state<EventPayload<'scan:finished'> | null>(null);
  #unsubscribe: (() => void)[] = [];

  running = $derived(this.scanId !== null);

  /** Subscribes to scan events once for the life of the page. */
  listen(): () => void {
    if (this.#unsubscribe.length === 0) {
      this.#unsubscribe.push(
        on('scan:progress', (p) => {
          // A scan started elsewhere (CLI in another window) is shown too.
          this.scanId ??= p.scanId;
          if (p.scanId === this.scanId) this.progress = { ...this.progress, [p.source]: p };
        }),
        on('scan:finished', (f) => {
          if (this.scanId && f.scanId !== this.scanId) return;
          this.lastFinished = f;
          this.scanId = null;
          this.cancelling = false;
          void this.load();
          void workspace.load();
        }),
      );
    }
    return () => {
      this.#unsubscribe.forEach((u) => u());
      this.#unsubscribe = [];
    };
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.sources = await invoke('sources:list', {});
      this.error = null;
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.loading = false;
      this.loaded = true;
    }
  }

  async test(name: string): Promise<void> {
    this.tests = { ...this.tests, [name]: { ok: false, message: '', pending: true } };
    try {
      this.tests = { ...this.tests, [name]: await invoke('sources:test', { name }) };
    } catch (err) {
      this.tests = { ...this.tests, [name]: { ok: false, message: (err as Error).message } };
    }
  }

  /** Starts a scan of some sources (all when none given); progress arrives as events. */
  async start(sources?: string[]): Promise<void> {
    this.error = null;
    this.progress = {};
    this.lastFinished = null;
    try {
      const { scanId } = await invoke('scan:start', { sources });
      this.scanId = scanId;
    } catch (err) {
      this.error = (err as Error).message;
    }
  }

  async cancel(): Promise<void> {
    if (!this.scanId) return;
    this.cancelling = true;
    try {
      await invoke('scan:cancel', { scanId: this.scanId });
    } catch (err) {
      this.error = (err as Error).message;
      this.cancelling = false;
    }
  }

  async save(entry: Record<string, unknown>): Promise<SourceSummary> {
    const saved = await invoke('sources:save', { entry });
    await this.load();
    return saved;
  }
}

export const scan = new ScanManager();
