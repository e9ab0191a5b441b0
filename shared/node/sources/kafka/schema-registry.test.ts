import avro from 'avsc';
import protobuf from 'protobufjs';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type TestKafkaBroker } from '../../../../scripts/testing/kafka-broker/index.js';
import { startSchemaRegistry, type TestSchemaRegistry } from '../../../../scripts/testing/schema-registry/index.js';
import { isAppError } from '../../../core/api/errors.js';
import type { GraphNodeInput } from '../../../core/model/graph.js';
import { createLogger } from '../../log/logger.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { kafkaSource } from './index.js';

// ---------- synthetic PII (never real people) ----------
const mobile = (i: number) => `138${String(12345678 + i).padStart(8, '0')}`;
const email = (i: number) => `member${i}@example.com`;
const RAW: string[] = [];
const remember = <T extends string>(v: T): T => (RAW.push(v), v);

// ---------- capture harness (as kafka-source.test.ts) ----------
interface Collected {
  records: CaptureRecord[];
  warnings: { item: string; message: string }[];
  failures: { item: string; error: unknown }[];
}
async function collect(rawConfig: unknown, baseDir = process.cwd()): Promise<Collected> {
  const config = kafkaSource.configSchema.parse(rawConfig);
  const out: Collected = { records: [], warnings: [], failures: [] };
  const ctx: CaptureContext = {
    sourceName: config.name,
    region: config.region,
    baseDir,
    signal: AbortSignal.timeout(60_000),
    log: createLogger('test.kafka.registry'),
    fingerprint: (v) => createHmac('sha256', 'test-key').update(v).digest('hex'),
    progress: () => {},
    warn: (item, message) => out.warnings.push({ item, message }),
    fail: (item, error) => out.failures.push({ item, error }),
    checkpoint: () => undefined,
  };
  for await (const r of kafkaSource.capture(config, ctx)) out.records.push(r);
  return out;
}
const nodes = (c: Collected) => new Map(c.records.flatMap((r) => (r.type === 'node' ? [[r.node.urn, r.node] as const] : [])));
const entities = (n: GraphNodeInput | undefined) => (n?.pii ?? []).map((p) => p.entity).sort();
const warningsOf = (c: Collected, urn: string) => c.warnings.filter((w) => w.item === urn).map((w) => w.message);
const noRawAnywhere = (c: Collected) => {
  const everything = JSON.stringify({ records: c.records, warnings: c.warnings, failures: c.failures.map((f) => ({ item: f.item, message: (f.error as Error).message })) });
  expect(RAW.length).toBeGreaterThan(50);
  for (const raw of RAW) expect(everything).not.toContain(raw);
};
/** A port nothing listens on: bound, read, released. */
const closedPort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

// ---------- Confluent wire format: 0x00, 4-byte big-endian schema id, then the encoded record ----------
const frame = (schemaId: number, body: Buffer) => {
  const header = Buffer.alloc(5);
  header.writeInt32BE(schemaId, 1);
  return Buffer.concat([header, body]);
};

// Longs above 2^53 (snowflake ids) need a bigint long type to be written at all.
const bigLong = avro.types.LongType.__with({
  fromBuffer: (b: Buffer) => b.readBigInt64LE(),
  toBuffer: (n: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(n);
    return b;
  },
  fromJSON: BigInt,
  toJSON: Number,
  isValid: (n: unknown) => typeof n === 'bigint',
  compare: (a: bigint, b: bigint) => (a === b ? 0 : a < b ? -1 : 1),
});
const CUSTOMER_V1 = {
  type: 'record', name: 'Customer', namespace: 'shop',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'email', type: 'string' },
    { name: 'mobile', type: ['null', 'string'], default: null },
  ],
};
const CUSTOMER_V2 = {
  ...CUSTOMER_V1,
  fields: [
    ...CUSTOMER_V1.fields,
    { name: 'snowflake', type: 'long', default: 0 },
    { name: 'address', type: { type: 'record', name: 'Address', fields: [{ name: 'city', type: 'string' }] }, default: { city: '' } },
    { name: 'avatar', type: 'bytes', default: '' },
  ],
};
const ORDER_JSON_SCHEMA = { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { order: { type: 'integer' }, customer: { type: 'object', properties: { email: { type: 'string' } } } } };
const PAYMENT_PROTO = `syntax = "proto3";
package shop;
message Refund { string reason = 1; }
message Payment {
  string email = 1;
  int64 amount_cents = 2;
  message Payer { string mobile = 1; bytes photo = 2; }
  Payer payer = 3;
  repeated string tags = 4;
}`;
const UNKNOWN_ID = 999;

