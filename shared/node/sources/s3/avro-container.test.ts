import avro from 'avsc';
import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeObject } from './formats.js';

/**
 * Avro object container files written by avsc's own BlockEncoder (the reference JS writer), with a
 * schema as Kafka Connect's S3 sink writes Debezium records: a DATE as epoch days, a DECIMAL as bytes.
 */
const SCHEMA = {
  type: 'record', name: 'Value', namespace: 'shop.users', fields: [
    { name: 'id', type: 'long' },
    { name: 'email', type: ['null', 'string'] },
    { name: 'mobile', type: 'string' },
    { name: 'birth_date', type: { type: 'int', 'connect.name': 'io.debezium.time.Date' } },
    { name: 'balance', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
  ],
};
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({
  id: 1000 + i,
  email: i % 5 === 0 ? null : `user${i}@example.org`,
  mobile: `138${String(i).padStart(8, '0')}`,
  birth_date: 7305 + i, // 1990-01-01 + i days
  balance: Buffer.from([0x30, 0x39]), // 12345 unscaled → 123.45
}));

/** A snappy stream of literals only (valid snappy: a varint length, then literal elements of ≤ 60 bytes). */
function snappyLiterals(data: Buffer): Buffer {
  const out: number[] = [];
  let n = data.length;
  do { out.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0)); n >>>= 7; } while (n > 0);
  for (let i = 0; i < data.length; i += 60) {
    const chunk = data.subarray(i, i + 60);
    out.push((chunk.length - 1) << 2, ...chunk);
  }
  return Buffer.from(out);
}

const CODECS = {
  deflate: (buf: Buffer, cb: (e: Error | null, b?: Buffer) => void) => cb(null, deflateRawSync(buf)),
  snappy: (buf: Buffer, cb: (e: Error | null, b?: Buffer) => void) => {
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(buf) >>> 0);
    cb(null, Buffer.concat([snappyLiterals(buf), crc]));
  },
};

async function containerFile(n: number, codec: 'null' | 'deflate' | 'snappy' | 'xz', blockSize = 4096): Promise<Buffer> {
  // The schema itself (not a compiled Type), so the header keeps its attributes (connect.name) as Connect writes them.
  const encoder = new avro.streams.BlockEncoder(SCHEMA as never, { codec, blockSize, codecs: { ...CODECS, xz: CODECS.deflate, null: (b: Buffer, cb: (e: Error | null, b?: Buffer) => void) => cb(null, b) } } as never);
  const chunks: Buffer[] = [];
  encoder.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => encoder.on('end', resolve));
  for (const r of rows(n)) encoder.write(r);
  encoder.end();
  await done;
  return Buffer.concat(chunks);
}

describe('Avro object container files as S3 objects (avsc)', () => {
  it.each(['null', 'deflate', 'snappy'] as const)('reads records compressed with %s, logical types decoded before classifying', async (codec) => {
    const out = await decodeObject('topics/shop.users/partition=0/shop.users+0+0000000000.avro', await containerFile(20, codec), false, 1 << 20);
    expect(out.kind).toBe('parsed');
    if (out.kind !== 'parsed') return;
    expect(out.parsed.format).toBe('avro');
    expect(out.parsed.records).toHaveLength(20);
    // Longs are read as bigint (ids beyond 2^53 stay exact) and become digits, as in Kafka's Avro.
    expect(out.parsed.records[1]).toEqual({ id: '1001', email: 'user1@example.org', mobile: '13800000001', birth_date: '1990-01-02', balance: '123.45' });
    expect(out.parsed.records[0]).toMatchObject({ email: null });
  });

  it('finds an Avro file by its magic bytes under any name, and bounds the records read', async () => {
    const out = await decodeObject('export/part-0000', await containerFile(1500, 'deflate'), false, 1 << 22);
    expect(out.kind === 'parsed' && [out.parsed.format, out.parsed.records.length]).toEqual(['avro', 1000]);
  });

  it('keeps the whole blocks of a read cut at the size limit, and says so', async () => {
    const bytes = await containerFile(400, 'null', 1024);
    const out = await decodeObject('x.avro', bytes.subarray(0, Math.floor(bytes.length / 2)), true, 1 << 20);
    expect(out.kind).toBe('parsed');
    if (out.kind !== 'parsed') return;
    expect(out.parsed.records.length).toBeGreaterThan(50);
    expect(out.parsed.records.length).toBeLessThan(400);
    expect(out.parsed.problems.join()).toMatch(/read cut at the size limit/);
  });

  it('names a codec it cannot read, and a .avro that is not Avro, as bad data of that object', async () => {
    await expect(decodeObject('x.avro', await containerFile(5, 'xz'), false, 1 << 20)).rejects.toThrow(/codec xz.*null, deflate and snappy/);
    await expect(decodeObject('x.avro', Buffer.from('{"a":1}'), false, 1 << 20)).rejects.toThrow(/not an Avro object container file/);
  });
});
