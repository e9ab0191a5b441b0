import { createRequire } from 'node:module';
import { zigZagVarint } from './wire.js';

/*
 * Record batches (magic 2) as https://kafka.apache.org/documentation/#recordbatch describes.
 * Encoding is our own so that a large value is copied once (Buffer.concat) rather than through
 * kafkajs's growing Encoder; the CRC32C and the decoding of produced batches (which may be
 * compressed) reuse kafkajs 2.2.4's internal modules — pinned exactly in package.json.
 */
const require = createRequire(import.meta.url);
const crc32C = require('kafkajs/src/protocol/recordBatch/crc32C/index.js') as (b: Buffer) => number;
const KafkaJsDecoder = require('kafkajs/src/protocol/decoder.js') as new (b: Buffer) => { canReadBytes(n: number): boolean };
const decodeKafkaJsRecordBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder.js') as (d: unknown) => Promise<{
  records: { key: Buffer | null; value: Buffer | null; timestamp: string; headers: Record<string, Buffer | Buffer[]> }[];
}>;

export interface StoredRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer }[];
}

function varintBytes(b: Buffer | null): Buffer[] {
  return b === null ? [zigZagVarint(-1)] : [zigZagVarint(b.length), b];
}

function encodeRecord(r: StoredRecord, baseOffset: bigint, baseTimestamp: bigint): Buffer[] {
  const body: Buffer[] = [
    Buffer.from([0]), // attributes: unused
    zigZagVarint(r.timestamp - baseTimestamp),
    zigZagVarint(r.offset - baseOffset),
    ...varintBytes(r.key),
    ...varintBytes(r.value),
    zigZagVarint(r.headers.length),
    ...r.headers.flatMap((h) => [...varintBytes(Buffer.from(h.key)), ...varintBytes(h.value)]),
  ];
  const size = body.reduce((n, b) => n + b.length, 0);
  return [zigZagVarint(size), ...body];
}

/** One uncompressed, non-transactional batch holding `records` (consecutive offsets). */
export function encodeRecordBatch(records: StoredRecord[]): Buffer {
  if (records.length === 0) throw new Error('a record batch needs at least one record');
  const base = records[0];
  const last = records[records.length - 1];
  const maxTs = records.reduce((m, r) => (r.timestamp > m ? r.timestamp : m), base.timestamp);
  const head = Buffer.alloc(2 + 4 + 8 + 8 + 8 + 2 + 4 + 4);
  let o = 0;
  o = head.writeInt16BE(0, o); // attributes: no compression, CreateTime, not transactional
  o = head.writeInt32BE(Number(last.offset - base.offset), o); // lastOffsetDelta
  o = head.writeBigInt64BE(base.timestamp, o);
  o = head.writeBigInt64BE(maxTs, o);
  o = head.writeBigInt64BE(-1n, o); // producerId
  o = head.writeInt16BE(-1, o); // producerEpoch
  o = head.writeInt32BE(-1, o); // baseSequence
  head.writeInt32BE(records.length, o);
  const crcBody = Buffer.concat([head, ...records.flatMap((r) => encodeRecord(r, base.offset, base.timestamp))]);
  const prefix = Buffer.alloc(8 + 4 + 4 + 1 + 4);
  prefix.writeBigInt64BE(base.offset, 0);
  prefix.writeInt32BE(4 + 1 + 4 + crcBody.length, 8); // batchLength counts from partitionLeaderEpoch on
  prefix.writeInt32BE(0, 12); // partitionLeaderEpoch
  prefix.writeInt8(2, 16); // magic
  prefix.writeUInt32BE(crc32C(crcBody), 17);
  return Buffer.concat([prefix, crcBody]);
}

/** Decodes the record batches of a Produce request's record set into key/value/headers/timestamp. */
export async function decodeProducedRecords(recordSet: Buffer): Promise<Omit<StoredRecord, 'offset'>[]> {
  const decoder = new KafkaJsDecoder(recordSet);
  const out: Omit<StoredRecord, 'offset'>[] = [];
  // 61 bytes = the fixed part of a batch; anything shorter is not a batch.
  while (decoder.canReadBytes(61)) {
    const batch = await decodeKafkaJsRecordBatch(decoder);
    for (const r of batch.records) {
      const headers = Object.entries(r.headers ?? {}).flatMap(([key, v]) => (Array.isArray(v) ? v : [v]).map((value) => ({ key, value })));
      out.push({ key: r.key, value: r.value, timestamp: BigInt(r.timestamp), headers });
    }
  }
  return out;
}
