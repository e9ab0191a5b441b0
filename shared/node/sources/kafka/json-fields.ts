import { isUtf8 } from 'node:buffer';

/**
 * Reads a few fields out of a JSON message's raw bytes without building the document: the rest of
 * the message is stepped over (strings skipped to their closing quote, containers by their brackets),
 * and only the values at the wanted paths are decoded to text. This is how a message past the
 * classification sample still gives the fingerprint candidates of its identifying fields
 * (topic-profile.ts) for a fraction of what UTF-8 decoding, JSON.parse and a walk over every leaf
 * cost.
 *
 * The reader checks what it reads, not the whole message: a wanted string must be valid UTF-8 and a
 * wanted number a JSON number, and the structure around them must hold; once every wanted path
 * outside arrays was found (and none inside arrays is wanted) the rest of the message is not read.
 *
 * Paths are those the leaf walk (decode.ts forEachJsonLeaf) builds: keys joined with '.', array items
 * as '[]' (`customer.mobile`, `items[].email`). A leaf's text is what the walk would give it — a
 * string as it is, a number as `String(JSON.parse(token))`, `true`/`false`, null as null — so both
 * paths offer a field the same values. Not a validator: bytes that are not well-formed JSON where the
 * reader steps make it give up (`undefined`), and the caller decodes that message in full instead.
 */

/** One step of the wanted paths: the full path when its value is wanted, and the steps below it. */
interface PathStep {
  path?: string;
  /** Under an array step: may come more than once per message. */
  inArray: boolean;
  keys: Map<string, PathStep>;
  /** Raw UTF-8 bytes of each key below, for comparing with a key in the message without decoding it. */
  keyBytes: { bytes: Buffer; step: PathStep }[];
  items?: PathStep;
}

const newStep = (inArray = false): PathStep => ({ inArray, keys: new Map(), keyBytes: [] });

/** Nesting followed along wanted paths (the leaf walk stops at 16; past this a message is decoded in full). */
const MAX_DEPTH = 64;
/** Values handed out per message, like the leaf walk's MAX_JSON_LEAVES. */
const MAX_VALUES = 2_000;

/** The paths to read out of messages; grows as the classification sample finds identifying fields. */
export class WantedPaths {
  private readonly root = newStep();
  private readonly added = new Set<string>();
  /** One reader, reset per message: messages are many. */
  private readonly reader: Reader = { b: EMPTY, i: 0, values: 0, found: 0, wantedLeaves: -1, done: false, out: NO_OUT };

  /** `prefix`: the leaf walk's prefix for these messages (`$key` for keys); paths without it are not wanted. */
  constructor(private readonly prefix = '') {}

  get size(): number {
    return this.added.size;
  }

  has(path: string): boolean {
    return this.added.has(path);
  }

  /** Wanted paths outside arrays, or -1 when some are inside one (then a message is read to its end); recomputed after a change. */
  private leaves: number | undefined;
  private wantedLeaves(): number {
    if (this.leaves === undefined) {
      let n = 0;
      const visit = (step: PathStep): boolean => {
        if (step.path !== undefined) {
          if (step.inArray) return false;
          n++;
        }
        for (const child of step.keys.values()) if (!visit(child)) return false;
        return !step.items || !hasPath(step.items) ? true : false;
      };
      const hasPath = (step: PathStep): boolean => step.path !== undefined || [...step.keys.values()].some(hasPath) || (step.items !== undefined && hasPath(step.items));
      this.leaves = visit(this.root) && n > 0 ? n : -1;
    }
    return this.leaves;
  }

  /** The paths wanted now. */
  paths(): string[] {
    return [...this.added];
  }

  /** Stops reading a path (its step stays, so the paths below it are still found). */
  remove(path: string): void {
    if (!this.added.delete(path)) return;
    let step: PathStep | undefined = this.root;
    let rest = path.slice(this.prefix.length);
    if (this.prefix && rest.startsWith('.')) rest = rest.slice(1);
    for (const segment of splitPath(rest)) step = segment === '[]' ? step?.items : step?.keys.get(segment);
    if (step) step.path = undefined;
    this.leaves = undefined;
  }

  /**
   * Adds a leaf walk path (`a.b`, `a[].b`, `[].a`, `$key.id`). Not read this way: a whole scalar
   * message (`$value`, `$key`), and paths with an empty key (`a.`), which the walk's joined names
   * cannot tell apart from others.
   */
  add(path: string): void {
    if (this.added.has(path) || path === '$value' || !path.startsWith(this.prefix)) return;
    let rest = path.slice(this.prefix.length);
    if (this.prefix) {
      if (rest.startsWith('.')) rest = rest.slice(1);
      else if (!rest.startsWith('[]')) return;
    }
    const segments = splitPath(rest);
    if (segments.length === 0 || segments.includes('')) return;
    this.added.add(path);
    let step = this.root;
    for (const segment of segments) {
      if (segment === '[]') {
        step = step.items ??= newStep(true);
        continue;
      }
      let next = step.keys.get(segment);
      if (!next) {
        step.keys.set(segment, (next = newStep(step.inArray)));
        step.keyBytes.push({ bytes: Buffer.from(segment, 'utf8'), step: next });
      }
      step = next;
    }
    step.path = path;
    this.leaves = undefined;
  }

