import { createRequire } from 'node:module';

/*
 * Our own decoding of a Fetch v4 response (https://kafka.apache.org/protocol#The_Messages_Fetch) and of
 * its record batches v2 (magic 2, https://kafka.apache.org/documentation/#recordbatch), straight from
 * the bytes kafkajs's connection hands over. kafkajs decodes the same bytes into an object per record
 * (offsets through its Long type, headers decoded, a thrown error to end every response at its
 * partial last batch); a sample reads every record once and needs only its offset, key and value, so
 * keys and values here are views into the response buffer, not copies.
 *
 * What this does not decode itself it hands to kafkajs 2.2.4's own decoders (internal modules, pinned
 * exactly in package.json): compressed batches (its codecs: gzip built in, others as registered) and
 * the old message sets (magic 0 and 1). Like kafkajs, CRCs are not checked.
 */
const require = createRequire(import.meta.url);
type KafkaJsDecoderInstance = { offset: number; canReadBytes(n: number): boolean };
const KafkaJsDecoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => KafkaJsDecoderInstance;
const decodeKafkaJsRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (d: KafkaJsDecoderInstance) => Promise<{
  records: { offset: string; key: Buffer | null; value: Buffer | null; isControlRecord?: boolean }[];
}>;
const decodeKafkaJsMessageSet = require('kafkajs/src/protocol/messageSet/decoder.js') as (d: KafkaJsDecoderInstance, size: number) => { offset: string; key: Buffer | null; value: Buffer | null }[];

/** One record of a fetched partition. */
export interface FetchedRecord {
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
}

export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  /** Records of data batches, in offset order; control batches (transaction markers) are left out. */
  records: FetchedRecord[];
}

export interface FetchResponse {
  throttleTime: number;
  responses: { topicName: string; partitions: FetchedPartition[] }[];
}

/** Bytes of a v2 batch before its records: baseOffset … recordCount (the batch length counts from partitionLeaderEpoch). */
const BATCH_HEADER_BYTES = 61;
const MAGIC_OFFSET = 16;
const COMPRESSION_MASK = 0x07;
const CONTROL_BATCH_FLAG = 0x20;

/** A cursor over a buffer, with the few readers the Fetch response needs. */
class Cursor {
  constructor(readonly b: Buffer, public i = 0) {}

  int16(): number {
    const v = this.b.readInt16BE(this.i);
    this.i += 2;
    return v;
  }

  int32(): number {
    const v = this.b.readInt32BE(this.i);
    this.i += 4;
    return v;
  }

  int64(): bigint {
    const v = this.b.readBigInt64BE(this.i);
    this.i += 8;
    return v;
  }

  string(): string {
    const n = this.int16();
    if (n < 0) return '';
    const s = this.b.toString('utf8', this.i, this.i + n);
    this.i += n;
    return s;
  }
}

/** Decodes a Fetch v4 response body (after the correlation id, as kafkajs's connection hands it to a decoder). */
export async function decodeFetchV4(payload: Buffer): Promise<FetchResponse> {
  const c = new Cursor(payload);
  const throttleTime = c.int32();
  const topicCount = c.int32();
  const responses: FetchResponse['responses'] = [];
  for (let t = 0; t < topicCount; t++) {
    const topicName = c.string();
    const partitionCount = c.int32();
    const partitions: FetchedPartition[] = [];
    for (let p = 0; p < partitionCount; p++) {
      const partition = c.int32();
      const errorCode = c.int16();
      const highWatermark = c.int64();
      const lastStableOffset = c.int64();
      const aborted = c.int32();
      // aborted_transactions: producer_id, first_offset (INT64 each); -1 is a null array.
      if (aborted > 0) c.i += aborted * 16;
      const size = c.int32();
      const start = c.i;
      const end = size > 0 ? Math.min(payload.length, start + size) : start;
      c.i = end;
      const records = size > 0 ? await decodeRecordSet(payload.subarray(start, end)) : [];
      partitions.push({ partition, errorCode, highWatermark, lastStableOffset, records });
    }
    responses.push({ topicName, partitions });
  }
  return { throttleTime, responses };
}

