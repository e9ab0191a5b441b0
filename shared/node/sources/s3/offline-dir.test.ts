import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3Urn } from '../../../core/model/urn.js';
import { collectCapture, type CollectedCapture } from '../../../../scripts/testing/capture-harness.js';
import { lakeFixture, type LakeFixture } from '../../../../scripts/testing/s3/lake-fixture.js';
import { s3Source } from './index.js';

const nodesOf = (c: CollectedCapture) => new Map(c.records.flatMap((r) => (r.type === 'node' ? [[r.node.urn, r.node] as const] : [])));

describe('s3 source from a copied folder (dir:)', () => {
  let tmp: string;
  let lake: LakeFixture;
  let cap: CollectedCapture;
  const OUTSIDE_EMAIL = 'outside.secret@example.org';

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'driftline-s3-offline-'));
    const dir = join(tmp, 'lake');
    lake = lakeFixture();
    for (const o of lake.objects) {
      const path = join(dir, o.bucket, ...o.key.split('/'));
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, o.body);
    }
    // Outside the copied store: a file and a directory a hostile copy links to.
    const outside = join(tmp, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'leak.csv'), `email\n${OUTSIDE_EMAIL}\n${OUTSIDE_EMAIL}\n`);
    await writeFile(join(outside, 'more.json'), JSON.stringify([{ email: OUTSIDE_EMAIL }]));
    await symlink(join(outside, 'leak.csv'), join(dir, 'lake-eu', 'exports', 'leak.csv'));
    await symlink(outside, join(dir, 'lake-eu', 'escape'));
    await symlink('../../../outside/leak.csv', join(dir, 'lake-cn', 'users', 'relative-leak.csv'));
    await symlink(outside, join(dir, 'outside-bucket'));
    // A link that stays inside the store is an ordinary alias and is followed.
    await mkdir(join(dir, 'lake-cn', 'mirror'), { recursive: true });
    await symlink(join(dir, 'lake-cn', 'users', 'users.json'), join(dir, 'lake-cn', 'mirror', 'users.json'));
    cap = await collectCapture(s3Source, { name: 'lake-copy', kind: 's3', region: 'cn-north-1', dir: 'lake' }, { baseDir: tmp });
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('yields the same buckets, prefixes and fields as a live store, in the source\'s region', () => {
    const n = nodesOf(cap);
    expect(n.get(s3Urn('lake-copy', 'lake-eu'))).toMatchObject({ kind: 'bucket', region: 'cn-north-1', props: { location: null, versioning: 'offline', policy: { status: 'offline' } } });
    expect(n.get(s3Urn('lake-copy', 'lake-eu', 'topics/shop.shop.users'))).toMatchObject({ kind: 'prefix', props: { count: 2, dataset: true } });
    for (const [field, entity] of [['email', 'EMAIL'], ['mobile', 'CN_MOBILE'], ['id_card', 'CN_RESIDENT_ID']]) {
      expect(n.get(s3Urn('lake-copy', 'lake-eu', 'topics/shop.shop.users', field))?.pii?.map((p) => p.entity)).toEqual([entity]);
    }
    expect(n.get(s3Urn('lake-copy', 'lake-eu', 'exports', 'sfzh'))?.pii?.map((p) => p.entity)).toEqual(['CN_RESIDENT_ID']);
    expect(n.get(s3Urn('lake-copy', 'lake-cn', 'mirror', 'shouji'))?.pii?.map((p) => p.entity)).toEqual(['CN_MOBILE']);
    // broken.json.gz is corrupt gzip; table.parquet has Parquet's magic bytes around garbage (read, and found corrupt).
    expect(cap.failures.map((f) => f.item).sort()).toEqual(['s3://lake-copy/lake-eu/exports/broken.json.gz', 's3://lake-copy/lake-eu/exports/table.parquet']);
  });

  it('does not follow links out of the folder, and says which ones it skipped', () => {
    const n = nodesOf(cap);
    expect([...n.keys()].filter((u) => u.includes('escape') || u.includes('leak') || u.includes('outside-bucket'))).toEqual([]);
    // customers.csv, broken.json.gz, table.parquet — not the linked leak.csv.
    expect(n.get(s3Urn('lake-copy', 'lake-eu', 'exports'))!.props!.count).toBe(3);
    const skipped = cap.warnings.filter((w) => w.message.includes('links outside')).map((w) => w.item).sort();
    expect(skipped).toEqual(['lake-cn/users/relative-leak.csv', 'lake-eu/escape', 'lake-eu/exports/leak.csv', 'outside-bucket']);
    const everything = JSON.stringify([cap.records, cap.warnings, cap.failures, cap.progress]);
    expect(everything).not.toContain(OUTSIDE_EMAIL);
    expect(lake.raw.filter((v) => everything.includes(v))).toEqual([]);
  });

  it('names a missing folder and what it should hold', async () => {
    await expect(collectCapture(s3Source, { name: 'gone', kind: 's3', region: 'cn-north-1', dir: 'no-such-dir' }, { baseDir: tmp })).rejects.toThrow(
      /^s3:\/\/gone: dir .*no-such-dir is not a readable directory — point "dir" at a copied store laid out as <dir>\/<bucket>\/<key>$/,
    );
  });
});

describe('s3 folders named after people', () => {
  it('never puts the name in a URN: a PII folder becomes <ENTITY~fingerprint>', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'driftline-s3-pii-prefix-'));
    const put = async (key: string, body: string) => {
      await mkdir(dirname(join(dir, 'crm', key)), { recursive: true });
      await writeFile(join(dir, 'crm', key), body);
    };
    await put('customers/alice.wang@example.com/profile.json', JSON.stringify({ plan: 'gold' }));
    await put('customers/bob.li@example.com/profile.json', JSON.stringify({ plan: 'free' }));
    await put('phones/13812345678/calls.json', JSON.stringify({ n: 3 }));
    try {
      const out = await collectCapture(s3Source, { name: 'crm-store', kind: 's3', region: 'cn-north-1', dir: '.' }, { baseDir: dir });
      const text = JSON.stringify(out);
      for (const raw of ['alice.wang@example.com', 'bob.li@example.com', '13812345678']) expect(text).not.toContain(raw);
      const prefixes = out.records.filter((r) => r.type === 'node' && r.node.kind === 'prefix').map((r) => (r as { node: { urn: string } }).node.urn);
      const people = prefixes.filter((u) => u.includes('customers/'));
      expect(people).toHaveLength(2);
      for (const u of people) expect(u).toMatch(/customers\/<EMAIL~[0-9a-f]{10}>$/);
      expect(new Set(people).size).toBe(2);
      expect(prefixes.some((u) => /phones\/<CN_MOBILE~[0-9a-f]{10}>$/.test(u))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
