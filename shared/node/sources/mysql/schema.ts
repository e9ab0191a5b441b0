import type mysql from 'mysql2/promise';

/** A column as information_schema describes it. */
export interface ColumnInfo {
  name: string;
  /** Full type, e.g. `varchar(64)`, `bigint(20) unsigned`. */
  type: string;
  /** Base type, e.g. `varchar`. */
  dataType: string;
  /** PRI, UNI, MUL or ''. */
  key: string;
  nullable: boolean;
  default: string | null;
  extra: string;
  comment: string;
  charset: string | null;
}

export interface IndexInfo {
  name: string;
  unique: boolean;
  columns: string[];
}

export interface ForeignKeyInfo {
  name: string;
  columns: string[];
  referencedDatabase: string;
  referencedTable: string;
  referencedColumns: string[];
}

export interface TableInfo {
  database: string;
  name: string;
  engine: string | null;
  /** information_schema.TABLES.TABLE_ROWS: exact for MyISAM/Aria, an estimate for InnoDB. */
  rowsEstimate: number;
  comment: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  indexes: IndexInfo[];
  foreignKeys: ForeignKeyInfo[];
}

export interface DatabaseInfo {
  name: string;
  charset: string;
  collation: string;
  tables: TableInfo[];
}

/** The server's own schemas: never captured unless named explicitly. */
export const SYSTEM_DATABASES = ['mysql', 'information_schema', 'performance_schema', 'sys'];

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection']);
const TEXT_TYPES = new Set(['char', 'varchar', 'tinytext', 'text', 'mediumtext', 'longtext', 'enum', 'set', 'json']);

/** Binary columns are reported as binary: their bytes are not text and are never classified as such. */
export const isBinaryColumn = (c: Pick<ColumnInfo, 'dataType' | 'charset'>): boolean => BINARY_TYPES.has(c.dataType) || c.charset === 'binary';
/** Columns whose values may be long text: read capped (LEFT) so one huge cell cannot break the scan. */
export const isTextColumn = (c: Pick<ColumnInfo, 'dataType'>): boolean => TEXT_TYPES.has(c.dataType);

type Row = Record<string, any>;

async function rows(conn: mysql.Connection, sql: string, params: unknown[]): Promise<Row[]> {
  const [r] = await conn.query(sql, params);
  return r as Row[];
}

function scopeClause(column: string, databases: string[] | undefined): { where: string; params: unknown[] } {
  if (databases?.length) return { where: `${column} IN (?)`, params: [databases] };
  return { where: `${column} NOT IN (?)`, params: [SYSTEM_DATABASES] };
}

/**
 * Reads databases, base tables, columns, indexes and foreign keys from information_schema in five
 * queries (not one per table), optionally for a single table (after a DDL event).
 */
export async function readSchema(conn: mysql.Connection, databases: string[] | undefined, only?: { database: string; table: string }): Promise<DatabaseInfo[]> {
  const scope = only ? { where: 'TABLE_SCHEMA = ?', params: [only.database] as unknown[] } : scopeClause('TABLE_SCHEMA', databases);
  const tableFilter = only ? ' AND TABLE_NAME = ?' : '';
  const tableParams = only ? [...scope.params, only.table] : scope.params;
  const dbScope = only ? { where: 'SCHEMA_NAME = ?', params: [only.database] as unknown[] } : scopeClause('SCHEMA_NAME', databases);

  const schemata = await rows(conn, `SELECT SCHEMA_NAME AS name, DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE ${dbScope.where} ORDER BY SCHEMA_NAME`, dbScope.params);
  const tables = await rows(conn, `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS name, ENGINE AS engine, TABLE_ROWS AS rowsEstimate, TABLE_COMMENT AS comment FROM information_schema.TABLES WHERE ${scope.where}${tableFilter} AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_SCHEMA, TABLE_NAME`, tableParams);
  const columns = await rows(conn, `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, COLUMN_NAME AS name, COLUMN_TYPE AS type, DATA_TYPE AS dataType, COLUMN_KEY AS \`key\`, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_COMMENT AS comment, CHARACTER_SET_NAME AS charset FROM information_schema.COLUMNS WHERE ${scope.where}${tableFilter} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION`, tableParams);
  const stats = await rows(conn, `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS col FROM information_schema.STATISTICS WHERE ${scope.where}${tableFilter} ORDER BY TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`, tableParams);
  const fks = await rows(conn, `SELECT TABLE_SCHEMA AS db, TABLE_NAME AS tbl, CONSTRAINT_NAME AS name, COLUMN_NAME AS col, REFERENCED_TABLE_SCHEMA AS refDb, REFERENCED_TABLE_NAME AS refTable, REFERENCED_COLUMN_NAME AS refCol FROM information_schema.KEY_COLUMN_USAGE WHERE ${scope.where}${tableFilter} AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY TABLE_SCHEMA, TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION`, tableParams);

  const key = (db: string, t: string) => `${db}\u0000${t}`;
  const byTable = new Map<string, TableInfo>();
  const dbs = new Map<string, DatabaseInfo>(schemata.map((s) => [s.name, { name: s.name, charset: s.charset, collation: s.collation, tables: [] }]));
  for (const t of tables) {
    const info: TableInfo = { database: t.db, name: t.name, engine: t.engine ?? null, rowsEstimate: Number(t.rowsEstimate ?? 0), comment: t.comment ?? '', columns: [], primaryKey: [], indexes: [], foreignKeys: [] };
    byTable.set(key(t.db, t.name), info);
    dbs.get(t.db)?.tables.push(info);
  }
  for (const c of columns) {
    byTable.get(key(c.db, c.tbl))?.columns.push({
      name: c.name, type: c.type, dataType: String(c.dataType).toLowerCase(), key: c.key ?? '', nullable: c.nullable === 'YES',
      default: c.dflt ?? null, extra: c.extra ?? '', comment: c.comment ?? '', charset: c.charset ?? null,
    });
  }
  for (const s of stats) {
    const t = byTable.get(key(s.db, s.tbl));
    if (!t) continue;
    let idx = t.indexes.find((i) => i.name === s.name);
    if (!idx) t.indexes.push((idx = { name: s.name, unique: Number(s.nonUnique) === 0, columns: [] }));
    idx.columns.push(s.col);
    if (s.name === 'PRIMARY') t.primaryKey.push(s.col);
  }
  for (const f of fks) {
    const t = byTable.get(key(f.db, f.tbl));
    if (!t) continue;
    let fk = t.foreignKeys.find((k) => k.name === f.name);
    if (!fk) t.foreignKeys.push((fk = { name: f.name, columns: [], referencedDatabase: f.refDb, referencedTable: f.refTable, referencedColumns: [] }));
    fk.columns.push(f.col);
    fk.referencedColumns.push(f.refCol);
  }
  return [...dbs.values()];
}

/** The DDL-level definition of a table (no data, no row counts): what a schema change changes. */
export function tableDefinition(t: TableInfo): Record<string, unknown> {
  return {
    engine: t.engine,
    comment: t.comment,
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable, key: c.key, default: c.default, extra: c.extra, comment: c.comment })),
    primaryKey: t.primaryKey,
    indexes: t.indexes.map((i) => ({ name: i.name, unique: i.unique, columns: i.columns })),
    foreignKeys: t.foreignKeys,
  };
}
