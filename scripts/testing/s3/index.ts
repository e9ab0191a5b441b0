import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * A real S3-compatible server for tests: s3rver on 127.0.0.1 behind a tiny recording HTTP proxy.
 * s3rver runs in a child process (s3rver-process.cjs explains why: its V2 pagination needs DES).
 *
 * - `endpoint` is the proxy. Everything the code under test sends is recorded in `requests`, so a
 *   test can prove a capture only read (GET/HEAD) — DESIGN.md "Sources: read-only, always".
 * - `client`, `createBucket` and `putObject` talk to s3rver directly, so fixture setup is not recorded.
 * - s3rver answers every GetBucketLocation with the default location and has no bucket policies or
 *   IAM. The proxy fills exactly those gaps, and nothing else: it answers GetBucketLocation for
 *   buckets created with a `location`, GetBucketPolicy for buckets created with a `policy`,
 *   GetBucketReplication and GetPublicAccessBlock (S3's XML, or S3's 404 when the bucket has none:
 *   s3rver implements neither — `aws s3api` proves the answers parse as AWS's do), and
 *   403 AccessDenied for requests matching a `deny()` rule. Everything else is s3rver's own answer
 *   (e.g. GetBucketVersioning → 501 NotImplemented, GetBucketPolicy without a policy → 405).
 */
export interface RecordedS3Request {
  method: string;
  /** Decoded path, e.g. `/lake-eu/topics/a.json` (path-style addressing). */
  path: string;
  query: Record<string, string>;
  /** The Range header, when sent. */
  range?: string;
  /** Status the proxy answered with (set when the response ends). */
  status?: number;
  /** Body bytes sent back to the client. */
  responseBytes: number;
}

/** Which requests a `deny()` rule refuses with 403 AccessDenied, as IAM would. */
export interface DenyRule {
  method?: string;
  bucket?: string;
  /** Object keys starting with this; a rule with a keyPrefix never matches bucket-level requests. */
  keyPrefix?: string;
  /** A subresource query parameter (`policy`, `acl`, `location`…); omitted: requests without one. */
  subresource?: string;
}

export interface BucketFixture {
  /** Answered by GetBucketLocation (s3rver alone always answers the default, us-east-1). */
  location?: string;
  /** Bucket policy document, answered by GetBucketPolicy as S3 does (JSON body). */
  policy?: unknown;
  /**
   * GetBucketReplication's answer, given in the shape `aws s3api get-bucket-replication` prints
   * (`{Role, Rules: [{ID, Priority, Status, Filter: {Prefix}, Destination: {Bucket, …}}]}`) and sent
   * as S3's XML (`<ReplicationConfiguration><Role/><Rule>…</Rule></ReplicationConfiguration>`).
   * Without one the proxy answers 404 ReplicationConfigurationNotFoundError, as S3 does.
   */
  replication?: { Role?: string; Rules: Record<string, unknown>[] };
  /** GetPublicAccessBlock's answer; without one, 404 NoSuchPublicAccessBlockConfiguration. */
  publicAccessBlock?: { BlockPublicAcls?: boolean; IgnorePublicAcls?: boolean; BlockPublicPolicy?: boolean; RestrictPublicBuckets?: boolean };
}

/**
 * JSON in the AWS CLI's shape → S3 XML elements: arrays repeat their element, and the CLI's plural
 * list names map to S3's singular elements (`Rules` → `Rule`), as the S3 API reference writes them.
 */
function toS3Xml(value: unknown, name: string): string {
  const element = name === 'Rules' ? 'Rule' : name;
  if (Array.isArray(value)) return value.map((v) => toS3Xml(v, element)).join('');
  if (value && typeof value === 'object') return `<${element}>${Object.entries(value).map(([k, v]) => toS3Xml(v, k)).join('')}</${element}>`;
  return `<${element}>${xmlEscape(String(value))}</${element}>`;
}

const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface TestS3Server {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  /** Talks to s3rver directly (not recorded): for fixtures and checks. */
  client: S3Client;
  requests: RecordedS3Request[];
  createBucket(name: string, fixture?: BucketFixture): Promise<void>;
  putObject(bucket: string, key: string, body: string | Uint8Array): Promise<void>;
  /** Refuses matching requests with 403 AccessDenied from now on. */
  deny(rule: DenyRule): void;
  close(): Promise<void>;
}

export interface S3ServerOptions {
  /** Region the clients sign for (s3rver ignores it). */
  region?: string;
}

/** s3rver's built-in account (lib/models/account.js). */
const ACCESS_KEY_ID = 'S3RVER';
const SECRET_ACCESS_KEY = 'S3RVER';
/** Subresources that name a bucket- or object-level operation rather than the object itself. */
const SUBRESOURCES = new Set(['acl', 'cors', 'location', 'policy', 'versioning', 'versions', 'website', 'tagging', 'lifecycle', 'uploads', 'uploadId', 'delete', 'encryption', 'logging', 'notification', 'replication', 'publicAccessBlock']);

/** Test-only client settings: see ENVIRONMENT.md (checksums off, or s3rver stores aws-chunked framing). */
export function testS3Client(endpoint: string, region = 'us-east-1'): S3Client {
  // Same as the source: the pinned SDK's Node-22 notice is not news to anyone running the tests.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET_ACCESS_KEY },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function parseTarget(url: string): { path: string; query: Record<string, string>; bucket?: string; key?: string } {
  const u = new URL(url, 'http://127.0.0.1');
  const query: Record<string, string> = {};
  u.searchParams.forEach((v, k) => (query[k] = v));
  const path = decodeURIComponent(u.pathname);
  const [, bucket, ...rest] = path.split('/');
  // Path-style: `/bucket/` and `/bucket` are bucket-level requests; anything after is the key.
  const key = rest.join('/');
  return { path, query, bucket: bucket || undefined, key: key === '' ? undefined : key };
}

function subresourceOf(query: Record<string, string>): string | undefined {
  return Object.keys(query).find((k) => SUBRESOURCES.has(k));
}

function matches(rule: DenyRule, method: string, target: ReturnType<typeof parseTarget>): boolean {
  if (rule.method && rule.method.toUpperCase() !== method) return false;
  if (rule.bucket && rule.bucket !== target.bucket) return false;
  if (rule.keyPrefix !== undefined && !(target.key ?? '').startsWith(rule.keyPrefix)) return false;
  if (rule.keyPrefix !== undefined && target.key === undefined) return false;
  return (rule.subresource ?? undefined) === subresourceOf(target.query);
}

const xmlEscape = (s: string): string => s.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);

