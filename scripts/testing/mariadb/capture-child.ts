/**
 * A capture in its own process, so a test can SIGKILL it mid-stream and prove that the next run
 * resumes from the saved binlog checkpoint. Usage:
 *   node --import tsx scripts/testing/mariadb/capture-child.ts <workspace> '<source JSON>'
 * Prints one JSON line per progress event on stdout, and `{"done":…}` at the end.
 */
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
const store = Store.open(workspace, { create: true });
const result = await runScan({
  store,
  sources: [JSON.parse(sourceJson)],
  analyze: false,
  onProgress: (p) => process.stdout.write(JSON.stringify({ phase: p.phase, done: p.done }) + '\n'),
});
process.stdout.write(JSON.stringify({ done: result.ok, status: result.snapshots[0]?.status }) + '\n');
store.workspace.db.close();
