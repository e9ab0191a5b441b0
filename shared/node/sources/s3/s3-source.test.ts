import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNodeInput } from '../../../core/model/graph.js';
import { s3Urn } from '../../../core/model/urn.js';
import { normalizeForFingerprint } from '../../../core/pii/index.js';
import { setLogSink } from '../../log/logger.js';
import { collectCapture, type CollectedCapture } from '../../../../scripts/testing/capture-harness.js';
import { lakeFixture, type LakeFixture } from '../../../../scripts/testing/s3/lake-fixture.js';
import { startS3Server, type TestS3Server } from '../../../../scripts/testing/s3/index.js';
import { s3Source } from './index.js';

const nodesOf = (c: CollectedCapture) => new Map(c.records.flatMap((r) => (r.type === 'node' ? [[r.node.urn, r.node] as const] : [])));
const edgesOf = (c: CollectedCapture): GraphEdge[] => c.records.flatMap((r) => (r.type === 'edge' ? [r.edge] : []));
const entities = (n: GraphNodeInput | undefined) => (n?.pii ?? []).map((p) => p.entity).sort();
const MiB = 1024 * 1024;

describe('s3 source against s3rver (live, official AWS SDK)', () => {
  let s3: TestS3Server;
  let lake: LakeFixture;
  let cap: CollectedCapture;
  const logs: string[] = [];
  const policy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::lake-eu/*' },
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/etl' }, Action: ['s3:PutObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::lake-eu', 'arn:aws:s3:::lake-eu/*'] },
    ],
  };
  const config = () => ({ name: 'lake', kind: 's3', region: 'eu-central-1', endpoint: s3.endpoint, accessKeyIdEnv: 'DL_TEST_S3_KEY', secretAccessKeyEnv: 'DL_TEST_S3_SECRET' });

  beforeAll(async () => {
    s3 = await startS3Server();
    process.env.DL_TEST_S3_KEY = s3.accessKeyId;
    process.env.DL_TEST_S3_SECRET = s3.secretAccessKey;
    await s3.createBucket('lake-eu', { location: 'eu-west-1', policy });
    await s3.createBucket('lake-cn', { location: 'cn-north-1' });
    await s3.createBucket('scratch');
    lake = lakeFixture();
    for (const o of lake.objects) await s3.putObject(o.bucket, o.key, o.body);
    // IAM would refuse these; s3rver has no IAM, so the proxy answers 403 AccessDenied.
    s3.deny({ method: 'GET', bucket: 'lake-eu', keyPrefix: 'private/' });
    s3.deny({ method: 'GET', bucket: 'lake-cn', subresource: 'policy' });
    setLogSink((line) => logs.push(line), 'debug');
    cap = await collectCapture(s3Source, config());
  });
  afterAll(async () => {
    setLogSink((line) => process.stderr.write(line + '\n'), 'warn');
    await s3?.close();
  });

  it('yields one bucket node per bucket, in the bucket\'s own region, with its facts', () => {
    const n = nodesOf(cap);
    const eu = n.get(s3Urn('lake', 'lake-eu'))!;
    expect(eu).toMatchObject({ kind: 'bucket', region: 'eu-west-1', props: { location: 'eu-west-1', objectCount: lake.objects.filter((o) => o.bucket === 'lake-eu').length } });
    expect(eu.props!.bytes).toBe(lake.objects.filter((o) => o.bucket === 'lake-eu').reduce((s, o) => s + o.body.length, 0));
    expect(eu.props!.policy).toMatchObject({ status: 'present', publicRead: true, statements: [{ sid: 'PublicRead', principals: ['*'], actions: ['s3:GetObject'] }, { principals: ['AWS:arn:aws:iam::123456789012:role/etl'], actions: ['s3:PutObject', 's3:ListBucket'] }] });
    expect(n.get(s3Urn('lake', 'lake-cn'))).toMatchObject({ region: 'cn-north-1', props: { location: 'cn-north-1', policy: { status: 'denied' } } });
    // s3rver lacks bucket policies (405) and ACLs (501): reported as unsupported, the capture goes on.
    expect(n.get(s3Urn('lake', 'scratch'))).toMatchObject({ region: 'us-east-1', props: { versioning: 'Off', policy: { status: 'unsupported' }, acl: { status: 'unsupported' } } });
    expect(cap.records).toContainEqual({ type: 'gap', item: 's3://lake/lake-cn (GetBucketPolicy)', reason: 's3://lake: GetBucketPolicy denied on lake-cn — grant s3:GetBucketPolicy or exclude the bucket' });
  });

  it('summarises prefixes up to prefixDepth, with a dataset prefix per Kafka Connect topic', () => {
    const n = nodesOf(cap);
    const users = n.get(s3Urn('lake', 'lake-eu', 'topics/shop.shop.users'))!;
    expect(users).toMatchObject({ kind: 'prefix', parent: s3Urn('lake', 'lake-eu', 'topics'), props: { count: 2, dataset: true, objectsSampled: 2 } });
    expect(users.props!.sampleKeys).toEqual(lake.objects.filter((o) => o.key.startsWith('topics/shop.shop.users/')).map((o) => o.key));
    expect(n.get(s3Urn('lake', 'lake-eu', 'topics'))!.props).toMatchObject({ count: 3 });
    expect(n.get(s3Urn('lake', 'lake-eu', 'topics/shop.shop.users/partition=0'))!.props).toMatchObject({ count: 1 });
    expect(n.get(s3Urn('lake', 'lake-eu', 'topics/shop.shop.users/partition=0'))!.props!.dataset).toBeUndefined();
    const e = edgesOf(cap);
    for (const [from, to] of [
      [s3Urn('lake', 'lake-eu'), s3Urn('lake', 'lake-eu', 'topics')],
      [s3Urn('lake', 'lake-eu', 'topics'), s3Urn('lake', 'lake-eu', 'topics/shop.shop.users')],
      [s3Urn('lake', 'lake-eu', 'topics/shop.shop.users'), s3Urn('lake', 'lake-eu', 'topics/shop.shop.users', 'email')],
    ]) expect(e.some((x) => x.kind === 'contains' && x.from === from && x.to === to), `${from} → ${to}`).toBe(true);
  });

  it.each([
    ['topics/shop.shop.users', 'email', ['EMAIL'], 40],
    ['topics/shop.shop.users', 'mobile', ['CN_MOBILE'], 40],
    ['topics/shop.shop.users', 'id_card', ['CN_RESIDENT_ID'], 40],
    ['topics/shop.shop.users', 'profile.city', [], 40],
    ['topics/shop.shop.users', 'orders[].sku', [], 80],
    ['topics/shop.shop.orders', 'contact_email', ['EMAIL'], 15],
    ['exports', 'phone', ['CN_MOBILE'], 12],
    ['exports', 'sfzh', ['CN_RESIDENT_ID'], 12],
  ])('classifies %s#%s as %j over %i values', (prefix, field, expected, sampled) => {
    const node = nodesOf(cap).get(s3Urn('lake', 'lake-eu', prefix, field));
    expect(node).toMatchObject({ kind: 'field', parent: s3Urn('lake', 'lake-eu', prefix), region: 'eu-west-1' });
    expect(entities(node)).toEqual(expected);
    expect(node!.props!.valuesSampled).toBe(sampled);
    for (const tag of node!.pii ?? []) {
      expect(tag).toMatchObject({ matches: sampled, sampled });
      expect(tag.examples.length).toBeGreaterThan(0);
      for (const ex of tag.examples) expect(ex).toContain('*');
    }
  });

  it('fingerprints PII values with the workspace key, after normalising them', () => {
    const email = nodesOf(cap).get(s3Urn('lake', 'lake-eu', 'topics/shop.shop.users', 'email'))!;
    const fps = email.props!.fingerprints as string[];
    expect(fps.length).toBe(40);
    expect(fps).toContain(cap.fingerprint(normalizeForFingerprint('EMAIL', 'user0.test@example.com')));
    expect(nodesOf(cap).get(s3Urn('lake', 'lake-eu', 'topics/shop.shop.users', 'profile.city'))!.props!.fingerprints).toEqual([]);
  });

  it('samples a JSON document in the other region\'s bucket', () => {
    const n = nodesOf(cap);
    expect(entities(n.get(s3Urn('lake', 'lake-cn', 'users', 'shouji')))).toEqual(['CN_MOBILE']);
    expect(n.get(s3Urn('lake', 'lake-cn', 'users', 'contact.email'))).toMatchObject({ region: 'cn-north-1', pii: [{ entity: 'EMAIL', matches: 10 }] });
  });

  it('reads a large object only up to maxObjectBytes, with a Range header, and still samples it', () => {
    const gets = s3.requests.filter((r) => r.path === '/lake-eu/big/events.ndjson');
    expect(gets).toHaveLength(1);
    expect(gets[0]).toMatchObject({ method: 'GET', range: `bytes=0-${MiB - 1}`, status: 206 });
    expect(gets[0].responseBytes).toBe(MiB);
    const field = nodesOf(cap).get(s3Urn('lake', 'lake-eu', 'big', 'email'))!;
    expect(entities(field)).toEqual(['EMAIL']);
    // ~4,000 lines fit in 1 MiB of the ~20,000 written; the value cap keeps 1,000 of them.
    expect(field.props!.valuesSampled).toBe(1000);
  });

  it('sends only reads: GET/HEAD, and every object GET is ranged', () => {
    expect(s3.requests.length).toBeGreaterThan(10);
    expect(new Set(s3.requests.map((r) => r.method))).toEqual(new Set(['GET']));
    const objectGets = s3.requests.filter((r) => r.path.split('/').filter(Boolean).length > 1);
    expect(objectGets.length).toBeGreaterThan(5);
    for (const r of objectGets) expect(r.range, r.path).toMatch(/^bytes=0-\d+$/);
  });

  it('reports per-object problems and goes on: ragged CSV, corrupt gzip, binary, parquet, denied', () => {
    const w = (suffix: string) => cap.warnings.filter((x) => x.item.endsWith(suffix)).map((x) => x.message);
    expect(w('exports/customers.csv')).toEqual(['s3://lake: lake-eu/exports/customers.csv: row 5 has a different number of fields than the header\'s 3 (1 skipped)']);
    expect(w('blobs/image.bin')).toEqual(['s3://lake: lake-eu/blobs/image.bin: binary content in an unrecognised format, not sampled']);
    expect(w('private/secret.json')).toEqual(['s3://lake: GetObject denied on lake-eu/private/secret.json — grant s3:GetObject or exclude the bucket']);
    expect(cap.records).toContainEqual({ type: 'gap', item: 's3://lake/lake-eu/private/secret.json', reason: w('private/secret.json')[0] });
    // Sorted: objects are sampled newest first, and the two were written within a second or two of each other.
    expect(cap.failures.map((f) => [f.item, (f.error as Error).message]).sort(([a], [b]) => a.localeCompare(b))).toEqual([
      ['s3://lake/lake-eu/exports/broken.json.gz', expect.stringMatching(/^s3:\/\/lake: lake-eu\/exports\/broken\.json\.gz: corrupt gzip \(.+\) — object skipped$/)],
      // Parquet is read now (hyparquet): an object with Parquet's magic bytes around garbage is a corrupt one.
      ['s3://lake/lake-eu/exports/table.parquet', expect.stringMatching(/table\.parquet: Parquet could not be read/)],
    ]);
    // The good objects next to the bad ones were still sampled.
    expect(nodesOf(cap).get(s3Urn('lake', 'lake-eu', 'exports'))!.props).toMatchObject({ objectsSampled: 1 });
  });

  it('never puts a raw PII value in a record, warning, failure, progress event or log line', () => {
    const everything = JSON.stringify([cap.records, cap.warnings, cap.failures, cap.progress, logs]);
    const leaked = lake.raw.filter((v) => everything.includes(v));
    expect(leaked).toEqual([]);
    expect(lake.raw.length).toBeGreaterThan(1000);
    expect(everything).toContain('user0.test@example.com'.slice(-12)); // sanity: masked forms keep the domain tail
  });

  it('reports progress for listed and sampled objects', () => {
    expect(cap.progress.some((p) => p.item === 'listing lake-eu' && p.done >= 10)).toBe(true);
    expect(cap.progress.filter((p) => p.item?.startsWith('sampling ')).length).toBeGreaterThan(5);
  });

  it('testConnection lists the buckets; a missing credential variable is named', async () => {
    const ok = await s3Source.testConnection(s3Source.configSchema.parse(config()), { baseDir: '.', signal: AbortSignal.timeout(10_000), log: { debug() {}, info() {}, warn() {}, error() {} } });
    expect(ok).toEqual({ ok: true, message: 's3://lake: 3 bucket(s) listable (lake-cn, lake-eu, scratch)' });
    const bad = await s3Source.testConnection(s3Source.configSchema.parse({ ...config(), accessKeyIdEnv: 'DL_TEST_S3_UNSET_VAR' }), { baseDir: '.', signal: AbortSignal.timeout(10_000), log: { debug() {}, info() {}, warn() {}, error() {} } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('environment variable DL_TEST_S3_UNSET_VAR (accessKeyIdEnv) is not set');
  });
});
