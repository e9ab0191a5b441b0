/**
 * Reads the tables of a SQL dump (MySQL/MariaDB `mysqldump` or PostgreSQL `INSERT … VALUES`) as
 * column names and string values, without a database: enough for the PII evaluation to classify
 * public sample databases exactly as they were published. Not a general SQL parser.
 */

export interface DumpTable {
  columns: string[];
  rows: (string | null)[][];
}

export type Dialect = 'mysql' | 'postgres';

/** MySQL version comments (`/*!50705 location GEOMETRY,*\/`) hold what that server version sees; drop them, schema and data alike. */
const stripVersionComments = (sql: string): string => sql.replace(/\/\*!\d{5}[\s\S]*?\*\//g, '');

const NOT_A_COLUMN = /^(?:PRIMARY|KEY|UNIQUE|CONSTRAINT|INDEX|FULLTEXT|SPATIAL|CHECK|FOREIGN)\b/i;

/** Column names of every `CREATE TABLE`, by table name. */
export function parseCreateTables(sql: string): Map<string, string[]> {
  const tables = new Map<string, string[]>();
  const re = /CREATE TABLE (?:IF NOT EXISTS )?[`"]?(\w+)[`"]?\s*\(([\s\S]*?)\n\)/gi;
  for (const m of stripVersionComments(sql).matchAll(re)) {
    const columns: string[] = [];
    for (const line of m[2].split('\n')) {
      const t = line.trim();
      if (!t || NOT_A_COLUMN.test(t) || t.startsWith('--')) continue;
      const c = /^[`"]?(\w+)[`"]?\s+\w/.exec(t);
      if (c) columns.push(c[1]);
    }
    tables.set(m[1], columns);
  }
  return tables;
}

/** Reads one SQL literal at `i`; returns the value (null for NULL) and the index after it. */
function readLiteral(sql: string, i: number, dialect: Dialect): [string | null, number] {
  if (sql[i] === "'") {
    let out = '';
    let j = i + 1;
    for (;;) {
      const c = sql[j];
      if (c === undefined) throw new Error(`unterminated string at ${i}`);
      if (c === "'" && sql[j + 1] === "'") { out += "'"; j += 2; continue; }
      if (c === "'") return [out, j + 1];
      if (c === '\\' && dialect === 'mysql') {
        const n = sql[j + 1];
        out += n === 'n' ? '\n' : n === 'r' ? '\r' : n === 't' ? '\t' : n === '0' ? '\0' : n;
        j += 2;
        continue;
      }
      out += c;
      j++;
    }
  }
  let j = i;
  while (j < sql.length && sql[j] !== ',' && sql[j] !== ')') j++;
  const raw = sql.slice(i, j).trim();
  return [/^NULL$/i.test(raw) ? null : raw, j];
}

/** Rows of every `INSERT INTO t [(cols)] VALUES (…), (…);`, joined with the CREATE TABLE column names. */
export function parseDump(sql: string, dialect: Dialect): Map<string, DumpTable> {
  const text = stripVersionComments(sql);
  const schemas = parseCreateTables(text);
  const tables = new Map<string, DumpTable>();
  const re = /INSERT\s+INTO\s+[`"]?(\w+)[`"]?\s*(?:\(([^)]*)\))?\s*VALUES\s*/gi;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const name = m[1];
    const columns = m[2] ? m[2].split(',').map((c) => c.trim().replace(/[`"]/g, '')) : schemas.get(name) ?? [];
    let table = tables.get(name);
    if (!table) tables.set(name, (table = { columns, rows: [] }));
    let i = re.lastIndex;
    // Tuples until the statement's semicolon.
    for (let guard = 0; guard < 1_000_000; guard++) {
      while (/\s|,/.test(text[i] ?? '')) i++;
      if (text[i] !== '(') break;
      i++;
      const row: (string | null)[] = [];
      for (;;) {
        while (text[i] === ' ' || text[i] === '\n') i++;
        const [value, next] = readLiteral(text, i, dialect);
        row.push(value);
        i = next;
        while (text[i] === ' ' || text[i] === '\n') i++;
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ')') { i++; break; }
        throw new Error(`${name}: unexpected ${JSON.stringify(text.slice(i, i + 20))} in a VALUES tuple`);
      }
      table.rows.push(row);
    }
    re.lastIndex = i;
  }
  return tables;
}

/** One column's values, by name. */
export function columnValues(table: DumpTable, column: string): (string | null)[] {
  const index = table.columns.indexOf(column);
  if (index < 0) throw new Error(`no column ${column} (columns: ${table.columns.join(', ')})`);
  return table.rows.map((r) => r[index] ?? null);
}
