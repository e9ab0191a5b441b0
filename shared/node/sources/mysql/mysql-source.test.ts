import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { startMariaDb, type TestMariaDb } from '../../../../scripts/testing/mariadb/index.js';
import { people, seededRandom, type Person } from '../../../../scripts/testing/mariadb/pii-fixtures.js';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { createLogger } from '../../log/logger.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import type { GraphNodeInput, PiiTag } from '../../../core/model/graph.js';
import { mysqlSource } from './index.js';
import { parseCheckpoint } from './binlog.js';

const run = promisify(execFile);
const SRC = 'shop-db';
const PEOPLE: Person[] = people(200);
const BIG_ROWS = 5000;
const SIXTEEN_MB = 16 * 1024 * 1024;

let db: TestMariaDb;
const home = useTempHome('driftline-mysql-test-');
let nextServerId = 4242;

const nodes = (records: CaptureRecord[]): GraphNodeInput[] => records.flatMap((r) => (r.type === 'node' ? [r.node] : []));
/** The last version of a node in a record stream (CDC re-yields nodes as they change). */
const nodeByUrn = (records: CaptureRecord[], urn: string): GraphNodeInput | undefined => nodes(records).filter((n) => n.urn === urn).pop();
const entities = (n: GraphNodeInput | undefined) => (n?.pii ?? []).map((t) => t.entity).sort();
const col = (table: string, column: string, db_ = 'shop') => `mysql://${SRC}/${db_}/${table}#${column}`;

function live(extra: Record<string, unknown> = {}, user = 'root', password?: string) {
  if (password) process.env.DRIFTLINE_TEST_MYSQL_PW = password;
  return {
    name: SRC, kind: 'mysql', region: 'cn-north-1', host: '127.0.0.1', port: db.port, user,
    ...(password ? { passwordEnv: 'DRIFTLINE_TEST_MYSQL_PW' } : {}),
    databases: ['shop'], sampleRows: 1000, ...extra,
  };
}

const esc = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;

beforeAll(async () => {
  db = await startMariaDb();
  await db.query(`CREATE DATABASE shop CHARACTER SET utf8mb4;
    CREATE TABLE shop.users (
      id INT PRIMARY KEY AUTO_INCREMENT,
      name VARCHAR(32) COMMENT '姓名',
      mobile CHAR(11), email VARCHAR(64), id_card CHAR(18), bank_card VARCHAR(19), address VARCHAR(128),
      order_no CHAR(18), request_id CHAR(36), created_at DATETIME,
      avatar BLOB, raw_note VARBINARY(64), legacy VARCHAR(32) CHARACTER SET latin1, bio LONGTEXT,
      UNIQUE KEY uk_mobile (mobile)
    ) COMMENT 'customers';
    CREATE TABLE shop.big_events (id BIGINT PRIMARY KEY, kind VARCHAR(16), contact VARCHAR(64));
    CREATE TABLE shop.audit_blobs (k VARBINARY(16) PRIMARY KEY, body MEDIUMBLOB);`);
  const values = PEOPLE.map((p) => `(${[p.name, p.mobile, p.email, p.idCard, p.bankCard, p.address, p.orderNo, p.requestId, p.createdAt].map(esc).join(',')}, x'89504e470d0a1a0a', x'c328a0a1ff', x'e9e8ff', NULL)`);
  await db.query(`INSERT INTO shop.users (name, mobile, email, id_card, bank_card, address, order_no, request_id, created_at, avatar, raw_note, legacy, bio) VALUES ${values.join(',')}`);
  // One 16 MB cell: the scan must read only its first 4 KB.
  await db.query(`UPDATE shop.users SET bio = REPEAT('长', ${SIXTEEN_MB / 3}) WHERE id = 7`);
  const r = seededRandom(7);
  for (let start = 0; start < BIG_ROWS; start += 1000) {
    const rows = Array.from({ length: 1000 }, (_, i) => `(${(start + i) * 3 + 1}, 'click', ${esc(`u${start + i}@example.org`)})`);
    await db.query(`INSERT INTO shop.big_events VALUES ${rows.join(',')}`);
  }
  await db.query(`INSERT INTO shop.audit_blobs VALUES (x'00ff', x'${Buffer.from(Array.from({ length: 64 }, () => Math.floor(r() * 256))).toString('hex')}'); ANALYZE TABLE shop.users, shop.big_events`);
  await db.createUser('auditor', 'audit-pw', ['SELECT ON *.*', 'REPLICATION SLAVE ON *.*', 'REPLICATION CLIENT ON *.*']);
  await db.createUser('norepl', 'norepl-pw', ['SELECT ON *.*', 'REPLICATION CLIENT ON *.*']);
});

