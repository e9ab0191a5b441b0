/**
 * Writes the demo workspace's INPUTS under resources/demo/inputs: captures in the formats an auditor
 * is handed (a `kubectl get -o json` dump, a GitOps history, a kcat -J dump of CDC topics, a copied
 * S3 store, a decoded MariaDB binlog — the last one by scripts/demo/capture-mysql-binlog.ts against a
 * real MariaDB). All people are synthetic and seeded, so the files are the same on every run.
 * Who may read what is handed over too: Kafka ACLs as `kafka-acls --list` prints them, S3 bucket
 * policies as `aws s3api get-bucket-policy` prints them, IAM identity policies of the CN account, and
 * the MariaDB grants (SHOW GRANTS output, from scripts/demo/capture-mysql-grants.ts); the cluster's
 * RBAC is in the kubectl dump.
 * Run: node --import tsx scripts/demo/generate-inputs.ts   (the outputs are committed)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, stringify } from 'yaml';
import { makeOrders, makePeople, seededRandom, type Person } from './synthetic-people.js';
import { asLive, kafkaConnectorCrd, shopManifests, type ShopVersion } from './k8s-objects.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'resources', 'demo', 'inputs');
const CORPORA = resolve(ROOT, '..', 'shared', 'corpora');

const write = (rel: string, text: string) => {
  const path = join(OUT, rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};

export const PEOPLE = makePeople(240);
export const ORDERS = makeOrders(PEOPLE, 400);

// --- GitOps history: what was approved, commit by commit -------------------------------------
const V1: ShopVersion = { checkoutImage: 'registry.example.cn/shop/checkout:1.8.1', checkoutReplicas: 3, sinkBucket: 'lake-cn', sinkRegion: 'cn-north-1', withAnalytics: false };
const V2: ShopVersion = { ...V1, checkoutImage: 'registry.example.cn/shop/checkout:1.8.2' };
const V3: ShopVersion = { ...V2, withAnalytics: true };
const COMMITS = [
  { author: 'Alice Chen', email: 'alice@example.cn', date: '2026-10-01T09:12:00+08:00', message: 'shop: initial manifests, CDC to lake-cn', version: V1 },
  { author: 'Bob Li', email: 'bob@example.cn', date: '2026-10-20T14:40:00+08:00', message: 'checkout 1.8.2 (payment retries)', version: V2 },
  { author: 'Alice Chen', email: 'alice@example.cn', date: '2026-11-10T10:05:00+08:00', message: 'analytics-export job reading shop.shop.users', version: V3 },
];

function writeGitops(): void {
  COMMITS.forEach((c, i) => {
    const dir = `gitops/commits/${String(i + 1).padStart(3, '0')}`;
    write(`${dir}/commit.json`, JSON.stringify({ author: c.author, email: c.email, date: c.date, message: c.message }, null, 2) + '\n');
    const docs = shopManifests(c.version);
    write(`${dir}/tree/clusters/prod-cn/shop.yaml`, docs.filter((d) => (d as any).metadata.namespace !== 'kafka' && d.kind !== 'Namespace').map((d) => stringify(d)).join('---\n'));
    write(`${dir}/tree/clusters/prod-cn/namespaces.yaml`, docs.filter((d) => d.kind === 'Namespace').map((d) => stringify(d)).join('---\n'));
    write(`${dir}/tree/clusters/prod-cn/connectors.yaml`, docs.filter((d) => (d as any).metadata.namespace === 'kafka').map((d) => stringify(d)).join('---\n'));
  });
  write('gitops/driftignore.yaml', stringify([{ kind: 'Deployment', namespace: 'shop', name: 'checkout', pointer: '/spec/template/spec/containers[name=checkout]/env[name=BUILD_ID]' }]));
}

// --- Live cluster dumps: what was running ---------------------------------------------------------
function boutiqueObjects(): Record<string, unknown>[] {
  const file = join(CORPORA, 'microservices-demo', 'release', 'kubernetes-manifests.yaml');
  if (!existsSync(file)) throw new Error(`${file} not found: the generator reads the public corpora beside the checkout`);
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Record<string, any> | null)
    .filter((d): d is Record<string, any> => !!d && typeof d.kind === 'string')
    .map((d) => ({ ...d, metadata: { ...d.metadata, namespace: 'boutique' } }));
}

function kubectlList(items: Record<string, unknown>[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', metadata: { resourceVersion: '' }, items }, null, 2) + '\n';
}

function writeLiveDumps(): void {
  const boutique = boutiqueObjects();
  // The boutique manifests are Apache-2.0: their license travels with them.
  write('k8s/LICENSE.microservices-demo', readFileSync(join(CORPORA, 'microservices-demo', 'LICENSE'), 'utf8'));
  const older = [...shopManifests({ ...V2 }), kafkaConnectorCrd, ...boutique].map((o) => asLive(o, '2026-10-21T02:00:00Z'));
  write('k8s/prod-cn-2026-11-01.json', kubectlList(older));
  // Today: someone scaled checkout by hand, added a debug flag, pointed the lake sink at an EU bucket,
  // and analytics-export (approved) reads the users topic. None of the hand changes is in git.
  const today = shopManifests({ ...V3, checkoutReplicas: 5, sinkBucket: 'lake-eu', sinkRegion: 'eu-west-1', checkoutExtraEnv: [{ name: 'DEBUG_PAYLOADS', value: 'true' }] });
  today.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'tmp-export-settings', namespace: 'shop' }, data: { EXPORT_BUCKET: 's3://lake-eu/exports', OWNER: 'contractor-7' } });
  write('k8s/prod-cn.json', kubectlList([...today, kafkaConnectorCrd, ...boutique].map((o) => asLive(o, '2026-11-20T01:00:00Z'))));
}

// --- Kafka: Debezium CDC topics as a kcat -J dump ------------------------------------------------
function debezium(table: string, row: Record<string, unknown>, ts: number) {
  return { before: null, after: row, source: { version: '2.7.0.Final', connector: 'mysql', name: 'shop', ts_ms: ts, db: 'shop', table, server_id: 1, file: 'mysql-bin.000003', pos: 4 + ts % 100000, row: 0 }, op: 'c', ts_ms: ts };
}

const userRow = (p: Person, maskId: boolean) => ({ id: p.id, name: p.name, phone: p.phone, email: p.email, id_card: maskId ? '************' : p.idCard, birthday: p.birthday, address: p.address, created_at: p.createdAt });

function writeKafkaDump(): void {
  const lines: string[] = [];
  let offset = 0;
  const base = Date.UTC(2026, 10, 19, 8, 0, 0);
  for (const p of PEOPLE.slice(0, 200)) {
    const ts = base + offset * 1000;
    lines.push(JSON.stringify({ topic: 'shop.shop.users', partition: 0, offset: offset++, tstype: 'create', ts, broker: 0, key: JSON.stringify({ id: p.id }), payload: JSON.stringify(debezium('users', userRow(p, true), ts)) }));
  }
  offset = 0;
  for (const o of ORDERS.slice(0, 200)) {
    const ts = base + offset * 1000;
    lines.push(JSON.stringify({ topic: 'shop.shop.orders', partition: offset % 2, offset: offset++, tstype: 'create', ts, broker: 0, key: JSON.stringify({ order_no: o.orderNo }), payload: JSON.stringify(debezium('orders', { order_no: o.orderNo, user_id: o.userId, amount_cents: o.amountCents, status: o.status, created_at: o.createdAt }, ts)) }));
  }
  const rnd = seededRandom(99);
  for (let i = 0; i < 150; i++) {
    const ts = base + i * 3000;
    const ip = `${[36, 58, 101, 112, 123][i % 5]}.${Math.floor(rnd() * 255)}.${Math.floor(rnd() * 255)}.${1 + Math.floor(rnd() * 250)}`;
    const lat = (22 + rnd() * 18).toFixed(5);
    const lng = (103 + rnd() * 18).toFixed(5);
    lines.push(JSON.stringify({ topic: 'web.clickstream', partition: 0, offset: i, tstype: 'create', ts, broker: 0, key: null, payload: JSON.stringify({ session: `s-${(i * 7919).toString(36)}`, page: ['/', '/cart', '/checkout', '/product/42'][i % 4], client_ip: ip, location: `${lat},${lng}`, ua: 'Mozilla/5.0' }) }));
  }
  write('kafka/events.jsonl', lines.join('\n') + '\n');
}

// --- S3: what the sink wrote (a copied store <dir>/<bucket>/<key>) ----------------------------------
function writeS3(): void {
  const chunk = (people: Person[]) => people.map((p) => JSON.stringify(userRow(p, true))).join('\n') + '\n';
  write('s3-cn/lake-cn/topics/shop.shop.users/partition=0/shop.shop.users+0+0000000000.json', chunk(PEOPLE.slice(0, 100)));
  write('s3-eu/lake-eu/topics/shop.shop.users/partition=0/shop.shop.users+0+0000000100.json', chunk(PEOPLE.slice(100, 200)));
  const csv = ['customer_id,full_name,mobile,email,city', ...PEOPLE.slice(0, 120).map((p) => `${p.id},${p.name},${p.phone},${p.email},${p.address.slice(0, 3)}`)].join('\n') + '\n';
  write('s3-eu/lake-eu/exports/2026-11/customers.csv', csv);
}

// --- Access: who may read the topics and buckets -------------------------------------------------
/** `kafka-acls --list` output (Kafka ≥ 2.0, AclCommand's layout: a header per resource, a tab before each ACL). */
function kafkaAclsList(resources: { type: string; name: string; pattern: 'LITERAL' | 'PREFIXED'; acls: [principal: string, host: string, operation: string, permission: string][] }[]): string {
  return resources.map((r) => `Current ACLs for resource \`ResourcePattern(resourceType=${r.type}, name=${r.name}, patternType=${r.pattern})\`: \n${r.acls.map(([principal, host, operation, permission]) => ` \t(principal=${principal}, host=${host}, operation=${operation}, permissionType=${permission})`).join('\n')} \n`).join('\n');
}

