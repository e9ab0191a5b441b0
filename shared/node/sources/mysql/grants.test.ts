import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { startMariaDb, type TestMariaDb } from '../../../../scripts/testing/mariadb/index.js';
import { useTempHome } from '../../../../scripts/testing/temp.js';
import { indexAccess, whoCanRead } from '../../../core/access/resolve.js';
import { graphNodeSchema, type GraphEdge, type GraphNode } from '../../../core/model/graph.js';
import type { CaptureRecord } from '../source.js';
import { mysqlSource } from './index.js';
import { databasePatternMatches, parseShowGrants } from './show-grants.js';

/**
 * Grants on a real MariaDB: database, table, column and role grants, read live (SHOW GRANTS FOR
 * every account of mysql.user) and offline (the same text in a grantsFile), resolved per PII field.
 */
const SRC = 'shop-db';
const home = useTempHome('driftline-grants-test-');
let db: TestMariaDb;

const col = (table: string, column: string) => `mysql://${SRC}/shop/${table}#${column}`;

function graphOf(records: CaptureRecord[]): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodes = new Map<string, GraphNode>();
  for (const r of records) if (r.type === 'node') nodes.set(r.node.urn, graphNodeSchema.parse(r.node));
  return { nodes: [...nodes.values()], edges: records.flatMap((r) => (r.type === 'edge' ? [r.edge] : [])) };
}

