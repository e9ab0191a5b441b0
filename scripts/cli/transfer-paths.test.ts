import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoverageReport } from '../../shared/core/egress/coverage.js';
import { startK8sApiServer, type K8sApiServer } from '../testing/k8s-api-server/index.js';
import { startKafkaBroker, type TestKafkaBroker } from '../testing/kafka-broker/index.js';
import { startMariaDb, type TestMariaDb } from '../testing/mariadb/index.js';
import { startS3Server, type TestS3Server } from '../testing/s3/index.js';
import { useTempHome } from '../testing/temp.js';
import { runCliInProcess } from './run-in-process.js';
import { launchChromium, RENDERER_DIST, SCREENSHOT_DIR } from '../../e2e/harness.js';
import { DriftlineService } from '../../shared/node/services/driftline-service.js';
import { startHttpServer } from '../../shared/node/serve/http-server.js';
import { Store } from '../../shared/node/store/index.js';

/**
 * The end-to-end transfer-path scenario (issue #14), through the CLI against real parts: a real
 * MariaDB, s3rver behind the recording proxy, the test Kafka broker and the test Kubernetes API
 * server. It holds one path of every kind — S3 bucket replication, MirrorMaker 2, a Kafka Connect
 * sink (Elasticsearch), a MySQL replica, a workload naming an external endpoint in its env, in a
 * ConfigMap and through an ExternalName Service — and one deliberately unexplained consumer group.
 * Every path must be found with its region, and coverage must report exactly that one unknown.
 */
const tmp = useTempHome('driftline-transfer-paths-');
let db: TestMariaDb;
let s3: TestS3Server;
let broker: TestKafkaBroker;
let api: K8sApiServer;

