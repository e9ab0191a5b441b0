import { randomUUID } from 'node:crypto';
import { API, ERR, type ApiName } from './api-keys.js';
import { decodeProducedRecords } from './record-batch.js';
import { newGroup, type AclSpec, type GroupState, type TopicState } from './state.js';
import { WireReader, WireWriter } from './wire.js';

/*
 * Request decoders and response encoders, one per API, following the layouts of
 * https://kafka.apache.org/protocol#The_Messages_<Name> for the (non-flexible) versions that
 * api-keys.ts advertises. Single broker (node 1), replication factor 1, single-member groups.
 */

export interface BrokerState {
  nodeId: number;
  host: string;
  port: number;
  clusterId: string;
  topics: Map<string, TopicState>;
  groups: Map<string, GroupState>;
  acls: AclSpec[] | 'security-disabled' | 'unauthorized';
  /** Waits (bounded) in an empty Fetch, as a real broker waits up to max_wait_ms; resolves early on close. */
  wait(ms: number): Promise<void>;
}

export interface RequestContext {
  state: BrokerState;
  apiVersion: number;
  clientId: string | null;
  clientHost: string;
}

type Handler = (r: WireReader, w: WireWriter, ctx: RequestContext) => void | Promise<void>;

const BROKER_DEFAULT_CONFIGS: Record<string, string> = {
  'cleanup.policy': 'delete',
  'retention.ms': '604800000',
  'retention.bytes': '-1',
  'max.message.bytes': '1048588',
  'min.insync.replicas': '1',
};

function apiVersions(_r: WireReader, w: WireWriter, ctx: RequestContext): void {
  // v3+ is flexible; we answer any version we do not speak in the v0 layout with
  // UNSUPPORTED_VERSION, which is what makes librdkafka retry at v0 (KIP-511).
  const supported = ctx.apiVersion <= API.ApiVersions.max;
  w.int16(supported ? ERR.NONE : ERR.UNSUPPORTED_VERSION);
  w.array(Object.values(API), (w, a) => w.int16(a.key).int16(a.min).int16(a.max));
  if (supported && ctx.apiVersion >= 1) w.int32(0); // throttle_time_ms
}

function metadata(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const v = ctx.apiVersion;
  const requested = r.array((r) => r.string() ?? '');
  if (v >= 4) r.bool(); // allow_auto_topic_creation: never honoured, topics are declared up front
  // v0: an empty array means all topics; v1+: null means all, empty means none.
  const all = requested === null || (v === 0 && requested.length === 0);
  const names = all ? [...ctx.state.topics.keys()] : (requested ?? []);
  const { state } = ctx;
  if (v >= 3) w.int32(0); // throttle_time_ms
  w.array([state], (w, s) => {
    w.int32(s.nodeId).string(s.host).int32(s.port);
    if (v >= 1) w.string(null); // rack
  });
  if (v >= 2) w.string(state.clusterId);
  if (v >= 1) w.int32(state.nodeId); // controller_id
  w.array(names, (w, name) => {
    const topic = state.topics.get(name);
    w.int16(topic ? ERR.NONE : ERR.UNKNOWN_TOPIC_OR_PARTITION).string(name);
    if (v >= 1) w.bool(name.startsWith('__'));
    w.array(topic ? topic.partitions.map((_, i) => i) : [], (w, index) => {
      w.int16(ERR.NONE).int32(index).int32(state.nodeId).int32Array([state.nodeId]).int32Array([state.nodeId]);
      if (v >= 5) w.int32Array([]); // offline_replicas
    });
  });
}

function partitionOf(ctx: RequestContext, topic: string, partition: number) {
  return ctx.state.topics.get(topic)?.partitions[partition];
}

