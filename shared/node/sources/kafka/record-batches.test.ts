import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type TestKafkaBroker } from '../../../../scripts/testing/kafka-broker/index.js';
import { encodeRecordBatch } from '../../../../scripts/testing/kafka-broker/record-batch.js';
import { GrouplessFetcher } from './groupless-fetch.js';
import { createKafkaClient } from './live-capture.js';
import { decodeRecordSet, type FetchedRecord } from './record-batches.js';

/**
 * Our Fetch v4 / record batch v2 decoding, on the wire against the test broker and proven against
 * kcat (librdkafka, an independent client) reading the same topic: the same messages, offsets, keys
 * and values, byte for byte.
 */
const TOPIC = 'wire.mixed';
const PARTITIONS = 3;

/** Messages that stress the decoder: null and empty keys and values, binary with newlines and NULs, unicode, a 300 KB value, varint lengths of 1–3 bytes. */
function messagesOf(partition: number, batch: number): { key: Buffer | null; value: Buffer | null }[] {
  return Array.from({ length: 37 + batch }, (_, i) => {
    const n = batch * 1000 + i;
    const key = i % 5 === 0 ? null : i % 7 === 0 ? Buffer.alloc(0) : Buffer.from(`k-${partition}-${n}`);
    const value = i % 11 === 0 ? null
      : i % 13 === 0 ? Buffer.alloc(0)
      : i % 3 === 0 ? Buffer.from([0, 10, 13, 255, n & 0xff, 10, 0, (n >> 8) & 0xff])
      : i % 3 === 1 ? Buffer.from(JSON.stringify({ n, name: '林超', note: 'é'.repeat(i * 9) }))
      : Buffer.alloc(60 + i * 131, 0x61 + (n % 26));
    return { key, value };
  });
}

let broker: TestKafkaBroker;
beforeAll(async () => {
  broker = await startKafkaBroker({ topics: [{ name: TOPIC, partitions: PARTITIONS }] });
  for (let p = 0; p < PARTITIONS; p++) {
    for (let b = 0; b < 8; b++) broker.produce(TOPIC, p, messagesOf(p, b));
    broker.produce(TOPIC, p, [{ key: 'big', value: Buffer.alloc(300 * 1024, 0x62 + p) }]);
    broker.produce(TOPIC, p, messagesOf(p, 9));
  }
}, 60_000);
afterAll(async () => { await broker?.close(); });

const line = (partition: number, r: { offset: bigint; key: Buffer | null; value: Buffer | null }) =>
  `${partition} ${r.offset} ${r.key === null ? 'NULL' : createHash('sha256').update(r.key).digest('hex')} ${r.value === null ? 'NULL' : createHash('sha256').update(r.value).digest('hex')}`;