afterAll(async () => {
  await db?.stop();
  home.cleanup();
});

describe('schema and sampling', () => {
  let records: CaptureRecord[];
  let failures: { item: string; error: unknown }[];
  beforeAll(async () => {
    const out = await collectCapture(mysqlSource, live());
    records = out.records;
    failures = out.failures;
  });

  it('yields database, table and column nodes with contains edges', () => {
    expect(failures).toEqual([]);
    const dbNode = nodeByUrn(records, `mysql://${SRC}/shop`);
    expect(dbNode?.kind).toBe('database');
    const users = nodeByUrn(records, `mysql://${SRC}/shop/users`)!;
    expect(users).toMatchObject({ kind: 'table', parent: `mysql://${SRC}/shop`, props: { engine: 'InnoDB', comment: 'customers', primaryKey: ['id'] } });
    expect(users.props!.rowsEstimate).toBeGreaterThan(0);
    const mobile = nodeByUrn(records, col('users', 'mobile'))!;
    expect(mobile).toMatchObject({ kind: 'column', parent: `mysql://${SRC}/shop/users`, props: { type: 'char(11)', key: 'UNI', nullable: true } });
    expect(nodeByUrn(records, col('users', 'name'))!.props!.comment).toBe('姓名');
    const edges = records.flatMap((r) => (r.type === 'edge' ? [r.edge] : []));
    expect(edges).toContainEqual(expect.objectContaining({ from: `mysql://${SRC}/shop`, to: `mysql://${SRC}/shop/users`, kind: 'contains', evidence: expect.objectContaining({ rule: 'mysql.schema' }) }));
    expect(edges).toContainEqual(expect.objectContaining({ from: `mysql://${SRC}/shop/users`, to: col('users', 'mobile'), kind: 'contains' }));
  });

  it.each([
    ['name', ['PERSON_NAME']],
    ['mobile', ['CN_MOBILE']],
    ['email', ['EMAIL']],
    ['id_card', ['CN_RESIDENT_ID']],
    ['bank_card', ['BANK_CARD']],
    ['address', ['ADDRESS']],
    ['order_no', []], // decoy: 18 digits failing the GB 11643 check character
    ['request_id', []], // decoy: UUIDs
    ['created_at', []], // decoy: timestamps
    ['id', []],
  ])('column %s gets verdicts %j', (column, expected) => {
    const n = nodeByUrn(records, col('users', column))!;
    expect(n.pii, `every column carries a verdict list, even if empty`).toBeDefined();
    expect(entities(n)).toEqual(expected);
    for (const t of n.pii as PiiTag[]) {
      expect(t.sampled).toBe(PEOPLE.length);
      expect(t.matches).toBe(PEOPLE.length);
      expect(t.examples.length).toBeGreaterThan(0);
      expect(t.examples.every((e) => e.includes('*'))).toBe(true);
    }
    expect(n.props!.coverage).toMatch(/^(sampled|scanned) /);
  });

  it('keeps at most 50 keyed fingerprints for PII columns and none for decoys', () => {
    const fps = nodeByUrn(records, col('users', 'mobile'))!.props!.fingerprints as string[];
    expect(fps.length).toBe(50);
    expect(fps.every((f) => /^[0-9a-f]{64}$/.test(f))).toBe(true);
    expect(nodeByUrn(records, col('users', 'order_no'))!.props!.fingerprints).toEqual([]);
  });

  it('never lets a raw value into the records', () => {
    const text = JSON.stringify(records);
    for (const p of PEOPLE) {
      for (const v of [p.mobile, p.email, p.idCard, p.bankCard, p.address, p.orderNo, p.requestId]) expect(text.includes(v), v).toBe(false);
    }
    // Names are two or three characters: check the three-character ones only (two may occur in masks by chance).
    for (const p of PEOPLE.filter((x) => x.name.length >= 3)) expect(text.includes(p.name), p.name).toBe(false);
  });

  it('reports binary columns as binary, handles invalid UTF-8 and reads only 4 KB of a 16 MB cell', () => {
    for (const c of ['avatar', 'raw_note']) {
      const n = nodeByUrn(records, col('users', c))!;
      expect(n.props).toMatchObject({ binary: true, coverage: 'binary column: not classified as text' });
      expect(n.pii).toEqual([]);
    }
    expect(nodeByUrn(records, col('users', 'legacy'))!.pii).toEqual([]);
    expect(nodeByUrn(records, col('users', 'bio'))!.pii).toEqual([]);
    const blobs = nodeByUrn(records, `mysql://${SRC}/shop/audit_blobs`)!;
    expect(blobs.props!.coverage).toMatch(/binary columns only/);
  });

  it('samples a big table from random primary-key ranges, bounded by sampleRows', async () => {
    const out = await collectCapture(mysqlSource, live({ sampleRows: 200 }));
    const big = nodeByUrn(out.records, `mysql://${SRC}/shop/big_events`)!;
    expect(big.props!.coverage).toMatch(/^sampled 200 of ~[\d,]+ rows \(random primary-key ranges of 50 rows\)$/);
    const contact = nodeByUrn(out.records, col('big_events', 'contact'))!;
    expect(contact.pii?.[0]).toMatchObject({ entity: 'EMAIL', sampled: 200, matches: 200 });
    const statements = await db.statementsBy('root');
    expect(statements.some((s) => /ORDER BY RAND\(\)/i.test(s.argument))).toBe(false);
    expect(statements.some((s) => /FROM `shop`\.`big_events` WHERE `id` >= \? ORDER BY `id` LIMIT 50|FROM `shop`\.`big_events` WHERE `id` >= '\d+' ORDER BY `id` LIMIT 50/.test(s.argument))).toBe(true);
  });

  it('yields a config record per table with its DDL-level definition and no data', () => {
    const cfg = records.find((r) => r.type === 'config' && r.urn === `mysql://${SRC}/shop/users`);
    expect(cfg).toMatchObject({ origin: 'live', content: { engine: 'InnoDB', primaryKey: ['id'] } });
    const content = (cfg as { content: { columns: { name: string; type: string }[]; indexes: { name: string }[] } }).content;
    expect(content.columns.map((c) => c.name)).toContain('id_card');
    expect(content.indexes.map((i) => i.name).sort()).toEqual(['PRIMARY', 'uk_mobile']);
    expect(JSON.stringify(content)).not.toMatch(/rowsEstimate|@example\.com/);
  });
});

