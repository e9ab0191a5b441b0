import Database from 'better-sqlite3';
import { copyFileSync, existsSync, mkdtempSync, openSync, readSync, closeSync, rmSync, statSync, readFileSync, readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../core/api/errors.js';
import { groupKeyOf } from '../../core/model/groups.js';
import { appRoot } from '../app-root.js';
import { claimWriter, claimWriterWaiting, currentWriterRecord, holderIsLive, type WriterClaim, type WriterRecord } from './writer-lock.js';

/** SQLite's application_id marks a file as a Driftline workspace ("DRFT"). */
export const APPLICATION_ID = 0x44524654;
// Found from the install root: this module also runs compiled into dist/, where no migrations sit beside it.
const MIGRATIONS_DIR = join(appRoot(), 'shared', 'node', 'store', 'migrations');
const SQLITE_HEADER = 'SQLite format 3\0';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Migrations are `NNN_name.sql` files; their number is the schema version they bring. */
export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir)
    .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((f) => ({ version: Number(f.slice(0, 3)), name: f, sql: readFileSync(join(dir, f), 'utf8') }));
}

export const SCHEMA_VERSION = Math.max(...loadMigrations().map((m) => m.version));

export interface OpenOptions {
  /** Create the file if it does not exist (default false: a typo must not silently make an empty workspace). */
  create?: boolean;
  readOnly?: boolean;
  /**
   * When to run SQLite's `quick_check` (seconds on a large workspace): 'auto' (default) only when
   * the last writer did not close the file cleanly (a crash, a kill, power loss); 'always' on demand.
   */
  integrityCheck?: 'auto' | 'always';
  /** What the writer does, for the message another writer gets ("driftline scan"). */
  purpose?: string;
}

export interface WriterOpenOptions extends OpenOptions {
  /** How long to wait for another writer to finish (ms, default 0: refuse at once). */
  waitMs?: number;
  /** Told once which writer is being waited for. */
  onWait?: (holder: WriterRecord) => void;
  signal?: AbortSignal;
}

type Integrity = 'skipped' | 'after-unclean-shutdown' | 'on-demand';

export interface Workspace {
  db: Database.Database;
  path: string;
  id: string;
  readOnly: boolean;
  /** Why quick_check ran at open, or 'skipped' when the last writer closed cleanly. */
  integrity: Integrity;
  /** The claim of the one writer (writable workspaces only); released on close. */
  writer?: WriterClaim;
  /** Set when the file sat where nothing can be written (read-only media): a private copy is read instead. */
  readFromCopy?: boolean;
  close(): void;
}

const walOf = (path: string) => `${path}-wal`;
const hasWal = (path: string): boolean => {
  try {
    return statSync(walOf(path)).size > 0;
  } catch {
    return false;
  }
};

/**
 * Checks a file before SQLite touches it, so that opening the wrong file changes nothing:
 * SQLite would otherwise happily turn an empty or foreign file into a database. A workspace a live
 * scan has just created may still have its first pages only in the -wal file: then SQLite decides.
 */
