import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { kafkaConnectConfigSchema, type KafkaConnectSourceConfig } from '../../../core/sources/kafka-connect.js';
import { AppError } from '../../../core/api/errors.js';
import { connectUrn } from '../../../core/model/urn.js';
import { defineSource, type CaptureContext, type CaptureRecord } from '../source.js';
import { describeJsonError } from '../parse-errors.js';

const REQUEST_TIMEOUT_MS = 10_000;
/** Bounds a cluster with a runaway number of connectors. */
const MAX_CONNECTORS = 5_000;
/**
 * Connector settings that hold secrets (JDBC/database passwords, SASL JAAS configs, cloud keys): their
 * values are replaced by keyed hashes before anything is yielded. `${provider:path:key}` references
 * name where the secret lives, not the secret: they are kept.
 */
const SENSITIVE_KEY = /(^|[._-])(password|passwd|secret|token|credentials?|private[._-]?key|access[._-]?key|secret[._-]?key|api[._-]?key)($|[._-])|sasl\.jaas\.config$|ssl\.key\.password$/i;
const PROVIDER_REFERENCE = /^\$\{[^}]+\}$/;

interface ConnectorAnswer {
  config: Record<string, string>;
  status?: { connector?: { state?: string; worker_id?: string }; tasks?: { id: number; state: string }[]; type?: string };
}

/** A connector's config with secret values replaced by keyed hashes (`{ $hash }`). */
export function redactConnectorConfig(config: Record<string, unknown>, fingerprint: (v: string) => string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    const text = typeof v === 'string' ? v : v === null || v === undefined ? v : String(v);
    out[k] = typeof text === 'string' && SENSITIVE_KEY.test(k) && !PROVIDER_REFERENCE.test(text) ? { $hash: fingerprint(text) } : text;
  }
  return out;
}

function authHeader(config: KafkaConnectSourceConfig): Record<string, string> {
  if (!config.usernameEnv || !config.passwordEnv) return {};
  const user = process.env[config.usernameEnv];
  const password = process.env[config.passwordEnv];
  if (user === undefined || password === undefined) throw new AppError('CONFIG_INVALID', `connect://${config.name}: environment variable ${user === undefined ? config.usernameEnv : config.passwordEnv} is not set — export it before scanning`);
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}

/** One GET of the Connect REST API, as JSON; errors name the URL and what to check. */
async function getJson(config: KafkaConnectSourceConfig, path: string, signal: AbortSignal): Promise<unknown> {
  const url = new URL(path, config.url!.endsWith('/') ? config.url : `${config.url}/`);
  let res: Response;
  try {
    res = await fetch(url, { method: 'GET', headers: { accept: 'application/json', ...authHeader(config) }, signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]) });
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('SOURCE_UNREACHABLE', `connect://${config.name}: cannot reach ${url.origin} (${(err as Error).message}) — check url in sources.yaml and that Kafka Connect's REST listener runs there`, { cause: err });
  }
  if (res.status === 401 || res.status === 403) throw new AppError('SOURCE_AUTH', `connect://${config.name}: ${url.origin} answered ${res.status} to GET ${url.pathname} — check usernameEnv/passwordEnv`);
  if (!res.ok) throw new AppError('SOURCE_BAD_DATA', `connect://${config.name}: GET ${url.pathname} answered ${res.status}`);
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new AppError('SOURCE_BAD_DATA', `connect://${config.name}: GET ${url.pathname} is not JSON (${describeJsonError(err)})`);
  }
}

const isObject = (v: unknown): v is Record<string, any> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The connectors of an offline file, in either shape. */
function connectorsOfFile(json: unknown, where: string): Map<string, ConnectorAnswer> {
  if (!isObject(json)) throw new AppError('SOURCE_BAD_DATA', `${where}: expected a JSON object of connectors (GET /connectors?expand=info&expand=status)`);
  const out = new Map<string, ConnectorAnswer>();
  for (const [name, v] of Object.entries(json)) {
    if (!isObject(v)) continue;
    const config = isObject(v.config) ? v.config : isObject(v.info?.config) ? v.info.config : undefined;
    if (!config) continue;
    out.set(name, { config: config as Record<string, string>, status: isObject(v.status) ? v.status : undefined });
  }
  return out;
}

