import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type TestKafkaBroker } from '../../../../scripts/testing/kafka-broker/index.js';
import { isAppError } from '../../../core/api/errors.js';
import type { GraphEdge, GraphNodeInput } from '../../../core/model/graph.js';
import { createLogger } from '../../log/logger.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { kafkaSource } from './index.js';

// ---------- synthetic PII (never real people) ----------
/** GB 11643-1999 MOD 11-2 check character of a 17-digit body. */
function cnIdCheck(body: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((s, d, i) => s + Number(d) * w[i], 0);
  return '10X98765432'[sum % 11];
}
const cnId = (i: number) => {
  const body = `11010519491231${String(i).padStart(3, '0')}`;
  return body + cnIdCheck(body);
};
const mobile = (i: number) => `138${String(12345678 + i).padStart(8, '0')}`;
const email = (i: number) => `user${i}@example.com`;
const RAW: string[] = [];
const remember = <T extends string>(v: T): T => (RAW.push(v), v);

// ---------- a minimal CaptureContext (the lead's harness does not exist yet) ----------
interface Collected {
  records: CaptureRecord[];
  warnings: { item: string; message: string }[];
  failures: { item: string; error: unknown }[];
  logs: string[];
}
const FP_KEY = 'test-workspace-key';
async function collect(rawConfig: unknown, baseDir = process.cwd()): Promise<Collected> {
  const config = kafkaSource.configSchema.parse(rawConfig);
  const out: Collected = { records: [], warnings: [], failures: [], logs: [] };
  const ctx: CaptureContext = {
    sourceName: config.name,
    region: config.region,
    baseDir,
    signal: AbortSignal.timeout(60_000),
    log: createLogger('test.kafka'),
    fingerprint: (v) => createHmac('sha256', FP_KEY).update(v).digest('hex'),
    progress: () => {},
    warn: (item, message) => out.warnings.push({ item, message }),
    fail: (item, error) => out.failures.push({ item, error }),
    checkpoint: () => undefined,
  };
  for await (const r of kafkaSource.capture(config, ctx)) out.records.push(r);
  return out;
}
const nodes = (c: Collected) => new Map(c.records.flatMap((r) => (r.type === 'node' ? [[r.node.urn, r.node] as const] : [])));
const edges = (c: Collected): GraphEdge[] => c.records.flatMap((r) => (r.type === 'edge' ? [r.edge] : []));
const entities = (n: GraphNodeInput | undefined) => (n?.pii ?? []).map((p) => p.entity).sort();

// ---------- the cluster ----------
const T0 = 1_700_000_000_000;
const HUGE_BYTES = 100 * 1024 * 1024;
let broker: TestKafkaBroker;

beforeAll(async () => {
  broker = await startKafkaBroker({
    topics: [
      { name: 'users.json', partitions: 2, configs: { 'retention.ms': '86400000', 'cleanup.policy': 'delete' } },
      { name: 'dbserver1.shop.customers', partitions: 1, configs: { 'cleanup.policy': 'compact' } },
      { name: 'notes.text', partitions: 1 },
      { name: 'blobs', partitions: 1 },
      { name: 'huge', partitions: 1 },
      { name: '__consumer_offsets', partitions: 1 },
    ],
    groups: [{ groupId: 'billing-service', offsets: [{ topic: 'users.json', partition: 0, offset: 10 }, { topic: 'users.json', partition: 1, offset: 30 }] }],
  });
  for (let p = 0; p < 2; p++) {
    broker.produce('users.json', p, Array.from({ length: 30 }, (_, j) => {
      const i = p * 30 + j;
      return { key: String(i), timestamp: T0 + i, value: JSON.stringify({ id: i, email: remember(email(i)), phone: remember(mobile(i)), id_card: remember(cnId(i)), items: [{ sku: `A-${i}`, qty: 1 }] }) };
    }));
  }
  broker.produce('dbserver1.shop.customers', 0, Array.from({ length: 20 }, (_, i) => ({
    key: JSON.stringify({ schema: { type: 'struct' }, payload: { id: i } }),
    value: JSON.stringify({
      schema: { type: 'struct', name: 'dbserver1.shop.customers.Envelope' },
      payload: { before: null, after: { id: i, email: remember(`cust${i}@example.cn`), mobile: remember(mobile(500 + i)), note: 'vip' }, source: { connector: 'mysql', name: 'dbserver1', db: 'shop', table: 'customers', ts_ms: T0 }, op: 'c', ts_ms: T0 },
    }),
  })));
  broker.produce('notes.text', 0, Array.from({ length: 15 }, (_, i) => ({ value: remember(`alice${i}@example.org`) })));
  broker.produce('blobs', 0, [
    ...Array.from({ length: 5 }, (_, i) => ({ value: Buffer.from([0xff, 0xfe, i, 0x01, 0x02, 0x80]) })),
    { value: Buffer.concat([Buffer.from([0, 0, 0, 0, 42]), Buffer.from('avro-body')]) },
  ]);
  broker.produce('huge', 0, [{ value: Buffer.alloc(HUGE_BYTES, 0x61) }]);
  broker.produce('huge', 0, Array.from({ length: 3 }, (_, i) => ({ value: JSON.stringify({ contact: remember(email(900 + i)) }) })));
}, 120_000);
afterAll(async () => broker?.close());