describe('privileges and read-only proof', () => {
  it('scans as an auditor with only SELECT, REPLICATION SLAVE and REPLICATION CLIENT, sending nothing that writes', async () => {
    const config = live({ binlog: { serverId: nextServerId++, from: 'earliest' } }, 'auditor', 'audit-pw');
    const out = await collectCapture(mysqlSource, config);
    expect(out.failures).toEqual([]);
    expect(nodeByUrn(out.records, col('users', 'mobile'))!.pii?.[0].entity).toBe('CN_MOBILE');
    const cp = parseCheckpoint((out.records.filter((r) => r.type === 'checkpoint').pop() as { value: string }).value)!;
    expect(cp.counts.find((c) => c.table === 'users')?.inserts, 'the binlog was read from its start').toBe(PEOPLE.length);
    const sent = await db.statementsBy('auditor');
    const queries = sent.filter((s) => s.command === 'Query').map((s) => s.argument);
    expect(queries.some((q) => /^SELECT .* FROM `shop`\.`users`/s.test(q))).toBe(true);
    expect(sent.some((s) => s.command === 'Binlog Dump')).toBe(true);
    const writes = queries.filter((q) => /^\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP|TRUNCATE|RENAME|GRANT|REVOKE|LOAD|CALL|LOCK|HANDLER|KILL|FLUSH|PURGE|RESET|SET\s+(GLOBAL|PASSWORD)|START\s+TRANSACTION(?!\s+READ\s+ONLY))/i.test(q));
    expect(writes).toEqual([]);
    expect(queries.filter((q) => /^START TRANSACTION/i.test(q)).every((q) => /READ ONLY/i.test(q))).toBe(true);
  });

  it('names REPLICATION SLAVE and the GRANT when the user lacks it', async () => {
    const err = await collectCapture(mysqlSource, live({ binlog: { serverId: nextServerId++ } }, 'norepl', 'norepl-pw')).catch((e) => e);
    expect(err).toMatchObject({ code: 'SOURCE_PERMISSION' });
    expect(err.message).toBe(`mysql://${SRC}: user norepl lacks REPLICATION SLAVE — GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'norepl'@'%'`);
  });

  it('says which password variable to check when the server refuses the login', async () => {
    const err = await collectCapture(mysqlSource, live({}, 'auditor', 'wrong')).catch((e) => e);
    expect(err).toMatchObject({ code: 'SOURCE_AUTH' });
    expect(err.message).toMatch(/refused user auditor — check the user and the password/);
  });

  it('refuses CDC when the server does not write ROW binlogs, naming binlog_format', async () => {
    await db.query(`SET GLOBAL binlog_format = 'STATEMENT'`);
    try {
      const err = await collectCapture(mysqlSource, live({ binlog: { serverId: nextServerId++ } })).catch((e) => e);
      expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
      expect(err.message).toMatch(/binlog_format=STATEMENT; CDC needs binlog_format=ROW/);
    } finally {
      await db.query(`SET GLOBAL binlog_format = 'ROW'`);
    }
  });

  it('testConnection reports what it can see, or the missing privilege', async () => {
    const ctx = { baseDir: home.dir, signal: new AbortController().signal, log: createLogger('test') };
    const ok = await mysqlSource.testConnection(mysqlSource.configSchema.parse(live({ binlog: { serverId: 1 } }, 'auditor', 'audit-pw')), ctx);
    expect(ok.ok).toBe(true);
    expect(ok.message).toMatch(/as auditor@%; 1 database\(s\), 3 table\(s\) visible; binlog readable/);
    const denied = await mysqlSource.testConnection(mysqlSource.configSchema.parse(live({ binlog: { serverId: 1 } }, 'norepl', 'norepl-pw')), ctx);
    expect(denied).toEqual({ ok: false, message: `mysql://${SRC}: user norepl lacks REPLICATION SLAVE — GRANT REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'norepl'@'%'` });
  });

  it('rejects a config with both host and file, and a password in passwordEnv', () => {
    expect(() => mysqlSource.configSchema.parse({ ...live(), file: 'x.txt' })).toThrow(/exactly one of host/);
    expect(() => mysqlSource.configSchema.parse({ ...live(), passwordEnv: 'pa ss!' })).toThrow(/environment variable/);
  });
});

