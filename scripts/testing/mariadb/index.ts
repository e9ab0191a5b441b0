import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

const run = promisify(execFile);

/**
 * A private MariaDB for tests (DESIGN.md "Testing against real parts"): its own temp datadir, a free
 * port on 127.0.0.1, ROW binlogs with full row metadata, and a general query log so tests can prove
 * what a client sent. One server per test file is the intended use; startup is ~1 s because the
 * initialised system tables are copied from a template made once per machine and MariaDB version.
 */
export interface MariaDbOptions {
  /** Largest packet the server accepts (default 64M: tests write 16 MB rows). */
  maxAllowedPacket?: string;
  /** Extra `[mysqld]` settings, e.g. `{ binlog_format: 'STATEMENT' }`. */
  settings?: Record<string, string | number>;
  /** How long to wait for the server to answer (default 30 s). */
  startTimeoutMs?: number;
}

export interface GeneralLogEntry {
  thread: number;
  command: string;
  argument: string;
}

export interface TestMariaDb {
  host: '127.0.0.1';
  port: number;
  rootUser: 'root';
  socket: string;
  datadir: string;
  /** Runs SQL as root over the socket (several statements allowed). */
  query<T = any>(sql: string, params?: unknown[]): Promise<T>;
  /** Creates (or replaces) `name`@`%` with a password and runs `GRANT <grant>` for each entry, e.g. `SELECT ON shop.*`. */
  createUser(name: string, password: string, grants: string[]): Promise<void>;
  /** The path of the binlog file being written now (for offline captures). */
  currentBinlogFile(): Promise<string>;
  /** Every statement the server received from sessions of `user` (from the general query log). */
  statementsBy(user: string): Promise<GeneralLogEntry[]>;
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install it with `apt-get install -y --no-install-recommends mariadb-server mariadb-client`';
const BIN_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', '/usr/local/mysql/bin'];

function findBinary(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':').filter(Boolean), ...BIN_DIRS]) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function requireBinary(name: string): string {
  const p = findBinary(name);
  if (!p) throw new Error(`${name} was not found on this machine: ${INSTALL_HINT}`);
  return p;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port && port !== 3306 ? resolve(port) : freePort().then(resolve, reject)));
    });
  });
}

function myCnf(dir: string, port: number, opts: MariaDbOptions): string {
  const settings: Record<string, string | number> = {
    user: 'root',
    datadir: join(dir, 'data'),
    socket: join(dir, 'mysqld.sock'),
    'pid-file': join(dir, 'mysqld.pid'),
    'log-error': join(dir, 'error.log'),
    port,
    'bind-address': '127.0.0.1',
    log_bin: join(dir, 'data', 'mariadb-bin'),
    server_id: 1,
    binlog_format: 'ROW',
    binlog_row_image: 'FULL',
    binlog_row_metadata: 'FULL',
    max_allowed_packet: opts.maxAllowedPacket ?? '64M',
    // Chinese test data must fit without each test declaring a charset.
    'character-set-server': 'utf8mb4',
    'collation-server': 'utf8mb4_general_ci',
    general_log: 1,
    general_log_file: join(dir, 'general.log'),
    // Small and quiet: several engineers share two cores.
    innodb_buffer_pool_size: '64M',
    innodb_log_file_size: '16M',
    innodb_flush_log_at_trx_commit: 2,
    sync_binlog: 0,
    performance_schema: 'OFF',
    'skip-name-resolve': 'OFF',
    ...opts.settings,
  };
  const lines = Object.entries(settings).map(([k, v]) => (v === '' ? k : `${k}=${v}`));
  return `[mysqld]\n${lines.join('\n')}\n\n[client]\nsocket=${join(dir, 'mysqld.sock')}\nuser=root\n`;
}

