import Database from 'better-sqlite3';
import { existsSync, openSync, readSync, closeSync, statSync, readFileSync, readdirSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { AppError } from '../../core/api/errors.js';
import { groupKeyOf } from '../../core/model/groups.js';
import { appRoot } from '../app-root.js';

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
}

export interface Workspace {
  db: Database.Database;
  path: string;
  id: string;
  readOnly: boolean;
  /** Why quick_check ran at open, or 'skipped' after a clean close. */
  integrity: 'skipped' | 'after-unclean-shutdown' | 'on-demand';
  close(): void;
}

/** meta key: '1' while a writer has the file open; set back to '0' by a clean close. */
const WRITER_OPEN_KEY = 'writer_open';

/**
 * Checks a file before SQLite touches it, so that opening the wrong file changes nothing:
 * SQLite would otherwise happily turn an empty or foreign file into a database.
 */
function assertLooksLikeWorkspace(path: string): void {
  const size = statSync(path).size;
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
 * The application_id is read through SQLite, not from the raw header: after a crash (SIGKILL during
 * a scan) the newest header page may still be in the -wal file, and only SQLite sees it there.
 */
function assertApplicationId(db: Database.Database, path: string): void {
  const appId = db.pragma('application_id', { simple: true }) as number;
  if (appId !== APPLICATION_ID) {
    throw new AppError('NOT_A_WORKSPACE', `${path} is an SQLite database but not a Driftline workspace (application_id ${appId}). Nothing was changed.`);
  }
}

/** Opens (and migrates) a workspace file. Errors are AppErrors that name the file and what to do. */
export function openWorkspace(path: string, options: OpenOptions = {}): Workspace {
  const exists = existsSync(path);
  if (!exists && !options.create) throw new AppError('NOT_FOUND', `workspace ${path} does not exist; create it with "driftline scan <sources.yaml> --workspace ${path}"`);
  if (!exists && options.readOnly) throw new AppError('NOT_FOUND', `workspace ${path} does not exist`);
  if (exists) assertLooksLikeWorkspace(path);

  let db: Database.Database;
  try {
    db = new Database(path, { readonly: !!options.readOnly, fileMustExist: exists });
  } catch (err) {
    throw new AppError('WORKSPACE_CORRUPT', `${path} could not be opened: ${(err as Error).message}`, { cause: err });
  }
  // The node → group function the group-count triggers use (migrations/002_group_counts.sql).
  db.function('driftline_group_key', { deterministic: true }, (urn: unknown) => groupKeyOf(String(urn)));
  try {
    if (exists) assertApplicationId(db, path);
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new AppError('WORKSPACE_TOO_NEW', `${path} was written by a newer Driftline (schema ${version}, this one knows ${SCHEMA_VERSION}). Update Driftline to open it; nothing was changed.`);
    }
    let integrity: Workspace['integrity'] = 'skipped';
    if (exists) {
      if (options.integrityCheck === 'always') integrity = 'on-demand';
      else if (version > 0 && readMeta(db, WRITER_OPEN_KEY) === '1') integrity = 'after-unclean-shutdown';
      if (integrity !== 'skipped') assertIntact(db, path);
    }
    if (!options.readOnly) {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      migrate(db, version);
    } else if (version < SCHEMA_VERSION) {
      throw new AppError('WORKSPACE_READ_ONLY', `${path} has an older schema (${version}) and is opened read-only; open it writable once to upgrade.`);
    }
    const id = (db.prepare(`SELECT value FROM meta WHERE key = 'workspace_id'`).get() as { value: string } | undefined)?.value;
    if (!id) throw new AppError('WORKSPACE_CORRUPT', `${path} has no workspace id; it was not created by Driftline.`);
    if (!options.readOnly) writeMeta(db, WRITER_OPEN_KEY, '1');
    const close = () => {
      if (!options.readOnly && db.open) writeMeta(db, WRITER_OPEN_KEY, '0');
      db.close();
    };
    return { db, path, id, readOnly: !!options.readOnly, integrity, close };
  } catch (err) {
    db.close();
    if (err instanceof AppError) throw err;
    throw new AppError('WORKSPACE_CORRUPT', `${path} could not be read as a workspace: ${(err as Error).message}. Nothing was changed.`, { cause: err });
  }
}

/** SQLite's quick_check (every page and index entry readable and consistent), as an AppError naming the file. */
export function assertIntact(db: Database.Database, path: string): void {
  const check = db.pragma('quick_check', { simple: true });
  if (check !== 'ok') throw new AppError('WORKSPACE_CORRUPT', `${path} is damaged (${String(check)}). Restore it from a snapshot bundle; nothing was changed.`);
}

const readMeta = (db: Database.Database, key: string): string | undefined =>
  (db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(key) as string | undefined);
const writeMeta = (db: Database.Database, key: string, value: string): void => {
  db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run(key, value);
};

function migrate(db: Database.Database, from: number): void {
  const pending = loadMigrations().filter((m) => m.version > from);
  if (pending.length === 0) return;
  // All pending migrations run in one transaction: a failure leaves the file as it was.
  db.transaction(() => {
    for (const m of pending) db.exec(m.sql);
    if (from === 0) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.prepare(`INSERT INTO meta(key, value) VALUES ('workspace_id', ?), ('created_at', ?)`).run(randomUUID(), new Date().toISOString());
    }
    db.pragma(`user_version = ${pending[pending.length - 1].version}`);
  })();
}
