import type { PatchOp } from '../drift/json-patch.js';

/**
 * The change history prediction learns from: every change of every configuration object, desired
 * (git commits) and live (snapshots, with managedFields times where the cluster gave them).
 */

/** One change of one object. */
export interface HistoryChange {
  urn: string;
  /** Milliseconds since the epoch. */
  time: number;
  /** Commit author, field manager, or null when nobody is known. */
  author: string | null;
  origin: 'desired' | 'live';
  change: 'added' | 'removed' | 'modified';
  /** What groups it with other objects' changes: the commit, or the snapshot it was seen in. */
  group: string;
  /** Readable keys the change touched (`spec.values.image.tag`); empty for an added object. */
  keysTouched: string[];
  patch?: PatchOp[];
  /** The commit subject, if any (bots say "update image … (1.2 ➔ 1.3)"). */
  message?: string;
  /** A live change that left the object differing from what git approves (GitOps bypassed). */
  outsideGitOps?: boolean;
  /** A live change known only as "different between two snapshots": its time is the snapshot's. */
  observedOnly?: boolean;
  /** Version pins (image tags, chart versions, digests) in the object after the change: each is a reason for a bot to bump it. */
  pins?: number;
}

/** A configuration object that prediction ranks. */
export interface HistoryObject {
  urn: string;
  kind: string;
  namespace: string;
  name: string;
  /**
   * Objects that belong together (the repository folder that defines them, else the namespace):
   * an app's HelmRelease, its OCIRepository and its ConfigMap move together.
   */
  neighbourhood: string;
}

/** The whole history, as the service reads it from a workspace. */
export interface History {
  objects: HistoryObject[];
  /** Any order; prediction sorts by time. */
  changes: HistoryChange[];
}

const AUTOMATION = /\[bot\]|(^|[^a-z])bot([^a-z]|$)|renovate|dependabot|github-actions|flux|argocd|argo-cd|helm|controller|operator|^kube-|^system:|gitops|jenkins|tekton|terraform/i;

/**
 * Whether an author is automation (update bots, GitOps controllers, Helm, the controller manager)
 * rather than a person. `kubectl-*` field managers are people at a terminal.
 */
export const isAutomation = (author: string | null): boolean => !!author && !/^kubectl/.test(author) && AUTOMATION.test(author);

const BUMP_KEY = /(^|\.)(image|tag|version|digest|semver|chart)($|\.)|(^|\.)images\[|\.ref\.(tag|semver|digest|commit)$/i;
const BUMP_MESSAGE = /\b(update|bump|upgrade)\b.*\b(image|chart|container|dependency|deps|helm|version|digest)\b|➔|->\s*v?\d/i;

/** Whether a change moves an image, chart or other version pin (what update bots do). */
export function isVersionBump(change: Pick<HistoryChange, 'keysTouched' | 'message' | 'change'>): boolean {
  if (change.change !== 'modified') return false;
  if (change.keysTouched.some((key) => BUMP_KEY.test(key))) return true;
  return !!change.message && BUMP_MESSAGE.test(change.message);
}

/** Size of an edit: the number of patch operations, or of keys touched. */
export const editSize = (change: Pick<HistoryChange, 'patch' | 'keysTouched'>): number => Math.max(change.patch?.length ?? 0, change.keysTouched.length);

/** Index of the first value greater than `v` in an ascending list (how many are ≤ v). */
export function upperBound(sorted: ArrayLike<number>, v: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (sorted[mid] <= v) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** How many values of an ascending list lie in (from, to]. */
export const countIn = (sorted: ArrayLike<number>, from: number, to: number): number => upperBound(sorted, to) - upperBound(sorted, from);

const PIN_KEY = /^(image|tag|version|digest|semver|chart|appVersion)$/i;
const MAX_PIN_WALK = 20_000;

/** How many version pins an object holds: string values under image/tag/version/digest/chart keys, or image references. */
export function countPins(content: unknown): number {
  let pins = 0;
  let seen = 0;
  const walk = (v: unknown, key: string): void => {
    if (++seen > MAX_PIN_WALK) return;
    if (typeof v === 'string') {
      if (PIN_KEY.test(key) && v !== '') pins++;
      else if (/^[a-z0-9.-]+\.[a-z]{2,}(:\d+)?\/[^\s]+[:@][\w.-]+$/i.test(v)) pins++;
      return;
    }
    if (Array.isArray(v)) { for (const x of v) walk(x, key); return; }
    if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(content, '');
  return pins;
}
