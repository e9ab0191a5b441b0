import avro from 'avsc';
import { decodeAvroValue } from '../../../core/pii/logical-types.js';
import { bigLongType } from '../avro-big-long.js';
import { AppError } from '../../../core/api/errors.js';
import { kafkaUrn } from '../../../core/model/urn.js';
import type { CaptureContext } from '../source.js';
import type { KafkaSourceConfig } from './config.js';
import { compileProto, decodeProtobuf, type CompiledProto } from './protobuf-framing.js';

/*
 * Reading a Confluent-compatible schema registry, so that messages in the Confluent wire format
 * (magic byte 0, 4-byte schema id, then the encoded record —
 * https://docs.confluent.io/platform/current/schema-registry/fundamentals/serdes-develop/index.html#wire-format)
 * can be profiled like JSON messages. Only GETs of the REST API
 * (https://docs.confluent.io/platform/current/schema-registry/develop/api.html): an auditor's capture
 * registers nothing. Every request has a timeout, and a registry that cannot be reached is asked
 * nothing more during the capture, so a dead registry costs one timeout, not one per message.
 */

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';
type RegistryConfig = NonNullable<KafkaSourceConfig['schemaRegistry']>;

/** A schema as `GET /schemas/ids/{id}` returns it (`schemaType` is omitted by the registry for Avro). */
export interface RegistrySchema {
  schemaType: SchemaType | string;
  schema: string;
}

/** The latest version of a topic's subject, recorded on the topic node as `props.schemaSubjects`. */
export interface SchemaSubject {
  subject: string;
  role: 'key' | 'value';
  schemaType: SchemaType | string;
  version: number;
  schemaId: number;
}

const REQUEST_TIMEOUT_MS = 5_000;
/** Largest registry answer read: schemas are kilobytes; anything bigger is not a schema. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** A read-only client of one registry, for one capture (its caches live as long as the capture). */
export class SchemaRegistryClient {
  /** The registry's URL without credentials, for messages. */
  readonly where: string;
  private readonly base: URL;
  private readonly authorization?: string;
  /** Set once the registry proved unreachable or refused us: later calls fail fast with it. */
  private unavailable?: AppError;
  private readonly schemas = new Map<number, Promise<RegistrySchema | undefined>>();

  constructor(
    config: RegistryConfig,
    private readonly sourceName: string,
    private readonly signal: AbortSignal,
    private readonly timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    const url = new URL(config.url);
    url.username = '';
    url.password = '';
    this.where = url.toString().replace(/\/$/, '');
    // A registry may sit under a path prefix (https://host/registry/): resolve endpoints below it.
    this.base = new URL(url.toString().endsWith('/') ? url.toString() : `${url.toString()}/`);
    if (config.usernameEnv && config.passwordEnv) {
      const username = process.env[config.usernameEnv];
      const password = process.env[config.passwordEnv];
      const missing = username === undefined ? config.usernameEnv : password === undefined ? config.passwordEnv : undefined;
      if (missing) {
        this.unavailable = new AppError('CONFIG_INVALID', `kafka://${sourceName}: environment variable ${missing} (schemaRegistry) is not set — set it or remove schemaRegistry.usernameEnv/passwordEnv`);
      } else {
        this.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
      }
    }
  }

  /** The schema registered under a global id; `undefined` when the registry does not know the id. Cached. */
  schemaById(id: number): Promise<RegistrySchema | undefined> {
    let p = this.schemas.get(id);
    if (!p) {
      p = this.get(`schemas/ids/${id}`).then((body) => {
        if (body === undefined) return undefined;
        const b = body as { schema?: unknown; schemaType?: unknown };
        if (typeof b.schema !== 'string') throw this.badAnswer(`schemas/ids/${id}`, 'no "schema" string');
        return { schema: b.schema, schemaType: typeof b.schemaType === 'string' ? b.schemaType : 'AVRO' };
      });
      this.schemas.set(id, p);
    }
    return p;
  }

  /** Whether the registry proved unreachable or refused us (later calls fail fast). */
  get isUnavailable(): boolean {
    return this.unavailable !== undefined;
  }

  /** `GET /subjects`. */
  async subjects(): Promise<string[]> {
    const body = await this.get('subjects');
    if (!Array.isArray(body) || !body.every((s) => typeof s === 'string')) throw this.badAnswer('subjects', 'not a list of subject names');
    return body;
  }

  /** `GET /subjects/{s}/versions/latest`; `undefined` when the subject does not exist. */
  async latest(subject: string): Promise<Omit<SchemaSubject, 'role'> | undefined> {
    const path = `subjects/${encodeURIComponent(subject)}/versions/latest`;
    const body = (await this.get(path)) as { id?: unknown; version?: unknown; schemaType?: unknown } | undefined;
    if (body === undefined) return undefined;
    if (typeof body.id !== 'number' || typeof body.version !== 'number') throw this.badAnswer(path, 'no numeric "id" and "version"');
    return { subject, schemaId: body.id, version: body.version, schemaType: typeof body.schemaType === 'string' ? body.schemaType : 'AVRO' };
  }