/** An initialised datadir without binlogs, made once per MariaDB version and copied per server. */
async function templateDatadir(installDb: string, version: string): Promise<string> {
  const uid = process.getuid?.() ?? 0;
  const template = join(tmpdir(), `driftline-mariadb-template-${uid}-${version.replace(/[^\w.-]/g, '_')}`);
  if (existsSync(join(template, 'mysql', 'user.frm')) || existsSync(join(template, 'mysql', 'global_priv.frm'))) return template;
  const work = await mkdtemp(join(tmpdir(), 'driftline-mariadb-install-'));
  const cnf = join(work, 'my.cnf');
  await writeFile(cnf, `[mysqld]\ndatadir=${join(work, 'data')}\nuser=root\ninnodb_log_file_size=16M\n`);
  try {
    await run(installDb, [`--defaults-file=${cnf}`, '--auth-root-authentication-method=normal', '--skip-test-db', `--datadir=${join(work, 'data')}`], { timeout: 60_000 });
  } catch (err) {
    await rm(work, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
  // Another test process may have won the race: its template is as good as ours.
  try {
    await rename(join(work, 'data'), template);
  } catch {
    /* exists already */
  }
  await rm(work, { recursive: true, force: true });
  return template;
}

async function waitForServer(socket: string, child: ChildProcess, errorLog: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (let attempt = 0; attempt < 1000 && Date.now() < deadline; attempt++) {
    if (child.exitCode !== null) break;
    try {
      const conn = await mysql.createConnection({ socketPath: socket, user: 'root', connectTimeout: 2000 });
      await conn.query('SELECT 1');
      await conn.end();
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const log = await readFile(errorLog, 'utf8').catch(() => '');
  child.kill('SIGKILL');
  throw new Error(`MariaDB did not answer within ${timeoutMs} ms (${String(lastError)}); error log:\n${log.slice(-3000)}`);
}

/** Parses MariaDB's general query log ("<time>\t    <id> <Command>\t<argument>"), multi-line statements included. */
export function parseGeneralLog(text: string): GeneralLogEntry[] {
  const entries: GeneralLogEntry[] = [];
  const head = /^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\s+(\d+)\s([A-Z][\w ]*?)\t(.*)$/;
  for (const line of text.split('\n')) {
    const m = head.exec(line);
    if (m) entries.push({ thread: Number(m[1]), command: m[2].trim(), argument: m[3] });
    else if (entries.length && line !== '') entries[entries.length - 1].argument += '\n' + line;
  }
  return entries;
}

/** Starts a private MariaDB; always `await db.stop()` (e.g. in afterAll). */
export async function startMariaDb(opts: MariaDbOptions = {}): Promise<TestMariaDb> {
  const mariadbd = findBinary('mariadbd') ?? findBinary('mysqld');
  if (!mariadbd) throw new Error(`mariadbd was not found on this machine: ${INSTALL_HINT}`);
  const installDb = requireBinary('mariadb-install-db');
  const { stdout: versionText } = await run(mariadbd, ['--version']);
  const version = /Ver\s+(\S+)/.exec(versionText)?.[1] ?? 'unknown';

  const template = await templateDatadir(installDb, version);
  const dir = await mkdtemp(join(tmpdir(), 'driftline-mariadb-'));
  await mkdir(dir, { recursive: true });
  await cp(template, join(dir, 'data'), { recursive: true });
  const port = await freePort();
  const cnf = join(dir, 'my.cnf');
  await writeFile(cnf, myCnf(dir, port, opts));
  const socket = join(dir, 'mysqld.sock');

  const child = spawn(mariadbd, [`--defaults-file=${cnf}`], { stdio: 'ignore' });
  // A crashed test process must not leave a server behind.
  const onExit = () => child.kill('SIGKILL');
  process.once('exit', onExit);
  try {
    await waitForServer(socket, child, join(dir, 'error.log'), opts.startTimeoutMs ?? 30_000);
  } catch (err) {
    process.off('exit', onExit);
    await rm(dir, { recursive: true, force: true });
    throw err;
  }

  const pool = mysql.createPool({ socketPath: socket, user: 'root', multipleStatements: true, connectionLimit: 4, supportBigNumbers: true });
  // TCP root access for clients that cannot use the socket (e.g. zongji in benches).
  await pool.query(`CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION`);
  let stopped = false;

  const db: TestMariaDb = {
    host: '127.0.0.1',
    port,
    rootUser: 'root',
    socket,
    datadir: join(dir, 'data'),
    async query(sql, params) {
      const [rows] = await pool.query(sql, params);
      return rows as any;
    },
    async createUser(name, password, grants) {
      await pool.query(`DROP USER IF EXISTS ?@'%'; CREATE USER ?@'%' IDENTIFIED BY ?`, [name, name, password]);
      for (const g of grants) await pool.query(`GRANT ${g} TO ?@'%'`, [name]);
    },
    async currentBinlogFile() {
      const [rows] = await pool.query('SHOW MASTER STATUS');
      return join(dir, 'data', (rows as { File: string }[])[0].File);
    },
    async statementsBy(user) {
      const entries = parseGeneralLog(await readFile(join(dir, 'general.log'), 'utf8'));
      const threads = new Set(entries.filter((e) => e.command === 'Connect' && e.argument.startsWith(`${user}@`)).map((e) => e.thread));
      return entries.filter((e) => threads.has(e.thread));
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await pool.end().catch(() => {});
      const exited = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      process.off('exit', onExit);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return db;
}
