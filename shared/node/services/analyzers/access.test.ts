import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexAccess, whoCanRead } from '../../../core/access/resolve.js';
import type { Finding } from '../../../core/model/finding.js';
import type { PiiTag } from '../../../core/model/graph.js';
import { kafkaUrn, mysqlUrn, s3Urn } from '../../../core/model/urn.js';
import { aclRecords } from '../../sources/kafka/acls.js';
import { ObjectRecordBuilder } from '../../sources/kubernetes/object-records.js';
import { grantRecords } from '../../sources/mysql/grants.js';
import { parseShowGrants } from '../../sources/mysql/show-grants.js';
import { bucketAccessRecords } from '../../sources/s3/access.js';
import { summarisePolicy } from '../../sources/s3/policy.js';
import type { CaptureRecord } from '../../sources/source.js';
import { Store } from '../../store/index.js';
import { runAnalyzers } from '../analyze.js';
import { saveConfigRecord } from '../config-versions.js';

/**
 * Kubernetes credential chains: a subject that can read a Secret holding a database, Kafka or S3
 * credential acts as that account. The records are the ones the sources yield (Secret values
 * hashed by the kubernetes source, user names and access key ids hashed by the mysql, kafka and
 * s3 sources with the same workspace key), applied to a real workspace; the analyzers join them.
 */
const CN = 'cn-north-1';
const tag = (entity: string): PiiTag => ({ entity, confidence: 0.9, matches: 45, sampled: 50, examples: ['u***@example.org'] });
const EMAIL = mysqlUrn('shop-db', 'shop', 'users', 'email');
const TOPIC_EMAIL = kafkaUrn('events', 'customers', 'email');
const OBJECT_EMAIL = s3Urn('lake', 'lake-cn', 'pii/users', 'email');
const b64 = (s: string) => Buffer.from(s).toString('base64');

const secret = (ns: string, name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: ns }, type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) });
const K8S = [
  secret('shop', 'db-creds', { username: 'report', password: 'p4ss' }),
  secret('shop', 'kafka-creds', { 'sasl-username': 'etl', 'sasl-password': 'k4fka' }),
  secret('shop', 'lake-keys', { AWS_ACCESS_KEY_ID: 'AKIAREPORTER0000001', AWS_SECRET_ACCESS_KEY: 'wJalr' }),
  // The same user name without a secret half is not a credential.
  secret('shop', 'just-a-name', { username: 'analyst' }),
  { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reporting', namespace: 'shop' } },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'db-creds-reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['db-creds'], verbs: ['get'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reporting-db', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'db-creds-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reporting', namespace: 'shop' }] },
  // A ServiceAccount of another namespace that can read every Secret of shop.
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'secret-reader' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }] },
  { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'ci-reads-shop', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'secret-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }] },
  {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'report-job', namespace: 'shop' },
    spec: { template: { spec: { serviceAccountName: 'reporting', containers: [{ name: 'job', image: 'shop/report:1', env: [{ name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'username' } } }, { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } }] }] } } },
  },
];

const GRANTS = `GRANT USAGE ON *.* TO \`report\`@\`%\` IDENTIFIED BY PASSWORD '*A4B6157319038724E3560894F7F932C8886EBFCF'
GRANT SELECT (\`id\`, \`email\`) ON \`shop\`.\`users\` TO \`report\`@\`%\`
GRANT SELECT ON \`shop\`.* TO \`analyst\`@\`%\``;

function statementsOf(doc: unknown) {
  const s = summarisePolicy(JSON.stringify(doc));
  if (s.status !== 'present') throw new Error('test policy does not parse');
  return s.statements;
}

