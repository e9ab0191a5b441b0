import type mysql from 'mysql2/promise';
import { MAX_VALUE_CHARS, RANGE_ROWS } from './config.js';
import { quoteId } from './connection.js';
import { isBinaryColumn, isTextColumn, type TableInfo } from './schema.js';

export interface TableSample {
  /** Sampled values per (non-binary) column, as text; null for SQL NULL. */
  values: Map<string, (string | null)[]>;
  rows: number;
  /** How the rows were chosen, for the coverage sentence. */
  method: string;
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
const decoder = new TextDecoder('utf-8', { fatal: false });

/** Text of a value as mysql2 returns it; invalid UTF-8 becomes U+FFFD instead of failing. */
export function valueText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v.length > MAX_VALUE_CHARS ? v.slice(0, MAX_VALUE_CHARS) : v;
  if (Buffer.isBuffer(v)) return decoder.decode(v.subarray(0, MAX_VALUE_CHARS * 4)).slice(0, MAX_VALUE_CHARS);
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().slice(0, 10);
  if (typeof v === 'object') return JSON.stringify(v).slice(0, MAX_VALUE_CHARS);
  return String(v);
}

const thousands = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** "sampled 1,000 of ~52,311 rows (random primary-key ranges)": the estimate is information_schema's. */
export function coverageSentence(sampled: number, rowsEstimate: number | undefined, method: string): string {
  if (rowsEstimate === undefined) return `sampled ${thousands(sampled)} rows (${method})`;
  return `sampled ${thousands(sampled)} of ~${thousands(Math.max(rowsEstimate, sampled))} rows (${method})`;
}

/**
 * Reads a bounded sample of a table in a read-only transaction. Small tables (or tables without a
 * single integer primary key) are read with one `LIMIT`ed SELECT; big ones from random primary-key
 * starting points, `RANGE_ROWS` rows each, so the server walks the index and never scans or sorts the
 * table (no `ORDER BY RAND()`). Text is read through `LEFT(col, MAX_VALUE_CHARS)` so a 16 MB cell
 * costs 4 KB; binary columns are not read at all.
 */
export async function sampleTable(conn: mysql.Connection, t: TableInfo, sampleRows: number, random: () => number = Math.random): Promise<TableSample> {
  const readable = t.columns.filter((c) => !isBinaryColumn(c));
  const values = new Map<string, (string | null)[]>(readable.map((c) => [c.name, []]));
  if (readable.length === 0) return { values, rows: 0, method: 'binary columns only: not read' };
  const select = readable.map((c, i) => `${isTextColumn(c) ? `LEFT(${quoteId(c.name)}, ${MAX_VALUE_CHARS})` : quoteId(c.name)} AS c${i}`).join(', ');
  const from = `${quoteId(t.database)}.${quoteId(t.name)}`;
  const pk = t.primaryKey.length === 1 ? t.columns.find((c) => c.name === t.primaryKey[0]) : undefined;
  const byRanges = pk !== undefined && INTEGER_TYPES.has(pk.dataType) && t.rowsEstimate > sampleRows * 2;

  let rows: Record<string, unknown>[] = [];
  let method: string;
  await conn.query('START TRANSACTION READ ONLY');
  try {
    if (!byRanges) {
      [rows] = (await conn.query(`SELECT ${select} FROM ${from} LIMIT ${sampleRows}`)) as unknown as [Record<string, unknown>[]];
      method = t.rowsEstimate <= sampleRows ? 'bounded SELECT of the whole table' : 'first rows, bounded SELECT (no single integer primary key)';
    } else {
      const key = quoteId(pk.name);
      const [[bounds]] = (await conn.query(`SELECT CAST(MIN(${key}) AS CHAR) AS lo, CAST(MAX(${key}) AS CHAR) AS hi FROM ${from}`)) as unknown as [{ lo: string | null; hi: string | null }[]];
      if (bounds.lo !== null && bounds.hi !== null) {
        const lo = BigInt(bounds.lo);
        const span = BigInt(bounds.hi) - lo + 1n;
        const ranges = Math.ceil(sampleRows / RANGE_ROWS);
        // Stratified starting points (one per equal slice of the key space, placed so its range fits in
        // the slice) spread the sample over the table and do not overlap; a few extra random ranges top
        // the sample up where keys have gaps. Bounded: at most 3× the planned number of queries.
        const slice = Number(span) / ranges;
        const room = Math.max(1, slice - RANGE_ROWS);
        const planned = Array.from({ length: ranges }, (_, i) => lo + BigInt(Math.floor(i * slice + random() * room)));
        const seen = new Set<string>();
        for (let q = 0; q < ranges * 3 && rows.length < sampleRows; q++) {
          const start = q < planned.length ? planned[q] : lo + BigInt(Math.floor(random() * Number(span)));
          const [chunk] = (await conn.query(`SELECT CAST(${key} AS CHAR) AS pk_, ${select} FROM ${from} WHERE ${key} >= ? ORDER BY ${key} LIMIT ${RANGE_ROWS}`, [start.toString()])) as unknown as [Record<string, unknown>[]];
          // Top-up ranges may overlap earlier ones: each row counts once.
          for (const r of chunk) if (!seen.has(r.pk_ as string) && rows.length < sampleRows) { seen.add(r.pk_ as string); rows.push(r); }
        }
      }
      method = `random primary-key ranges of ${RANGE_ROWS} rows`;
    }
  } finally {
    await conn.query('COMMIT').catch(() => undefined);
  }
  for (const r of rows) readable.forEach((c, i) => values.get(c.name)!.push(valueText(r[`c${i}`])));
  return { values, rows: rows.length, method };
}
