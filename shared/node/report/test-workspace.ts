import { Store } from '../store/index.js';
import type { Finding } from '../../core/model/finding.js';

/**
 * A small but complete workspace built through the Store API, shared by the report and bundle tests:
 * five sources in two regions, a chain of three snapshots for shop-db, PII columns with masked
 * Chinese examples, a CDC → sink flow into the EU, and one finding of every type.
 *
 * RAW_VALUES are the values the masks were derived from. They are never stored; tests assert that
 * they (and their keyed fingerprints, which ARE stored in node props) never reach an output.
 */

/** The evidence of the test flow's hops: long, with words that an ellipsis would cut. */
export const FLOW_HOP_DETAILS = [
  'Debezium MySqlConnector shop-cdc (database.server.name=shop, table.include.list=shop.users) writes each row change of shop.users into topic shop.users; the column phone appears as after.phone in the value schema',
  'Kafka Connect S3SinkConnector lake-sink (topics=shop.users, s3.bucket.name=lake-eu, s3.region=eu-west-1, format.class=JsonFormat) writes every message of shop.users under s3://lake/lake-eu/users/ partitioned by hour',
];
export const RAW_VALUES = { phone: '13812345678', name: '张三', address: '北京市朝阳区建国路88号', idCard: '110105199003071234' };
export const MASKED = { phone: '138****5678', name: '张*', address: '北京市朝阳区****', idCard: '110***********1234' };

const EMPTY_REPORT = { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } };

export interface TestWorkspace {
  store: Store;
  /** Snapshot ids by name: shop1 → shop2 → shop3 is one chain. */
  snapshots: Record<'shop1' | 'events' | 'lake' | 'prodCn' | 'shop2' | 'gitops' | 'shop3', number>;
  fingerprints: string[];
}

