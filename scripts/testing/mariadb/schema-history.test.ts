import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectCapture } from '../capture-harness.js';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type TestMariaDb } from './index.js';
import { people, uuid, seededRandom } from './pii-fixtures.js';
import { useTempHome } from '../temp.js';
import { runScan } from '../../../shared/node/services/scan.js';
import { mysqlSource } from '../../../shared/node/sources/mysql/index.js';
import { parseCheckpoint, type BinlogCheckpoint } from '../../../shared/node/sources/mysql/binlog.js';
import { registerSource } from '../../../shared/node/sources/registry.js';
import { Store } from '../../../shared/node/store/index.js';
import type { CaptureRecord } from '../../../shared/node/sources/source.js';
import { textOf } from '../../../shared/core/i18n/phrase.js';
import { englishSentences } from '../english-sentences.js';

/**
 * Issue 11, "must show": a real MariaDB with its DEFAULT binlog settings (binlog_row_metadata=MINIMAL:
 * row events carry no column names). Rows are written before and after ADD COLUMN … AFTER, DROP
 * COLUMN, RENAME COLUMN and MODIFY, while a capture streams; it is SIGKILLed after the first DDL and
 * resumed. Every column must get the verdict of its own values — never another column's — or an
 * explicit gap in the scan report.
 */
const SRC = 'hist-db';
const CHILD = join(import.meta.dirname, 'capture-child.ts');
const BATCH = 30;

let db: TestMariaDb;
const home = useTempHome('driftline-schema-history-');
const children = new Set<ChildProcess>();
let nextServerId = 6100;

const source = (database: string, binlog: Record<string, unknown>) => {
  const config = { name: SRC, kind: 'mysql', region: 'cn-north-1', host: '127.0.0.1', port: db.port, user: 'root', databases: [database], sampleRows: 1000, binlog: { serverId: nextServerId++, ...binlog } };
  return { name: SRC, kind: 'mysql', region: 'cn-north-1', config, baseDir: home.dir };
};

function startChild(workspace: string, src: ReturnType<typeof source>): { child: ChildProcess; exited: Promise<number | null>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, workspace, JSON.stringify(src)], { cwd: join(import.meta.dirname, '../../..'), env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => { children.delete(child); r(code); }));
  return { child, exited, output: () => out };
}

