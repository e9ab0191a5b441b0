import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { Kafka, logLevel, ConfigResourceTypes, type EachMessagePayload } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type TestKafkaBroker } from './index.js';

/*
 * The test broker is only worth something if real clients accept it: Debian's kcat (librdkafka,
 * an independent C implementation) and kafkajs. The broker runs in this process, so kcat must be
 * run asynchronously (execFileSync would block the broker's event loop).
 */
const run = promisify(execFile);
const KCAT = '/usr/bin/kcat';

async function kcat(args: string[]): Promise<string> {
  if (!existsSync(KCAT)) throw new Error('kcat is not installed: run `apt-get install -y kcat` (Debian) — the faithfulness test needs an independent Kafka client');
  const { stdout } = await run(KCAT, args, { timeout: 20_000 });
  return stdout;
}

const T0 = 1_700_000_000_000;
let broker: TestKafkaBroker;

beforeAll(async () => {
  broker = await startKafkaBroker({
    topics: [
      { name: 'orders', partitions: 3, configs: { 'retention.ms': '86400000', 'cleanup.policy': 'compact' } },
      { name: 'roundtrip', partitions: 1 },
    ],
  });
  broker.produce('orders', 0, [
    { key: 'k0', value: '{"id":1}', timestamp: T0 },
    { key: null, value: 'plain text', timestamp: T0 + 1 },
  ]);
  broker.produce('orders', 2, [{ key: 'k2', value: Buffer.from([0, 1, 2, 255]), headers: { trace: 'abc' }, timestamp: T0 + 2 }]);
});
afterAll(async () => broker?.close());

describe('kcat (librdkafka 2.0) against the test broker', () => {
  it('lists topics and partitions with -L -J', async () => {
    const meta = JSON.parse(await kcat(['-b', broker.bootstrap, '-L', '-J', '-m', '10']));
    const topics = Object.fromEntries(meta.topics.map((t: { topic: string; partitions: unknown[] }) => [t.topic, t.partitions.length]));
    expect(topics).toEqual({ orders: 3, roundtrip: 1 });
    expect(meta.brokers).toEqual([{ id: 1, name: broker.bootstrap }]);
  });

  it('consumes seeded messages with keys, values, offsets and timestamps (CRC32C checked)', async () => {
    const out = await kcat(['-b', broker.bootstrap, '-C', '-t', 'orders', '-o', 'beginning', '-e', '-J', '-X', 'check.crcs=true', '-m', '10']);
    const msgs = out.trim().split('\n').map((l) => JSON.parse(l)).sort((a, b) => a.partition - b.partition || a.offset - b.offset);
    expect(msgs.map((m) => [m.partition, m.offset, m.key, m.ts, m.tstype])).toEqual([
      [0, 0, 'k0', T0, 'create'],
      [0, 1, null, T0 + 1, 'create'],
      [2, 0, 'k2', T0 + 2, 'create'],
    ]);
    expect(msgs[0].payload).toBe('{"id":1}');
    expect(msgs[1].payload).toBe('plain text');
    expect(msgs[2].headers).toEqual(['trace', 'abc']);
    // librdkafka negotiated ApiVersions v3 → v0 fallback, then the v2 record format via Fetch v4.
    const seen = broker.requests.map((r) => `${r.apiName}v${r.version}`);
    expect(seen).toContain('ApiVersionsv3');
    expect(seen).toContain('ApiVersionsv0');
    expect(seen).toContain('Fetchv4');
  });
});

describe('kafkajs 2.2.4 against the test broker', () => {
  const kafka = () => new Kafka({ clientId: 'faithfulness', brokers: [broker.bootstrap], logLevel: logLevel.NOTHING, retry: { retries: 2 } });

  it('produces, and a consumer group reads the messages back and commits', async () => {
    const producer = kafka().producer();
    await producer.connect();
    await producer.send({ topic: 'roundtrip', messages: [{ key: 'a', value: 'one', timestamp: String(T0) }, { key: 'b', value: 'two', headers: { h: 'x' } }] });
    await producer.disconnect();

    const consumer = kafka().consumer({ groupId: 'faithful-group', sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 200 });
    const got: { key: string; value: string; offset: string; h?: string }[] = [];
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: 'roundtrip', fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('kafkajs consumer read nothing within 20 s')), 20_000);
        void consumer.run({
          eachMessage: async ({ message }: EachMessagePayload) => {
            got.push({ key: String(message.key), value: String(message.value), offset: message.offset, h: message.headers?.h?.toString() });
            if (got.length === 2) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    expect(got).toEqual([
      { key: 'a', value: 'one', offset: '0', h: undefined },
      { key: 'b', value: 'two', offset: '1', h: 'x' },
    ]);
    const names = new Set(broker.requests.filter((r) => r.clientId === 'faithfulness').map((r) => r.apiName));
    for (const api of ['Produce', 'FindCoordinator', 'JoinGroup', 'SyncGroup', 'OffsetFetch', 'Fetch', 'LeaveGroup']) expect(names).toContain(api);
    const admin = kafka().admin();
    await admin.connect();
    try {
      // The consumer committed what it read (on disconnect at the latest).
      expect(await admin.fetchOffsets({ groupId: 'faithful-group', topics: ['roundtrip'] })).toEqual([
        { topic: 'roundtrip', partitions: [{ partition: 0, offset: '2', metadata: null }] },
      ]);
      expect((await admin.listGroups()).groups).toContainEqual({ groupId: 'faithful-group', protocolType: 'consumer' });
    } finally {
      await admin.disconnect();
    }
  });

  it('admin lists topics, fetches offsets and describes configs', async () => {
    const admin = kafka().admin();
    await admin.connect();
    try {
      expect((await admin.listTopics()).sort()).toEqual(['orders', 'roundtrip']);
      const offsets = await admin.fetchTopicOffsets('orders');
      expect(offsets.sort((a, b) => a.partition - b.partition).map((o) => [o.partition, o.low, o.high])).toEqual([
        [0, '0', '2'],
        [1, '0', '0'],
        [2, '0', '1'],
      ]);
      const byTime = await admin.fetchTopicOffsetsByTimestamp('orders', T0 + 1);
      expect(byTime.find((o) => o.partition === 2)?.offset).toBe('0');
      const configs = await admin.describeConfigs({ resources: [{ type: ConfigResourceTypes.TOPIC, name: 'orders' }], includeSynonyms: false });
      const entries = Object.fromEntries(configs.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
      expect(entries).toMatchObject({ 'retention.ms': '86400000', 'cleanup.policy': 'compact', 'max.message.bytes': '1048588' });
      const meta = await admin.fetchTopicMetadata({ topics: ['orders'] });
      expect(meta.topics[0].partitions.map((p) => p.replicas)).toEqual([[1], [1], [1]]);
    } finally {
      await admin.disconnect();
    }
  });
});
