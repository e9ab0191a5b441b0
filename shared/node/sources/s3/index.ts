import { AppError, toAppError } from '../../../core/api/errors.js';
import type { GraphNodeInput } from '../../../core/model/graph.js';
import { s3Urn } from '../../../core/model/urn.js';
import { defineSource, type CaptureContext, type CaptureRecord } from '../source.js';
import { s3ConfigSchema, type S3SourceConfig } from './config.js';
import { bucketAccessRecords, readIdentityPolicies, type IdentityPolicy } from './access.js';
import { decodeObject } from './formats.js';
import { replicationRecords } from './replication.js';
import { BucketIndex, paginate, type ListedObject } from './listing.js';
import { OfflineDirStore } from './offline-dir.js';
import { MAX_RECORD_DEPTH, PrefixSample, redactKey, urnSafePrefix } from './sampling.js';
import type { ObjectStore } from './store.js';

export { s3ConfigSchema, type S3SourceConfig, type S3SourceConfigInput } from './config.js';

/**
 * The `s3` source: buckets, prefix summaries and sampled object fields with PII verdicts, from a
 * live S3/S3-compatible store (ListBuckets, ListObjectsV2, GetBucket{Location,Versioning,Policy,Acl},
 * ranged GetObject — reads only) or from a copied folder `<dir>/<bucket>/<key>`.
 *
 * Records: `bucket` nodes (urn `s3://<source>/<bucket>`), `prefix` nodes for every directory level
 * up to `prefixDepth`, `field` nodes under each dataset prefix (e.g. `topics/<topic>` of a Kafka
 * Connect sink), `contains` edges bucket → prefix → field, and `gap`s for what could not be read.
 * Raw values never leave sampling.ts: records carry masked examples and keyed fingerprints only.
 */
export const s3Source = defineSource<S3SourceConfig>({
  kind: 's3',
  configSchema: s3ConfigSchema,
  async testConnection(config, ctx) {
    let store: ObjectStore | undefined;
    try {
      store = await openStore(config, { ...ctx, warn: () => {} });
      const buckets = await store.listBuckets();
      for (const b of buckets.slice(0, 10)) await store.listPage(b, undefined);
      return { ok: true, message: `s3://${config.name}: ${buckets.length} bucket(s) listable${buckets.length ? ` (${buckets.slice(0, 5).join(', ')}${buckets.length > 5 ? ', …' : ''})` : ''}` };
    } catch (err) {
      return { ok: false, message: toAppError(err, 'SOURCE_UNREACHABLE').message };
    } finally {
      store?.close();
    }
  },
  capture: captureS3,
});

export default s3Source;

async function openStore(config: S3SourceConfig, ctx: Pick<CaptureContext, 'baseDir' | 'signal' | 'log' | 'warn'>): Promise<ObjectStore> {
  if (config.dir !== undefined) return new OfflineDirStore({ ...config, dir: config.dir }, ctx.baseDir, (item, message) => ctx.warn(item, message));
  // The AWS SDK loads only when a live store is reached.
  const { LiveS3Store } = await import('./live.js');
  return new LiveS3Store(config, ctx.signal, ctx.log);
}

/** Object reads in flight per prefix: hides request latency without flooding the endpoint. */
const READ_CONCURRENCY = 4;

/** Identity policies are read once per capture (the same file serves every bucket); a bad file fails that item only. */
const identityCache = new WeakMap<S3SourceConfig, Promise<IdentityPolicy[] | undefined>>();
function identityOf(config: S3SourceConfig, ctx: CaptureContext): Promise<IdentityPolicy[] | undefined> {
  if (!config.identityPolicies) return Promise.resolve(undefined);
  let p = identityCache.get(config);
  if (!p) {
    p = readIdentityPolicies(config.identityPolicies, config.name, ctx.baseDir).catch((err) => {
      ctx.fail(`s3://${config.name} identityPolicies`, err);
      return undefined;
    });
    identityCache.set(config, p);
  }
  return p;
}

function checkCancelled(ctx: CaptureContext): void {
  if (ctx.signal.aborted) throw new AppError('CANCELLED', `s3://${ctx.sourceName}: capture cancelled`);
}

