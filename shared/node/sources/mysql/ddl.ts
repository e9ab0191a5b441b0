import { createRequire } from 'node:module';

/**
 * Table DDL from binlog query events, read into structured changes so the schema history can replay
 * them (schema-history.ts). Statements are parsed with node-sql-parser's MariaDB grammar where it
 * understands them; what it does not parse is split into ALTER clauses, clauses that cannot move or
 * rename a column (indexes, defaults, table options) are recognised as such, and anything else is an
 * `unknown` change: the table's columns are then unknown from that position on — never guessed.
 * The statement text itself is never kept or logged (it may hold literals).
 */

/** A table named by a DDL statement (database defaults to the statement's current schema). */
export interface DdlTarget {
  database: string;
  table: string;
}

/** A column as a DDL statement defines it. */
export interface ColumnDef {
  name: string;
  /** Full type in information_schema's spelling: `varchar(64)`, `int(10) unsigned`, `enum('a','b')`. */
  type: string;
  /** Base type: `varchar`. */
  dataType: string;
  /** Character set when the statement names one (or `binary` for binary types); null: the table's default. */
  charset: string | null;
  nullable: boolean;
  comment: string;
}

/** Where ADD/CHANGE/MODIFY puts a column: FIRST, AFTER x, or (undefined) last / where it was. */
export type ColumnPosition = { first: true } | { after: string } | undefined;

export type AlterOp =
  | { op: 'add'; column: ColumnDef; position: ColumnPosition; ifNotExists: boolean }
  | { op: 'drop'; name: string; ifExists: boolean }
  | { op: 'rename-column'; from: string; to: string }
  /** CHANGE old new type / MODIFY name type (then from === column.name). */
  | { op: 'change'; from: string; column: ColumnDef; position: ColumnPosition }
  | { op: 'rename-table'; to: DdlTarget }
  | { op: 'convert-charset'; charset: string };

export type DdlChange =
  | { kind: 'create'; table: DdlTarget; columns: ColumnDef[]; primaryKey: string[]; defaultCharset: string | null; ifNotExists: boolean }
  | { kind: 'create-like'; table: DdlTarget; like: DdlTarget }
  | { kind: 'alter'; table: DdlTarget; ops: AlterOp[] }
  | { kind: 'rename'; from: DdlTarget; to: DdlTarget }
  | { kind: 'drop'; table: DdlTarget }
  | { kind: 'drop-database'; database: string }
  /** Table DDL we could not read: the table's definition is unknown after it. */
  | { kind: 'unknown'; table: DdlTarget; reason: string };

// node-sql-parser's per-dialect build is CommonJS; the MariaDB one alone (266 KB) is loaded.
const require = createRequire(import.meta.url);
let parser: { astify(sql: string, opts: { database: string }): any } | undefined;
function sqlParser() {
  if (!parser) {
    const { Parser } = require('node-sql-parser/build/mariadb.js') as { Parser: new () => NonNullable<typeof parser> };
    parser = new Parser();
  }
  return parser;
}

const IDENT = /\s*(?:`((?:[^`]|``)+)`|([\w$\u0080-\uffff]+))/y;

function readIdent(sql: string, at: number): { name: string; end: number } | undefined {
  IDENT.lastIndex = at;
  const m = IDENT.exec(sql);
  if (!m) return undefined;
  return { name: m[1] !== undefined ? m[1].replace(/``/g, '`') : m[2], end: IDENT.lastIndex };
}

/** `db`.`t` or `t` at `at`. */
function readTableName(sql: string, at: number, schema: string): { target: DdlTarget; end: number } | undefined {
  const first = readIdent(sql, at);
  if (!first) return undefined;
  if (sql[first.end] === '.') {
    const second = readIdent(sql, first.end + 1);
    if (!second) return undefined;
    return { target: { database: first.name, table: second.name }, end: second.end };
  }
  return { target: { database: schema, table: first.name }, end: first.end };
}