function listOffsets(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const v = ctx.apiVersion;
  r.int32(); // replica_id
  if (v >= 2) r.int8(); // isolation_level: no transactions here, so every offset is stable
  const topics = r.array((r) => ({
    name: r.string() ?? '',
    partitions: r.array((r) => {
      const p = { index: r.int32(), timestamp: r.int64() };
      if (v === 0) r.int32(); // max_num_offsets
      return p;
    }) ?? [],
  })) ?? [];
  if (v >= 2) w.int32(0);
  w.array(topics, (w, t) => {
    w.string(t.name).array(t.partitions, (w, p) => {
      const log = partitionOf(ctx, t.name, p.index);
      // -1 = latest (high watermark), -2 = earliest (log start offset).
      const offset = !log ? -1n : p.timestamp === -1n ? log.highWatermark : p.timestamp === -2n ? log.logStartOffset : log.offsetForTimestamp(p.timestamp);
      w.int32(p.index).int16(log ? ERR.NONE : ERR.UNKNOWN_TOPIC_OR_PARTITION);
      if (v === 0) w.array(log ? [offset] : [], (w, o) => w.int64(o));
      else w.int64(-1n).int64(offset);
    });
  });
}

/**
 * Fetch v4. Batches are returned whole while they fit in partition_max_bytes (and the request's
 * max_bytes); the next batch is cut off where the limit ends, like a real broker's file slice, and
 * clients drop that partial batch. Deviation from KIP-74: a real broker returns the *first* batch
 * whole even when it exceeds the limits; we cut it too, so tests can show that a client's caps
 * keep a huge message off the wire.
 */
async function fetch(r: WireReader, w: WireWriter, ctx: RequestContext): Promise<void> {
  r.int32(); // replica_id
  const maxWaitMs = r.int32();
  r.int32(); // min_bytes
  let budget = r.int32(); // max_bytes
  r.int8(); // isolation_level
  const topics = r.array((r) => ({
    name: r.string() ?? '',
    partitions: r.array((r) => ({ index: r.int32(), offset: r.int64(), maxBytes: r.int32() })) ?? [],
  })) ?? [];
  const hasData = topics.some((t) => t.partitions.some((p) => {
    const log = partitionOf(ctx, t.name, p.index);
    return log !== undefined && p.offset < log.highWatermark;
  }));
  if (!hasData) await ctx.state.wait(Math.min(Math.max(maxWaitMs, 0), 500));
  w.int32(0); // throttle_time_ms
  w.array(topics, (w, t) => {
    w.string(t.name).array(t.partitions, (w, p) => {
      const log = partitionOf(ctx, t.name, p.index);
      if (!log) {
        w.int32(p.index).int16(ERR.UNKNOWN_TOPIC_OR_PARTITION).int64(-1n).int64(-1n).array([], () => {}).bytes(Buffer.alloc(0));
        return;
      }
      const hw = log.highWatermark;
      if (p.offset < log.logStartOffset || p.offset > hw) {
        w.int32(p.index).int16(ERR.OFFSET_OUT_OF_RANGE).int64(hw).int64(hw).array([], () => {}).bytes(Buffer.alloc(0));
        return;
      }
      let limit = Math.max(0, Math.min(p.maxBytes, budget));
      const chunks: Buffer[] = [];
      for (const batch of log.batches) {
        if (batch.last < p.offset) continue;
        if (limit <= 0) break;
        const take = batch.buf.length <= limit ? batch.buf : batch.buf.subarray(0, limit);
        chunks.push(take);
        limit -= take.length;
        if (take !== batch.buf) break;
      }
      const records = Buffer.concat(chunks);
      budget -= records.length;
      w.int32(p.index).int16(ERR.NONE).int64(hw).int64(hw).array([], () => {}).bytes(records);
    });
  });
}

