import { GetObjectCommand } from '@aws-sdk/client-s3';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePeople, type Person } from '../scripts/demo/synthetic-people.js';
import { DEBEZIUM_MYSQL_CLASS, relayBinlogToKafka, S3_SINK_CLASS, sinkTopicToS3 } from '../scripts/testing/cdc-chain/index.js';
import { startKafkaBroker, type TestKafkaBroker } from '../scripts/testing/kafka-broker/index.js';
import { startConnectServer, type TestConnectServer } from '../scripts/testing/kafka-connect/index.js';
import { startMariaDb, type GeneralLogEntry, type TestMariaDb } from '../scripts/testing/mariadb/index.js';
import { startS3Server, testS3Client, type TestS3Server } from '../scripts/testing/s3/index.js';
import { useTempHome } from '../scripts/testing/temp.js';
import type { Finding } from '../shared/core/model/finding.js';
import { runScan, Store, type ScanResult } from '../shared/node/services/index.js';

/**
 * Issue 5, end to end: a CDC pipeline really moves synthetic PII from MariaDB (cn-north-1) through a
 * Kafka topic into an S3 bucket in eu-west-1 (the cdc-chain stand-ins for Debezium and Kafka Connect,
 * on the real test servers), and Driftline — scanning as an auditor, read-only, with its real
 * sources — must follow the phone column field by field to the bucket, report the cross-border
 * flow, stop the masked ID number at the topic, store no raw value, and leave no trace.
 */
const SRC = { db: 'shop-db', events: 'events', lake: 'lake-eu', connect: 'events-connect' } as const;
const BUCKET = 'lake-eu';
const TOPIC = 'shop.shop.users';
const PEOPLE = 120;
/** Kafka client id the kafka source sets (shared/node/sources/kafka/live-capture.ts). */
const DRIFTLINE_CLIENT_ID = 'driftline-audit';
const RELAY_CLIENT_ID = 'debezium-standin';
const SINK_CLIENT_ID = 'connect-standin';
const ENV = { auditorPw: 'CDC_E2E_AUDITOR_PASSWORD', s3Key: 'CDC_E2E_S3_KEY', s3Secret: 'CDC_E2E_S3_SECRET' } as const;

const tmp = useTempHome('driftline-cdc-chain-');
const people: Person[] = makePeople(PEOPLE);
const timings: Record<string, number> = {};
let db: TestMariaDb;
let broker: TestKafkaBroker;
let s3: TestS3Server;
let connect: TestConnectServer;
let store: Store;
let scan: ScanResult;
let findings: Finding[];
let sunk: { rows: number; objects: string[] };
/** Requests each test server had received when the auditor's scan began. */
let s3RequestsBeforeScan: number;
let workspaceBytes: string;
let workspaceFiles: string[];

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t0 = performance.now();
  try {
    return await f();
  } finally {
    timings[label] = Math.round(performance.now() - t0);
  }
}

/** The Debezium source connector: the same config drives the stand-in and goes into the cluster dump. */
const debeziumConfig = (port: number): Record<string, string> => ({
  'database.hostname': '127.0.0.1',
  'database.port': String(port),
  'database.user': 'debezium',
  'database.password': '${secrets:kafka/debezium-credentials:password}',
  'database.server.id': '184054',
  'topic.prefix': 'shop',
  'database.include.list': 'shop',
  'table.include.list': 'shop.users',
  'column.mask.with.12.chars': 'shop.users.id_card',
});

const s3SinkConfig = (endpoint: string): Record<string, string> => ({
  topics: TOPIC,
  'topics.dir': 'topics',
  's3.bucket.name': BUCKET,
  's3.region': 'eu-west-1',
  'store.url': endpoint,
  'format.class': 'io.confluent.connect.s3.format.json.JsonFormat',
  'flush.size': '1000',
  transforms: 'unwrap',
  'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
});

const dt = (iso: string) => iso.slice(0, 19).replace('T', ' ');

