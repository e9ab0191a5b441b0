import ZongJi from '@vlasky/zongji';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type TestMariaDb } from '../../../../scripts/testing/mariadb/index.js';
import { connectionOptions } from './connection.js';
import { MAX_VALUE_CHARS } from './config.js';
import { decodedHere, installRowDecoder, ROW_SINK, type RowSink, type ValueObserver, type ZongjiRowsEvent } from './row-decoder.js';
import { valueText } from './sample.js';
import { fingerprintOrder } from '../../../core/pii/index.js';

/**
 * Every column type the MySQL source reads, with edge values: the text the row decoder gives for
 * each value must be the text of zongji's own decode, row image by row image.
 */
const TABLE = `CREATE TABLE t.every_type (
  id INT PRIMARY KEY AUTO_INCREMENT,
  i8 TINYINT, u8 TINYINT UNSIGNED, i16 SMALLINT, u16 SMALLINT UNSIGNED, i24 MEDIUMINT, u24 MEDIUMINT UNSIGNED,
  i32 INT, u32 INT UNSIGNED, i64 BIGINT, u64 BIGINT UNSIGNED,
  dec_a DECIMAL(12,4), dec_b DECIMAL(30,10), f FLOAT, d DOUBLE, yr YEAR,
  dt DATE, dtm DATETIME, dtm3 DATETIME(3), dtm6 DATETIME(6), dtm1 DATETIME(1), ts TIMESTAMP(2) NULL, tm TIME(1),
  c CHAR(10), vc VARCHAR(40), vc_long VARCHAR(600), vc_latin1 VARCHAR(20) CHARACTER SET latin1, vc_ascii VARCHAR(20) CHARACTER SET ascii,
  vc_mb3 VARCHAR(20) CHARACTER SET utf8mb3, txt TEXT, tiny_txt TINYTEXT, med_txt MEDIUMTEXT, long_txt LONGTEXT,
  bl BLOB, vb VARBINARY(16), bn BINARY(4), en ENUM('a','b','中'), st SET('x','y','z'), js JSON, bt BIT(5), uid UUID, ip INET6
) DEFAULT CHARSET=utf8mb4`;

const ROWS = [
  `(1, -128, 255, -32768, 65535, -8388608, 16777215, -2147483648, 4294967295, -9223372036854775808, 18446744073709551615,
    -12345678.1234, 12345678901234567890.0123456789, 1.1, -2.5e-300, 1901,
    '1000-01-01', '9999-12-31 23:59:59', '2024-02-29 12:34:56.789', '2024-02-29 12:34:56.000001', '1970-01-01 00:00:00.5', '2030-01-19 03:14:07.99', '-838:59:59.9',
    'ab', 'Alice@Example.com', REPEAT('字', 590), 'Müller', 'plain', '€uro', '13812345678', '', REPEAT('x', 70000), REPEAT('😀', 5000),
    X'00FF10', X'DEADBEEF', X'0102', 'b', 'x,z', '{"phone": "+86 138 1234 5678", "n": [1, 2.5]}', b'10101', '123e4567-e89b-12d3-a456-426614174000', '2001:db8::1')`,
  `(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    '2000-02-03', '2000-02-03 04:05:06', '2000-02-03 04:05:06.000', '2000-02-03 04:05:06.100000', '2000-02-03 04:05:06.0', '2000-02-03 04:05:06.01', '00:00:00.0',
    '', '', '', '', '', '', '', '', '', '',
    X'', X'', X'', 'a', '', '[]', b'0', '00000000-0000-0000-0000-000000000000', '::ffff:192.0.2.1')`,
  `(3, ${Array.from({ length: 41 }, () => 'NULL').join(', ')})`,
  `(4, 127, 1, 32767, 1, 8388607, 1, 2147483647, 1, 9007199254740993, 9007199254740993,
    0.0001, -0.0000000001, -3.4e38, 1.7976931348623157e308, 2155,
    '2024-12-31', '0001-01-01 00:00:00', '1999-12-31 23:59:59.999', '1999-12-31 23:59:59.999999', '1999-12-31 23:59:59.9', '1999-12-31 23:59:59.99', '12:00:00.5',
    'ж', 'ü@ä.de', 'ok', 'Ærø', 'abc', 'ü', '110101199003077777', 'Straße', 'short', 'x',
    X'E4BD', X'F0', X'01020304', '中', 'x,y,z', '{"a": null, "b": true}', b'11111', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'fe80::1')`,
];

let db: TestMariaDb;

/** Each column's values, in row-image order, as a capture observes them. */
type Observed = Map<string, string[]>;

