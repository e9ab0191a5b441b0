import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A test Confluent Schema Registry: node:http on 127.0.0.1 speaking the subset of the real REST API
 * (https://docs.confluent.io/platform/current/schema-registry/develop/api.html) that a reader uses —
 * `GET /schemas/ids/{id}`, `GET /subjects`, `GET /subjects/{s}/versions[/{v}|/latest]` — plus
 * `POST /subjects/{s}/versions`, which is how tests seed it (the way a producer registers a schema).
 * It records every request so tests can prove an auditor's capture sent nothing but GETs.
 */
export interface SchemaRegistryOptions {
  /** When set, every request needs HTTP basic auth with these credentials (401 otherwise). */
  auth?: { username: string; password: string };
}

export interface RecordedRegistryRequest {
  method: string;
  path: string;
  /** Whether an Authorization header came with it (never its value). */
  authorized: boolean;
}

export type SchemaType = 'AVRO' | 'JSON' | 'PROTOBUF';

export interface TestSchemaRegistry {
  /** "http://127.0.0.1:<port>" */
  url: string;
  requests: RecordedRegistryRequest[];
  /** Registers a schema under a subject through the real POST endpoint; returns its global id. */
  register(subject: string, schema: string | object, schemaType?: SchemaType): Promise<number>;
  close(): Promise<void>;
}

interface StoredSchema {
  id: number;
  schema: string;
  schemaType: SchemaType;
}

/** Request bodies above this are refused: seeding schemas are small. */
const MAX_BODY_BYTES = 1024 * 1024;
const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

export async function startSchemaRegistry(opts: SchemaRegistryOptions = {}): Promise<TestSchemaRegistry> {
  const requests: RecordedRegistryRequest[] = [];
  // Ids are global and shared by identical schemas across subjects, as in the real registry.
  const byId = new Map<number, StoredSchema>();
  const subjects = new Map<string, number[]>(); // subject → schema id per version (version = index + 1)
  let nextId = 1;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': CONTENT_TYPE });
    res.end(JSON.stringify(body));
  };
  // Confluent error bodies: {error_code, message}; 404xx codes say what was not found.
  const notFound = (res: ServerResponse, code: number, message: string) => send(res, 404, { error_code: code, message });
  const withType = (s: StoredSchema) => (s.schemaType === 'AVRO' ? {} : { schemaType: s.schemaType }); // AVRO is the default and omitted

  const expectedAuth = opts.auth ? `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}` : undefined;

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    requests.push({ method, path: url.pathname, authorized: req.headers.authorization !== undefined });
    if (expectedAuth && req.headers.authorization !== expectedAuth) {
      res.setHeader('www-authenticate', 'Basic realm="schema-registry"');
      return send(res, 401, { error_code: 401, message: 'Unauthorized' });
    }
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);

    if (method === 'GET' && parts[0] === 'schemas' && parts[1] === 'ids' && parts.length === 3) {
      const s = byId.get(Number(parts[2]));
      return s ? send(res, 200, { schema: s.schema, ...withType(s) }) : notFound(res, 40403, 'Schema not found');
    }
    if (method === 'GET' && parts[0] === 'subjects' && parts.length === 1) return send(res, 200, [...subjects.keys()].sort());
    if (parts[0] === 'subjects' && parts[2] === 'versions' && (parts.length === 3 || parts.length === 4)) {
      const subject = parts[1];
      const versions = subjects.get(subject);
      if (method === 'POST' && parts.length === 3) return register(req, res, subject);
      if (method !== 'GET') return send(res, 405, { error_code: 405, message: 'Method not allowed' });
      if (!versions) return notFound(res, 40401, `Subject '${subject}' not found.`);
      if (parts.length === 3) return send(res, 200, versions.map((_, i) => i + 1));
      const version = parts[3] === 'latest' ? versions.length : Number(parts[3]);
      const id = versions[version - 1];
      if (id === undefined) return notFound(res, 40402, `Version ${parts[3]} not found.`);
      const s = byId.get(id)!;
      return send(res, 200, { subject, version, id, schema: s.schema, ...withType(s) });
    }
    return send(res, method === 'GET' ? 404 : 405, { error_code: method === 'GET' ? 404 : 405, message: `${method} ${url.pathname} is not served by the test registry` });
  };

  const register = async (req: IncomingMessage, res: ServerResponse, subject: string) => {
    let body: { schema?: unknown; schemaType?: unknown };
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      return send(res, 422, { error_code: 42201, message: `Invalid schema: the body is not JSON or larger than ${MAX_BODY_BYTES} bytes` });
    }
    const schemaType = (body.schemaType ?? 'AVRO') as SchemaType;
    if (typeof body.schema !== 'string' || !['AVRO', 'JSON', 'PROTOBUF'].includes(schemaType)) {
      return send(res, 422, { error_code: 42201, message: 'Invalid schema: needs "schema" (a string) and an optional schemaType AVRO|JSON|PROTOBUF' });
    }
    let stored = [...byId.values()].find((s) => s.schema === body.schema && s.schemaType === schemaType);
    if (!stored) byId.set(nextId, (stored = { id: nextId++, schema: body.schema, schemaType }));
    const versions = subjects.get(subject) ?? [];
    if (versions.at(-1) !== stored.id) versions.push(stored.id);
    subjects.set(subject, versions);
    return send(res, 200, { id: stored.id });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { error_code: 50001, message: (err as Error).message });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    async register(subject, schema, schemaType) {
      const headers: Record<string, string> = { 'content-type': CONTENT_TYPE };
      if (expectedAuth) headers.authorization = expectedAuth;
      const res = await fetch(`${url}/subjects/${encodeURIComponent(subject)}/versions`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ schema: typeof schema === 'string' ? schema : JSON.stringify(schema), ...(schemaType && schemaType !== 'AVRO' && { schemaType }) }),
        signal: AbortSignal.timeout(5_000),
      });
      const out = (await res.json()) as { id?: number; message?: string };
      if (!res.ok || typeof out.id !== 'number') throw new Error(`test registry: could not register ${subject}: HTTP ${res.status} ${out.message ?? ''}`);
      return out.id;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // fetch keeps connections alive; drop them so close() does not wait for their idle timeout.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new Error(`request body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
