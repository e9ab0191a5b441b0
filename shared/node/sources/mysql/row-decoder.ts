/**
 * Row images decoded straight into column profiles, without a row object per row.
 *
 * zongji turns every row of a row event into a `{ column: value }` object (a Date or a padded
 * string per temporal value, a string per text value), and the capture then turned each value into
 * text again for its column's profile. On a 200k-row catch-up that object traffic cost as much as
 * zongji's whole read of the binlog. Here zongji still reads the protocol, the event headers and the
 * table maps; only the row images of the events a capture asks for are read by this module, value
 * by value from the packet bytes, straight to each column's observer. A text, number or date value
 * is offered *pending* (its bytes, see PendingValue): a long stream's sample keeps few of them, and
 * the text is made only for those (and for fingerprint candidates).
 *
 * Exactness: the text given for a value is the text `valueText` makes of zongji's decode of it, for
 * every type. The common types (integers up to 32 bits, CHAR/VARCHAR/TEXT in a UTF-8 character set,
 * binary strings and blobs, DATE, DATETIME(0–6) in MySQL 5.6 format) are read here; every other
 * type (BIGINT, DECIMAL, FLOAT, ENUM/SET, TIME, TIMESTAMP, JSON, other character sets, MariaDB
 * compressed and hires columns, …) is decoded by zongji's own `readMysqlValue` for that one value.
 * row-decoder.test.ts compares both decodes on a real MariaDB for every type the sources read.
 *
 * This relies on zongji internals — `lib/rows_event.js`'s `_fetchOneRow`, `lib/common.js`'s
 * `readMysqlValue`, the Parser's `_buffer`/`_offset` — which is why @vlasky/zongji is pinned to 0.9.0.
 * The hook only acts for a ZongJi instance that carries a {@link ROW_SINK}; any other instance
 * decodes as zongji always does.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fingerprintOrder, fingerprintOrderOfUtf8, MAX_VALUE_LENGTH, RANK_NEEDS_TEXT, type PendingValue } from '../../../core/pii/index.js';
import { MAX_VALUE_CHARS } from './config.js';
import { valueText } from './sample.js';

/** Where a column's values go: a ColumnProfile, or a test's recorder. */
export interface ValueObserver {
  /** A binary column's values are skipped, never turned into text. */
  readonly binary: boolean;
  /** One non-null value's text (as `valueText` gives it). SQL NULLs are not passed. */
  observe(text: string | null): void;
  /**
   * One non-blank text value of at most MAX_VALUE_LENGTH characters, its text not made yet (made by
   * the observer only if it keeps the value). Without it, every value comes through `observe`.
   */
  observePending?(value: PendingValue): void;
}

/**
 * The bytes of one UTF-8 text value (in the packet, or the scratch bytes a number or date was
 * written into), offered without making its text: the rank is read from the bytes where
 * fingerprintOrderOfUtf8 can, and the text is made at most once, only if asked for.
 * One instance is reused for every value (observers use it synchronously and keep only its text).
 */
class PendingBytes implements PendingValue {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private rankValue = 0;
  private ranked = false;
  private textValue: string | undefined;

  set(buf: Buffer, start: number, end: number): this {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.ranked = false;
    this.textValue = undefined;
    return this;
  }

  rank(): number {
    if (!this.ranked) {
      const r = fingerprintOrderOfUtf8(this.buf, this.start, this.end);
      this.rankValue = r === RANK_NEEDS_TEXT ? fingerprintOrder(this.text()) : r;
      this.ranked = true;
    }
    return this.rankValue;
  }

  text(): string {
    return (this.textValue ??= utf8(this.buf, this.start, this.end));
  }
}
const PENDING = new PendingBytes();

/** zongji's column of a table map (`tableMap[id].columns[i]`). */
interface ZongjiColumn {
  name: string;
  type: number;
  charset: string | null;
  metadata: Record<string, number> | undefined;
}

/** zongji's column schema (`tableMap[id].columnSchemas[i]`). */
interface ZongjiColumnSchema {
  COLUMN_TYPE: string;
  UNSIGNED?: boolean;
}

/** The table-map entry a row event is decoded with. */
export interface ZongjiTableMapEntry {
  parentSchema: string;
  tableName: string;
  columns: ZongjiColumn[];
  columnSchemas: ZongjiColumnSchema[];
}

