import { execFileSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture, type CollectedCapture } from '../capture-harness.js';
import { startMariaDb, type TestMariaDb } from './index.js';
import { people } from './pii-fixtures.js';
import { useTempHome } from '../temp.js';
import { mysqlSource } from '../../../shared/node/sources/mysql/index.js';
import type { CaptureRecord } from '../../../shared/node/sources/source.js';

/**
 * Issue 11: an offline binlog with a `schemaFile` made by the real `mariadb-dump --master-data=2
 * --no-data`. The dump is the schema AT the position it names: DDL before that position is already in
 * it, DDL after it applies on top; rows before it are decoded only where the binlog itself proves
 * their columns (a CREATE TABLE earlier in the file), else they are an explicit gap. The server runs
 * with its default binlog_row_metadata=MINIMAL, so row events carry no column names.
 */
const SRC = 'dump-db';
const BATCH = 20;

let db: TestMariaDb;
const home = useTempHome('driftline-dump-position-');
const ps = people(12 * BATCH, 91);
let row = 0;
let binlogFile = '';
let listing = '';

type Column = 'national_id' | 'phone' | 'mobile' | 'email';
async function insertBatch(table: string, columns: Column[]): Promise<void> {
  const values = Array.from({ length: BATCH }, () => {
    const p = ps[row++];
    const v = { national_id: p.idCard, phone: p.mobile, mobile: p.mobile, email: p.email };
    return [row, ...columns.map((c) => v[c])];
  });
  await db.query(`INSERT INTO ${table} (id, ${columns.join(', ')}) VALUES ${values.map((v) => `(${v.map(() => '?').join(',')})`).join(',')}`, values.flat());
}

beforeAll(async () => {
  db = await startMariaDb({ settings: { binlog_row_metadata: 'MINIMAL' } });
  // `older` is defined in the previous binlog file: the scanned file never shows its CREATE TABLE.
  await db.query('CREATE DATABASE dp; CREATE TABLE dp.older (id INT PRIMARY KEY, email VARCHAR(64))');
  await db.query('FLUSH BINARY LOGS');
  binlogFile = await db.currentBinlogFile();
  // Before the dump: `people` is created in this file (provable), `older` is altered (unprovable here).
  await db.query('CREATE TABLE dp.people (id INT PRIMARY KEY, phone VARCHAR(20), email VARCHAR(64))');
  await insertBatch('dp.people', ['phone', 'email']);
  await db.query('ALTER TABLE dp.older ADD COLUMN phone VARCHAR(20) AFTER id');
  await insertBatch('dp.older', ['phone', 'email']);
  await db.query('ALTER TABLE dp.people ADD COLUMN national_id CHAR(18) AFTER id');
  await insertBatch('dp.people', ['national_id', 'phone', 'email']);
  const dump = execFileSync('mariadb-dump', [`--socket=${db.socket}`, '--user=root', '--master-data=2', '--no-data', '--databases', 'dp'], { maxBuffer: 16 * 1024 * 1024 }).toString();
  writeFileSync(home.path('schema.sql'), dump);
  // After the dump: DDL that applies on top of its definitions.
  await db.query('ALTER TABLE dp.people RENAME COLUMN phone TO mobile');
  await insertBatch('dp.people', ['national_id', 'mobile', 'email']);
  await insertBatch('dp.older', ['phone', 'email']);
  await db.query('ALTER TABLE dp.older MODIFY phone VARCHAR(32) FIRST');
  await insertBatch('dp.older', ['phone', 'email']);
  await db.query('ALTER TABLE dp.older DROP COLUMN email');
  await insertBatch('dp.older', ['phone']);
  await db.query('FLUSH BINARY LOGS');
  // The binlog copied under its own name (its positions are the dump's), and its text listing.
  copyFileSync(binlogFile, home.path(basename(binlogFile)));
  listing = execFileSync('mariadb-binlog', ['--base64-output=decode-rows', '-vv', '--print-table-metadata', binlogFile], { maxBuffer: 64 * 1024 * 1024 }).toString();
  writeFileSync(home.path('listing.txt'), listing);
}, 120_000);

afterAll(async () => {
  await db?.stop();
  home.cleanup();
});

