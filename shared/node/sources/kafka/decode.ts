/**
 * Turns a message key/value into field paths and string values, without ever keeping the bytes
 * of messages that are not text: binary payloads are counted, and Confluent-framed (schema
 * registry) payloads are handed on with their schema id — they are decoded only with the schema
 * the registry holds for that id (schema-registry.ts), never by guessing.
 */
/**
 * How a message was encoded. `avro`, `json-schema` and `protobuf` are schema-registry framed
 * messages whose schema was resolved; `framed` ones could not be resolved (no registry, unknown id).
 */
export type Encoding = 'json' | 'text' | 'avro' | 'json-schema' | 'protobuf' | 'framed' | 'binary' | 'empty';

export type DecodedPayload =
  | { encoding: 'json'; json: unknown }
  | { encoding: 'text'; text: string }
  | { encoding: 'framed'; schemaId: number; body: Buffer }
  | { encoding: 'binary' }
  | { encoding: 'empty' };

const utf8 = new TextDecoder('utf-8', { fatal: true });
// Control characters other than tab/CR/LF mean bytes, not text.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function decodePayload(bytes: Buffer | null | undefined): DecodedPayload {
  if (!bytes || bytes.length === 0) return { encoding: 'empty' };
  // Confluent wire format: magic byte 0, then a 4-byte big-endian schema id
  // (https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format).
  if (bytes[0] === 0 && bytes.length >= 5) return { encoding: 'framed', schemaId: bytes.readInt32BE(1), body: bytes.subarray(5) };
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return { encoding: 'binary' };
  }
  // JSON first (the common case): valid JSON holds no raw control characters (RFC 8259 allows only
  // tab, CR and LF between tokens and none inside strings), so the control-character scan and the
  // trimmed copy are only needed when it does not parse. JSON.parse skips surrounding whitespace.
  const first = firstNonSpace(text);
  if (first === 0x7b || first === 0x5b) {
    try {
      return { encoding: 'json', json: JSON.parse(text) };
    } catch {
      // Not JSON after all: profile it as text.
    }
  }
  if (CONTROL.test(text)) return { encoding: 'binary' };
  return { encoding: 'text', text };
}

/** The first character code that is not JSON whitespace (or -1). */
function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) return c;
  }
  return -1;
}

/**
 * Child paths by parent path and key: every message of a topic has the same few paths, so they are
 * built once and reused (a reused string also keeps its hash for the profiler's map lookups). Bounded:
 * past MAX_CACHED_PATHS the cache starts over.
 */
const childPaths = new Map<string, Map<string, string>>();
let cachedPaths = 0;
const MAX_CACHED_PATHS = 50_000;
/** `path[]` by path, for array items. */
const arrayPaths = new Map<string, string>();
function childPath(path: string, key: string): string {
  let byKey = childPaths.get(path);
  if (!byKey) {
    if (cachedPaths >= MAX_CACHED_PATHS) {
      childPaths.clear();
      arrayPaths.clear();
      cachedPaths = 0;
    }
    childPaths.set(path, (byKey = new Map()));
  }
  let child = byKey.get(key);
  if (child === undefined) {
    child = path ? `${path}.${key}` : key;
    byKey.set(key, child);
    cachedPaths++;
  }
  return child;
}

/** Nesting and leaves profiled per message; a message past either is counted and warned about (topic-profile.ts). */
export const MAX_JSON_DEPTH = 16;
export const MAX_JSON_LEAVES = 2_000;

/** What one walk over a message's JSON has seen so far. */
interface LeafWalk {
  leaves: number;
  complete: boolean;
  onLeaf(path: string, value: string | null): void;
}

/**
 * Walks JSON to its leaves, handing each to `onLeaf` with its path: objects join keys with '.', arrays
 * add '[]' (`items[].email`). Leaves become strings (numbers too: a phone number may be stored as a
 * number); null stays null. Leaves go straight to the caller, in document order, so a message costs
 * no per-message map of paths. Returns false when the value went deeper than MAX_JSON_DEPTH or past
 * MAX_JSON_LEAVES leaves, so only part of it was walked.
 */
export function forEachJsonLeaf(value: unknown, prefix: string, onLeaf: (path: string, value: string | null) => void): boolean {
  const walk: LeafWalk = { leaves: 0, complete: true, onLeaf };
  visitJson(value, prefix, 0, walk);
  return walk.complete;
}

// A module-level function, not a closure per message: messages are many and all alike.
function visitJson(v: unknown, path: string, depth: number, walk: LeafWalk): void {
  if (walk.leaves >= MAX_JSON_LEAVES || depth > MAX_JSON_DEPTH) {
    walk.complete = false;
    return;
  }
  if (Array.isArray(v)) {
    let itemPath = arrayPaths.get(path);
    if (itemPath === undefined) arrayPaths.set(path, (itemPath = `${path}[]`));
    for (const item of v) visitJson(item, itemPath, depth + 1, walk);
    return;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k in o) if (Object.hasOwn(o, k)) visitJson(o[k], childPath(path, k), depth + 1, walk);
    return;
  }
  walk.leaves++;
  walk.onLeaf(path || '$value', v === null || v === undefined ? null : String(v));
}

/** Debezium change-event metadata (https://debezium.io/documentation/reference/stable/connectors/mysql.html#mysql-events). */
export interface DebeziumInfo {
  connector?: string;
  db?: string;
  table?: string;
  schema?: string;
  name?: string;
}

/**
 * Recognizes a Debezium envelope (`before`/`after`/`source`/`op`), bare or wrapped in the
 * JSON converter's `{schema, payload}`; returns the envelope to profile and its source block.
 */
export function unwrapDebezium(json: unknown): { envelope: Record<string, unknown>; info: DebeziumInfo } | undefined {
  if (!isObject(json)) return undefined;
  const env = isObject(json.payload) && 'schema' in json ? json.payload : json;
  if (!('op' in env) || !isObject(env.source) || !('after' in env || 'before' in env)) return undefined;
  const s = env.source;
  const pick = (k: string) => (typeof s[k] === 'string' ? (s[k] as string) : undefined);
  const info: DebeziumInfo = { connector: pick('connector'), db: pick('db'), table: pick('table'), schema: pick('schema'), name: pick('name') };
  return { envelope: env, info: Object.fromEntries(Object.entries(info).filter(([, v]) => v !== undefined)) as DebeziumInfo };
}

/** Unwraps the JSON converter's `{schema, payload}` (schemas.enable=true) around any value. */
export function unwrapSchemaPayload(json: unknown): unknown {
  return isObject(json) && 'schema' in json && 'payload' in json && Object.keys(json).length === 2 ? json.payload : json;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