function sendXml(res: ServerResponse, status: number, xml: string): void {
  const body = Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': body.length });
  res.end(body);
}

const CHILD_SCRIPT = fileURLToPath(new URL('./s3rver-process.cjs', import.meta.url));
const START_TIMEOUT_MS = 15_000;

/** Spawns s3rver and resolves with its port once it prints it. */
function spawnS3rver(directory: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--openssl-legacy-provider', CHILD_SCRIPT, directory], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`s3rver did not start within ${START_TIMEOUT_MS} ms: ${err}`)), START_TIMEOUT_MS);
    const fail = (e: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    };
    child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.once('exit', (code) => fail(new Error(`s3rver exited with code ${code} before listening: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n')[0];
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      try {
        resolve({ child, port: (JSON.parse(line) as { port: number }).port });
      } catch (e) {
        fail(e as Error);
      }
    });
  });
}

/** Stops the child: stdin closes (it exits), SIGKILL if it has not within 5 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin!.end();
  });
}

/** Starts s3rver (temp directory, port 0) and the recording proxy in front of it. */
export async function startS3Server(opts: S3ServerOptions = {}): Promise<TestS3Server> {
  const region = opts.region ?? 'us-east-1';
  const directory = await mkdtemp(join(tmpdir(), 'driftline-s3rver-'));
  let backend: { child: ChildProcess; port: number };
  try {
    backend = await spawnS3rver(directory);
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  const backendEndpoint = `http://127.0.0.1:${backend.port}`;

  const requests: RecordedS3Request[] = [];
  const denyRules: DenyRule[] = [];
  const fixtures = new Map<string, BucketFixture>();

  const proxy = createServer((req: IncomingMessage, res: ServerResponse) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = parseTarget(req.url ?? '/');
    const entry: RecordedS3Request = { method, path: target.path, query: target.query, responseBytes: 0 };
    if (typeof req.headers.range === 'string') entry.range = req.headers.range;
    requests.push(entry);
    const write = res.write.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (chunk && typeof chunk !== 'function') entry.responseBytes += Buffer.byteLength(chunk as Buffer);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    res.on('finish', () => (entry.status = res.statusCode));

    const sub = subresourceOf(target.query);
    const fixture = target.bucket ? fixtures.get(target.bucket) : undefined;
    if (denyRules.some((r) => matches(r, method, target))) {
      req.resume();
      return sendXml(res, 403, `<Error><Code>AccessDenied</Code><Message>Access Denied</Message><Resource>${xmlEscape(target.path)}</Resource></Error>`);
    }
    if (method === 'GET' && target.key === undefined && sub === 'location' && fixture?.location) {
      req.resume();
      return sendXml(res, 200, `<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">${xmlEscape(fixture.location)}</LocationConstraint>`);
    }
    if (method === 'GET' && target.key === undefined && sub === 'policy' && fixture?.policy !== undefined) {
      req.resume();
      const body = Buffer.from(JSON.stringify(fixture.policy));
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      return res.end(body);
    }
    if (method === 'GET' && target.key === undefined && target.bucket && sub === 'replication' && fixture) {
      req.resume();
      if (!fixture.replication) return sendXml(res, 404, `<Error><Code>ReplicationConfigurationNotFoundError</Code><Message>The replication configuration was not found</Message><BucketName>${xmlEscape(target.bucket)}</BucketName></Error>`);
      const inner = Object.entries(fixture.replication).map(([k, v]) => toS3Xml(v, k)).join('');
      return sendXml(res, 200, `<ReplicationConfiguration xmlns="${S3_NS}">${inner}</ReplicationConfiguration>`);
    }
    if (method === 'GET' && target.key === undefined && target.bucket && sub === 'publicAccessBlock' && fixture) {
      req.resume();
      if (!fixture.publicAccessBlock) return sendXml(res, 404, `<Error><Code>NoSuchPublicAccessBlockConfiguration</Code><Message>The public access block configuration was not found</Message><BucketName>${xmlEscape(target.bucket)}</BucketName></Error>`);
      const inner = Object.entries(fixture.publicAccessBlock).map(([k, v]) => toS3Xml(v, k)).join('');
      return sendXml(res, 200, `<PublicAccessBlockConfiguration xmlns="${S3_NS}">${inner}</PublicAccessBlockConfiguration>`);
    }
    const upstream = httpRequest(
      { host: '127.0.0.1', port: backend.port, method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) sendXml(res, 502, `<Error><Code>ProxyError</Code><Message>${xmlEscape(err.message)}</Message></Error>`);
      else res.destroy(err);
    });
    req.pipe(upstream);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      proxy.once('error', reject);
      proxy.listen(0, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    await stopChild(backend.child);
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  const endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  const client = testS3Client(backendEndpoint, region);

  let closed = false;
  return {
    endpoint,
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET_ACCESS_KEY,
    region,
    client,
    requests,
    async createBucket(name, fixture = {}) {
      await client.send(new CreateBucketCommand({ Bucket: name }));
      fixtures.set(name, fixture);
    },
    async putObject(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: typeof body === 'string' ? Buffer.from(body) : body }));
    },
    deny(rule) {
      denyRules.push(rule);
    },
    async close() {
      if (closed) return;
      closed = true;
      client.destroy();
      proxy.closeAllConnections();
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      await stopChild(backend.child);
      await rm(directory, { recursive: true, force: true });
    },
  };
}