const CN = 'cn-north-1';
const b64 = (s: string) => Buffer.from(s).toString('base64');
const emails = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}@example.org`);

const run = runCliInProcess;

function k8sObjects(bootstrap: string): unknown[] {
  const secret = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' }, type: 'Opaque', data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) });
  const connectors = {
    'es-sink.json': JSON.stringify({ name: 'es-sink', config: { 'connector.class': 'io.confluent.connect.elasticsearch.ElasticsearchSinkConnector', topics: 'customers', 'connection.url': 'https://search-audit.eu-west-1.es.amazonaws.com:443', 'key.ignore': 'true' } }),
    'mm2.json': JSON.stringify({ name: 'mm2-us', config: { 'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector', 'source.cluster.alias': 'cn', 'target.cluster.alias': 'us', 'source.cluster.bootstrap.servers': bootstrap, 'target.cluster.bootstrap.servers': 'kafka-us.example.com:9092', topics: 'customers' } }),
  };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kafka' } },
    secret('db-creds', { username: 'report', password: 'r3port-pw' }),
    secret('kafka-creds', { 'sasl-username': 'etl', 'sasl-password': 'etl-pw' }),
    secret('lake-keys', { AWS_ACCESS_KEY_ID: 'AKIAREPORTER0000001', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI' }),
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'reporting', namespace: 'shop' } },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'creds-reader', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['secrets'], resourceNames: ['db-creds', 'kafka-creds', 'lake-keys'], verbs: ['get'] }] },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'reporting-creds', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'creds-reader' }, subjects: [{ kind: 'ServiceAccount', name: 'reporting', namespace: 'shop' }] },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'connectors', namespace: 'kafka' }, data: connectors },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'orders-config', namespace: 'shop' }, data: { CRM_ENDPOINT: 'https://crm.example.cn/api/v2' } },
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'geo-proxy', namespace: 'shop' }, spec: { type: 'ExternalName', externalName: 'geo.example.de' } },
    {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'orders-app', namespace: 'shop' },
      spec: { selector: { matchLabels: { app: 'orders' } }, template: { metadata: { labels: { app: 'orders' } }, spec: { serviceAccountName: 'reporting', containers: [{
        name: 'app', image: 'shop/orders:1',
        env: [
          { name: 'KAFKA_CONSUMER_TOPIC', value: 'customers' },
          { name: 'KAFKA_GROUP_ID', value: 'orders-app' },
          { name: 'PARTNER_API_URL', value: 'https://api.partner.example.com/v1/orders' },
          { name: 'GEO_URL', value: 'http://geo-proxy:8080/lookup' },
        ],
        envFrom: [{ configMapRef: { name: 'orders-config' } }],
      }] } } },
    },
    {
      apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'report-job', namespace: 'shop' },
      spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: { serviceAccountName: 'reporting', restartPolicy: 'Never', containers: [{ name: 'job', image: 'shop/report:1', env: [
        { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'username' } } },
        { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-creds', key: 'password' } } },
      ] }] } } } } },
    },
  ];
}

let coverage: CoverageReport;
let workspace: string;

beforeAll(async () => {
  db = await startMariaDb();
  await db.query(`CREATE DATABASE shop; CREATE TABLE shop.users (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(64), note VARCHAR(32));
    INSERT INTO shop.users (email, note) VALUES ${emails('db', 40).map((e) => `('${e}', 'n')`).join(',')};`);
  // Only the capture's own account, the local root accounts and `report` exist: each has a home.
  const extra = await db.query<{ user: string; host: string }[]>(`SELECT User AS user, Host AS host FROM mysql.user WHERE NOT (User = 'root' AND Host IN ('localhost', '127.0.0.1')) AND User <> 'mariadb.sys'`);
  for (const a of extra) await db.query(`DROP USER ?@?`, [a.user, a.host]);
  await db.createUser('auditor', 'audit-pw', ['SELECT ON *.*', 'SELECT ON mysql.*']);
  await db.createUser('report', 'r3port-pw', ['SELECT (id, email) ON shop.users']);

  s3 = await startS3Server();
  await s3.createBucket('lake-cn', {
    location: CN,
    policy: { Version: '2012-10-17', Statement: [{ Sid: 'Analytics', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:role/analytics' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake-cn/pii/*' }] },
    replication: { Role: 'arn:aws:iam::111122223333:role/replication', Rules: [{ ID: 'backup', Priority: 1, Status: 'Enabled', Filter: { Prefix: 'pii/' }, Destination: { Bucket: 'arn:aws:s3:::lake-backup-eu' } }] },
  });
  await s3.putObject('lake-cn', 'pii/users/part-0.jsonl', emails('lake', 30).map((email, id) => JSON.stringify({ id, email })).join('\n') + '\n');

  broker = await startKafkaBroker({
    topics: [{ name: 'customers', partitions: 1 }],
    acls: [
      { resourceType: 'topic', resourceName: 'customers', principal: 'User:connect', operation: 'read', permission: 'allow' },
      { resourceType: 'topic', resourceName: 'customers', principal: 'User:etl', operation: 'read', permission: 'allow' },
    ],
    groups: [
      { groupId: 'connect-es-sink', offsets: [{ topic: 'customers', partition: 0, offset: 10 }] },
      { groupId: 'orders-app', offsets: [{ topic: 'customers', partition: 0, offset: 20 }] },
      { groupId: 'mystery-reader', offsets: [{ topic: 'customers', partition: 0, offset: 5 }] },
    ],
  });
  broker.produce('customers', 0, emails('topic', 30).map((email, id) => ({ value: JSON.stringify({ id, email }) })));

  api = await startK8sApiServer({ objects: k8sObjects(broker.bootstrap) });

  const identity = tmp.path('identity.json');
  writeFileSync(identity, JSON.stringify([{ principal: 'AWS:arn:aws:iam::111122223333:user/reporter', accessKeyIds: ['AKIAREPORTER0000001'], policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake-cn/*' }] } }]));
  const kubeconfig = api.kubeconfigPath();
  const context = /current-context: (\S+)/.exec(readFileSync(kubeconfig, 'utf8'))![1];
  process.env.DL_E2E_DB_PW = 'audit-pw';
  process.env.DL_E2E_S3_KEY = s3.accessKeyId;
  process.env.DL_E2E_S3_SECRET = s3.secretAccessKey;
  const yaml = tmp.path('sources.yaml');
  writeFileSync(yaml, `sources:
  - name: prod-cn
    kind: kubernetes
    region: ${CN}
    kubeconfig: ${kubeconfig}
    context: ${context}
  - name: shop-db
    kind: mysql
    region: ${CN}
    host: 127.0.0.1
    port: ${db.port}
    user: auditor
    passwordEnv: DL_E2E_DB_PW
    databases: [shop]
    replicas:
      - { host: db-replica.eu.example, port: 3306, region: eu-west-1 }
  - name: events
    kind: kafka
    region: ${CN}
    brokers: [${broker.bootstrap}]
  - name: lake
    kind: s3
    region: ${CN}
    endpoint: ${s3.endpoint}
    accessKeyIdEnv: DL_E2E_S3_KEY
    secretAccessKeyEnv: DL_E2E_S3_SECRET
    identityPolicies: identity.json
