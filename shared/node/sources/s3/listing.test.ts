import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Urn } from '../../../core/model/urn.js';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { startS3Server, type TestS3Server } from '../../../../scripts/testing/s3/index.js';
import { BucketIndex, datasetPrefix, paginate, prefixLevels } from './listing.js';
import { s3ConfigSchema } from './config.js';
import { s3Source } from './index.js';

describe('prefixes', () => {
  it.each([
    ['topics/shop.shop.users/partition=0/shop.shop.users+0+0000000000.json', 3, 'topics/shop.shop.users'],
    ['topics/orders/year=2024/month=01/x.json', 3, 'topics/orders'],
    ['exports/2024/01/15/users.csv', 3, 'exports'],
    ['a/b/c/d/e.json', 3, 'a/b/c'],
    ['a/b/c/d/e.json', 1, 'a'],
    ['root.json', 3, ''],
  ])('%s (depth %i) → dataset %j', (key, depth, expected) => expect(datasetPrefix(key, depth)).toBe(expected));

  it('lists every directory level up to the depth', () => {
    expect(prefixLevels('a/b/c/d.json', 2)).toEqual(['a', 'a/b']);
    expect(prefixLevels('d.json', 2)).toEqual([]);
  });

  it('keeps the newest objects of a dataset as sampling candidates, skipping empty ones and folder markers', () => {
    const idx = new BucketIndex(3, 2);
    const at = (d: number) => new Date(Date.UTC(2024, 0, d));
    idx.add({ key: 't/x/partition=0/1.json', size: 10, lastModified: at(1) });
    idx.add({ key: 't/x/partition=0/2.json', size: 10, lastModified: at(3) });
    idx.add({ key: 't/x/partition=1/3.json', size: 10, lastModified: at(2) });
    idx.add({ key: 't/x/partition=1/empty.json', size: 0, lastModified: at(9) });
    idx.add({ key: 't/x/', size: 0, lastModified: at(9) });
    expect(idx.candidates.get('t/x')!.map((o) => o.key)).toEqual(['t/x/partition=0/2.json', 't/x/partition=1/3.json']);
    expect(idx.prefixes.get('t/x')).toMatchObject({ count: 5, bytes: 30, newest: at(9) });
  });

  it('stops paginating at the bound and on a repeated token', async () => {
    let calls = 0;
    const pages = paginate(async () => ({ objects: [{ key: `k${calls++}`, size: 1 }], next: 'same-token' }), 100);
    const seen: string[] = [];
    let result;
    for (;;) {
      const r = await pages.next();
      if (r.done) {
        result = r.value;
        break;
      }
      seen.push(...r.value.map((o) => o.key));
    }
    expect(seen).toEqual(['k0', 'k1']);
    expect(result).toEqual({ truncated: true });
  });
});

