import { constants as zlibConstants, createGunzip } from 'node:zlib';
import { AppError } from '../../../core/api/errors.js';
import { isAvroContainer, parseAvroContainer } from './avro-container.js';

/**
 * Object formats Driftline can sample: JSON (a document or, as Kafka Connect's JsonFormat writes,
 * one record per line), NDJSON, CSV/TSV with a header row, Parquet (hyparquet), Avro object container files (avsc), and gzip of the text ones. Detected by
 * extension and by content (magic bytes), because data lakes are full of misnamed objects.
 */
export type ObjectFormat = 'json' | 'ndjson' | 'csv' | 'tsv' | 'parquet' | 'avro';

export interface FormatHint {
  format?: ObjectFormat;
  gzip: boolean;
}

const EXTENSIONS: Record<string, ObjectFormat> = { json: 'json', ndjson: 'ndjson', jsonl: 'ndjson', csv: 'csv', tsv: 'tsv', parquet: 'parquet', avro: 'avro' };

/** What the key's extension says: `x.csv.gz` → csv inside gzip. */
export function formatFromKey(key: string): FormatHint {
  const name = key.slice(key.lastIndexOf('/') + 1).toLowerCase();
  const parts = name.split('.');
  let gzip = false;
  if (parts.length > 1 && (parts[parts.length - 1] === 'gz' || parts[parts.length - 1] === 'gzip')) {
    gzip = true;
    parts.pop();
  }
  const ext = parts.length > 1 ? parts[parts.length - 1] : '';
  return { format: EXTENSIONS[ext], gzip };
}

/** gzip members start with 1f 8b (RFC 1952 §2.3.1). */
export const isGzip = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
/** Parquet files start (and end) with "PAR1" (Apache Parquet file format). */
export const isParquet = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x50 && b[1] === 0x41 && b[2] === 0x52 && b[3] === 0x31;

/**
 * Decompresses at most `maxBytes` of output. Truncated input (a ranged read) is fine: SYNC_FLUSH
 * yields what can be decoded instead of "unexpected end of file". Corrupt input rejects.
 */
export function gunzipBounded(input: Uint8Array, maxBytes: number): Promise<{ data: Buffer; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const gunzip = createGunzip({ finishFlush: zlibConstants.Z_SYNC_FLUSH });
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (truncated: boolean) => {
      if (done) return;
      done = true;
      resolve({ data: Buffer.concat(chunks).subarray(0, maxBytes), truncated });
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      // A gzip bomb stops here: output beyond the cap is never produced.
      if (size >= maxBytes) {
        finish(true);
        gunzip.destroy();
      }
    });
    gunzip.on('end', () => finish(false));
    gunzip.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
    gunzip.end(input);
  });
}

/** Drops a UTF-8 sequence cut in half by a ranged read, so the rest decodes strictly. */
export function trimPartialUtf8(b: Uint8Array): Uint8Array {
  let i = b.length - 1;
  let back = 0;
  while (i >= 0 && back < 4 && (b[i] & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return b;
  const lead = b[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > back + 1 ? b.subarray(0, i) : b;
}

/** Text, or undefined for binary content (NUL bytes or invalid UTF-8). */
export function decodeText(b: Uint8Array): string | undefined {
  if (b.subarray(0, 8192).includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b).replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  }
}

/** Records of one object plus per-object problems (ragged rows, bad lines), never with raw values. */
export interface ParsedObject {
  format: ObjectFormat;
  records: unknown[];
  problems: string[];
}

/** Listing at most this many row/line numbers in one warning keeps the scan report readable. */
const MAX_LISTED = 5;
const listNumbers = (ns: number[]): string => ns.slice(0, MAX_LISTED).join(', ') + (ns.length > MAX_LISTED ? ` and ${ns.length - MAX_LISTED} more` : '');

/** One JSON value per non-empty line; unparseable lines are reported by number and skipped. */
export function parseNdjson(text: string, truncated: boolean): ParsedObject {
  const lines = text.split('\n');
  // A ranged read usually ends mid-line: that last line is a fragment, not bad data.
  if (truncated && lines.length > 1) lines.pop();
  const records: unknown[] = [];
  const bad: number[] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (t === '') return;
    try {
      records.push(JSON.parse(t));
    } catch {
      bad.push(i + 1);
    }
  });
  const problems = bad.length ? [`line${bad.length > 1 ? 's' : ''} ${listNumbers(bad)} not valid JSON (${bad.length} skipped)`] : [];
  return { format: 'ndjson', records, problems };
}

