import kafkajs, { type SASLOptions, type Kafka as KafkaClient } from 'kafkajs';

// kafkajs is CommonJS: Node's ESM loader cannot see its named exports, so take them off the default export.
const { AclOperationTypes, AclPermissionTypes, AclResourceTypes, ConfigResourceTypes, Kafka, logLevel, ResourcePatternTypes } = kafkajs;
type Kafka = KafkaClient;
import { AppError } from '../../../core/api/errors.js';
import { DEFAULT_MAX_VALUES_PER_FIELD } from '../../../core/pii/index.js';
import { appUrn, kafkaUrn } from '../../../core/model/urn.js';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { PARTITION_MAX_BYTES, type KafkaSourceConfig } from './config.js';
import { isAuthorizationOrDisabled, rootKafkaError, toKafkaAppError } from './errors.js';
import { aclRecords, readAclsFileState, type AclEntry, type AclState } from './acls.js';
import { FetchAhead } from './fetch-ahead.js';
import { GrouplessFetcher } from './groupless-fetch.js';
import { planSamples } from './sampling-plan.js';
import { createFramedDecoder, readTopicSubjects, type FramedDecoder } from './schema-registry.js';
import { fingerprintWarnings, profileWarnings, TopicProfile, type TopicFacts } from './topic-profile.js';

type Ctx = Pick<CaptureContext, 'log' | 'signal'>;

/** A kafkajs client for a live source; the SASL password is read from its environment variable here only. */
export function createKafkaClient(config: KafkaSourceConfig, ctx: Ctx): Kafka {
  let sasl: SASLOptions | undefined;
  if (config.sasl) {
    const password = process.env[config.sasl.passwordEnv];
    if (password === undefined) throw new AppError('CONFIG_INVALID', `kafka://${config.name}: environment variable ${config.sasl.passwordEnv} (sasl.passwordEnv) is not set`);
    sasl = { mechanism: config.sasl.mechanism, username: config.sasl.username, password } as SASLOptions;
  }
  return new Kafka({
    clientId: 'driftline-audit',
    brokers: config.brokers ?? [],
    ssl: config.ssl,
    sasl,
    connectionTimeout: 5_000,
    requestTimeout: 30_000,
    retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 2_000 },
    logLevel: logLevel.WARN,
    logCreator: () => ({ level, log }) => {
      // kafkajs's own chatter (retries, disabled ACLs): what matters reaches the scan report as a
      // warning, gap or failure; the raw client log is there with DRIFTLINE_LOG=debug.
      if (level <= logLevel.WARN) ctx.log.debug(log.message, { broker: log.broker, error: log.error });
    },
  });
}

const INTERNAL_TOPIC = /^(__|_confluent|_schemas$|connect-(configs|offsets|status)$)/;

interface GroupOffsets {
  group: string;
  offsets: Map<string, Map<number, bigint>>;
}