async function produce(r: WireReader, w: WireWriter, ctx: RequestContext): Promise<void> {
  r.string(); // transactional_id
  r.int16(); // acks
  r.int32(); // timeout_ms
  const topics = r.array((r) => ({ name: r.string() ?? '', partitions: r.array((r) => ({ index: r.int32(), records: r.bytes() })) ?? [] })) ?? [];
  const results: { name: string; partitions: { index: number; error: number; base: bigint }[] }[] = [];
  for (const t of topics) {
    const out = { name: t.name, partitions: [] as { index: number; error: number; base: bigint }[] };
    for (const p of t.partitions) {
      const log = partitionOf(ctx, t.name, p.index);
      if (!log) {
        out.partitions.push({ index: p.index, error: ERR.UNKNOWN_TOPIC_OR_PARTITION, base: -1n });
        continue;
      }
      const base = log.append(p.records ? await decodeProducedRecords(p.records) : []);
      out.partitions.push({ index: p.index, error: ERR.NONE, base });
    }
    results.push(out);
  }
  w.array(results, (w, t) => w.string(t.name).array(t.partitions, (w, p) => w.int32(p.index).int16(p.error).int64(p.base).int64(-1n)));
  w.int32(0);
}

function findCoordinator(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  r.string(); // key
  if (ctx.apiVersion >= 1) r.int8(); // key_type
  if (ctx.apiVersion >= 1) w.int32(0);
  w.int16(ERR.NONE);
  if (ctx.apiVersion >= 1) w.string(null);
  w.int32(ctx.state.nodeId).string(ctx.state.host).int32(ctx.state.port);
}

function groupFor(ctx: RequestContext, groupId: string): GroupState {
  let g = ctx.state.groups.get(groupId);
  if (!g) ctx.state.groups.set(groupId, (g = newGroup(groupId)));
  return g;
}

/** JoinGroup v0, minimal: the joining member replaces any other and becomes leader at once. */
function joinGroup(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const groupId = r.string() ?? '';
  r.int32(); // session_timeout_ms
  const memberIdIn = r.string() ?? '';
  const protocolType = r.string() ?? 'consumer';
  const protocols = r.array((r) => ({ name: r.string() ?? '', metadata: r.bytes() ?? Buffer.alloc(0) })) ?? [];
  const g = groupFor(ctx, groupId);
  const memberId = memberIdIn || `${ctx.clientId ?? 'client'}-${randomUUID()}`;
  g.members = new Map([[memberId, { memberId, clientId: ctx.clientId ?? '', clientHost: ctx.clientHost, metadata: protocols[0]?.metadata ?? Buffer.alloc(0), assignment: Buffer.alloc(0) }]]);
  g.generation += 1;
  g.protocolType = protocolType;
  g.protocol = protocols[0]?.name ?? '';
  g.leader = memberId;
  g.state = 'CompletingRebalance';
  w.int16(ERR.NONE).int32(g.generation).string(g.protocol).string(g.leader).string(memberId);
  w.array([...g.members.values()], (w, m) => w.string(m.memberId).bytes(m.metadata));
}

function checkMember(g: GroupState | undefined, generation: number, memberId: string): number {
  if (!g || !g.members.has(memberId)) return ERR.UNKNOWN_MEMBER_ID;
  return generation === g.generation ? ERR.NONE : ERR.ILLEGAL_GENERATION;
}

function syncGroup(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const g = ctx.state.groups.get(r.string() ?? '');
  const generation = r.int32();
  const memberId = r.string() ?? '';
  const assignments = r.array((r) => ({ memberId: r.string() ?? '', assignment: r.bytes() ?? Buffer.alloc(0) })) ?? [];
  const error = checkMember(g, generation, memberId);
  if (error !== ERR.NONE || !g) {
    w.int16(error).bytes(Buffer.alloc(0));
    return;
  }
  for (const a of assignments) {
    const m = g.members.get(a.memberId);
    if (m) m.assignment = a.assignment;
  }
  g.state = 'Stable';
  w.int16(ERR.NONE).bytes(g.members.get(memberId)?.assignment ?? Buffer.alloc(0));
}

function heartbeat(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const g = ctx.state.groups.get(r.string() ?? '');
  const generation = r.int32();
  w.int16(checkMember(g, generation, r.string() ?? ''));
}

function leaveGroup(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const g = ctx.state.groups.get(r.string() ?? '');
  const memberId = r.string() ?? '';
  if (!g || !g.members.delete(memberId)) {
    w.int16(ERR.UNKNOWN_MEMBER_ID);
    return;
  }
  if (g.members.size === 0) g.state = 'Empty';
  w.int16(ERR.NONE);
}

