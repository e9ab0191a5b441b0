/**
 * MySQL/MariaDB CDC benchmark, measured against raw zongji on the same binlog in the same run.
 * 200,000 rows (PII and decoy columns) are inserted into a private MariaDB; then, each in its own
 * process: raw @vlasky/zongji reading the binlog from its start (the anchor), and a whole
 * `driftline scan` of the same binlog (`binlog.from: earliest`, follow: false) into a fresh
 * workspace — the compiled CLI in dist/ as users run it: schema, sample, CDC with schema history,
 * classification, store writes and the analyzers. Prints rows per CPU-second of each and the ratio
 * (target ≥ 0.5× raw zongji) — medians over alternating rounds (BENCH_MYSQL_ROUNDS, default 3) — the
 * scan alone in process (code loaded) for where the time goes, and the machine's load.
 * Run: node --import tsx bench/mysql.bench.ts
 *   (BENCH_MYSQL_CPU_PROF=<dir>: the raw zongji and CLI children write V8 CPU profiles there)
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { ensureBuilt } from '../scripts/build/freshness.mjs';
import { startMariaDb } from '../scripts/testing/mariadb/index.js';
import { people } from '../scripts/testing/mariadb/pii-fixtures.js';

const execFileAsync = promisify(execFile);
const HERE = dirname(fileURLToPath(import.meta.url));
const ROWS = Number(process.env.BENCH_MYSQL_ROWS ?? 200_000);
/** Timed rounds of the anchor and the CLI (BENCH_MYSQL_ROUNDS, default 3). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_MYSQL_ROUNDS ?? 3));

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const BATCH = 1000;

async function child(args: string[]): Promise<Record<string, number | boolean>> {
  const { stdout } = await execFileAsync(process.execPath, args, { cwd: join(HERE, '..'), maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!);
}


/** Row inserts the scan recorded for the bench table (its CDC counts in the workspace). */
function insertsIn(workspace: string): number {
  const db = new Database(workspace, { readonly: true, fileMustExist: true });
  try {
    const props = db.prepare(`SELECT props_json FROM nodes WHERE kind = 'table'`).pluck().all() as string[];
    return props.map((p) => (JSON.parse(p) as { cdc?: { inserts?: number } }).cdc?.inserts ?? 0).reduce((a, b) => a + b, 0);
  } finally {
    db.close();
  }
}

export async function run(): Promise<void> {
  const loadBefore = loadavg()[0];
  const db = await startMariaDb();
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-mysql-'));
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
    console.log(`inserted ${ROWS.toLocaleString('en')} rows in batches of ${BATCH}: ${(ROWS / ((Date.now() - insertStart) / 1000)).toFixed(0)} rows/s`);

    // BENCH_MYSQL_CPU_PROF=<dir>: the timed children write V8 CPU profiles there (node --cpu-prof).
    const profile = process.env.BENCH_MYSQL_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_MYSQL_CPU_PROF}`] : [];
    writeFileSync(join(dir, 'sources.yaml'), `sources:\n  - name: bench-db\n    kind: mysql\n    region: cn-north-1\n    host: 127.0.0.1\n    port: ${db.port}\n    user: root\n    databases: [bench]\n    sampleRows: 1000\n    binlog: { serverId: 4302, follow: false, from: earliest }\n`);
    // The shipped CLI: dist/ is rebuilt first when the sources are newer, so what is timed is what they say.
    await ensureBuilt({ log: () => {} });
    // Rounds alternate the anchor and the CLI, so a busy moment of a shared machine weighs on both;
    // the medians are compared.
    const rawRuns: number[] = [];
    const cliRuns: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const raw = await child([...profile, join(HERE, 'raw-zongji-child.mjs'), String(db.port), '4301']);
      const workspace = join(dir, `cli-${round}.driftline`);
      const cli = await child([...profile, join(HERE, 'cli-scan-child.mjs'), 'scan', join(dir, 'sources.yaml'), '--workspace', workspace]);
      const cliRows = insertsIn(workspace);
      if (raw.rows !== ROWS || cli.code !== 0 || cliRows !== ROWS) throw new Error(`rows differ: raw zongji ${raw.rows}, driftline CLI ${cliRows} (exit ${cli.code}), inserted ${ROWS}: nothing comparable to time`);
      rawRuns.push(raw.cpuSeconds as number);
      cliRuns.push(cli.cpuSeconds as number);
    }
    const scan = await child(['--import', 'tsx', join(HERE, 'mysql-scan-child.ts'), join(dir, 'sources.yaml'), join(dir, 'bench.driftline')]);
    if (scan.rows !== ROWS || scan.ok !== true) throw new Error(`rows differ: in process ${scan.rows} (ok ${scan.ok}), inserted ${ROWS}`);
    const rawCpu = median(rawRuns);
    const cliCpu = median(cliRuns);
    const scanCpu = scan.scanCpuSeconds as number;
    const rate = (cpuSeconds: number) => ROWS / cpuSeconds;
    const list = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    console.log(`raw zongji (anchor): ${ROWS.toLocaleString('en')} rows in ${rawCpu.toFixed(2)} CPU-s (median of ${list(rawRuns)}) → ${rate(rawCpu).toFixed(0)} rows per CPU-second (whole process)`);
    console.log(`driftline scan (compiled CLI, dist/), whole process: ${cliCpu.toFixed(2)} CPU-s (median of ${list(cliRuns)}) → ${rate(cliCpu).toFixed(0)} rows/CPU-s = ${(rawCpu / cliCpu).toFixed(2)}× raw zongji (target ≥ 0.5×; per round ${rawRuns.map((r, i) => (r / cliRuns[i]).toFixed(2)).join(', ')})`);
    console.log(`driftline scan in process, scan alone (code loaded): ${scanCpu.toFixed(2)} CPU-s → ${rate(scanCpu).toFixed(0)} rows/CPU-s = ${(rawCpu / scanCpu).toFixed(2)}× raw zongji`);
    console.log(`machine load (1-minute average, ${cpus().length} cores): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
