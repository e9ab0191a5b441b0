import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGeneralLog, startMariaDb, type TestMariaDb } from './index.js';

describe('startMariaDb', () => {
  let db: TestMariaDb;
  beforeAll(async () => {
    db = await startMariaDb();
  });
  afterAll(async () => {
    await db?.stop();
  });

  it('runs a private server on 127.0.0.1 with ROW binlogs and full row metadata', async () => {
    expect(db.port).not.toBe(3306);
    const [vars] = await db.query<Record<string, unknown>[]>(`SELECT @@port AS port, @@bind_address AS bind, @@log_bin AS logBin, @@server_id AS serverId,
      @@binlog_format AS format, @@binlog_row_image AS image, @@binlog_row_metadata AS metadata, @@datadir AS datadir`);
    expect(vars).toMatchObject({ port: db.port, bind: '127.0.0.1', logBin: 1, serverId: 1, format: 'ROW', image: 'FULL', metadata: 'FULL' });
    expect(String(vars.datadir)).toContain(db.datadir);
    expect(existsSync(await db.currentBinlogFile())).toBe(true);
  });

  it('creates users with exactly the grants asked for, and logs what each user sends', async () => {
    await db.createUser('reader', 'pw', ['SELECT ON mysql.*']);
    const grants = (await db.query<Record<string, string>[]>(`SHOW GRANTS FOR 'reader'@'%'`)).map((r) => Object.values(r)[0]);
    expect(grants.join('\n')).toMatch(/GRANT SELECT ON `mysql`\.\* TO `reader`@`%`/);
    expect(grants.join('\n')).not.toMatch(/REPLICATION|INSERT/);
    const { default: mysql } = await import('mysql2/promise');
    const conn = await mysql.createConnection({ host: db.host, port: db.port, user: 'reader', password: 'pw' });
    await conn.query('SELECT 42 AS answer');
    await conn.end();
    // The server writes the Quit line after the client has gone: wait for it, bounded.
    await expect.poll(async () => (await db.statementsBy('reader')).map((s) => s.command), { timeout: 5_000, interval: 100 }).toEqual(expect.arrayContaining(['Connect', 'Query', 'Quit']));
    const sent = await db.statementsBy('reader');
    expect(sent.some((s) => s.argument === 'SELECT 42 AS answer')).toBe(true);
  });

  it('stops the server and removes its files', async () => {
    const other = await startMariaDb();
    const datadir = other.datadir;
    await other.stop();
    expect(existsSync(datadir)).toBe(false);
  });
});

describe('parseGeneralLog', () => {
  it('keeps multi-line statements together and attributes them to their thread', () => {
    const log = [
      '/usr/sbin/mariadbd, Version: 10.11.19-MariaDB-log (Debian 12). started with:',
      '261126  0:35:19\t    5 Connect\tauditor@localhost on  using TCP/IP',
      '\t\t    5 Query\tSELECT a,',
      '  b FROM t',
      '\t\t    6 Query\tSELECT 1',
      '\t\t    5 Binlog Dump\t',
    ].join('\n');
    expect(parseGeneralLog(log)).toEqual([
      { thread: 5, command: 'Connect', argument: 'auditor@localhost on  using TCP/IP' },
      { thread: 5, command: 'Query', argument: 'SELECT a,\n  b FROM t' },
      { thread: 6, command: 'Query', argument: 'SELECT 1' },
      { thread: 5, command: 'Binlog Dump', argument: '' },
    ]);
  });
});
