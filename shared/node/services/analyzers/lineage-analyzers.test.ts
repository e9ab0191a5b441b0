import { mkdtempSync, rmSync } from 'node:fs';
import { aclRecords, type AclEntry } from '../../sources/kafka/acls.js';
import { bucketAccessRecords } from '../../sources/s3/access.js';
import { summarisePolicy } from '../../sources/s3/policy.js';
import type { CaptureRecord } from '../../sources/source.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GraphNodeInput, PiiTag } from '../../../core/model/graph.js';
import type { Finding } from '../../../core/model/finding.js';
import { appUrn, connectUrn, k8sUrn, kafkaUrn, mysqlUrn, s3Urn } from '../../../core/model/urn.js';
import { Store } from '../../store/index.js';
import { runAnalyzers } from '../analyze.js';
import { saveConfigRecord } from '../config-versions.js';
import { explainReasons } from '../../../core/drift/anomaly-text.js';

/**
 * End to end through a real workspace: nodes, edges and config versions shaped as the MySQL,
 * Kafka, S3 and Kubernetes sources write them, then every analyzer as a scan runs them.
 * The PII examples are masked and the fingerprints are opaque strings, as in a real workspace.
 */

const CN = 'cn-north-1';
const EU = 'eu-west-1';
const tag = (entity: string, confidence = 0.9): PiiTag => ({ entity, confidence, matches: 45, sampled: 50, examples: ['138****5678'] });
const fps = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i.toString(16).padStart(30, '0')}`);

const TABLE = mysqlUrn('shop-db', 'shop', 'users');
const col = (c: string) => mysqlUrn('shop-db', 'shop', 'users', c);
const TOPIC = kafkaUrn('events', 'shop.shop.users');
const tf = (p: string) => kafkaUrn('events', 'shop.shop.users', p);
const BUCKET = s3Urn('lake', 'lake-eu');
const PREFIX = s3Urn('lake', 'lake-eu', 'topics/shop.shop.users');
const sf = (p: string) => s3Urn('lake', 'lake-eu', 'topics/shop.shop.users', p);
const CDC_CR = k8sUrn('prod-cn', 'kafka', 'KafkaConnector', 'shop-cdc');
const SINK_CR = k8sUrn('prod-cn', 'kafka', 'KafkaConnector', 'lake-sink');
const DEPLOY = k8sUrn('prod-cn', 'shop', 'Deployment', 'orders-reader');
const SECRET = k8sUrn('prod-cn', 'shop', 'Secret', 'shop-db-credentials');

function nodes(): GraphNodeInput[] {
  const field = (urn: string, parent: string, name: string, source: string, region: string, pii: PiiTag[] = [], extra: Record<string, unknown> = {}): GraphNodeInput =>
    ({ urn, kind: urn.startsWith('mysql') ? 'column' : 'field', name, source, region, parent, props: { path: name, ...extra }, pii });
  return [
    { urn: mysqlUrn('shop-db', 'shop'), kind: 'database', name: 'shop', source: 'shop-db', region: CN, props: {} },
    { urn: TABLE, kind: 'table', name: 'users', source: 'shop-db', region: CN, parent: mysqlUrn('shop-db', 'shop'), props: {} },
    field(col('id'), TABLE, 'id', 'shop-db', CN, [], { type: 'bigint' }),
    field(col('phone'), TABLE, 'phone', 'shop-db', CN, [tag('CN_MOBILE')], { type: 'varchar(20)', fingerprints: fps('a', 10) }),
    field(col('email'), TABLE, 'email', 'shop-db', CN, [tag('EMAIL')], { type: 'varchar(255)' }),
    field(col('id_card'), TABLE, 'id_card', 'shop-db', CN, [tag('CN_RESIDENT_ID', 0.95)], { type: 'char(18)' }),
    {
      urn: TOPIC, kind: 'topic', name: 'shop.shop.users', source: 'events', region: CN,
      props: {
        partitions: 3, debezium: { connector: 'mysql', db: 'shop', table: 'users', name: 'shop' }, consumerGroups: [],
      },
    },
    field(tf('after.id'), TOPIC, 'after.id', 'events', CN, [], { column: 'shop.users.id' }),
    field(tf('after.phone'), TOPIC, 'after.phone', 'events', CN, [tag('CN_MOBILE', 0.8)], { column: 'shop.users.phone' }),
    // Sampling saw only nulls here: the entity must come from lineage.
    field(tf('after.email'), TOPIC, 'after.email', 'events', CN, [], { column: 'shop.users.email' }),
    // Masked by the connector: `************` is not an ID.
    field(tf('after.id_card'), TOPIC, 'after.id_card', 'events', CN, [], { column: 'shop.users.id_card' }),
    field(tf('before.phone'), TOPIC, 'before.phone', 'events', CN),
    {
      urn: BUCKET, kind: 'bucket', name: 'lake-eu', source: 'lake', region: EU,
      props: {},
    },
    { urn: PREFIX, kind: 'prefix', name: 'topics/shop.shop.users', source: 'lake', region: EU, parent: BUCKET, props: {} },
    field(sf('id'), PREFIX, 'id', 'lake', EU),
    field(sf('phone'), PREFIX, 'phone', 'lake', EU, [tag('CN_MOBILE', 0.85)], { fingerprints: fps('a', 8) }),
    field(sf('email'), PREFIX, 'email', 'lake', EU),
    field(sf('id_card'), PREFIX, 'id_card', 'lake', EU),
    { urn: s3Urn('lake', 'lake-cn'), kind: 'bucket', name: 'lake-cn', source: 'lake', region: CN, props: {} },
    { urn: DEPLOY, kind: 'workload', name: 'orders-reader', source: 'prod-cn', region: CN, props: {} },
    { urn: SECRET, kind: 'secret', name: 'shop-db-credentials', source: 'prod-cn', region: CN, props: {} },
  ];
}

function accessRecords(fingerprint: (v: string) => string): CaptureRecord[] {
  const acl = (principal: string, resourceName: string, pattern: string, operation: string): AclEntry => ({ resourceType: 'topic', resourceName, pattern, principal, host: '*', operation, permission: 'allow' });
  const policy = summarisePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake-eu/*' }] }));
  return [
    ...aclRecords({ status: 'present', origin: 'DescribeAcls', acls: [acl('User:*', 'shop.shop.users', 'literal', 'read'), acl('User:analytics', 'shop.', 'prefixed', 'read'), acl('User:ops', 'shop.shop.users', 'literal', 'describe')] }, ['shop.shop.users'], { source: 'events', region: CN, fingerprint }),
    ...bucketAccessRecords({ source: 'lake', region: EU, bucket: 'lake-eu', policy, publicAccessBlock: { status: 'none' }, identity: [], fingerprint, offline: false }),
  ];
}

const connector = (name: string, cls: string, config: Record<string, unknown>) => ({
  apiVersion: 'kafka.strimzi.io/v1beta2', kind: 'KafkaConnector', metadata: { name, namespace: 'kafka', labels: { 'strimzi.io/cluster': 'connect' } },
  spec: { class: cls, tasksMax: 1, config },
});
const cdcConnector = connector('shop-cdc', 'io.debezium.connector.mysql.MySqlConnector', {
  'database.hostname': 'mariadb.shop', 'database.user': 'debezium', 'database.password': '${secrets:kafka/dbz:password}',
  'topic.prefix': 'shop', 'table.include.list': 'shop.users', 'column.mask.with.12.chars': 'shop.users.id_card',
});
const sinkConnector = (bucket: string) => connector('lake-sink', 'io.confluent.connect.s3.S3SinkConnector', {
  topics: 'shop.shop.users', 's3.bucket.name': bucket, 's3.region': 'eu-west-1', 'flush.size': 1000,
  transforms: 'unwrap', 'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
});
const k8sObjects = [
  cdcConnector,
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orders-reader', namespace: 'shop' },
    spec: { template: { spec: { containers: [{ name: 'app', image: 'shop/orders:1', env: [
      { name: 'KAFKA_CONSUMER_TOPIC', value: 'shop.shop.users' },
      { name: 'DATABASE_URL', valueFrom: { secretKeyRef: { name: 'shop-db-credentials', key: 'dsn' } } },
    ] }] } } },
  },
  { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'shop-db-credentials', namespace: 'shop' }, type: 'Opaque', data: { dsn: 'bXlzcWw6Ly91OnBAZGIvc2hvcA==', password: 'cA==' } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'secret-reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reporting-secrets', namespace: 'shop' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reporting', namespace: 'shop' }],
  },
];
const urnOf = (o: { kind: string; metadata: { name: string; namespace: string } }) => k8sUrn('prod-cn', o.metadata.namespace, o.kind, o.metadata.name);

describe('lineage, flows, exposure and route-change analyzers through the store', () => {
  let dir: string;
  let store: Store;
  const prevHome = process.env.DRIFTLINE_HOME;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'driftline-lineage-'));
    process.env.DRIFTLINE_HOME = join(dir, 'home');
    store = Store.open(join(dir, 'ws.driftline'), { create: true });
    for (const [name, kind, region] of [['shop-db', 'mysql', CN], ['events', 'kafka', CN], ['lake', 's3', EU], ['prod-cn', 'kubernetes', CN]]) {
      store.upsertSource({ name, kind, region, config: {}, baseDir: dir });
    }
    store.transaction(() => {
      for (const n of nodes()) store.graph.upsertNode(n);
      // Grants as the kafka and s3 sources write them (DescribeAcls, the bucket policy).
      for (const r of accessRecords((v) => store.fingerprint(v))) {
        if (r.type === 'node') store.graph.upsertNode(r.node);
        else if (r.type === 'edge') store.graph.upsertEdge(r.edge);
      }
      for (const n of nodes()) if (n.parent) store.graph.upsertEdge({ from: n.parent, to: n.urn, kind: 'contains', confidence: 1, evidence: { rule: 'test.capture', detail: 'captured' } });
    });
    // Two snapshots of the cluster: the sink first wrote to lake-cn, then to lake-eu.
    for (const bucket of ['lake-cn', 'lake-eu']) {
      const snap = store.snapshots.begin('prod-cn');
      for (const o of [...k8sObjects, sinkConnector(bucket)]) {
        saveConfigRecord(store, { type: 'config', urn: urnOf(o), content: structuredClone(o), origin: 'live', author: 'ci-bot', time: bucket === 'lake-cn' ? '2024-05-01T10:00:00Z' : '2024-05-02T03:12:00Z' }, snap, (v) => store.fingerprint(v));
      }
      store.snapshots.finish(snap, 'complete', { stats: {}, report: { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } } });
    }
  });

  afterEach(() => {
    store.close();
    if (prevHome === undefined) delete process.env.DRIFTLINE_HOME;
    else process.env.DRIFTLINE_HOME = prevHome;
    rmSync(dir, { recursive: true, force: true });
  });

  const analyze = async () => {
    const results = await runAnalyzers(store, { scanId: 't', signal: new AbortController().signal });
    expect(results.filter((r) => r.error)).toEqual([]);
    return results;
  };
  const findings = <T extends Finding['type']>(type: T) => store.findings.list({ type }).map((f) => f.finding as Extract<Finding, { type: T }>);

  it('links the MySQL column to the S3 field through the CDC topic, field by field', async () => {
    await analyze();
    const down = store.graph.closure(col('phone'), 'downstream');
    const urns = down.nodes.map((n) => n.urn);
    expect(urns).toContain(tf('after.phone'));
    expect(urns).toContain(sf('phone'));
    const cdc = down.edges.find((e) => e.from === col('phone') && e.to === tf('after.phone'))!;
    expect(cdc.kind).toBe('cdc');
    // Both the topic name and the connector config say so.
    expect([cdc.evidence.rule, ...((cdc.evidence.corroboratedBy as string[]) ?? [])].sort()).toEqual(['lineage.debezium-connector-config', 'lineage.debezium-topic-naming']);
    const sink = down.edges.find((e) => e.from === tf('after.phone') && e.to === sf('phone'))!;
    expect(sink.evidence.rule).toBe('lineage.kafka-connect-s3-sink');
    expect(sink.evidence.detail).toContain('s3.bucket.name=lake-eu');
    // The fingerprints of the two phone fields overlap (8 of 10).
    expect(store.graph.allEdges(['same-values']).map((e) => [e.from, e.to])).toEqual([[col('phone'), sf('phone')]]);
  });

  it('gives unsampled fields the PII of the column feeding them, and stops at the masked column', async () => {
    await analyze();
    const topicEmail = store.graph.getNode(tf('after.email'))!.pii ?? [];
    expect(topicEmail).toMatchObject([{ entity: 'EMAIL', inherited: true, via: col('email') }]);
    const s3Email = store.graph.getNode(sf('email'))!.pii ?? [];
    expect(s3Email).toMatchObject([{ entity: 'EMAIL', inherited: true, via: tf('after.email'), origin: col('email') }]);
    for (const urn of [tf('after.id_card'), sf('id_card')]) {
      expect((store.graph.getNode(urn)!.pii ?? []).map((t) => t.entity), urn).not.toContain('CN_RESIDENT_ID');
    }
    const masked = store.graph.allEdges(['cdc']).find((e) => e.from === col('id_card') && e.to === tf('after.id_card'))!;
    expect(masked.evidence.mask).toMatchObject({ kind: 'mask-with-chars' });
    // Own verdicts stay as sampled; inherited ones show as pii findings in the same scan.
    expect(store.graph.getNode(sf('phone'))!.pii).toEqual([tag('CN_MOBILE', 0.85)]);
    expect(findings('pii').filter((f) => f.rule === 'pii.inherited').map((f) => f.urn).sort()).toEqual([sf('email'), tf('after.email'), tf('before.phone')].sort());
  });

  it('reports the CN → EU flow with the entities carried and the path, not the masked ID', async () => {
    await analyze();
    const flows = findings('flow');
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({
      from: TABLE, to: PREFIX, fromRegion: CN, toRegion: EU, entities: ['CN_MOBILE', 'EMAIL'],
      path: [TABLE, connectUrn('prod-cn', 'shop-cdc', 'kafka'), TOPIC, connectUrn('prod-cn', 'lake-sink', 'kafka'), PREFIX], severity: 'high', rule: 'flow.cross-border.cn-export',
    });
    // Every hop names the connector that moved the data, and the Debezium mask on the hop it applies to.
    const hops = (flows[0] as { hops?: { from: string; to: string; masks?: { field: string; kind: string }[] }[] }).hops!;
    expect(hops.map((h) => `${h.from} → ${h.to}`)).toEqual([0, 1, 2, 3].map((i) => `${flows[0].path[i]} → ${flows[0].path[i + 1]}`));
    expect(hops[1].masks).toEqual([expect.objectContaining({ field: col('id_card'), kind: 'mask-with-chars' })]);
    expect(flows[0].evidence).toContain(`${col('email')} → ${sf('email')}`);
    expect(flows[0].evidence).toContain('lineage.kafka-connect-s3-sink');
  });

  it('says who can read the PII: public bucket, Kafka ACLs, and RBAC on the Secret of a PII reader', async () => {
    await analyze();
    const exposures = findings('exposure').map((f) => ({ rule: f.rule, subject: f.subject, resource: f.resource, severity: f.severity, verbs: [...f.verbs].sort() }));
    expect(exposures).toEqual(expect.arrayContaining([
      { rule: 'exposure.everyone', subject: '*', resource: PREFIX, severity: 'critical', verbs: ['s3:GetObject'] },
      { rule: 'exposure.everyone', subject: 'User:*', resource: TOPIC, severity: 'critical', verbs: ['READ'] },
      { rule: 'exposure.access', subject: 'User:analytics', resource: TOPIC, severity: 'low', verbs: ['READ'] },
      { rule: 'exposure.k8s-rbac', subject: 'ServiceAccount:shop/reporting', resource: SECRET, severity: 'high', verbs: ['get', 'list'] },
    ]));
    // Describe is not a read of the data.
    expect(exposures.some((e) => e.subject === 'User:ops')).toBe(false);
    expect(exposures).toHaveLength(4);
    const grants = store.graph.allEdges(['grants']).map((e) => `${e.from} -> ${e.to}`);
    expect(grants).toContain(`${k8sUrn('prod-cn', 'shop', 'ServiceAccount', 'reporting')} -> ${SECRET}`);
    expect(grants).toContain(`${appUrn('lake', 'principals', '*')} -> ${BUCKET}`);
    expect(store.graph.getNode(appUrn('lake', 'principals', '*'))!.kind).toBe('subject');
  });

  it('flags the change of s3.bucket.name that sent the users topic to the EU bucket', async () => {
    await analyze();
    const anomalies = findings('anomaly').filter((f) => f.rule === 'anomaly.pii-route-change');
    expect(anomalies).toHaveLength(1);
    expect(anomalies[0].urn).toBe(SINK_CR);
    expect(anomalies[0].severity).toBe('high');
    expect(anomalies[0].explanation).toContain('s3.bucket.name lake-cn → lake-eu');
    expect(anomalies[0].explanation).toContain(`now goes to ${PREFIX} (${EU})`);
    expect(anomalies[0].explanation).toContain(`no longer goes to ${s3Urn('lake', 'lake-cn')}`);
    expect(anomalies[0].explanation).toContain(`Alters flows: ${TABLE} → ${PREFIX}`);
    // Kept as reasons, the same explanation reads in Chinese.
    const a = anomalies[0] as Extract<Finding, { type: 'anomaly' }>;
    const zh = explainReasons(a.reasons ?? [], 'zh-CN');
    expect(zh).toContain(`现在写入 ${PREFIX} (${EU})`);
    expect(zh).toContain('影响的跨境流动');
  });

  it('flags a removed column mask, and PII then flows past it', async () => {
    const snap = store.snapshots.begin('prod-cn');
    const unmasked = structuredClone(cdcConnector);
    delete (unmasked.spec.config as Record<string, unknown>)['column.mask.with.12.chars'];
    saveConfigRecord(store, { type: 'config', urn: CDC_CR, content: unmasked, origin: 'live', time: '2024-05-03T02:00:00Z' }, snap, (v) => store.fingerprint(v));
    store.snapshots.finish(snap, 'complete', { stats: {}, report: { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } } });
    await analyze();
    const anomaly = findings('anomaly').find((f) => f.urn === CDC_CR)!;
    expect(anomaly.explanation).toContain('mask removed');
    expect(anomaly.severity).toBe('high');
    expect((store.graph.getNode(sf('id_card'))!.pii ?? []).map((t) => t.entity)).toEqual(['CN_RESIDENT_ID']);
    expect(findings('flow')[0].entities).toEqual(['CN_MOBILE', 'CN_RESIDENT_ID', 'EMAIL']);
  });

  it('replaces what it inferred on a re-run instead of adding to it', async () => {
    await analyze();
    const before = { edges: store.graph.counts().edges, findings: store.findings.list().length, email: store.graph.getNode(sf('email'))!.pii };
    await analyze();
    expect({ edges: store.graph.counts().edges, findings: store.findings.list().length, email: store.graph.getNode(sf('email'))!.pii }).toEqual(before);
    // Without the sink connector the inherited entity goes away again.
    const snap = store.snapshots.begin('prod-cn');
    const other = sinkConnector('lake-eu');
    other.spec.config.topics = 'some.other.topic';
    saveConfigRecord(store, { type: 'config', urn: SINK_CR, content: other, origin: 'live' }, snap, (v) => store.fingerprint(v));
    await analyze();
    expect(store.graph.getNode(sf('email'))!.pii ?? []).toEqual([]);
    expect(findings('flow').map((f) => f.path)).toEqual([[TABLE, PREFIX]]);
  });

  it('takes the process props back from a connector that routes nothing any more, and keeps what its source captured', async () => {
    const SINK = connectUrn('prod-cn', 'lake-sink', 'kafka');
    // The sink is also captured by a Connect REST source-like record: its own props must survive.
    store.transaction(() => store.graph.upsertNode({ urn: SINK, kind: 'connector', name: 'lake-sink', source: 'prod-cn', region: CN, props: { state: 'RUNNING', tasks: [{ id: 0, state: 'RUNNING' }] } }));
    await analyze();
    const CDC = connectUrn('prod-cn', 'shop-cdc', 'kafka');
    expect(store.graph.getNode(SINK)!.props).toMatchObject({ state: 'RUNNING', process: 'sink', inputs: [TOPIC], outputs: [PREFIX] });
    expect(store.graph.getNode(CDC)!.props).toMatchObject({ process: 'cdc-source', derivedBy: 'lineage', className: 'io.debezium.connector.mysql.MySqlConnector' });
    expect((store.graph.getNode(CDC)!.props.masks as unknown[]).length).toBeGreaterThan(0);

    // The sink now reads a topic nobody captured, and the CDC connector's config is gone from the cluster.
    const snap = store.snapshots.begin('prod-cn');
    const other = sinkConnector('lake-eu');
    other.spec.config.topics = 'some.other.topic';
    saveConfigRecord(store, { type: 'config', urn: SINK_CR, content: other, origin: 'live' }, snap, (v) => store.fingerprint(v));
    const withoutCdc = structuredClone(cdcConnector);
    (withoutCdc as { kind: string }).kind = 'Unrelated';
    saveConfigRecord(store, { type: 'config', urn: CDC_CR, content: withoutCdc, origin: 'live' }, snap, (v) => store.fingerprint(v));
    await analyze();
    const processKeys = ['process', 'inputs', 'outputs', 'transforms', 'masks', 'config', 'evidence'];
    const sink = store.graph.getNode(SINK)!.props;
    expect(processKeys.filter((k) => k in sink)).toEqual([]);
    expect(sink).toMatchObject({ state: 'RUNNING', tasks: [{ id: 0, state: 'RUNNING' }] });
    const cdc = store.graph.getNode(CDC)!.props;
    expect(Object.keys(cdc)).toEqual(['derivedBy']);
  });
});
