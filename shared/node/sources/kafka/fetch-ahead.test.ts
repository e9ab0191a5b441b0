import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKafkaBroker, type TestKafkaBroker } from '../../../../scripts/testing/kafka-broker/index.js';
import { createLogger } from '../../log/logger.js';
import { kafkaSource } from './index.js';
import { FetchAhead } from './fetch-ahead.js';
import { GrouplessFetcher } from './groupless-fetch.js';
import { createKafkaClient } from './live-capture.js';

/**
 * The sampler asks for its next Fetch before it decodes the current answer (so the broker works
 * meanwhile): against the real wire protocol, a Fetch asked for ahead is the one used when it matches,
 * and a wrong guess costs one extra Fetch but never returns another offset's messages.
 */
const TOPIC = 'ahead';
let broker: TestKafkaBroker;
let fetcher: GrouplessFetcher;
beforeAll(async () => {
  broker = await startKafkaBroker({ topics: [{ name: TOPIC, partitions: 2 }] });
  for (const p of [0, 1]) broker.produce(TOPIC, p, Array.from({ length: 20 }, (_, i) => ({ key: null, value: Buffer.from(JSON.stringify({ p, i })) })));
  const config = kafkaSource.configSchema.parse({ name: 'ahead', kind: 'kafka', region: 'cn-north-1', brokers: [broker.bootstrap], topics: [TOPIC] });
  fetcher = await GrouplessFetcher.open(createKafkaClient(config, { log: createLogger('fetch-ahead-test'), signal: new AbortController().signal }), [TOPIC]);
});
afterAll(async () => {
  await fetcher?.close();
  await broker?.close();
});

const fetchCount = () => broker.requests.filter((r) => r.apiName === 'Fetch').length;
const values = (res: Awaited<ReturnType<FetchAhead['fetch']>>) => res.records.map((r) => JSON.parse(r.value!.toString()) as { p: number; i: number });

describe('FetchAhead', () => {
  it('sends the Fetch when asked ahead, and answers the matching request with it (no second Fetch)', async () => {
    const ahead = new FetchAhead(fetcher, TOPIC);
    const before = fetchCount();
    ahead.prefetch(1, 5n, 64 * 1024);
    const res = await ahead.fetch(1, 5n, 64 * 1024);
    expect(fetchCount() - before).toBe(1);
    expect(values(res).filter((v) => v.i >= 5)[0]).toEqual({ p: 1, i: 5 });
    expect(values(res).every((v) => v.p === 1)).toBe(true);
  });

  it('fetches anew when the request differs from the one asked ahead (partition, offset or cap)', async () => {
    const ahead = new FetchAhead(fetcher, TOPIC);
    const before = fetchCount();
    ahead.prefetch(0, 3n, 64 * 1024);
    const res = await ahead.fetch(1, 3n, 64 * 1024);
    expect(fetchCount() - before).toBe(2);
    expect(values(res).every((v) => v.p === 1)).toBe(true);
    ahead.prefetch(0, 3n, 64 * 1024);
    expect(values(await ahead.fetch(0, 4n, 64 * 1024)).filter((v) => v.i >= 4)[0]).toEqual({ p: 0, i: 4 });
    // Taken once: the same request again is a new Fetch.
    const n = fetchCount();
    ahead.prefetch(0, 7n, 64 * 1024);
    await ahead.fetch(0, 7n, 64 * 1024);
    await ahead.fetch(0, 7n, 64 * 1024);
    expect(fetchCount() - n).toBe(2);
  });
});