regions:
  hosts:
    kafka-us.example.com: us-east-1
    api.partner.example.com: us-west-2
    "*.example.de": eu-central-1
    crm.example.cn: ${CN}
  buckets:
    lake-backup-eu: eu-central-1
  principals:
    "User:connect": ${CN}
    "AWS:arn:aws:iam::111122223333:role/analytics": ${CN}
`);
  workspace = tmp.path('audit.driftline');
  const scan = await run('scan', yaml, '--workspace', workspace);
  expect(scan.err).not.toMatch(/ failed/);
  expect(scan.code).toBe(0);
  coverage = JSON.parse((await run('coverage', '--workspace', workspace, '--json')).out);
}, 180_000);

afterAll(async () => {
  await api?.close();
  await broker?.close();
  await s3?.close();
  await db?.stop();
  tmp.cleanup();
});

const TABLE = 'mysql://shop-db/shop/users';
const TOPIC = 'kafka://events/customers';
const PREFIX = 's3://lake/lake-cn/pii/users';
const paths = (urn: string) => coverage.datasets.find((d) => d.urn === urn)!.paths.map((p) => `${p.class} ${p.kind} ${[...p.via, p.to].join(' > ')} ${p.toRegion ?? '?'}`).sort();

describe('transfer paths, end to end', () => {
  it('coverage reports exactly the one unexplained consumer group as unknown', () => {
    expect({ accounted: coverage.accounted, total: coverage.total }).toEqual({ accounted: 2, total: 3 });
    const unknown = coverage.datasets.flatMap((d) => d.paths.filter((p) => p.class === 'unknown').map((p) => [d.urn, p.to, p.reason]));
    expect(unknown).toEqual([[TOPIC, 'app://events/kafka/mystery-reader', expect.stringMatching(/consumer group mystery-reader reads .* no captured workload or connector uses that group/)]]);
    expect(coverage.datasets[0].urn).toBe(TOPIC);
  });

  it('the topic: Connect sink, MirrorMaker 2, the workload’s env/ConfigMap/ExternalName endpoints, each with its region', () => {
    expect(paths(TOPIC)).toEqual([
      'cross-border egress k8s://prod-cn/shop/Deployment/orders-app > net://api.partner.example.com us-west-2',
      'cross-border egress k8s://prod-cn/shop/Deployment/orders-app > net://geo.example.de:8080 eu-central-1',
      'cross-border egress connect://prod-cn/kafka/es-sink > net://search-audit.eu-west-1.es.amazonaws.com:443 eu-west-1',
      'cross-border replicates connect://prod-cn/kafka/mm2-us > net://kafka-us.example.com:9092 us-east-1',
      `domestic access app://events/principals/User:connect ${CN}`,
      `domestic access k8s://prod-cn/shop/ServiceAccount/reporting ${CN}`,
      `domestic egress k8s://prod-cn/shop/Deployment/orders-app > net://crm.example.cn ${CN}`,
      `domestic reads app://events/kafka/connect-es-sink ${CN}`,
      'unknown reads app://events/kafka/mystery-reader ?',
    ].sort());
  });

  it('a path through a connector lists every hop: topic → connector (process node) → endpoint', () => {
    const sink = coverage.datasets.find((d) => d.urn === TOPIC)!.paths.find((p) => p.to === 'net://search-audit.eu-west-1.es.amazonaws.com:443')!;
    expect(sink.hops!.map((h) => `${h.from} -${h.kind}-> ${h.to}`)).toEqual([
      `${TOPIC} -egress-> connect://prod-cn/kafka/es-sink`,
      'connect://prod-cn/kafka/es-sink -egress-> net://search-audit.eu-west-1.es.amazonaws.com:443',
    ]);
  });

  it('the table: the MySQL replica abroad; readers at home through the credential chain and local accounts', () => {
    expect(paths(TABLE)).toEqual([
      'cross-border replicates net://db-replica.eu.example:3306 eu-west-1',
      `domestic access app://shop-db/principals/root@127.0.0.1 ${CN}`,
      `domestic access app://shop-db/principals/root@localhost ${CN}`,
      `domestic access k8s://prod-cn/shop/CronJob/report-job ${CN}`,
      `domestic access k8s://prod-cn/shop/ServiceAccount/reporting ${CN}`,
    ].sort());
  });

  it('the bucket prefix: replication to the EU backup; the mapped role and the access key’s holder at home', () => {
    expect(paths(PREFIX)).toEqual([
      'cross-border replicates net://s3/lake-backup-eu eu-central-1',
      `domestic access app://lake/principals/AWS:arn:aws:iam::111122223333:role%2Fanalytics ${CN}`,
      `domestic access k8s://prod-cn/shop/ServiceAccount/reporting ${CN}`,
    ].sort());
  });

  it('cross-border replication and egress are flow findings, each with its region', async () => {
    const flows = JSON.parse((await run('findings', '--workspace', workspace, '--type', 'flow', '--json')).out) as { rule: string; to: string; toRegion: string }[];
    expect(flows.filter((f) => f.rule.startsWith('flow.egress') || f.rule.startsWith('flow.replicates')).map((f) => `${f.rule} ${f.to} ${f.toRegion}`).sort()).toEqual([
      'flow.egress.cross-border net://api.partner.example.com us-west-2',
      'flow.egress.cross-border net://geo.example.de:8080 eu-central-1',
      'flow.egress.cross-border net://search-audit.eu-west-1.es.amazonaws.com:443 eu-west-1',
      'flow.replicates.cross-border net://db-replica.eu.example:3306 eu-west-1',
      'flow.replicates.cross-border net://kafka-us.example.com:9092 us-east-1',
      'flow.replicates.cross-border net://s3/lake-backup-eu eu-central-1',
    ]);
  });

  it('driftline access names the chain hop by hop, and --principal lists what it reads', async () => {
    const email = await run('access', '--workspace', workspace, `${TABLE}#email`);
    expect(email.code).toBe(0);
    expect(email.out).toMatch(/ServiceAccount:shop\/reporting — through a credential\n\s+ServiceAccount:shop\/reporting can read Secret shop\/db-creds: .*\n\s+Secret shop\/db-creds holds the credential of report@% .*\n\s+report@%: SELECT on shop\.users\(email\)/);
    const json = JSON.parse((await run('access', '--workspace', workspace, `${TABLE}#email`, '--json')).out);
    expect([...new Set(json[0].readers.map((r: { principal: string }) => r.principal))].sort()).toEqual(['CronJob shop/report-job', 'ServiceAccount:shop/reporting', 'auditor@%', 'report@%', 'root@127.0.0.1', 'root@localhost']);
    const note = JSON.parse((await run('access', '--workspace', workspace, TABLE, '--json')).out);
    expect(note.map((a: { urn: string }) => a.urn)).toEqual([`${TABLE}#email`]);
    const sa = JSON.parse((await run('access', '--workspace', workspace, '--principal', 'ServiceAccount:shop/reporting', '--json')).out);
    expect(sa.map((x: { field: string }) => x.field)).toEqual([`${TOPIC}#email`, `${TABLE}#email`, `${PREFIX}#email`].sort());
  });

  it('the human-readable coverage says N of M', async () => {
    const out = (await run('coverage', '--workspace', workspace)).out;
    expect(out).toMatch(/^Transfer-path coverage: 2 of 3 PII datasets fully accounted for\n/);
  });

  it('the studio’s Access view: field → principals with the chain, principal → fields, coverage with the one unknown (Chromium, en + zh-CN)', async () => {
    const store = Store.open(workspace, { readOnly: true });
    const server = await startHttpServer({ service: new DriftlineService(store), staticDir: RENDERER_DIST });
    const browser = await launchChromium();
    try {
      for (const locale of ['en', 'zh-CN'] as const) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 1500 }, locale: locale === 'en' ? 'en-US' : 'zh-CN', timezoneId: 'UTC' });
        await context.addInitScript((l) => localStorage.setItem('driftline.locale', l), locale);
        const page = await context.newPage();
        await page.goto(`${server.url}#token=${server.token}&view=access`);
        await page.waitForSelector('[data-testid="access-matrix"]', { timeout: 30_000 });
        expect(await page.locator('[data-testid="coverage-line"]').innerText()).toMatch(locale === 'en' ? /2 of 3/ : /3 个含个人信息的数据集中，2 个已完全查明/);
        const unknowns = page.locator('[data-testid="coverage-unknown"]');
        expect(await unknowns.count()).toBe(1);
        expect(await unknowns.first().innerText()).toContain('mystery-reader');
        const row = page.locator('[data-testid="access-matrix"] tbody tr', { hasText: `${TABLE}#email` });
        const rowText = await row.innerText();
        for (const p of ['ServiceAccount:shop/reporting', 'report@%', 'auditor@%', 'CronJob shop/report-job']) expect(rowText).toContain(p);
        await row.getByRole('button', { name: /ServiceAccount:shop\/reporting/ }).first().click();
        expect(await row.locator('ol.chain').innerText()).toMatch(/Secret shop\/db-creds[\s\S]*report@%/);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/access-by-field-${locale}.png`, fullPage: true });
        await page.locator('[data-testid="access-by-principal"]').click();
        const sa = page.locator('[data-testid="access-principals"] tbody tr', { hasText: 'ServiceAccount:shop/reporting' });
        for (const f of [`${TOPIC}#email`, `${TABLE}#email`, `${PREFIX}#email`]) expect(await sa.innerText()).toContain(f);
        await page.screenshot({ path: `${SCREENSHOT_DIR}/access-by-principal-${locale}.png`, fullPage: true });
        await context.close();
      }
    } finally {
      await browser.close();
      await server.close();
      store.close();
    }
  }, 120_000);

  it('the report has the coverage section and the access matrix, in English and Chinese', async () => {
    for (const [lang, expected] of [
      ['en', ['Transfer-pathcoverage:2of3PIIdatasetsfullyaccountedfor', 'Accessmatrix', 'mystery-reader', 'ServiceAccount:shop/reporting', 'throughacredential']],
      ['zh-CN', ['传输路径覆盖率：3个含个人信息的数据集中，2个已完全查明', '访问权限矩阵', 'mystery-reader', '通过凭据']],
    ] as const) {
      const pdf = tmp.path(`report-${lang}.pdf`);
      expect((await run('report', '--workspace', workspace, '--out', pdf, '--lang', lang)).code).toBe(0);
      const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
      for (const e of expected) expect(text, `${lang}: ${e}`).toContain(e);
      // Unknowns first: the unexplained consumer comes before every known path in the coverage table.
      const table = text.slice(text.indexOf(lang === 'en' ? 'Transfer-pathcoverage:' : '传输路径覆盖率：'));
      expect(table.indexOf('mystery-reader')).toBeLessThan(table.indexOf('kafka-us.example.com'));
      if (lang === 'en') execFileSync('pdftoppm', ['-png', '-r', '60', pdf, `${SCREENSHOT_DIR}/report-access-${lang}`]);
    }
  }, 120_000);
});