async function* captureS3(config: S3SourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  const store = await openStore(config, ctx);
  const counters = { listed: 0, sampled: 0 };
  try {
    checkCancelled(ctx);
    const buckets = await store.listBuckets();
    ctx.log.info('capturing buckets', { source: ctx.sourceName, buckets: buckets.length, offline: config.dir !== undefined });
    for (const bucket of buckets) {
      checkCancelled(ctx);
      yield* captureBucket(config, ctx, store, bucket, counters);
    }
  } finally {
    store.close();
  }
}

async function* captureBucket(config: S3SourceConfig, ctx: CaptureContext, store: ObjectStore, bucket: string, counters: { listed: number; sampled: number }): AsyncGenerator<CaptureRecord> {
  const src = ctx.sourceName;
  const bucketUrn = s3Urn(src, bucket);
  const facts = await store.bucketFacts(bucket);
  const region = facts.location ?? ctx.region;

  const index = new BucketIndex(config.prefixDepth, config.sampleObjectsPerPrefix);
  let listing: 'complete' | 'truncated' | 'denied' = 'complete';
  try {
    const pages = paginate((token) => store.listPage(bucket, token));
    for (;;) {
      checkCancelled(ctx);
      const page = await pages.next();
      if (page.done) {
        if (page.value.truncated) listing = 'truncated';
        break;
      }
      for (const o of page.value) index.add(o);
      counters.listed += page.value.length;
      ctx.progress({ done: counters.listed, item: `listing ${bucket}` });
    }
  } catch (err) {
    const e = toAppError(err);
    if (e.code === 'CANCELLED') throw e;
    if (e.code !== 'SOURCE_PERMISSION') {
      ctx.fail(`s3://${src}/${bucket}`, e);
      return;
    }
    listing = 'denied';
    yield { type: 'gap', item: `s3://${src}/${bucket} (ListObjectsV2)`, reason: e.message };
    ctx.warn(`s3://${src}/${bucket}`, e.message);
  }
  if (listing === 'truncated') ctx.warn(`s3://${src}/${bucket}`, `s3://${src}: listing of ${bucket} stopped after ${index.objectCount} objects — counts are lower bounds; narrow "buckets" or capture prefixes separately`);
  if (index.prefixesDropped > 0) ctx.warn(`s3://${src}/${bucket}`, `s3://${src}: ${bucket} has more prefixes than summarised; ${index.prefixesDropped} object placements were not counted per prefix — lower prefixDepth`);

  const bucketNode: GraphNodeInput = {
    urn: bucketUrn,
    kind: 'bucket',
    name: bucket,
    source: src,
    region,
    props: {
      location: facts.location ?? null,
      versioning: facts.versioning,
      policy: facts.policy,
      acl: facts.acl,
      replication: facts.replication,
      publicAccessBlock: facts.publicAccessBlock,
      listing,
      objectCount: listing === 'denied' ? null : index.objectCount,
      bytes: listing === 'denied' ? null : index.bytes,
    },
  };
  yield { type: 'node', node: bucketNode };
  for (const gap of facts.gaps) yield { type: 'gap', ...gap };
  checkCancelled(ctx);
  yield* bucketAccessRecords({ source: src, region, bucket, policy: facts.policy, publicAccessBlock: facts.publicAccessBlock, identity: await identityOf(config, ctx), fingerprint: ctx.fingerprint, offline: config.dir !== undefined });
  yield* replicationRecords(src, bucket, facts.replication, config.dir !== undefined ? `${bucket}.replication.json` : 'GetBucketReplication');

  // Parents sort before children (`a` < `a/b`), so every prefix node follows its parent.
  for (const prefix of [...index.prefixes.keys()].sort()) {
    checkCancelled(ctx);
    const stats = index.prefixes.get(prefix)!;
    // Raw prefixes only address objects; everything kept names them PII-safe.
    const safe = urnSafePrefix(prefix, ctx.fingerprint);
    const urn = s3Urn(src, bucket, safe);
    const slash = safe.lastIndexOf('/');
    const parent = slash === -1 ? bucketUrn : s3Urn(src, bucket, safe.slice(0, slash));
    const candidates = index.candidates.get(prefix);
    const sample = candidates ? yield* sampleObjects(config, ctx, store, bucket, safe, candidates, counters) : undefined;
    yield {
      type: 'node',
      node: {
        urn,
        kind: 'prefix',
        name: safe,
        source: src,
        region,
        parent,
        props: {
          prefix: `${safe}/`,
          count: stats.count,
          bytes: stats.bytes,
          newest: stats.newest?.toISOString() ?? null,
          sampleKeys: stats.sampleKeys.map(redactKey),
          ...(sample && { dataset: true, objectsSampled: sample.objectsSampled, fields: sample.fieldCount }),
        },
      },
    };
    yield { type: 'edge', edge: { from: parent, to: urn, kind: 'contains', confidence: 1, evidence: { rule: 's3.prefix', detail: `${stats.count} object(s) listed under ${bucket}/${safe}/` } } };
    if (sample) yield* sample.toRecords(ctx, urn, region);
  }
  // Objects at the bucket's root: their fields belong to the bucket itself.
  const rootCandidates = index.candidates.get('');
  if (rootCandidates) {
    const sample = yield* sampleObjects(config, ctx, store, bucket, '', rootCandidates, counters);
    yield* sample.toRecords(ctx, bucketUrn, region);
  }
}

