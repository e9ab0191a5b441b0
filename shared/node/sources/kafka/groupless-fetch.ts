import { createRequire } from 'node:module';
import type { Kafka } from 'kafkajs';
import { FETCH_MAX_BYTES, PARTITION_MAX_BYTES } from './config.js';
import { decodeFetchV4, type FetchedRecord, type FetchResponse } from './record-batches.js';

export type { FetchedRecord } from './record-batches.js';

/*
 * Reading messages WITHOUT a consumer group. An auditor's capture must leave no trace on the
 * cluster (DESIGN.md "Sources: read-only"): no JoinGroup/SyncGroup/Heartbeat, no OffsetCommit.
 * kafkajs's public consumer always joins a group (it has no assign()), so we use its *private*
 * cluster and broker objects: the Cluster that Kafka#producer/consumer/admin build internally,
 * and Broker#fetch, which sends a plain Fetch request (https://kafka.apache.org/protocol#The_Messages_Fetch).
 * This is why package.json pins kafkajs exactly (2.2.4): the private names below are checked at
 * runtime and the test broker (scripts/testing/kafka-broker) covers the whole path, asserting
 * that the broker saw only ApiVersions, Metadata, ListOffsets and Fetch.
 *
 * The Fetch itself is ours where the broker speaks Fetch v4 (every broker since 0.11; Kafka 4.0 keeps
 * v4 as its oldest): kafkajs's v4 request encoder and connection (correlation, queueing, SASL, TLS),
 * and our response decoder (record-batches.ts), which leaves out kafkajs's object per record. A
 * broker without v4 is read through kafkajs's Broker#fetch as before.
 */
const require = createRequire(import.meta.url);
const FETCH_API_KEY = 1;
const FETCH_V4 = 4;
const OFFSET_OUT_OF_RANGE = 1;
const fetchV4Request = require('kafkajs/src/protocol/requests/fetch/v4/request.js') as (req: {
  replicaId: number;
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
}) => unknown;
const { createErrorFromCode } = require('kafkajs/src/protocol/error.js') as { createErrorFromCode(code: number): Error };
const SEND_REQUEST = 'private:Broker:sendRequest';
/** Fetch waits up to maxWaitTime at the broker: the request may take that much longer than others (as kafkajs adds). */
const NETWORK_DELAY_MS = 100;

interface KafkaJsRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  isControlRecord?: boolean;
}

/** A protocol request as kafkajs's connection sends it: the request encoder and the response decoder. */
interface ProtocolRequest {
  request: unknown;
  response: { decode(payload: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
  requestTimeout?: number;
}

interface PrivateBroker {
  /** ApiVersions as negotiated on connect: apiKey → the broker's range. */
  versions?: Record<number, { minVersion: number; maxVersion: number }>;
  fetch(req: {
    replicaId?: number;
    isolationLevel?: number;
    maxWaitTime?: number;
    minBytes?: number;
    maxBytes?: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: { partition: number; errorCode: number; highWatermark: string; messages: KafkaJsRecord[] }[] }[] }>;
}

interface PrivateCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addMultipleTargetTopics(topics: string[]): Promise<void>;
  findLeaderForPartitions(topic: string, partitions: number[]): Record<string, number[]>;
  findBroker(q: { nodeId: string }): Promise<PrivateBroker>;
}

const CREATE_CLUSTER = 'private:Kafka:createCluster';
const READ_COMMITTED = 1;

/** A group-less reader over kafkajs's private cluster; call `close()` when done. */
export class GrouplessFetcher {
  /** Fetches answered through our own decoding (record-batches.ts) rather than kafkajs's Broker#fetch. */
  leanFetches = 0;

  private constructor(private readonly cluster: PrivateCluster) {}

  static async open(kafka: Kafka, topics: string[]): Promise<GrouplessFetcher> {
    const sym = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER);
    const create = sym ? (kafka as unknown as Record<symbol, unknown>)[sym] : undefined;
    if (typeof create !== 'function') {
      throw new Error(`kafkajs internals changed (no ${CREATE_CLUSTER}): group-less sampling needs kafkajs 2.2.4 exactly`);
    }
    // allowAutoTopicCreation: false — a Metadata request must never create a topic on the cluster.
    const cluster = create({ metadataMaxAge: 300_000, allowAutoTopicCreation: false, maxInFlightRequests: null, instrumentationEmitter: null, isolationLevel: READ_COMMITTED }) as PrivateCluster;
    await cluster.connect();
    if (topics.length > 0) await cluster.addMultipleTargetTopics(topics);
    return new GrouplessFetcher(cluster);
  }