function* connectorRecords(config: KafkaConnectSourceConfig, ctx: CaptureContext, name: string, answer: ConnectorAnswer): Generator<CaptureRecord> {
  const urn = connectUrn(config.name, name);
  const className = typeof answer.config['connector.class'] === 'string' ? answer.config['connector.class'] : undefined;
  const tasks = answer.status?.tasks ?? [];
  yield {
    type: 'node',
    node: {
      urn, kind: 'connector', name, source: config.name, region: ctx.region,
      props: {
        ...(className ? { className } : {}),
        ...(answer.status?.type ? { type: answer.status.type } : {}),
        ...(answer.status?.connector?.state ? { state: answer.status.connector.state } : {}),
        tasks: tasks.map((t) => ({ id: t.id, state: t.state })),
        connectCluster: config.url ?? config.file,
      },
    },
  };
  // The config is the configuration object lineage rules read (connectors.ts finds `connector.class` in it).
  yield { type: 'config', urn, origin: 'live', content: { kind: 'KafkaConnectConnector', name, config: redactConnectorConfig(answer.config, ctx.fingerprint) } };
}

async function* captureLive(config: KafkaConnectSourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  const names = await getJson(config, 'connectors', ctx.signal);
  if (!Array.isArray(names) || names.some((n) => typeof n !== 'string')) throw new AppError('SOURCE_BAD_DATA', `connect://${config.name}: GET /connectors did not answer a list of names`);
  const list = (names as string[]).slice(0, MAX_CONNECTORS);
  if (names.length > MAX_CONNECTORS) ctx.warn(`connect://${config.name}`, `${names.length} connectors: only the first ${MAX_CONNECTORS} were read`);
  let done = 0;
  for (const name of list) {
    if (ctx.signal.aborted) throw new AppError('CANCELLED', `connect://${config.name}: capture cancelled`);
    const path = `connectors/${encodeURIComponent(name)}`;
    try {
      const cfg = await getJson(config, `${path}/config`, ctx.signal);
      if (!isObject(cfg)) throw new AppError('SOURCE_BAD_DATA', `connect://${config.name}/${name}: GET /${path}/config did not answer an object`);
      let status: ConnectorAnswer['status'];
      try {
        status = (await getJson(config, `${path}/status`, ctx.signal)) as ConnectorAnswer['status'];
      } catch (err) {
        ctx.warn(connectUrn(config.name, name), `status not readable: ${(err as Error).message}`);
      }
      yield* connectorRecords(config, ctx, name, { config: cfg as Record<string, string>, status });
    } catch (err) {
      if (err instanceof AppError && (err.code === 'CANCELLED' || err.code === 'SOURCE_AUTH' || err.code === 'SOURCE_UNREACHABLE')) throw err;
      ctx.fail(connectUrn(config.name, name), err);
    }
    ctx.progress({ done: ++done, total: list.length, item: name });
  }
}

async function* captureFile(config: KafkaConnectSourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  const path = isAbsolute(config.file!) ? config.file! : resolve(ctx.baseDir, config.file!);
  const where = `connect://${config.name}: ${config.file}`;
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new AppError('NOT_FOUND', `${where} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}) — check file in sources.yaml`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new AppError('SOURCE_BAD_DATA', `${where} is not JSON (${describeJsonError(err)}) — save the output of GET /connectors?expand=info&expand=status`);
  }
  const connectors = connectorsOfFile(json, where);
  let done = 0;
  for (const [name, answer] of connectors) {
    yield* connectorRecords(config, ctx, name, answer);
    ctx.progress({ done: ++done, total: connectors.size, item: name });
  }
}

/**
 * Kafka Connect source: each connector becomes a process node (`connect://<source>/<connector>`) with
 * its class, state and tasks, and its config (secrets hashed) a configuration object that the lineage
 * rules turn into hops between datasets. Read-only: the REST API is only ever sent GETs.
 */
export const kafkaConnectSource = defineSource<KafkaConnectSourceConfig>({
  kind: 'kafka-connect',
  configSchema: kafkaConnectConfigSchema,

  async testConnection(config, ctx) {
    try {
      if (config.file) {
        await readFile(isAbsolute(config.file) ? config.file : resolve(ctx.baseDir, config.file), 'utf8');
        return { ok: true, message: `connect://${config.name}: ${config.file} is readable` };
      }
      const names = await getJson(config, 'connectors', ctx.signal);
      return { ok: true, message: `connect://${config.name}: ${config.url} answers; ${Array.isArray(names) ? names.length : 0} connector(s)` };
    } catch (err) {
      return { ok: false, message: err instanceof AppError ? err.message : `connect://${config.name}: ${(err as Error).message}` };
    }
  },

  capture(config, ctx) {
    return config.file ? captureFile(config, ctx) : captureLive(config, ctx);
  },
});

export default kafkaConnectSource;