/** A JSON document (an array's elements are records) or, failing that, JSON lines. */
export function parseJson(text: string, truncated: boolean): ParsedObject {
  const t = text.trim();
  if (!truncated) {
    try {
      const doc: unknown = JSON.parse(t);
      return { format: 'json', records: Array.isArray(doc) ? doc : [doc], problems: [] };
    } catch {
      // Kafka Connect's JsonFormat writes one record per line under a .json name: try that next.
    }
  }
  if (t.startsWith('{') && t.includes('\n')) {
    const parsed = parseNdjson(text, truncated);
    if (parsed.records.length > 0) return parsed;
  }
  throw new AppError('SOURCE_BAD_DATA', truncated ? 'JSON document larger than the read limit cannot be parsed from its first bytes — raise maxObjectBytes to sample it' : 'not valid JSON or JSON lines');
}

/** RFC 4180 rows: quoted fields may hold separators, quotes ("") and newlines. */
export function parseDelimitedRows(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === sep) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/**
 * Columns read per row. Far more than a prefix profiles (MAX_FIELDS_PER_PREFIX), so a real table is
 * read whole; a file a million columns wide costs one capped row, with a warning, not silence.
 */
export const MAX_DELIMITED_COLUMNS = 10_000;

/** CSV/TSV with a header row. Ragged rows are reported by row number (header = row 1) and skipped. */
export function parseDelimited(text: string, format: 'csv' | 'tsv', truncated: boolean): ParsedObject {
  const rows = parseDelimitedRows(text, format === 'tsv' ? '\t' : ',');
  const name = format.toUpperCase();
  // The read stopped inside the header row itself: its last name is cut and no row follows.
  if (truncated && rows.length === 1) throw new AppError('SOURCE_BAD_DATA', `${name} header row is longer than the read limit (${rows[0].length - 1}+ columns in ${text.length} characters), so no row could be read — raise maxObjectBytes above the header's length to sample it`);
  // A ranged read usually ends mid-row: that last row is a fragment, not bad data.
  const cutRow = truncated && rows.length > 1 ? rows.pop() : undefined;
  const width = rows[0]?.length ?? 0;
  const header = rows[0]?.slice(0, MAX_DELIMITED_COLUMNS).map((h) => h.trim());
  if (!header || header.every((h) => h === '')) throw new AppError('SOURCE_BAD_DATA', `${name} has no header row`);
  const records: Record<string, string>[] = [];
  const ragged: number[] = [];
  for (let r = 1; r < rows.length; r++) {
    const cells = rows[r];
    if (cells.length === 1 && cells[0] === '') continue;
    if (cells.length !== width) {
      ragged.push(r + 1);
      continue;
    }
    const rec: Record<string, string> = {};
    header.forEach((h, i) => (rec[h || `column${i + 1}`] = cells[i]));
    records.push(rec);
  }
  const problems = ragged.length ? [`row${ragged.length > 1 ? 's' : ''} ${listNumbers(ragged)} ha${ragged.length > 1 ? 've' : 's'} a different number of fields than the header's ${width} (${ragged.length} skipped)`] : [];
  if (cutRow && records.length === 0 && ragged.length === 0) problems.push(`the first row after the header is longer than the read limit (${text.length} characters), so no row was read — raise maxObjectBytes to sample it`);
  if (width > MAX_DELIMITED_COLUMNS) problems.push(`${width} columns; only the first ${MAX_DELIMITED_COLUMNS} were read, the other ${width - MAX_DELIMITED_COLUMNS} were not sampled`);
  return { format, records, problems };
}

/** What became of one object's bytes. */
export type DecodedObject =
  | { kind: 'parsed'; parsed: ParsedObject; gzip: boolean; truncated: boolean }
  | { kind: 'skipped'; reason: string };

/**
 * Decodes an object's first bytes into records. `truncated` says the read stopped at the cap.
 * Throws AppError('SOURCE_BAD_DATA') for an object that claims a format it does not hold (corrupt
 * gzip, binary under .json); returns `skipped` for formats Driftline does not sample.
 */
