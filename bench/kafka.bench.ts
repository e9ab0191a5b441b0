/**
 * Kafka source throughput on ~1 KB JSON messages holding PII (CN mobile, email, resident ID, name,
 * address): messages classified per second by the live capture against the test broker (real wire
 * protocol on 127.0.0.1: metadata, ListOffsets, group-less Fetch, decode, classify), and the same
 * decode + classify in-process without the network, so the two can be compared.
 * Then kcat (librdkafka, an independent C client) consumes the same topic from the same broker in the
 * same run: the anchor of the ratio (target: live sampling ≥ 0.5× kcat's messages per second), and the
 * sample asked for must be reached (100,000 of 100,000) or the bench fails.
 *   node --import tsx bench/kafka.bench.ts
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHmac, randomBytes } from 'node:crypto';
import { makePeople, type Person } from '../scripts/demo/synthetic-people.js';
import { collectCapture } from '../scripts/testing/capture-harness.js';
import { startKafkaBroker } from '../scripts/testing/kafka-broker/index.js';
import { kafkaSource } from '../shared/node/sources/kafka/index.js';
import { TopicProfile } from '../shared/node/sources/kafka/topic-profile.js';

const TOPIC = 'shop.orders.enriched';
const MESSAGES = Number(process.env.BENCH_KAFKA_MESSAGES ?? 100_000);
const PARTITIONS = 4;
/** Messages per produced record batch: ~100 KB, well under the source's 1 MB per-partition fetch cap. */
const BATCH = 100;
const TARGET_BYTES = 1024;
const FILLER = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore. ';

/** One order event of about 1 KB: a customer with PII, two line items, and a free-text note to fill up. */
function orderMessage(p: Person, i: number): Buffer {
  const event = {
    order_no: `SO${String(1_000_000 + i)}`,
    created_at: p.createdAt,
    customer: { id: p.id, name: p.name, mobile: p.phone, email: p.email, id_card: p.idCard, address: p.address },
    items: [{ sku: `SKU-${i % 97}`, qty: 1 + (i % 3), price_cents: 1999 + (i % 500) }, { sku: `SKU-${(i * 7) % 97}`, qty: 1, price_cents: 499 }],
    channel: ['app', 'web', 'mini-program'][i % 3],
    note: '',
  };
  const base = Buffer.byteLength(JSON.stringify(event));
  event.note = FILLER.repeat(Math.ceil(TARGET_BYTES / FILLER.length)).slice(0, Math.max(0, TARGET_BYTES - base));
  return Buffer.from(JSON.stringify(event));
}

const rate = (n: number, ms: number) => (n / ms) * 1000;
const mb = (bytes: number) => bytes / (1024 * 1024);

