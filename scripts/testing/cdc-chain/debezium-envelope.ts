/**
 * TEST HELPER, NOT PRODUCT CODE. The pure half of the Debezium stand-in (binlog-relay.ts): how a
 * Debezium MySQL connector config selects tables and masks columns, and what a change event looks
 * like on the wire with the JSON converter and `schemas.enable=false`
 * (https://debezium.io/documentation/reference/stable/connectors/mysql.html#mysql-events).
 *
 * It deliberately does NOT reuse Driftline's own connector parsing (shared/core/lineage/connectors.ts):
 * the e2e test checks that Driftline reads these configs right, so the stand-in must read them on its own.
 */

/** The subset of a Debezium MySQL connector config the stand-in honours. */
export interface DebeziumSettings {
  /** `topic.prefix`: topics are `<prefix>.<db>.<table>`. */
  prefix: string;
  /** `database.server.id`: the replica id the binlog client registers with. */
  serverId: number;
  /** `database.include.list`: anchored regexes over `db`; empty: every database. */
  databases: RegExp[];
  /** `table.include.list`: anchored regexes over `db.table` (Debezium's semantics); empty: every table. */
  tables: RegExp[];
  /** `column.mask.with.<N>.chars`: anchored regexes over `db.table.column` → N asterisks. */
  masks: { column: RegExp; chars: number }[];
}

/** Keys whose meaning the stand-in implements; any other `column.*`/`transforms`/`*.handling.mode` key is refused. */
const HONOURED = new Set(['topic.prefix', 'database.server.id', 'table.include.list', 'database.include.list', 'database.hostname', 'database.port', 'database.user', 'database.password', 'decimal.handling.mode', 'include.schema.changes']);
/** Keys that would change the data and that the stand-in does not implement: refusing them keeps it honest. */
const CHANGES_DATA = /^(column\.|transforms|message\.key\.columns|.*\.handling\.mode$|time\.precision\.mode$|tombstones\.on\.delete$)/;