/** Captures a live cluster: metadata, configs, groups, ACLs and group-less samples. Only reads. */
export async function* captureLive(config: KafkaSourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  const brokers = config.brokers ?? [];
  const kafka = createKafkaClient(config, ctx);
  const admin = kafka.admin();
  try {
    await admin.connect();
  } catch (err) {
    throw toKafkaAppError(err, config.name, brokers, 'connect');
  }
  let fetcher: GrouplessFetcher | undefined;
  try {
    const meta = await admin.fetchTopicMetadata().catch((err) => {
      throw toKafkaAppError(err, config.name, brokers, 'list topics');
    });
    const byName = new Map(meta.topics.map((t) => [t.name, t]));
    let topics = meta.topics.map((t) => t.name).filter((n) => !INTERNAL_TOPIC.test(n)).sort();
    if (config.topics) {
      for (const missing of config.topics.filter((t) => !byName.has(t))) {
        ctx.fail(kafkaUrn(config.name, missing), new AppError('NOT_FOUND', `kafka://${config.name}/${missing}: topic not found on the cluster — check topics in sources.yaml`));
      }
      topics = config.topics.filter((t) => byName.has(t));
    }

    const configs = await describeTopicConfigs(admin, topics, config, ctx);
    const groups = await readConsumerGroups(admin, config, ctx);
    const { acls, gap, state: aclState } = await readAcls(admin, config, ctx);
    if (gap) yield gap;
    yield* groupWorkloads(groups.described, config, ctx);

    const decoder = createFramedDecoder(config, ctx.signal);
    const subjects = decoder ? await readTopicSubjects(decoder, topics, ctx) : undefined;

    fetcher = await GrouplessFetcher.open(kafka, topics);
    let done = 0;
    for (const topic of topics) {
      if (ctx.signal.aborted) throw new AppError('CANCELLED', `kafka://${config.name}: capture cancelled`);
      const urn = kafkaUrn(config.name, topic);
      try {
        const offsets = (await admin.fetchTopicOffsets(topic)).map((o) => ({ partition: o.partition, low: BigInt(o.low), high: BigInt(o.high) }));
        const { profile, partitions: sampling } = await sampleTopic(fetcher, topic, offsets, config.sampleMessages, ctx, decoder);
        const retained = offsets.reduce((s, o) => s + Number(o.high - o.low), 0);
        for (const p of sampling) if (p.shortfall) ctx.warn(urn, `partition ${p.partition}: sampled ${p.read} of the ${p.planned} messages planned — ${p.shortfall}`);
        const partitions = byName.get(topic)?.partitions ?? [];
        const highs = new Map(offsets.map((o) => [o.partition, o.high]));
        const consumerGroups = groups.offsets
          .filter((g) => g.offsets.has(topic))
          .map((g) => ({ group: g.group, lag: [...g.offsets.get(topic)!].reduce((sum, [p, committed]) => sum + Math.max(0, Number((highs.get(p) ?? committed) - committed)), 0) }));
        const facts: TopicFacts = {
          partitions: partitions.length,
          replication: Math.max(0, ...partitions.map((p) => p.replicas.length)),
          configs: configs.get(topic),
          messageCount: offsets.reduce((s, o) => s + Number(o.high - o.low), 0),
          consumerGroups,
          schemaSubjects: subjects?.get(topic),
          ...(acls && { acls: acls.filter((a) => a.resourceType === 'topic' && (a.pattern === 'prefixed' ? topic.startsWith(a.resourceName) : a.resourceName === topic || a.resourceName === '*')).map(({ resourceType: _t, resourceName: _n, ...rest }) => rest) }),
        };
        for (const w of profileWarnings(profile, config.schemaRegistry)) ctx.warn(urn, w);
        if (profile.oversize > 0) ctx.warn(urn, `${profile.oversize} message(s) larger than ${PARTITION_MAX_BYTES} bytes were skipped, not downloaded: their fields are not profiled`);
        const records = profile.toRecords(ctx, facts);
        for (const w of fingerprintWarnings(profile)) ctx.warn(urn, w);
        // The topic node says, per partition, how much of the plan was read and why not more.
        const topicRecord = records[0];
        // Past PROFILED_MESSAGES, `profiled` says how many of the messages read were decoded whole and classified (the rest counted and read for their identifying fields).
        const profiled = profile.profiled < profile.sampled ? { profiled: profile.profiled } : {};
        if (topicRecord?.type === 'node') topicRecord.node.props = { ...topicRecord.node.props, sampling: { requested: config.sampleMessages, retained, partitions: sampling, ...profiled } };
        yield* records;
        for (const g of consumerGroups) {
          yield { type: 'edge', edge: { from: appUrn(config.name, 'kafka', g.group), to: urn, kind: 'reads', confidence: 1, evidence: { rule: 'kafka.consumer-group-offsets', detail: `consumer group ${g.group} has committed offsets on ${topic}`, lag: g.lag } } };
        }
      } catch (err) {
        if (err instanceof AppError && err.code === 'CANCELLED') throw err;
        ctx.fail(urn, toKafkaAppError(err, config.name, brokers, `sample ${topic}`));
      }
      ctx.progress({ done: ++done, total: topics.length, item: topic });
    }
    yield* aclRecords(config.aclsFile ? await readAclsFileState(config, ctx) : aclState, topics, { source: config.name, region: ctx.region, fingerprint: ctx.fingerprint });
  } finally {
    await fetcher?.close().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

/** A window never asks for less than this (small messages, record-batch headers). */
const MIN_WINDOW_BYTES = 16 * 1024;
/** Per-record framing in a v2 batch (length, attributes, deltas, headers), roughly. */
const RECORD_OVERHEAD_BYTES = 70;

/** How one partition's sample went: what the plan asked for, what was read, and why not all of it. */
export interface PartitionSampling {
  partition: number;
  planned: number;
  read: number;
  /** Why fewer than planned were read (undefined when the plan was reached). */
  shortfall?: string;
}

/**
 * Messages of a topic's sample decoded whole and classified: twice the values the profiler keeps per
 * field, so each field's bounded sample is still filled when it is absent from some messages.
 */
export const PROFILED_MESSAGES = 2 * DEFAULT_MAX_VALUES_PER_FIELD;

/** The classification sample's stride for a sample of `planned` messages: one in this many is decoded whole (evenly over windows and partitions, which come in plan order). */
export function profileStride(planned: number): number {
  return Math.max(1, Math.floor(planned / PROFILED_MESSAGES));
}

/** Fetches per window are bounded: enough for ~1 KB messages at the 1 MiB cap, and by time. */
const MAX_FETCHES_PER_WINDOW = 256;
const WINDOW_SECONDS = 60;

async function sampleTopic(fetcher: GrouplessFetcher, topic: string, offsets: { partition: number; low: bigint; high: bigint }[], n: number, ctx: CaptureContext, decoder: FramedDecoder | undefined): Promise<{ profile: TopicProfile; partitions: PartitionSampling[] }> {
  const windows = planSamples(offsets, n);
  const profile = new TopicProfile(topic, decoder, { profileEvery: profileStride(windows.reduce((sum, w) => sum + w.count, 0)), region: ctx.region });
  // Ask for about the bytes a window needs, learnt from what came back so far, instead of 1 MiB each
  // time: a sample should not download twice what it reads. A window that comes back empty under a
  // small cap is asked again with the full cap before it counts as oversize. A window keeps fetching
  // from where the last answer ended until it has its count: one Fetch returns at most 1 MiB, and a
  // plan must be reached or its shortfall explained, per partition, never silently cut.
  let bytesPerMessage = 0;
  const capFor = (count: number) => (bytesPerMessage > 0 ? Math.min(PARTITION_MAX_BYTES, Math.max(MIN_WINDOW_BYTES, Math.ceil(bytesPerMessage * count * 1.25))) : PARTITION_MAX_BYTES);
  const byPartition = new Map<number, PartitionSampling & { reasons: Set<string> }>();
  const highOf = new Map(offsets.map((o) => [o.partition, o.high]));
  const fetches = new FetchAhead(fetcher, topic);
  for (const [i, w] of windows.entries()) {
    if (ctx.signal.aborted) break;
    let stats = byPartition.get(w.partition);
    if (!stats) byPartition.set(w.partition, (stats = { partition: w.partition, planned: 0, read: 0, reasons: new Set() }));
    stats.planned += w.count;
    let next = w.start;
    let got = 0;
    const deadline = Date.now() + WINDOW_SECONDS * 1000;
    for (let fetchNo = 0; got < w.count; fetchNo++) {
      if (fetchNo >= MAX_FETCHES_PER_WINDOW || Date.now() > deadline) { stats.reasons.add(`stopped after ${fetchNo} fetches / ${WINDOW_SECONDS} s per window`); break; }
      const cap = capFor(w.count - got);
      let res = await fetches.fetch(w.partition, next, cap);
      if (cap < PARTITION_MAX_BYTES && res.errorCode === 0 && next < res.highWatermark && !res.records.some((r) => r.offset >= next)) {
        res = await fetcher.fetchFrom(topic, w.partition, next, PARTITION_MAX_BYTES);
      }
      if (res.records.length > 0) {
        const seen = res.records.reduce((sum, r) => sum + (r.value?.length ?? 0) + (r.key?.length ?? 0) + RECORD_OVERHEAD_BYTES, 0) / res.records.length;
        bytesPerMessage = bytesPerMessage === 0 ? seen : (bytesPerMessage + seen) / 2;
      }
      if (res.errorCode !== 0) {
        // 1 OFFSET_OUT_OF_RANGE: retention deleted the start of the window after ListOffsets.
        stats.reasons.add(res.errorCode === 1 ? `offset ${next} no longer retained (retention deleted it during the scan)` : `fetch error ${res.errorCode} at offset ${next}`);
        break;
      }
      const records = res.records.filter((r) => r.offset >= next).slice(0, w.count - got);
      if (records.length === 0) {
        if (next < res.highWatermark && next < (highOf.get(w.partition) ?? res.highWatermark)) {
          profile.addOversize();
          stats.reasons.add(`a record batch at offset ${next} is larger than ${PARTITION_MAX_BYTES} bytes (skipped, not downloaded)`);
        } else stats.reasons.add('the end of the partition was reached (compacted or transactional offsets hold no message)');
        break;
      }
      // Ask for what comes next (more of this window, or the next window's start) before decoding
      // these, so the broker prepares it meanwhile. The same checks as the loop's decide what that is.
      const gotAfter = got + records.length;
      const nextAfter = records[records.length - 1].offset + 1n;
      const windowGoesOn = gotAfter < w.count && nextAfter < (highOf.get(w.partition) ?? res.highWatermark) && fetchNo + 1 < MAX_FETCHES_PER_WINDOW;
      const following = windows[i + 1];
      if (windowGoesOn) fetches.prefetch(w.partition, nextAfter, capFor(w.count - gotAfter));
      else if (following) fetches.prefetch(following.partition, following.start, capFor(following.count));
      for (const r of records) {
        // KIP-74: a real broker returns a first batch whole even past the cap; do not decode it.
        if ((r.value?.length ?? 0) > PARTITION_MAX_BYTES) { profile.addOversize(); stats.reasons.add(`messages larger than ${PARTITION_MAX_BYTES} bytes were skipped`); }
        else if (!profile.countRaw(r.key, r.value)) await profile.add(r.key, r.value, w.partition);
      }
      got = gotAfter;
      // Offsets past the window's plan belong to the next window: compaction gaps make a window reach further.
      next = nextAfter;
      if (next >= (highOf.get(w.partition) ?? res.highWatermark)) {
        if (got < w.count) stats.reasons.add('the end of the partition was reached (compacted or transactional offsets hold no message)');
        break;
      }
    }
    stats.read += got;
  }
  const partitions = [...byPartition.values()].map(({ reasons, ...p }) => (p.read < p.planned ? { ...p, shortfall: [...reasons].join('; ') || 'unknown' } : p));
  return { profile, partitions };
}

async function describeTopicConfigs(admin: ReturnType<Kafka['admin']>, topics: string[], config: KafkaSourceConfig, ctx: CaptureContext): Promise<Map<string, Record<string, string | null>>> {
  const out = new Map<string, Record<string, string | null>>();
  if (topics.length === 0) return out;
  try {
    const res = await admin.describeConfigs({ resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })), includeSynonyms: false });
    for (const r of res.resources) {
      if (r.errorCode !== 0) {
        ctx.warn(kafkaUrn(config.name, r.resourceName), `configs not readable (error ${r.errorCode}: ${r.errorMessage ?? ''})`);
        continue;
      }
      out.set(r.resourceName, Object.fromEntries(r.configEntries.map((e) => [e.configName, e.isSensitive ? null : e.configValue])));
    }
  } catch (err) {
    if (!isAuthorizationOrDisabled(err)) throw toKafkaAppError(err, config.name, config.brokers ?? [], 'describe topic configs');
    ctx.warn(`kafka://${config.name}`, `topic configs not readable: ${rootKafkaError(err).type} — grant DescribeConfigs on topics`);
  }
  return out;
}

