import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type TestMariaDb } from './index.js';
import { useTempHome } from '../temp.js';
import { runScan } from '../../../shared/node/services/scan.js';
import { mysqlSource } from '../../../shared/node/sources/mysql/index.js';
import { registerSource } from '../../../shared/node/sources/registry.js';
import { Store } from '../../../shared/node/store/index.js';
import { parseCheckpoint, type BinlogCheckpoint } from '../../../shared/node/sources/mysql/binlog.js';

const SRC = 'shop-db';
const CHILD = join(import.meta.dirname, 'capture-child.ts');
const BATCHES = 120;
/** Per batch: 20 inserts into resume.a, 10 inserts into resume.b, then 5 updates of resume.b rows. */
const A_PER_BATCH = 20;
const B_PER_BATCH = 10;
const B_UPDATES_PER_BATCH = 5;

let db: TestMariaDb;
const home = useTempHome('driftline-mysql-resume-');
const children = new Set<ChildProcess>();

function startChild(workspace: string, follow: boolean): { child: ChildProcess; progress: number[]; exited: Promise<number | null>; output: () => string } {
  const config = {
    name: SRC, kind: 'mysql', region: 'cn-north-1', host: '127.0.0.1', port: db.port, user: 'root',
    databases: ['resume'], sampleRows: 10,
    binlog: { serverId: follow ? 5101 : 5102, follow, maxSeconds: 60 },
  };
  const source = { name: SRC, kind: 'mysql', region: 'cn-north-1', config, baseDir: home.dir };
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, workspace, JSON.stringify(source)], {
    cwd: join(import.meta.dirname, '../../..'),
    env: { ...process.env, DRIFTLINE_HOME: process.env.DRIFTLINE_HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const progress: number[] = [];
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
    for (const line of d.toString().split('\n')) {
      try {
        const p = JSON.parse(line) as { phase?: string; done?: number };
        if (p.phase && p.done !== undefined) progress.push(p.done);
      } catch { /* partial line */ }
    }
  });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => { children.delete(child); r(code); }));
  return { child, progress, exited, output: () => out };
}

function readCheckpoint(workspace: string): BinlogCheckpoint | undefined {
  // Straight from SQLite, read-only: Store.open checks the file header, which a live child's WAL has
  // not written back yet, and a writable open would mark the child's running snapshot as abandoned.
  const sqlite = new Database(workspace, { readonly: true, fileMustExist: true });
  try {
    return parseCheckpoint(sqlite.prepare(`SELECT value FROM checkpoints WHERE source = ? AND key = 'binlog'`).pluck().get(SRC) as string | undefined);
  } finally {
    sqlite.close();
  }
}

const savedRows = (cp: BinlogCheckpoint) => cp.counts.reduce((n, c) => n + c.inserts + c.updates + c.deletes, 0);
const countsOf = (cp: BinlogCheckpoint | undefined, table: string) => cp?.counts.find((c) => c.table === table) ?? { inserts: 0, updates: 0, deletes: 0 };

beforeAll(async () => {
  db = await startMariaDb();
  await db.query(`CREATE DATABASE resume; CREATE TABLE resume.a (id INT PRIMARY KEY AUTO_INCREMENT, email VARCHAR(64));
    CREATE TABLE resume.b (id INT PRIMARY KEY AUTO_INCREMENT, mobile CHAR(11), n INT DEFAULT 0)`);
  registerSource(mysqlSource);
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db?.stop();
  home.cleanup();
});