export async function decodeObject(key: string, bytes: Uint8Array, truncated: boolean, maxBytes: number): Promise<DecodedObject> {
  const hint = formatFromKey(key);
  let body = bytes;
  const gzip = hint.gzip || isGzip(bytes);
  if (gzip) {
    if (!isGzip(bytes)) throw new AppError('SOURCE_BAD_DATA', 'named .gz but not gzip (no 1f 8b header)');
    try {
      // Decompressed text is capped at 4× the read limit: enough records, bounded memory.
      const out = await gunzipBounded(bytes, maxBytes * 4);
      body = out.data;
      truncated = truncated || out.truncated;
    } catch (err) {
      throw new AppError('SOURCE_BAD_DATA', `corrupt gzip (${(err as Error).message})`, { cause: err });
    }
  }
  if (hint.format === 'parquet' || isParquet(body)) {
    // Parquet's footer (schema, row groups) is at the end of the file: a cut-off read cannot be decoded.
    if (truncated) return { kind: 'skipped', reason: `Parquet object larger than the read limit (its schema is in the footer, at the end) — raise maxObjectBytes above the object's size to sample it` };
    return { kind: 'parsed', parsed: await parseParquet(body), gzip, truncated };
  }
  if (hint.format === 'avro' || isAvroContainer(body)) {
    if (!isAvroContainer(body)) throw new AppError('SOURCE_BAD_DATA', 'named .avro but not an Avro object container file (no "Obj" 0x01 header)');
    return { kind: 'parsed', parsed: { format: 'avro', ...(await parseAvroContainer(body, truncated)) }, gzip, truncated };
  }
  const text = decodeText(truncated ? trimPartialUtf8(body) : body);
  if (text === undefined) {
    if (hint.format) throw new AppError('SOURCE_BAD_DATA', `binary content under a .${hint.format} name`);
    return { kind: 'skipped', reason: 'binary content in an unrecognised format, not sampled' };
  }
  const parse = (): ParsedObject | undefined => {
    switch (hint.format) {
      case 'json':
        return parseJson(text, truncated);
      case 'ndjson':
        return parseNdjson(text, truncated);
      case 'csv':
      case 'tsv':
        return parseDelimited(text, hint.format, truncated);
      default: {
        // No telling extension: only JSON is recognisable with confidence from its first character.
        const first = text.trimStart()[0];
        return first === '{' || first === '[' ? parseJson(text, truncated) : undefined;
      }
    }
  };
  const parsed = parse();
  if (!parsed) return { kind: 'skipped', reason: 'text in an unrecognised format (not JSON, NDJSON or CSV by name or content), not sampled' };
  return { kind: 'parsed', parsed, gzip, truncated };
}

/** Rows read from one Parquet object: enough for a prevalence, bounded work on a huge file. */
export const MAX_PARQUET_ROWS = 1000;

/** A Parquet cell as a classifier reads it: dates as ISO text, big integers as digits, bytes dropped. */
function parquetCell(v: unknown, depth = 0): unknown {
  if (depth > 16) return null;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString().replace(/T00:00:00\.000Z$/, '');
  if (typeof v === 'bigint') return v.toString();
  if (v instanceof Uint8Array) return null;
  if (Array.isArray(v)) return v.map((x) => parquetCell(x, depth + 1));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, parquetCell(x, depth + 1)]));
  return v;
}

/**
 * Reads the first MAX_PARQUET_ROWS rows of a whole Parquet object with hyparquet (pure JS; it
 * decodes Parquet's logical types — DATE, TIMESTAMP, DECIMAL — itself). Snappy-compressed pages
 * are read; other codecs fail with an error naming the codec (the object is reported, the scan goes on).
 */
export async function parseParquet(bytes: Uint8Array): Promise<ParsedObject> {
  const { parquetReadObjects } = await import('hyparquet');
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file, rowEnd: MAX_PARQUET_ROWS });
  } catch (err) {
    throw new AppError('SOURCE_BAD_DATA', `Parquet could not be read (${(err as Error).message.split('\n')[0]}) — a corrupt file, or a compression codec other than snappy/uncompressed`, { cause: err });
  }
  return { format: 'parquet', records: rows.map((r) => parquetCell(r)), problems: [] };
}