export function buildTestWorkspace(path: string): TestWorkspace {
  const store = Store.open(path, { create: true });
  const src = (name: string, kind: string, region: string) => store.upsertSource({ name, kind, region, config: { name, kind, region }, baseDir: '/audit' });
  src('shop-db', 'mysql', 'cn-north-1');
  src('events', 'kafka', 'cn-north-1');
  src('lake', 's3', 'eu-west-1');
  src('prod-cn', 'kubernetes', 'cn-north-1');
  src('gitops', 'git', 'cn-north-1');

  let t = Date.parse('2026-11-01T08:00:00Z');
  const snap = (source: string): number => {
    const id = store.snapshots.begin(source, new Date((t += 3_600_000)).toISOString());
    return id;
  };
  const done = (id: number, hash: string, stats: Record<string, number>) => store.snapshots.finish(id, 'complete', { contentHash: hash, stats, report: EMPTY_REPORT });
  const h = (c: string) => c.repeat(64);
  const fingerprints = [store.fingerprint(RAW_VALUES.phone), store.fingerprint(RAW_VALUES.name), store.fingerprint(RAW_VALUES.address)];

  const snapshots = {} as TestWorkspace['snapshots'];
  store.transaction(() => {
    snapshots.shop1 = snap('shop-db');
    const users = 'mysql://shop-db/shop/users';
    store.graph.upsertNode({ urn: 'mysql://shop-db/shop', kind: 'database', name: 'shop', source: 'shop-db', region: 'cn-north-1' }, snapshots.shop1);
    store.graph.upsertNode({ urn: users, kind: 'table', name: 'users', source: 'shop-db', region: 'cn-north-1', parent: 'mysql://shop-db/shop' }, snapshots.shop1);
    done(snapshots.shop1, h('a'), { tables: 1 });

    snapshots.events = snap('events');
    store.graph.upsertNode({ urn: 'kafka://events/shop.users', kind: 'topic', name: 'shop.users', source: 'events', region: 'cn-north-1' }, snapshots.events);
    store.graph.upsertNode({ urn: 'kafka://events/shop.users#after.phone', kind: 'field', name: 'after.phone', source: 'events', region: 'cn-north-1', parent: 'kafka://events/shop.users',
      pii: [{ entity: 'CN_MOBILE', confidence: 0.97, matches: 188, sampled: 200, examples: [MASKED.phone] }] }, snapshots.events);
    store.graph.upsertNode({ urn: 'kafka://events/shop.users#after.name', kind: 'field', name: 'after.name', source: 'events', region: 'cn-north-1', parent: 'kafka://events/shop.users' }, snapshots.events);
    done(snapshots.events, h('b'), { topics: 1 });

    snapshots.lake = snap('lake');
    store.graph.upsertNode({ urn: 's3://lake/lake-eu/users', kind: 'prefix', name: 'users/', source: 'lake', region: 'eu-west-1' }, snapshots.lake);
    store.graph.upsertNode({ urn: 's3://lake/lake-eu/users#phone', kind: 'field', name: 'phone', source: 'lake', region: 'eu-west-1', parent: 's3://lake/lake-eu/users',
      pii: [{ entity: 'CN_MOBILE', confidence: 0.9, matches: 45, sampled: 50, examples: [MASKED.phone] }] }, snapshots.lake);
    store.graph.upsertNode({ urn: 's3://lake/lake-eu/users#name', kind: 'field', name: 'name', source: 'lake', region: 'eu-west-1', parent: 's3://lake/lake-eu/users' }, snapshots.lake);
    done(snapshots.lake, h('c'), { objects: 12 });

    snapshots.prodCn = snap('prod-cn');
    store.graph.upsertNode({ urn: 'app://prod-cn/shop/order-service', kind: 'workload', name: 'order-service', source: 'prod-cn', region: 'cn-north-1' }, snapshots.prodCn);
    store.graph.upsertNode({ urn: 'k8s://prod-cn/shop/Secret/db-creds', kind: 'secret', name: 'db-creds', source: 'prod-cn', region: 'cn-north-1' }, snapshots.prodCn);
    store.graph.upsertNode({ urn: 'k8s://prod-cn/shop/ServiceAccount/reporter', kind: 'subject', name: 'reporter', source: 'prod-cn', region: 'cn-north-1' }, snapshots.prodCn);
    store.graph.upsertNode({ urn: 'k8s://prod-cn/shop/ConfigMap/shop-config', kind: 'configmap', name: 'shop-config', source: 'prod-cn', region: 'cn-north-1' }, snapshots.prodCn);
    done(snapshots.prodCn, h('d'), { objects: 4 });

    snapshots.shop2 = snap('shop-db');
    const col = (c: string, pii?: { entity: string; examples: string[]; matches: number; confidence: number }) => store.graph.upsertNode({
      urn: `${users}#${c}`, kind: 'column', name: c, source: 'shop-db', region: 'cn-north-1', parent: users,
      props: { type: 'varchar(64)', fingerprints },
      pii: pii ? [{ entity: pii.entity, confidence: pii.confidence, matches: pii.matches, sampled: 1000, examples: pii.examples }] : undefined,
    }, snapshots.shop2);
    col('phone', { entity: 'CN_MOBILE', examples: [MASKED.phone, '139****0001'], matches: 981, confidence: 0.98 });
    col('name', { entity: 'PERSON_NAME', examples: [MASKED.name, '李*'], matches: 940, confidence: 0.81 });
    col('address', { entity: 'ADDRESS', examples: [MASKED.address], matches: 903, confidence: 0.74 });
    col('id_card', { entity: 'CN_RESIDENT_ID', examples: [MASKED.idCard], matches: 1000, confidence: 0.99 });
    col('created_at');
    store.graph.upsertNode({ urn: users, kind: 'table', name: 'users', source: 'shop-db', region: 'cn-north-1', parent: 'mysql://shop-db/shop' }, snapshots.shop2);
    done(snapshots.shop2, h('e'), { tables: 1, columns: 5 });

    snapshots.gitops = snap('gitops');
    done(snapshots.gitops, h('f'), { files: 3 });

    snapshots.shop3 = snap('shop-db');
    store.graph.upsertNode({ urn: 'mysql://shop-db/shop/orders', kind: 'table', name: 'orders', source: 'shop-db', region: 'cn-north-1', parent: 'mysql://shop-db/shop' }, snapshots.shop3);
    done(snapshots.shop3, h('1'), { tables: 2 });

    // Lineage (analyzer-made edges have no snapshot; captured ones carry theirs).
    const e = (from: string, to: string, kind: 'contains' | 'cdc' | 'sinks' | 'reads' | 'grants', snapshot: number | null, rule = `lineage.${kind}`) =>
      store.graph.upsertEdge({ from, to, kind, confidence: 0.9, evidence: { rule, detail: `${kind} ${from} → ${to}` } }, snapshot);
    for (const c of ['phone', 'name', 'address', 'id_card', 'created_at']) e(users, `${users}#${c}`, 'contains', snapshots.shop2);
    e('kafka://events/shop.users', 'kafka://events/shop.users#after.phone', 'contains', snapshots.events);
    e('kafka://events/shop.users', 'kafka://events/shop.users#after.name', 'contains', snapshots.events);
    e('s3://lake/lake-eu/users', 's3://lake/lake-eu/users#phone', 'contains', snapshots.lake);
    e('s3://lake/lake-eu/users', 's3://lake/lake-eu/users#name', 'contains', snapshots.lake);
    e(users, 'kafka://events/shop.users', 'cdc', null);
    e(`${users}#phone`, 'kafka://events/shop.users#after.phone', 'cdc', null);
    e(`${users}#name`, 'kafka://events/shop.users#after.name', 'cdc', null);
    e('kafka://events/shop.users', 's3://lake/lake-eu/users', 'sinks', null);
    e('kafka://events/shop.users#after.phone', 's3://lake/lake-eu/users#phone', 'sinks', null);
    e('kafka://events/shop.users#after.name', 's3://lake/lake-eu/users#name', 'sinks', null);
    e('app://prod-cn/shop/order-service', users, 'reads', snapshots.prodCn);
    e('k8s://prod-cn/shop/ServiceAccount/reporter', 'k8s://prod-cn/shop/Secret/db-creds', 'grants', snapshots.prodCn);

    // Config versions and changes (the timeline).
    const cm = 'k8s://prod-cn/shop/ConfigMap/shop-config';
    const v1 = store.configs.add({ urn: cm, origin: 'desired', snapshotId: snapshots.gitops, contentHash: h('2'), contentJson: JSON.stringify({ data: { region: 'cn-north-1', office: '上海市浦东新区' } }), author: '王芳', time: '2026-11-01T09:00:00Z', message: '初始配置', revision: 'abc123' });
    const v2 = store.configs.add({ urn: cm, origin: 'live', snapshotId: snapshots.prodCn, contentHash: h('3'), contentJson: JSON.stringify({ data: { region: 'eu-west-1', office: '北京市朝阳区' } }), author: null, time: '2026-11-01T12:00:00Z', message: null, revision: null });
    store.configs.addChange({ urn: cm, origin: 'desired', change: 'added', patch: [{ op: 'add', path: '', value: {} }], time: '2026-11-01T09:00:00Z', author: '王芳', fromVersion: null, toVersion: v1 });
    store.configs.addChange({ urn: cm, origin: 'live', change: 'modified', patch: [{ op: 'replace', path: '/data/region', value: 'eu-west-1' }, { op: 'replace', path: '/data/office', value: '北京市朝阳区' }], time: '2026-11-02T03:12:00Z', author: '张伟', fromVersion: v1, toVersion: v2 });
    store.configs.setSchema('prod-cn', 'ConfigMap', { type: 'object' });

    const findings: Array<[Finding, string, number | null]> = [
      [{ type: 'pii', rule: 'pii.cn-mobile', urn: `${users}#phone`, severity: 'high', confidence: 0.98, evidence: '981/1000 sampled values are CN mobile numbers', entity: 'CN_MOBILE', matches: 981, sampled: 1000, examples: [MASKED.phone, '139****0001'] }, 'shop-db', snapshots.shop2],
      [{ type: 'pii', rule: 'pii.person-name', urn: `${users}#name`, severity: 'medium', confidence: 0.81, evidence: 'column name hint 姓名 + value shape', entity: 'PERSON_NAME', matches: 940, sampled: 1000, examples: [MASKED.name, '李*'] }, 'shop-db', snapshots.shop2],
      [{ type: 'pii', rule: 'pii.address', urn: `${users}#address`, severity: 'medium', confidence: 0.74, evidence: 'column name hint 地址', entity: 'ADDRESS', matches: 903, sampled: 1000, examples: [MASKED.address] }, 'shop-db', snapshots.shop2],
      [{ type: 'pii', rule: 'pii.cn-resident-id', urn: `${users}#id_card`, severity: 'critical', confidence: 0.99, evidence: 'GB 11643 checksum valid in 1000/1000', entity: 'CN_RESIDENT_ID', matches: 1000, sampled: 1000, examples: [MASKED.idCard] }, 'shop-db', snapshots.shop2],
      [{ type: 'pii', rule: 'pii.cn-mobile', urn: 'kafka://events/shop.users#after.phone', severity: 'high', confidence: 0.97, evidence: '188/200 sampled messages', entity: 'CN_MOBILE', matches: 188, sampled: 200, examples: [MASKED.phone] }, 'events', snapshots.events],
      [{ type: 'drift', rule: 'drift.modified', urn: cm, severity: 'high', confidence: 1, evidence: 'live differs from git', path: '/data/office', desired: '上海市浦东新区', live: '北京市朝阳区' }, 'drift', null],
      [{ type: 'drift', rule: 'drift.modified', urn: cm, severity: 'medium', confidence: 1, evidence: 'live differs from git', path: '/data/region', desired: 'cn-north-1', live: 'eu-west-1' }, 'drift', null],
      [{ type: 'flow', rule: 'flow.cross-border', urn: `${users}#phone`, severity: 'critical', confidence: 0.9, evidence: 'CDC topic sunk into an EU bucket', from: `${users}#phone`, to: 's3://lake/lake-eu/users#phone', fromRegion: 'cn-north-1', toRegion: 'eu-west-1', entities: ['CN_MOBILE'], path: [`${users}#phone`, 'kafka://events/shop.users#after.phone', 's3://lake/lake-eu/users#phone'],
        // Long evidence on purpose: the report must print every hop's evidence in full (issue #13).
        hops: [
          { from: `${users}#phone`, to: 'kafka://events/shop.users#after.phone', kind: 'cdc', rule: 'debezium-topic-naming', confidence: 0.95, detail: FLOW_HOP_DETAILS[0] },
          { from: 'kafka://events/shop.users#after.phone', to: 's3://lake/lake-eu/users#phone', kind: 'sinks', rule: 'kafka-connect-s3-sink', confidence: 0.9, detail: FLOW_HOP_DETAILS[1], masks: [{ field: 'kafka://events/shop.users#after.id_card', kind: 'hash', detail: 'MaskField$Value id_card replaced with its SHA-256' }] },
        ] }, 'lineage', null],
      [{ type: 'exposure', rule: 'exposure.secret-read', urn: 'k8s://prod-cn/shop/Secret/db-creds', severity: 'high', confidence: 1, evidence: 'Role reader-all grants get on secrets', subject: 'ServiceAccount shop/reporter', verbs: ['get', 'list'], resource: 'k8s://prod-cn/shop/Secret/db-creds' }, 'rbac', null],
      [{ type: 'anomaly', rule: 'anomaly.change', urn: cm, severity: 'medium', confidence: 0.8, evidence: 'unusual time and author', score: 0.93, explanation: '凌晨 03:12 由 张伟 修改（首次修改此对象）; 2 keys touched at an unusual hour' }, 'anomaly', null],
    ];
    for (const [f, producer, s] of findings) store.findings.add(f, producer, s);
  });
  return { store, snapshots, fingerprints };
}