interface DescribedGroup {
  groupId: string;
  state: string;
  protocolType: string;
  members: number;
}

/** ListGroups, DescribeGroups and OffsetFetch: all reads (the group is inspected, never joined). */
async function readConsumerGroups(admin: ReturnType<Kafka['admin']>, config: KafkaSourceConfig, ctx: CaptureContext): Promise<{ described: DescribedGroup[]; offsets: GroupOffsets[] }> {
  try {
    const listed = (await admin.listGroups()).groups.filter((g) => g.protocolType === 'consumer' || g.protocolType === '');
    if (listed.length === 0) return { described: [], offsets: [] };
    const described = (await admin.describeGroups(listed.map((g) => g.groupId))).groups.map((g) => ({ groupId: g.groupId, state: g.state, protocolType: g.protocolType, members: g.members.length }));
    const offsets: GroupOffsets[] = [];
    for (const g of described) {
      const res = await admin.fetchOffsets({ groupId: g.groupId });
      const byTopic = new Map<string, Map<number, bigint>>();
      for (const t of res) {
        const committed = t.partitions.filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, BigInt(p.offset)] as const);
        if (committed.length) byTopic.set(t.topic, new Map(committed));
      }
      offsets.push({ group: g.groupId, offsets: byTopic });
    }
    return { described, offsets };
  } catch (err) {
    if (!isAuthorizationOrDisabled(err)) throw toKafkaAppError(err, config.name, config.brokers ?? [], 'list consumer groups');
    ctx.warn(`kafka://${config.name}`, `consumer groups not readable (${rootKafkaError(err).type}) — grant Describe on groups`);
    return { described: [], offsets: [] };
  }
}