async function createShop(): Promise<void> {
  await db.query('CREATE DATABASE shop CHARACTER SET utf8mb4');
  await db.query(`CREATE TABLE shop.users (
    id INT PRIMARY KEY, name VARCHAR(32) COMMENT '姓名', phone VARCHAR(20) COMMENT '手机号', email VARCHAR(128),
    id_card CHAR(18) COMMENT '身份证号', birthday DATE, address VARCHAR(255), created_at DATETIME) COMMENT 'customers'`);
  for (let i = 0; i < people.length; i += 40) {
    const batch = people.slice(i, i + 40);
    await db.query(`INSERT INTO shop.users VALUES ${batch.map(() => '(?,?,?,?,?,?,?,?)').join(',')}`, batch.flatMap((p) => [p.id, p.name, p.phone, p.email, p.idCard, p.birthday, p.address, dt(p.createdAt)]));
  }
  // Updates travel too (op "u"; the sink writes their after-image).
  await db.query(`UPDATE shop.users SET address = CONCAT(address, '2单元') WHERE id % 17 = 0`);
}

beforeAll(async () => {
  [db, broker, s3] = await timed('start servers', () => Promise.all([startMariaDb(), startKafkaBroker({ topics: [{ name: TOPIC, partitions: 2 }] }), startS3Server({ region: 'eu-west-1' })]));
  await timed('load MariaDB', async () => {
    await createShop();
    await db.createUser('debezium', 'dbz-pw', ['SELECT ON *.*', 'RELOAD ON *.*', 'REPLICATION SLAVE ON *.*', 'REPLICATION CLIENT ON *.*']);
    await db.createUser('auditor', 'audit-pw', ['SELECT ON *.*', 'REPLICATION SLAVE ON *.*', 'REPLICATION CLIENT ON *.*']);
  });

  // The pipeline moves the data: binlog → topic → bucket (the sink writes through the recording proxy).
  const relayed = await timed('relay binlog → kafka', () => relayBinlogToKafka({ connector: debeziumConfig(db.port), password: 'dbz-pw', brokers: [broker.bootstrap], clientId: RELAY_CLIENT_ID, timeoutMs: 20_000 }));
  expect(relayed.produced[TOPIC]).toBe(PEOPLE + Math.floor(PEOPLE / 17));
  await s3.createBucket(BUCKET, { location: 'eu-west-1' });
  const sinkClient = testS3Client(s3.endpoint, 'eu-west-1');
  try {
    sunk = await timed('sink kafka → s3', () => sinkTopicToS3({ name: 'lake-sink', connector: s3SinkConfig(s3.endpoint), brokers: [broker.bootstrap], s3: sinkClient, clientId: SINK_CLIENT_ID, timeoutMs: 30_000 }));
  } finally {
    sinkClient.destroy();
  }

  // The Connect cluster that ran the pipeline, read by the auditor through its REST API: the very configs the stand-ins ran.
  connect = await startConnectServer([
    { name: 'shop-mysql-cdc', config: { 'connector.class': DEBEZIUM_MYSQL_CLASS, ...debeziumConfig(db.port) } },
    { name: 'lake-sink', config: { 'connector.class': S3_SINK_CLASS, ...s3SinkConfig(s3.endpoint) } },
  ]);

  // The auditor's scan: secrets by environment variable name only.
  process.env[ENV.auditorPw] = 'audit-pw';
  process.env[ENV.s3Key] = s3.accessKeyId;
  process.env[ENV.s3Secret] = s3.secretAccessKey;
  const source = (name: string, kind: string, region: string, config: Record<string, unknown>) => ({ name, kind, region, baseDir: tmp.dir, config: { name, kind, region, ...config } });
  s3RequestsBeforeScan = s3.requests.length;
  store = Store.open(tmp.path('audit.driftline'), { create: true });
  scan = await timed('driftline scan', () => runScan({
    store,
    sources: [
      source(SRC.db, 'mysql', 'cn-north-1', { host: '127.0.0.1', port: db.port, user: 'auditor', passwordEnv: ENV.auditorPw, databases: ['shop'], sampleRows: 1000, binlog: { serverId: 4242, follow: false, from: 'earliest', maxSeconds: 20 } }),
      source(SRC.events, 'kafka', 'cn-north-1', { brokers: [broker.bootstrap], sampleMessages: 200 }),
      source(SRC.lake, 's3', 'eu-west-1', { endpoint: s3.endpoint, buckets: [BUCKET], accessKeyIdEnv: ENV.s3Key, secretAccessKeyEnv: ENV.s3Secret }),
      source(SRC.connect, 'kafka-connect', 'cn-north-1', { url: connect.url }),
    ],
  }));
  findings = store.findings.list().map((f) => f.finding);
  // The workspace as it is on disk now: the main file and the WAL (a close would fold the WAL in).
  const file = store.workspace.path;
  workspaceFiles = readdirSync(dirname(file)).filter((f) => f.startsWith(basename(file)));
  workspaceBytes = workspaceFiles.map((f) => readFileSync(join(dirname(file), f)).toString('latin1')).join('\n');
  console.log(`cdc-chain e2e timings (ms): ${JSON.stringify(timings)}`);
}, 120_000);

