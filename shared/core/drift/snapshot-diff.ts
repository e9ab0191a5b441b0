import { isJsonObject } from './deep-equal.js';
import { createPatch, type PatchOp } from './json-patch.js';
import { parsePointer } from './json-pointer.js';

/** One object in a snapshot: its canonical content and that content's hash. */
export interface SnapshotObject {
  hash: string;
  content: unknown;
}

/** How one object differs between two snapshots. */
export interface Change {
  urn: string;
  change: 'added' | 'removed' | 'modified';
  /** RFC 6902 patch from the old content to the new one; only for `modified`. */
  patch?: PatchOp[];
  /**
   * Readable field paths the change touched, e.g. `spec.template.spec.containers[web].image`
   * (list items by their `name` when they have one, else by index); for a whole added or removed
   * object, every field it holds. Sorted, without repeats.
   */
  keysTouched: string[];
}

const MAX_KEYS_PER_VALUE = 500;

function appendLeafKeys(keys: Set<string>, prefix: string, value: unknown): void {
  if (keys.size >= MAX_KEYS_PER_VALUE) return;
  if (Array.isArray(value) && value.length > 0) {
    value.forEach((item, index) => appendLeafKeys(keys, `${prefix}[${itemLabel(item, index)}]`, item));
  } else if (isJsonObject(value) && Object.keys(value).length > 0) {
    for (const [key, member] of Object.entries(value)) appendLeafKeys(keys, prefix === '' ? key : `${prefix}.${key}`, member);
  } else if (prefix !== '') {
    keys.add(prefix);
  }
}

const itemLabel = (item: unknown, index: number): string =>
  isJsonObject(item) && typeof item.name === 'string' ? item.name : String(index);

/** The readable path of a pointer, naming list items found in `document`. */
function readablePath(pointer: string, document: unknown): string {
  let path = '';
  let node: unknown = document;
  for (const token of parsePointer(pointer)) {
    if (Array.isArray(node)) {
      const index = Number(token);
      path += `[${itemLabel(node[index], index)}]`;
      node = node[index];
    } else {
      path += path === '' ? token : `.${token}`;
      node = isJsonObject(node) ? node[token] : undefined;
    }
  }
  return path;
}

/** The keys an RFC 6902 patch touches, named as in {@link Change.keysTouched}. */
export function keysTouchedByPatch(patch: readonly PatchOp[], before: unknown, after: unknown): string[] {
  const keys = new Set<string>();
  for (const op of patch) {
    // Removed and replaced items are named from the old document, added ones from the new.
    const path = readablePath(op.path, op.op === 'add' ? after : before);
    if (op.op === 'remove') keys.add(path);
    else appendLeafKeys(keys, path, op.value);
  }
  return [...keys].sort();
}

function leafKeysOf(content: unknown): string[] {
  const keys = new Set<string>();
  appendLeafKeys(keys, '', content);
  return [...keys].sort();
}

/**
 * Compares two snapshots keyed by URN: objects only in `after` are added, only in `before`
 * removed, in both with a different hash modified (with a patch). Sorted by URN.
 */
export function diffSnapshots(before: ReadonlyMap<string, SnapshotObject>, after: ReadonlyMap<string, SnapshotObject>): Change[] {
  const urns = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: Change[] = [];
  for (const urn of urns) {
    const old = before.get(urn);
    const current = after.get(urn);
    if (!old && current) changes.push({ urn, change: 'added', keysTouched: leafKeysOf(current.content) });
    else if (old && !current) changes.push({ urn, change: 'removed', keysTouched: leafKeysOf(old.content) });
    else if (old && current && old.hash !== current.hash) {
      const patch = createPatch(old.content, current.content);
      changes.push({ urn, change: 'modified', patch, keysTouched: keysTouchedByPatch(patch, old.content, current.content) });
    }
  }
  return changes;
}

/** One observed version of an object; `content: null` records that the object was deleted. */
export interface ObjectVersion {
  urn: string;
  /** ISO 8601 time the version was committed or observed. */
  time: string;
  hash: string;
  content: unknown;
  author?: string;
  message?: string;
  /** Where the version was seen, e.g. "git" or a snapshot name. */
  origin: string;
}

/** One step in an object's history. */
export interface TimelineEntry {
  urn: string;
  time: string;
  hash: string;
  origin: string;
  author?: string;
  message?: string;
  change: 'added' | 'modified' | 'removed';
  /** Hash of the version this one follows. */
  previousHash?: string;
  /** Patch from the previous version; empty for the first version and for a deletion. */
  patch: PatchOp[];
  keysTouched: string[];
}

/**
 * The history of each object: versions grouped by URN (sorted), in time order, each with the patch
 * from the version before. A version with the same hash as the one before is not a change and is
 * skipped (e.g. the live object observed after the git commit that produced it).
 */
export function buildTimeline(versions: readonly ObjectVersion[]): TimelineEntry[] {
  const byUrn = new Map<string, { version: ObjectVersion; order: number }[]>();
  versions.forEach((version, order) => {
    const list = byUrn.get(version.urn) ?? [];
    list.push({ version, order });
    byUrn.set(version.urn, list);
  });
  const entries: TimelineEntry[] = [];
  for (const urn of [...byUrn.keys()].sort()) {
    // Equal times keep their input order, so the result does not depend on the sort's stability.
    const ordered = byUrn.get(urn)!.sort((a, b) => Date.parse(a.version.time) - Date.parse(b.version.time) || a.order - b.order);
    let previous: ObjectVersion | undefined;
    for (const { version } of ordered) {
      const deleted = version.content === null || version.content === undefined;
      const previousExists = previous !== undefined && previous.content !== null && previous.content !== undefined;
      if (previous && previous.hash === version.hash) continue;
      if (deleted && !previousExists) continue;
      const base = { urn, time: version.time, hash: version.hash, origin: version.origin, author: version.author, message: version.message, previousHash: previous?.hash };
      if (deleted) entries.push({ ...base, change: 'removed', patch: [], keysTouched: leafKeysOf(previous!.content) });
      else if (!previousExists) entries.push({ ...base, change: 'added', patch: [], keysTouched: leafKeysOf(version.content) });
      else {
        const patch = createPatch(previous!.content, version.content);
        entries.push({ ...base, change: 'modified', patch, keysTouched: keysTouchedByPatch(patch, previous!.content, version.content) });
      }
      previous = version;
    }
  }
  return entries;
}