  /** One GET; the parsed JSON body, or `undefined` for 404. Throws an AppError naming the registry. */
  private async get(path: string): Promise<unknown> {
    if (this.unavailable) throw this.unavailable;
    const where = `kafka://${this.sourceName}: schema registry ${this.where}`;
    let res: Response;
    try {
      res = await fetch(new URL(path, this.base), {
        method: 'GET',
        headers: { accept: 'application/vnd.schemaregistry.v1+json, application/json', ...(this.authorization && { authorization: this.authorization }) },
        signal: AbortSignal.any([this.signal, AbortSignal.timeout(this.timeoutMs)]),
      });
    } catch (err) {
      if (this.signal.aborted) throw new AppError('CANCELLED', `kafka://${this.sourceName}: capture cancelled`, { cause: err });
      throw (this.unavailable = unreachable(err, where, this.timeoutMs));
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw (this.unavailable = new AppError('SOURCE_AUTH', `${where} refused the request (HTTP ${res.status}) — check schemaRegistry.usernameEnv/passwordEnv and the registry's permissions`));
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return undefined;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new AppError('SOURCE_UNREACHABLE', `${where} answered HTTP ${res.status} to GET /${path} — check that schemaRegistry.url points at a Confluent-compatible registry`);
    }
    const text = await readBounded(res, MAX_RESPONSE_BYTES).catch((err: unknown) => {
      throw new AppError('SOURCE_BAD_DATA', `${where}: the answer to GET /${path} ${(err as Error).message}`, { cause: err });
    });
    try {
      return JSON.parse(text);
    } catch (err) {
      throw new AppError('SOURCE_BAD_DATA', `${where} did not answer JSON to GET /${path} — check schemaRegistry.url`, { cause: err });
    }
  }

  private badAnswer(path: string, what: string): AppError {
    return new AppError('SOURCE_BAD_DATA', `kafka://${this.sourceName}: schema registry ${this.where} answered GET /${path} with ${what} — check schemaRegistry.url`);
  }
}

