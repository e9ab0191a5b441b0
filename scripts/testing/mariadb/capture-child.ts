/**
 * A capture in its own process, so a test can SIGKILL it mid-stream and prove that the next run
 * resumes from the saved binlog checkpoint. Usage:
 *   node --import tsx scripts/testing/mariadb/capture-child.ts <workspace> '<source JSON>'
 * Prints one JSON line per progress event on stdout, and `{"done":…}` at the end.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { runScan } from '../../../shared/node/services/scan.js';
import { mysqlSource } from '../../../shared/node/sources/mysql/index.js';
import { registerSource } from '../../../shared/node/sources/registry.js';
import { Store } from '../../../shared/node/store/index.js';

const [workspace, sourceJson] = process.argv.slice(2);
if (!workspace || !sourceJson) {
  process.stderr.write('usage: capture-child.ts <workspace> <source JSON>\n');
  process.exit(2);
}
registerSource(mysqlSource);
// Workaround (store issue, reported to the lead): after a SIGKILL the workspace's application_id may
// live only in the WAL, and Store.open checks the raw file header, so it refuses the file. Opening it
// with SQLite once replays the WAL into the main file. Remove when openWorkspace recovers the WAL itself.
if (existsSync(workspace)) {
  const sqlite = new Database(workspace);
  sqlite.pragma('wal_checkpoint(TRUNCATE)');
  sqlite.close();
}
const store = Store.open(workspace, { create: true });
const result = await runScan({
  store,
  sources: [JSON.parse(sourceJson)],
  analyze: false,
  onProgress: (p) => process.stdout.write(JSON.stringify({ phase: p.phase, done: p.done }) + '\n'),
});
process.stdout.write(JSON.stringify({ done: result.ok, status: result.snapshots[0]?.status }) + '\n');
store.workspace.db.close();