describe('binlog checkpoint resume', () => {
  it('loses and duplicates nothing when the capture is SIGKILLed mid-stream and restarted', async () => {
    const workspace = join(home.dir, 'resume.driftline');
    const first = startChild(workspace, true);

    // Wait until the first capture streams (its checkpoint is saved at the current end), bounded.
    for (let i = 0; i < 300 && readCheckpointSafe(workspace) === undefined; i++) await sleep(100);
    expect(readCheckpointSafe(workspace), first.output()).toBeDefined();

    let killedAt: number | undefined;
    let nextB = 1;
    for (let batch = 0; batch < BATCHES; batch++) {
      const aRows = Array.from({ length: A_PER_BATCH }, (_, i) => `('u${batch}-${i}@example.com')`).join(',');
      const bRows = Array.from({ length: B_PER_BATCH }, (_, i) => `('1380013${String((batch * B_PER_BATCH + i) % 10000).padStart(4, '0')}')`).join(',');
      await db.query(`START TRANSACTION; INSERT INTO resume.a (email) VALUES ${aRows}; INSERT INTO resume.b (mobile) VALUES ${bRows}; COMMIT`);
      await db.query(`UPDATE resume.b SET n = n + 1 WHERE id BETWEEN ${nextB} AND ${nextB + B_UPDATES_PER_BATCH - 1}`);
      nextB += B_UPDATES_PER_BATCH;
      // Kill once the capture has really streamed part of the rows, while inserts go on.
      const saved = killedAt === undefined ? readCheckpointSafe(workspace) : undefined;
      if (saved && savedRows(saved) >= 300) {
        first.child.kill('SIGKILL');
        killedAt = batch;
      }
      await sleep(5);
    }
    if (killedAt === undefined) first.child.kill('SIGKILL');
    await first.exited;
    expect(killedAt, `the capture must be killed mid-stream; output:\n${first.output()}`).toBeDefined();
    expect(killedAt!).toBeLessThan(BATCHES - 1);

    const afterKill = readCheckpoint(workspace)!;
    const totalA = BATCHES * A_PER_BATCH;
    const totalB = BATCHES * B_PER_BATCH;
    const totalBUpdates = BATCHES * B_UPDATES_PER_BATCH;
    const firstRunRows = savedRows(afterKill);
    expect(firstRunRows, 'the first run saved part of the stream').toBeGreaterThan(0);
    expect(firstRunRows, 'the first run did not see everything').toBeLessThan(totalA + totalB + totalBUpdates);

    // Restart: follow:false reads from the saved checkpoint to the current end, then stops.
    const second = startChild(workspace, false);
    const code = await Promise.race([second.exited, sleep(90_000).then(() => 'timeout' as const)]);
    expect(code, second.output()).toBe(0);
    expect(second.output()).toMatch(/"done":true/);

    const final = readCheckpoint(workspace)!;
    const secondRun = {
      a: countsOf(final, 'a').inserts - countsOf(afterKill, 'a').inserts,
      b: countsOf(final, 'b').inserts - countsOf(afterKill, 'b').inserts,
      bUpdates: countsOf(final, 'b').updates - countsOf(afterKill, 'b').updates,
    };
    expect(secondRun.a).toBeGreaterThan(0);
    // Per-table totals over both runs equal what was written: nothing lost, nothing counted twice.
    expect(countsOf(afterKill, 'a').inserts + secondRun.a).toBe(totalA);
    expect(countsOf(afterKill, 'b').inserts + secondRun.b).toBe(totalB);
    expect(countsOf(afterKill, 'b').updates + secondRun.bUpdates).toBe(totalBUpdates);
    expect(countsOf(final, 'a').deletes + countsOf(final, 'b').deletes).toBe(0);

    // The table nodes of the workspace carry the same totals, and the stream's values were classified.
    const store = Store.open(workspace, { readOnly: true });
    try {
      expect(store.graph.getNode(`mysql://${SRC}/resume/a`)!.props.cdc).toMatchObject({ inserts: totalA, updates: 0, deletes: 0 });
      expect(store.graph.getNode(`mysql://${SRC}/resume/b`)!.props.cdc).toMatchObject({ inserts: totalB, updates: totalBUpdates });
      expect(store.graph.getNode(`mysql://${SRC}/resume/a#email`)!.pii?.[0]?.entity).toBe('EMAIL');
      expect(store.graph.getNode(`mysql://${SRC}/resume/b#mobile`)!.pii?.[0]?.entity).toBe('CN_MOBILE');
    } finally {
      store.workspace.db.close();
    }
  }, 180_000);
});

describe('DDL through the scan service', () => {
  it('becomes a modified config change of the table', async () => {
    await db.query(`CREATE DATABASE ddl; CREATE TABLE ddl.t (id INT PRIMARY KEY, a VARCHAR(8))`);
    const store = Store.open(join(home.dir, 'ddl.driftline'), { create: true });
    const config = { name: SRC, kind: 'mysql', region: 'cn-north-1', host: '127.0.0.1', port: db.port, user: 'root', databases: ['ddl'], binlog: { serverId: 5201 } };
    const source = { name: SRC, kind: 'mysql', region: 'cn-north-1', config, baseDir: home.dir };
    try {
      expect((await runScan({ store, sources: [source], analyze: false })).ok).toBe(true);
      await db.query(`ALTER TABLE ddl.t ADD COLUMN email VARCHAR(64)`);
      expect((await runScan({ store, sources: [source], analyze: false })).ok).toBe(true);
      const changes = store.configs.changes({ urn: `mysql://${SRC}/ddl/t` });
      expect(changes.map((c) => c.change)).toEqual(['added', 'modified']);
      expect(JSON.stringify(changes[1].patch)).toMatch(/email/);
      expect(store.graph.getNode(`mysql://${SRC}/ddl/t#email`)?.kind).toBe('column');
    } finally {
      store.workspace.db.close();
    }
  });
});

function readCheckpointSafe(workspace: string): BinlogCheckpoint | undefined {
  try {
    return readCheckpoint(workspace);
  } catch {
    return undefined; // the child has not created the workspace yet
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
