import ZongJi, { type AnyBinlogEvent, type RowData } from '@vlasky/zongji';
import { AppError } from '../../../core/api/errors.js';
import { mysqlUrn } from '../../../core/model/urn.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import type { BinlogConfig, MysqlSourceConfig } from './config.js';
import { connectionOptions, type ReadOnlySession } from './connection.js';
import { ddlTargets, type DdlTarget } from './ddl.js';
import { missingPrivilege, serverIdClash, toMysqlAppError } from './errors.js';
import { allTableRecords, columnRecords, tableRecords, TableModel, type CdcCounts } from './records.js';
import { valueText } from './sample.js';
import { readSchema, type TableInfo } from './schema.js';

/** A binlog position: file + offset, and the GTID of the last transaction before it (MariaDB `0-1-8`). */
export interface BinlogPosition {
  file: string;
  pos: number;
  gtid?: string;
}

/**
 * What the `binlog` checkpoint holds: the position after the last transaction whose records were
 * yielded, and the row counts per table up to that position. Both are saved in the same transaction
 * as those records, so a resumed capture continues at exactly this transaction boundary.
 */
export interface BinlogCheckpoint extends BinlogPosition {
  counts: { database: string; table: string; inserts: number; updates: number; deletes: number }[];
}

export const BINLOG_CHECKPOINT_KEY = 'binlog';
/** Event types we ask zongji for; Annotate_rows (SQL text with literal values) is never requested. */
const INCLUDE_EVENTS = ['rotate', 'tablemap', 'writerows', 'updaterows', 'deleterows', 'xid', 'query', 'mariadbgtid', 'mariadbgtidlist', 'binlogcheckpoint'];
/** How often the stream is checked for abort and time limits when no event arrives. */
const IDLE_WAKE_MS = 500;
/** How long an idle stream waits before repeating its checkpoint (so the service saves what came before). */
const KEEPALIVE_MS = 1000;

export function parseCheckpoint(text: string | undefined): BinlogCheckpoint | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as BinlogCheckpoint;
    if (typeof v.file === 'string' && Number.isInteger(v.pos)) return { ...v, counts: Array.isArray(v.counts) ? v.counts : [] };
  } catch {
    /* a checkpoint from another format: start afresh */
  }
  return undefined;
}

/** Orders positions by the binlog file's sequence number (`mariadb-bin.000012`), then offset. */
export function comparePositions(a: BinlogPosition, b: BinlogPosition): number {
  const seq = (f: string) => Number(/\.(\d+)$/.exec(f)?.[1] ?? 0);
  return seq(a.file) - seq(b.file) || (a.file === b.file || seq(a.file) !== seq(b.file) ? 0 : a.file.localeCompare(b.file)) || a.pos - b.pos;
}

const tableKey = (db: string, table: string) => `${db}\u0000${table}`;
const formatPosition = (p: BinlogPosition) => `${p.file}:${p.pos}`;