const list = (value: string | undefined): string[] => (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
// Debezium matches include lists as whole-string, case-insensitive regexes.
const anchored = (pattern: string): RegExp => new RegExp(`^(?:${pattern})$`, 'i');

/** Reads a Debezium MySQL connector config; throws on settings the stand-in cannot honour. */
export function parseDebeziumConfig(config: Record<string, string>): DebeziumSettings {
  const prefix = config['topic.prefix'];
  if (!prefix) throw new Error('cdc-chain: the Debezium config needs topic.prefix');
  const serverId = Number(config['database.server.id']);
  if (!Number.isInteger(serverId) || serverId < 1) throw new Error('cdc-chain: the Debezium config needs a numeric database.server.id');
  if (config['decimal.handling.mode'] !== undefined && config['decimal.handling.mode'] !== 'string') throw new Error('cdc-chain: only decimal.handling.mode=string is implemented');
  const masks: DebeziumSettings['masks'] = [];
  for (const [key, value] of Object.entries(config)) {
    const m = /^column\.mask\.with\.(\d+)\.chars$/.exec(key);
    if (m) masks.push(...list(value).map((p) => ({ column: anchored(p), chars: Number(m[1]) })));
    else if (!HONOURED.has(key) && CHANGES_DATA.test(key)) throw new Error(`cdc-chain: the stand-in does not implement ${key}; remove it or implement it`);
  }
  const databases = list(config['database.include.list']).map(anchored);
  const tables = list(config['table.include.list']).map(anchored);
  return { prefix, serverId, databases, tables, masks };
}

export const capturesTable = (s: DebeziumSettings, db: string, table: string): boolean =>
  (s.databases.length === 0 || s.databases.some((r) => r.test(db))) && (s.tables.length === 0 || s.tables.some((r) => r.test(`${db}.${table}`)));

export const topicFor = (s: DebeziumSettings, db: string, table: string): string => `${s.prefix}.${db}.${table}`;

/** MySQL column type codes (include/mysql_com.h enum_field_types) whose Debezium form differs from the driver's. */
const TYPE = { TIMESTAMP: 7, DATE: 10, DATETIME: 12, NEWDATE: 14, TIMESTAMP2: 17, DATETIME2: 18, NEWDECIMAL: 246, TINY_BLOB: 249, MEDIUM_BLOB: 250, LONG_BLOB: 251, BLOB: 252 } as const;
const DAY_MS = 86_400_000;

/**
 * One column value as Debezium's default temporal and binary modes encode it: DATE → days since the
 * epoch (io.debezium.time.Date), DATETIME → epoch milliseconds of the wall-clock time read as UTC
 * (io.debezium.time.Timestamp), TIMESTAMP → ISO-8601 in UTC (ZonedTimestamp), bytes → base64,
 * DECIMAL → its text (decimal.handling.mode=string).
 */
export function debeziumValue(value: unknown, columnType: number | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  const wallClockUtc = (v: unknown): number | undefined => {
    if (v instanceof Date) return Date.UTC(v.getFullYear(), v.getMonth(), v.getDate(), v.getHours(), v.getMinutes(), v.getSeconds(), v.getMilliseconds());
    if (typeof v === 'string') {
      const t = Date.parse(v.replace(' ', 'T') + (v.length <= 10 ? 'T00:00:00Z' : 'Z'));
      return Number.isNaN(t) ? undefined : t;
    }
    return undefined;
  };
  switch (columnType) {
    case TYPE.DATE:
    case TYPE.NEWDATE: {
      const t = wallClockUtc(value);
      return t === undefined ? String(value) : Math.floor(t / DAY_MS);
    }
    case TYPE.DATETIME:
    case TYPE.DATETIME2:
      return wallClockUtc(value) ?? String(value);
    case TYPE.TIMESTAMP:
    case TYPE.TIMESTAMP2:
      return value instanceof Date ? value.toISOString() : String(value);
    case TYPE.NEWDECIMAL:
      return String(value);
    default:
      if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
      if (value instanceof Date) return value.toISOString();
      return value;
  }
}

/** A row as Debezium sends it: converted values, masked columns replaced by N `*` (for any non-null value). */
export function debeziumRow(s: DebeziumSettings, db: string, table: string, row: Record<string, unknown>, types: Map<string, number>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [col, value] of Object.entries(row)) {
    const mask = s.masks.find((m) => m.column.test(`${db}.${table}.${col}`));
    out[col] = mask && value !== null && value !== undefined ? '*'.repeat(mask.chars) : debeziumValue(value, types.get(col));
  }
  return out;
}

export type DebeziumOp = 'c' | 'u' | 'd';

export interface ChangeSource {
  db: string;
  table: string;
  serverId: number;
  file: string;
  pos: number;
  /** Index of the row within its binlog event. */
  row: number;
  tsMs: number;
}

/** The change event value (`{before, after, source, op, ts_ms, transaction}`) for one row. */
export function changeEnvelope(s: DebeziumSettings, op: DebeziumOp, before: Record<string, unknown> | null, after: Record<string, unknown> | null, src: ChangeSource): Record<string, unknown> {
  return {
    before,
    after,
    source: {
      version: '2.7.0.Final', connector: 'mysql', name: s.prefix, ts_ms: src.tsMs, snapshot: 'false', db: src.db, sequence: null,
      table: src.table, server_id: src.serverId, gtid: null, file: src.file, pos: src.pos, row: src.row, thread: null, query: null,
    },
    op,
    ts_ms: Date.now(),
    transaction: null,
  };
}

/** The message key: the primary-key columns as an object, or null for a table without one (Debezium's default). */
export function changeKey(row: Record<string, unknown>, primaryKey: string[]): Record<string, unknown> | null {
  if (primaryKey.length === 0) return null;
  return Object.fromEntries(primaryKey.map((c) => [c, row[c] ?? null]));
}