function writeKafkaAcls(): void {
  write('kafka/acls.txt', kafkaAclsList([
    // The Connect cluster (Strimzi KafkaUser connect-cluster) runs both the Debezium source and the S3 sink.
    { type: 'TOPIC', name: 'shop.', pattern: 'PREFIXED', acls: [['User:connect-cluster', '*', 'WRITE', 'ALLOW'], ['User:connect-cluster', '*', 'READ', 'ALLOW'], ['User:connect-cluster', '*', 'DESCRIBE', 'ALLOW']] },
    { type: 'TOPIC', name: 'shop.shop.users', pattern: 'LITERAL', acls: [['User:analytics-export', '*', 'READ', 'ALLOW'], ['User:analytics-export', '*', 'DESCRIBE', 'ALLOW']] },
    // Anyone may read the clickstream (it holds client IPs and locations), except the export job.
    { type: 'TOPIC', name: 'web.clickstream', pattern: 'LITERAL', acls: [['User:web-frontend', '*', 'WRITE', 'ALLOW'], ['User:*', '*', 'READ', 'ALLOW'], ['User:analytics-export', '*', 'READ', 'DENY']] },
    { type: 'GROUP', name: 'connect-lake-sink', pattern: 'LITERAL', acls: [['User:connect-cluster', '*', 'READ', 'ALLOW']] },
  ]));
}

