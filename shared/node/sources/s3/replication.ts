import { netUrn, s3Urn } from '../../../core/model/urn.js';
import { splitS3Resource } from '../../../core/access/s3-patterns.js';
import type { CaptureRecord } from '../source.js';

/**
 * Bucket replication as `replicates` edges (an egress path: the copies land wherever the destination
 * bucket is). Live from GetBucketReplication (S3 and MinIO answer the same API); offline from
 * `<dir>/<bucket>.replication.json` beside a copied bucket, holding what
 * `aws s3api get-bucket-replication` prints ({"ReplicationConfiguration": {Role, Rules}}).
 *
 * The destination is named `net://s3/<bucket>`: bucket names are global on AWS, and the egress
 * analyzer joins it to a captured bucket of that name (whose region is then known).
 */
export interface ReplicationRuleSummary {
  id?: string;
  status: string;
  /** Only objects under this prefix (Filter.Prefix, And.Prefix or the legacy Prefix); '' = all. */
  prefix: string;
  destinationBucket: string;
  destinationArn: string;
  account?: string;
  storageClass?: string;
}

export type ReplicationSummary =
  | { status: 'present'; role?: string; rules: ReplicationRuleSummary[] }
  | { status: 'none' | 'unsupported' | 'denied' | 'error' | 'offline' | 'invalid'; reason?: string };

interface SdkRule {
  ID?: string;
  Status?: string;
  Prefix?: string;
  Filter?: { Prefix?: string; And?: { Prefix?: string } };
  Destination?: { Bucket?: string; Account?: string; StorageClass?: string };
}

/** Summarises a ReplicationConfiguration (SDK output or the CLI's JSON: the same shape). */
export function summariseReplication(config: unknown): ReplicationSummary {
  const c = (config && typeof config === 'object' && 'ReplicationConfiguration' in config ? (config as { ReplicationConfiguration: unknown }).ReplicationConfiguration : config) as { Role?: string; Rules?: SdkRule[] } | null;
  if (!c || typeof c !== 'object' || !Array.isArray(c.Rules)) return { status: 'invalid', reason: 'expected {"ReplicationConfiguration": {"Role": …, "Rules": […]}} as aws s3api get-bucket-replication prints it' };
  const rules = c.Rules.slice(0, 1000).flatMap((r): ReplicationRuleSummary[] => {
    const arn = r.Destination?.Bucket;
    if (!arn) return [];
    // AWS: arn:aws:s3:::dest; MinIO: arn:minio:replication::<id>:dest.
    const bucket = splitS3Resource(arn)?.bucket ?? arn.slice(arn.lastIndexOf(':') + 1);
    return [{
      ...(r.ID && { id: r.ID }), status: r.Status ?? 'Enabled', prefix: r.Filter?.Prefix ?? r.Filter?.And?.Prefix ?? r.Prefix ?? '',
      destinationBucket: bucket, destinationArn: arn, ...(r.Destination?.Account && { account: r.Destination.Account }), ...(r.Destination?.StorageClass && { storageClass: r.Destination.StorageClass }),
    }];
  });
  return { status: 'present', ...(c.Role && { role: c.Role }), rules };
}

/** Destination nodes and one `replicates` edge per enabled rule's destination. */
export function* replicationRecords(source: string, bucket: string, summary: ReplicationSummary, origin: string): Generator<CaptureRecord> {
  if (summary.status !== 'present') return;
  const from = s3Urn(source, bucket);
  const byDestination = new Map<string, ReplicationRuleSummary[]>();
  for (const r of summary.rules) {
    if (r.status !== 'Enabled') continue;
    byDestination.set(r.destinationBucket, [...(byDestination.get(r.destinationBucket) ?? []), r]);
  }
  for (const [dest, rules] of byDestination) {
    const to = netUrn('s3', dest);
    yield { type: 'node', node: { urn: to, kind: 'endpoint', name: `s3 bucket ${dest}`, source, props: { system: 's3', bucket: dest, arn: rules[0].destinationArn, ...(rules[0].account && { account: rules[0].account }) } } };
    const prefixes = rules.map((r) => r.prefix);
    yield {
      type: 'edge',
      edge: {
        from, to, kind: 'replicates', confidence: 1,
        evidence: {
          rule: 'replicates.s3-bucket',
          detail: `${origin}: ${rules.map((r) => `rule ${r.id ?? '(no id)'} replicates ${r.prefix ? `objects under ${r.prefix}` : 'every object'} of ${bucket} to ${r.destinationArn}`).join('; ')}`,
          destinationBucket: dest,
          // '' means the whole bucket: the coverage of each prefix is decided from these.
          prefixes: prefixes.includes('') ? [''] : prefixes,
          ...(summary.role && { role: summary.role }),
        },
      },
    };
  }
}