/**
 * The records of a partition's record set: whole batches only (a broker cuts the last one off at
 * the size asked for; its records are left for the next Fetch, as every client does).
 */
export async function decodeRecordSet(set: Buffer): Promise<FetchedRecord[]> {
  const records: FetchedRecord[] = [];
  if (set.length <= MAGIC_OFFSET) return records;
  if (set[MAGIC_OFFSET] !== 2) {
    // Magic 0/1: the message sets of brokers before 0.11 or of topics still in the old format.
    return decodeKafkaJsMessageSet(new KafkaJsDecoder(set), set.length).map((m) => ({ offset: BigInt(m.offset), key: m.key, value: m.value }));
  }
  let i = 0;
  while (i + BATCH_HEADER_BYTES <= set.length) {
    const baseOffset = set.readBigInt64BE(i);
    const batchLength = set.readInt32BE(i + 8);
    const batchEnd = i + 12 + batchLength;
    if (batchLength < BATCH_HEADER_BYTES - 12 || batchEnd > set.length) break;
    if (set[i + MAGIC_OFFSET] !== 2) throw new Error(`kafka record batch at offset ${baseOffset} has magic ${set[i + MAGIC_OFFSET]} after magic 2 batches`);
    const attributes = set.readInt16BE(i + 21);
    if ((attributes & CONTROL_BATCH_FLAG) === 0) {
      if ((attributes & COMPRESSION_MASK) !== 0) {
        // Compressed: kafkajs's codecs (it reads this one batch and no further).
        const batch = await decodeKafkaJsRecordBatch(new KafkaJsDecoder(set.subarray(i, batchEnd)));
        for (const r of batch.records) if (!r.isControlRecord) records.push({ offset: BigInt(r.offset), key: r.key, value: r.value });
      } else {
        readRecords(set, i + BATCH_HEADER_BYTES, batchEnd, baseOffset, set.readInt32BE(i + 57), records);
      }
    }
    i = batchEnd;
  }
  return records;
}

/** A zigzag varint (records use them for every length and delta). */
function varint(r: { b: Buffer; i: number }): number {
  // One byte (lengths under 64, small deltas) is the common case.
  const first = r.b[r.i];
  if (first < 0x80) {
    r.i++;
    return first & 1 ? -(first + 1) / 2 : first / 2;
  }
  let shift = 0;
  let raw = 0;
  for (;;) {
    if (r.i >= r.b.length) throw new Error('kafka record batch: a varint runs past the batch');
    const byte = r.b[r.i++];
    raw += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
    shift += 7;
    if (shift > 63) throw new Error('kafka record batch: a varint longer than 10 bytes');
  }
  // Zigzag: even → raw/2, odd → −(raw+1)/2 (arithmetic, not bitwise: a varlong exceeds 32 bits).
  return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
}

/** Reads `count` records of an uncompressed batch between `start` and `end` into `out`. */
function readRecords(b: Buffer, start: number, end: number, baseOffset: bigint, count: number, out: FetchedRecord[]): void {
  const r = { b, i: start };
  for (let n = 0; n < count; n++) {
    const length = varint(r);
    const recordEnd = r.i + length;
    if (length < 0 || recordEnd > end) throw new Error(`kafka record batch at offset ${baseOffset}: record ${n} runs past its batch`);
    r.i++; // attributes (unused)
    varint(r); // timestamp delta
    const offsetDelta = varint(r);
    const keyLength = varint(r);
    const key = keyLength < 0 ? null : b.subarray(r.i, (r.i += keyLength));
    const valueLength = varint(r);
    const value = valueLength < 0 ? null : b.subarray(r.i, (r.i += valueLength));
    if (r.i > recordEnd) throw new Error(`kafka record batch at offset ${baseOffset}: record ${n} is longer than its length`);
    // Headers are not sampled: step over them to the record's end.
    r.i = recordEnd;
    out.push({ offset: baseOffset + BigInt(offsetDelta), key, value });
  }
}