/** The parts of zongji's row event the decoder reads. */
export interface ZongjiRowsEvent {
  tableId: number;
  tableMap: Record<number, ZongjiTableMapEntry>;
  columns_present_bitmap: Buffer;
  columns_present_bitmap2?: Buffer;
  _hasTwoRows: boolean;
  _zongji: unknown;
  getEventName(): string;
}

/**
 * How one row event's rows are read, decided once per event by the sink: one observer per column
 * (undefined: read past the column's values without turning them into text). An update's
 * before-image is always read past (it mostly repeats the after-image).
 */
export interface RowPlan {
  observers: (ValueObserver | undefined)[];
}

/**
 * Set on a ZongJi instance to have its row events decoded by this module: called once per row
 * event (before its first row), it returns the plan, or undefined to let zongji decode that event.
 */
export const ROW_SINK = Symbol('driftline.rowSink');
export type RowSink = (event: ZongjiRowsEvent) => RowPlan | undefined;

/** What a row decoded by this module is in the event's `rows` (its values went to the observers). */
export const DECODED_ROW: Readonly<Record<string, never>> = Object.freeze({});

/** A row event's rows were decoded here (their values are already observed). */
export const decodedHere = (rows: readonly unknown[]): boolean => rows.length > 0 && rows[0] === DECODED_ROW;

// MySQL type codes (binlog column types).
const TINY = 1;
const SHORT = 2;
const LONG = 3;
const DATE = 10;
const INT24 = 9;
const VARCHAR = 15;
const DATETIME2 = 18;
const TINY_BLOB = 249;
const MEDIUM_BLOB = 250;
const LONG_BLOB = 251;
const BLOB = 252;
const STRING = 254;
const BIT = 16;

/** Character sets zongji decodes with Buffer#toString('utf8') (its ICONV_CHARSET_OVERRIDES and default). */
const UTF8_CHARSETS = new Set(['utf8', 'utf8mb3', 'utf8mb4']);
/** Bytes of a text value decoded: enough for MAX_VALUE_CHARS characters of any UTF-8 text. */
const MAX_VALUE_BYTES = MAX_VALUE_CHARS * 4;

type ReadMysqlValue = (parser: unknown, column: ZongjiColumn, schema: ZongjiColumnSchema, tableMap: ZongjiTableMapEntry, zongji: unknown) => unknown;
interface Parser {
  _buffer: Buffer;
  _offset: number;
}

/** How one column's values are read: a fast path of this module, or zongji's decode. */
const enum Reader {
  Int,
  Utf8Text,
  BinaryBytes,
  Date,
  DateTime2,
  Zongji,
}

interface ColumnReader {
  reader: Reader;
  /** Int: bytes; text/bytes: length-prefix bytes. */
  size: number;
  unsigned: boolean;
  /** DATETIME2: fractional digits. */
  decimals: number;
}

/** Caches the readers of a table map's columns on the entry (a new table map is a new entry). */
const READERS = Symbol('driftline.columnReaders');
/** Caches the event's reading on the event (decided before its first row). */
const PLAN = Symbol('driftline.rowPlan');

function columnReader(column: ZongjiColumn, schema: ZongjiColumnSchema): ColumnReader {
  const r = (reader: Reader, size = 0, unsigned = false, decimals = 0): ColumnReader => ({ reader, size, unsigned, decimals });
  const meta = column.metadata ?? {};
  switch (column.type) {
    case TINY:
    case SHORT:
    case INT24:
    case LONG: {
      const unsigned = schema.UNSIGNED !== undefined ? schema.UNSIGNED : schema.COLUMN_TYPE.indexOf('unsigned') !== -1;
      return r(Reader.Int, column.type === TINY ? 1 : column.type === SHORT ? 2 : column.type === INT24 ? 3 : 4, unsigned);
    }
    case VARCHAR:
    case STRING: {
      const def = schema.COLUMN_TYPE;
      const prefix = def.substr(0, 6);
      const lengthBytes = meta.max_length > 255 ? 2 : 1;
      // Logical types on a binary charset (uuid, inet, vector) and BINARY(n)'s re-padding: zongji's.
      if (def === 'uuid' || def === 'inet4' || def === 'inet6' || prefix === 'vector' || prefix === 'binary') return r(Reader.Zongji);
      if (prefix === 'varbin') return r(Reader.BinaryBytes, lengthBytes);
      // zongji decodes a text CHAR/VARCHAR without a charset as UTF-8 too.
      if (column.charset === null || column.charset === undefined || UTF8_CHARSETS.has(column.charset)) return r(Reader.Utf8Text, lengthBytes);
      return r(Reader.Zongji);
    }
    case TINY_BLOB:
    case MEDIUM_BLOB:
    case LONG_BLOB:
    case BLOB:
      if (!meta.length_size) return r(Reader.Zongji);
      if (column.charset === null) return r(Reader.BinaryBytes, meta.length_size);
      if (UTF8_CHARSETS.has(column.charset)) return r(Reader.Utf8Text, meta.length_size);
      return r(Reader.Zongji);
    case DATE:
      return r(Reader.Date);
    case DATETIME2:
      return r(Reader.DateTime2, 0, false, meta.decimals ?? 0);
    default:
      return r(Reader.Zongji);
  }
}