const LEADING_COMMENTS = /^\s*(?:\/\*(?!!)[\s\S]*?\*\/\s*|#[^\n]*\n\s*|--[^\n]*\n\s*)*/;
const HEAD = /^(ALTER|CREATE|DROP|RENAME|TRUNCATE)\s+(?:(?:OR\s+REPLACE|ONLINE|OFFLINE|IGNORE)\s+)*(TEMPORARY\s+)?TABLES?\b(?:\s+IF\s+(?:NOT\s+)?EXISTS\b)?/i;

/**
 * The tables a statement defines, changes or drops, or [] when it is not table DDL. Names only,
 * read by hand: the fallback when the statement itself cannot be parsed.
 */
export function ddlTargets(sql: string, schema: string): DdlTarget[] {
  const text = sql.replace(LEADING_COMMENTS, '');
  const head = HEAD.exec(text);
  if (!head || head[2]) return []; // temporary tables are session-private: not part of the schema
  const verb = head[1].toUpperCase();
  const out: DdlTarget[] = [];
  let at = head[0].length;
  for (let i = 0; i < 1000; i++) {
    const t = readTableName(text, at, schema);
    if (!t) break;
    out.push(t.target);
    at = t.end;
    if (verb === 'RENAME') {
      const to = /\s+TO\b/iy;
      to.lastIndex = at;
      if (!to.exec(text)) break;
      const n = readTableName(text, to.lastIndex, schema);
      if (!n) break;
      out.push(n.target);
      at = n.end;
    }
    if (verb !== 'DROP' && verb !== 'RENAME') break;
    const comma = /\s*,/y;
    comma.lastIndex = at;
    if (!comma.exec(text)) break;
    at = comma.lastIndex;
  }
  return out;
}

const BINARY_TYPES = new Set(['binary', 'varbinary', 'tinyblob', 'blob', 'mediumblob', 'longblob', 'geometry', 'point', 'linestring', 'polygon', 'multipoint', 'multilinestring', 'multipolygon', 'geometrycollection']);
const quoteValue = (v: unknown) => `'${String(v).replace(/'/g, "''")}'`;

/** A node-sql-parser column definition → ColumnDef in information_schema's spelling. */
function columnDef(name: string, d: any): ColumnDef {
  const def = d.definition ?? {};
  const dataType = String(def.dataType ?? 'unknown').toLowerCase();
  let type = dataType;
  if ((dataType === 'enum' || dataType === 'set') && Array.isArray(def.expr?.value)) type += `(${def.expr.value.map((v: any) => quoteValue(v.value)).join(',')})`;
  else if (def.length !== undefined && def.length !== null) type += `(${def.length}${def.scale !== undefined && def.scale !== null ? `,${def.scale}` : ''})`;
  const suffix = (Array.isArray(def.suffix) ? def.suffix : []).map((s: unknown) => String(s).toLowerCase());
  if (suffix.includes('unsigned')) type += ' unsigned';
  if (suffix.includes('zerofill')) type += ' zerofill';
  const collation: string | undefined = d.collate?.collate?.name;
  const charset = BINARY_TYPES.has(dataType) ? 'binary' : (d.character_set?.value?.value ?? (collation ? collation.split('_')[0] : null));
  return {
    name, type, dataType, charset: charset ? String(charset).toLowerCase() : null,
    nullable: d.nullable?.type !== 'not null' && !d.primary_key,
    comment: typeof d.comment?.value?.value === 'string' ? d.comment.value.value : '',
  };
}

const target = (t: { db?: string | null; table: string }, schema: string): DdlTarget => ({ database: t.db || schema, table: t.table });
const columnName = (c: any): string => (typeof c?.column === 'string' ? c.column : c?.column?.expr?.value ?? String(c?.column ?? ''));

function position(suffix: any): ColumnPosition {
  const kw = String(suffix?.keyword ?? '').toUpperCase();
  if (kw === 'FIRST') return { first: true };
  if (kw === 'AFTER') return { after: columnName(suffix.expr) };
  return undefined;
}

/** One parsed ALTER expression → ops; `null` when it changes nothing about the columns; undefined when not understood. */
function alterOp(e: any, schema: string): AlterOp | null | undefined {
  const action = String(e.action ?? '').toLowerCase();
  const resource = String(e.resource ?? '').toLowerCase();
  if (resource === 'column') {
    if (action === 'add') return { op: 'add', column: columnDef(columnName(e.column), e), position: position(e.suffix), ifNotExists: !!e.if_not_exists };
    if (action === 'drop') return { op: 'drop', name: columnName(e.column), ifExists: false };
    if (action === 'rename') return { op: 'rename-column', from: columnName(e.old_column), to: columnName(e.column) };
    if (action === 'modify') { const c = columnDef(columnName(e.column), e); return { op: 'change', from: c.name, column: c, position: position(e.suffix) }; }
    if (action === 'change') return { op: 'change', from: columnName(e.old_column), column: columnDef(columnName(e.column), e), position: position(e.suffix) };
    return undefined;
  }
  if (resource === 'table' && action === 'rename') return { op: 'rename-table', to: typeof e.table === 'string' ? { database: schema, table: e.table } : target(e.table, schema) };
  // Indexes, constraints, engine, algorithm, lock, comments, auto_increment: the row image keeps its columns.
  if (['index', 'key', 'constraint', 'algorithm', 'lock', 'engine', 'comment', 'auto_increment', 'fulltext index', 'spatial index', 'primary key', 'unique', 'foreign key'].includes(resource) || ['algorithm', 'lock', 'engine'].includes(String(e.keyword ?? '').toLowerCase())) return null;
  return undefined;
}

/** Splits `a, b (c, d), 'x,y'` at top-level commas (the clauses of an ALTER). */
function splitClauses(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = undefined;
    } else if (ch === "'" || ch === '"' || ch === '`') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out.filter(Boolean);
}

