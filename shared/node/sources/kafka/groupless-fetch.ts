import type { Kafka } from 'kafkajs';
import { FETCH_MAX_BYTES, PARTITION_MAX_BYTES } from './config.js';

/*
 * Reading messages WITHOUT a consumer group. An auditor's capture must leave no trace on the
 * cluster (DESIGN.md "Sources: read-only"): no JoinGroup/SyncGroup/Heartbeat, no OffsetCommit.
 * kafkajs's public consumer always joins a group (it has no assign()), so we use its *private*
 * cluster and broker objects: the Cluster that Kafka#producer/consumer/admin build internally,
 * and Broker#fetch, which sends a plain Fetch request (https://kafka.apache.org/protocol#The_Messages_Fetch).
 * This is why package.json pins kafkajs exactly (2.2.4): the private names below are checked at
 * runtime and the test broker (scripts/testing/kafka-broker) covers the whole path, asserting
 * that the broker saw only ApiVersions, Metadata, ListOffsets and Fetch.
 */

export interface FetchedRecord {
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  isControlRecord?: boolean;
}

interface PrivateBroker {
  fetch(req: {
    replicaId?: number;
    isolationLevel?: number;
    maxWaitTime?: number;
    minBytes?: number;
    maxBytes?: number;
    topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
  }): Promise<{ responses: { topicName: string; partitions: { partition: number; errorCode: number; highWatermark: string; messages: FetchedRecord[] }[] }[] }>;
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
    const res = await broker.fetch({
      replicaId: -1,
      isolationLevel: READ_COMMITTED,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: FETCH_MAX_BYTES,
      topics: [{ topic, partitions: [{ partition, fetchOffset: offset.toString(), maxBytes: Math.min(partitionMaxBytes, PARTITION_MAX_BYTES) }] }],
    });
    const p = res.responses.find((r) => r.topicName === topic)?.partitions.find((x) => x.partition === partition);
    if (!p) return { records: [], highWatermark: -1n, errorCode: 0 };
    return { records: p.messages.filter((m) => !m.isControlRecord), highWatermark: BigInt(p.highWatermark), errorCode: p.errorCode };
  }

  async close(): Promise<void> {
    await this.cluster.disconnect();
  }
}
