import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectCapture } from '../../../../scripts/testing/capture-harness.js';
import { startKafkaBroker, type TestKafkaBroker } from '../../../../scripts/testing/kafka-broker/index.js';
import { kafkaSource } from './index.js';
import { PROFILED_MESSAGES } from './live-capture.js';
import { TopicProfile } from './topic-profile.js';

/**
 * Issue 11: the sampler reaches the configured sample, or says per partition why not. A window of the
 * plan holds more than one Fetch can bring (1 MiB): it must keep fetching, not stop at the first answer.
 */
const TOPIC = 'orders.big';
const PARTITIONS = 2;
const PER_PARTITION = 6_000;
// ~2 KB messages: a window of the plan (600 messages) is more than one 1 MiB fetch.
const FILLER = 'x'.repeat(2000);

let broker: TestKafkaBroker;
beforeAll(async () => {
  broker = await startKafkaBroker({ topics: [{ name: TOPIC, partitions: PARTITIONS }, { name: 'small', partitions: 1 }, { name: 'holey', partitions: 1 }] });
  for (let p = 0; p < PARTITIONS; p++) {
    for (let start = 0; start < PER_PARTITION; start += 200) {
      broker.produce(TOPIC, p, Array.from({ length: 200 }, (_, i) => ({ key: null, value: Buffer.from(JSON.stringify({ n: start + i, email: `u${p}-${start + i}@example.com`, note: FILLER })) })));
    }
  }
  broker.produce('small', 0, Array.from({ length: 40 }, (_, i) => ({ key: null, value: Buffer.from(JSON.stringify({ email: `s${i}@example.com` })) })));
  // One batch of 3 MB in the middle of a partition: it cannot be fetched under the 1 MiB cap.
  broker.produce('holey', 0, Array.from({ length: 50 }, (_, i) => ({ key: null, value: Buffer.from(JSON.stringify({ email: `h${i}@example.com` })) })));
  broker.produce('holey', 0, [{ key: null, value: Buffer.from(JSON.stringify({ blob: 'y'.repeat(3 * 1024 * 1024) })) }]);
  broker.produce('holey', 0, Array.from({ length: 50 }, (_, i) => ({ key: null, value: Buffer.from(JSON.stringify({ email: `k${i}@example.com` })) })));
}, 60_000);
afterAll(async () => { await broker?.close(); });

const config = (topics: string[], sampleMessages: number) => ({ name: 'events', kind: 'kafka', region: 'cn-north-1', brokers: [broker.bootstrap], topics, sampleMessages });
const topicNode = (records: Awaited<ReturnType<typeof collectCapture>>['records'], name: string) =>
  records.flatMap((r) => (r.type === 'node' && r.node.kind === 'topic' && r.node.name === name ? [r.node] : [])).pop()!;

describe('kafka sampling completeness', () => {
  it('reads the whole sample asked for when windows hold more than one fetch can bring', async () => {
    const out = await collectCapture(kafkaSource, config([TOPIC], PARTITIONS * PER_PARTITION));
    const node = topicNode(out.records, TOPIC);
    expect(node.props!.sampled).toBe(PARTITIONS * PER_PARTITION);
    // Every message read and counted; one in three (12 000 / PROFILED_MESSAGES) decoded whole and classified, stratified over partitions and windows.
    expect(node.props!.sampling).toEqual({ requested: PARTITIONS * PER_PARTITION, retained: PARTITIONS * PER_PARTITION, partitions: [0, 1].map((partition) => ({ partition, planned: PER_PARTITION, read: PER_PARTITION })), profiled: PROFILED_MESSAGES });
    expect(node.props!.profiled).toBe(PROFILED_MESSAGES);
    const email = out.records.find((r) => r.type === 'node' && r.node.name === 'email');
    expect(email?.type === 'node' && email.node.pii?.map((p) => p.entity)).toEqual(['EMAIL']);
    expect(email?.type === 'node' && email.node.props?.sampled).toBe(2000);
    // Lineage still sees every message: the same fingerprints as profiling all 12 000 in full.
    const whole = new TopicProfile(TOPIC);
    for (let p = 0; p < PARTITIONS; p++) for (let n = 0; n < PER_PARTITION; n++) await whole.add(null, Buffer.from(JSON.stringify({ n, email: `u${p}-${n}@example.com`, note: FILLER })), p);
    const expected = whole.toRecords({ sourceName: 'events', region: 'cn-north-1', fingerprint: out.fingerprint }, { partitions: PARTITIONS, messageCount: PARTITIONS * PER_PARTITION })
      .find((r) => r.type === 'node' && r.node.name === 'email');
    expect(email?.type === 'node' && email.node.props?.fingerprints).toEqual(expected?.type === 'node' && expected.node.props?.fingerprints);
    expect(email?.type === 'node' ? (email.node.props?.fingerprints as string[]).length : 0).toBe(50);
    expect(out.warnings.filter((w) => w.item === `kafka://events/${TOPIC}`)).toEqual([]);
  }, 60_000);

  it('samples all of a topic that retains fewer messages than asked for, and says so on the topic', async () => {
    const out = await collectCapture(kafkaSource, config(['small'], 1000));
    const node = topicNode(out.records, 'small');
    expect(node.props!.sampled).toBe(40);
    expect(node.props!.sampling).toEqual({ requested: 1000, retained: 40, partitions: [{ partition: 0, planned: 40, read: 40 }] });
    expect(out.warnings).toEqual([]);
  });

  it('explains a shortfall per partition: an oversize batch', async () => {
    const out = await collectCapture(kafkaSource, config(['holey'], 101));
    const sampling = topicNode(out.records, 'holey').props!.sampling as { partitions: { planned: number; read: number; shortfall?: string }[] };
    expect(sampling.partitions[0].read).toBeLessThan(101);
    expect(sampling.partitions[0].shortfall).toMatch(/larger than 1048576 bytes/);
    expect(out.warnings).toContainEqual({ item: 'kafka://events/holey', message: expect.stringMatching(/^partition 0: sampled \d+ of the 101 messages planned — .*larger than 1048576 bytes/) });
  });
});