/**
 * A Confluent-framed Protobuf payload of shop.Payment, the file's SECOND message: message-index list
 * [1] written as zigzag varints (count 1 → 0x02, index 1 → 0x02), then the Protobuf bytes.
 */
const paymentType = protobuf.parse(PAYMENT_PROTO, { keepCase: true }).root.lookupType('shop.Payment');
const protobufBody = (email: string, mobile: string) => Buffer.concat([
  Buffer.from([0x02, 0x02]),
  Buffer.from(paymentType.encode(paymentType.fromObject({ email, amount_cents: '9007199254740993', payer: { mobile, photo: Buffer.from(mobile) }, tags: ['vip'] })).finish()),
]);

let broker: TestKafkaBroker;
let registry: TestSchemaRegistry;
const ids: Record<string, number> = {};

beforeAll(async () => {
  registry = await startSchemaRegistry();
  ids.key = await registry.register('customers.avro-key', '"string"');
  ids.v1 = await registry.register('customers.avro-value', CUSTOMER_V1);
  ids.v2 = await registry.register('customers.avro-value', CUSTOMER_V2);
  ids.json = await registry.register('orders.json-schema-value', ORDER_JSON_SCHEMA, 'JSON');
  ids.proto = await registry.register('payments.proto-value', PAYMENT_PROTO, 'PROTOBUF');

  broker = await startKafkaBroker({
    topics: [
      { name: 'customers.avro', partitions: 2 },
      { name: 'orders.json-schema', partitions: 1 },
      { name: 'payments.proto', partitions: 1 },
      { name: 'mystery', partitions: 1 },
      { name: 'plain.json', partitions: 1 },
    ],
  });
  const keyType = avro.Type.forSchema('string');
  const v1 = avro.Type.forSchema(CUSTOMER_V1 as avro.Schema);
  const v2 = avro.Type.forSchema(CUSTOMER_V2 as avro.Schema, { registry: { long: bigLong } });
  for (let p = 0; p < 2; p++) {
    broker.produce('customers.avro', p, Array.from({ length: 20 }, (_, j) => {
      const i = p * 20 + j;
      // Old and new writers side by side: each message is decoded with the schema of its own id.
      const value = i % 2 === 0
        ? frame(ids.v1, v1.toBuffer({ id: i, email: remember(email(i)), mobile: remember(mobile(i)) }))
        : frame(ids.v2, v2.toBuffer({ id: BigInt(i), email: remember(email(i)), mobile: remember(mobile(i)), snowflake: 1_234_567_890_123_456_789n + BigInt(i), address: { city: 'Hangzhou' }, avatar: Buffer.from([0xff, 0xd8, i]) }));
      return { key: frame(ids.key, keyType.toBuffer(`cust-${i}`)), value };
    }));
  }
  broker.produce('orders.json-schema', 0, Array.from({ length: 20 }, (_, i) => ({
    value: frame(ids.json, Buffer.from(JSON.stringify({ order: i, customer: { email: remember(email(100 + i)), phone: remember(mobile(100 + i)) } }))),
  })));
  broker.produce('payments.proto', 0, Array.from({ length: 5 }, (_, i) => ({ value: frame(ids.proto, protobufBody(remember(email(200 + i)), remember(mobile(200 + i)))) })));
  broker.produce('mystery', 0, Array.from({ length: 3 }, (_, i) => ({ value: frame(UNKNOWN_ID, Buffer.from(remember(email(300 + i)))) })));
  broker.produce('plain.json', 0, Array.from({ length: 10 }, (_, i) => ({ value: JSON.stringify({ contact: remember(email(400 + i)) }) })));
}, 120_000);
afterAll(async () => {
  await broker?.close();
  await registry?.close();
});