/** A bucket policy as `aws s3api get-bucket-policy` prints it: the document as a JSON string under "Policy". */
const bucketPolicy = (statements: unknown[]): string => JSON.stringify({ Policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) }, null, 4) + '\n';

function writeBucketPolicies(): void {
  write('s3-cn/lake-cn.policy.json', bucketPolicy([
    { Sid: 'SinkWrites', Effect: 'Allow', Principal: { AWS: 'arn:aws-cn:iam::123456789012:user/lake-sink' }, Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws-cn:s3:::lake-cn/topics/*' },
    { Sid: 'AnalyticsReads', Effect: 'Allow', Principal: { AWS: 'arn:aws-cn:iam::123456789012:role/analytics' }, Action: 's3:GetObject', Resource: 'arn:aws-cn:s3:::lake-cn/*' },
  ]));
  write('s3-eu/lake-eu.policy.json', bucketPolicy([
    { Sid: 'SinkWrites', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::210987654321:user/lake-sink' }, Action: ['s3:PutObject', 's3:GetObject'], Resource: 'arn:aws:s3:::lake-eu/topics/*' },
    { Sid: 'PartnerReadsExports', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::444455556666:role/eu-partner' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake-eu/exports/*', Condition: { IpAddress: { 'aws:SourceIp': '198.51.100.0/24' } } },
  ]));
  // The CN account's IAM users with their own S3 rights (aws iam get-account-authorization-details, reduced to
  // {principal, accessKeyIds, policy}); AKIAIOSFODNN7EXAMPLE is AWS's documentation key. The EU account's are
  // not handed over: the demo shows that gap as unknown, with the fix.
  write('s3-cn-identity-policies.json', JSON.stringify([
    { principal: 'arn:aws-cn:iam::123456789012:user/data-analyst', accessKeyIds: ['AKIAIOSFODNN7EXAMPLE'], policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:ListBucket'], Resource: ['arn:aws-cn:s3:::lake-cn', 'arn:aws-cn:s3:::lake-cn/*'] }] } },
  ], null, 2) + '\n');
}

// --- sources.yaml -----------------------------------------------------------------------------------
function writeSources(): void {
  const common = `  - name: shop-db
    kind: mysql
    region: cn-north-1
    file: ./mysql/shop-binlog.txt   # mariadb-binlog -vv output handed to the auditor
    grantsFile: ./mysql/shop-grants.txt   # SHOW GRANTS FOR each account (scripts/demo/capture-mysql-grants.ts)
  - name: events
    kind: kafka
    region: cn-north-1
    file: ./kafka/events.jsonl      # kcat -C -J dump
    aclsFile: ./kafka/acls.txt      # kafka-acls --list
  - name: lake-cn
    kind: s3
    region: cn-north-1
    dir: ./s3-cn                    # with lake-cn.policy.json (aws s3api get-bucket-policy)
    identityPolicies: ./s3-cn-identity-policies.json
  - name: lake-eu
    kind: s3
    region: eu-west-1
    dir: ./s3-eu                    # with lake-eu.policy.json; the EU account's IAM policies were not handed over
`;
  write('sources-2026-11-01.yaml', `# The state of 1 November 2026 (an earlier capture of the same cluster).\nsources:\n  - name: prod-cn\n    kind: kubernetes\n    region: cn-north-1\n    file: ./k8s/prod-cn-2026-11-01.json\n`);
  write('sources.yaml', `# The demo company's sources, all captured offline (see README.md beside this file).
sources:
  - name: prod-cn
    kind: kubernetes
    region: cn-north-1
    file: ./k8s/prod-cn.json        # kubectl get ... -o json
  - name: gitops
    kind: git
    region: cn-north-1
    path: ./.gitops-repo            # made from gitops/commits by scripts/build-demo.ts
    desiredFor: prod-cn
    ignoreFile: ./gitops/driftignore.yaml
${common}`);
}

export function generateInputs(): void {
  for (const d of ['gitops', 'k8s', 'kafka', 's3-cn', 's3-eu']) rmSync(join(OUT, d), { recursive: true, force: true });
  writeGitops();
  writeLiveDumps();
  writeKafkaDump();
  writeS3();
  writeKafkaAcls();
  writeBucketPolicies();
  writeSources();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  generateInputs();
  console.log(`wrote demo inputs to ${OUT}`);
}
