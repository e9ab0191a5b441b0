import {
  GetBucketAclCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketReplicationCommand,
  GetPublicAccessBlockCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { AppError } from '../../../core/api/errors.js';
import type { Logger } from '../../log/logger.js';
import type { S3SourceConfig } from './config.js';
import { classifyS3Error, deniedMessage, s3ErrorReason, toS3AppError } from './errors.js';
import type { ListPage } from './listing.js';
import { summariseAcl, summarisePolicy, type AclSummary, type PolicySummary } from './policy.js';
import { summariseReplication, type ReplicationSummary } from './replication.js';
import type { PublicAccessBlockSummary } from './access.js';
import { redactKey } from './sampling.js';
import type { BucketFacts, ObjectStore } from './store.js';

/** Keys per ListObjectsV2 page (S3's maximum). */
const PAGE_SIZE = 1000;

/** Credentials from the named environment variables, or undefined for the AWS default chain. */
function credentialsFromEnv(config: S3SourceConfig): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (!config.accessKeyIdEnv || !config.secretAccessKeyEnv) return undefined;
  const read = (name: string, field: string): string => {
    const v = process.env[name];
    if (!v) throw new AppError('CONFIG_INVALID', `s3://${config.name}: environment variable ${name} (${field}) is not set — export it, or remove accessKeyIdEnv/secretAccessKeyEnv to use the AWS default credential chain`);
    return v;
  };
  return { accessKeyId: read(config.accessKeyIdEnv, 'accessKeyIdEnv'), secretAccessKey: read(config.secretAccessKeyEnv, 'secretAccessKeyEnv') };
}

/** An SDK client for the source. Checksums only when required: S3-compatible stores often lack them. */
export function createS3Client(config: S3SourceConfig): S3Client {
  // The SDK warns on Node 20 that its releases after January 2027 need Node 22; ours is pinned to
  // one that runs here, so the warning only clutters every scan's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    region: config.region,
    ...(config.endpoint && { endpoint: config.endpoint }),
    forcePathStyle: config.forcePathStyle ?? config.endpoint !== undefined,
    credentials: credentialsFromEnv(config),
    // On AWS a bucket in another region answers 301; follow it instead of failing the bucket.
    followRegionRedirects: config.endpoint === undefined,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    // Bounds every request in time: a stalled endpoint fails the item instead of hanging the scan.
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 60_000 },
  });
}

/** A live S3 (or S3-compatible) store. Only List/Get/Head requests are ever sent. */
export class LiveS3Store implements ObjectStore {
  private readonly client: S3Client;

  constructor(private readonly config: S3SourceConfig, private readonly signal: AbortSignal, private readonly log: Logger) {
    this.client = createS3Client(config);
  }

  /** An SDK failure as an AppError; a cancelled capture stays a cancellation, not a source error. */
  private failure(operation: string, target: string, err: unknown): AppError {
    if (this.signal.aborted) return new AppError('CANCELLED', `s3://${this.config.name}: capture cancelled during ${operation} on ${target}`, { cause: err });
    return toS3AppError(this.config.name, operation, target, err);
  }

  /** Every call can be cancelled with the capture. */
  private get opts(): { abortSignal: AbortSignal } {
    return { abortSignal: this.signal };
  }

  async listBuckets(): Promise<string[]> {
    if (this.config.buckets) return this.config.buckets;
    try {
      const out = await this.client.send(new ListBucketsCommand({}), this.opts);
      return (out.Buckets ?? []).map((b) => b.Name).filter((n): n is string => !!n).sort();
    } catch (err) {
      if (this.signal.aborted) throw this.failure('ListBuckets', 'the endpoint', err);
      if (classifyS3Error(err) === 'denied') {
        throw new AppError('SOURCE_PERMISSION', `s3://${this.config.name}: ListBuckets denied — grant s3:ListAllMyBuckets or list the buckets to capture under "buckets" in sources.yaml`, { cause: err });
      }
      throw this.failure('ListBuckets', this.config.endpoint ?? 'AWS', err);
    }
  }