describe('a table dropped mid-scan', () => {
  it('fails that table and goes on', async () => {
    await db.query(`CREATE DATABASE shrink; CREATE TABLE shrink.a (id INT PRIMARY KEY, email VARCHAR(64)); CREATE TABLE shrink.b (id INT PRIMARY KEY); CREATE TABLE shrink.c (id INT PRIMARY KEY, mobile CHAR(11));
      INSERT INTO shrink.a VALUES (1, 'a@example.com'); INSERT INTO shrink.c VALUES (1, '13800138000')`);
    const config = mysqlSource.configSchema.parse({ ...live(), databases: ['shrink'] });
    const failures: { item: string; error: unknown }[] = [];
    const ctx: CaptureContext = {
      sourceName: SRC, region: 'cn-north-1', baseDir: home.dir, signal: new AbortController().signal, log: createLogger('test'),
      fingerprint: (v) => v.length.toString(), progress: () => {}, warn: () => {}, fail: (item, error) => failures.push({ item, error }), checkpoint: () => undefined,
    };
    const got: CaptureRecord[] = [];
    let dropped = false;
    for await (const r of mysqlSource.capture(config, ctx)) {
      got.push(r);
      // The schema is read before sampling: drop b once a has been yielded and b has not been read yet.
      if (!dropped && r.type === 'config' && r.urn.endsWith('/shrink/a')) {
        await db.query('DROP TABLE shrink.b');
        dropped = true;
      }
    }
    expect(dropped).toBe(true);
    expect(failures.map((f) => f.item)).toEqual([`mysql://${SRC}/shrink/b`]);
    expect(String((failures[0].error as Error).message)).toMatch(/disappeared during the scan/);
    expect(nodeByUrn(got, `mysql://${SRC}/shrink/b`)).toBeUndefined();
    expect(entities(nodeByUrn(got, col('c', 'mobile', 'shrink')))).toEqual(['CN_MOBILE']);
  });
});

