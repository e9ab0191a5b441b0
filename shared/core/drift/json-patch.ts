import { AppError } from '../api/errors.js';
import { isJsonObject, jsonEqual } from './deep-equal.js';
import { escapePointerToken, parsePointer } from './json-pointer.js';
import { isHiddenValue } from './hidden-values.js';

/** One RFC 6902 operation; Driftline only produces add, remove and replace. */
export type PatchOp =
  | { op: 'add'; path: string; value: unknown }
  | { op: 'remove'; path: string }
  | { op: 'replace'; path: string; value: unknown };

function diffInto(ops: PatchOp[], path: string, before: unknown, after: unknown): void {
  if (jsonEqual(before, after)) return;
  // A hidden value is one value: it is replaced whole, never patched field by field.
  if (isJsonObject(before) && isJsonObject(after) && !isHiddenValue(before) && !isHiddenValue(after)) {
    for (const key of Object.keys(before)) {
      if (before[key] === undefined) continue;
      const childPath = `${path}/${escapePointerToken(key)}`;
      if (!Object.hasOwn(after, key) || after[key] === undefined) ops.push({ op: 'remove', path: childPath });
      else diffInto(ops, childPath, before[key], after[key]);
    }
    for (const key of Object.keys(after)) {
      if (after[key] === undefined || (Object.hasOwn(before, key) && before[key] !== undefined)) continue;
      ops.push({ op: 'add', path: `${path}/${escapePointerToken(key)}`, value: after[key] });
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    diffArrays(ops, path, before, after);
    return;
  }
  ops.push({ op: 'replace', path, value: after });
}

/**
 * Arrays: the unchanged head and tail are skipped, so one item inserted or removed in the middle
 * gives one op rather than a replace of every later item; the middle is diffed item by item.
 */
function diffArrays(ops: PatchOp[], path: string, before: unknown[], after: unknown[]): void {
  let head = 0;
  while (head < before.length && head < after.length && jsonEqual(before[head], after[head])) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && jsonEqual(before[before.length - 1 - tail], after[after.length - 1 - tail])) tail++;
  const beforeMiddle = before.length - head - tail;
  const afterMiddle = after.length - head - tail;
  const paired = Math.min(beforeMiddle, afterMiddle);
  for (let i = head; i < head + paired; i++) diffInto(ops, `${path}/${i}`, before[i], after[i]);
  // Remove from the highest index down so that earlier indices stay valid while applying.
  for (let i = head + beforeMiddle - 1; i >= head + paired; i--) ops.push({ op: 'remove', path: `${path}/${i}` });
  for (let i = head + paired; i < head + afterMiddle; i++) ops.push({ op: 'add', path: `${path}/${i}`, value: after[i] });
}

/** An RFC 6902 patch that turns `before` into `after` (add/remove/replace, RFC 6901 escaped paths). */
export function createPatch(before: unknown, after: unknown): PatchOp[] {
  const ops: PatchOp[] = [];
  diffInto(ops, '', before, after);
  return ops;
}

const clone = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

function arrayIndex(token: string, length: number, allowEnd: boolean, pointer: string): number {
  if (allowEnd && token === '-') return length;
  // RFC 6901 §4: array indices are decimal without leading zeros.
  if (!/^(0|[1-9]\d*)$/.test(token)) throw new AppError('INVALID_INPUT', `JSON patch: "${token}" in ${pointer} is not an array index`);
  const index = Number(token);
  if (index > length || (!allowEnd && index === length)) {
    throw new AppError('INVALID_INPUT', `JSON patch: index ${index} in ${pointer} is out of range (array length ${length})`);
  }
  return index;
}

/**
 * Applies an RFC 6902 patch (add/remove/replace) to a copy of `document` and returns the copy.
 * Throws AppError('INVALID_INPUT') naming the op when a path does not exist.
 */
export function applyPatch<T = unknown>(document: unknown, ops: readonly PatchOp[]): T {
  let root: unknown = clone(document);
  for (const op of ops) {
    const tokens = parsePointer(op.path);
    if (tokens.length === 0) {
      if (op.op === 'remove') root = undefined;
      else root = clone(op.value);
      continue;
    }
    let parent: unknown = root;
    for (const token of tokens.slice(0, -1)) {
      if (Array.isArray(parent)) parent = parent[arrayIndex(token, parent.length, false, op.path)];
      else if (isJsonObject(parent) && Object.hasOwn(parent, token)) parent = parent[token];
      else throw new AppError('INVALID_INPUT', `JSON patch: ${op.op} ${op.path}: "${token}" does not exist`);
    }
    const last = tokens[tokens.length - 1];
    if (Array.isArray(parent)) {
      const index = arrayIndex(last, parent.length, op.op === 'add', op.path);
      if (op.op === 'add') parent.splice(index, 0, clone(op.value));
      else if (op.op === 'remove') parent.splice(index, 1);
      else parent[index] = clone(op.value);
    } else if (isJsonObject(parent)) {
      if (op.op !== 'add' && !Object.hasOwn(parent, last)) throw new AppError('INVALID_INPUT', `JSON patch: ${op.op} ${op.path}: "${last}" does not exist`);
      if (op.op === 'remove') delete parent[last];
      else Object.defineProperty(parent, last, { value: clone(op.value), enumerable: true, writable: true, configurable: true });
    } else {
      throw new AppError('INVALID_INPUT', `JSON patch: ${op.op} ${op.path}: the parent is not an object or array`);
    }
  }
  return root as T;
}
