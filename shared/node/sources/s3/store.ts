import type { PublicAccessBlockSummary } from './access.js';
import type { AclSummary, PolicySummary } from './policy.js';
import type { ReplicationSummary } from './replication.js';
import type { ListPage } from './listing.js';

/**
 * What the capture needs from a store: a live S3 endpoint (live.ts) or a copied folder
 * (offline-dir.ts). Methods throw AppError with messages naming the source and the item.
 */
export interface BucketFacts {
  /** The bucket's region from GetBucketLocation, when known. */
  location?: string;
  /** `Enabled` | `Suspended` | `Off` (never enabled) | `unsupported` | `denied` | `error` | `offline`. */
  versioning: string;
  policy: PolicySummary;
  acl: AclSummary;
  /** GetBucketReplication, or `<bucket>.replication.json` beside a copied bucket. */
  replication: ReplicationSummary;
  publicAccessBlock: PublicAccessBlockSummary;
  /** Bucket-level reads that were refused or failed: recorded as gaps, the capture goes on. */
  gaps: { item: string; reason: string }[];
}

export interface ObjectStore {
  /** The configured buckets, or every bucket the credentials can list. */
  listBuckets(): Promise<string[]>;
  bucketFacts(bucket: string): Promise<BucketFacts>;
  listPage(bucket: string, token: string | undefined): Promise<ListPage>;
  /** The first `maxBytes` of an object; `truncated` when the object is larger. */
  readHead(bucket: string, key: string, size: number, maxBytes: number): Promise<{ bytes: Uint8Array; truncated: boolean }>;
  close(): void;
}