function readersOf(records: CaptureRecord[], urn: string): Record<string, string[]> {
  const { nodes, edges } = graphOf(records);
  const answer = whoCanRead(indexAccess(nodes, edges), urn);
  // A principal may read by several routes (root@localhost: ALL on *.* and, as the role's creator, the role): the shortest is listed first.
  const out: Record<string, string[]> = {};
  for (const r of answer.readers) out[r.principal] ??= r.conditions;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

const PEOPLE = Array.from({ length: 40 }, (_, i) => `('Person ${i}', 'person${i}@example.org', '1380013${String(8000 + i)}', 'note ${i}')`);

beforeAll(async () => {
  db = await startMariaDb();
  await db.query(`CREATE DATABASE shop; CREATE DATABASE crm;
    CREATE TABLE shop.users (id INT PRIMARY KEY AUTO_INCREMENT, name VARCHAR(64), email VARCHAR(64), mobile CHAR(11), note VARCHAR(64));
    CREATE TABLE shop.orders (id INT PRIMARY KEY AUTO_INCREMENT, user_id INT, amount DECIMAL(10,2));
    CREATE TABLE crm.leads (id INT PRIMARY KEY, contact VARCHAR(64));
    INSERT INTO shop.users (name, email, mobile, note) VALUES ${PEOPLE.join(',')};
    INSERT INTO shop.orders (user_id, amount) VALUES (1, 9.5), (2, 12);
    INSERT INTO crm.leads VALUES (1, 'lead1@example.org'), (2, 'lead2@example.org'), (3, 'lead3@example.org');`);
  await db.createUser('auditor', 'audit-pw', ['SELECT ON *.*']);
  await db.createUser('analyst', 'a-pw', ['SELECT ON shop.*']);
  await db.createUser('support', 's-pw', ['SELECT (id, email) ON shop.users', 'UPDATE (note) ON shop.users']);
  await db.createUser('billing', 'b-pw', ['SELECT ON shop.orders']);
  await db.createUser('writer', 'w-pw', ['INSERT, UPDATE ON shop.users']);
  await db.createUser('bob', 'bob-pw', []);
  await db.createUser('carol', 'carol-pw', []);
  await db.query(`CREATE ROLE pii_reader; GRANT SELECT ON shop.users TO pii_reader;
    GRANT pii_reader TO 'bob'@'%'; SET DEFAULT ROLE pii_reader FOR 'bob'@'%';
    GRANT pii_reader TO 'carol'@'%';
    CREATE USER 'ops'@'localhost' IDENTIFIED BY 'ops-pw'; GRANT ALL PRIVILEGES ON *.* TO 'ops'@'localhost';`);
  // mariadb-install-db also creates root@::1 and root@<this machine's name>: drop them so the
  // expected readers do not depend on the machine (root@localhost and root@127.0.0.1 stay).
  const extraRoots = await db.query<{ host: string }[]>(`SELECT Host AS host FROM mysql.user WHERE User = 'root' AND Host NOT IN ('localhost', '127.0.0.1')`);
  for (const r of extraRoots) await db.query(`DROP USER 'root'@?`, [r.host]);
  await db.query(`DROP USER IF EXISTS 'mysql'@'localhost'`);
});

afterAll(async () => {
  await db?.stop();
  home.cleanup();
});

function live(user = 'auditor', password = 'audit-pw') {
  process.env.DRIFTLINE_TEST_GRANTS_PW = password;
  return { name: SRC, kind: 'mysql', region: 'cn-north-1', host: '127.0.0.1', port: db.port, user, passwordEnv: 'DRIFTLINE_TEST_GRANTS_PW', databases: ['shop', 'crm'], sampleRows: 100 };
}

describe('MariaDB grants, live', () => {
  let records: CaptureRecord[];
  beforeAll(async () => {
    await db.query(`GRANT SELECT ON mysql.* TO 'auditor'@'%'`);
    records = (await collectCapture(mysqlSource, live())).records;
  });

  it('lists exactly who can read a PII column: global, database, table, column and role grants', () => {
    expect(readersOf(records, col('users', 'email'))).toEqual(expectedEmailReaders());
  });

  it('a column grant reaches that column only', () => {
    const mobile = readersOf(records, col('users', 'mobile'));
    expect(mobile['support@%']).toBeUndefined();
    expect(Object.keys(mobile).sort()).toEqual(Object.keys(expectedEmailReaders()).filter((p) => p !== 'support@%').sort());
  });

  it('a table grant reaches that table only; writers and other tables do not read', () => {
    const email = readersOf(records, col('users', 'email'));
    expect(email['billing@%']).toBeUndefined();
    expect(email['writer@%']).toBeUndefined();
    const lead = readersOf(records, `mysql://${SRC}/crm/leads#contact`);
    expect(Object.keys(lead).sort()).toEqual(['auditor@%', 'ops@localhost', 'root@127.0.0.1', 'root@localhost']);
  });

  it('names the chain: bob reads through the role pii_reader, with both grants', () => {
    const { nodes, edges } = graphOf(records);
    const bob = whoCanRead(indexAccess(nodes, edges), col('users', 'email')).readers.find((r) => r.principal === 'bob@%')!;
    expect(bob.via).toBe('role');
    expect(bob.chain.map((h) => h.relation)).toEqual(['role', 'grant']);
    expect(bob.chain[0].text).toContain('bob@% has role pii_reader');
    expect(bob.chain[1].text).toMatch(/pii_reader: SELECT on shop\.users \[SHOW GRANTS on 127\.0\.0\.1:\d+: GRANT SELECT ON `shop`\.`users` TO `pii_reader`\]/);
  });

  it('marks the audit account, hashes user names and never keeps a password hash', () => {
    const { nodes } = graphOf(records);
    expect(nodes.find((n) => n.name === 'auditor@%')?.props).toMatchObject({ auditor: true, system: 'mysql' });
    expect(nodes.find((n) => n.name === 'ops@localhost')?.props).toMatchObject({ localOnly: true });
    const text = JSON.stringify(records);
    expect(text).not.toMatch(/IDENTIFIED|PASSWORD '\*/i);
    expect(text).not.toContain('audit-pw');
  });
});

function expectedEmailReaders(): Record<string, string[]> {
  return {
    'analyst@%': [],
    'auditor@%': [],
    'bob@%': [],
    'carol@%': ['after SET ROLE (not a default role)'],
    'ops@localhost': ['only from host localhost'],
    pii_reader: [],
    'root@127.0.0.1': ['only from host 127.0.0.1'],
    'root@localhost': ['only from host localhost'],
    'support@%': [],
  };
}

describe('MariaDB grants, partial visibility', () => {
  it('without SELECT on mysql.* the answer says it is incomplete, with the fix', async () => {
    await db.createUser('limited', 'l-pw', ['SELECT ON shop.*']);
    const out = await collectCapture(mysqlSource, live('limited', 'l-pw'));
    const { nodes, edges } = graphOf(out.records);
    const answer = whoCanRead(indexAccess(nodes, edges), col('users', 'email'));
    expect(answer.readers.map((r) => r.principal)).toEqual(['limited@%']);
    expect(answer.unknown[0].reason).toMatch(/not readable — GRANT SELECT ON mysql\.\* TO 'limited'@'%'/);
    expect(out.records.some((r) => r.type === 'gap' && /grants/.test(r.item))).toBe(true);
  });
});

describe('SHOW GRANTS file, offline', () => {
  it('gives the same readers as the live read, from the saved text of SHOW GRANTS FOR each account', async () => {
    const accounts = ["'analyst'@'%'", "'support'@'%'", "'bob'@'%'", "'carol'@'%'", 'pii_reader', "'billing'@'%'"];
    const lines: string[] = [];
    for (const a of accounts) {
      const rows = await db.query<Record<string, string>[]>(`SHOW GRANTS FOR ${a}`);
      lines.push(`Grants for ${a}`, ...rows.map((r) => Object.values(r)[0]));
    }
    const file = join(home.dir, 'grants.txt');
    await writeFile(file, lines.join('\n') + '\n');
    expect(lines.join('\n')).toMatch(/IDENTIFIED BY PASSWORD/);
    const out = await collectCapture(mysqlSource, { ...live(), grants: false, grantsFile: file });
    expect(readersOf(out.records, col('users', 'email'))).toEqual({
      'analyst@%': [], 'bob@%': [], 'carol@%': ['after SET ROLE (not a default role)'], pii_reader: [], 'support@%': [],
    });
    expect(JSON.stringify(out.records)).not.toMatch(/PASSWORD '\*/);
  });
});

describe('parseShowGrants', () => {
  it.each([
    ['MySQL 8 single quotes and a role with a host', "GRANT `r1`@`%` TO `u`@`%`", { roles: [{ grantee: { user: 'u', host: '%' }, roles: [{ user: 'r1', host: '%' }] }] }],
    ['a grid line from the mysql client', "| GRANT SELECT ON `shop`.* TO 'a'@'%' |", { privileges: [{ grantee: { user: 'a', host: '%' }, level: { kind: 'database', database: 'shop' } }] }],
    ['a routine grant is kept as "other" (not data)', 'GRANT EXECUTE ON PROCEDURE `shop`.`p` TO `a`@`%`', { privileges: [{ level: { kind: 'other' } }] }],
  ])('%s', (_why, text, expected) => {
    expect(parseShowGrants(text)).toMatchObject(expected);
  });

  it('reads column lists and drops the password hash', () => {
    const g = parseShowGrants("GRANT SELECT (`id`, `e``mail`), UPDATE (`note`) ON `shop`.`users` TO 'x'@'10.0.%' IDENTIFIED BY PASSWORD '*ABC'");
    expect(g.privileges[0].privileges).toEqual([{ name: 'SELECT', columns: ['id', 'e`mail'] }, { name: 'UPDATE', columns: ['note'] }]);
    expect(g.privileges[0].statement).not.toContain('ABC');
  });

  it.each([
    ['shop', 'shop', true],
    ['shop', 'shopx', false],
    ['shop_%', 'shop_eu', true],
    ['shop_', 'shopx', true],
    ['shop\\_eu', 'shopxeu', false],
  ])('database pattern %s matches %s: %s', (pattern, name, expected) => {
    expect(databasePatternMatches(pattern, name)).toBe(expected);
  });
});
