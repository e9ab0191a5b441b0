/**
 * Writes resources/demo/inputs/mysql/shop-grants.txt the way an auditor receives it: the demo shop's
 * accounts and roles are created in a real MariaDB (started here on 127.0.0.1), then the `mariadb`
 * client prints `SHOW GRANTS FOR` each account, as a DBA would run it for the auditor. The mysql
 * source reads this file through `grantsFile` in sources.yaml.
 * Run: node --import tsx scripts/demo/capture-mysql-grants.ts   (needs mariadb-server; output is committed)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMariaDb } from '../testing/mariadb/index.js';
import { SHOP_SCHEMA } from './shop-schema.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = join(ROOT, 'resources', 'demo', 'inputs', 'mysql', 'shop-grants.txt');

/**
 * The shop's accounts. No passwords: the file is committed, and a password hash has no place in a
 * demo (the parser drops whatever follows the grantee anyway).
 * - shop_app: the checkout service (its credential is the Secret shop/shop-db-credentials in the cluster);
 * - debezium: the CDC connector (replication and a global SELECT, as Debezium's docs ask);
 * - support: the support desk, a column grant on the contact fields only;
 * - analyst (a role) and bi_reader, who has it by default: orders and two harmless user columns.
 */
const ACCOUNTS = [
  "CREATE USER 'shop_app'@'%'",
  "GRANT SELECT, INSERT, UPDATE, DELETE ON shop.* TO 'shop_app'@'%'",
  "CREATE USER 'debezium'@'%'",
  "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO 'debezium'@'%'",
  "CREATE USER 'support'@'10.8.%'",
  "GRANT SELECT (id, name, phone, email) ON shop.users TO 'support'@'10.8.%'",
  'CREATE ROLE analyst',
  'GRANT SELECT ON shop.orders TO analyst',
  'GRANT SELECT (id, created_at) ON shop.users TO analyst',
  "CREATE USER 'bi_reader'@'%'",
  "GRANT analyst TO 'bi_reader'@'%'",
  "SET DEFAULT ROLE analyst FOR 'bi_reader'@'%'",
];
const SHOWN = ["'shop_app'@'%'", "'debezium'@'%'", "'support'@'10.8.%'", 'analyst', "'bi_reader'@'%'"];

const db = await startMariaDb();
try {
  for (const statement of [...SHOP_SCHEMA, ...ACCOUNTS]) await db.query(statement);
  const mariadb = (sql: string) => execFileSync('mariadb', ['--socket', db.socket, '-uroot', '--batch', '-e', sql], { encoding: 'utf8' });
  const text = SHOWN.map((account) => mariadb(`SHOW GRANTS FOR ${account}`)).join('\n');
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, text);
  console.log(`wrote ${OUT}`);
} finally {
  await db.stop();
}
