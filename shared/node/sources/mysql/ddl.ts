/** A table named by a DDL statement (database defaults to the statement's current schema). */
export interface DdlTarget {
  database: string;
  table: string;
}

const IDENT = /\s*(?:`((?:[^`]|``)+)`|([\w$]+))/y;

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

const HEAD = /^\s*(?:\/\*.*?\*\/\s*)*(ALTER|CREATE|DROP|RENAME|TRUNCATE)\s+(?:(?:OR\s+REPLACE|ONLINE|OFFLINE|IGNORE)\s+)*(TEMPORARY\s+)?TABLES?\b(?:\s+IF\s+(?:NOT\s+)?EXISTS\b)?/is;

/**
 * The tables a statement from a binlog QueryEvent defines or drops, or [] when it is not table DDL.
 * Only names are extracted: the statement text itself is never kept or logged (it may hold literals).
 */
export function ddlTargets(sql: string, schema: string): DdlTarget[] {
  const head = HEAD.exec(sql);
  if (!head || head[2]) return []; // temporary tables are session-private: not part of the schema
  const verb = head[1].toUpperCase();
  const out: DdlTarget[] = [];
  let at = head[0].length;
  for (let i = 0; i < 1000; i++) {
    const t = readTableName(sql, at, schema);
    if (!t) break;
    out.push(t.target);
    at = t.end;
    if (verb === 'RENAME') {
      const to = /\s+TO\b/iy;
      to.lastIndex = at;
      if (!to.exec(sql)) break;
      const n = readTableName(sql, to.lastIndex, schema);
      if (!n) break;
      out.push(n.target);
      at = n.end;
    }
    if (verb !== 'DROP' && verb !== 'RENAME') break;
    const comma = /\s*,/y;
    comma.lastIndex = at;
    if (!comma.exec(sql)) break;
    at = comma.lastIndex;
  }
  return out;
}