const scan = (file: string, schemaFile?: string) => collectCapture(mysqlSource, { name: SRC, kind: 'mysql', region: 'cn-north-1', file, databases: ['dp'], ...(schemaFile ? { schemaFile } : {}) }, { baseDir: home.dir });
const verdicts = (c: CollectedCapture, table: string) => {
  const out: Record<string, [string, number][]> = {};
  for (const r of c.records) {
    if (r.type !== 'node' || !r.node.urn.startsWith(`mysql://${SRC}/dp/${table}#`)) continue;
    out[r.node.urn.split('#')[1]] = (r.node.pii ?? []).map((t) => [t.entity, t.matches]);
  }
  return out;
};
// Schema gaps only (an offline capture without grantsFile also says who can read is unknown).
const schemaGaps = (c: { records: CaptureRecord[] }) => c.records.flatMap((r) => (r.type === 'gap' && !String(r.item).endsWith(' grants') ? [r as { item: string; reason: string }] : []));

describe('offline binlog with a mariadb-dump --master-data=2 --no-data schemaFile', () => {
  it('the real dump names its binlog position and GTID', () => {
    const dump = execFileSync('cat', [home.path('schema.sql')]).toString();
    expect(dump).toMatch(new RegExp(`CHANGE MASTER TO MASTER_LOG_FILE='${basename(binlogFile).replace('.', '\\.')}', MASTER_LOG_POS=\\d+`));
    expect(dump).toMatch(/SET GLOBAL gtid_slave_pos='\d+-\d+-\d+'/);
  });

  for (const [what, file] of [['the raw binlog, placed by file and position', () => basename(binlogFile)], ['its text listing, placed by GTID', () => 'listing.txt']] as const) {
    it(`${what}: DDL before the position is in the dump, DDL after applies on top, rows before it only where provable`, async () => {
      const c = await scan(file(), 'schema.sql');
      // people: CREATE TABLE in the file before the dump proves its early rows; the dump and the RENAME after it the rest.
      expect(verdicts(c, 'people')).toEqual({ id: [], national_id: [['CN_RESIDENT_ID', 2 * BATCH]], mobile: [['CN_MOBILE', 3 * BATCH]], email: [['EMAIL', 3 * BATCH]] });
      // older: its rows before the dump cannot be named (its CREATE is in an earlier file) — a gap, not a guess;
      // after it, the dump's definition, then MODIFY … FIRST and DROP COLUMN, name every value by its own column.
      expect(verdicts(c, 'older')).toEqual({ id: [], phone: [['CN_MOBILE', 3 * BATCH]], email: [['EMAIL', 2 * BATCH]] });
      const gaps = schemaGaps(c);
      expect(gaps).toEqual([{ type: 'gap', item: `mysql://${SRC}/dp/older`, phrase: expect.objectContaining({ key: 'gap.binlog.offline' }), reason: expect.stringMatching(new RegExp(`^${BATCH} row images between .+ were counted but not classified: .*no CREATE TABLE for it before the position the schemaFile was taken at \\(${basename(binlogFile).replace('.', '\\.')}:\\d+\\)`)) }]);
      const config = c.records.filter((r) => r.type === 'config' && r.urn.endsWith('/older')).pop() as { content: { columns: { name: string }[] } };
      expect(config.content.columns.map((col) => col.name)).toEqual(['phone', 'id']);
    }, 60_000);
  }

  it('without the schemaFile, every row of the table defined elsewhere is a gap (none is named by a guess)', async () => {
    const c = await scan(basename(binlogFile));
    expect(verdicts(c, 'older')).toEqual({});
    expect(schemaGaps(c).map((g) => g.item)).toEqual([`mysql://${SRC}/dp/older`]);
    expect(verdicts(c, 'people').national_id).toEqual([['CN_RESIDENT_ID', 2 * BATCH]]);
  }, 60_000);

  it('a listing that starts after the position cannot be joined to the dump: tables it does not define are gaps, with the reason', async () => {
    // Cut the listing after the dump's position: the RENAME COLUMN and everything before it are missing.
    const cutAt = listing.indexOf('ALTER TABLE dp.people RENAME COLUMN');
    const after = listing.slice(cutAt);
    writeFileSync(home.path('late.txt'), listing.slice(0, listing.indexOf('\n') + 1) + after.slice(after.indexOf('# at ')));
    const c = await scan('late.txt', 'schema.sql');
    expect(verdicts(c, 'older')).toEqual({});
    expect(verdicts(c, 'people')).toEqual({});
    const gaps = schemaGaps(c);
    expect(gaps.map((g) => g.item).sort()).toEqual([`mysql://${SRC}/dp/older`, `mysql://${SRC}/dp/people`]);
    for (const g of gaps) expect(g.reason).toMatch(/binlog events between that position and late\.txt are not in the scan/);
  }, 60_000);
});