function assertLooksLikeWorkspace(path: string): void {
  const size = statSync(path).size;
  if (size < 100 && hasWal(path)) return;
  if (size < 100) throw new AppError('NOT_A_WORKSPACE', `${path} is not a Driftline workspace (too small to be an SQLite database: ${size} bytes). Choose a .driftline file or create one with "driftline scan".`);
  const fd = openSync(path, 'r');
  const header = Buffer.alloc(100);
  try {
    readSync(fd, header, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (header.subarray(0, 16).toString('latin1') !== SQLITE_HEADER) {
    throw new AppError('NOT_A_WORKSPACE', `${path} is not a Driftline workspace (not an SQLite file). Choose a .driftline file or create one with "driftline scan".`);
  }
  // A cut-off file, found from the header alone (so every open catches it, not only a quick_check):
  // the page count is valid when its version number matches the change counter (sqlite.org/fileformat.html).
  const pageSize = header.readUInt16BE(16) === 1 ? 65536 : header.readUInt16BE(16);
  const pages = header.readUInt32BE(28);
  if (header.readUInt32BE(92) === header.readUInt32BE(24) && size < pages * pageSize) {
    throw new AppError('WORKSPACE_CORRUPT', `${path} is damaged (cut off: ${size} of ${pages * pageSize} bytes). Restore it from a snapshot bundle; nothing was changed.`);
  }
}

/**
 * A file is ours only if it says so three ways: the application_id, a schema version, and a meta
 * table holding a workspace id. The application_id alone can be forged; the other two are checked
 * before anything is written, so a foreign database never gets Driftline's tables added to it.
 * Everything is read through SQLite, not the raw header: after a crash the newest header page may
 * still be in the -wal file, and only SQLite sees it there.
 */
function assertIsWorkspace(db: Database.Database, path: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    throw new AppError('NOT_A_WORKSPACE', `${path} is an SQLite database but not a Driftline workspace (application_id ${appId}). Nothing was changed.`);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  const hasMeta = db.prepare(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'`).pluck().get() === 1;
  const id = hasMeta ? db.prepare(`SELECT value FROM meta WHERE key = 'workspace_id'`).pluck().get() : undefined;
  if (version < 1 || !hasMeta || typeof id !== 'string' || id === '') {
    throw new AppError('NOT_A_WORKSPACE', `${path} carries Driftline's application_id but is not a Driftline workspace (${version < 1 ? 'no schema version' : 'no workspace id'}); it was not created by Driftline. Nothing was changed.`);
  }
}

/** SQLite says it cannot open a WAL database where it cannot create the -shm file (read-only media). */
const cannotOpen = (err: unknown): boolean => /SQLITE_CANTOPEN|unable to open database file/i.test(`${(err as { code?: string }).code ?? ''} ${(err as Error).message}`);

function connect(path: string, readOnly: boolean, exists: boolean): Database.Database {
  try {
    const db = new Database(path, { readonly: readOnly, fileMustExist: exists });
    db.pragma('schema_version', { simple: true }); // the first read: where a failed open shows
    return db;
  } catch (err) {
    throw Object.assign(err as Error, { openFailed: true });
  }
}

/**
 * A read-only connection. A workspace in WAL mode can only be read where SQLite may create its -shm
 * file; on read-only media (a DVD, a write-protected share, a 0444 file in a 0555 folder) it cannot,
 * so the file (and its -wal, if any) is copied to a private temporary folder and the copy is read.
 */
function connectReadOnly(path: string): { db: Database.Database; cleanup?: () => void } {
  try {
    return { db: connect(path, true, true) };
  } catch (err) {
    if (!cannotOpen(err)) throw err;
    const dir = mkdtempSync(join(tmpdir(), 'driftline-readonly-'));
    const copy = join(dir, 'workspace.driftline');
    try {
      copyFileSync(path, copy);
      if (existsSync(walOf(path))) copyFileSync(walOf(path), walOf(copy));
      return { db: connect(copy, true, true), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
    } catch (copyErr) {
      rmSync(dir, { recursive: true, force: true });
      throw copyErr;
    }
  }
}

interface Opened {
  db: Database.Database;
  exists: boolean;
  integrity: Integrity;
  cleanup?: () => void;
}

/** Opens the connection and checks that the file is a workspace this Driftline can read; writes nothing. */
function openChecked(path: string, options: OpenOptions): Opened {
  const exists = existsSync(path);
  if (!exists && !options.create) throw new AppError('NOT_FOUND', `workspace ${path} does not exist; create it with "driftline scan <sources.yaml> --workspace ${path}"`);
  if (!exists && options.readOnly) throw new AppError('NOT_FOUND', `workspace ${path} does not exist`);
  if (exists) assertLooksLikeWorkspace(path);
  let opened: Opened;
  try {
    opened = options.readOnly ? { ...connectReadOnly(path), exists, integrity: 'skipped' } : { db: connect(path, false, exists), exists, integrity: 'skipped' };
  } catch (err) {
    throw new AppError('WORKSPACE_CORRUPT', `${path} could not be opened: ${(err as Error).message}`, { cause: err });
  }
  // The node → group function the group-count triggers use (migrations/002_group_counts.sql).
  opened.db.function('driftline_group_key', { deterministic: true }, (urn: unknown) => groupKeyOf(String(urn)));
  try {
    if (exists) assertIsWorkspace(opened.db, path);
    const version = opened.db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new AppError('WORKSPACE_TOO_NEW', `${path} was written by a newer Driftline (schema ${version}, this one knows ${SCHEMA_VERSION}). Update Driftline to open it; nothing was changed.`);
    }
    if (exists) {
      // A writer that closes cleanly removes its claim (writer-lock.ts); a claim left by a process
      // that is gone means it died mid-work (a crash, a kill, power loss): only then, or on demand,
      // is the whole file checked. A live writer's claim is no sign of damage.
      const left = version > 0 ? currentWriterRecord(opened.db) : undefined;
      if (options.integrityCheck === 'always') opened.integrity = 'on-demand';
      else if (left && !holderIsLive(left)) opened.integrity = 'after-unclean-shutdown';
      if (opened.integrity !== 'skipped') assertIntact(opened.db, path);
    }
    if (options.readOnly && version < SCHEMA_VERSION) {
      throw new AppError('WORKSPACE_READ_ONLY', `${path} has an older schema (${version}) and is opened read-only; open it writable once to upgrade.`);
    }
    return opened;
  } catch (err) {
    closeOpened(opened);
    if (err instanceof AppError) throw err;
    throw new AppError('WORKSPACE_CORRUPT', `${path} could not be read as a workspace: ${(err as Error).message}. Nothing was changed.`, { cause: err });
  }
}

/** SQLite's quick_check (every page and index entry readable and consistent), as an AppError naming the file. */
export function assertIntact(db: Database.Database, path: string): void {
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new AppError('WORKSPACE_CORRUPT', `${path} is damaged (${String(check)}). Restore it from a snapshot bundle; nothing was changed.`);
}

function closeOpened(o: Opened): void {
  o.db.close();
  o.cleanup?.();
}

/**
 * Finishes a writable open under the writer's claim: WAL mode, migrations, the workspace id. An
 * existing workspace is claimed before anything is migrated; a new one right after the migration
 * that creates its meta table (the claim lives there).
 */
function finishWritable(path: string, opened: Opened, claimFor: (db: Database.Database) => WriterClaim | Promise<WriterClaim>): Workspace | Promise<Workspace> {
  const { db } = opened;
  let claim: WriterClaim | undefined;
  const fail = (err: unknown): never => {
    claim?.release();
    closeOpened(opened);
    if (err instanceof AppError) throw err;
    throw new AppError('WORKSPACE_CORRUPT', `${path} could not be opened for writing: ${(err as Error).message}`, { cause: err });
  };
  const workspace = (): Workspace => {
    const id = db.prepare(`SELECT value FROM meta WHERE key = 'workspace_id'`).pluck().get() as string;
    const held = claim!;
    return { db, path, id, readOnly: false, integrity: opened.integrity, writer: held, close: () => { held.release(); db.close(); } };
  };
  const claimed = (c: WriterClaim): Workspace => {
    claim = c;
    try {
      // The writer waited for died meanwhile instead of finishing: its work is checked like any crash.
      if (opened.exists && c.previous && opened.integrity === 'skipped') {
        opened.integrity = 'after-unclean-shutdown';
        assertIntact(db, path);
      }
      if (opened.exists) migrate(db);
      return workspace();
    } catch (err) {
      return fail(err);
    }
  };
  let pending: WriterClaim | Promise<WriterClaim>;
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    if (!opened.exists) migrate(db);
    pending = claimFor(db);
  } catch (err) {
    return fail(err);
  }
  return pending instanceof Promise ? pending.then(claimed, fail) : claimed(pending);
}

/**
 * Opens (and migrates) a workspace file. A writable open claims the workspace's one writer at once
 * and refuses with WORKSPACE_BUSY, naming the holder, when another live process writes it; use
 * {@link openWorkspaceWriter} to wait. Errors are AppErrors that name the file and what to do.
 */
export function openWorkspace(path: string, options: OpenOptions = {}): Workspace {
  const opened = openChecked(path, options);
  if (options.readOnly) {
    const id = opened.db.prepare(`SELECT value FROM meta WHERE key = 'workspace_id'`).pluck().get() as string;
    return { db: opened.db, path, id, readOnly: true, integrity: opened.integrity, ...(opened.cleanup ? { readFromCopy: true } : {}), close: () => closeOpened(opened) };
  }
  return finishWritable(path, opened, (db) => claimWriter(db, path, options.purpose ?? 'Driftline')) as Workspace;
}

/** Opens a workspace for writing, waiting up to `waitMs` for another writer to finish. */
export async function openWorkspaceWriter(path: string, options: WriterOpenOptions = {}): Promise<Workspace> {
  const opened = openChecked(path, { ...options, readOnly: false });
  return finishWritable(path, opened, (db) => claimWriterWaiting(db, path, options.purpose ?? 'Driftline', options.waitMs ?? 0, options.onWait, options.signal));
}

function migrate(db: Database.Database): void {
  // Read and migrated in one IMMEDIATE transaction: two processes creating one file cannot both migrate it.
  db.transaction(() => {
    const from = db.pragma('user_version', { simple: true }) as number;
    const pending = loadMigrations().filter((m) => m.version > from);
    if (pending.length === 0) return;
    // All pending migrations run in one transaction: a failure leaves the file as it was.
    for (const m of pending) db.exec(m.sql);
    if (from === 0) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.prepare(`INSERT INTO meta(key, value) VALUES ('workspace_id', ?), ('created_at', ?)`).run(randomUUID(), new Date().toISOString());
    }
    db.pragma(`user_version = ${pending[pending.length - 1].version}`);
  }).immediate();
}
