import type { AlterOp, ColumnDef, ColumnPosition, DdlChange, DdlTarget } from './ddl.js';
import type { TableInfo } from './schema.js';
import { phrase, say } from '../../../core/i18n/phrase.js';
import type { Phrase } from '../../../core/model/phrase.js';

/** Why a definition is unknown: a sentence of the catalogue (said in the reader's language), or plain text. */
export type UnknownWhy = string | Phrase;
const whyText = (why: UnknownWhy): string => (typeof why === 'string' ? why : say(why, 'en'));
const whyPhrase = (why: UnknownWhy): Phrase | undefined => (typeof why === 'string' ? undefined : why);

/**
 * The table definitions in force at a binlog position, as Debezium keeps its schema history: a
 * snapshot taken where it can be proven (information_schema read while the binlog end stood still,
 * a saved checkpoint, a CREATE TABLE in the stream, a schema dump that names its position), then
 * every DDL of the stream replayed in order. A table whose definition cannot be proven at a position
 * is `unknown` there, with the reason: its row values are then counted but never given column names.
 * Serializable, so a checkpoint carries the definitions in force at its position and a resumed capture
 * decodes the next event with the right columns.
 */
export interface TableState {
  /** Undefined: unknown at this position (see `unknownReason`). */
  columns?: ColumnDef[];
  primaryKey: string[];
  /** The table's default character set (columns without their own); null when not known. */
  defaultCharset: string | null;
  /** How the definition is known, e.g. `information_schema at mariadb-bin.000002:4212`. */
  provenance: string;
  /** Why the columns are unknown (only when `columns` is undefined). */
  unknownReason?: string;
  /** `unknownReason` as a phrase, where it was said from one (the scan report shows it in the reader's language). */
  unknownPhrase?: Phrase;
}

export interface SchemaHistoryJson {
  tables: [string, TableState][];
  /** Reason for tables the history has never seen, or undefined: such tables did not exist. */
  untracked?: string;
  untrackedPhrase?: Phrase;
}

/** The fields of an unknown state: the reason in English, and its phrase when it has one. */
const unknownOf = (why: UnknownWhy): Pick<TableState, 'unknownReason' | 'unknownPhrase'> => {
  const p = whyPhrase(why);
  return { unknownReason: whyText(why), ...(p ? { unknownPhrase: p } : {}) };
};

const key = (db: string, table: string) => `${db}\u0000${table}`;
const splitKey = (k: string): DdlTarget => {
  const i = k.indexOf('\u0000');
  return { database: k.slice(0, i), table: k.slice(i + 1) };
};
const TEXT_TYPES = /^(char|varchar|tinytext|text|mediumtext|longtext|enum|set)$/;

/** What one replayed change did, for the capture to follow (renamed columns keep their profiles). */
export interface AppliedChange {
  tables: DdlTarget[];
  renamedColumns: { table: DdlTarget; from: string; to: string }[];
  renamedTables: { from: DdlTarget; to: DdlTarget }[];
}

export class SchemaHistory {
  private readonly tables = new Map<string, TableState>();

  /**
   * `untracked`: why a table the history never heard of is unknown (the history starts at a position
   * before its definition was seen); undefined when every existing table was seeded, so an untracked
   * table cannot have rows before its CREATE TABLE.
   */
  private untracked?: string;
  private untrackedPhrase?: Phrase;

  constructor(untracked?: UnknownWhy) {
    if (untracked !== undefined) this.setUntracked(untracked);
  }

  static fromJson(json: SchemaHistoryJson): SchemaHistory {
    const h = new SchemaHistory(json.untrackedPhrase ?? json.untracked);
    for (const [k, s] of json.tables) h.tables.set(k, s);
    return h;
  }

  toJson(): SchemaHistoryJson {
    return { tables: [...this.tables], ...(this.untracked !== undefined ? { untracked: this.untracked } : {}), ...(this.untrackedPhrase ? { untrackedPhrase: this.untrackedPhrase } : {}) };
  }

  /** Why tables the history never heard of are unknown from here on (e.g. past a schema dump's position). */
  setUntracked(reason: UnknownWhy): void {
    this.untracked = whyText(reason);
    this.untrackedPhrase = whyPhrase(reason);
  }