const live = (extra: object = {}) => ({ name: 'events', kind: 'kafka', region: 'cn-north-1', brokers: [broker.bootstrap], ...extra });

describe('kafka source — live capture from the test broker', () => {
  let cap: Collected;
  let requestsBefore: number;
  beforeAll(async () => {
    requestsBefore = broker.requests.length;
    cap = await collect(live());
  }, 120_000);

  it('classifies JSON fields and keeps only masked examples', () => {
    const n = nodes(cap);
    expect(entities(n.get('kafka://events/users.json#email'))).toContain('EMAIL');
    expect(entities(n.get('kafka://events/users.json#phone'))).toContain('CN_MOBILE');
    expect(entities(n.get('kafka://events/users.json#id_card'))).toContain('CN_RESIDENT_ID');
    expect(n.get('kafka://events/users.json#items[].sku')).toBeDefined();
    const phone = n.get('kafka://events/users.json#phone')!.pii!.find((p) => p.entity === 'CN_MOBILE')!;
    expect(phone.sampled).toBe(60);
    expect(phone.matches).toBe(60);
    for (const ex of phone.examples) expect(ex).toMatch(/^138\*{4}\d{4}$/);
    const fps = n.get('kafka://events/users.json#email')!.props!.fingerprints as string[];
    expect(fps.length).toBeGreaterThan(0);
    expect(fps.length).toBeLessThanOrEqual(50);
    expect(fps.every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(true);
  });

  it('describes the topic: partitions, replication, configs, message count, encoding, groups', () => {
    const topic = nodes(cap).get('kafka://events/users.json')!;
    expect(topic.kind).toBe('topic');
    expect(topic.props).toMatchObject({
      partitions: 2, replication: 1, messageCount: 60, sampled: 60, encoding: 'json',
      configs: expect.objectContaining({ 'retention.ms': '86400000', 'cleanup.policy': 'delete' }),
      consumerGroups: [{ group: 'billing-service', lag: 20 }],
    });
    expect(nodes(cap).has('kafka://events/__consumer_offsets')).toBe(false);
    expect(nodes(cap).get('app://events/kafka/billing-service')?.kind).toBe('workload');
    expect(edges(cap)).toContainEqual(expect.objectContaining({ from: 'app://events/kafka/billing-service', to: 'kafka://events/users.json', kind: 'reads' }));
    expect(edges(cap)).toContainEqual(expect.objectContaining({ from: 'kafka://events/users.json', to: 'kafka://events/users.json#email', kind: 'contains' }));
  });

  it('recognizes Debezium envelopes and maps after.<col> to db.table.col', () => {
    const n = nodes(cap);
    expect(n.get('kafka://events/dbserver1.shop.customers')!.props!.debezium).toEqual({ connector: 'mysql', db: 'shop', table: 'customers', name: 'dbserver1' });
    const col = n.get('kafka://events/dbserver1.shop.customers#after.email')!;
    expect(col.props!.column).toBe('shop.customers.email');
    expect(entities(col)).toContain('EMAIL');
    expect(entities(n.get('kafka://events/dbserver1.shop.customers#after.mobile'))).toContain('CN_MOBILE');
    expect(n.get('kafka://events/dbserver1.shop.customers#$key.id')).toBeDefined();
  });

  it('profiles plain text as $value', () => {
    const n = nodes(cap);
    expect(n.get('kafka://events/notes.text')!.props!.encoding).toBe('text');
    expect(entities(n.get('kafka://events/notes.text#$value'))).toContain('EMAIL');
  });

  it('reports binary and schema-registry framed payloads instead of decoding them', () => {
    const blobs = nodes(cap).get('kafka://events/blobs')!;
    expect(blobs.props!.encodings).toEqual({ binary: 5, framed: 1 });
    const msgs = cap.warnings.filter((w) => w.item === 'kafka://events/blobs').map((w) => w.message);
    expect(msgs).toContain('Avro without a schema registry: configure schemaRegistry.url');
    expect(msgs.some((m) => /5 binary message/.test(m))).toBe(true);
  });

  it('skips a 100 MB message without downloading it and says so for that topic', () => {
    const huge = nodes(cap).get('kafka://events/huge')!;
    expect(huge.props).toMatchObject({ oversizeSkipped: 1, sampled: 3 });
    expect(entities(nodes(cap).get('kafka://events/huge#contact'))).toContain('EMAIL');
    expect(cap.warnings).toContainEqual({ item: 'kafka://events/huge', message: expect.stringMatching(/larger than 1048576 bytes were skipped/) });
    const biggest = Math.max(...broker.requests.slice(requestsBefore).filter((r) => r.apiName === 'Fetch').map((r) => r.responseBytes ?? 0));
    expect(biggest).toBeLessThanOrEqual(1024 * 1024 + 1024);
  });

  it('never puts a raw PII value in any record, warning or failure', () => {
    const everything = JSON.stringify({ records: cap.records, warnings: cap.warnings, failures: cap.failures });
    expect(RAW.length).toBeGreaterThan(100);
    for (const raw of RAW) expect(everything).not.toContain(raw);
  });

  it('only read: no group membership, no commits, no produce (request log of the broker)', () => {
    const sent = broker.requests.slice(requestsBefore).filter((r) => r.clientId === 'driftline-audit');
    const apis = new Set(sent.map((r) => r.apiName));
    expect(apis).toContain('Fetch');
    expect(apis).toContain('ListOffsets');
    for (const forbidden of ['JoinGroup', 'SyncGroup', 'Heartbeat', 'OffsetCommit', 'LeaveGroup', 'Produce']) expect(apis).not.toContain(forbidden);
    expect(cap.failures).toEqual([]);
  });

  it('records missing ACL visibility as a gap (no authorizer)', () => {
    expect(cap.records).toContainEqual({ type: 'gap', item: 'kafka://events ACLs', reason: expect.stringMatching(/SECURITY_DISABLED/) });
  });
});

describe('kafka source — ACLs, topic filter and errors', () => {
  it('attaches topic ACLs when the cluster has an authorizer', async () => {
    const b = await startKafkaBroker({
      topics: [{ name: 'orders', partitions: 1 }, { name: 'other', partitions: 1 }],
      acls: [
        { resourceType: 'topic', resourceName: 'orders', principal: 'User:billing', operation: 'read', permission: 'allow' },
        { resourceType: 'topic', resourceName: 'ord', patternType: 'prefixed', principal: 'User:ops', operation: 'describe', permission: 'allow' },
      ],
    });
    try {
      b.produce('orders', 0, [{ value: '{"a":1}' }]);
      const c = await collect({ name: 'acl', kind: 'kafka', region: 'eu', brokers: [b.bootstrap], topics: ['orders', 'missing'] });
      const orders = nodes(c).get('kafka://acl/orders')!;
      expect(orders.props!.acls).toEqual([
        { pattern: 'literal', principal: 'User:billing', host: '*', operation: 'read', permission: 'allow' },
        { pattern: 'prefixed', principal: 'User:ops', host: '*', operation: 'describe', permission: 'allow' },
      ]);
      expect(nodes(c).has('kafka://acl/other')).toBe(false);
      expect(c.failures.map((f) => f.item)).toEqual(['kafka://acl/missing']);
      expect(c.records.some((r) => r.type === 'gap')).toBe(false);
    } finally {
      await b.close();
    }
  });

  it('names the broker and what to check when the connection is refused', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const err = await collect({ name: 'down', kind: 'kafka', region: 'eu', brokers: [`127.0.0.1:${port}`] }).catch((e: unknown) => e);
    expect(isAppError(err, 'SOURCE_UNREACHABLE')).toBe(true);
    expect((err as Error).message).toBe(`kafka://down: broker 127.0.0.1:${port} refused the connection — check brokers in sources.yaml`);
    const t = await kafkaSource.testConnection(kafkaSource.configSchema.parse({ name: 'down', kind: 'kafka', region: 'eu', brokers: [`127.0.0.1:${port}`] }), { baseDir: '.', signal: AbortSignal.timeout(30_000), log: createLogger('t') });
    expect(t.ok).toBe(false);
    expect(t.message).toMatch(/refused the connection/);
  }, 60_000);
});