export async function run(): Promise<void> {
  const people = makePeople(MESSAGES);
  const values = people.map((p, i) => orderMessage(p, i));
  const keys = people.map((p) => Buffer.from(JSON.stringify({ order_no: `SO${String(1_000_000 + p.id - 1)}` })));
  const totalBytes = values.reduce((s, v) => s + v.length, 0);

  const broker = await startKafkaBroker({ topics: [{ name: TOPIC, partitions: PARTITIONS }] });
  try {
    // Round-robin over partitions in batches, as a keyed producer with many keys would spread them.
    for (let start = 0, batchNo = 0; start < MESSAGES; start += BATCH, batchNo++) {
      const msgs = values.slice(start, start + BATCH).map((value, j) => ({ key: keys[start + j], value }));
      broker.produce(TOPIC, batchNo % PARTITIONS, msgs);
    }
    console.log(`kafka: seeded ${MESSAGES.toLocaleString('en-US')} messages (${mb(totalBytes).toFixed(1)} MB, mean ${(totalBytes / MESSAGES).toFixed(0)} B) over ${PARTITIONS} partitions`);

    const config = (sampleMessages: number) => ({ name: 'bench', kind: 'kafka', region: 'cn-north-1', brokers: [broker.bootstrap], topics: [TOPIC], sampleMessages });
    await collectCapture(kafkaSource, config(200)); // warm-up: connections, JIT, recognizers

    const fetchedBefore = broker.requests.filter((r) => r.apiName === 'Fetch').reduce((s, r) => s + (r.responseBytes ?? 0), 0);
    const t0 = performance.now();
    const cap = await collectCapture(kafkaSource, config(MESSAGES));
    const liveMs = performance.now() - t0;
    if (cap.failures.length) throw new Error(`bench capture failed: ${JSON.stringify(cap.failures)}`);
    const topic = cap.records.find((r) => r.type === 'node' && r.node.kind === 'topic');
    const sampled = Number((topic?.type === 'node' ? topic.node.props?.sampled : 0) ?? 0);
    const fetched = broker.requests.filter((r) => r.apiName === 'Fetch').reduce((s, r) => s + (r.responseBytes ?? 0), 0) - fetchedBefore;
    const sampledBytes = (totalBytes / MESSAGES) * sampled;
    const livePii = cap.records.filter((r) => r.type === 'node' && (r.node.pii?.length ?? 0) > 0).length;
    // A figure for work not done is worse than none: the capture must have sampled and classified.
    if (sampled !== MESSAGES || livePii < 4) throw new Error(`live capture sampled ${sampled} messages and found ${livePii} PII fields: nothing worth timing`);
    console.log(`kafka live capture: ${sampled.toLocaleString('en-US')} messages sampled in ${liveMs.toFixed(0)} ms → ${rate(sampled, liveMs).toFixed(0)} messages/s, ${mb(rate(sampledBytes, liveMs)).toFixed(1)} MB/s of payload; ${livePii} PII fields; ${mb(fetched).toFixed(1)} MB fetched (${(fetched / sampledBytes).toFixed(1)}× the bytes sampled)`);

    // The same work without the network: decode every message into a profile, then classify its fields.
    const key = randomBytes(32);
    const ctx = { sourceName: 'bench', region: 'cn-north-1', fingerprint: (v: string) => createHmac('sha256', key).update(v, 'utf8').digest('hex') };
    const t1 = performance.now();
    const profile = new TopicProfile(TOPIC);
    for (let i = 0; i < MESSAGES; i++) await profile.add(keys[i], values[i]);
    const decodedMs = performance.now() - t1;
    const records = profile.toRecords(ctx, { partitions: PARTITIONS, messageCount: MESSAGES });
    const pureMs = performance.now() - t1;
    const piiFields = records.filter((r) => r.type === 'node' && (r.node.pii?.length ?? 0) > 0).length;
    if (piiFields !== livePii) throw new Error(`in-process run found ${piiFields} PII fields, the live capture ${livePii}: they did not do the same work`);
    console.log(`kafka in-process: decode ${rate(MESSAGES, decodedMs).toFixed(0)} messages/s; decode + classify ${MESSAGES.toLocaleString('en-US')} messages in ${pureMs.toFixed(0)} ms → ${rate(MESSAGES, pureMs).toFixed(0)} messages/s, ${mb(rate(totalBytes, pureMs)).toFixed(1)} MB/s (${piiFields} PII fields)`);
    // The anchor: kcat reading every message of the topic once, from the same broker, to the end.
    const t2 = performance.now();
    const { stdout } = await promisify(execFile)('kcat', ['-C', '-b', broker.bootstrap, '-t', TOPIC, '-e', '-q', '-f', '%o\n'], { maxBuffer: 64 * 1024 * 1024, timeout: 300_000 }).catch((err) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('kcat is not installed: apt-get install -y kcat');
      throw err;
    });
    const kcatMs = performance.now() - t2;
    const kcatMessages = stdout.split('\n').filter(Boolean).length;
    if (kcatMessages !== MESSAGES) throw new Error(`kcat read ${kcatMessages} of ${MESSAGES} messages`);
    console.log(`kcat (anchor): ${kcatMessages.toLocaleString('en-US')} messages in ${kcatMs.toFixed(0)} ms → ${rate(kcatMessages, kcatMs).toFixed(0)} messages/s`);
    console.log(`kafka: live sampling of ${sampled.toLocaleString('en-US')} of ${MESSAGES.toLocaleString('en-US')} messages (sample reached) runs at ${(rate(sampled, liveMs) / rate(kcatMessages, kcatMs)).toFixed(2)}× kcat's rate (target ≥ 0.5×)`);
    console.log(`kafka: the live capture runs at ${((rate(sampled, liveMs) / rate(MESSAGES, pureMs)) * 100).toFixed(0)}% of in-process speed (network, fetch decoding, record batches)`);
  } finally {
    await broker.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