/** Every message of the topic as kcat reads it: `-f '%p %o %K %S\n%k%s\n'` parsed by the lengths it prints. */
async function kcatLines(): Promise<string[]> {
  if (!existsSync('/usr/bin/kcat')) throw new Error('kcat is not installed: run `apt-get install -y kcat`');
  const { stdout } = await promisify(execFile)('/usr/bin/kcat', ['-C', '-b', broker.bootstrap, '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-f', '%p %o %K %S\n%k%s\n'], { encoding: 'buffer', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  const out: string[] = [];
  let i = 0;
  while (i < stdout.length) {
    const eol = stdout.indexOf(10, i);
    const [p, o, k, s] = stdout.toString('latin1', i, eol).split(' ').map(Number);
    i = eol + 1;
    const key = k < 0 ? null : stdout.subarray(i, (i += k));
    const value = s < 0 ? null : stdout.subarray(i, (i += s));
    expect(stdout[i++]).toBe(10);
    out.push(line(p, { offset: BigInt(o), key, value }));
  }
  return out.sort();
}

describe('our Fetch v4 and record batch v2 decoding', () => {
  it('reads the same messages as kcat, byte for byte (offsets, null/empty/binary keys and values), over small and full-size fetches', async () => {
    const client = createKafkaClient({ name: 'wire', kind: 'kafka', brokers: [broker.bootstrap] } as never, { log: { debug() {}, info() {}, warn() {}, error() {} } } as never);
    const admin = client.admin();
    await admin.connect();
    const fetcher = await GrouplessFetcher.open(client, [TOPIC]);
    try {
      const offsets = await admin.fetchTopicOffsets(TOPIC);
      for (const cap of [20_000, 1024 * 1024]) {
        const ours: string[] = [];
        for (const o of offsets) {
          let next = BigInt(o.low);
          const high = BigInt(o.high);
          for (let n = 0; next < high && n < 500; n++) {
            const res = await fetcher.fetchFrom(TOPIC, o.partition, next, cap);
            expect(res.errorCode).toBe(0);
            expect(res.highWatermark).toBe(high);
            const fresh = res.records.filter((r) => r.offset >= next);
            // A batch larger than a small cap comes back cut off: ask for it whole once.
            const got = fresh.length > 0 ? fresh : (await fetcher.fetchFrom(TOPIC, o.partition, next)).records.filter((r) => r.offset >= next);
            expect(got.length).toBeGreaterThan(0);
            for (const r of got) ours.push(line(o.partition, r));
            next = got[got.length - 1].offset + 1n;
          }
          expect(next).toBe(high);
        }
        expect(fetcher.leanFetches).toBeGreaterThan(0);
        const theirs = await kcatLines();
        expect(theirs.length).toBe(PARTITIONS * (8 * 37 + 28 + 1 + 46));
        expect(ours.sort()).toEqual(theirs);
      }
    } finally {
      await fetcher.close();
      await admin.disconnect();
    }
    // Read-only on the wire: no group, no commit, no produce.
    expect(new Set(broker.requests.filter((r) => r.clientId === 'driftline-audit').map((r) => r.apiName))).toEqual(new Set(['ApiVersions', 'Metadata', 'ListOffsets', 'Fetch']));
  }, 120_000);
});

describe('decodeRecordSet', () => {
  const require = createRequire(import.meta.url);
  const { RecordBatch: KafkaJsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0/index.js') as { RecordBatch: (o: object) => Promise<{ buffer: Buffer }> };
  const Long = require('kafkajs/src/utils/long.js') as { fromInt(n: number): unknown };
  const KafkaJsRecord = require('kafkajs/src/protocol/recordBatch/record/v0/index.js') as (o: object) => unknown;
  const stored = (offset: number, text: string) => ({ offset: BigInt(offset), timestamp: 1_700_000_000_000n, key: Buffer.from(`k${offset}`), value: Buffer.from(text), headers: [{ key: 'h', value: Buffer.from('v') }] });
  const plain = (r: FetchedRecord) => `${r.offset}:${r.key?.toString()}:${r.value?.toString()}`;

  it('reads plain and gzip batches, leaves out control batches and the cut-off last batch', async () => {
    const first = encodeRecordBatch([stored(0, 'a'), stored(1, 'b')]);
    const gzip = (await KafkaJsRecordBatch({
      compression: 1,
      firstOffset: Long.fromInt(2),
      lastOffsetDelta: 1,
      records: [0, 1].map((d) => KafkaJsRecord({ offsetDelta: d, timestampDelta: 0, key: Buffer.from(`k${2 + d}`), value: Buffer.from(`gz${d}`), headers: {} })),
    })).buffer;
    expect(gzip.readInt16BE(21) & 0x07).toBe(1);
    const control = Buffer.from(encodeRecordBatch([stored(4, 'marker')]));
    control.writeInt16BE(0x20 | 0x10, 21);
    const last = encodeRecordBatch([stored(5, 'e'), stored(6, 'f')]);
    const set = Buffer.concat([first, gzip, control, last]);
    expect((await decodeRecordSet(set)).map(plain)).toEqual(['0:k0:a', '1:k1:b', '2:k2:gz0', '3:k3:gz1', '5:k5:e', '6:k6:f']);
    // Cut anywhere inside the last batch (as a broker cuts at the size asked for): the whole batches before it only.
    for (const cut of [1, 12, 61, last.length - 1]) {
      expect((await decodeRecordSet(Buffer.concat([first, gzip, control, last.subarray(0, cut)]))).map(plain), `cut ${cut}`).toEqual(['0:k0:a', '1:k1:b', '2:k2:gz0', '3:k3:gz1']);
    }
  });

  it('names the batch when a record runs past it', async () => {
    const batch = Buffer.from(encodeRecordBatch([stored(7, 'x'.repeat(200))]));
    // The record's length varint (first byte after the 61-byte header) made larger than the batch.
    batch[61] = 0xfe;
    batch[62] = 0x7f;
    await expect(decodeRecordSet(batch)).rejects.toThrow(/record batch at offset 7: record 0 runs past its batch/);
  });
});