afterAll(async () => {
  store?.close();
  await Promise.allSettled([db?.stop(), broker?.close(), s3?.close(), connect?.close()]);
  for (const v of Object.values(ENV)) delete process.env[v];
  tmp.cleanup();
});

describe('CDC chain MariaDB → Kafka → S3, scanned by Driftline', () => {
  it('the pipeline really moved the rows, and every source captured completely', async () => {
    expect(sunk.rows).toBe(PEOPLE + Math.floor(PEOPLE / 17));
    // The bucket holds the unwrapped rows: raw phones (the cross-border problem) and masked ID numbers.
    const body = await (await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: sunk.objects[0] }))).Body!.transformToString();
    const rows = body.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) {
      const p = people[(r.id as number) - 1];
      expect(r.phone).toBe(p.phone);
      expect(r.id_card).toBe('************');
      // Debezium's default temporal encodings: DATE as days since the epoch, DATETIME as epoch ms.
      expect(r.birthday).toBe(Date.parse(`${p.birthday}T00:00:00Z`) / 86_400_000);
      expect(r.created_at).toBe(Date.parse(`${dt(p.createdAt).replace(' ', 'T')}Z`));
      expect(Object.keys(r)).not.toContain('op');
    }
    expect(sunk.objects.every((k) => /^topics\/shop\.shop\.users\/partition=[01]\/shop\.shop\.users\+[01]\+\d{10}\.json$/.test(k))).toBe(true);
    expect(scan.snapshots.map((s) => [s.source, s.status, s.report.failures])).toEqual([
      [SRC.db, 'complete', []], [SRC.events, 'complete', []], [SRC.lake, 'complete', []], [SRC.connect, 'complete', []],
    ]);
  });

  it('follows the phone column field by field: table → CDC topic → EU bucket', () => {
    const down = store.graph.closure(`mysql://${SRC.db}/shop/users#phone`, 'downstream', { depth: 5 });
    const urns = down.nodes.map((n) => n.urn);
    expect(urns).toEqual(expect.arrayContaining([`kafka://${SRC.events}/${TOPIC}#after.phone`, `s3://${SRC.lake}/${BUCKET}/topics/${TOPIC}#phone`]));
    // The topic → bucket hop is known from the sink connector in the cluster dump, not guessed.
    // (Equal value fingerprints also link the two fields, as a separate same-values edge.)
    const hop = down.edges.filter((e) => e.from === `kafka://${SRC.events}/${TOPIC}#after.phone` && e.to === `s3://${SRC.lake}/${BUCKET}/topics/${TOPIC}#phone`);
    expect(hop).toContainEqual(expect.objectContaining({ kind: 'sinks', evidence: expect.objectContaining({ rule: 'lineage.kafka-connect-s3-sink', config: `connect://${SRC.connect}/lake-sink`, via: `connect://${SRC.connect}/lake-sink` }) }));
    // The table → topic hop: named like a Debezium topic AND declared by the Debezium connector CR
    // (the two inferences merge into one edge that keeps both rules and the connector as evidence).
    const cdc = down.edges.find((e) => e.from === `mysql://${SRC.db}/shop/users#phone` && e.to === `kafka://${SRC.events}/${TOPIC}#after.phone` && e.kind === 'cdc');
    expect([cdc?.evidence.rule, ...((cdc?.evidence.corroboratedBy as string[] | undefined) ?? [])]).toEqual(expect.arrayContaining(['lineage.debezium-topic-naming', 'lineage.debezium-connector-config']));
    expect(cdc?.evidence.config).toBe(`connect://${SRC.connect}/shop-mysql-cdc`);
  });

  it('reports the cross-border flow cn-north-1 → eu-west-1 with the entities carried and the path', () => {
    const flow = findings.find((f): f is Extract<Finding, { type: 'flow' }> => f.type === 'flow' && f.urn === `mysql://${SRC.db}/shop/users` && f.to.startsWith(`s3://${SRC.lake}/${BUCKET}/topics`));
    expect(flow, JSON.stringify(findings.filter((f) => f.type === 'flow'), null, 1)).toMatchObject({ fromRegion: 'cn-north-1', toRegion: 'eu-west-1' });
    expect(flow!.entities).toEqual(expect.arrayContaining(['CN_MOBILE', 'EMAIL']));
    expect(flow!.entities).not.toContain('CN_RESIDENT_ID');
    // The path names every hop: the table, the Debezium connector, the topic, the sink connector, the bucket prefix.
    expect(flow!.path.slice(0, 4)).toEqual([`mysql://${SRC.db}/shop/users`, `connect://${SRC.connect}/shop-mysql-cdc`, `kafka://${SRC.events}/${TOPIC}`, `connect://${SRC.connect}/lake-sink`]);
    expect(flow!.path[4]).toMatch(new RegExp(`^s3://${SRC.lake}/${BUCKET}/topics/${TOPIC.replace(/\./g, '\\.')}`));
    // One flow per origin → destination: the topic, an intermediate, is not reported as an origin of its own.
    expect(findings.filter((f) => f.type === 'flow' && f.urn === `kafka://${SRC.events}/${TOPIC}`)).toEqual([]);
    // Each hop has its evidence; the Debezium hop shows the mask that keeps the ID number out.
    const hops = flow!.hops!;
    expect(hops.map((h) => h.to)).toEqual(flow!.path.slice(1));
    expect(hops.every((h) => h.detail.length > 0 && h.rule.startsWith('lineage.'))).toBe(true);
    expect(hops[1].masks).toEqual([expect.objectContaining({ field: `mysql://${SRC.db}/shop/users#id_card`, kind: 'mask-with-chars' })]);
    expect(hops[3].transforms).toEqual([{ alias: 'unwrap', type: 'io.debezium.transforms.ExtractNewRecordState' }]);
    // The connectors are process nodes with what Connect said of them.
    expect(store.graph.getNode(`connect://${SRC.connect}/lake-sink`)).toMatchObject({ kind: 'connector', props: expect.objectContaining({ state: 'RUNNING', process: 'sink', outputs: [flow!.path[4]] }) });
  });

  it('does not carry the ID number past the Debezium mask', () => {
    const entities = (urn: string) => (store.graph.getNode(urn)?.pii ?? []).map((p) => p.entity);
    expect(entities(`mysql://${SRC.db}/shop/users#id_card`)).toContain('CN_RESIDENT_ID');
    // The column → field edge exists and carries the connector's mask: that is what stops the entity.
    const idHop = store.graph.closure(`mysql://${SRC.db}/shop/users#id_card`, 'downstream', { depth: 1 }).edges.find((e) => e.to === `kafka://${SRC.events}/${TOPIC}#after.id_card` && e.kind === 'cdc');
    expect(idHop?.evidence.mask).toMatchObject({ kind: 'mask-with-chars' });
    // The masked field exists (so its absence of PII means something) and holds no ID, sampled or inherited.
    expect(store.graph.getNode(`kafka://${SRC.events}/${TOPIC}#after.id_card`)).toBeDefined();
    expect(entities(`kafka://${SRC.events}/${TOPIC}#after.id_card`)).not.toContain('CN_RESIDENT_ID');
    expect(store.graph.getNode(`s3://${SRC.lake}/${BUCKET}/topics/${TOPIC}#id_card`)).toBeDefined();
    expect(entities(`s3://${SRC.lake}/${BUCKET}/topics/${TOPIC}#id_card`)).not.toContain('CN_RESIDENT_ID');
    // …while the phone does arrive there.
    expect(entities(`s3://${SRC.lake}/${BUCKET}/topics/${TOPIC}#phone`)).toContain('CN_MOBILE');
  });

  it('stores no raw personal value in the workspace file or its WAL', () => {
    expect(workspaceFiles).toEqual(expect.arrayContaining(['audit.driftline', 'audit.driftline-wal']));
    expect(workspaceBytes.length).toBeGreaterThan(0);
    // The bytes are searched as UTF-8 text inside latin1-decoded bytes: encode the needles the same way.
    const asStored = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
    for (const p of people) {
      expect(workspaceBytes.includes(asStored(p.phone)), `phone of person ${p.id}`).toBe(false);
      expect(workspaceBytes.includes(asStored(p.idCard)), `ID of person ${p.id}`).toBe(false);
      expect(workspaceBytes.includes(asStored(p.email)), `email of person ${p.id}`).toBe(false);
    }
    expect(workspaceBytes).not.toContain('audit-pw');
  });

  it('leaves no trace: Kafka saw only reads from Driftline', () => {
    const ours = broker.requests.filter((r) => r.clientId === DRIFTLINE_CLIENT_ID).map((r) => r.apiName);
    expect(ours).toEqual(expect.arrayContaining(['Metadata', 'ListOffsets', 'Fetch']));
    for (const mutating of ['Produce', 'JoinGroup', 'SyncGroup', 'Heartbeat', 'LeaveGroup', 'OffsetCommit']) expect(ours).not.toContain(mutating);
    // The log does record those calls — the stand-ins made them — so their absence above means something.
    const theirs = new Set(broker.requests.filter((r) => r.clientId === RELAY_CLIENT_ID || r.clientId === SINK_CLIENT_ID).map((r) => r.apiName));
    expect([...theirs]).toEqual(expect.arrayContaining(['Produce', 'JoinGroup', 'SyncGroup', 'OffsetCommit']));
  });

  it('leaves no trace: S3 saw only GET/HEAD during the scan', () => {
    const during = s3.requests.slice(s3RequestsBeforeScan);
    expect(during.length).toBeGreaterThan(0);
    expect(during.filter((r) => r.method !== 'GET' && r.method !== 'HEAD')).toEqual([]);
    expect(s3.requests.slice(0, s3RequestsBeforeScan).some((r) => r.method === 'PUT'), 'the sink wrote through the same recording proxy').toBe(true);
  });

  it('leaves no trace: Kafka Connect saw only GETs', () => {
    expect(connect.requests.length).toBeGreaterThan(0);
    expect(connect.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  it('leaves no trace: MariaDB received no writing statement from the auditor', async () => {
    const entries: GeneralLogEntry[] = await db.statementsBy('auditor');
    expect(entries.some((e) => e.command === 'Query' && /^\s*SELECT\b/i.test(e.argument))).toBe(true);
    expect(entries.some((e) => e.command === 'Binlog Dump'), 'the auditor read the binlog as a replica').toBe(true);
    // Not even a KILL of its own replication thread (zongji's default way to stop): see binlog.ts.
    expect(entries.filter((e) => e.command === 'Query' && isWritingStatement(e.argument)).map((e) => e.argument)).toEqual([]);
  });
});

/**
 * Statements that change data, schema, grants or server state. Session settings (`SET SESSION …`,
 * `SET @var`, `SET NAMES`) only shape the auditor's own connection and are allowed.
 */
function isWritingStatement(sql: string): boolean {
  const s = sql.replace(/^\s*(\/\*.*?\*\/\s*)*/s, '');
  if (/^(INSERT|UPDATE|DELETE|REPLACE|MERGE|CREATE|DROP|ALTER|TRUNCATE|RENAME|GRANT|REVOKE|LOAD|CALL|LOCK|HANDLER|FLUSH|RESET|PURGE|OPTIMIZE|REPAIR|ANALYZE|INSTALL|UNINSTALL|KILL|CHANGE|START\s+(SLAVE|REPLICA)|STOP|XA|DO)\b/i.test(s)) return true;
  if (/^SET\s+(GLOBAL|PERSIST|PASSWORD|@@GLOBAL|DEFAULT\s+ROLE)\b/i.test(s)) return true;
  // SELECT … INTO OUTFILE/DUMPFILE writes a file on the server; SELECT … FOR UPDATE takes locks.
  return /^SELECT\b/i.test(s) && /\bINTO\s+(OUTFILE|DUMPFILE)\b|\bFOR\s+UPDATE\b/i.test(s);
}
