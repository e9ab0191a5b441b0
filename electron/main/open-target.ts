import { Store, openBundle, type ServiceOptions } from '../../shared/node/services/index.js';

/** How long a scan started from the studio waits for another writer (a CLI scan) to finish. */
const WRITER_WAIT_MS = 10 * 60_000;

export interface StudioTarget {
  store: Store;
  options: ServiceOptions;
}

/**
 * A workspace as the studio opens it: read-only, with the workspace's one writer claimed only while
 * a scan (or a source being saved) needs it — so the open window never blocks a CLI scan, and a
 * scan from the window waits for one that runs elsewhere (DESIGN.md: one writer per workspace).
 */
export async function openWorkspaceTarget(path: string): Promise<StudioTarget> {
  const store = await Store.openReader(path, { waitMs: WRITER_WAIT_MS });
  return { store, options: { openWriter: (purpose, signal) => Store.openWriter(path, { waitMs: WRITER_WAIT_MS, purpose: `Driftline studio (${purpose})`, signal }) } };
}

/** A sealed bundle: verified, materialized into a new read-only workspace; its seal (and what verify said) goes to the banner. */
export async function openBundleTarget(path: string): Promise<StudioTarget> {
  const opened = await openBundle(path);
  return { store: opened.store, options: { bundle: opened.bundle } };
}

export const openTarget = (kind: 'workspace' | 'bundle', path: string): Promise<StudioTarget> => (kind === 'bundle' ? openBundleTarget(path) : openWorkspaceTarget(path));