describe('CDC from the binlog', () => {
  it('counts inserts, updates and deletes per table and classifies streamed values', async () => {
    await db.query(`CREATE DATABASE cdc; CREATE TABLE cdc.contacts (id INT PRIMARY KEY AUTO_INCREMENT, phone VARCHAR(20), note VARCHAR(64))`);
    const first = await collectCapture(mysqlSource, live({ databases: ['cdc'], binlog: { serverId: nextServerId++ } }));
    const cp = first.records.filter((r) => r.type === 'checkpoint').pop() as { value: string };
    expect(parseCheckpoint(cp.value)).toMatchObject({ file: expect.stringMatching(/mariadb-bin\.\d+/), pos: expect.any(Number), counts: [] });

    const ps = people(30, 99);
    for (const p of ps) await db.query(`INSERT INTO cdc.contacts (phone, note) VALUES (?, ?)`, [p.mobile, p.requestId]);
    await db.query(`UPDATE cdc.contacts SET note = 'checked' WHERE id <= 5; DELETE FROM cdc.contacts WHERE id > 27`);

    const second = await collectCapture(mysqlSource, live({ databases: ['cdc'], binlog: { serverId: nextServerId++ } }), { checkpoints: { binlog: cp.value } });
    const table = nodeByUrn(second.records, `mysql://${SRC}/cdc/contacts`)!;
    expect(table.props!.cdc).toMatchObject({ inserts: 30, updates: 5, deletes: 3, lastPosition: expect.stringMatching(/^mariadb-bin\.\d+:\d+$/) });
    const phone = nodeByUrn(second.records, col('contacts', 'phone', 'cdc'))!;
    // 27 rows left to sample, then 30 inserted, 5 updated and 3 deleted row images streamed: 65 phone values.
    expect(phone.pii?.[0]).toMatchObject({ entity: 'CN_MOBILE', matches: 65, sampled: 65 });
    expect(phone.props!.coverage).toMatch(/^sampled 27 .*; 38 values from binlog row events$/);
    const last = parseCheckpoint((second.records.filter((r) => r.type === 'checkpoint').pop() as { value: string }).value)!;
    expect(last.counts).toEqual([{ database: 'cdc', table: 'contacts', inserts: 30, updates: 5, deletes: 3 }]);
    expect(last.gtid).toMatch(/^0-1-\d+$/);
    const text = JSON.stringify(second.records);
    for (const p of ps) expect(text.includes(p.mobile)).toBe(false);
    expect(text).not.toMatch(/INSERT INTO|UPDATE cdc/);
  });

  it('follow:true stops at maxEvents, checkpointing only whole transactions', async () => {
    await db.query(`CREATE DATABASE capped; CREATE TABLE capped.t (id INT PRIMARY KEY AUTO_INCREMENT, v INT)`);
    const first = await collectCapture(mysqlSource, live({ databases: ['capped'], binlog: { serverId: nextServerId++ } }));
    const start = (first.records.filter((r) => r.type === 'checkpoint').pop() as { value: string }).value;
    for (let i = 0; i < 10; i++) await db.query(`INSERT INTO capped.t (v) VALUES (${i}), (${i})`);
    const out = await collectCapture(mysqlSource, live({ databases: ['capped'], binlog: { serverId: nextServerId++, follow: true, maxEvents: 3, maxSeconds: 30 } }), { checkpoints: { binlog: start } });
    const last = parseCheckpoint((out.records.filter((r) => r.type === 'checkpoint').pop() as { value: string }).value)!;
    // One row event per two-row INSERT: three events are three whole transactions, six rows.
    expect(last.counts).toEqual([{ database: 'capped', table: 't', inserts: 6, updates: 0, deletes: 0 }]);
  });

  it('re-reads a table after DDL in the binlog and yields its definition again', async () => {
    await db.query(`CREATE DATABASE ddl; CREATE TABLE ddl.t (id INT PRIMARY KEY, a VARCHAR(8))`);
    const first = await collectCapture(mysqlSource, live({ databases: ['ddl'], binlog: { serverId: nextServerId++ } }));
    const start = (first.records.filter((r) => r.type === 'checkpoint').pop() as { value: string }).value;
    await db.query(`ALTER TABLE ddl.t ADD COLUMN email VARCHAR(64); INSERT INTO ddl.t VALUES (1, 'x', 'a@example.com')`);
    const out = await collectCapture(mysqlSource, live({ databases: ['ddl'], binlog: { serverId: nextServerId++ } }), { checkpoints: { binlog: start } });
    const configs = out.records.filter((r) => r.type === 'config' && r.urn === `mysql://${SRC}/ddl/t`);
    // The schema phase read the table after the ALTER: replaying it from the binlog is history, not a newer version.
    expect(configs.length, 'one from the schema phase; the older ALTER is not a newer definition').toBe(1);
    expect((configs[0] as { content: { columns: { name: string }[] } }).content.columns.map((c) => c.name)).toEqual(['id', 'a', 'email']);
    // The row written after the ALTER was decoded with the columns in force: its email is an email.
    expect(entities(nodeByUrn(out.records, col('t', 'email', 'ddl')))).toEqual(['EMAIL']);
    // An ALTER after the schema phase (while following) is a newer definition: yielded as a config.
    const cp = (out.records.filter((r) => r.type === 'checkpoint').pop() as { value: string }).value;
    const follow = collectCapture(mysqlSource, live({ databases: ['ddl'], binlog: { serverId: nextServerId++, follow: true, maxSeconds: 20, maxEvents: 1 } }), { checkpoints: { binlog: cp } });
    await new Promise((r) => setTimeout(r, 1500));
    await db.query(`ALTER TABLE ddl.t ADD COLUMN phone VARCHAR(20) AFTER id; INSERT INTO ddl.t VALUES (2, '13800138000', 'y', 'b@example.com')`);
    const later = await follow;
    const newer = later.records.filter((r) => r.type === 'config' && r.urn === `mysql://${SRC}/ddl/t`).pop() as { content: { columns: { name: string }[] } };
    expect(newer.content.columns.map((c) => c.name)).toEqual(['id', 'phone', 'a', 'email']);
    expect(entities(nodeByUrn(later.records, col('t', 'phone', 'ddl')))).toEqual(['CN_MOBILE']);
  });

  it('names the server id when another replica uses it', async () => {
    const serverId = nextServerId++;
    const capture = collectCapture(mysqlSource, live({ databases: ['cdc'], binlog: { serverId, follow: true, maxSeconds: 20 } })).catch((e) => e);
    await new Promise((r) => setTimeout(r, 1500));
    // A second replica connection with the same server id, speaking the replication protocol itself.
    const ZongJi = (await import('@vlasky/zongji')).default;
    const other = new ZongJi({ host: '127.0.0.1', port: db.port, user: 'root' });
    other.on('error', () => {});
    other.start({ serverId, startAtEnd: true, includeEvents: ['rotate'] });
    const err = await capture;
    other.stop();
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(`mysql://${SRC}: serverId ${serverId} is used by another replica — choose a unique binlog.serverId`);
  });
});

