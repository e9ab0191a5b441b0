/**
 * Writes resources/demo/inputs/mysql/shop-binlog.txt the way an auditor receives it: a real MariaDB
 * (started here on 127.0.0.1 with ROW binlogs) takes the demo shop's schema and synthetic rows,
 * then `mariadb-binlog --base64-output=decode-rows -vv --print-table-metadata` decodes its binlog.
 * Run: node --import tsx scripts/demo/capture-mysql-binlog.ts   (needs mariadb-server; output is committed)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMariaDb } from '../testing/mariadb/index.js';
import { makeOrders, makePeople } from './synthetic-people.js';
import { SHOP_SCHEMA } from './shop-schema.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'resources', 'demo', 'inputs', 'mysql', 'shop-binlog.txt');

const db = await startMariaDb();
try {
  const people = makePeople(240);
  const orders = makeOrders(people, 400);
  for (const statement of SHOP_SCHEMA) await db.query(statement);
  const dt = (iso: string) => iso.slice(0, 19).replace('T', ' ');
  for (let i = 0; i < people.length; i += 40) {
    const batch = people.slice(i, i + 40);
    await db.query(`INSERT INTO shop.users VALUES ${batch.map(() => '(?,?,?,?,?,?,?,?)').join(',')}`, batch.flatMap((p) => [p.id, p.name, p.phone, p.email, p.idCard, p.birthday, p.address, dt(p.createdAt)]));
  }
  for (let i = 0; i < orders.length; i += 50) {
    const batch = orders.slice(i, i + 50);
    await db.query(`INSERT INTO shop.orders VALUES ${batch.map(() => '(?,?,?,?,?)').join(',')}`, batch.flatMap((o) => [o.orderNo, o.userId, o.amountCents, o.status, dt(o.createdAt)]));
    await db.query(`INSERT INTO shop.payments (order_no, card_no, paid_at) VALUES ${batch.map(() => '(?,?,?)').join(',')}`, batch.flatMap((o) => [o.orderNo, people[o.userId - 1].bankCard, dt(o.createdAt)]));
  }
  await db.query(`UPDATE shop.users SET address = CONCAT(address, '2单元') WHERE id % 17 = 0`);
  await db.query(`DELETE FROM shop.orders WHERE status = 'refunded' AND amount_cents < 5000`);
  // Close the binlog that holds the demo's events, then decode it.
  const binlog = await db.currentBinlogFile();
  await db.query('FLUSH BINARY LOGS');
  const text = execFileSync('mariadb-binlog', ['--base64-output=decode-rows', '-vv', '--print-table-metadata', binlog], { maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' });
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT} (${(text.length / 1024).toFixed(0)} KiB)`);
} finally {
  await db.stop();
}