function unreachable(err: unknown, where: string, timeoutMs: number): AppError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string; name?: string } };
  const code = e.cause?.code ?? '';
  if (e.name === 'TimeoutError' || e.cause?.name === 'TimeoutError') return new AppError('SOURCE_UNREACHABLE', `${where} did not answer within ${timeoutMs / 1000} s — check schemaRegistry.url and the network`, { cause: err });
  if (code === 'ECONNREFUSED') return new AppError('SOURCE_UNREACHABLE', `${where} refused the connection — check schemaRegistry.url in sources.yaml`, { cause: err });
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new AppError('SOURCE_UNREACHABLE', `${where}: host does not resolve — check schemaRegistry.url in sources.yaml`, { cause: err });
  return new AppError('SOURCE_UNREACHABLE', `${where} could not be reached (${e.cause?.message ?? e.message ?? String(err)}) — check schemaRegistry.url`, { cause: err });
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`is larger than ${maxBytes} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

// ---------- decoding framed payloads ----------

/** What became of one framed payload: a JSON-like value to profile, or why it could not be read. */
export type FramedResult =
  | { decoded: true; encoding: 'avro' | 'json-schema' | 'protobuf'; value: unknown }
  | { decoded: false; encoding: 'framed' | 'protobuf'; problem: string };

type Compiled =
  | { kind: 'avro'; type: avro.Type; schema: unknown }
  | { kind: 'json' }
  | { kind: 'protobuf'; proto: CompiledProto }
  | { kind: 'undecodable'; encoding: 'framed' | 'protobuf'; problem: string };

/** Longs above 2^53 read as bigint (see avro-big-long.ts). */
const BIG_LONG = bigLongType(avro);

/** Decodes framed payloads with the registry's schema for their id; compiled schemas are cached per id. */
export class FramedDecoder {
  private readonly compiled = new Map<number, Promise<Compiled>>();

  constructor(readonly registry: SchemaRegistryClient) {}

  async decode(schemaId: number, body: Buffer): Promise<FramedResult> {
    let c = this.compiled.get(schemaId);
    if (!c) this.compiled.set(schemaId, (c = this.compile(schemaId)));
    const compiled = await c;
    if (compiled.kind === 'undecodable') return { decoded: false, encoding: compiled.encoding, problem: compiled.problem };
    // Problems below name the schema, never the payload: a decoder's message may quote the bytes.
    if (compiled.kind === 'avro') {
      try {
        // Logical types first (Debezium dates, Connect decimals, geometry): bytes would be dropped below.
        return { decoded: true, encoding: 'avro', value: avroToJson(decodeAvroValue(compiled.schema, compiled.type.fromBuffer(body)), 0) };
      } catch {
        return { decoded: false, encoding: 'framed', problem: 'the payload does not decode with its registered Avro schema' };
      }
    }
    if (compiled.kind === 'protobuf') {
      try {
        return { decoded: true, encoding: 'protobuf', value: decodeProtobuf(compiled.proto, body) };
      } catch {
        return { decoded: false, encoding: 'protobuf', problem: 'the payload does not decode with its registered Protobuf schema' };
      }
    }
    try {
      return { decoded: true, encoding: 'json-schema', value: JSON.parse(body.toString('utf8')) };
    } catch {
      return { decoded: false, encoding: 'framed', problem: 'the payload of a JSON Schema message is not JSON' };
    }
  }

  private async compile(schemaId: number): Promise<Compiled> {
    let schema: RegistrySchema | undefined;
    try {
      schema = await this.registry.schemaById(schemaId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'CANCELLED') throw err;
      return { kind: 'undecodable', encoding: 'framed', problem: (err as Error).message };
    }
    if (!schema) return { kind: 'undecodable', encoding: 'framed', problem: `the schema registry ${this.registry.where} does not know this schema id (HTTP 404) — was the topic written against another registry?` };
    switch (schema.schemaType) {
      case 'AVRO':
        try {
          // A fresh registry per schema: avsc adds every named type it meets to the registry it is given.
          const json: unknown = JSON.parse(schema.schema);
          return { kind: 'avro', type: avro.Type.forSchema(json as avro.Schema, { registry: { long: BIG_LONG } }), schema: json };
        } catch (err) {
          // Schemas with `references` to other subjects are not resolved: their named types are unknown here.
          return { kind: 'undecodable', encoding: 'framed', problem: `its Avro schema could not be compiled (${(err as Error).message.slice(0, 160)})` };
        }
      case 'JSON':
        return { kind: 'json' };
      case 'PROTOBUF':
        try {
          return { kind: 'protobuf', proto: compileProto(schema.schema) };
        } catch (err) {
          // Schemas importing other subjects (`references`) are not resolved here.
          return { kind: 'undecodable', encoding: 'protobuf', problem: `its Protobuf schema could not be compiled (${(err as Error).message.slice(0, 160)})` };
        }
      default:
        return { kind: 'undecodable', encoding: 'framed', problem: `schema type ${schema.schemaType} is not supported` };
    }
  }
}

const MAX_AVRO_DEPTH = 32;

/**
 * avsc values → JSON-like values, so Avro records flatten exactly like JSON messages: bigints
 * become strings, bytes/fixed become null (not text, and never guessed at), records lose their
 * generated class. Unions are unwrapped by avsc where unambiguous ("auto"), as JSON has no wrapper.
 */
function avroToJson(v: unknown, depth: number): unknown {
  if (depth > MAX_AVRO_DEPTH) return null;
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v)) return null;
  if (Array.isArray(v)) return v.map((x) => avroToJson(x, depth + 1));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, avroToJson(x, depth + 1)]));
  return v;
}

// ---------- per-capture wiring ----------

/** The decoder for a source with `schemaRegistry`, else undefined (framed messages are then only counted). */
export function createFramedDecoder(config: KafkaSourceConfig, signal: AbortSignal): FramedDecoder | undefined {
  return config.schemaRegistry ? new FramedDecoder(new SchemaRegistryClient(config.schemaRegistry, config.name, signal)) : undefined;
}

/**
 * The latest `<topic>-key` / `<topic>-value` subjects (Confluent's default TopicNameStrategy) of the
 * captured topics. A registry that cannot be listed is one failure in the scan report; the capture goes on.
 */
export async function readTopicSubjects(
  decoder: FramedDecoder,
  topics: string[],
  ctx: Pick<CaptureContext, 'sourceName' | 'warn' | 'fail'>,
): Promise<Map<string, SchemaSubject[]>> {
  const out = new Map<string, SchemaSubject[]>();
  let subjects: Set<string>;
  try {
    subjects = new Set(await decoder.registry.subjects());
  } catch (err) {
    if (err instanceof AppError && err.code === 'CANCELLED') throw err;
    ctx.fail(`kafka://${ctx.sourceName} schema registry`, err);
    return out;
  }
  for (const topic of topics) {
    for (const role of ['key', 'value'] as const) {
      const subject = `${topic}-${role}`;
      if (!subjects.has(subject)) continue;
      try {
        const latest = await decoder.registry.latest(subject);
        if (latest) out.set(topic, [...(out.get(topic) ?? []), { ...latest, role }]);
      } catch (err) {
        if (err instanceof AppError && err.code === 'CANCELLED') throw err;
        // A registry that went away is one failure, not one warning per remaining subject.
        if (decoder.registry.isUnavailable) {
          ctx.fail(`kafka://${ctx.sourceName} schema registry`, err);
          return out;
        }
        ctx.warn(kafkaUrn(ctx.sourceName, topic), `subject ${subject} not read: ${(err as Error).message}`);
      }
    }
  }
  return out;
}