function offsetCommit(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const g = groupFor(ctx, r.string() ?? '');
  const generation = r.int32();
  const memberId = r.string() ?? '';
  r.int64(); // retention_time_ms
  const topics = r.array((r) => ({
    name: r.string() ?? '',
    partitions: r.array((r) => ({ index: r.int32(), offset: r.int64(), metadata: r.string() })) ?? [],
  })) ?? [];
  // generation -1 = a "simple" commit outside any generation, which Kafka accepts.
  const error = generation < 0 ? ERR.NONE : checkMember(g, generation, memberId);
  w.array(topics, (w, t) => w.string(t.name).array(t.partitions, (w, p) => {
    if (error === ERR.NONE) g.offsets.set(`${t.name}:${p.index}`, { topic: t.name, partition: p.index, offset: p.offset, metadata: p.metadata });
    w.int32(p.index).int16(error);
  }));
}

function offsetFetch(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const v = ctx.apiVersion;
  const g = ctx.state.groups.get(r.string() ?? '');
  const requested = r.array((r) => ({ name: r.string() ?? '', partitions: r.array((r) => r.int32()) ?? [] }));
  // v2+: null topics = every committed offset of the group.
  const topics = requested ?? groupTopics(g);
  if (v >= 3) w.int32(0);
  w.array(topics, (w, t) => w.string(t.name).array(t.partitions, (w, index) => {
    const o = g?.offsets.get(`${t.name}:${index}`);
    w.int32(index).int64(o ? o.offset : -1n).string(o?.metadata ?? '').int16(ERR.NONE);
  }));
  if (v >= 2) w.int16(ERR.NONE);
}

function groupTopics(g: GroupState | undefined): { name: string; partitions: number[] }[] {
  const byTopic = new Map<string, number[]>();
  for (const o of g?.offsets.values() ?? []) byTopic.set(o.topic, [...(byTopic.get(o.topic) ?? []), o.partition]);
  return [...byTopic].map(([name, partitions]) => ({ name, partitions }));
}

function describeGroups(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const ids = r.array((r) => r.string() ?? '') ?? [];
  w.array(ids, (w, id) => {
    const g = ctx.state.groups.get(id);
    // An unknown group is reported as Dead without error, as Kafka does.
    w.int16(ERR.NONE).string(id).string(g?.state ?? 'Dead').string(g?.protocolType ?? '').string(g?.protocol ?? '');
    w.array(g ? [...g.members.values()] : [], (w, m) => w.string(m.memberId).string(m.clientId).string(m.clientHost).bytes(m.metadata).bytes(m.assignment));
  });
}

function listGroups(_r: WireReader, w: WireWriter, ctx: RequestContext): void {
  w.int16(ERR.NONE).array([...ctx.state.groups.values()], (w, g) => w.string(g.groupId).string(g.protocolType));
}

const RESOURCE_TYPE = { any: 1, topic: 2, group: 3, cluster: 4 } as const;
const OPERATION = { any: 1, all: 2, read: 3, write: 4, create: 5, delete: 6, alter: 7, describe: 8, describe_configs: 10, alter_configs: 11 } as const;
const PERMISSION = { any: 1, deny: 2, allow: 3 } as const;
const PATTERN = { any: 1, match: 2, literal: 3, prefixed: 4 } as const;