  /**
   * One Fetch of one partition from `offset`, capped at PARTITION_MAX_BYTES: a batch bigger than
   * the cap comes back cut off (or, per KIP-74, whole from a real broker when it is the first batch),
   * and kafkajs drops a partial batch — so an empty answer below the high watermark means "too big".
   */
  async fetchFrom(topic: string, partition: number, offset: bigint, partitionMaxBytes = PARTITION_MAX_BYTES): Promise<{ records: FetchedRecord[]; highWatermark: bigint; errorCode: number }> {
    const leaders = this.cluster.findLeaderForPartitions(topic, [partition]);
    const nodeId = Object.keys(leaders)[0];
    if (nodeId === undefined) throw new Error(`no leader for ${topic}/${partition}`);
    const broker = await this.cluster.findBroker({ nodeId });
    const request = {
      replicaId: -1,
      isolationLevel: READ_COMMITTED,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: FETCH_MAX_BYTES,
      topics: [{ topic, partitions: [{ partition, fetchOffset: offset.toString(), maxBytes: Math.min(partitionMaxBytes, PARTITION_MAX_BYTES) }] }],
    };
    const send = leanSend(broker);
    if (send) {
      this.leanFetches++;
      const res = await send({ request: fetchV4Request(request), response: { decode: decodeFetchV4, parse: parseFetch }, requestTimeout: request.maxWaitTime + NETWORK_DELAY_MS });
      const p = res.responses.find((r) => r.topicName === topic)?.partitions.find((x) => x.partition === partition);
      if (!p) return { records: [], highWatermark: -1n, errorCode: 0 };
      return { records: p.records, highWatermark: p.highWatermark, errorCode: p.errorCode };
    }
    const res = await broker.fetch(request);
    const p = res.responses.find((r) => r.topicName === topic)?.partitions.find((x) => x.partition === partition);
    if (!p) return { records: [], highWatermark: -1n, errorCode: 0 };
    const records = p.messages.filter((m) => !m.isControlRecord).map((m) => ({ offset: BigInt(m.offset), key: m.key, value: m.value }));
    return { records, highWatermark: BigInt(p.highWatermark), errorCode: p.errorCode };
  }

  async close(): Promise<void> {
    await this.cluster.disconnect();
  }
}

/** The broker's own send (kafkajs's private Broker#sendRequest) when it speaks Fetch v4; else undefined (use Broker#fetch). */
function leanSend(broker: PrivateBroker): ((r: ProtocolRequest) => Promise<FetchResponse>) | undefined {
  const range = broker.versions?.[FETCH_API_KEY];
  if (!range || range.minVersion > FETCH_V4 || range.maxVersion < FETCH_V4) return undefined;
  const sym = Object.getOwnPropertySymbols(Object.getPrototypeOf(broker)).find((s) => s.description === SEND_REQUEST);
  const send = sym ? (broker as unknown as Record<symbol, unknown>)[sym] : undefined;
  if (typeof send !== 'function') throw new Error(`kafkajs internals changed (no ${SEND_REQUEST}): group-less sampling needs kafkajs 2.2.4 exactly`);
  return (r) => (send as (r: ProtocolRequest) => Promise<FetchResponse>).call(broker, r);
}

/**
 * Errors as kafkajs's Fetch parse raises them (the same KafkaJS errors, so the capture explains them
 * the same way), except OFFSET_OUT_OF_RANGE: retention deleting a window's start is a shortfall the
 * sampler explains per partition, not a failure of the topic.
 */
async function parseFetch(data: unknown): Promise<FetchResponse> {
  const res = data as FetchResponse;
  for (const t of res.responses) for (const p of t.partitions) if (p.errorCode !== 0 && p.errorCode !== OFFSET_OUT_OF_RANGE) throw createErrorFromCode(p.errorCode);
  return res;
}