describe('listing a large bucket against s3rver', () => {
  let s3: TestS3Server;
  const N = 1050;
  beforeAll(async () => {
    s3 = await startS3Server();
    process.env.DL_TEST_LISTING_KEY = s3.accessKeyId;
    process.env.DL_TEST_LISTING_SECRET = s3.secretAccessKey;
    await s3.createBucket('many');
    const keys = Array.from({ length: N }, (_, i) => `logs/app/2024/01/part-${String(i).padStart(5, '0')}.json`);
    for (let i = 0; i < keys.length; i += 25) {
      await Promise.all(keys.slice(i, i + 25).map((k, j) => s3.putObject('many', k, JSON.stringify({ seq: i + j, level: 'info' }))));
    }
  });
  afterAll(() => s3?.close());

  it('follows ContinuationToken across pages and samples only sampleObjectsPerPrefix objects', async () => {
    const cap = await collectCapture(s3Source, { name: 'logs', kind: 's3', region: 'eu-west-1', endpoint: s3.endpoint, sampleObjectsPerPrefix: 2, prefixDepth: 2, accessKeyIdEnv: 'DL_TEST_LISTING_KEY', secretAccessKeyEnv: 'DL_TEST_LISTING_SECRET' }, {});
    const lists = s3.requests.filter((r) => r.path === '/many/' && r.query['list-type'] === '2');
    expect(lists.map((r) => r.status)).toEqual([200, 200]);
    expect(lists[0].query['continuation-token']).toBeUndefined();
    expect(lists[1].query['continuation-token']).toBeTruthy();
    expect(s3.requests.filter((r) => r.path.startsWith('/many/logs/'))).toHaveLength(2);
    const nodes = new Map(cap.records.flatMap((r) => (r.type === 'node' ? [[r.node.urn, r.node] as const] : [])));
    expect(nodes.get(s3Urn('logs', 'many'))!.props).toMatchObject({ objectCount: N, listing: 'complete' });
    expect(nodes.get(s3Urn('logs', 'many', 'logs/app'))!.props).toMatchObject({ count: N, dataset: true, objectsSampled: 2 });
    // prefixDepth 2: no prefix node for logs/app/2024.
    expect([...nodes.keys()].filter((u) => u.includes('2024'))).toEqual([]);
    expect(cap.progress.filter((p) => p.item === 'listing many').map((p) => p.done)).toEqual([1000, N]);
  });

  it('records a bucket it may not list as a gap, and testConnection names the missing permission', async () => {
    await s3.createBucket('locked');
    await s3.putObject('locked', 'a/b.json', '{}');
    s3.deny({ method: 'GET', bucket: 'locked' });
    const config = { name: 'logs', kind: 's3', region: 'eu-west-1', endpoint: s3.endpoint, buckets: ['locked'], accessKeyIdEnv: 'DL_TEST_LISTING_KEY', secretAccessKeyEnv: 'DL_TEST_LISTING_SECRET' };
    const cap = await collectCapture(s3Source, config);
    const message = 's3://logs: ListObjectsV2 denied on locked — grant s3:ListBucket or exclude the bucket';
    expect(cap.records).toContainEqual({ type: 'gap', item: 's3://logs/locked (ListObjectsV2)', reason: message });
    expect(cap.records).toContainEqual(expect.objectContaining({ type: 'node', node: expect.objectContaining({ urn: s3Urn('logs', 'locked'), props: expect.objectContaining({ listing: 'denied', objectCount: null }) }) }));
    expect(cap.failures).toEqual([]);
    const log = { debug() {}, info() {}, warn() {}, error() {} };
    expect(await s3Source.testConnection(s3Source.configSchema.parse(config), { baseDir: '.', signal: AbortSignal.timeout(10_000), log })).toEqual({ ok: false, message });
  });

  it('stops with CANCELLED when the scan is cancelled, sending nothing more', async () => {
    // Driven directly: the harness does not forward a signal that is already aborted.
    const abort = new AbortController();
    const config = s3Source.configSchema.parse({ name: 'logs', kind: 's3', region: 'eu-west-1', endpoint: s3.endpoint, buckets: ['many'], accessKeyIdEnv: 'DL_TEST_LISTING_KEY', secretAccessKeyEnv: 'DL_TEST_LISTING_SECRET' });
    const records: unknown[] = [];
    const ctx = {
      sourceName: 'logs', region: 'eu-west-1', baseDir: '.', signal: abort.signal,
      log: { debug() {}, info() {}, warn() {}, error() {} },
      fingerprint: (v: string) => v.length.toString(), progress() {}, warn() {}, fail() {}, checkpoint: () => undefined,
    };
    const before = s3.requests.length;
    const run = async () => {
      for await (const r of s3Source.capture(config, ctx)) {
        records.push(r);
        // Cancel as soon as the bucket node arrives: sampling must not start.
        abort.abort();
      }
    };
    await expect(run()).rejects.toMatchObject({ code: 'CANCELLED', message: 's3://logs: capture cancelled' });
    expect(records).toHaveLength(1);
    const sent = s3.requests.slice(before);
    expect(sent.filter((r) => r.path.startsWith('/many/logs/'))).toEqual([]);
  });
});

describe('config', () => {
  const base = { name: 'lake', kind: 's3', region: 'eu-west-1' };
  it('applies defaults', () => {
    expect(s3ConfigSchema.parse({ ...base, endpoint: 'http://127.0.0.1:9000' })).toMatchObject({ sampleObjectsPerPrefix: 5, maxObjectBytes: 1024 * 1024, prefixDepth: 3 });
  });
  it.each([
    ['dir and endpoint are exclusive: a copy or a live store, not both', { ...base, dir: './lake', endpoint: 'http://127.0.0.1:9000' }, /cannot be combined/],
    ['credentials come in pairs', { ...base, accessKeyIdEnv: 'KEY' }, /set both accessKeyIdEnv and secretAccessKeyEnv/],
    ['every source has a region (jurisdiction for flow findings)', { name: 'lake', kind: 's3' }, /region/],
    ['secrets are referenced by variable name, never inline', { ...base, secretAccessKey: 'abc' }, /secretAccessKey/],
    ['the endpoint must be a URL', { ...base, endpoint: '127.0.0.1:9000' }, /endpoint/],
    ['a read cap below 1 KiB cannot hold a CSV header and a row', { ...base, maxObjectBytes: 10 }, /maxObjectBytes/],
  ])('rejects: %s', (_why, input, message) => {
    const r = s3ConfigSchema.safeParse(input);
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toMatch(message);
  });
});
