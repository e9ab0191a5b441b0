import type { PatchOp } from '../drift/json-patch.js';
import { upperBound } from '../model/sorted.js';

/**
 * The change history prediction learns from: every change of every configuration object, desired
 * (git commits) and live (snapshots, with managedFields times where the cluster gave them).
 */

/** One change of one object. */
export interface HistoryChange {
  /** The object's URN as it was at this change (a generated ConfigMap's name carries its content hash). */
  urn: string;
  /** The object this change belongs to, when it is not `urn` (see {@link HistoryObject.urn}). */
  identity?: string;
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
  /** Version pins in the object after the change (identity → version, see pins.ts): what update bots move. */
  pins?: Record<string, string>;
}

/** A configuration object that prediction ranks. */
export interface HistoryObject {
  /** The object's identity: its URN, or for a kustomize-generated ConfigMap/Secret the URN without the hash suffix. */
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


/** How many values of an ascending list lie in (from, to]. */
export const countIn = (sorted: ArrayLike<number>, from: number, to: number): number => upperBound(sorted, to) - upperBound(sorted, from);
