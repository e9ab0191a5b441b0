import { Readable } from 'node:stream';
import { inflateRawSync } from 'node:zlib';
import { AppError } from '../../../core/api/errors.js';
import { decodeAvroValue } from '../../../core/pii/index.js';
import { bigLongType } from '../avro-big-long.js';

/** Records read from one Avro object container file: enough for a prevalence, bounded work on a huge file. */
export const MAX_AVRO_RECORDS = 1000;
const MAX_DEPTH = 32;

/** Avro object container files start with "Obj" 0x01 (Avro specification, "Object Container Files"). */
export const isAvroContainer = (b: Uint8Array): boolean => b.length >= 4 && b[0] === 0x4f && b[1] === 0x62 && b[2] === 0x6a && b[3] === 0x01;

type Callback = (err: Error | null, out?: Buffer) => void;

/**
 * The block codecs of the specification that writers use (Kafka Connect's S3 sink: null, deflate,
 * snappy; Spark: snappy). Snappy blocks carry a 4-byte CRC32 of the uncompressed data after the
 * compressed bytes (specification); hyparquet's pure-JS snappy decompresses them.
 */
async function codecs(): Promise<Record<string, (buf: Buffer, cb: Callback) => void>> {
  const { snappyUncompress } = await import('hyparquet');
  return {
    null: (buf, cb) => cb(null, buf),
    deflate: (buf, cb) => {
      try {
        cb(null, inflateRawSync(buf));
      } catch (err) {
        cb(err as Error);
      }
    },
    snappy: (buf, cb) => {
      try {
        const body = buf.subarray(0, buf.length - 4);
        let length = 0;
        for (let i = 0, shift = 0; i < body.length && i < 5; i++, shift += 7) {
          length |= (body[i] & 0x7f) << shift;
          if (body[i] < 0x80) break;
        }
        const out = new Uint8Array(length);
        snappyUncompress(body, out);
        cb(null, Buffer.from(out.buffer, out.byteOffset, out.byteLength));
      } catch (err) {
        cb(err as Error);
      }
    },
  };
}

/** avsc values → JSON-like values (bigints as digits, bytes dropped: not text, never guessed at). */
function plain(v: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH) return null;
  if (typeof v === 'bigint') return v.toString();
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return null;
  if (Array.isArray(v)) return v.map((x) => plain(x, depth + 1));
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x, depth + 1)]));
  return v;
}

/**
 * Reads the first MAX_AVRO_RECORDS records of an Avro object container file with avsc, decoding
 * logical types from the file's own schema before classifying (dates, timestamps, decimals, Connect
 * and Debezium types: see shared/core/pii/logical-types.ts). A read cut at the size limit keeps
 * the records of the blocks it holds whole, and says so.
 */
export async function parseAvroContainer(bytes: Uint8Array, truncated: boolean): Promise<{ records: unknown[]; problems: string[] }> {
  const avro = (await import('avsc')).default;
  const bigLong = bigLongType(avro);
  let schema: unknown;
  const decoder = new avro.streams.BlockDecoder({
    codecs: await codecs(),
    parseHook: (s: unknown) => {
      schema = s;
      return avro.Type.forSchema(s as never, { registry: { long: bigLong } }) as never;
    },
  });
  const records: unknown[] = [];
  const problems: string[] = [];
  await new Promise<void>((resolve) => {
    let done = false;
    const finish = () => {
      if (!done) {
        done = true;
        resolve();
      }
    };
    decoder.on('data', (r: unknown) => {
      if (records.length < MAX_AVRO_RECORDS) records.push(plain(decodeAvroValue(schema, r)));
      if (records.length >= MAX_AVRO_RECORDS) {
        decoder.destroy();
        finish();
      }
    });
    decoder.on('error', (err: Error) => {
      // A cut-off read ends inside a block: what came before it is whole.
      if (!(truncated && records.length > 0)) problems.push(err.message);
      finish();
    });
    decoder.on('end', finish);
    decoder.on('close', finish);
    Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]).pipe(decoder);
  });
  if (records.length === 0 && problems.length > 0) {
    const codec = /unknown codec: (\S+)/.exec(problems[0])?.[1];
    throw new AppError('SOURCE_BAD_DATA', codec
      ? `Avro container file compressed with codec ${codec}, which Driftline does not read (null, deflate and snappy are read) — rewrite the object with one of them`
      : `Avro container file could not be read (${problems[0].slice(0, 160)}) — a corrupt or cut-off file`);
  }
  if (truncated) problems.push(`read cut at the size limit: ${records.length} record${records.length === 1 ? '' : 's'} of the whole blocks before it were sampled`);
  return { records, problems };
}
