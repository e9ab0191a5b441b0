import { encodeRecordBatch, type StoredRecord } from './record-batch.js';

/** A message to append, as tests and Produce requests give it. */
export interface SeedMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  headers?: Record<string, Buffer | string>;
  /** Milliseconds since the epoch (CreateTime); defaults to now. */
  timestamp?: number;
}

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Dynamic topic configs returned by DescribeConfigs (on top of broker defaults). */
  configs?: Record<string, string>;
}

export interface GroupSpec {
  groupId: string;
  protocolType?: string;
  /** Committed offsets (as a real group's OffsetCommit would have left them). */
  offsets: { topic: string; partition: number; offset: number }[];
}

export interface AclSpec {
  resourceType: 'topic' | 'group' | 'cluster';
  resourceName: string;
  patternType?: 'literal' | 'prefixed';
  principal: string;
  host?: string;
  operation: 'all' | 'read' | 'write' | 'create' | 'delete' | 'alter' | 'describe' | 'describe_configs' | 'alter_configs';
  permission: 'allow' | 'deny';
}

/** One partition's log: batches as appended, each encoded once. */
export class PartitionLog {
  readonly batches: { base: bigint; last: bigint; firstTimestamp: bigint; maxTimestamp: bigint; buf: Buffer }[] = [];
  get logStartOffset(): bigint {
    return 0n;
  }
  get highWatermark(): bigint {
    const last = this.batches[this.batches.length - 1];
    return last ? last.last + 1n : 0n;
  }
  append(messages: Omit<StoredRecord, 'offset'>[]): bigint {
    const base = this.highWatermark;
    if (messages.length === 0) return base;
    const records = messages.map((m, i) => ({ ...m, offset: base + BigInt(i) }));
    const ts = records.map((r) => r.timestamp);
    this.batches.push({
      base,
      last: base + BigInt(records.length - 1),
      firstTimestamp: ts[0],
      maxTimestamp: ts.reduce((a, b) => (b > a ? b : a)),
      buf: encodeRecordBatch(records),
    });
    return base;
  }
  /** First offset whose batch has a timestamp ≥ ts (ListOffsets by time; batch granularity). */
  offsetForTimestamp(ts: bigint): bigint {
    const b = this.batches.find((x) => x.maxTimestamp >= ts);
    return b ? b.base : -1n;
  }
}

export interface TopicState {
  name: string;
  partitions: PartitionLog[];
  configs: Record<string, string>;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  clientHost: string;
  metadata: Buffer;
  assignment: Buffer;
}

export interface GroupState {
  groupId: string;
  protocolType: string;
  protocol: string;
  state: 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';
  generation: number;
  leader: string;
  members: Map<string, GroupMember>;
  offsets: Map<string, { topic: string; partition: number; offset: bigint; metadata: string | null }>;
}

export function toBuffer(v: Buffer | string | null | undefined): Buffer | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
}

export function seedToRecord(m: SeedMessage): Omit<StoredRecord, 'offset'> {
  return {
    key: toBuffer(m.key),
    value: toBuffer(m.value),
    timestamp: BigInt(m.timestamp ?? Date.now()),
    headers: Object.entries(m.headers ?? {}).map(([key, value]) => ({ key, value: toBuffer(value) ?? Buffer.alloc(0) })),
  };
}

export function newGroup(groupId: string, protocolType = 'consumer'): GroupState {
  return { groupId, protocolType, protocol: '', state: 'Empty', generation: 0, leader: '', members: new Map(), offsets: new Map() };
}