function savedCheckpoint(workspace: string): BinlogCheckpoint | undefined {
  try {
    const sqlite = new Database(workspace, { readonly: true, fileMustExist: true });
    try {
      return parseCheckpoint(sqlite.prepare(`SELECT value FROM checkpoints WHERE source = ? AND key = 'binlog'`).pluck().get(SRC) as string | undefined);
    } finally {
      sqlite.close();
    }
  } catch {
    return undefined; // not created yet
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  for (let waited = 0; waited < ms; waited += 100) {
    if (ok()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const r = seededRandom(1234);
const ps = people(20 * BATCH, 77);
let row = 0;
/** One batch of rows for the columns the table has now; every column holds its own kind of value. */
async function insertBatch(table: string, columns: ('national_id' | 'phone' | 'mobile' | 'email' | 'note')[]): Promise<void> {
  const values = Array.from({ length: BATCH }, () => {
    const p = ps[row++];
    const v = { national_id: p.idCard, phone: p.mobile, mobile: p.mobile, email: p.email, note: uuid(r) };
    return [row, ...columns.map((c) => v[c])];
  });
  await db.query(`INSERT INTO ${table} (id, ${columns.join(', ')}) VALUES ${values.map((v) => `(${v.map(() => '?').join(',')})`).join(',')}`, values.flat());
}

beforeAll(async () => {
  // The server's defaults: the test harness sets FULL, so MINIMAL is asked for explicitly.
  db = await startMariaDb({ settings: { binlog_row_metadata: 'MINIMAL' } });
  registerSource(mysqlSource);
});

afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await db?.stop();
  home.cleanup();
});

describe('CDC schema history on MariaDB with binlog_row_metadata=MINIMAL', () => {
  it('runs the server with its default row metadata', async () => {
    const [vars] = await db.query<{ m: string }[]>('SELECT @@binlog_row_metadata AS m');
    expect(vars.m).toBe('MINIMAL');
  });

  it('decodes rows before and after ADD COLUMN … AFTER, DROP, RENAME and MODIFY with the columns in force, across a SIGKILL', async () => {
    await db.query(`CREATE DATABASE hist; CREATE TABLE hist.people (id INT PRIMARY KEY, phone VARCHAR(20), email VARCHAR(64), note VARCHAR(64))`);
    const workspace = join(home.dir, 'hist.driftline');
    const first = startChild(workspace, source('hist', { follow: true, maxSeconds: 90 }));
    await until('the first capture to stream', () => savedCheckpoint(workspace)?.schema !== undefined);

    await insertBatch('hist.people', ['phone', 'email', 'note']);
    // After id: every later column moves one place — today's columns would put phones under national_id.
    await db.query('ALTER TABLE hist.people ADD COLUMN national_id CHAR(18) AFTER id');
    await insertBatch('hist.people', ['national_id', 'phone', 'email', 'note']);
    // Kill once the ALTER is in the saved checkpoint's definitions (it crossed a DDL), before the rest.
    await until('the ALTER to be checkpointed', () => JSON.stringify(savedCheckpoint(workspace)?.schema ?? '').includes('national_id'));
    first.child.kill('SIGKILL');
    await first.exited;

    await db.query('ALTER TABLE hist.people DROP COLUMN note');
    await insertBatch('hist.people', ['national_id', 'phone', 'email']);
    await db.query('ALTER TABLE hist.people RENAME COLUMN phone TO mobile');
    await insertBatch('hist.people', ['national_id', 'mobile', 'email']);
    await db.query('ALTER TABLE hist.people MODIFY email VARCHAR(128)');
    await insertBatch('hist.people', ['national_id', 'mobile', 'email']);
    // Deleted rows are classified too: they carry today's columns.
    await db.query('DELETE FROM hist.people WHERE id > 140');

    const second = startChild(workspace, source('hist', { follow: false }));
    expect(await Promise.race([second.exited, sleep(90_000).then(() => 'timeout')]), second.output()).toBe(0);

    const store = Store.open(workspace, { readOnly: true });
    try {
      const col = (c: string) => store.graph.getNode(`mysql://${SRC}/hist/people#${c}`);
      const entities = (c: string) => (col(c)?.pii ?? []).map((t) => t.entity).sort();
      // Each column's verdict comes from its own values only.
      expect(entities('national_id')).toEqual(['CN_RESIDENT_ID']);
      expect(entities('mobile')).toEqual(['CN_MOBILE']);
      expect(entities('email')).toEqual(['EMAIL']);
      expect(entities('note')).toEqual([]);
      expect(entities('id')).toEqual([]);
      // The renamed column keeps the phones streamed under its old name: all of them match, none is missing.
      const mobile = col('mobile')!.pii![0];
      expect(mobile.matches).toBe(mobile.sampled);
      // 140 rows sampled from the table today, then the resumed run streams from the checkpoint after the
      // ALTER: at least the three batches after the kill and the 10 deleted row images.
      expect(mobile.sampled).toBeGreaterThanOrEqual(140 + 3 * BATCH + 10);
      // What the killed run streamed under the old name is in the workspace too, as phones only.
      expect(entities('phone')).toEqual(['CN_MOBILE']);
      const nationalId = col('national_id')!.pii![0];
      expect(nationalId.matches).toBe(nationalId.sampled);
      const email = col('email')!.pii![0];
      expect(email.matches).toBe(email.sampled);
      expect(email.sampled).toBe(mobile.sampled);
      // Nothing was left unattributed: every position's definition was proven; the counts add up across the kill.
      const table = store.graph.getNode(`mysql://${SRC}/hist/people`)!;
      expect(table.props.cdc).toMatchObject({ inserts: 5 * BATCH, deletes: 10 });
      expect((table.props.cdc as { unattributed?: number }).unattributed).toBeUndefined();
      expect(store.snapshots.list().flatMap((s) => s.report.gaps)).toEqual([]);
    } finally {
      store.workspace.db.close();
    }
  }, 240_000);

  it('reports a gap — table, binlog range, fix — for rows from before any definition it can prove, and classifies none of them', async () => {
    await db.query(`CREATE DATABASE gapdb; CREATE TABLE gapdb.t (id INT PRIMARY KEY, phone VARCHAR(20), email VARCHAR(64))`);
    await insertBatch('gapdb.t', ['phone', 'email']);
    // The CREATE TABLE leaves the binlogs the server keeps: the oldest binlog starts after it.
    const [{ File: current }] = await db.query<{ File: string }[]>('FLUSH BINARY LOGS; SHOW MASTER STATUS').then((r: any) => r[1]);
    // A dump thread still reading an old file (a killed capture's) keeps it: retry until it is gone, bounded.
    for (let i = 0; i < 100; i++) {
      await db.query(`PURGE BINARY LOGS TO '${current}'`);
      const logs = await db.query<{ Log_name: string }[]>('SHOW BINARY LOGS');
      if (logs[0].Log_name === current) break;
      await sleep(200);
    }
    expect((await db.query<{ Log_name: string }[]>('SHOW BINARY LOGS'))[0].Log_name).toBe(current);
    await db.query('ALTER TABLE gapdb.t ADD COLUMN national_id CHAR(18) AFTER id');
    await insertBatch('gapdb.t', ['national_id', 'phone', 'email']);

    const store = Store.open(join(home.dir, 'gap.driftline'), { create: true });
    try {
      const result = await runScan({ store, sources: [source('gapdb', { from: 'earliest' })], analyze: false });
      expect(result.ok).toBe(true);
      const gaps = result.snapshots[0].report.gaps;
      expect(gaps).toEqual([expect.objectContaining({ item: `mysql://${SRC}/gapdb/t` })]);
      expect(gaps[0].reason).toMatch(/^30 row images between mariadb-bin\.\d+:\d+ and mariadb-bin\.\d+:\d+ were counted but not classified: .*oldest binlog.* — SET GLOBAL binlog_row_metadata=FULL .*binlog\.from: current/);
      // The same gap said in Chinese for the studio's Sources and Snapshots views: table range and fix, no English sentence left.
      const zh = textOf(gaps[0].reason, gaps[0].phrase, 'zh-CN');
      expect(zh).toMatch(/^mariadb-bin\.\d+:\d+ 至 mariadb-bin\.\d+:\d+ 之间的 30 条行镜像已计数但未分类/);
      expect(zh).toContain('SET GLOBAL binlog_row_metadata=FULL');
      expect(englishSentences(zh)).toEqual([]);
      const table = store.graph.getNode(`mysql://${SRC}/gapdb/t`)!;
      expect(table.props.cdc).toMatchObject({ inserts: BATCH, unattributed: BATCH });
      // Verdicts come from the sample of the table as it is now (60 rows), never from the unproven row images.
      for (const [c, entity, sampled] of [['phone', 'CN_MOBILE', 60], ['email', 'EMAIL', 60], ['national_id', 'CN_RESIDENT_ID', 30]] as const) {
        const node = store.graph.getNode(`mysql://${SRC}/gapdb/t#${c}`)!;
        expect(node.pii?.map((t) => [t.entity, t.sampled])).toEqual([[entity, sampled]]);
        expect(String(node.props.coverage)).toMatch(/30 row images of this table not classified/);
      }
      // Once the ALTER was seen, the history knows nothing more (no definition before it): still a gap, never a guess.
      expect(store.graph.getNode(`mysql://${SRC}/gapdb/t#@2`)).toBeUndefined();
    } finally {
      store.workspace.db.close();
    }
  }, 120_000);

  it('stops naming a table whose table map contradicts the definition in force (a DDL the binlog never saw)', async () => {
    await db.query(`CREATE DATABASE quiet; CREATE TABLE quiet.t (id INT PRIMARY KEY, email VARCHAR(64))`);
    const store = Store.open(join(home.dir, 'quiet.driftline'), { create: true });
    try {
      expect((await runScan({ store, sources: [source('quiet', {})], analyze: false })).ok).toBe(true);
      // sql_log_bin=0: this ALTER is not in the binlog, so the history cannot know it happened.
      await db.query('SET SESSION sql_log_bin = 0; ALTER TABLE quiet.t ADD COLUMN phone VARCHAR(20) AFTER id; SET SESSION sql_log_bin = 1');
      await insertBatch('quiet.t', ['phone', 'email']);
      const result = await runScan({ store, sources: [source('quiet', {})], analyze: false });
      expect(result.snapshots[0].report.gaps).toEqual([expect.objectContaining({ item: `mysql://${SRC}/quiet/t`, reason: expect.stringMatching(/table map has 3 columns where the definition in force has 2/) })]);
      // email's verdict is from the sample only; no phone value was ever counted as an email or the reverse.
      const email = store.graph.getNode(`mysql://${SRC}/quiet/t#email`)!;
      expect(email.pii?.map((t) => [t.entity, t.matches, t.sampled])).toEqual([['EMAIL', BATCH, BATCH]]);
    } finally {
      store.workspace.db.close();
    }
  }, 120_000);

  it('offline: names columns from the CREATE/ALTER in the same binlog, or from a mysqldump --no-data schemaFile, position by position', async () => {
    await db.query('FLUSH BINARY LOGS');
    const file = await db.currentBinlogFile();
    await db.query(`CREATE DATABASE off; CREATE TABLE off.people (id INT PRIMARY KEY, phone VARCHAR(20), email VARCHAR(64))`);
    await insertBatch('off.people', ['phone', 'email']);
    await db.query('ALTER TABLE off.people ADD COLUMN national_id CHAR(18) AFTER id');
    await insertBatch('off.people', ['national_id', 'phone', 'email']);
    await db.query('ALTER TABLE off.people RENAME COLUMN phone TO mobile');
    await insertBatch('off.people', ['national_id', 'mobile', 'email']);
    await db.query('FLUSH BINARY LOGS');
    const listing = execFileSync('mariadb-binlog', ['--base64-output=decode-rows', '-vv', '--print-table-metadata', file], { maxBuffer: 64 * 1024 * 1024 }).toString();
    writeFileSync(home.path('off.txt'), listing);
    const offline = (extra: Record<string, unknown> = {}) => collectCapture(mysqlSource, { name: SRC, kind: 'mysql', region: 'cn-north-1', file: 'off.txt', databases: ['off'], ...extra }, { baseDir: home.dir });
    const check = (records: Awaited<ReturnType<typeof offline>>['records']) => {
      const node = (c: string) => records.flatMap((r) => (r.type === 'node' && r.node.urn === `mysql://${SRC}/off/people#${c}` ? [r.node] : [])).pop();
      expect(node('national_id')?.pii?.map((t) => [t.entity, t.matches])).toEqual([['CN_RESIDENT_ID', 2 * BATCH]]);
      expect(node('mobile')?.pii?.map((t) => [t.entity, t.matches])).toEqual([['CN_MOBILE', 3 * BATCH]]);
      expect(node('email')?.pii?.map((t) => [t.entity, t.matches])).toEqual([['EMAIL', 3 * BATCH]]);
      expect(node('@2')).toBeUndefined();
      const config = records.filter((r) => r.type === 'config').pop() as { content: { columns: { name: string }[] } };
      expect(config.content.columns.map((c) => c.name)).toEqual(['id', 'national_id', 'mobile', 'email']);
    };
    check((await offline()).records);

    // Without the CREATE TABLE in the file: a gap, until a schemaFile gives the definition at the start.
    const cut = listing.slice(listing.indexOf('ALTER TABLE off.people ADD COLUMN') - 200);
    writeFileSync(home.path('off-cut.txt'), listing.slice(0, listing.indexOf('\n') + 1) + cut.slice(cut.indexOf('# at ')));
    // Schema gaps only: an offline capture without grantsFile also says who can read is unknown (issue #14's gap, item "… grants").
    const schemaGaps = (c: { records: CaptureRecord[] }) => c.records.filter((r) => r.type === 'gap' && !String((r as { item?: unknown }).item).endsWith(' grants'));
    const gapped = await collectCapture(mysqlSource, { name: SRC, kind: 'mysql', region: 'cn-north-1', file: 'off-cut.txt', databases: ['off'] }, { baseDir: home.dir });
    expect(schemaGaps(gapped).map((r) => (r as { reason: string }).reason)).toEqual([expect.stringMatching(/^\d+ row images between off-cut\.txt:\d+ and off-cut\.txt:\d+ were counted but not classified: .*schemaFile/)]);
    const offlineGap = schemaGaps(gapped)[0] as { reason: string; phrase?: unknown };
    expect(englishSentences(textOf(offlineGap.reason, offlineGap.phrase, 'zh-CN'))).toEqual([]);
    writeFileSync(home.path('schema.sql'), `-- MariaDB dump 10.19\n/*!40101 SET NAMES utf8mb4 */;\nUSE \`off\`;\nCREATE TABLE \`people\` (\n  \`id\` int(11) NOT NULL,\n  \`phone\` varchar(20) DEFAULT NULL,\n  \`email\` varchar(64) DEFAULT NULL,\n  PRIMARY KEY (\`id\`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n`);
    const dumped = await collectCapture(mysqlSource, { name: SRC, kind: 'mysql', region: 'cn-north-1', file: 'off-cut.txt', databases: ['off'], schemaFile: 'schema.sql' }, { baseDir: home.dir });
    expect(schemaGaps(dumped)).toEqual([]);
    const node = (c: string) => dumped.records.flatMap((r) => (r.type === 'node' && r.node.urn === `mysql://${SRC}/off/people#${c}` ? [r.node] : [])).pop();
    expect(node('national_id')?.pii?.map((t) => t.entity)).toEqual(['CN_RESIDENT_ID']);
    expect(node('mobile')?.pii?.map((t) => t.entity)).toEqual(['CN_MOBILE']);
  }, 120_000);
});