const live = (extra: object = {}) => ({ name: 'events', kind: 'kafka', region: 'cn-north-1', brokers: [broker.bootstrap], ...extra });

describe('kafka source — schema registry decoding (live)', () => {
  let cap: Collected;
  let requestsBefore: number;
  beforeAll(async () => {
    requestsBefore = registry.requests.length;
    cap = await collect(live({ schemaRegistry: { url: registry.url } }));
  }, 120_000);

  it('decodes Avro (two schema versions, bigint longs, nested records) and classifies its fields', () => {
    const n = nodes(cap);
    expect(n.get('kafka://events/customers.avro')!.props).toMatchObject({ encoding: 'avro', encodings: { avro: 40 }, sampled: 40 });
    expect(entities(n.get('kafka://events/customers.avro#email'))).toContain('EMAIL');
    expect(entities(n.get('kafka://events/customers.avro#mobile'))).toContain('CN_MOBILE');
    const phone = n.get('kafka://events/customers.avro#mobile')!.pii!.find((p) => p.entity === 'CN_MOBILE')!;
    expect(phone).toMatchObject({ matches: 40, sampled: 40 });
    for (const ex of phone.examples) expect(ex).toMatch(/^138\*{4}\d{4}$/);
    // Fields only the v2 writer has: present for its 20 messages.
    expect(n.get('kafka://events/customers.avro#address.city')!.props!.sampled).toBe(20);
    expect(n.get('kafka://events/customers.avro#snowflake')!.props!.sampled).toBe(20);
    // bytes are not text: the path is known, no value is profiled.
    expect(entities(n.get('kafka://events/customers.avro#avatar'))).toEqual([]);
    // The Avro-framed key decodes too.
    expect(n.get('kafka://events/customers.avro#$key')!.props!.sampled).toBe(40);
    expect(warningsOf(cap, 'kafka://events/customers.avro')).toEqual([]);
  });

  it('records the topic subjects with schema type and latest version', () => {
    const n = nodes(cap);
    expect(n.get('kafka://events/customers.avro')!.props!.schemaSubjects).toEqual([
      { subject: 'customers.avro-key', role: 'key', schemaType: 'AVRO', version: 1, schemaId: ids.key },
      { subject: 'customers.avro-value', role: 'value', schemaType: 'AVRO', version: 2, schemaId: ids.v2 },
    ]);
    expect(n.get('kafka://events/orders.json-schema')!.props!.schemaSubjects).toEqual([
      { subject: 'orders.json-schema-value', role: 'value', schemaType: 'JSON', version: 1, schemaId: ids.json },
    ]);
    expect(n.get('kafka://events/plain.json')!.props!.schemaSubjects).toBeUndefined();
  });

  it('decodes JSON Schema framed messages as JSON', () => {
    const n = nodes(cap);
    expect(n.get('kafka://events/orders.json-schema')!.props).toMatchObject({ encoding: 'json-schema' });
    expect(entities(n.get('kafka://events/orders.json-schema#customer.email'))).toContain('EMAIL');
    expect(entities(n.get('kafka://events/orders.json-schema#customer.phone'))).toContain('CN_MOBILE');
  });

  it('decodes Protobuf by its message index, nested messages included, leaving bytes out', () => {
    const n = nodes(cap);
    expect(n.get('kafka://events/payments.proto')!.props).toMatchObject({ encoding: 'protobuf', encodings: { protobuf: 5 } });
    expect(entities(n.get('kafka://events/payments.proto#email'))).toContain('EMAIL');
    expect(entities(n.get('kafka://events/payments.proto#payer.mobile'))).toContain('CN_MOBILE');
    expect(n.has('kafka://events/payments.proto#amount_cents')).toBe(true);
    // The photo bytes hold the mobile number: never read as text, so never classified.
    expect(entities(n.get('kafka://events/payments.proto#payer.photo'))).toEqual([]);
    expect(warningsOf(cap, 'kafka://events/payments.proto')).toEqual([]);
  });

  it('warns about an unknown schema id and goes on', () => {
    expect(nodes(cap).get('kafka://events/mystery')!.props).toMatchObject({ encodings: { framed: 3 }, sampled: 3 });
    expect(warningsOf(cap, 'kafka://events/mystery')).toEqual([
      `3 schema-registry framed payload(s) with schema id ${UNKNOWN_ID} not profiled: the schema registry ${registry.url} does not know this schema id (HTTP 404) — was the topic written against another registry?`,
    ]);
    expect(cap.failures).toEqual([]);
    expect(entities(nodes(cap).get('kafka://events/plain.json#contact'))).toContain('EMAIL');
  });

  it('only GETs the registry, and fetches each schema id once per capture', () => {
    const sent = registry.requests.slice(requestsBefore);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.filter((r) => r.method !== 'GET')).toEqual([]);
    const idFetches = sent.filter((r) => r.path.startsWith('/schemas/ids/')).map((r) => r.path).sort();
    expect(idFetches).toEqual([ids.key, ids.v1, ids.v2, ids.json, ids.proto, UNKNOWN_ID].map((id) => `/schemas/ids/${id}`).sort());
    expect(sent.map((r) => r.path)).toContain('/subjects');
  });

  it('never puts a raw PII value in any record, warning or failure', () => noRawAnywhere(cap));
});