describe('offline binlog', () => {
  let binlog: string;
  beforeAll(async () => {
    await db.query(`CREATE DATABASE off; CREATE TABLE off.people (id INT PRIMARY KEY, 身份证号 CHAR(18), email VARCHAR(64), photo BLOB)`);
    const ps = people(40, 5);
    for (const [i, p] of ps.entries()) await db.query(`INSERT INTO off.people VALUES (?, ?, ?, x'ffd8ffe0')`, [i + 1, p.idCard, p.email]);
    await db.query(`UPDATE off.people SET email = 'changed@example.com' WHERE id = 1; DELETE FROM off.people WHERE id = 40; FLUSH BINARY LOGS`);
    binlog = (await db.query<{ Log_name: string }[]>('SHOW BINARY LOGS')).map((l) => join(db.datadir, l.Log_name)).at(-2)!;
  });

  const check = (records: CaptureRecord[]) => {
    const table = nodeByUrn(records, `mysql://${SRC}/off/people`)!;
    expect(table.props!.cdc).toMatchObject({ inserts: 40, updates: 1, deletes: 1 });
    expect(entities(nodeByUrn(records, col('people', '身份证号', 'off')))).toEqual(['CN_RESIDENT_ID']);
    expect(entities(nodeByUrn(records, col('people', 'email', 'off')))).toEqual(['EMAIL']);
    expect(nodeByUrn(records, col('people', 'photo', 'off'))!.props!.binary).toBe(true);
    // The table-map metadata gives the table's definition: a config version, so schema changes show.
    const definition = records.find((r) => r.type === 'config' && r.urn === `mysql://${SRC}/off/people`) as { content: { columns: { name: string }[] } } | undefined;
    expect(definition?.content.columns.map((c) => c.name)).toEqual(expect.arrayContaining(['身份证号', 'email', 'photo']));
    const text = JSON.stringify(records);
    for (const p of people(40, 5)) expect(text.includes(p.idCard) || text.includes(p.email)).toBe(false);
  };

  it('captures from the text output of mariadb-binlog', async () => {
    const { stdout } = await run('mariadb-binlog', ['--base64-output=decode-rows', '-vv', '--print-table-metadata', binlog], { maxBuffer: 64 * 1024 * 1024 });
    expect(stdout).toMatch(/#Q> INSERT INTO off/); // the listing holds Annotate_rows SQL text …
    const file = join(home.dir, 'off.binlog.txt');
    await writeFile(file, stdout);
    const out = await collectCapture(mysqlSource, { name: SRC, kind: 'mysql', region: 'cn-north-1', file: 'off.binlog.txt', databases: ['off'] }, { baseDir: home.dir });
    check(out.records);
    expect(JSON.stringify(out.records)).not.toMatch(/INSERT INTO/); // … which never reaches the records
  });

  it('captures from a raw binlog file through mariadb-binlog', async () => {
    const out = await collectCapture(mysqlSource, { name: SRC, kind: 'mysql', region: 'cn-north-1', file: binlog, databases: ['off'] }, { baseDir: home.dir });
    check(out.records);
  });

  it('says what a file that is not a binlog listing is', async () => {
    await writeFile(join(home.dir, 'notes.txt'), 'hello\nworld\n');
    const err = await collectCapture(mysqlSource, { name: SRC, kind: 'mysql', region: 'cn-north-1', file: 'notes.txt' }, { baseDir: home.dir }).catch((e) => e);
    expect(err).toMatchObject({ code: 'SOURCE_BAD_DATA' });
    expect(err.message).toMatch(/neither a binlog nor the text output of mariadb-binlog/);
  });
});
