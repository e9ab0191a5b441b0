/**
 * MySQL/MariaDB CDC benchmark: binlog rows per second from insert to classified. 50,000 rows (PII and
 * decoy columns) are inserted in batches into a private MariaDB, then a `follow: false` capture reads
 * the binlog from its start and classifies every value. Prints rows/s and binlog row events/s.
 * Run: node --import tsx bench/mysql.bench.ts
 */
import { createHmac, randomBytes } from 'node:crypto';
import { startMariaDb } from '../scripts/testing/mariadb/index.js';
import { people } from '../scripts/testing/mariadb/pii-fixtures.js';
import type { CaptureContext, CaptureRecord } from '../shared/node/sources/source.js';
import { mysqlSource } from '../shared/node/sources/mysql/index.js';

const ROWS = 50_000;
const BATCH = 500;

export async function run(): Promise<void> {
  const db = await startMariaDb();
  try {
    await db.query(`CREATE DATABASE bench; CREATE TABLE bench.customers (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(32), mobile CHAR(11), email VARCHAR(64), id_card CHAR(18), order_no CHAR(18), created_at DATETIME)`);
    const pool = people(1000, 11);
    const esc = (v: string) => `'${v.replace(/'/g, "''")}'`;
    const insertStart = Date.now();
    for (let done = 0; done < ROWS; done += BATCH) {
      const rows = Array.from({ length: BATCH }, (_, i) => {
        const p = pool[(done + i) % pool.length];
        return `(${[p.name, p.mobile, p.email, p.idCard, p.orderNo, p.createdAt].map(esc).join(',')})`;
      });
      await db.query(`INSERT INTO bench.customers (name, mobile, email, id_card, order_no, created_at) VALUES ${rows.join(',')}`);
    }
    const insertSeconds = (Date.now() - insertStart) / 1000;

    const key = randomBytes(32);
    let rowEvents = 0;
    const log = { debug() {}, info(msg: string, f?: Record<string, unknown>) { if (msg === 'binlog capture stopped') rowEvents = Number(f?.rowEvents ?? 0); }, warn() {}, error() {} };
    const config = mysqlSource.configSchema.parse({ name: 'bench-db', kind: 'mysql', region: 'cn-north-1', host: '127.0.0.1', port: db.port, user: 'root', databases: ['bench'], sampleRows: 1000, binlog: { serverId: 4300, follow: false, from: 'earliest' } });
    const ctx: CaptureContext = {
      sourceName: 'bench-db', region: 'cn-north-1', baseDir: process.cwd(), signal: new AbortController().signal, log,
      fingerprint: (v) => createHmac('sha256', key).update(v).digest('hex'), progress() {}, warn() {}, fail() {}, checkpoint: () => undefined,
    };
    // The schema and sample phase first, timed apart, so the figure below is the binlog alone.
    const captureStart = Date.now();
    let streamStart = 0;
    let last: CaptureRecord | undefined;
    let records = 0;
    for await (const r of mysqlSource.capture(config, ctx)) {
      if (!streamStart && r.type === 'checkpoint') streamStart = Date.now();
      records++;
      last = r;
    }
    const streamSeconds = (Date.now() - streamStart) / 1000;
    const cp = last?.type === 'checkpoint' ? (JSON.parse(last.value) as { counts: { inserts: number }[] }) : undefined;
    const rows = cp?.counts.reduce((n, c) => n + c.inserts, 0) ?? 0;
    const columns = 6;
    console.log(`inserted ${ROWS.toLocaleString('en')} rows in batches of ${BATCH}: ${(ROWS / insertSeconds).toFixed(0)} rows/s`);
    console.log(`schema + sample phase: ${((streamStart - captureStart) / 1000).toFixed(2)} s`);
    console.log(`binlog (follow:false from the start) → classified: ${rows.toLocaleString('en')} rows, ${rowEvents.toLocaleString('en')} row events, ${records} records in ${streamSeconds.toFixed(2)} s`);
    console.log(`  ${(rows / streamSeconds).toFixed(0)} rows/s, ${(rows * columns / streamSeconds).toFixed(0)} values classified/s, ${(rowEvents / streamSeconds).toFixed(0)} row events/s`);
    if (rows !== ROWS) console.log(`  WARNING: counted ${rows} rows, expected ${ROWS}`);
  } finally {
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) run();
