import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, writeFileSync, readFileSync, copyFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { Store, SCHEMA_VERSION } from './index.js';

const tmp = useTempHome();
const ROOT = resolve(import.meta.dirname, '..', '..', '..');
afterAll(() => tmp.cleanup());

function chain(store: Store, n: number, prefix = 'mysql://db/shop/t'): void {
  store.transaction(() => {
    for (let i = 0; i < n; i++) store.graph.upsertNode({ urn: `${prefix}${i}`, kind: 'table', name: `t${i}`, source: 'db' });
    for (let i = 0; i < n - 1; i++) store.graph.upsertEdge({ from: `${prefix}${i}`, to: `${prefix}${i + 1}`, kind: 'cdc', confidence: 0.9, evidence: { rule: 'test', detail: 'chain' } });
  });
}

describe('workspace store', () => {
  let store: Store;
  beforeAll(() => {
    store = Store.open(tmp.path('w.driftline'), { create: true });
  });
  afterAll(() => store.close());

  it('creates a versioned WAL workspace marked as ours', () => {
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(store.workspace.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('upserts nodes by URN and keeps one row per URN', () => {
    store.graph.upsertNode({ urn: 'mysql://db/shop/users', kind: 'table', name: 'users', source: 'db', props: { rows: 1 } });
    store.graph.upsertNode({ urn: 'mysql://db/shop/users', kind: 'table', name: 'users', source: 'db', props: { rows: 2 } });
    expect(store.graph.getNode('mysql://db/shop/users')?.props).toEqual({ rows: 2 });
    expect(store.db.prepare(`SELECT count(*) FROM nodes WHERE urn = 'mysql://db/shop/users'`).pluck().get()).toBe(1);
  });

  it('refuses a node whose URN does not parse, writing nothing', () => {
    const before = store.graph.counts().nodes;
    expect(() => store.graph.upsertNode({ urn: 'not a urn', kind: 'table', name: 'x', source: 'db' })).toThrowError(expect.objectContaining({ code: 'INVALID_URN' }));
    expect(store.graph.counts().nodes).toBe(before);
  });

  it('walks downstream and upstream closures with a depth limit', () => {
    chain(store, 20);
    const down = store.graph.closure('mysql://db/shop/t0', 'downstream', { depth: 5 });
    expect(down.nodes.map((n) => n.name).sort()).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    const up = store.graph.closure('mysql://db/shop/t19', 'upstream');
    expect(up.nodes).toHaveLength(20);
    expect(up.edges).toHaveLength(19);
  });

  it('is safe on cycles', () => {
    chain(store, 5, 'mysql://db/cyc/t');
    store.graph.upsertEdge({ from: 'mysql://db/cyc/t4', to: 'mysql://db/cyc/t0', kind: 'cdc', confidence: 1, evidence: { rule: 'test', detail: 'back edge' } });
    const g = store.graph.closure('mysql://db/cyc/t0', 'downstream', { depth: 1000 });
    expect(g.nodes).toHaveLength(5);
  });

  it('caps closures and says so', () => {
    const g = store.graph.closure('mysql://db/shop/t0', 'downstream', { limit: 3 });
    expect(g.nodes).toHaveLength(3);
    expect(g.truncated).toBe(true);
  });

  it('keeps a placeholder for an edge endpoint not captured yet', () => {
    store.graph.upsertEdge({ from: 'mysql://db/shop/users', to: 'kafka://ev/shop.shop.users', kind: 'cdc', confidence: 0.8, evidence: { rule: 'test', detail: 'x' } });
    expect(store.graph.getNode('kafka://ev/shop.shop.users')?.props).toEqual({ placeholder: true });
  });

  it('finds nodes by URN fragment and by Chinese name (FTS5 trigram)', () => {
    store.graph.upsertNode({ urn: 'mysql://db/shop/customers#shouji', kind: 'column', name: '手机号码', source: 'db' });
    expect(store.graph.search('手机号').map((n) => n.urn)).toContain('mysql://db/shop/customers#shouji');
    expect(store.graph.search('customers#sho').map((n) => n.urn)).toContain('mysql://db/shop/customers#shouji');
    expect(store.graph.search('t1')[0]?.name).toMatch(/^t1/);
    expect(store.graph.search('"; DROP TABLE nodes; --')).toEqual([]);
  });

  it('keeps search in step when a node is renamed or a new one arrives', () => {
    store.graph.upsertNode({ urn: 'mysql://db/shop/customers#sfzh', kind: 'column', name: '身份证号', source: 'db' });
    expect(store.graph.search('身份证').map((n) => n.urn)).toContain('mysql://db/shop/customers#sfzh');
    store.graph.upsertNode({ urn: 'mysql://db/shop/customers#sfzh', kind: 'column', name: '证件号码', source: 'db' });
    expect(store.graph.search('证件号').map((n) => n.urn)).toContain('mysql://db/shop/customers#sfzh');
    expect(store.graph.search('身份证').map((n) => n.urn)).not.toContain('mysql://db/shop/customers#sfzh');
    expect(store.db.prepare(`INSERT INTO nodes_fts(nodes_fts) VALUES ('integrity-check')`).run().changes).toBeGreaterThanOrEqual(0);
  });

  it('records snapshots, config versions with hashes, changes and findings', () => {
    store.upsertSource({ name: 'db', kind: 'mysql', region: 'cn-north-1', config: { name: 'db' }, baseDir: tmp.dir });
    const id = store.snapshots.begin('db');
    store.configs.add({ urn: 'k8s://p/shop/ConfigMap/a', origin: 'live', snapshotId: id, contentHash: 'h1', contentJson: '{"a":1}', author: null, time: '2026-01-01T00:00:00Z', message: null, revision: null });
    store.findings.add({ type: 'pii', rule: 'pii.email', urn: 'mysql://db/shop/users', severity: 'medium', confidence: 0.9, evidence: '9 of 10', entity: 'EMAIL', matches: 9, sampled: 10, examples: ['j***@example.com'] }, 'test', id);
    store.snapshots.finish(id, 'complete', { contentHash: 'abc', stats: { node: 1 }, report: { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } } });
    expect(store.snapshots.get(id)?.status).toBe('complete');
    expect(store.configs.latest('k8s://p/shop/ConfigMap/a', 'live')?.content).toEqual({ a: 1 });
    expect(store.findings.list({ type: 'pii' })[0].finding.rule).toBe('pii.email');
    expect(() => store.findings.add({ type: 'pii', rule: 'x' } as never, 'test')).toThrow();
  });
});

describe('opening files that are not workspaces', () => {
  const unchanged = (path: string, fn: () => void) => {
    const before = readFileSync(path);
    fn();
    expect(readFileSync(path).equals(before)).toBe(true);
  };

  it('refuses a missing file unless asked to create it', () => {
    expect(() => Store.open(tmp.path('missing.driftline'))).toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }));
  });

  it.each([
    ['a text file', () => 'hello, this is not a database at all; it is long enough to look like something. '.repeat(3)],
    ['an empty file', () => ''],
    ['random bytes', () => Buffer.alloc(4096, 7).toString('latin1')],
  ])('refuses %s and changes nothing', (_what, make) => {
    const p = tmp.path(`bad-${Math.random()}.driftline`);
    writeFileSync(p, make(), 'latin1');
    unchanged(p, () => expect(() => Store.open(p)).toThrowError(expect.objectContaining({ code: 'NOT_A_WORKSPACE' })));
  });

  it('refuses another SQLite database and changes nothing', () => {
    const p = tmp.path('other.sqlite');
    const db = new Database(p);
    db.exec('CREATE TABLE t(x)');
    db.close();
    unchanged(p, () => expect(() => Store.open(p)).toThrowError(/not a Driftline workspace/));
  });

  it('refuses a workspace from a newer schema and changes nothing', () => {
    const p = tmp.path('newer.driftline');
    Store.open(p, { create: true }).close();
    const db = new Database(p);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    unchanged(p, () => expect(() => Store.open(p)).toThrowError(expect.objectContaining({ code: 'WORKSPACE_TOO_NEW' })));
  });

  it('refuses a truncated workspace with a clear error', () => {
    const p = tmp.path('full.driftline');
    const s = Store.open(p, { create: true });
    chain(s, 2000, 'mysql://db/big/t');
    s.db.pragma('wal_checkpoint(TRUNCATE)');
    s.db.pragma('journal_mode = DELETE');
    s.close();
    const cut = tmp.path('cut.driftline');
    copyFileSync(p, cut);
    writeFileSync(cut, readFileSync(cut).subarray(0, Math.floor(statSync(cut).size / 3)));
    unchanged(cut, () => expect(() => Store.open(cut)).toThrowError(expect.objectContaining({ code: expect.stringMatching(/WORKSPACE_CORRUPT|NOT_A_WORKSPACE/) })));
  });

  it('opens read-only without writing', () => {
    const p = tmp.path('ro.driftline');
    Store.open(p, { create: true }).close();
    const ro = Store.open(p, { readOnly: true });
    expect(ro.readOnly).toBe(true);
    expect(() => ro.graph.upsertNode({ urn: 'mysql://d/x', kind: 'database', name: 'x', source: 'd' })).toThrow(/readonly/i);
    ro.close();
  });
});