  /** A definition known at the history's position (from information_schema, a dump or a checkpoint). */
  seed(db: string, table: string, state: TableState): void {
    this.tables.set(key(db, table), state);
  }

  /** The definition in force now, or the unknown state with its reason. */
  get(db: string, table: string): TableState {
    const known = this.tables.get(key(db, table));
    if (known) return known;
    const why: UnknownWhy = this.untrackedPhrase ?? this.untracked ?? phrase('gap.schema.notSeen', { table: `${db}.${table}` });
    return { primaryKey: [], defaultCharset: null, provenance: 'not seen', ...unknownOf(why) };
  }

  has(db: string, table: string): boolean {
    return this.tables.has(key(db, table));
  }

  /** Every table the history holds a state for. */
  tableNames(): DdlTarget[] {
    return [...this.tables.keys()].map(splitKey);
  }

  /** Marks a table unknown from here on (e.g. the table map contradicts the definition). */
  markUnknown(db: string, table: string, reason: UnknownWhy): void {
    const s = this.get(db, table);
    this.tables.set(key(db, table), { primaryKey: s.primaryKey, defaultCharset: s.defaultCharset, provenance: s.provenance, ...unknownOf(reason) });
  }

  /** Replays one DDL change at `at` (`file:pos` after the statement). */
  apply(change: DdlChange, at: string): AppliedChange {
    const applied: AppliedChange = { tables: [], renamedColumns: [], renamedTables: [] };
    switch (change.kind) {
      case 'create': {
        const k = key(change.table.database, change.table.table);
        const existing = this.tables.get(k);
        // IF NOT EXISTS on a table that may exist is a no-op we cannot rule out: unknown stays unknown.
        if (change.ifNotExists && (existing !== undefined || this.untracked !== undefined)) {
          if (!existing) this.tables.set(k, this.get(change.table.database, change.table.table));
          break;
        }
        const cs = change.defaultCharset;
        this.tables.set(k, { columns: change.columns.map((c) => withCharset(c, cs)), primaryKey: change.primaryKey, defaultCharset: cs, provenance: `CREATE TABLE at ${at}` });
        applied.tables.push(change.table);
        break;
      }
      case 'create-like': {
        const like = this.get(change.like.database, change.like.table);
        this.tables.set(key(change.table.database, change.table.table), like.columns ? { ...like, columns: like.columns.map((c) => ({ ...c })), provenance: `CREATE TABLE … LIKE ${change.like.database}.${change.like.table} at ${at}` } : { ...like, ...unknownOf(phrase('gap.schema.createdLike', { table: `${change.like.database}.${change.like.table}`, reason: like.unknownPhrase ?? like.unknownReason ?? '' })) });
        applied.tables.push(change.table);
        break;
      }
      case 'alter': {
        let target = change.table;
        const state = this.get(target.database, target.table);
        let columns = state.columns?.map((c) => ({ ...c }));
        let charset = state.defaultCharset;
        let failure: string | undefined;
        for (const op of change.ops) {
          if (op.op === 'rename-table') {
            this.tables.delete(key(target.database, target.table));
            applied.renamedTables.push({ from: target, to: op.to });
            target = op.to;
            continue;
          }
          if (!columns || failure) continue;
          const r = applyOp(columns, op, charset);
          if (typeof r === 'string') failure = `ALTER TABLE at ${at}: ${r}`;
          else {
            columns = r.columns;
            if (op.op === 'convert-charset') charset = op.charset;
            if (r.renamed) applied.renamedColumns.push({ table: target, ...r.renamed });
          }
        }
        const next: TableState = columns && !failure
          ? { columns, primaryKey: state.primaryKey.map((p) => applied.renamedColumns.find((r) => r.from === p)?.to ?? p).filter((p) => columns!.some((c) => c.name === p)), defaultCharset: charset, provenance: `${state.provenance}, then ALTER TABLE at ${at}` }
          : { primaryKey: state.primaryKey, defaultCharset: charset, provenance: state.provenance, unknownReason: failure ?? state.unknownReason, ...(!failure && state.unknownPhrase ? { unknownPhrase: state.unknownPhrase } : {}) };
        this.tables.set(key(target.database, target.table), next);
        applied.tables.push(target);
        break;
      }
      case 'rename': {
        const state = this.get(change.from.database, change.from.table);
        this.tables.delete(key(change.from.database, change.from.table));
        this.tables.set(key(change.to.database, change.to.table), { ...state, ...(state.columns ? { provenance: `${state.provenance}, renamed at ${at}` } : {}) });
        applied.renamedTables.push({ from: change.from, to: change.to });
        applied.tables.push(change.to);
        break;
      }
      case 'drop':
        // Dropped: it no longer exists, so it is tracked as absent rather than unknown.
        this.tables.delete(key(change.table.database, change.table.table));
        if (this.untracked !== undefined) this.tables.set(key(change.table.database, change.table.table), { primaryKey: [], defaultCharset: null, provenance: `dropped at ${at}`, ...unknownOf(phrase('gap.schema.dropped', { at })) });
        applied.tables.push(change.table);
        break;
      case 'drop-database':
        for (const k of [...this.tables.keys()]) if (splitKey(k).database === change.database) this.tables.delete(k);
        break;
      case 'unknown':
        this.markUnknown(change.table.database, change.table.table, `${change.reason} at ${at}`);
        applied.tables.push(change.table);
        break;
    }
    return applied;
  }
}