describe('kafka source — schema registry problems', () => {
  it('a registry that is down is one clear failure naming its URL; the capture goes on', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const c = await collect(live({ schemaRegistry: { url } }));
    expect(c.failures).toHaveLength(1);
    expect(c.failures[0].item).toBe('kafka://events schema registry');
    expect(isAppError(c.failures[0].error, 'SOURCE_UNREACHABLE')).toBe(true);
    const message = `kafka://events: schema registry ${url} refused the connection — check schemaRegistry.url in sources.yaml`;
    expect((c.failures[0].error as Error).message).toBe(message);
    // Framed messages are counted and explained per topic; everything else is still profiled.
    // 40 values and their 40 Avro-framed keys.
    const schemaIds = [ids.key, ids.v1, ids.v2].sort((a, b) => a - b).join(', ');
    expect(warningsOf(c, 'kafka://events/customers.avro')).toEqual([`80 schema-registry framed payload(s) with schema id ${schemaIds} not profiled: ${message}`]);
    expect(nodes(c).get('kafka://events/customers.avro')!.props).toMatchObject({ encodings: { framed: 40 } });
    expect(entities(nodes(c).get('kafka://events/plain.json#contact'))).toContain('EMAIL');
    noRawAnywhere(c);
  }, 60_000);

  it('without a registry keeps the old warning', async () => {
    const c = await collect(live({ topics: ['customers.avro'] }));
    expect(warningsOf(c, 'kafka://events/customers.avro')).toEqual(['Avro without a schema registry: configure schemaRegistry.url']);
    expect(nodes(c).get('kafka://events/customers.avro')!.props!.schemaSubjects).toBeUndefined();
  }, 60_000);

  describe('basic auth', () => {
    let secured: TestSchemaRegistry;
    beforeAll(async () => {
      secured = await startSchemaRegistry({ auth: { username: 'auditor', password: 's3cret-pw' } });
      // Same schemas in the same order, so the ids in the framed messages match.
      await secured.register('customers.avro-key', '"string"');
      await secured.register('customers.avro-value', CUSTOMER_V1);
      await secured.register('customers.avro-value', CUSTOMER_V2);
    });
    afterAll(async () => secured?.close());

    it('sends credentials read from the named environment variables', async () => {
      process.env.DRIFTLINE_TEST_SR_USER = 'auditor';
      process.env.DRIFTLINE_TEST_SR_PASSWORD = 's3cret-pw';
      const before = secured.requests.length;
      const c = await collect(live({ topics: ['customers.avro'], schemaRegistry: { url: secured.url, usernameEnv: 'DRIFTLINE_TEST_SR_USER', passwordEnv: 'DRIFTLINE_TEST_SR_PASSWORD' } }));
      expect(c.failures).toEqual([]);
      expect(entities(nodes(c).get('kafka://events/customers.avro#email'))).toContain('EMAIL');
      const sent = secured.requests.slice(before);
      expect(sent.every((r) => r.authorized && r.method === 'GET')).toBe(true);
      expect(JSON.stringify(c)).not.toContain('s3cret-pw');
    }, 60_000);

    it('names the variable that is not set', async () => {
      delete process.env.DRIFTLINE_TEST_SR_MISSING;
      const c = await collect(live({ topics: ['customers.avro'], schemaRegistry: { url: secured.url, usernameEnv: 'DRIFTLINE_TEST_SR_USER', passwordEnv: 'DRIFTLINE_TEST_SR_MISSING' } }));
      expect(c.failures.map((f) => [f.item, (f.error as Error).message])).toEqual([
        ['kafka://events schema registry', 'kafka://events: environment variable DRIFTLINE_TEST_SR_MISSING (schemaRegistry) is not set — set it or remove schemaRegistry.usernameEnv/passwordEnv'],
      ]);
    }, 60_000);

    it('says which settings to check when the registry refuses the credentials', async () => {
      process.env.DRIFTLINE_TEST_SR_USER = 'auditor';
      process.env.DRIFTLINE_TEST_SR_WRONG = 'not-it';
      const c = await collect(live({ topics: ['customers.avro'], schemaRegistry: { url: secured.url, usernameEnv: 'DRIFTLINE_TEST_SR_USER', passwordEnv: 'DRIFTLINE_TEST_SR_WRONG' } }));
      expect(c.failures).toHaveLength(1);
      expect(isAppError(c.failures[0].error, 'SOURCE_AUTH')).toBe(true);
      expect((c.failures[0].error as Error).message).toMatch(new RegExp(`schema registry ${secured.url} refused the request \\(HTTP 401\\) — check schemaRegistry.usernameEnv/passwordEnv`));
    }, 60_000);
  });
});