describe('one writer per workspace (in one process and across pids)', () => {
  it('refuses a second writer with a message naming the holder, and lets it in once the first closes', async () => {
    const p = tmp.path('one-writer.driftline');
    const first = Store.open(p, { create: true, purpose: 'driftline scan' });
    expect(() => Store.open(p)).toThrowError(expect.objectContaining({ code: 'WORKSPACE_BUSY', message: expect.stringMatching(new RegExp(`is being written by process ${process.pid} \\(driftline scan, since `)) }));
    // Readers are never refused, and never write.
    const reader = Store.open(p, { readOnly: true });
    const waiting = Store.openWriter(p, { waitMs: 30_000, purpose: 'second' });
    first.close();
    const second = await waiting;
    expect(second.workspace.writer?.record.purpose).toBe('second');
    second.close();
    reader.close();
  });

  it.each<[{ pid: number; start: string | null }, boolean, string]>([
    [{ pid: 1, start: '0' }, true, 'pid 1 runs, but started at another time: the pid was reused, the holder is gone'],
    [{ pid: 2 ** 22 + 12345, start: null }, true, 'no process has this pid'],
    [{ pid: 1, start: null }, false, 'pid 1 runs and its start time is unknown: it may be the holder'],
  ])('a recorded holder %j is taken over: %s (%s)', (holder, takenOver) => {
    const p = tmp.path(`stale-${holder.pid}-${holder.start}.driftline`);
    const s = Store.open(p, { create: true });
    s.upsertSource({ name: 'db', kind: 'mysql', region: 'r', config: {}, baseDir: tmp.dir });
    s.snapshots.begin('db');
    s.close();
    const db = new Database(p);
    db.prepare(`INSERT INTO meta(key, value) VALUES ('writer', ?)`).run(JSON.stringify({ ...holder, host: hostname(), purpose: 'driftline scan', since: '2026-01-01T00:00:00Z', token: 't' }));
    db.close();
    if (takenOver) {
      const next = Store.open(p);
      expect(next.snapshots.list()[0]).toMatchObject({ status: 'failed', report: { error: `interrupted: process ${holder.pid} (driftline scan, since 2026-01-01T00:00:00Z) ended before the snapshot was complete` } });
      next.close();
    } else {
      expect(() => Store.open(p)).toThrowError(expect.objectContaining({ code: 'WORKSPACE_BUSY', message: expect.stringContaining('being written by process 1 (driftline scan') }));
      expect(Store.open(p, { readOnly: true }).snapshots.list()[0].status).toBe('running');
    }
  });

  it('refuses a foreign SQLite file that forges the application_id, and changes nothing', () => {
    const p = tmp.path('forged.sqlite');
    const db = new Database(p);
    db.exec('CREATE TABLE accounts(id INTEGER PRIMARY KEY, owner TEXT)');
    db.pragma('application_id = 1146242644'); // 0x44524654, "DRFT"
    db.close();
    const before = readFileSync(p);
    for (const options of [{}, { create: true }, { readOnly: true }]) {
      expect(() => Store.open(p, options)).toThrowError(expect.objectContaining({ code: 'NOT_A_WORKSPACE', message: expect.stringMatching(/carries Driftline's application_id but is not a Driftline workspace .*Nothing was changed/) }));
    }
    expect(readFileSync(p).equals(before)).toBe(true);
    const after = new Database(p, { readonly: true });
    expect(after.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all()).toEqual(['accounts']);
    after.close();
  });
});

describe('a workspace on read-only media', () => {
  it('can be read when neither it nor its folder can be written (0444 file, read-only mount, WAL mode)', () => {
    const media = tmp.path('media');
    const mount = tmp.path('mnt');
    mkdirSync(media);
    mkdirSync(mount);
    const writer = Store.open(join(media, 'audit.driftline'), { create: true });
    chain(writer, 30, 'mysql://db/ro/t');
    // Copied while a writer has it open: the main file and an un-checkpointed -wal, as a crash leaves them.
    copyFileSync(join(media, 'audit.driftline'), join(media, 'copy.driftline'));
    copyFileSync(join(media, 'audit.driftline-wal'), join(media, 'copy.driftline-wal'));
    writer.close();
    for (const f of readdirSync(media)) chmodSync(join(media, f), 0o444);
    chmodSync(media, 0o555);
    const script = join(tmp.dir, 'read-ro.ts');
    writeFileSync(script, `import { Store } from ${JSON.stringify(join(ROOT, 'shared/node/store/index.ts'))};\nfor (const f of ['audit.driftline', 'copy.driftline']) {\n  const s = Store.open(${JSON.stringify(mount)} + '/' + f, { readOnly: true });\n  console.log(f, s.graph.counts().nodes, s.workspace.readFromCopy === true);\n  s.close();\n}\n`);
    // An unprivileged user+mount namespace gives a real read-only bind mount, root or not.
    const shell = `mount --bind ${media} ${mount} && mount -o remount,bind,ro ${mount} && touch ${mount}/probe 2>/dev/null && echo WRITABLE; exec ${process.execPath} --import tsx ${script}`;
    let out: string;
    try {
      out = execFileSync('unshare', ['--map-root-user', '--mount', 'sh', '-c', shell], { cwd: ROOT, encoding: 'utf8' });
    } catch (err) {
      throw new Error(`this test needs unshare (util-linux) with user namespaces to make a read-only mount: ${(err as Error).message}`);
    } finally {
      chmodSync(media, 0o755);
    }
    expect(out).not.toContain('WRITABLE');
    expect(out.trim().split('\n')).toEqual(['audit.driftline 30 true', 'copy.driftline 30 true']);
    expect(readdirSync(media).sort()).toEqual(['audit.driftline', 'copy.driftline', 'copy.driftline-wal']);
  });
});
