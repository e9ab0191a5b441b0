/**
 * Decode before classifying: Debezium and Kafka Connect write many values in encoded forms that no
 * recognizer can read — a DATE as days since the epoch, a DECIMAL as base64 of its unscaled bytes,
 * a POINT as WKB. This module turns them back into the text a person (and a recognizer) reads,
 * from the schema that travels with them: the JSON converter's `{schema, payload}` envelope, or an
 * Avro schema (Schema Registry, Avro sink files) with its `connect.name` / `logicalType`.
 * References: Debezium MySQL connector "Data type mappings"
 * (https://debezium.io/documentation/reference/stable/connectors/mysql.html#mysql-data-types) and
 * Kafka Connect's org.apache.kafka.connect.data logical types (Date, Time, Timestamp, Decimal).
 */

/** A Kafka Connect schema as the JSON converter writes it (schemas.enable=true). */
export interface ConnectSchema {
  type: string;
  name?: string;
  field?: string;
  optional?: boolean;
  parameters?: Record<string, string>;
  fields?: ConnectSchema[];
  items?: ConnectSchema;
  values?: ConnectSchema;
}

const MAX_DEPTH = 32;
const DAY_MS = 86_400_000;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `YYYY-MM-DD` of a day count since 1970-01-01. */
export function epochDaysToDate(days: number): string | undefined {
  if (!Number.isFinite(days)) return undefined;
  const d = new Date(days * DAY_MS);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

/** ISO 8601 UTC of an epoch count in `unit` (ms, µs or ns), midnight kept as `T00:00:00Z` so a DATETIME birthday still reads as a date. */
export function epochToIso(value: number | bigint | string, unit: 'ms' | 'us' | 'ns'): string | undefined {
  let ms: number;
  try {
    const big = typeof value === 'bigint' ? value : BigInt(typeof value === 'number' ? Math.trunc(value) : value);
    ms = Number(unit === 'ms' ? big : unit === 'us' ? big / 1000n : big / 1_000_000n);
  } catch {
    return undefined;
  }
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return undefined;
  const iso = d.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? `${iso.slice(0, 10)}T00:00:00Z` : iso;
}

/** Bytes of a base64 string (standard alphabet), without Node's Buffer so the studio can use it too. */
export function base64ToBytes(text: string): Uint8Array | undefined {
  try {
    const bin = atob(text);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

/** A decimal string from big-endian two's-complement unscaled bytes and a scale (Connect Decimal, Avro decimal). */
export function unscaledToDecimal(bytes: Uint8Array, scale: number): string {
  if (bytes.length === 0) return '0';
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  if (bytes[0] & 0x80) n -= 1n << BigInt(bytes.length * 8);
  const negative = n < 0n;
  const digits = (negative ? -n : n).toString().padStart(scale + 1, '0');
  const body = scale > 0 ? `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}` : digits;
  return negative ? `-${body}` : body;
}

/** `POINT(x y)` of a WKB point (OGC 06-103r4; either byte order), or undefined for other geometries. */
export function wkbPointToText(bytes: Uint8Array): string | undefined {
  if (bytes.length < 21) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = bytes[0] === 1;
  const type = view.getUint32(1, little) & 0xffff;
  // Extended WKB (PostGIS) sets an SRID flag bit and adds 4 bytes before the coordinates.
  const hasSrid = (view.getUint32(1, little) & 0x20000000) !== 0;
  if (type !== 1 && type !== 1001) return undefined;
  const at = 5 + (hasSrid ? 4 : 0);
  if (bytes.length < at + 16) return undefined;
  const x = view.getFloat64(at, little);
  const y = view.getFloat64(at + 8, little);
  return Number.isFinite(x) && Number.isFinite(y) ? `POINT(${x} ${y})` : undefined;
}

/** Bytes from what a JSON or Avro decoder hands over: base64 text, a byte array, or a Uint8Array/Buffer. */
function bytesOf(value: unknown): Uint8Array | undefined {
  if (typeof value === 'string') return base64ToBytes(value);
  if (value instanceof Uint8Array) return value;
  if (Array.isArray(value) && value.every((b) => typeof b === 'number')) return Uint8Array.from(value as number[]);
  return undefined;
}

/** Decodes one value carrying the logical type `name` (Debezium or Connect); undefined when it is not one we know. */
export function decodeLogical(name: string | undefined, value: unknown, parameters?: Record<string, string>): unknown {
  if (name === undefined || value === null || value === undefined) return undefined;
  switch (name) {
    case 'io.debezium.time.Date':
    case 'org.apache.kafka.connect.data.Date':
    case 'date':
      return typeof value === 'number' ? epochDaysToDate(value) : undefined;
    case 'io.debezium.time.Timestamp':
    case 'org.apache.kafka.connect.data.Timestamp':
    case 'timestamp-millis':
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' ? epochToIso(value as number, 'ms') : undefined;
    case 'io.debezium.time.MicroTimestamp':
    case 'timestamp-micros':
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' ? epochToIso(value as number, 'us') : undefined;
    case 'io.debezium.time.NanoTimestamp':
      return typeof value === 'number' || typeof value === 'bigint' || typeof value === 'string' ? epochToIso(value as number, 'ns') : undefined;
    case 'io.debezium.time.ZonedTimestamp':
      return typeof value === 'string' ? value : undefined;
    case 'org.apache.kafka.connect.data.Decimal':
    case 'decimal': {
      const bytes = bytesOf(value);
      const scale = Number(parameters?.scale ?? 0);
      return bytes && Number.isInteger(scale) ? unscaledToDecimal(bytes, scale) : undefined;
    }
    case 'io.debezium.data.VariableScaleDecimal': {
      if (!isObject(value)) return undefined;
      const bytes = bytesOf(value.value);
      return bytes && typeof value.scale === 'number' ? unscaledToDecimal(bytes, value.scale) : undefined;
    }
    case 'io.debezium.data.geometry.Point':
      if (isObject(value) && typeof value.x === 'number' && typeof value.y === 'number') return `POINT(${value.x} ${value.y})`;
      return isObject(value) ? decodeLogical('io.debezium.data.geometry.Geometry', value) : undefined;
    case 'io.debezium.data.geometry.Geometry':
    case 'io.debezium.data.geometry.Geography': {
      if (!isObject(value)) return undefined;
      const bytes = bytesOf(value.wkb);
      return bytes ? wkbPointToText(bytes) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A Connect value with every logical-typed part decoded, walking the schema alongside it (structs,
 * arrays, maps). Parts without a known logical type are returned as they are.
 */
export function decodeConnectValue(schema: ConnectSchema | undefined, value: unknown, depth = 0): unknown {
  if (!schema || depth > MAX_DEPTH || value === null || value === undefined) return value;
  const decoded = decodeLogical(schema.name, value, schema.parameters);
  if (decoded !== undefined) return decoded;
  if (schema.type === 'struct' && isObject(value) && schema.fields) {
    const out: Record<string, unknown> = { ...value };
    for (const f of schema.fields) if (f.field !== undefined && f.field in value) out[f.field] = decodeConnectValue(f, value[f.field], depth + 1);
    return out;
  }
  if (schema.type === 'array' && Array.isArray(value)) return value.map((v) => decodeConnectValue(schema.items, v, depth + 1));
  if (schema.type === 'map' && isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeConnectValue(schema.values, v, depth + 1)]));
  return value;
}

/** `{schema, payload}` (JSON converter, schemas.enable=true) → the payload, decoded with its schema; anything else as it is. */
export function decodeSchemaEnvelope(json: unknown): unknown {
  if (!isObject(json) || !('schema' in json) || !('payload' in json) || Object.keys(json).length !== 2) return json;
  return isObject(json.schema) && typeof json.schema.type === 'string' ? decodeConnectValue(json.schema as unknown as ConnectSchema, json.payload) : json.payload;
}

/**
 * An Avro-decoded value with its logical types decoded, walking the Avro schema (JSON form):
 * Debezium's `connect.name` (io.debezium.time.Date on an int) and Avro's own `logicalType`
 * (date, timestamp-millis/micros, decimal with its scale).
 */
export function decodeAvroValue(schema: unknown, value: unknown, depth = 0, names: Map<string, unknown> = avroNames(schema)): unknown {
  if (depth > MAX_DEPTH || value === null || value === undefined) return value;
  // A named type used again by name (Debezium's `after: ["null", "Value"]` after `before` defined Value).
  if (typeof schema === 'string') return names.has(schema) ? decodeAvroValue(names.get(schema), value, depth + 1, names) : value;
  if (Array.isArray(schema)) {
    // A union: avsc hands over the branch's value unwrapped, so try the non-null branches in turn.
    for (const branch of schema) {
      if (branch === 'null') continue;
      const d = decodeAvroValue(branch, value, depth + 1, names);
      if (d !== value) return d;
    }
    return value;
  }
  if (!isObject(schema)) return value;
  const logical = typeof schema['connect.name'] === 'string' ? (schema['connect.name'] as string) : typeof schema.logicalType === 'string' ? (schema.logicalType as string) : undefined;
  const params = isObject(schema['connect.parameters']) ? (schema['connect.parameters'] as Record<string, string>) : typeof schema.scale === 'number' ? { scale: String(schema.scale) } : undefined;
  const decoded = decodeLogical(logical, value, params);
  if (decoded !== undefined) return decoded;
  if (schema.type === 'record' && Array.isArray(schema.fields) && isObject(value)) {
    const out: Record<string, unknown> = { ...value };
    for (const f of schema.fields as { name: string; type: unknown }[]) if (f.name in value) out[f.name] = decodeAvroValue(f.type, value[f.name], depth + 1, names);
    return out;
  }
  if (schema.type === 'array' && Array.isArray(value)) return value.map((v) => decodeAvroValue(schema.items, v, depth + 1, names));
  if (schema.type === 'map' && isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeAvroValue(schema.values, v, depth + 1, names)]));
  if (isObject(schema.type) || Array.isArray(schema.type)) return decodeAvroValue(schema.type, value, depth + 1, names);
  return value;
}

/** Named types of an Avro schema by short and full name, so references by name can be followed. */
function avroNames(schema: unknown, names = new Map<string, unknown>(), namespace = '', depth = 0): Map<string, unknown> {
  if (depth > MAX_DEPTH) return names;
  if (Array.isArray(schema)) {
    for (const s of schema) avroNames(s, names, namespace, depth + 1);
  } else if (isObject(schema)) {
    const ns = typeof schema.namespace === 'string' ? schema.namespace : namespace;
    if (typeof schema.name === 'string' && (schema.type === 'record' || schema.type === 'enum' || schema.type === 'fixed')) {
      names.set(schema.name, schema);
      if (ns && !schema.name.includes('.')) names.set(`${ns}.${schema.name}`, schema);
    }
    if (Array.isArray(schema.fields)) for (const f of schema.fields as { type: unknown }[]) avroNames(f.type, names, ns, depth + 1);
    for (const k of ['items', 'values', 'type'] as const) if (typeof schema[k] === 'object') avroNames(schema[k], names, ns, depth + 1);
  }
  return names;
}