  async bucketFacts(bucket: string): Promise<BucketFacts> {
    const gaps: BucketFacts['gaps'] = [];
    const src = this.config.name;
    /** Runs one bucket-level read; refusals become gaps, unsupported sub-resources a status. */
    const attempt = async <T>(operation: string, run: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; status: 'unsupported' | 'denied' | 'missing' | 'error'; reason: string }> => {
      try {
        return { ok: true, value: await run() };
      } catch (err) {
        if (this.signal.aborted) throw this.failure(operation, bucket, err);
        const kind = classifyS3Error(err);
        const reason = s3ErrorReason(err);
        if (kind === 'denied') gaps.push({ item: `s3://${src}/${bucket} (${operation})`, reason: deniedMessage(src, operation, bucket) });
        else if (kind === 'other') gaps.push({ item: `s3://${src}/${bucket} (${operation})`, reason: `${operation} failed: ${reason}` });
        else this.log.debug('bucket sub-resource not available', { bucket, operation, reason });
        return { ok: false, status: kind === 'other' ? 'error' : kind, reason };
      }
    };

    const loc = await attempt('GetBucketLocation', () => this.client.send(new GetBucketLocationCommand({ Bucket: bucket }), this.opts));
    // An empty LocationConstraint means us-east-1 (S3 API reference, GetBucketLocation); 'EU' is the legacy name of eu-west-1.
    const location = loc.ok ? normaliseLocation(loc.value.LocationConstraint) : undefined;

    const ver = await attempt('GetBucketVersioning', () => this.client.send(new GetBucketVersioningCommand({ Bucket: bucket }), this.opts));
    const versioning = ver.ok ? (ver.value.Status ?? 'Off') : ver.status === 'missing' ? 'unsupported' : ver.status;

    const pol = await attempt('GetBucketPolicy', () => this.client.send(new GetBucketPolicyCommand({ Bucket: bucket }), this.opts));
    let policy: PolicySummary;
    if (pol.ok) policy = pol.value.Policy ? summarisePolicy(pol.value.Policy) : { status: 'none' };
    // NoSuchBucketPolicy: the bucket simply has none.
    else policy = pol.status === 'missing' ? { status: 'none' } : { status: pol.status, reason: pol.reason };

    const acl = await attempt('GetBucketAcl', () => this.client.send(new GetBucketAclCommand({ Bucket: bucket }), this.opts));
    const aclSummary: AclSummary = acl.ok ? summariseAcl(acl.value.Owner, acl.value.Grants) : { status: acl.status === 'missing' ? 'error' : acl.status, reason: acl.reason };

    // ReplicationConfigurationNotFoundError / NoSuchPublicAccessBlockConfiguration: the bucket has none.
    const rep = await attempt('GetBucketReplication', () => this.client.send(new GetBucketReplicationCommand({ Bucket: bucket }), this.opts));
    const replication: ReplicationSummary = rep.ok ? summariseReplication(rep.value.ReplicationConfiguration ?? null) : { status: rep.status === 'missing' || /ReplicationConfigurationNotFound/.test(rep.reason) ? 'none' : rep.status, reason: rep.reason };
    const pab = await attempt('GetPublicAccessBlock', () => this.client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }), this.opts));
    const publicAccessBlock: PublicAccessBlockSummary = pab.ok ? { status: 'present', config: pab.value.PublicAccessBlockConfiguration ?? {} } : { status: pab.status === 'missing' ? 'none' : pab.status, reason: pab.reason };

    return { location, versioning, policy, acl: aclSummary, replication, publicAccessBlock, gaps };
  }

  async listPage(bucket: string, token: string | undefined): Promise<ListPage> {
    try {
      const out = await this.client.send(
        new ListObjectsV2Command({ Bucket: bucket, MaxKeys: PAGE_SIZE, ...(token && { ContinuationToken: token }) }),
        this.opts,
      );
      const objects = (out.Contents ?? []).filter((o) => o.Key !== undefined).map((o) => ({ key: o.Key!, size: o.Size ?? 0, lastModified: o.LastModified }));
      return { objects, next: out.IsTruncated ? out.NextContinuationToken : undefined };
    } catch (err) {
      throw this.failure('ListObjectsV2', bucket, err);
    }
  }

  async readHead(bucket: string, key: string, size: number, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }> {
    try {
      // Always a ranged GET: a listing's size can be stale, the Range header cannot be exceeded.
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${maxBytes - 1}` }),
        this.opts,
      );
      const bytes = (await out.Body?.transformToByteArray()) ?? new Uint8Array();
      const total = out.ContentRange ? Number(out.ContentRange.split('/')[1]) : size;
      return { bytes: bytes.subarray(0, maxBytes), truncated: bytes.length >= maxBytes && (Number.isFinite(total) ? total > maxBytes : true) };
    } catch (err) {
      throw this.failure('GetObject', `${bucket}/${redactKey(key)}`, err);
    }
  }

  close(): void {
    this.client.destroy();
  }
}

function normaliseLocation(c: string | undefined): string {
  if (!c) return 'us-east-1';
  if (c === 'EU') return 'eu-west-1';
  return c;
}