const withCharset = (c: ColumnDef, tableCharset: string | null): ColumnDef => (c.charset === null && TEXT_TYPES.test(c.dataType) && tableCharset ? { ...c, charset: tableCharset } : c);

function place(columns: ColumnDef[], column: ColumnDef, position: ColumnPosition, atIndex?: number): ColumnDef[] | string {
  const out = [...columns];
  if (position && 'first' in position) out.unshift(column);
  else if (position && 'after' in position) {
    const i = out.findIndex((c) => c.name.toLowerCase() === position.after.toLowerCase());
    if (i === -1) return `AFTER ${position.after} names a column the definition in force does not have`;
    out.splice(i + 1, 0, column);
  } else if (atIndex !== undefined) out.splice(atIndex, 0, column);
  else out.push(column);
  return out;
}

/** One ALTER operation on a known column list; a string says why it cannot apply (the definition is then unknown). */
function applyOp(columns: ColumnDef[], op: Exclude<AlterOp, { op: 'rename-table' }>, tableCharset: string | null): { columns: ColumnDef[]; renamed?: { from: string; to: string } } | string {
  // Column names compare case-insensitively in MySQL/MariaDB.
  const find = (name: string) => columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
  switch (op.op) {
    case 'add': {
      if (find(op.column.name) !== -1) return op.ifNotExists ? { columns } : `ADD COLUMN ${op.column.name}: the definition in force already has it`;
      const r = place(columns, withCharset(op.column, tableCharset), op.position);
      return typeof r === 'string' ? r : { columns: r };
    }
    case 'drop': {
      const i = find(op.name);
      if (i === -1) return op.ifExists ? { columns } : `DROP COLUMN ${op.name}: the definition in force has no such column`;
      return { columns: columns.filter((_, j) => j !== i) };
    }
    case 'rename-column': {
      const i = find(op.from);
      if (i === -1) return `RENAME COLUMN ${op.from}: the definition in force has no such column`;
      const out = [...columns];
      out[i] = { ...out[i], name: op.to };
      return { columns: out, renamed: { from: columns[i].name, to: op.to } };
    }
    case 'change': {
      const i = find(op.from);
      if (i === -1) return `CHANGE/MODIFY ${op.from}: the definition in force has no such column`;
      const rest = columns.filter((_, j) => j !== i);
      const r = place(rest, withCharset(op.column, tableCharset), op.position, op.position ? undefined : i);
      if (typeof r === 'string') return r;
      return { columns: r, ...(columns[i].name !== op.column.name ? { renamed: { from: columns[i].name, to: op.column.name } } : {}) };
    }
    case 'convert-charset':
      return { columns: columns.map((c) => (TEXT_TYPES.test(c.dataType) ? { ...c, charset: op.charset } : c)) };
  }
}