/**
 * Reads and parses the chosen objects of one prefix. Per-object problems are warnings (ragged
 * rows, skipped formats, denied reads) or failures (corrupt data); the prefix goes on.
 */
async function* sampleObjects(
  config: S3SourceConfig,
  ctx: CaptureContext,
  store: ObjectStore,
  bucket: string,
  prefix: string,
  candidates: ListedObject[],
  counters: { listed: number; sampled: number },
): AsyncGenerator<CaptureRecord, PrefixSample> {
  const src = ctx.sourceName;
  const sample = new PrefixSample(bucket, prefix);
  const read = async (o: ListedObject) => {
    try {
      const { bytes, truncated } = await store.readHead(bucket, o.key, o.size, config.maxObjectBytes);
      return { ok: true as const, decoded: await decodeObject(o.key, bytes, truncated, config.maxObjectBytes) };
    } catch (err) {
      return { ok: false as const, error: toAppError(err, 'SOURCE_BAD_DATA') };
    }
  };
  // A few reads in flight hide per-request latency; results are still applied in key order.
  for (let i = 0; i < candidates.length; i += READ_CONCURRENCY) {
    checkCancelled(ctx);
    const batch = candidates.slice(i, i + READ_CONCURRENCY);
    const results = await Promise.all(batch.map(read));
    for (let j = 0; j < batch.length; j++) {
      const o = batch[j];
      const r = results[j];
      // Keys can hold PII (`users/alice@example.com.json`): messages name them masked.
      const safeKey = redactKey(o.key);
      const item = `s3://${src}/${bucket}/${safeKey}`;
      const where = `${bucket}/${safeKey}`;
      if (!r.ok) {
        const e = r.error;
        if (e.code === 'CANCELLED' || ctx.signal.aborted) throw e;
        if (e.code === 'SOURCE_PERMISSION') {
          ctx.warn(item, e.message);
          yield { type: 'gap', item, reason: e.message };
        } else if (e.code === 'SOURCE_BAD_DATA' && !e.message.startsWith('s3://')) {
          ctx.fail(item, new AppError('SOURCE_BAD_DATA', `s3://${src}: ${where}: ${e.message} — object skipped`, { cause: e }));
        } else {
          ctx.fail(item, e);
        }
        continue;
      }
      if (r.decoded.kind === 'skipped') {
        ctx.warn(item, `s3://${src}: ${where}: ${r.decoded.reason}`);
        continue;
      }
      sample.addObject(r.decoded.parsed.records);
      for (const p of r.decoded.parsed.problems) ctx.warn(item, `s3://${src}: ${where}: ${p}`);
      counters.sampled++;
      ctx.progress({ done: counters.sampled, item: `sampling ${where}` });
    }
  }
  if (sample.recordsTooDeep > 0) ctx.warn(`s3://${src}/${bucket}/${prefix}`, `s3://${src}: ${bucket}/${prefix}: ${sample.recordsTooDeep} record(s) nested deeper than ${MAX_RECORD_DEPTH} levels were profiled only to that depth`);
    if (sample.fieldsDropped > 0) ctx.warn(`s3://${src}/${bucket}/${prefix}`, `s3://${src}: ${bucket}/${prefix}: more than ${sample.fieldCount} distinct fields; ${sample.fieldsDropped} values of further fields were not profiled`);
  return sample;
}
