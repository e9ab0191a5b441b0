import { createServer, type Socket } from 'node:net';
import { API, API_NAME_BY_KEY, type ApiName } from './api-keys.js';
import { HANDLERS, type BrokerState } from './handlers.js';
import { PartitionLog, newGroup, seedToRecord, type AclSpec, type GroupSpec, type SeedMessage, type TopicSpec } from './state.js';
import { WireReader, WireWriter } from './wire.js';

export type { AclSpec, GroupSpec, SeedMessage, TopicSpec } from './state.js';

/**
 * A single-node Kafka broker for tests: node:net on 127.0.0.1 speaking the real wire protocol
 * (https://kafka.apache.org/protocol) for the APIs in api-keys.ts, so that kafkajs and Debian's
 * kcat (librdkafka) can both talk to it. It records every request so tests can assert what a
 * client sent (e.g. that a read-only capture never joined a group, committed or produced).
 */
export interface RecordedRequest {
  apiKey: number;
  apiName: string;
  version: number;
  clientId: string | null;
  /** Size of the response frame, so tests can check how much a client was sent. */
  responseBytes?: number;
}

export interface KafkaBrokerOptions {
  topics?: TopicSpec[];
  groups?: GroupSpec[];
  /** ACL bindings; or how DescribeAcls fails: no authorizer (the default) or not authorized. */
  acls?: AclSpec[] | 'security-disabled' | 'unauthorized';
}

export interface TestKafkaBroker {
  host: string;
  port: number;
  /** "127.0.0.1:<port>" */
  bootstrap: string;
  requests: RecordedRequest[];
  /** Appends messages to a partition as one record batch; returns the first offset. */
  produce(topic: string, partition: number, messages: SeedMessage[]): bigint;
  close(): Promise<void>;
}

/** Largest request frame accepted; bigger ones close the connection (as socket.request.max.bytes does). */
const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

export async function startKafkaBroker(opts: KafkaBrokerOptions = {}): Promise<TestKafkaBroker> {
  const sockets = new Set<Socket>();
  const timers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  const requests: RecordedRequest[] = [];
  const state: BrokerState = {
    nodeId: 1,
    host: '127.0.0.1',
    port: 0,
    clusterId: 'driftline-test-cluster',
    topics: new Map(),
    groups: new Map(),
    acls: opts.acls ?? 'security-disabled',
    wait: (ms) =>
      new Promise<void>((resolve) => {
        const entry = { timer: setTimeout(() => done(), ms), resolve: () => done() };
        const done = () => {
          clearTimeout(entry.timer);
          timers.delete(entry);
          resolve();
        };
        timers.add(entry);
      }),
  };
  for (const t of opts.topics ?? []) {
    if (t.partitions < 1) throw new Error(`test broker: topic ${t.name} needs at least one partition`);
    state.topics.set(t.name, { name: t.name, partitions: Array.from({ length: t.partitions }, () => new PartitionLog()), configs: { ...t.configs } });
  }
  for (const g of opts.groups ?? []) {
    const group = newGroup(g.groupId, g.protocolType);
    for (const o of g.offsets) group.offsets.set(`${o.topic}:${o.partition}`, { topic: o.topic, partition: o.partition, offset: BigInt(o.offset), metadata: null });
    state.groups.set(g.groupId, group);
  }

  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    let queue = Promise.resolve();
    socket.on('data', (chunk) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      while (pending.length >= 4) {
        const size = pending.readInt32BE(0);
        if (size < 0 || size > MAX_REQUEST_BYTES) {
          socket.destroy();
          return;
        }
        if (pending.length < 4 + size) break;
        const frame = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        // Kafka answers a connection's requests in order: handle them one at a time.
        queue = queue.then(() => handleFrame(socket, frame)).catch(() => void socket.destroy());
      }
    });
  });

  async function handleFrame(socket: Socket, frame: Buffer): Promise<void> {
    const r = new WireReader(frame);
    const apiKey = r.int16();
    const version = r.int16();
    const correlationId = r.int32();
    const clientId = r.string();
    const apiName: ApiName | undefined = API_NAME_BY_KEY.get(apiKey);
    const entry: RecordedRequest = { apiKey, apiName: apiName ?? `unknown(${apiKey})`, version, clientId };
    requests.push(entry);
    const spec = apiName ? API[apiName] : undefined;
    // ApiVersions is answered at any version (KIP-511); other unsupported requests close the
    // connection, as a real broker does.
    if (!apiName || !spec || (apiName !== 'ApiVersions' && (version < spec.min || version > spec.max))) {
      socket.destroy();
      return;
    }
    const w = new WireWriter().int32(0).int32(correlationId); // size placeholder, header v0
    await HANDLERS[apiName](r, w, { state, apiVersion: version, clientId, clientHost: socket.remoteAddress ?? '' });
    const out = w.toBuffer();
    out.writeInt32BE(out.length - 4, 0);
    entry.responseBytes = out.length;
    if (!socket.destroyed) socket.write(out);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('test broker: no TCP address');
  state.port = address.port;

  return {
    host: state.host,
    port: state.port,
    bootstrap: `${state.host}:${state.port}`,
    requests,
    produce(topic, partition, messages) {
      const log = state.topics.get(topic)?.partitions[partition];
      if (!log) throw new Error(`test broker: no partition ${topic}/${partition}`);
      return log.append(messages.map(seedToRecord));
    },
    async close() {
      for (const t of [...timers]) t.resolve();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