describe('kafka source — offline kcat -J dump', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'driftline-kafka-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('captures the same fields from a dump written by real kcat, warning on bad lines by number', async () => {
    if (!existsSync('/usr/bin/kcat')) throw new Error('kcat is not installed: run `apt-get install -y kcat`');
    const { stdout } = await promisify(execFile)('/usr/bin/kcat', ['-b', broker.bootstrap, '-C', '-t', 'users.json', '-o', 'beginning', '-e', '-J'], { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 });
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(60);
    lines.splice(3, 0, '{"topic": "users.json", "partition": 0, "payload": "trunc', '[1,2,3]');
    await writeFile(join(dir, 'events.jsonl'), lines.join('\n') + '\n');
    const c = await collect({ name: 'dump', kind: 'kafka', region: 'cn-north-1', file: 'events.jsonl' }, dir);
    const n = nodes(c);
    expect(n.get('kafka://dump/users.json')!.props).toMatchObject({ partitions: 2, messageCount: 60, encoding: 'json' });
    expect(entities(n.get('kafka://dump/users.json#id_card'))).toContain('CN_RESIDENT_ID');
    expect(entities(n.get('kafka://dump/users.json#phone'))).toContain('CN_MOBILE');
    expect(c.warnings.map((w) => w.item)).toEqual(['kafka://dump: events.jsonl:4', 'kafka://dump: events.jsonl:5']);
    expect(c.warnings[0].message).toMatch(/^line 4 skipped: not JSON/);
    expect(c.warnings[1].message).toBe('line 5 skipped: not a kcat -J message: needs "topic" and "partition"');
    const everything = JSON.stringify(c.records);
    for (const raw of RAW) expect(everything).not.toContain(raw);
  });

  it('skips an oversize dump line without reading it into memory whole', async () => {
    const big = JSON.stringify({ topic: 't', partition: 0, offset: 0, payload: 'x'.repeat(5 * 1024 * 1024) });
    const ok = JSON.stringify({ topic: 't', partition: 0, offset: 1, payload: JSON.stringify({ email: remember(email(7000)) }) });
    await writeFile(join(dir, 'big.jsonl'), `${big}\n${ok}`);
    const c = await collect({ name: 'dump', kind: 'kafka', region: 'eu', file: join(dir, 'big.jsonl') });
    expect(c.warnings).toEqual([{ item: `kafka://dump: ${join(dir, 'big.jsonl')}:1`, message: expect.stringMatching(/longer than 4194304 bytes skipped/) }]);
    expect(entities(nodes(c).get('kafka://dump/t#email'))).toContain('EMAIL');
  });

  it('fails clearly when the dump does not exist', async () => {
    const err = await collect({ name: 'dump', kind: 'kafka', region: 'eu', file: 'nope.jsonl' }, dir).catch((e: unknown) => e);
    expect(isAppError(err, 'NOT_FOUND')).toBe(true);
    expect((err as Error).message).toBe('kafka://dump: nope.jsonl does not exist — check file in sources.yaml');
  });
});

describe('kafka source — config schema', () => {
  const base = { name: 'events', kind: 'kafka', region: 'cn-north-1' };
  it.each([
    { reason: 'neither brokers nor file', cfg: { ...base } },
    { reason: 'both brokers and file', cfg: { ...base, brokers: ['a:9092'], file: 'x.jsonl' } },
    { reason: 'a password inline instead of by env var', cfg: { ...base, brokers: ['a:9092'], sasl: { mechanism: 'plain', username: 'u', password: 'p', passwordEnv: 'P' } } },
    { reason: 'a broker without a port', cfg: { ...base, brokers: ['kafka.local'] } },
    { reason: 'an unknown SASL mechanism', cfg: { ...base, brokers: ['a:9092'], sasl: { mechanism: 'gssapi', username: 'u', passwordEnv: 'P' } } },
    { reason: 'zero samples', cfg: { ...base, brokers: ['a:9092'], sampleMessages: 0 } },
  ])('rejects $reason', ({ cfg }) => {
    expect(kafkaSource.configSchema.safeParse(cfg).success).toBe(false);
  });
  it('defaults sampleMessages to 200', () => {
    expect(kafkaSource.configSchema.parse({ ...base, file: 'x.jsonl' }).sampleMessages).toBe(200);
  });
});
