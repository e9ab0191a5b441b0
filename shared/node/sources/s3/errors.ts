import { AppError } from '../../../core/api/errors.js';

/** How an S3 call failed, from the SDK's error name and HTTP status (S3 error codes, API reference "Error responses"). */
export type S3Failure = 'denied' | 'missing' | 'unsupported' | 'other';

export function classifyS3Error(err: unknown): S3Failure {
  const e = err as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const name = e?.name ?? e?.Code ?? '';
  const status = e?.$metadata?.httpStatusCode;
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || name === 'Forbidden' || status === 403) return 'denied';
  if (/^NoSuch/.test(name) || name === 'NotFound' || status === 404) return 'missing';
  // S3-compatible servers (s3rver, some gateways) answer sub-resources they lack this way.
  if (name === 'NotImplemented' || name === 'MethodNotAllowed' || status === 501 || status === 405) return 'unsupported';
  return 'other';
}

/** A short reason for messages: the S3 error code and status, never a request or response body. */
export function s3ErrorReason(err: unknown): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  return [e?.name, status ? `HTTP ${status}` : undefined].filter(Boolean).join(', ') || (e?.message ?? String(err));
}

/** The S3 permission each read needs, for "grant …" advice. */
export const PERMISSION_FOR: Record<string, string> = {
  ListBuckets: 's3:ListAllMyBuckets',
  ListObjectsV2: 's3:ListBucket',
  GetObject: 's3:GetObject',
  GetBucketLocation: 's3:GetBucketLocation',
  GetBucketVersioning: 's3:GetBucketVersioning',
  GetBucketPolicy: 's3:GetBucketPolicy',
  GetBucketAcl: 's3:GetBucketAcl',
};

/** "s3://lake: GetObject denied on lake-eu/topics/x.json — grant s3:GetObject or exclude the bucket" */
export function deniedMessage(source: string, operation: string, target: string): string {
  return `s3://${source}: ${operation} denied on ${target} — grant ${PERMISSION_FOR[operation] ?? 'read access'} or exclude the bucket`;
}

/** Wraps an SDK error in an AppError with a message naming the source, the call and what to do. */
export function toS3AppError(source: string, operation: string, target: string, err: unknown): AppError {
  const kind = classifyS3Error(err);
  if (kind === 'denied') return new AppError('SOURCE_PERMISSION', deniedMessage(source, operation, target), { cause: err });
  if (kind === 'missing') return new AppError('NOT_FOUND', `s3://${source}: ${operation} on ${target}: not found (${s3ErrorReason(err)}) — check the bucket name in sources.yaml`, { cause: err });
  const code = (err as { name?: string })?.name;
  if (code === 'InvalidAccessKeyId' || code === 'SignatureDoesNotMatch' || code === 'CredentialsProviderError' || code === 'ExpiredToken') {
    return new AppError('SOURCE_AUTH', `s3://${source}: ${operation} on ${target} refused (${s3ErrorReason(err)}) — check accessKeyIdEnv/secretAccessKeyEnv or the AWS credential chain`, { cause: err });
  }
  const net = (err as { code?: string })?.code;
  if (net === 'ECONNREFUSED' || net === 'ENOTFOUND' || net === 'ETIMEDOUT' || net === 'ECONNRESET') {
    return new AppError('SOURCE_UNREACHABLE', `s3://${source}: ${operation} on ${target} could not connect (${net}) — check the endpoint and network`, { cause: err });
  }
  return new AppError('SOURCE_BAD_DATA', `s3://${source}: ${operation} on ${target} failed (${s3ErrorReason(err)})`, { cause: err });
}
