import ZongJi, { type AnyBinlogEvent, type RowData } from '@vlasky/zongji';
import { AppError } from '../../../core/api/errors.js';
import { mysqlUrn } from '../../../core/model/urn.js';
import { phrase, say, spoken } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import type { BinlogConfig, MysqlSourceConfig } from './config.js';
import { connectionOptions, type ReadOnlySession } from './connection.js';
import { parseDdl, type DdlTarget } from './ddl.js';
import { missingPrivilege, serverIdClash, toMysqlAppError } from './errors.js';
import { allTableRecords, columnRecords, tableConfigRecord, tableRecords, TableModel, type CdcCounts } from './records.js';
import { valueText } from './sample.js';
import { decodedHere, installRowDecoder, ROW_SINK, yieldsBytes, type RowPlan, type RowSink, type ZongjiRowsEvent } from './row-decoder.js';
import { readSchema, type DatabaseInfo, type TableInfo } from './schema.js';
import { infoFromState, SchemaHistory, stateFromInfo, tableMapMismatch, type SchemaHistoryJson } from './schema-history.js';

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
  counts: { database: string; table: string; inserts: number; updates: number; deletes: number; unattributed?: number }[];
  /** The table definitions in force at this position (schema-history.ts): a resumed capture decodes with them. */
  schema?: SchemaHistoryJson;
  /** Row images not given column names since the last reported gap, per table (reported when a capture ends). */
  gaps?: PendingGap[];
}