/**
 * Whether zongji gives this column's values as bytes (a Buffer): such a column of a table the schema
 * does not know is profiled as binary, as the capture did when it looked at zongji's values.
 */
export function yieldsBytes(column: ZongjiColumn, schema: ZongjiColumnSchema): boolean {
  const prefix = schema.COLUMN_TYPE.substr(0, 6);
  if (column.type === BIT) return true;
  if (column.type === VARCHAR || column.type === STRING) return prefix === 'varbin' || prefix === 'binary' || prefix === 'vector';
  return columnReader(column, schema).reader === Reader.BinaryBytes;
}

/** zongji's zeroPad: the last `size` digits of `num`, zero-padded. */
const zeroPad = (num: number, size: number): string => {
  const s = '00000000000000000000000000000000' + num;
  return s.substr(s.length - size);
};
/**
 * Numbers and dates are written as ASCII into these bytes, not into strings: their text — the
 * one zongji's decode gives after valueText — is made only if the column's sample keeps the value.
 */
const SCRATCH = Buffer.alloc(64);
const SPACE = 32;
const COLON = 58;
const DOT = 46;
const DASH = 45;
const ZERO = 48;

/** Writes the last `width` decimal digits of a non-negative integer at `pos` (zongji's zeroPad); returns the end. */
function putDigits(pos: number, n: number, width: number): number {
  if (n < 0x80000000) {
    // Small integers (every date part, most column values): 32-bit integer arithmetic.
    for (let i = pos + width - 1; i >= pos; i--) {
      const q = (n / 10) | 0;
      SCRATCH[i] = ZERO + n - q * 10;
      n = q;
    }
    return pos + width;
  }
  for (let i = pos + width - 1; i >= pos; i--) {
    SCRATCH[i] = ZERO + (n % 10);
    n = Math.floor(n / 10);
  }
  return pos + width;
}

/** Writes String(v) of a safe integer at `pos`; returns the end. */
function putInt(pos: number, v: number): number {
  if (v < 0) {
    SCRATCH[pos++] = DASH;
    v = -v;
  }
  let width = 1;
  for (let limit = 10; v >= limit && width < 16; limit *= 10) width++;
  return putDigits(pos, v, width);
}

/** Writes zongji's date string `YYYY-MM-DD` (each part zero-padded, the year to its last four digits); returns the end. */
function putDate(year: number, month: number, day: number): number {
  let n = putDigits(0, year, 4);
  SCRATCH[n++] = DASH;
  n = putDigits(n, month, 2);
  SCRATCH[n++] = DASH;
  return putDigits(n, day, 2);
}

/** Writes an ASCII string at `pos`; returns the end. */
function putAscii(pos: number, text: string): number {
  for (let i = 0; i < text.length; i++) SCRATCH[pos++] = text.charCodeAt(i);
  return pos;
}

/** Offers the ASCII text written into SCRATCH[0, length) to an observer: pending if it takes pending values. */
function offerScratch(obs: ValueObserver, length: number): void {
  if (obs.observePending !== undefined) obs.observePending(PENDING.set(SCRATCH, 0, length));
  else obs.observe(utf8(SCRATCH, 0, length));
}

/** zongji's sliceBits. */
const sliceBits = (input: number, start: number, end: number): number => (input & (((1 << end) - 1) ^ ((1 << start) - 1))) >> start;

/** An unsigned little-endian integer of 1–4 bytes (lengths, integers), from the bytes. */
function uintLE(buf: Buffer, off: number, size: number): number {
  switch (size) {
    case 1: return buf[off];
    case 2: return buf[off] | (buf[off + 1] << 8);
    case 3: return buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16);
    case 4: return (buf[off] | (buf[off + 1] << 8) | (buf[off + 2] << 16)) + buf[off + 3] * 0x1000000;
    default: return buf.readUIntLE(off, size);
  }
}

