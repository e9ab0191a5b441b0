import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { useTempHome } from '../testing/temp.js';
import { buildDemo } from '../build-demo.js';
import { Store } from '../../shared/node/store/index.js';
import type { Finding } from '../../shared/core/model/finding.js';
import { makePeople } from './synthetic-people.js';

const tmp = useTempHome();
let store: Store;
let findings: Finding[];

beforeAll(async () => {
  const path = tmp.path('demo.driftline');
  await buildDemo(path, { quiet: true });
  store = Store.open(path, { readOnly: true });
  findings = store.findings.list().map((f) => f.finding);
}, 180_000);
afterAll(() => { store?.close(); tmp.cleanup(); });

/** The demo is built by the real scan pipeline from the captures in resources/demo/inputs. */
describe('demo workspace', () => {
  it('has a complete snapshot for every source, and two of the cluster', () => {
    const snaps = store.snapshots.list();
    expect(snaps.every((s) => s.status === 'complete')).toBe(true);
    expect(snaps.map((s) => s.source).sort()).toEqual(['events', 'gitops', 'lake-cn', 'lake-eu', 'prod-cn', 'prod-cn', 'shop-db']);
  });

  it('follows the phone column from MariaDB through the CDC topic into the EU bucket', () => {
    const down = store.graph.closure('mysql://shop-db/shop/users#phone', 'downstream', { depth: 5 }).nodes.map((n) => n.urn);
    expect(down).toEqual(expect.arrayContaining(['kafka://events/shop.shop.users#after.phone', 's3://lake-eu/lake-eu/topics/shop.shop.users#phone']));
  });

  it('finds the cross-border flow cn-north-1 → eu-west-1 with the entities carried', () => {
    const flow = findings.find((f) => f.type === 'flow' && f.urn === 'mysql://shop-db/shop/users' && f.to.includes('lake-eu/topics'));
    expect(flow).toMatchObject({ fromRegion: 'cn-north-1', toRegion: 'eu-west-1', severity: 'high' });
    expect(flow && flow.type === 'flow' ? flow.entities : []).toEqual(expect.arrayContaining(['CN_MOBILE', 'EMAIL']));
    // The path names the topic and both connectors (Strimzi KafkaConnectors in the cluster dump), never "table → object" alone.
    if (flow?.type !== 'flow') throw new Error('no flow');
    expect(flow.path.slice(0, 4)).toEqual(['mysql://shop-db/shop/users', 'connect://prod-cn/kafka/shop-mysql-cdc', 'kafka://events/shop.shop.users', 'connect://prod-cn/kafka/lake-sink']);
    expect(flow.hops?.map((h) => h.to)).toEqual(flow.path.slice(1));
    // The Debezium mask is shown on the hop it applies to.
    expect(flow.hops?.[1].masks?.map((m) => [m.field, m.kind])).toEqual([['mysql://shop-db/shop/users#id_card', 'mask-with-chars']]);
    // One flow per origin → destination: not again from the topic, an intermediate.
    expect(findings.filter((f) => f.type === 'flow' && f.urn === 'kafka://events/shop.shop.users' && f.to === flow.to)).toEqual([]);
  });

  it('does not carry the ID card past the Debezium mask', () => {
    const idCard = store.graph.getNode('mysql://shop-db/shop/users#id_card');
    expect(idCard?.pii?.map((p) => p.entity)).toContain('CN_RESIDENT_ID');
    const topicField = store.graph.getNode('kafka://events/shop.shop.users#after.id_card');
    expect(topicField?.pii?.map((p) => p.entity) ?? []).not.toContain('CN_RESIDENT_ID');
  });

  it('reports the hand-made changes as drift, with the ignored BUILD_ID never as real drift', () => {
    const drift = findings.filter((f) => f.type === 'drift') as Extract<Finding, { type: 'drift' }>[];
    expect(drift).toEqual(expect.arrayContaining([
      expect.objectContaining({ urn: 'k8s://prod-cn/shop/Deployment/checkout', path: '/spec/replicas', desired: 3, live: 5 }),
      expect.objectContaining({ urn: 'k8s://prod-cn/kafka/KafkaConnector/lake-sink', path: '/spec/config/s3.bucket.name', desired: 'lake-cn', live: 'lake-eu' }),
      expect.objectContaining({ rule: 'drift.unmanaged-live', urn: 'k8s://prod-cn/shop/ConfigMap/tmp-export-settings' }),
    ]));
    expect(drift.filter((d) => !d.ignored && JSON.stringify(d).includes('BUILD_ID'))).toEqual([]);
  });

  it('flags the sink moving to an EU bucket as a PII route change', () => {
    expect(findings).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'anomaly', rule: 'anomaly.pii-route-change', urn: 'k8s://prod-cn/kafka/KafkaConnector/lake-sink' })]));
  });

  it('does not report the GitOps repository\'s initial import, nor live changes that match git, as unusual', () => {
    const unusual = findings.filter((f) => f.rule === 'anomaly.unusual-change');
    expect(unusual.length).toBeGreaterThan(0);
    expect(unusual.filter((f) => /Namespace|ServiceAccount shop\/checkout/.test(f.evidence))).toEqual([]);
    expect(unusual.filter((f) => /initial manifests/.test(f.evidence))).toEqual([]);
    // The hand-made live change to checkout did not come through GitOps: it is reported.
    expect(unusual.some((f) => f.type === 'anomaly' && f.urn === 'k8s://prod-cn/shop/Deployment/checkout' && /outside GitOps/.test(f.explanation))).toBe(true);
  });

  it('keeps why a change is unusual as reasons that read in English and Chinese', async () => {
    const { explainReasons } = await import('../../shared/core/drift/anomaly-text.js');
    const bob = findings.find((f) => f.type === 'anomaly' && f.rule === 'anomaly.unusual-change' && /Bob Li/.test(f.evidence));
    expect(bob && bob.type === 'anomaly' ? bob.reasons?.map((r) => r.code) : []).toContain('author-new-namespace');
    if (bob?.type !== 'anomaly' || !bob.reasons) throw new Error('no reasons kept');
    expect(explainReasons(bob.reasons, 'en')).toBe(bob.explanation);
    expect(explainReasons(bob.reasons, 'zh-CN')).toMatch(/作者 Bob Li <bob@example\.cn> 此前从未变更过命名空间 shop/);
  });

  it('answers who can read the phone column from the handed-over grants, with credential chains through the cluster', async () => {
    const { accessForUrn } = await import('../../shared/node/services/access-queries.js');
    const [phone] = accessForUrn(store, 'mysql://shop-db/shop/users#phone');
    const readers = new Map(phone.readers.map((r) => [r.principal, r]));
    // SHOW GRANTS: a schema grant, a global one, a column grant from one network; the role's columns do not include phone.
    expect([...readers.keys()]).toEqual(expect.arrayContaining(['shop_app@%', 'debezium@%', 'support@10.8.%', 'Group:shop-ops', 'ServiceAccount:shop/analytics-export']));
    expect(readers.has('bi_reader@%')).toBe(false);
    expect(readers.get('support@10.8.%')?.grants.map((g) => g.scope)).toEqual(['column']);
    // RBAC → Secret → the database account whose user name the Secret holds → its grant.
    expect(readers.get('Group:shop-ops')?.chain.map((h) => h.relation)).toEqual(['reads-secret', 'credential', 'grant']);
    expect(phone.unknown).toEqual([]);
    // Kafka ACLs: the CDC topic by the Connect cluster (a prefixed ACL) and the export job; the clickstream by anyone (User:*).
    const [topicPhone] = accessForUrn(store, 'kafka://events/shop.shop.users#after.phone');
    expect(topicPhone.readers.map((r) => r.principal).sort()).toEqual(['User:analytics-export', 'User:connect-cluster']);
    const [clicks] = accessForUrn(store, 'kafka://events/web.clickstream#client_ip');
    expect(clicks.readers.some((r) => r.everyone)).toBe(true);
    // S3: the CN bucket's policy and identity policies are known; the EU account's identity policies are not, and that is said.
    const [cn] = accessForUrn(store, 's3://lake-cn/lake-cn/topics/shop.shop.users#phone');
    expect(cn.readers.map((r) => r.principal)).toEqual(expect.arrayContaining(['AWS:arn:aws-cn:iam::123456789012:role/analytics', 'arn:aws-cn:iam::123456789012:user/data-analyst']));
    expect(cn.unknown).toEqual([]);
    const [eu] = accessForUrn(store, 's3://lake-eu/lake-eu/exports#mobile');
    expect(eu.readers.map((r) => r.principal)).toContain('AWS:arn:aws:iam::444455556666:role/eu-partner');
    expect(eu.unknown.map((u) => u.reason).join(' ')).toMatch(/identityPolicies/);
  });

  it('stores no raw personal data: only masked examples and keyed hashes', () => {
    const people = makePeople(240);
    const file = resolve(store.workspace.path);
    const dir = resolve(file, '..');
    const bytes = readdirSync(dir).filter((f) => f.startsWith('demo.driftline')).map((f) => readFileSync(join(dir, f)).toString('utf8')).join('\n');
    expect(statSync(file).size).toBeGreaterThan(0);
    for (const p of people.slice(0, 120)) {
      expect(bytes.includes(p.phone), `phone of person ${p.id}`).toBe(false);
      expect(bytes.includes(p.idCard), `ID of person ${p.id}`).toBe(false);
      expect(bytes.includes(p.email), `email of person ${p.id}`).toBe(false);
    }
    expect(bytes).not.toContain('demo-not-a-real-password');
  });
});