describe('kafka source — schema registry with a kcat -J dump', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'driftline-sr-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('decodes JSON Schema framed payloads of a dump (their bytes survive as UTF-8 text)', async () => {
    const lines = Array.from({ length: 5 }, (_, i) =>
      JSON.stringify({ topic: 'orders.json-schema', partition: 0, offset: i, key: null, payload: frame(ids.json, Buffer.from(JSON.stringify({ customer: { email: remember(email(500 + i)) } }))).toString('utf8') }),
    );
    await writeFile(join(dir, 'orders.jsonl'), lines.join('\n') + '\n');
    const c = await collect({ name: 'dump', kind: 'kafka', region: 'eu', file: 'orders.jsonl', schemaRegistry: { url: registry.url } }, dir);
    const n = nodes(c);
    expect(n.get('kafka://dump/orders.json-schema')!.props).toMatchObject({ encoding: 'json-schema', schemaSubjects: [expect.objectContaining({ subject: 'orders.json-schema-value', schemaType: 'JSON' })] });
    expect(entities(n.get('kafka://dump/orders.json-schema#customer.email'))).toContain('EMAIL');
    expect(c.failures).toEqual([]);
    noRawAnywhere(c);
  });
});

describe('kafka source — schemaRegistry config', () => {
  const base = { name: 'events', kind: 'kafka', region: 'eu', brokers: ['a:9092'] };
  it.each([
    { reason: 'a username variable without a password variable', sr: { url: 'http://127.0.0.1:8081', usernameEnv: 'U' } },
    { reason: 'an inline password instead of a variable name', sr: { url: 'http://127.0.0.1:8081', password: 'p' } },
    { reason: 'a URL that is not http(s)', sr: { url: 'ftp://127.0.0.1/registry' } },
    { reason: 'a variable name that is not one', sr: { url: 'http://127.0.0.1:8081', usernameEnv: 'MY-USER', passwordEnv: 'P' } },
  ])('rejects $reason', ({ sr }) => {
    expect(kafkaSource.configSchema.safeParse({ ...base, schemaRegistry: sr }).success).toBe(false);
  });
  it('accepts a URL with both credential variables', () => {
    expect(kafkaSource.configSchema.safeParse({ ...base, schemaRegistry: { url: 'https://sr.example:8081/prefix', usernameEnv: 'U', passwordEnv: 'P' } }).success).toBe(true);
  });
});
