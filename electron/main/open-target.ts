import { Store, openBundle, type BundleSeal, type ServiceOptions } from '../../shared/node/services/index.js';
import { translate, type Lang } from '../../shared/core/i18n/index.js';

/** How long a scan started from the studio waits for another writer (a CLI scan) to finish. */
const WRITER_WAIT_MS = 10 * 60_000;

export interface StudioTarget {
  store: Store;
  options: ServiceOptions;
  /** The seal of a bundle, as verify found it and the trust store judges it. */
  seal?: BundleSeal;
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
  return { store: opened.store, options: { bundle: opened.bundle }, seal: opened.bundle };
}

/**
 * What the window says when a bundle opens whose signer is not trusted (or, defensively, whose seal
 * is broken): the banner says it too, but a dialog makes sure it is read before the evidence is.
 */
export function sealNotice(seal: BundleSeal | undefined, lang: Lang): { type: 'warning' | 'error'; title: string; detail: string } | undefined {
  if (!seal || seal.trust === 'trusted') return undefined;
  const title = translate(lang, `security.trust.${seal.trust}`);
  const detail = [
    `${translate(lang, 'security.trust.selfDeclared', { name: seal.signer })}`,
    seal.fingerprint,
    seal.trust === 'untrusted' ? translate(lang, 'security.trust.howToTrust', { fingerprint: seal.fingerprint }) : '',
  ].filter(Boolean).join('\n');
  return { type: seal.trust === 'broken' ? 'error' : 'warning', title, detail };
}

export const openTarget = (kind: 'workspace' | 'bundle', path: string): Promise<StudioTarget> => (kind === 'bundle' ? openBundleTarget(path) : openWorkspaceTarget(path));