function describeAcls(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const v = ctx.apiVersion;
  const f = { resourceType: r.int8(), name: r.string(), patternType: v >= 1 ? r.int8() : PATTERN.literal, principal: r.string(), host: r.string(), operation: r.int8(), permission: r.int8() };
  w.int32(0);
  const acls = ctx.state.acls;
  if (!Array.isArray(acls)) {
    const [code, msg] = acls === 'security-disabled' ? [ERR.SECURITY_DISABLED, 'No Authorizer is configured on the broker'] : [ERR.CLUSTER_AUTHORIZATION_FAILED, 'Cluster authorization failed.'];
    w.int16(code).string(msg).array([], () => {});
    return;
  }
  const matches = acls.filter((a) =>
    (f.resourceType === RESOURCE_TYPE.any || f.resourceType === RESOURCE_TYPE[a.resourceType]) &&
    (f.name === null || f.name === a.resourceName) &&
    (f.patternType === PATTERN.any || f.patternType === PATTERN.match || f.patternType === PATTERN[a.patternType ?? 'literal']) &&
    (f.principal === null || f.principal === a.principal) &&
    (f.host === null || f.host === (a.host ?? '*')) &&
    (f.operation === OPERATION.any || f.operation === OPERATION[a.operation]) &&
    (f.permission === PERMISSION.any || f.permission === PERMISSION[a.permission]));
  const resources = new Map<string, AclSpec[]>();
  for (const a of matches) {
    const k = `${a.resourceType}\u0000${a.resourceName}\u0000${a.patternType ?? 'literal'}`;
    resources.set(k, [...(resources.get(k) ?? []), a]);
  }
  w.int16(ERR.NONE).string(null).array([...resources.values()], (w, group) => {
    const a0 = group[0];
    w.int8(RESOURCE_TYPE[a0.resourceType]).string(a0.resourceName);
    if (v >= 1) w.int8(PATTERN[a0.patternType ?? 'literal']);
    w.array(group, (w, a) => w.string(a.principal).string(a.host ?? '*').int8(OPERATION[a.operation]).int8(PERMISSION[a.permission]));
  });
}

/** ConfigResource types, which differ from ACL resource types. */
const CONFIG_RESOURCE = { topic: 2, broker: 4 } as const;

function describeConfigs(r: WireReader, w: WireWriter, ctx: RequestContext): void {
  const v = ctx.apiVersion;
  const resources = r.array((r) => ({ type: r.int8(), name: r.string() ?? '', names: r.array((r) => r.string() ?? '') })) ?? [];
  if (v >= 1) r.bool(); // include_synonyms: we have no synonyms to tell
  w.int32(0);
  w.array(resources, (w, res) => {
    const topic = res.type === CONFIG_RESOURCE.topic ? ctx.state.topics.get(res.name) : undefined;
    const isBroker = res.type === CONFIG_RESOURCE.broker;
    if (!topic && !isBroker) {
      w.int16(ERR.UNKNOWN_TOPIC_OR_PARTITION).string(`Topic ${res.name} does not exist`).int8(res.type).string(res.name).array([], () => {});
      return;
    }
    const dynamic = topic?.configs ?? {};
    const entries = Object.entries({ ...BROKER_DEFAULT_CONFIGS, ...dynamic }).filter(([k]) => !res.names || res.names.includes(k));
    w.int16(ERR.NONE).string(null).int8(res.type).string(res.name).array(entries, (w, [name, value]) => {
      const isDefault = !(name in dynamic);
      w.string(name).string(value).bool(false);
      // v0: is_default; v1: config_source (1 = DYNAMIC_TOPIC_CONFIG, 5 = DEFAULT_CONFIG).
      if (v === 0) w.bool(isDefault);
      else w.int8(isDefault ? 5 : 1);
      w.bool(false); // is_sensitive
      if (v >= 1) w.array([], () => {}); // synonyms
    });
  });
}

export const HANDLERS: Record<ApiName, Handler> = {
  Produce: produce,
  Fetch: fetch,
  ListOffsets: listOffsets,
  Metadata: metadata,
  OffsetCommit: offsetCommit,
  OffsetFetch: offsetFetch,
  FindCoordinator: findCoordinator,
  JoinGroup: joinGroup,
  Heartbeat: heartbeat,
  LeaveGroup: leaveGroup,
  SyncGroup: syncGroup,
  DescribeGroups: describeGroups,
  ListGroups: listGroups,
  ApiVersions: apiVersions,
  DescribeAcls: describeAcls,
  DescribeConfigs: describeConfigs,
};