function readIntBE(buf: Buffer, offset: number, length: number): number {
  switch (length) {
    case 1: return buf.readInt8(offset);
    case 2: return buf.readInt16BE(offset);
    case 3: { const v = buf.readUIntBE(offset, 3); return v & 0x800000 ? v - 0x1000000 : v; }
    default: return buf.readInt32BE(offset);
  }
}

/**
 * Reads one row image at the parser's offset: each present, non-null column's value to its
 * observer (or past it). Returns nothing; the parser's offset ends after the row.
 */
function readRowImage(parser: Parser, entry: ZongjiTableMapEntry, readers: ColumnReader[], bitmap: Buffer, present: number, observers: (ValueObserver | undefined)[] | undefined, zongji: unknown, readMysqlValue: ReadMysqlValue): void {
  const buf = parser._buffer;
  let off = parser._offset;
  const nullStart = off;
  off += (present + 7) >> 3;
  const columns = entry.columns;
  for (let i = 0, nullBit = 0; i < columns.length; i++) {
    if ((bitmap[i >> 3] & (1 << (i & 7))) === 0) continue;
    const isNull = (buf[nullStart + (nullBit >> 3)] & (1 << (nullBit & 7))) !== 0;
    nullBit++;
    if (isNull) continue;
    const rd = readers[i];
    const obs = observers?.[i];
    const wanted = obs !== undefined && !obs.binary;
    switch (rd.reader) {
      case Reader.Int: {
        let v = uintLE(buf, off, rd.size);
        off += rd.size;
        if (!wanted) break;
        if (!rd.unsigned && v >= 2 ** (rd.size * 8 - 1)) v -= 2 ** (rd.size * 8);
        offerScratch(obs, putInt(0, v));
        break;
      }
      case Reader.Utf8Text:
      case Reader.BinaryBytes: {
        const length = uintLE(buf, off, rd.size);
        off += rd.size;
        const start = off;
        off += length;
        if (!wanted) break;
        if (rd.reader === Reader.Utf8Text) {
          // A short value that starts with no blank (so is not blank: FieldSample's own test) need not become text.
          if (obs.observePending !== undefined && length > 0 && length <= MAX_VALUE_LENGTH && buf[start] > 32) {
            obs.observePending(PENDING.set(buf, start, off));
            break;
          }
          const text = utf8(buf, start, start + Math.min(length, MAX_VALUE_BYTES));
          obs.observe(text.length > MAX_VALUE_CHARS ? text.slice(0, MAX_VALUE_CHARS) : text);
        } else obs.observe(valueText(buf.subarray(start, off)));
        break;
      }
      case Reader.Date: {
        const raw = uintLE(buf, off, 3);
        off += 3;
        if (wanted) offerScratch(obs, putDate(sliceBits(raw, 9, 24), sliceBits(raw, 5, 9), sliceBits(raw, 0, 5)));
        break;
      }
      case Reader.DateTime2: {
        // Five big-endian bytes, read as zongji does: two overlapping signed 32-bit words.
        const high = (buf[off] << 24) | (buf[off + 1] << 16) | (buf[off + 2] << 8) | buf[off + 3];
        const low = (buf[off + 1] << 24) | (buf[off + 2] << 16) | (buf[off + 3] << 8) | buf[off + 4];
        off += 5;
        let fraction = 0;
        if (rd.decimals) {
          const bytes = Math.ceil(rd.decimals / 2);
          fraction = readIntBE(buf, off, bytes);
          off += bytes;
          if (rd.decimals % 2 !== 0) fraction /= 10;
          if (fraction < 0) fraction *= -1;
        }
        if (!wanted) break;
        const yearMonth = sliceBits(high, 14, 31);
        let n = putDate(Math.floor(yearMonth / 13), yearMonth % 13, sliceBits(low, 17, 22));
        SCRATCH[n++] = SPACE;
        n = putDigits(n, sliceBits(low, 12, 17), 2);
        SCRATCH[n++] = COLON;
        n = putDigits(n, sliceBits(low, 6, 12), 2);
        SCRATCH[n++] = COLON;
        n = putDigits(n, sliceBits(low, 0, 6), 2);
        if (rd.decimals) {
          SCRATCH[n++] = DOT;
          // zongji's zeroPad of the fraction: its last `decimals` digits (an integer from any valid row image).
          n = Number.isInteger(fraction) ? putDigits(n, fraction, rd.decimals) : putAscii(n, zeroPad(fraction, rd.decimals));
        }
        offerScratch(obs, n);
        break;
      }
      default: {
        parser._offset = off;
        const value = readMysqlValue(parser, columns[i], entry.columnSchemas[i], entry, zongji);
        off = parser._offset;
        if (wanted) obs.observe(valueText(value));
      }
    }
  }
  parser._offset = off;
}