/** Reads every row event of the binlog up to its current end, either with zongji's decode or with the row decoder. */
async function readBinlog(mode: 'zongji' | 'decoder' | 'pending'): Promise<Observed> {
  const withDecoder = mode !== 'zongji';
  const [end] = await db.query('SHOW MASTER STATUS');
  const [first] = await db.query('SHOW BINARY LOGS');
  const observed: Observed = new Map();
  const push = (name: string, text: string | null) => {
    if (text === null) return;
    let list = observed.get(name);
    if (!list) observed.set(name, (list = []));
    list.push(text);
  };
  if (withDecoder) await installRowDecoder();
  const zongji = new ZongJi({ ...connectionOptions({ name: 'test', host: '127.0.0.1', port: db.port, user: 'root' } as never) });
  const sink: RowSink = (event: ZongjiRowsEvent) => {
    const entry = event.tableMap[event.tableId];
    if (entry.tableName !== 'every_type') return { observers: [] };
    // binary: false everywhere, so bytes columns are compared as the text valueText makes of them.
    return {
      observers: entry.columns.map((c): ValueObserver => ({
        binary: false,
        observe: (text) => push(c.name, text),
        // Offered before its text exists: the text made from the bytes, and the rank read from them, must be the text's.
        ...(mode === 'pending' ? { observePending: (v) => { const text = v.text(); if (v.rank() !== fingerprintOrder(text)) push(c.name, `rank differs for ${text}`); push(c.name, text); } } : {}),
      })),
    };
  };
  if (withDecoder) (zongji as unknown as Record<symbol, RowSink>)[ROW_SINK] = sink;
  const deadline = Date.now() + 30_000;
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => { if (Date.now() > deadline) reject(new Error('binlog not read to its end within 30 s')); }, 500);
    zongji.on('error', reject);
    zongji.on('binlog', (e: any) => {
      const name = e.getEventName();
      if ((name === 'writerows' || name === 'updaterows' || name === 'deleterows') && e.tableMap[e.tableId].tableName === 'every_type') {
        expect(decodedHere(e.rows)).toBe(withDecoder);
        if (!withDecoder) for (const row of e.rows) {
          const image = name === 'updaterows' ? row.after : row;
          for (const [col, v] of Object.entries(image)) push(col, valueText(v));
        }
      }
      if ((name === 'xid' || name === 'query') && zongji.options.filename === end.File && e.nextPosition >= Number(end.Position)) {
        clearInterval(timer);
        resolve();
      }
    });
    zongji.start({ serverId: { zongji: 9101, decoder: 9102, pending: 9103 }[mode], filename: first.Log_name, position: 4, includeEvents: ['rotate', 'tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query'] });
  });
  zongji.stop();
  return observed;
}

for (const metadata of ['FULL', 'MINIMAL']) {
  describe(`row decoder on a real MariaDB (binlog_row_metadata=${metadata}): the same text as zongji's decode`, () => {
    beforeAll(async () => {
      db = await startMariaDb({ settings: { binlog_row_metadata: metadata } });
      await db.query(`CREATE DATABASE t; ${TABLE}`);
      await db.query(`INSERT INTO t.every_type VALUES ${ROWS.join(', ')}`);
      await db.query(`UPDATE t.every_type SET vc = CONCAT(vc, '+1'), i32 = i32 - 1, dtm6 = '2011-11-11 11:11:11.111111' WHERE id IN (2, 4)`);
      await db.query(`UPDATE t.every_type SET c = NULL, txt = 'now text' WHERE id = 3`);
      await db.query('DELETE FROM t.every_type WHERE id = 1');
    }, 60_000);
    afterAll(async () => db?.stop());

    it('every value of every column, inserts, update after-images and deletes', async () => {
      const zongjis = await readBinlog('zongji');
      const ours = await readBinlog('decoder');
      const pending = await readBinlog('pending');
      // Sanity: the table's rows were read (inserts 4, update after-images 3, delete 1), long text cut to the bound.
      expect(zongjis.get('id')).toEqual(['1', '2', '3', '4', '2', '4', '3', '1']);
      expect(zongjis.get('long_txt')![0]).toHaveLength(MAX_VALUE_CHARS);
      expect([...ours.keys()].sort()).toEqual([...zongjis.keys()].sort());
      for (const [column, values] of zongjis) {
        expect({ column, values: ours.get(column) }).toEqual({ column, values });
        expect({ column, values: pending.get(column) }).toEqual({ column, values });
      }
    }, 60_000);
  });
}