/** ALTER clauses that cannot add, drop, move, rename or retype a column. */
const LAYOUT_NEUTRAL = /^(?:(?:ADD|DROP|COALESCE|REORGANIZE|TRUNCATE|REBUILD|OPTIMIZE|ANALYZE|CHECK|REPAIR|EXCHANGE|DISCARD|IMPORT)\s+PARTITION|PARTITION\s+BY|REMOVE\s+PARTITIONING|ADD\s+(?:PRIMARY|UNIQUE|INDEX|KEY|CONSTRAINT|FULLTEXT|SPATIAL|FOREIGN|CHECK|PERIOD)|DROP\s+(?:PRIMARY|INDEX|KEY|FOREIGN|CONSTRAINT|CHECK)|ALTER\s+(?:COLUMN\s+)?\S+\s+(?:SET|DROP)\s+(?:DEFAULT|VISIBLE|INVISIBLE)|ALTER\s+INDEX|RENAME\s+(?:INDEX|KEY)|ALGORITHM|LOCK|ENGINE|COMMENT|AUTO_INCREMENT|ROW_FORMAT|KEY_BLOCK_SIZE|STATS_|FORCE|ORDER\s+BY|(?:DEFAULT\s+)?(?:CHARACTER\s+SET|CHARSET|COLLATE)\b|ENABLE\s+KEYS|DISABLE\s+KEYS|PAGE_CHECKSUM|TRANSACTIONAL|CHECKSUM|PACK_KEYS|MAX_ROWS|MIN_ROWS|AVG_ROW_LENGTH)/i;

/** Reads an ALTER clause by clause when the whole statement does not parse. */
function alterByClauses(body: string, table: DdlTarget, schema: string): DdlChange {
  const ops: AlterOp[] = [];
  for (const raw of splitClauses(body)) {
    const clause = raw.replace(/\bIF\s+EXISTS\b/i, '');
    const convert = /^CONVERT\s+TO\s+(?:CHARACTER\s+SET|CHARSET)\s+(\w+)/i.exec(clause);
    if (convert) { ops.push({ op: 'convert-charset', charset: convert[1].toLowerCase() }); continue; }
    const addMany = /^ADD\s+(?:COLUMN\s+)?\(([\s\S]*)\)\s*$/i.exec(clause);
    const parts = addMany ? splitClauses(addMany[1]).map((c) => `ADD COLUMN ${c}`) : [clause];
    for (const part of parts) {
      let parsed: AlterOp | null | undefined;
      try {
        const ast = sqlParser().astify(`ALTER TABLE t ${part}`, { database: 'MariaDB' });
        const exprs = (Array.isArray(ast) ? ast[0] : ast)?.expr ?? [];
        parsed = exprs.length === 1 ? alterOp(exprs[0], schema) : undefined;
        if (parsed && parsed.op === 'drop' && /\bIF\s+EXISTS\b/i.test(raw)) parsed.ifExists = true;
      } catch {
        parsed = LAYOUT_NEUTRAL.test(part) ? null : undefined;
      }
      if (parsed === undefined) return { kind: 'unknown', table, reason: `an ALTER TABLE clause was not understood (${part.split(/\s+/).slice(0, 2).join(' ').toUpperCase()} …)` };
      if (parsed) ops.push(parsed);
    }
  }
  return { kind: 'alter', table, ops };
}

