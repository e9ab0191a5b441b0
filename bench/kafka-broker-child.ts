// The test Kafka broker for bench/kafka.bench.ts in a process of its own, so that its encoding and
// CRC work is not counted against the capture it serves (nor against kcat): started with fork() and
// the message count as argument, it seeds the bench topic and answers over IPC —
//   → { type: 'ready', bootstrap, totalBytes }  once listening with the topic seeded
//   ← 'stats'  → { type: 'stats', fetchBytes, cpuSeconds }  Fetch response bytes so far, its own CPU
//   ← 'close'  closes the broker and exits.
import { startKafkaBroker } from '../scripts/testing/kafka-broker/index.js';
import { BATCH, PARTITIONS, TOPIC, orderMessages } from './kafka-messages.js';

if (!process.send) throw new Error('kafka-broker-child: start it with fork() (it answers over IPC)');
const send = (message: object) => process.send!(message);
const count = Number(process.argv[2]);
if (!Number.isInteger(count) || count < 1) throw new Error(`kafka-broker-child: message count "${process.argv[2]}" is not a positive integer`);

const { keys, values, totalBytes } = orderMessages(count);
const broker = await startKafkaBroker({ topics: [{ name: TOPIC, partitions: PARTITIONS }] });
// Round-robin over partitions in batches, as a keyed producer with many keys would spread them.
for (let start = 0, batchNo = 0; start < count; start += BATCH, batchNo++) {
  broker.produce(TOPIC, batchNo % PARTITIONS, values.slice(start, start + BATCH).map((value, j) => ({ key: keys[start + j], value })));
}

process.on('message', (command) => {
  if (command === 'stats') {
    const fetchBytes = broker.requests.filter((r) => r.apiName === 'Fetch').reduce((s, r) => s + (r.responseBytes ?? 0), 0);
    const cpu = process.cpuUsage();
    send({ type: 'stats', fetchBytes, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
  } else if (command === 'close') {
    void broker.close().then(() => process.exit(0));
  }
});
// The parent going away (a failed bench) must not leave a broker behind.
process.on('disconnect', () => void broker.close().then(() => process.exit(0)));
send({ type: 'ready', bootstrap: broker.bootstrap, totalBytes });