/**
 * UTF-8 text of a byte range: Buffer#utf8Slice where Node has it (what toString('utf8', …) calls
 * after checking its arguments, which this module has already done), else toString.
 */
const utf8: (buf: Buffer, start: number, end: number) => string =
  typeof (Buffer.prototype as unknown as { utf8Slice?: unknown }).utf8Slice === 'function'
    ? (buf, start, end) => (buf as unknown as { utf8Slice(s: number, e: number): string }).utf8Slice(start, end)
    : (buf, start, end) => buf.toString('utf8', start, end);

/** Columns present in a row image (bits set in its bitmap): the size of its null bitmap follows. */
function bitsSet(bitmap: Buffer): number {
  let n = 0;
  for (let i = 0; i < bitmap.length; i++) for (let b = bitmap[i]; b; b >>= 1) n += b & 1;
  return n;
}

/** What one event's rows are read with, worked out before its first row. */
interface EventReading {
  plan: RowPlan;
  entry: ZongjiTableMapEntry;
  readers: ColumnReader[];
  present: number;
  present2: number;
}

function readersOf(entry: ZongjiTableMapEntry): ColumnReader[] {
  const cached = (entry as unknown as Record<symbol, ColumnReader[] | undefined>)[READERS];
  if (cached && cached.length === entry.columns.length) return cached;
  const readers = entry.columns.map((c, i) => columnReader(c, entry.columnSchemas[i]));
  (entry as unknown as Record<symbol, ColumnReader[]>)[READERS] = readers;
  return readers;
}

let installed: Promise<void> | undefined;

/**
 * Installs the hook into zongji's row events (once per process). zongji's module files are loaded
 * by path, the same module instances zongji itself uses.
 */
export function installRowDecoder(): Promise<void> {
  installed ??= (async () => {
    const root = dirname(createRequire(import.meta.url).resolve('@vlasky/zongji'));
    const load = (file: string) => import(pathToFileURL(join(root, 'lib', file)).href);
    const rows = (await load('rows_event.js')) as { WriteRows: { prototype: object }; UpdateRows: { prototype: object } };
    const common = (await load('common.js')) as { readMysqlValue: ReadMysqlValue };
    const readMysqlValue = common.readMysqlValue;
    type Fetch = (this: ZongjiRowsEvent & Record<symbol, EventReading | null | undefined>, parser: Parser) => unknown;
    const patch = (proto: { _fetchOneRow: Fetch }, twoImages: boolean) => {
      const zongjiFetch = proto._fetchOneRow;
      proto._fetchOneRow = function (parser) {
        let reading = this[PLAN];
        if (reading === undefined) {
          const sink = (this._zongji as Record<symbol, RowSink | undefined>)[ROW_SINK];
          const plan = sink?.(this);
          const entry = this.tableMap[this.tableId];
          reading = this[PLAN] = plan === undefined ? null : {
            plan,
            entry,
            readers: readersOf(entry),
            present: bitsSet(this.columns_present_bitmap),
            present2: twoImages ? bitsSet(this.columns_present_bitmap2!) : 0,
          };
        }
        if (reading === null) return zongjiFetch.call(this, parser);
        const { entry, readers, plan } = reading;
        if (twoImages) {
          // An update's before-image is read past; its after-image is observed.
          readRowImage(parser, entry, readers, this.columns_present_bitmap, reading.present, undefined, this._zongji, readMysqlValue);
          readRowImage(parser, entry, readers, this.columns_present_bitmap2!, reading.present2, plan.observers, this._zongji, readMysqlValue);
        } else readRowImage(parser, entry, readers, this.columns_present_bitmap, reading.present, plan.observers, this._zongji, readMysqlValue);
        return DECODED_ROW;
      };
    };
    // WriteRows and DeleteRows inherit RowsEvent's _fetchOneRow; UpdateRows has its own.
    patch(Object.getPrototypeOf(rows.WriteRows.prototype) as { _fetchOneRow: Fetch }, false);
    patch(rows.UpdateRows.prototype as { _fetchOneRow: Fetch }, true);
  })();
  return installed;
}