function sourceRecords(fingerprint: (v: string) => string): { k8s: CaptureRecord[]; other: CaptureRecord[] } {
  const builder = new ObjectRecordBuilder({ source: 'prod-cn', region: CN, fingerprint });
  const k8s = [...K8S.flatMap((o) => [...builder.records(o)]), ...builder.finish()];
  const node = (urn: string, kind: 'database' | 'table' | 'column' | 'topic' | 'field' | 'bucket' | 'prefix', source: string, parent?: string, pii?: PiiTag[]): CaptureRecord =>
    ({ type: 'node', node: { urn, kind, name: urn.slice(urn.lastIndexOf('/') + 1), source, region: CN, parent, props: {}, pii } });
  const catalog = new Map([['shop', new Map([['users', new Set(['id', 'email'])]])]]);
  const other: CaptureRecord[] = [
    node(mysqlUrn('shop-db', 'shop'), 'database', 'shop-db'),
    node(mysqlUrn('shop-db', 'shop', 'users'), 'table', 'shop-db', mysqlUrn('shop-db', 'shop')),
    node(EMAIL, 'column', 'shop-db', mysqlUrn('shop-db', 'shop', 'users'), [tag('EMAIL')]),
    ...grantRecords(parseShowGrants(GRANTS), catalog, { source: 'shop-db', region: CN, origin: 'SHOW GRANTS', fingerprint }),
    node(kafkaUrn('events', 'customers'), 'topic', 'events'),
    node(TOPIC_EMAIL, 'field', 'events', kafkaUrn('events', 'customers'), [tag('EMAIL')]),
    ...aclRecords({ status: 'present', origin: 'DescribeAcls', acls: [{ resourceType: 'topic', resourceName: 'customers', pattern: 'literal', principal: 'User:etl', host: '*', operation: 'read', permission: 'allow' }] }, ['customers'], { source: 'events', region: CN, fingerprint }),
    node(s3Urn('lake', 'lake-cn'), 'bucket', 'lake'),
    node(s3Urn('lake', 'lake-cn', 'pii'), 'prefix', 'lake', s3Urn('lake', 'lake-cn')),
    node(s3Urn('lake', 'lake-cn', 'pii/users'), 'prefix', 'lake', s3Urn('lake', 'lake-cn', 'pii')),
    node(OBJECT_EMAIL, 'field', 'lake', s3Urn('lake', 'lake-cn', 'pii/users'), [tag('EMAIL')]),
    ...bucketAccessRecords({
      source: 'lake', region: CN, bucket: 'lake-cn', policy: summarisePolicy('{"Statement":[]}'), publicAccessBlock: { status: 'none' }, fingerprint, offline: false,
      identity: [{ principal: 'AWS:arn:aws:iam::111122223333:user/reporter', accessKeyIds: ['AKIAREPORTER0000001'], origin: 'identityPolicies', statements: statementsOf({ Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake-cn/*' }] }) }],
    }),
  ];
  return { k8s, other };
}

describe('credential chains through a workspace', () => {
  let dir: string;
  let store: Store;
  const prevHome = process.env.DRIFTLINE_HOME;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'driftline-access-'));
    process.env.DRIFTLINE_HOME = join(dir, 'home');
    store = Store.open(join(dir, 'ws.driftline'), { create: true });
    for (const [name, kind] of [['shop-db', 'mysql'], ['events', 'kafka'], ['lake', 's3'], ['prod-cn', 'kubernetes']]) store.upsertSource({ name, kind, region: CN, config: {}, baseDir: dir });
    const { k8s, other } = sourceRecords((v) => store.fingerprint(v));
    const snap = store.snapshots.begin('prod-cn');
    store.transaction(() => {
      for (const r of [...k8s, ...other]) {
        if (r.type === 'node') store.graph.upsertNode(r.node);
        else if (r.type === 'edge') store.graph.upsertEdge(r.edge);
        else if (r.type === 'config') saveConfigRecord(store, r, snap, (v) => store.fingerprint(v));
      }
    });
    store.snapshots.finish(snap, 'complete', { stats: {}, report: { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } } });
    const results = await runAnalyzers(store, { scanId: 't', signal: new AbortController().signal });
    expect(results.filter((r) => r.error)).toEqual([]);
  });

  afterEach(() => {
    store.close();
    if (prevHome === undefined) delete process.env.DRIFTLINE_HOME;
    else process.env.DRIFTLINE_HOME = prevHome;
    rmSync(dir, { recursive: true, force: true });
  });

  const answer = (urn: string) => whoCanRead(indexAccess(store.graph.nodesWhere(), store.graph.allEdges()), urn);
  const who = (urn: string) => [...new Set(answer(urn).readers.map((r) => r.principal))].sort();

  it('MySQL: the account, the workload using its Secret, and every subject that can read the Secret', () => {
    expect(who(EMAIL)).toEqual(['Deployment shop/report-job', 'ServiceAccount:ci/deployer', 'ServiceAccount:shop/reporting', 'analyst@%', 'report@%']);
    const sa = answer(EMAIL).readers.find((r) => r.principal === 'ServiceAccount:shop/reporting')!;
    expect(sa.via).toBe('credential');
    expect(sa.chain.map((h) => h.relation)).toEqual(['reads-secret', 'credential', 'grant']);
    expect(sa.chain.map((h) => h.text).join(' → ')).toMatch(/^ServiceAccount:shop\/reporting can read Secret shop\/db-creds: .*→ Secret shop\/db-creds holds the credential of report@% \[key "username" of k8s:\/\/prod-cn\/shop\/Secret\/db-creds .*\] → report@%: SELECT on shop\.users\(email\)/);
  });

  it('a Secret holding only a user name (no password) is not a credential', () => {
    const edges = store.graph.allEdges(['grants']).filter((e) => e.evidence.rule === 'access.credential').map((e) => `${e.from} -> ${e.to}`).sort();
    expect(edges).toEqual([
      'k8s://prod-cn/shop/Secret/db-creds -> app://shop-db/principals/report@%25',
      'k8s://prod-cn/shop/Secret/kafka-creds -> app://events/principals/User:etl',
      'k8s://prod-cn/shop/Secret/lake-keys -> app://lake/principals/AWS:arn:aws:iam::111122223333:user%2Freporter',
    ]);
  });

  it('Kafka and S3: the principal, and the subjects that can read its Secret (not the one limited to db-creds)', () => {
    expect(who(TOPIC_EMAIL)).toEqual(['ServiceAccount:ci/deployer', 'User:etl']);
    expect(who(OBJECT_EMAIL)).toEqual(['AWS:arn:aws:iam::111122223333:user/reporter', 'ServiceAccount:ci/deployer']);
  });

  it('exposure findings: the other namespace acting with shop credentials is high; no raw value anywhere', () => {
    const findings = store.findings.list({ type: 'exposure' }).map((f) => f.finding as Extract<Finding, { type: 'exposure' }>);
    const cross = findings.filter((f) => f.rule === 'exposure.cross-namespace').map((f) => [f.subject, f.resource, f.severity]).sort();
    expect(cross).toEqual([
      ['ServiceAccount:ci/deployer', kafkaUrn('events', 'customers'), 'high'],
      ['ServiceAccount:ci/deployer', mysqlUrn('shop-db', 'shop', 'users'), 'high'],
      ['ServiceAccount:ci/deployer', s3Urn('lake', 'lake-cn', 'pii/users'), 'high'],
    ]);
    expect(findings.find((f) => f.rule === 'exposure.credential-chain' && f.subject === 'ServiceAccount:shop/reporting')?.severity).toBe('medium');
    const text = JSON.stringify([findings, store.graph.allEdges()]);
    for (const raw of ['p4ss', 'k4fka', 'AKIAREPORTER0000001', 'wJalr', '*A4B6157319038724E3560894F7F932C8886EBFCF']) expect(text).not.toContain(raw);
  });
});
