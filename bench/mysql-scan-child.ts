// A whole `driftline scan` of one MariaDB source into a fresh workspace, in its own process (store,
// analyzers and all), for bench/mysql.bench.ts: prints rows and CPU seconds for the whole process
// and for the scan alone (without loading the code).
import { readSourcesFile, runScan, Store } from '../shared/node/services/index.js';

const [sourcesFile, workspace] = process.argv.slice(2);
const before = process.cpuUsage();
const sources = readSourcesFile(sourcesFile);
const store = Store.open(workspace, { create: true });
const result = await runScan({ store, sources: sources.sources.map((s) => ({ name: s.name, kind: s.kind, region: s.region, config: s.config, baseDir: sources.baseDir })) });
const table = store.graph.nodesWhere().find((n) => n.kind === 'table');
const cdc = (table?.props.cdc ?? {}) as { inserts?: number };
store.close();
const scan = process.cpuUsage(before);
const whole = process.cpuUsage();
process.stdout.write(JSON.stringify({ ok: result.ok, rows: cdc.inserts ?? 0, cpuSeconds: (whole.user + whole.system) / 1e6, scanCpuSeconds: (scan.user + scan.system) / 1e6 }) + '\n');