/** Checks, before streaming, the server settings and privileges CDC needs; names what is missing. */
export async function preflight(session: ReadOnlySession, config: MysqlSourceConfig, warn: (item: string, message: string) => void): Promise<BinlogPosition> {
  const { conn, target } = session;
  const [[vars]] = (await conn.query('SELECT @@GLOBAL.log_bin AS logBin, @@GLOBAL.binlog_format AS format, @@GLOBAL.binlog_row_image AS rowImage, @@GLOBAL.binlog_row_metadata AS rowMetadata')) as unknown as [Record<string, string | number | null>[]];
  const where = `mysql://${config.name}`;
  if (Number(vars.logBin) !== 1) throw new AppError('CONFIG_INVALID', `${where}: the server has no binary log (log_bin is OFF) — enable log_bin, or remove binlog: from this source in sources.yaml`);
  if (String(vars.format).toUpperCase() !== 'ROW') {
    throw new AppError('CONFIG_INVALID', `${where}: the server writes binlog_format=${vars.format}; CDC needs binlog_format=ROW — SET GLOBAL binlog_format=ROW (and binlog_row_image=FULL), or remove binlog: from this source`);
  }
  if (String(vars.rowImage).toUpperCase() !== 'FULL') warn(where, `binlog_row_image=${vars.rowImage}: update events carry only some columns, so fewer values are classified — set binlog_row_image=FULL`);
  if (vars.rowMetadata !== undefined && vars.rowMetadata !== null && String(vars.rowMetadata).toUpperCase() !== 'FULL') {
    warn(where, `binlog_row_metadata=${vars.rowMetadata}: column names are read from information_schema, which needs SELECT — set binlog_row_metadata=FULL`);
  }

  // SHOW GRANTS names the privileges up front (a dump refused later is less clear). Roles are not
  // expanded here: with a role granted, the server's own refusal is mapped instead.
  const [grantRows] = (await conn.query('SHOW GRANTS')) as unknown as [Record<string, string>[]];
  const grants = grantRows.map((r) => Object.values(r)[0]);
  const usesRoles = grants.some((g) => /^GRANT\s+[`'"]?[\w-]+[`'"]?\s+TO\b/i.test(g) && !/\bON\b/i.test(g));
  const global = grants.filter((g) => /\bON\s+\*\.\*\s+TO\b/i.test(g));
  const has = (re: RegExp) => global.some((g) => /GRANT\s+ALL\s+PRIVILEGES\s+ON/i.test(g) || re.test(g));
  if (!usesRoles) {
    if (!has(/REPLICATION SLAVE(?! ADMIN)/i)) throw missingPrivilege(target, 'REPLICATION SLAVE', 'REPLICATION SLAVE, REPLICATION CLIENT');
    if (!has(/REPLICATION CLIENT|BINLOG MONITOR|\bSUPER\b/i)) throw missingPrivilege(target, 'REPLICATION CLIENT (BINLOG MONITOR on MariaDB)', 'REPLICATION SLAVE, REPLICATION CLIENT');
  }
  try {
    const [status] = (await conn.query('SHOW MASTER STATUS')) as unknown as [{ File: string; Position: number }[]];
    if (!status.length) throw new AppError('CONFIG_INVALID', `${where}: SHOW MASTER STATUS is empty: the binary log is off — enable log_bin`);
    return { file: status[0].File, pos: Number(status[0].Position) };
  } catch (err) {
    throw toMysqlAppError(err, target, 'SHOW MASTER STATUS');
  }
}

async function earliestPosition(session: ReadOnlySession): Promise<BinlogPosition> {
  try {
    const [logs] = (await session.conn.query('SHOW BINARY LOGS')) as unknown as [{ Log_name: string }[]];
    return { file: logs[0].Log_name, pos: 4 };
  } catch (err) {
    throw toMysqlAppError(err, session.target, 'SHOW BINARY LOGS');
  }
}

/** Resolves on notify() or after a timeout: the bridge from zongji's events to the async generator. */
class Wakeup {
  private resolve?: () => void;
  notify(): void {
    this.resolve?.();
    this.resolve = undefined;
  }
  wait(ms: number): Promise<void> {
    return new Promise((r) => {
      const timer = setTimeout(() => { this.resolve = undefined; r(); }, ms);
      this.resolve = () => { clearTimeout(timer); r(); };
    });
  }
}

export interface BinlogStreamOptions {
  config: MysqlSourceConfig & { binlog: BinlogConfig };
  ctx: CaptureContext;
  session: ReadOnlySession;
  /** Table models from the schema phase, keyed by `db\0table`; tables first seen in the binlog are added. */
  tables: Map<string, TableModel>;
  inScope(database: string): boolean;
}

/**
 * Streams row events from the server's binlog with zongji (a replica connection under
 * `binlog.serverId`), classifies every value as it streams, counts rows per table, re-reads a table's
 * schema after DDL, and yields a `binlog` checkpoint at each batch of committed transactions.
 * Only committed transactions are checkpointed, and counts travel inside the checkpoint, so a capture
 * killed at any point resumes from the last saved boundary without losing or double counting a row.
 */
export async function* streamBinlog(opts: BinlogStreamOptions): AsyncGenerator<CaptureRecord> {
  const { config, ctx, session, tables } = opts;
  const source = config.name;
  const end = await preflight(session, config, ctx.warn);
  const saved = parseCheckpoint(ctx.checkpoint(BINLOG_CHECKPOINT_KEY));
  const start: BinlogPosition = saved ?? (config.binlog.from === 'earliest' ? await earliestPosition(session) : end);

  // Committed state: what the next checkpoint will say.
  const counts = new Map<string, CdcCounts & { database: string; table: string }>();
  for (const c of saved?.counts ?? []) counts.set(tableKey(c.database, c.table), { ...c, lastPosition: undefined });
  let committed: BinlogPosition = { ...start };
  let committedVersion = 0;
  const committedDdl: DdlTarget[] = [];
  const dirtyTables = new Set<string>();
  const dirtyColumns = new Map<string, Set<string>>();
  const unknownTables = new Set<string>();

  // In-flight transaction state, merged into the committed state at its commit event.
  let currentFile = start.file;
  let inTransaction = false;
  let txCounts = new Map<string, { database: string; table: string; inserts: number; updates: number; deletes: number }>();
  let rowEvents = 0;
  let failure: unknown;
  let reachedEnd = !config.binlog.follow && comparePositions(start, end) >= 0;
  let hitLimit = false;
  const wake = new Wakeup();

  ctx.log.info('binlog capture starting', { source, from: formatPosition(start), resumed: saved !== undefined, follow: config.binlog.follow, until: config.binlog.follow ? undefined : formatPosition(end) });

  const modelFor = (database: string, table: string): TableModel => {
    const key = tableKey(database, table);
    let m = tables.get(key);
    if (!m) {
      const info: TableInfo = { database, name: table, engine: null, rowsEstimate: 0, comment: '', columns: [], primaryKey: [], indexes: [], foreignKeys: [] };
      tables.set(key, (m = new TableModel(info, ctx.fingerprint)));
      unknownTables.add(key);
    }
    return m;
  };

  const observeRow = (m: TableModel, key: string, row: RowData) => {
    let cols = dirtyColumns.get(key);
    if (!cols) dirtyColumns.set(key, (cols = new Set()));
    for (const [name, value] of Object.entries(row)) {
      const known = m.profiles.get(name);
      // A Buffer for a column the schema does not know is bytes, not text.
      const p = known ?? m.profile(name, Buffer.isBuffer(value));
      p.observe(p.binary ? null : valueText(value));
      cols.add(name);
    }
  };

  const commit = (pos: number, gtid: string | undefined, ddl: DdlTarget[] = []) => {
    for (const [key, c] of txCounts) {
      const total = counts.get(key) ?? { database: c.database, table: c.table, inserts: 0, updates: 0, deletes: 0 };
      total.inserts += c.inserts;
      total.updates += c.updates;
      total.deletes += c.deletes;
      counts.set(key, total);
      dirtyTables.add(key);
    }
    txCounts = new Map();
    inTransaction = false;
    committed = { file: currentFile, pos, gtid: gtid ?? committed.gtid };
    for (const c of counts.values()) if (dirtyTables.has(tableKey(c.database, c.table))) c.lastPosition = formatPosition(committed);
    committedDdl.push(...ddl);
    committedVersion++;
    if (!config.binlog.follow && comparePositions(committed, end) >= 0) reachedEnd = true;
    if (config.binlog.maxEvents !== undefined && rowEvents >= config.binlog.maxEvents) hitLimit = true;
    wake.notify();
  };

  const onEvent = (event: AnyBinlogEvent) => {
    try {
      if (reachedEnd || hitLimit) return;
      const e = event as any;
      switch (event.getEventName()) {
        case 'rotate':
          currentFile = e.binlogName;
          return;
        case 'mariadbgtid':
          inTransaction = !e.standalone;
          return;
        case 'writerows':
        case 'updaterows':
        case 'deleterows': {
          const entry = e.tableMap[e.tableId];
          if (!entry || !opts.inScope(entry.parentSchema)) return;
          const key = tableKey(entry.parentSchema, entry.tableName);
          const m = modelFor(entry.parentSchema, entry.tableName);
          let c = txCounts.get(key);
          if (!c) txCounts.set(key, (c = { database: entry.parentSchema, table: entry.tableName, inserts: 0, updates: 0, deletes: 0 }));
          const rows = e.rows as any[];
          rowEvents++;
          const name = event.getEventName();
          if (name === 'writerows') { c.inserts += rows.length; for (const r of rows) observeRow(m, key, r); }
          // An update's before-image mostly repeats its after-image; a deleted row may hold values
          // this capture never saw inserted (it started later), so deletes are classified too.
          else if (name === 'updaterows') { c.updates += rows.length; for (const r of rows) observeRow(m, key, r.after); }
          else { c.deletes += rows.length; for (const r of rows) observeRow(m, key, r); }
          return;
        }
        case 'xid':
          commit(e.nextPosition, e.gtid);
          return;
        case 'query': {
          const sql = String(e.query ?? '');
          if (/^\s*BEGIN\b/i.test(sql)) { inTransaction = true; return; }
          // COMMIT of a non-transactional engine, or a standalone statement (DDL): a transaction boundary.
          if (e.nextPosition > 0) commit(e.nextPosition, e.gtid, ddlTargets(sql, e.schema ?? '').filter((t) => opts.inScope(t.database)));
          return;
        }
        case 'mariadbgtidlist':
        case 'binlogcheckpoint':
          // Between transactions these mark a file's head: moving past them lets follow:false reach an end in a fresh file.
          if (!inTransaction && e.nextPosition > 0) commit(e.nextPosition, undefined);
          return;
        default:
          return;
      }
    } catch (err) {
      failure = err;
      wake.notify();
    }
  };

  if (reachedEnd) {
    yield checkpointRecord(committed, counts);
    return;
  }

  const zongji = new ZongJi(connectionOptions(config));
  zongji.on('binlog', onEvent);
  zongji.on('error', (err: unknown) => {
    failure ??= err;
    wake.notify();
  });
  zongji.start({
    serverId: config.binlog.serverId,
    filename: start.file,
    position: start.pos,
    includeEvents: INCLUDE_EVENTS,
    ...(config.databases ? { includeSchema: Object.fromEntries(config.databases.map((d) => [d, true as const])) } : {}),
  });

  const started = Date.now();
  let yieldedVersion = 0;
  // The start position is saved before any event: a capture killed before the first commit must
  // resume here, not at a later "current" end.
  yield checkpointRecord(committed, counts);
  let lastYield = Date.now();
  try {
    for (let i = 0; ; i++) {
      if (failure !== undefined) throw binlogError(failure, session, config.binlog.serverId);
      if (ctx.signal.aborted) break;
      if (committedVersion !== yieldedVersion) {
        yieldedVersion = committedVersion;
        yield* flushCommitted();
        lastYield = Date.now();
      } else if (Date.now() - lastYield >= KEEPALIVE_MS) {
        // The scan service flushes a batch when a record arrives; an idle stream repeats its checkpoint
        // so the records before it are saved within about a second, not at the next row event.
        yield checkpointRecord(committed, counts);
        lastYield = Date.now();
      }
      if (reachedEnd || hitLimit) break;
      const elapsed = Date.now() - started;
      if (config.binlog.maxSeconds !== undefined && elapsed >= config.binlog.maxSeconds * 1000) break;
      const remaining = config.binlog.maxSeconds !== undefined ? config.binlog.maxSeconds * 1000 - elapsed : IDLE_WAKE_MS;
      await wake.wait(Math.max(1, Math.min(IDLE_WAKE_MS, remaining)));
    }
    if (committedVersion !== yieldedVersion && !ctx.signal.aborted) yield* flushCommitted();
  } finally {
    zongji.removeAllListeners('binlog');
    stopWithoutKill(zongji);
  }
  ctx.log.info('binlog capture stopped', { source, at: formatPosition(committed), rowEvents });

  /**
   * Yields what changed up to the last commit, then the checkpoint. A snapshot of the committed state
   * is taken synchronously first, so events arriving while we await are left for the next flush.
   */
  async function* flushCommitted(): AsyncGenerator<CaptureRecord> {
    const position = { ...committed };
    const totals = new Map([...counts].map(([k, v]) => [k, { ...v }]));
    const ddl = committedDdl.splice(0);
    const tablesChanged = [...dirtyTables];
    dirtyTables.clear();
    const columnsChanged = new Map(dirtyColumns);
    dirtyColumns.clear();
    const toRead = new Map<string, DdlTarget>();
    for (const t of ddl) toRead.set(tableKey(t.database, t.table), t);
    for (const key of unknownTables) {
      const m = tables.get(key)!;
      toRead.set(key, { database: m.info.database, table: m.info.name });
    }
    unknownTables.clear();

    // DDL (and tables first met in the binlog): the table's definition now, as a config change.
    for (const [key, t] of toRead) {
      let info: TableInfo | undefined;
      try {
        info = (await readSchema(session.conn, undefined, { database: t.database, table: t.table }))[0]?.tables[0];
      } catch (err) {
        ctx.fail(mysqlUrn(source, t.database, t.table), toMysqlAppError(err, session.target, 'read the schema after DDL'));
        continue;
      }
      if (!info) {
        ctx.warn(mysqlUrn(source, t.database, t.table), `table no longer exists (dropped or renamed; seen in the binlog before ${formatPosition(position)})`);
        continue;
      }
      const existing = tables.get(key);
      if (existing) existing.replaceInfo(info);
      else tables.set(key, new TableModel(info, ctx.fingerprint));
      const m = tables.get(key)!;
      const c = totals.get(key);
      if (c) m.cdc = { inserts: c.inserts, updates: c.updates, deletes: c.deletes, lastPosition: c.lastPosition };
      yield* allTableRecords(source, m, true);
      columnsChanged.delete(key);
    }
    for (const key of tablesChanged) {
      const m = tables.get(key);
      const c = totals.get(key);
      if (!m || !c || toRead.has(key)) continue;
      m.cdc = { inserts: c.inserts, updates: c.updates, deletes: c.deletes, lastPosition: c.lastPosition };
      yield* tableRecords(source, m);
    }
    for (const [key, cols] of columnsChanged) {
      const m = tables.get(key);
      if (!m) continue;
      for (const col of m.info.columns) if (cols.has(col.name)) yield* columnRecords(source, m, col);
    }
    yield checkpointRecord(position, totals);
    ctx.progress({ done: [...totals.values()].reduce((n, c) => n + c.inserts + c.updates + c.deletes, 0), item: `binlog ${formatPosition(position)}` });
  }
}

function checkpointRecord(position: BinlogPosition, counts: Map<string, CdcCounts & { database: string; table: string }>): CaptureRecord {
  const value: BinlogCheckpoint = {
    file: position.file,
    pos: position.pos,
    ...(position.gtid ? { gtid: position.gtid } : {}),
    counts: [...counts.values()].map((c) => ({ database: c.database, table: c.table, inserts: c.inserts, updates: c.updates, deletes: c.deletes })),
  };
  return { type: 'checkpoint', key: BINLOG_CHECKPOINT_KEY, value: JSON.stringify(value) };
}

/**
 * A binlog stream error with its cause named. When another replica connects with our server id, the
 * server ends our dump with "A slave with the same server_uuid/server_id is already connected";
 * mysql2 labels that errno 4052 as ER_INVALID_MFA_PLUGIN_SPECIFIED (a MySQL code reused by MariaDB),
 * so match the number and the text, not the label.
 */
function binlogError(err: unknown, session: ReadOnlySession, serverId: number): AppError {
  const e = err as { errno?: number; code?: string | number; message?: string; sqlMessage?: string };
  const text = `${e?.sqlMessage ?? ''} ${e?.message ?? ''}`;
  if (e?.errno === 4052 || e?.code === 4052 || /same server.?(id|uuid)|slave with the same|replica with the same/i.test(text)) {
    return serverIdClash(session.target, serverId, err);
  }
  return toMysqlAppError(err, session.target, 'read the binlog');
}

/**
 * zongji.stop() closes the binlog socket and then sends `KILL <thread>` on its control connection to
 * end the server's dump thread at once. An auditor's session sends nothing but reads, so the control
 * connection is closed first: zongji then skips the KILL, and the server ends the dump thread when it
 * finds the socket gone (a later capture with the same serverId replaces it in any case).
 * Relies on zongji's `ctrlConnection` field: @vlasky/zongji is pinned to 0.9.0 for this reason.
 */
function stopWithoutKill(zongji: { stop(): void }): void {
  const ctrl = (zongji as unknown as { ctrlConnection?: { destroy(): void; on(e: string, f: () => void): void } | null }).ctrlConnection;
  if (ctrl) {
    ctrl.on('error', () => {});
    ctrl.destroy();
  }
  zongji.stop();
}