  /**
   * Hands `onValue` every wanted path's value in `bytes` (a JSON object or array), in document order.
   * Returns false when the bytes are not JSON the reader can step through, and hands out nothing
   * then — never a value from the wrong place.
   */
  read(bytes: Buffer, onValue: (path: string, value: string | null) => void): boolean {
    const out: (string | null)[] = [];
    if (!this.readInto(bytes, out)) return false;
    for (let k = 0; k < out.length; k += 2) onValue(out[k] as string, out[k + 1]);
    return true;
  }

  /** As `read`, appending path, value, path, value… to `out` (left as it was when the bytes are not readable). */
  readInto(bytes: Buffer, out: (string | null)[]): boolean {
    const r = this.reader;
    const before = out.length;
    r.b = bytes;
    r.i = 0;
    r.values = 0;
    r.found = 0;
    r.done = false;
    r.wantedLeaves = this.wantedLeaves();
    r.out = out;
    try {
      skipSpace(r);
      const c = bytes[r.i];
      if (c !== 0x7b && c !== 0x5b) return false;
      readValue(r, this.root, 0);
      if (r.done) return true;
      skipSpace(r);
      if (r.i === bytes.length) return true;
    } catch (err) {
      // A bad escape or number inside a wanted value (JSON.parse of the slice) is malformed too.
      if (err !== MALFORMED && !(err instanceof SyntaxError)) throw err;
    } finally {
      r.b = EMPTY;
      r.out = NO_OUT;
    }
    out.length = before;
    return false;
  }
}

const EMPTY = Buffer.alloc(0);
const NO_OUT: (string | null)[] = [];

/** `items[].email` → items, [], email; `[].a` → [], a. */
function splitPath(path: string): string[] {
  const out: string[] = [];
  for (const part of path.split('.')) {
    let name = part;
    let arrays = 0;
    while (name.endsWith('[]')) {
      name = name.slice(0, -2);
      arrays++;
    }
    // An empty name is kept (and refused by add) unless the part is only array marks (`[].a`, `a[][]`).
    if (name || arrays === 0) out.push(name);
    for (let k = 0; k < arrays; k++) out.push('[]');
  }
  return out;
}

interface Reader {
  b: Buffer;
  i: number;
  values: number;
  /** Values found at wanted paths outside arrays, and how many such paths there are (-1: some are inside arrays, read to the end). */
  found: number;
  wantedLeaves: number;
  /** Every wanted path outside arrays was found: the reader returns without reading further. */
  done: boolean;
  /** Path, value, path, value…: handed out only once the whole message was read. */
  out: (string | null)[];
}

const MALFORMED = new Error('malformed JSON');