/** Row images of one table at positions whose definition is unproven: counted, never classified. */
export interface PendingGap {
  database: string;
  table: string;
  from: string;
  to: string;
  rows: number;
  reason: string;
  /** `reason` as a phrase, where it was said from one. */
  reasonPhrase?: Phrase;
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
    warn(where, `binlog_row_metadata=${vars.rowMetadata}: row events do not name their columns, so names come from the schema history (the schema at the start position and every DDL replayed); rows where it cannot be proven are counted, not classified — SET GLOBAL binlog_row_metadata=FULL`);
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

/** How many times the schema is re-read when the binlog moves while it is being read. */
const STABLE_SCHEMA_TRIES = 5;

/**
 * The schema of the tables in scope at a provable binlog position: information_schema read while
 * SHOW MASTER STATUS stood still before and after. A DDL committed in between moves the position,
 * and the schema is read again (bounded); if it never holds still, the later position is used and
 * the DDL replayed on an already-changed schema fails its checks, so the table becomes unknown, not wrong.
 */
async function stableSchema(session: ReadOnlySession, config: MysqlSourceConfig): Promise<{ position: BinlogPosition; databases: DatabaseInfo[] }> {
  const status = async (): Promise<BinlogPosition> => {
    const [rows] = (await session.conn.query('SHOW MASTER STATUS')) as unknown as [{ File: string; Position: number }[]];
    return { file: rows[0].File, pos: Number(rows[0].Position) };
  };
  let before = await status();
  for (let i = 0; ; i++) {
    const databases = await readSchema(session.conn, config.databases);
    const after = await status();
    if (comparePositions(before, after) === 0 || i >= STABLE_SCHEMA_TRIES - 1) return { position: before, databases };
    before = after;
  }
}

/** What the next checkpoint says about one table's rows. */
type TableCounts = CdcCounts & { database: string; table: string; unattributed: number };

/** The zongji table-map entry we build for a table (zongji's own fields plus why its names are unproven). */
interface TableMapEntry {
  columnSchemas: { COLUMN_NAME: string; COLLATION_NAME: null; CHARACTER_SET_NAME: string | null; COLUMN_COMMENT: string; COLUMN_TYPE: string }[];
  parentSchema: string;
  tableName: string;
  /** Set when the columns' names are not proven at this position: values are counted, not classified. */
  unproven?: string;
  unprovenPhrase?: Phrase;
}

/** Column types zongji needs to decode a placeholder column it cannot name (its value is never read). */
const placeholderType = (code: number): string => (code === 247 ? "enum('')" : code === 248 ? "set('')" : '');

/**
 * Streams row events from the server's binlog with zongji (a replica connection under
 * `binlog.serverId`) and decodes each one with the table definition in force at its position: the
 * schema history (schema-history.ts) is seeded where it can be proven — the saved checkpoint, or
 * information_schema at the current position — and every DDL in the stream is replayed on it.
 * zongji's own lookup of information_schema (today's columns, wrong for older events) is replaced by
 * the history. Rows whose definition cannot be proven (a capture from the oldest binlog before the
 * table's CREATE TABLE, a table map that contradicts the definition) are counted and reported as a
 * gap, never classified. A `binlog` checkpoint — position, counts, the definitions in force, pending
 * gaps — is yielded at each batch of committed transactions, so a capture killed at any point
 * resumes at that boundary without losing or double counting a row, and with the right schema.
 */
export async function* streamBinlog(opts: BinlogStreamOptions): AsyncGenerator<CaptureRecord> {
  const { config, ctx, session, tables } = opts;
  const source = config.name;
  let end = await preflight(session, config, ctx.warn);
  const saved = parseCheckpoint(ctx.checkpoint(BINLOG_CHECKPOINT_KEY));
  let start: BinlogPosition;
  let history: SchemaHistory;
  const databaseCharsets = new Map<string, string>();
  if (saved?.schema) {
    start = saved;
    history = SchemaHistory.fromJson(saved.schema);
  } else if (saved || config.binlog.from === 'earliest') {
    start = saved ?? (await earliestPosition(session));
    history = new SchemaHistory(saved
      ? phrase('gap.schema.checkpointWithoutSchema', { position: formatPosition(saved) })
      : phrase('gap.schema.startsAtOldest', { position: formatPosition(start) }));
  } else {
    // From the current position: the schema read now is the schema there, provably.
    const snapshot = await stableSchema(session, config).catch((err) => { throw toMysqlAppError(err, session.target, 'read the schema at the start position'); });
    start = end = snapshot.position;
    history = new SchemaHistory();
    for (const db of snapshot.databases) {
      databaseCharsets.set(db.name, db.charset);
      for (const t of db.tables) history.seed(t.database, t.name, stateFromInfo(t, `information_schema at ${formatPosition(start)}`, db.charset));
    }
  }
  /** Where the schema phase read the tables: DDL before this is older than what the graph shows. */
  const schemaPhaseEnd = { ...end };

  // Committed state: what the next checkpoint will say.
  const counts = new Map<string, TableCounts>();
  for (const c of saved?.counts ?? []) counts.set(tableKey(c.database, c.table), { ...c, unattributed: c.unattributed ?? 0, lastPosition: undefined });
  let committed: BinlogPosition = { ...start };
  let committedVersion = 0;
  let committedSchema: SchemaHistoryJson = history.toJson();
  let historyDirty = false;
  const committedDdl: { target: DdlTarget; at: BinlogPosition }[] = [];
  const committedRenames: { table: DdlTarget; from: string; to: string }[] = [];
  const dirtyTables = new Set<string>();
  const dirtyColumns = new Map<string, Set<string>>();
  const unknownTables = new Set<string>();
  const gaps = new Map<string, PendingGap>();
  for (const g of saved?.gaps ?? []) gaps.set(`${tableKey(g.database, g.table)}\u0000${g.reason}`, g);

  // In-flight transaction state, merged into the committed state at its commit event.
  let currentFile = start.file;
  let inTransaction = false;
  let txCounts = new Map<string, TableCounts>();
  let txUnproven = new Map<string, { rows: number; reason: string; reasonPhrase?: Phrase }>();
  let txDdl: { target: DdlTarget; at: BinlogPosition }[] = [];
  let txRenames: { table: DdlTarget; from: string; to: string }[] = [];
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

  /**
   * Every value of one row event that zongji decoded itself (row objects) into its column's profile:
   * the fallback when the row decoder (rowPlan below) did not read the event. The rows of an event
   * share one table map, so their columns and profiles are looked up once per event, not per value.
   */
  const observeRows = (m: TableModel, key: string, rows: RowData[]) => {
    if (rows.length === 0) return;
    let cols = dirtyColumns.get(key);
    if (!cols) dirtyColumns.set(key, (cols = new Set()));
    const names = Object.keys(rows[0]);
    const profiles = names.map((name) => {
      cols.add(name);
      // A Buffer for a column the schema does not know is bytes, not text.
      return m.profiles.get(name) ?? m.profile(name, Buffer.isBuffer(rows[0][name]));
    });
    for (const row of rows) {
      for (let i = 0; i < names.length; i++) {
        const p = profiles[i];
        p.observe(p.binary ? null : valueText(row[names[i]]));
      }
    }
  };

  /**
   * How the rows of one row event are read (row-decoder.ts), decided before its first row: each
   * column's values straight into its profile, or — for rows that are not classified (out of scope,
   * past the end, names unproven) — read past. onEvent then counts the rows as for any event.
   */
  const rowPlan: RowSink = (event: ZongjiRowsEvent): RowPlan => {
    const entry = event.tableMap[event.tableId] as ZongjiRowsEvent['tableMap'][number] & Partial<TableMapEntry>;
    if (reachedEnd || hitLimit || !opts.inScope(entry.parentSchema) || entry.unproven) return { observers: [] };
    const key = tableKey(entry.parentSchema, entry.tableName);
    const m = modelFor(entry.parentSchema, entry.tableName);
    let cols = dirtyColumns.get(key);
    if (!cols) dirtyColumns.set(key, (cols = new Set()));
    const seen = cols;
    return {
      observers: entry.columns.map((c, i) => {
        seen.add(c.name);
        return m.profiles.get(c.name) ?? m.profile(c.name, yieldsBytes(c, entry.columnSchemas[i]));
      }),
    };
  };

  /**
   * zongji asks information_schema for a table's columns at each new table map (today's columns:
   * wrong for an event written before an ALTER). We answer from the schema history instead, checked
   * against the table map's own column count and types. Relies on zongji's `_fetchTableInfo`
   * (pinned @vlasky/zongji 0.9.0, see stopWithoutKill).
   */
  const tableMapEntry = (event: any): TableMapEntry => {
    const db: string = event.schemaName;
    const table: string = event.tableName;
    const types: number[] = event.columnTypes ?? [];
    const metadata: any[] = event.columnsMetadata ?? [];
    const names: string[] | undefined = Array.isArray(event.columnNames) && event.columnNames.length === types.length ? event.columnNames : undefined;
    const state = history.get(db, table);
    let unproven: string | undefined;
    let unprovenPhrase: Phrase | undefined;
    let columns = state.columns;
    if (!names) {
      if (!columns) {
        unprovenPhrase = state.unknownPhrase ?? (state.unknownReason === undefined ? phrase('gap.schema.definitionUnknown') : undefined);
        unproven = state.unknownReason ?? say(unprovenPhrase!, 'en');
      } else {
        const mismatch = tableMapMismatch(columns, { types, metadata });
        if (mismatch) {
          unprovenPhrase = phrase('gap.schema.tableMapMismatch', { mismatch, provenance: state.provenance });
          unproven = say(unprovenPhrase, 'en');
          history.markUnknown(db, table, unprovenPhrase);
          historyDirty = true;
          columns = undefined;
        }
      }
    }
    const charsetOf = (i: number): string | null => columns?.[i]?.charset ?? state.defaultCharset ?? databaseCharsets.get(db) ?? null;
    return {
      parentSchema: db,
      tableName: table,
      ...(unproven ? { unproven } : {}),
      ...(unprovenPhrase ? { unprovenPhrase } : {}),
      columnSchemas: types.map((code, i) => ({
        COLUMN_NAME: names?.[i] ?? (unproven ? `@${i + 1}` : columns![i].name),
        COLLATION_NAME: null,
        CHARACTER_SET_NAME: charsetOf(i),
        COLUMN_COMMENT: '',
        COLUMN_TYPE: !unproven && columns ? columns[i].type : placeholderType(metadata[i]?.type ?? code),
      })),
    };
  };

  const applyDdl = (sql: string, schema: string, at: BinlogPosition) => {
    for (const change of parseDdl(sql, schema)) {
      const db = change.kind === 'drop-database' ? change.database : change.kind === 'rename' ? change.from.database : change.table.database;
      if (!opts.inScope(db) && !(change.kind === 'rename' && opts.inScope(change.to.database))) continue;
      const applied = history.apply(change, formatPosition(at));
      historyDirty = true;
      for (const t of [...applied.tables, ...applied.renamedTables.flatMap((r) => [r.from, r.to])]) {
        txDdl.push({ target: t, at });
        forgetTableMaps(t);
      }
      txRenames.push(...applied.renamedColumns);
    }
  };

  let zongji: ZongJi | undefined;
  /** zongji caches a table map per table id: after DDL the next event must be checked against the new definition. */
  const forgetTableMaps = (t: DdlTarget) => {
    const maps = (zongji as unknown as { tableMap?: Record<string, { parentSchema: string; tableName: string }> } | undefined)?.tableMap;
    if (!maps) return;
    for (const [id, m] of Object.entries(maps)) if (m.parentSchema === t.database && m.tableName === t.table) delete maps[id];
  };

  const commit = (pos: number, gtid: string | undefined) => {
    const at = { file: currentFile, pos };
    for (const [key, c] of txCounts) {
      const total = counts.get(key) ?? { database: c.database, table: c.table, inserts: 0, updates: 0, deletes: 0, unattributed: 0 };
      total.inserts += c.inserts;
      total.updates += c.updates;
      total.deletes += c.deletes;
      total.unattributed += c.unattributed;
      counts.set(key, total);
      dirtyTables.add(key);
    }
    for (const [key, u] of txUnproven) {
      const c = txCounts.get(key)!;
      const gapKey = `${key}\u0000${u.reason}`;
      const g = gaps.get(gapKey);
      if (g) { g.to = formatPosition(at); g.rows += u.rows; }
      else gaps.set(gapKey, { database: c.database, table: c.table, from: formatPosition(committed), to: formatPosition(at), rows: u.rows, reason: u.reason, ...(u.reasonPhrase && { reasonPhrase: u.reasonPhrase }) });
    }
    txCounts = new Map();
    txUnproven = new Map();
    inTransaction = false;
    committed = { file: currentFile, pos, gtid: gtid ?? committed.gtid };
    for (const c of counts.values()) if (dirtyTables.has(tableKey(c.database, c.table))) c.lastPosition = formatPosition(committed);
    committedDdl.push(...txDdl);
    committedRenames.push(...txRenames);
    txDdl = [];
    txRenames = [];
    if (historyDirty) {
      committedSchema = history.toJson();
      historyDirty = false;
    }
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
          const entry = e.tableMap[e.tableId] as (TableMapEntry & { columns?: unknown }) | undefined;
          if (!entry || !opts.inScope(entry.parentSchema)) return;
          const key = tableKey(entry.parentSchema, entry.tableName);
          const m = modelFor(entry.parentSchema, entry.tableName);
          let c = txCounts.get(key);
          if (!c) txCounts.set(key, (c = { database: entry.parentSchema, table: entry.tableName, inserts: 0, updates: 0, deletes: 0, unattributed: 0 }));
          const rows = e.rows as any[];
          rowEvents++;
          const name = event.getEventName();
          if (name === 'writerows') c.inserts += rows.length;
          else if (name === 'updaterows') c.updates += rows.length;
          else c.deletes += rows.length;
          if (entry.unproven) {
            // Counted for the CDC statistics, never classified: which column a value belongs to is unknown.
            c.unattributed += rows.length;
            const u = txUnproven.get(key) ?? { rows: 0, reason: entry.unproven, ...(entry.unprovenPhrase && { reasonPhrase: entry.unprovenPhrase }) };
            u.rows += rows.length;
            txUnproven.set(key, u);
            return;
          }
          // An update's before-image mostly repeats its after-image; a deleted row may hold values
          // this capture never saw inserted (it started later), so deletes are classified too.
          if (!decodedHere(rows)) observeRows(m, key, name === 'updaterows' ? rows.map((r) => r.after) : rows);
          return;
        }
        case 'xid':
          commit(e.nextPosition, e.gtid);
          return;
        case 'query': {
          const sql = String(e.query ?? '');
          if (/^\s*BEGIN\b/i.test(sql)) { inTransaction = true; return; }
          // COMMIT of a non-transactional engine, or a standalone statement (DDL): a transaction boundary.
          if (e.nextPosition > 0) {
            applyDdl(sql, e.schema ?? '', { file: currentFile, pos: e.nextPosition });
            commit(e.nextPosition, e.gtid);
          }
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
    yield checkpointRecord(committed, counts, committedSchema, gaps);
    return;
  }

  await installRowDecoder();
  zongji = new ZongJi(connectionOptions(config));
  // Row images are read straight into the column profiles (row-decoder.ts), not into row objects.
  (zongji as unknown as Record<symbol, RowSink>)[ROW_SINK] = rowPlan;
  (zongji as unknown as { _fetchTableInfo: (event: any, next: () => void) => void })._fetchTableInfo = (event, next) => {
    try {
      (zongji as unknown as { tableMap: Record<string, TableMapEntry> }).tableMap[event.tableId] = tableMapEntry(event);
    } catch (err) {
      failure ??= err;
      wake.notify();
      return;
    }
    next();
  };
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
  yield checkpointRecord(committed, counts, committedSchema, gaps);
  let lastYield = Date.now();
  let lastColumnFlush = Date.now();
  try {
    for (let i = 0; ; i++) {
      if (failure !== undefined) throw binlogError(failure, session, config.binlog.serverId);
      if (ctx.signal.aborted) break;
      const columnsDue = Date.now() - lastColumnFlush >= COLUMN_FLUSH_EVERY_MS;
      if ((committedVersion !== yieldedVersion && Date.now() - lastYield >= FLUSH_EVERY_MS) || (columnsDue && dirtyColumns.size > 0)) {
        yieldedVersion = committedVersion;
        yield* flushCommitted(columnsDue);
        lastYield = Date.now();
      } else if (Date.now() - lastYield >= KEEPALIVE_MS) {
        // The scan service flushes a batch when a record arrives; an idle stream repeats its checkpoint
        // so the records before it are saved within about a second, not at the next row event.
        yield checkpointRecord(committed, counts, committedSchema, gaps);
        lastYield = Date.now();
      }
      if (reachedEnd || hitLimit) break;
      const elapsed = Date.now() - started;
      if (config.binlog.maxSeconds !== undefined && elapsed >= config.binlog.maxSeconds * 1000) break;
      const remaining = config.binlog.maxSeconds !== undefined ? config.binlog.maxSeconds * 1000 - elapsed : IDLE_WAKE_MS;
      await wake.wait(Math.max(1, Math.min(IDLE_WAKE_MS, remaining, committedVersion !== yieldedVersion ? FLUSH_EVERY_MS : IDLE_WAKE_MS)));
    }
    // The end of the capture: whatever is committed, and every column's verdict as it stands now.
    if ((committedVersion !== yieldedVersion || dirtyColumns.size > 0) && !ctx.signal.aborted) yield* flushCommitted(true);
  } finally {
    zongji.removeAllListeners('binlog');
    stopWithoutKill(zongji);
  }
  if (!ctx.signal.aborted && gaps.size > 0) {
    // The capture ends here: report what could not be attributed, and clear it from the checkpoint.
    for (const g of gaps.values()) yield gapRecord(source, g);
    gaps.clear();
    yield checkpointRecord(committed, counts, committedSchema, gaps);
  }
  ctx.log.info('binlog capture stopped', { source, at: formatPosition(committed), rowEvents });

  /**
   * Yields what changed up to the last commit, then the checkpoint. A snapshot of the committed state
   * is taken synchronously first, so events arriving while we yield are left for the next flush.
   */
  async function* flushCommitted(withColumns: boolean): AsyncGenerator<CaptureRecord> {
    const position = { ...committed };
    const totals = new Map([...counts].map(([k, v]) => [k, { ...v }]));
    const schemaNow = committedSchema;
    const pendingGaps = new Map([...gaps].map(([k, v]) => [k, { ...v }]));
    const ddl = committedDdl.splice(0);
    const renames = committedRenames.splice(0);
    const tablesChanged = [...dirtyTables];
    dirtyTables.clear();
    // Column verdicts are re-yielded at most every COLUMN_FLUSH_EVERY_MS (and at the end): each
    // re-classifies what changed in the column's sample; until then their columns stay dirty.
    const columnsChanged = withColumns ? new Map(dirtyColumns) : new Map<string, Set<string>>();
    if (withColumns) {
      dirtyColumns.clear();
      lastColumnFlush = Date.now();
    }
    const definitions = SchemaHistory.fromJson(schemaNow);

    // Renamed columns keep what was learnt of their values under the old name.
    for (const r of renames) tables.get(tableKey(r.table.database, r.table.table))?.renameColumn(r.from, r.to);
    const toDescribe = new Map<string, { target: DdlTarget; at?: BinlogPosition }>();
    for (const d of ddl) toDescribe.set(tableKey(d.target.database, d.target.table), d);
    for (const key of unknownTables) {
      const m = tables.get(key)!;
      toDescribe.set(key, { target: { database: m.info.database, table: m.info.name } });
    }
    unknownTables.clear();

    // DDL (and tables first met in the binlog): the definition the history holds at this position.
    for (const [key, d] of toDescribe) {
      const state = definitions.get(d.target.database, d.target.table);
      let m = tables.get(key);
      if (!definitions.has(d.target.database, d.target.table) && d.at) {
        // Dropped, or renamed away: its node stays (nothing stored is lost); nothing new to describe.
        continue;
      }
      if (state.columns) {
        const info = infoFromState(d.target.database, d.target.table, state, m?.info);
        if (m) m.adoptDefinition(info);
        else tables.set(key, (m = new TableModel(info, ctx.fingerprint)));
      } else if (!m) tables.set(key, (m = new TableModel({ database: d.target.database, name: d.target.table, engine: null, rowsEstimate: 0, comment: '', columns: [], primaryKey: [], indexes: [], foreignKeys: [] }, ctx.fingerprint)));
      const c = totals.get(key);
      if (c) m.cdc = cdcOf(c);
      yield* allTableRecords(source, m, false);
      // A definition newer than the schema phase is a schema change of the table (older ones are history).
      if (state.columns && d.at && comparePositions(d.at, schemaPhaseEnd) > 0) yield tableConfigRecord(source, infoFromState(d.target.database, d.target.table, state, m.info));
      columnsChanged.delete(key);
    }
    for (const key of tablesChanged) {
      const m = tables.get(key);
      const c = totals.get(key);
      if (!m || !c || toDescribe.has(key)) continue;
      m.cdc = cdcOf(c);
      yield* tableRecords(source, m);
    }
    for (const [key, cols] of columnsChanged) {
      const m = tables.get(key);
      if (!m) continue;
      for (const col of m.info.columns) if (cols.has(col.name)) yield* columnRecords(source, m, col);
    }
    yield checkpointRecord(position, totals, schemaNow, pendingGaps);
    ctx.progress({ done: [...totals.values()].reduce((n, c) => n + c.inserts + c.updates + c.deletes, 0), item: `binlog ${formatPosition(position)}` });
  }
}

/** Committed work is yielded at most this often: each flush re-yields the changed tables (counts) and the checkpoint. */
const FLUSH_EVERY_MS = 200;
/**
 * Changed columns (their verdicts, fingerprints, coverage) are re-yielded at most this often while
 * the stream goes on, and always when the capture ends: classifying a sample that keeps changing
 * every 200 ms cost a catch-up as much as reading its rows, and a verdict moves slowly.
 */
const COLUMN_FLUSH_EVERY_MS = 2000;

const cdcOf = (c: TableCounts): CdcCounts => ({ inserts: c.inserts, updates: c.updates, deletes: c.deletes, lastPosition: c.lastPosition, ...(c.unattributed ? { unattributed: c.unattributed } : {}) });

/** The scan-report gap for row images that could not be given column names, with the fix. */
function gapRecord(source: string, g: PendingGap): CaptureRecord {
  const said = spoken('gap.binlog.live', { count: g.rows, from: g.from, to: g.to, reason: g.reasonPhrase ?? g.reason });
  return { type: 'gap', item: mysqlUrn(source, g.database, g.table), reason: said.text, phrase: said.phrase };
}

function checkpointRecord(position: BinlogPosition, counts: Map<string, TableCounts>, schema: SchemaHistoryJson, gaps: Map<string, PendingGap>): CaptureRecord {
  const value: BinlogCheckpoint = {
    file: position.file,
    pos: position.pos,
    ...(position.gtid ? { gtid: position.gtid } : {}),
    counts: [...counts.values()].map((c) => ({ database: c.database, table: c.table, inserts: c.inserts, updates: c.updates, deletes: c.deletes, ...(c.unattributed ? { unattributed: c.unattributed } : {}) })),
    schema,
    ...(gaps.size ? { gaps: [...gaps.values()] } : {}),
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
