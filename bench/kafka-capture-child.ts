// The Kafka source's live capture for bench/kafka.bench.ts in a process of its own, against the
// broker child: a warm-up capture (connections, JIT, recognizers), then one capture sampling the
// whole topic, timed by wall clock and by this process's CPU (process.cpuUsage around the capture
// alone, and the whole process with module loading). Started with fork(): after the warm-up it sends
// { type: 'warm' } and waits for 'go' (so the parent can read the broker's counters between the two),
// then sends { type: 'result', … }.   argv: <bootstrap> <topic> <messages> [warm-up messages]
import { collectCapture } from '../scripts/testing/capture-harness.js';
import { kafkaSource } from '../shared/node/sources/kafka/index.js';

const [bootstrap, topic, messagesArg, warmUpArg = '200'] = process.argv.slice(2);
const messages = Number(messagesArg);
const config = (sampleMessages: number) => ({ name: 'bench', kind: 'kafka', region: 'cn-north-1', brokers: [bootstrap], topics: [topic], sampleMessages });
const seconds = (cpu: NodeJS.CpuUsage) => (cpu.user + cpu.system) / 1e6;

if (!process.send) throw new Error('kafka-capture-child: start it with fork() (it reports over IPC)');
const send = (message: object) => process.send!(message);
if (Number(warmUpArg) > 0) await collectCapture(kafkaSource, config(Number(warmUpArg)));
await new Promise<void>((resolve) => {
  process.once('message', () => resolve());
  send({ type: 'warm' });
});
const cpuBefore = process.cpuUsage();
const t0 = performance.now();
const cap = await collectCapture(kafkaSource, config(messages));
const wallMs = performance.now() - t0;
const cpuSeconds = seconds(process.cpuUsage(cpuBefore));
const topicNode = cap.records.find((r) => r.type === 'node' && r.node.kind === 'topic');
const sampled = Number((topicNode?.type === 'node' ? topicNode.node.props?.sampled : 0) ?? 0);
// Messages decoded whole for classification (the rest counted and read for identifying fields only).
const profiled = Number((topicNode?.type === 'node' ? (topicNode.node.props?.profiled ?? topicNode.node.props?.sampled) : 0) ?? 0);
const piiFields = cap.records.filter((r) => r.type === 'node' && (r.node.pii?.length ?? 0) > 0).length;
send({ type: 'result', failures: cap.failures.map((f) => `${f.item}: ${(f.error as Error)?.message ?? String(f.error)}`), sampled, profiled, piiFields, wallMs, cpuSeconds, processCpuSeconds: seconds(process.cpuUsage()) });
process.disconnect();