/** information_schema's view of a table as a history state. */
export function stateFromInfo(t: TableInfo, provenance: string, databaseCharset: string | null = null): TableState {
  return {
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, dataType: c.dataType, charset: c.charset, nullable: c.nullable, comment: c.comment })),
    primaryKey: [...t.primaryKey],
    defaultCharset: databaseCharset,
    provenance,
  };
}

/** A known state as information_schema would describe the table (for the table's records). */
export function infoFromState(db: string, table: string, s: TableState, base?: TableInfo): TableInfo {
  const old = new Map((base?.columns ?? []).map((c) => [c.name, c]));
  return {
    database: db, name: table, engine: base?.engine ?? null, rowsEstimate: base?.rowsEstimate ?? 0, comment: base?.comment ?? '',
    columns: (s.columns ?? []).map((c) => {
      const prev = old.get(c.name);
      return { name: c.name, type: c.type, dataType: c.dataType, key: s.primaryKey.includes(c.name) ? 'PRI' : prev?.key === 'PRI' ? '' : prev?.key ?? '', nullable: c.nullable, default: prev?.default ?? null, extra: prev?.extra ?? '', comment: c.comment, charset: c.charset };
    }),
    primaryKey: [...s.primaryKey], indexes: base?.indexes ?? [], foreignKeys: base?.foreignKeys ?? [],
  };
}

/*
 * Binlog column type codes (include/mysql_com.h enum_field_types) a definition's base type may be
 * written as. The table map carries them even under binlog_row_metadata=MINIMAL, so a definition
 * whose column count or types disagree with the event is provably not the one in force.
 */
const TYPE_CODES: Record<string, number[]> = {
  tinyint: [1], bool: [1], boolean: [1], smallint: [2], mediumint: [9], int: [3], integer: [3], bigint: [8], float: [4], double: [5], real: [5],
  decimal: [0, 246], numeric: [0, 246], date: [10, 14], datetime: [12, 18], timestamp: [7, 17], time: [11, 19], year: [13], bit: [16],
  char: [254], binary: [254], varchar: [15, 253], varbinary: [15, 253],
  tinytext: [252], text: [252], mediumtext: [252], longtext: [252], tinyblob: [252], blob: [252], mediumblob: [252], longblob: [252], json: [245, 252],
  enum: [247, 254], set: [248, 254],
  geometry: [255], point: [255], linestring: [255], polygon: [255], multipoint: [255], multilinestring: [255], multipolygon: [255], geometrycollection: [255],
};
/** Bytes per character, for the byte lengths the table map gives CHAR/VARCHAR columns. */
const MAX_BYTES: Record<string, number> = { utf8mb4: 4, utf8mb3: 3, utf8: 3, latin1: 1, ascii: 1, binary: 1, gbk: 2, gb2312: 2, big5: 2, ucs2: 2, utf16: 4, utf32: 4, cp1252: 1, latin2: 1 };

/** What a table map says of each column: its binlog type code and the metadata zongji read. */
export interface TableMapColumns {
  types: number[];
  metadata: ({ max_length?: number; type?: number } | undefined)[];
}

/** Why `columns` cannot be the definition the table map was written with, or undefined when they agree. */
export function tableMapMismatch(columns: ColumnDef[], map: TableMapColumns): Phrase | undefined {
  if (columns.length !== map.types.length) return phrase('gap.schema.mapColumnCount', { mapped: map.types.length, defined: columns.length });
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i];
    const code = map.metadata[i]?.type ?? map.types[i];
    const allowed = TYPE_CODES[c.dataType];
    if (allowed && !allowed.includes(code)) return phrase('gap.schema.mapType', { n: i + 1, column: `${c.name} ${c.type}`, code });
    const length = /^(var)?(char|binary)\((\d+)\)/.exec(c.type);
    const maxLength = map.metadata[i]?.max_length;
    const perChar = c.charset ? MAX_BYTES[c.charset] : undefined;
    if (length && maxLength !== undefined && (perChar !== undefined || length[2] === 'binary') && Number(length[3]) * (perChar ?? 1) !== maxLength) {
      return phrase('gap.schema.mapLength', { n: i + 1, column: `${c.name} ${c.type}`, bytes: maxLength });
    }
  }
  return undefined;
}