/**
 * The schema changes of one statement from a binlog query event, or [] when it changes no table
 * definition (DML, BEGIN/COMMIT, TRUNCATE, views, users, temporary tables).
 */
export function parseDdl(sql: string, schema: string): DdlChange[] {
  const text = sql.replace(LEADING_COMMENTS, '').trim().replace(/;\s*$/, '');
  const dropDb = /^DROP\s+(?:DATABASE|SCHEMA)\s+(?:IF\s+EXISTS\s+)?(?:`((?:[^`]|``)+)`|([\w$]+))/i.exec(text);
  if (dropDb) return [{ kind: 'drop-database', database: (dropDb[1] ?? dropDb[2]).replace(/``/g, '`') }];
  const head = HEAD.exec(text);
  if (!head || head[2]) return [];
  const verb = head[1].toUpperCase();
  if (verb === 'TRUNCATE') return [];
  const targets = ddlTargets(text, schema);
  if (targets.length === 0) return [];
  // CREATE OR REPLACE defines the table as CREATE does; node-sql-parser knows only the latter.
  const normalized = text.replace(/^CREATE\s+OR\s+REPLACE\s+TABLE/i, 'CREATE TABLE');
  let ast: any;
  try {
    ast = sqlParser().astify(normalized, { database: 'MariaDB' });
    if (Array.isArray(ast)) ast = ast.length === 1 ? ast[0] : undefined;
  } catch {
    ast = undefined;
  }
  if (verb === 'ALTER') {
    const table = targets[0];
    if (ast?.type === 'alter') {
      const ops: AlterOp[] = [];
      for (const e of ast.expr ?? []) {
        const op = alterOp(e, schema);
        if (op === undefined) return [alterByClauses(normalized.slice(head[0].length + tableNameLength(normalized, head[0].length, schema)), table, schema)];
        if (op) ops.push(op);
      }
      return [{ kind: 'alter', table, ops }];
    }
    return [alterByClauses(normalized.slice(head[0].length + tableNameLength(normalized, head[0].length, schema)), table, schema)];
  }
  if (verb === 'DROP') return targets.map((table) => ({ kind: 'drop', table }));
  if (verb === 'RENAME') {
    const out: DdlChange[] = [];
    for (let i = 0; i + 1 < targets.length; i += 2) out.push({ kind: 'rename', from: targets[i], to: targets[i + 1] });
    return out;
  }
  // CREATE
  const table = targets[0];
  const ifNotExists = /\bIF\s+NOT\s+EXISTS\b/i.test(head[0]);
  if (ast?.type === 'create' && ast.like) return [{ kind: 'create-like', table, like: target(ast.like.table?.[0] ?? ast.like, schema) }];
  if (ast?.type !== 'create' || ast.query_expr || ast.as) return [{ kind: 'unknown', table, reason: ast ? 'CREATE TABLE … SELECT takes its columns from a query' : 'the CREATE TABLE statement was not understood' }];
  const columns: ColumnDef[] = [];
  const primaryKey: string[] = [];
  for (const d of ast.create_definitions ?? []) {
    if (d.resource === 'column') {
      const c = columnDef(columnName(d.column), d);
      columns.push(c);
      if (d.primary_key) primaryKey.push(c.name);
    } else if (String(d.constraint_type ?? '').toLowerCase() === 'primary key') {
      for (const k of d.definition ?? []) primaryKey.push(columnName(k));
    }
  }
  const options: any[] = Array.isArray(ast.table_options) ? ast.table_options : [];
  const cs = options.find((o) => /charset|character set/i.test(String(o.keyword)))?.value?.value ?? options.find((o) => /collate/i.test(String(o.keyword)))?.value?.value?.split('_')[0];
  return [{ kind: 'create', table, columns, primaryKey, defaultCharset: cs ? String(cs).toLowerCase() : null, ifNotExists }];
}

/** Length of the table name (with its database) after the statement head. */
function tableNameLength(sql: string, at: number, schema: string): number {
  const t = readTableName(sql, at, schema);
  return t ? t.end - at : 0;
}