function* groupWorkloads(groups: DescribedGroup[], config: KafkaSourceConfig, ctx: CaptureContext): Generator<CaptureRecord> {
  for (const g of groups) {
    yield { type: 'node', node: { urn: appUrn(config.name, 'kafka', g.groupId), kind: 'workload', name: g.groupId, source: config.name, region: ctx.region, props: { consumerGroup: g.groupId, state: g.state, members: g.members } } };
  }
}


const nameOf = (table: object, v: number): string => (Object.entries(table as Record<string, number>).find(([, n]) => n === v)?.[0] ?? String(v)).toLowerCase();

/** DescribeAcls for everything; no authorizer or no permission becomes a gap, not a failure. */
async function readAcls(admin: ReturnType<Kafka['admin']>, config: KafkaSourceConfig, ctx: CaptureContext): Promise<{ acls?: AclEntry[]; gap?: CaptureRecord; state: AclState }> {
  try {
    const res = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const acls = res.resources.flatMap((r) =>
      r.acls.map((a) => ({
        resourceType: nameOf(AclResourceTypes, r.resourceType),
        resourceName: r.resourceName,
        pattern: nameOf(ResourcePatternTypes, r.resourcePatternType),
        principal: a.principal,
        host: a.host,
        operation: nameOf(AclOperationTypes, a.operation),
        permission: nameOf(AclPermissionTypes, a.permissionType),
      })),
    );
    return { acls, state: { status: 'present', acls, origin: `DescribeAcls on ${config.brokers?.join(', ')}` } };
  } catch (err) {
    if (!isAuthorizationOrDisabled(err)) throw toKafkaAppError(err, config.name, config.brokers ?? [], 'describe ACLs');
    const type = rootKafkaError(err).type;
    ctx.log.info('ACLs not readable', { source: config.name, type });
    const reason = type === 'SECURITY_DISABLED' ? 'the cluster has no authorizer (SECURITY_DISABLED): ACLs do not restrict who can read topics' : `not authorized to describe ACLs (${type})`;
    const state: AclState = type === 'SECURITY_DISABLED'
      ? { status: 'security-disabled', origin: `DescribeAcls on ${config.brokers?.join(', ')}: no authorizer (SECURITY_DISABLED) — any client that can connect reads every topic` }
      : { status: 'unknown', reason: `kafka://${config.name}: ACLs are not readable (${type}) — grant DESCRIBE on CLUSTER to the capture principal so who can read each topic is known` };
    return { gap: { type: 'gap', item: `kafka://${config.name} ACLs`, reason }, state };
  }
}