function skipSpace(r: Reader): void {
  const b = r.b;
  let i = r.i;
  while (i < b.length) {
    const c = b[i];
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  r.i = i;
}

/** From an opening quote at r.i: the index of the closing quote (the string is stepped over, not checked). */
function stringEnd(r: Reader): number {
  const b = r.b;
  let i = r.i + 1;
  // Short strings (keys, most values) by hand; the rest of a long one (free text) with indexOf, which is native.
  const limit = Math.min(b.length, i + 32);
  for (; i < limit; i++) {
    const c = b[i];
    if (c === 0x22) return i;
    if (c === 0x5c) i++;
  }
  for (;;) {
    const quote = b.indexOf(0x22, i);
    if (quote < 0) throw MALFORMED;
    // An odd run of backslashes right before it escapes the quote.
    let k = quote - 1;
    while (b[k] === 0x5c) k--;
    if ((quote - 1 - k) % 2 === 0) return quote;
    i = quote + 1;
  }
}

function hasBackslash(b: Buffer, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (b[k] === 0x5c) return true;
  return false;
}

/** The text of the string at r.i (undefined when not wanted: only stepped over). */
function readString(r: Reader, wanted: boolean): string | undefined {
  const start = r.i;
  const end = stringEnd(r);
  r.i = end + 1;
  if (!wanted) return undefined;
  // With escapes, JSON.parse of the quoted slice reads them exactly as a whole-message parse would.
  if (hasBackslash(r.b, start + 1, end)) return JSON.parse(r.b.toString('utf8', start, end + 1)) as string;
  // Bytes that are not UTF-8 make the message binary for the whole-message decoder too: never read them as text.
  if (!isAscii(r.b, start + 1, end) && !isUtf8(r.b.subarray(start + 1, end))) throw MALFORMED;
  return r.b.toString('utf8', start + 1, end);
}

function isAscii(b: Buffer, start: number, end: number): boolean {
  for (let k = start; k < end; k++) if (b[k] >= 0x80) return false;
  return true;
}

function keyStep(r: Reader, step: PathStep | undefined, start: number, end: number): PathStep | undefined {
  if (!step || step.keyBytes.length === 0) return undefined;
  const b = r.b;
  const length = end - start;
  for (const k of step.keyBytes) {
    if (k.bytes.length !== length) continue;
    let same = true;
    for (let j = 0; j < length; j++) {
      if (b[start + j] !== k.bytes[j]) {
        same = false;
        break;
      }
    }
    if (same) return k.step;
  }
  return undefined;
}

function emit(r: Reader, step: PathStep, value: string | null): void {
  if (r.values >= MAX_VALUES) return;
  r.values++;
  r.out.push(step.path!, value);
  // Every wanted path found (none of them inside an array, so each comes once): the rest need not be read.
  if (!step.inArray && ++r.found === r.wantedLeaves) r.done = true;
}

/** Reads one value at r.i; `step` is where it sits among the wanted paths (undefined: nothing wanted below). */
function readValue(r: Reader, step: PathStep | undefined, depth: number): void {
  if (!step) return skipValue(r);
  if (depth > MAX_DEPTH) throw MALFORMED;
  const b = r.b;
  const c = b[r.i];
  if (c === 0x7b) {
    r.i++;
    skipSpace(r);
    if (b[r.i] === 0x7d) {
      r.i++;
      return;
    }
    for (;;) {
      if (b[r.i] !== 0x22) throw MALFORMED;
      const keyStart = r.i;
      const end = stringEnd(r);
      // An escaped key is compared after decoding, as the leaf walk would see it.
      const child = hasBackslash(b, keyStart + 1, end) ? step.keys.get(JSON.parse(b.toString('utf8', keyStart, end + 1)) as string) : keyStep(r, step, keyStart + 1, end);
      r.i = end + 1;
      skipSpace(r);
      if (b[r.i] !== 0x3a) throw MALFORMED;
      r.i++;
      skipSpace(r);
      readValue(r, child, depth + 1);
      if (r.done) return;
      skipSpace(r);
      const sep = b[r.i++];
      if (sep === 0x7d) return;
      if (sep !== 0x2c) throw MALFORMED;
      skipSpace(r);
    }
  }
  if (c === 0x5b) {
    r.i++;
    skipSpace(r);
    if (b[r.i] === 0x5d) {
      r.i++;
      return;
    }
    for (;;) {
      readValue(r, step.items, depth + 1);
      if (r.done) return;
      skipSpace(r);
      const sep = b[r.i++];
      if (sep === 0x5d) return;
      if (sep !== 0x2c) throw MALFORMED;
      skipSpace(r);
    }
  }
  if (c === 0x22) {
    const text = readString(r, step.path !== undefined);
    if (step.path !== undefined) emit(r, step, text!);
    return;
  }
  const token = readScalar(r);
  if (step.path === undefined) return;
  if (token === 'null') emit(r, step, null);
  else if (token === 'true' || token === 'false') emit(r, step, token);
  else emit(r, step, String(JSON.parse(token) as number));
}

const NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A number, true, false or null at r.i, checked. */
function readScalar(r: Reader): string {
  const b = r.b;
  const start = r.i;
  let i = start;
  while (i < b.length) {
    const c = b[i];
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) break;
    i++;
  }
  r.i = i;
  const token = b.toString('latin1', start, i);
  if (token === 'null' || token === 'true' || token === 'false' || NUMBER.test(token)) return token;
  throw MALFORMED;
}

/**
 * Steps over one value nothing is wanted from, without recursion (a message may nest deeply): strings
 * to their closing quote, brackets counted. Scalars are stepped over, not checked.
 */
function skipValue(r: Reader): void {
  const b = r.b;
  let depth = 0;
  for (;;) {
    skipSpace(r);
    if (r.i >= b.length) throw MALFORMED;
    const c = b[r.i];
    if (c === 0x22) {
      r.i = stringEnd(r) + 1;
    } else if (c === 0x7b || c === 0x5b) {
      depth++;
      r.i++;
    } else if (c === 0x7d || c === 0x5d) {
      if (depth === 0) throw MALFORMED;
      depth--;
      r.i++;
    } else if (c === 0x2c || c === 0x3a) {
      if (depth === 0) throw MALFORMED;
      r.i++;
    } else {
      readScalarLoose(r);
    }
    if (depth === 0) return;
  }
}

/** Steps over a scalar token (inside a skipped value: not checked). */
function readScalarLoose(r: Reader): void {
  const b = r.b;
  let i = r.i;
  while (i < b.length) {
    const c = b[i];
    if (c === 0x2c || c === 0x7d || c === 0x5d || c === 0x3a || c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x22 || c === 0x7b || c === 0x5b) break;
    i++;
  }
  if (i === r.i) throw MALFORMED;
  r.i = i;
}
