import { z } from 'zod';
import { envVarName } from '../env-reference.js';

/**
 * An `s3` entry of sources.yaml. Either a live store (AWS when `endpoint` is absent, or any
 * S3-compatible endpoint) or `dir`, a copied store laid out as `<dir>/<bucket>/<key>`.
 * Credentials are named by environment variable only, never written into the file.
 */
export const s3ConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('s3'),
    region: z.string().min(1),
    endpoint: z.url().optional(),
    dir: z.string().min(1).optional(),
    buckets: z.array(z.string().min(1)).min(1).optional(),
    accessKeyIdEnv: envVarName().optional(),
    secretAccessKeyEnv: envVarName().optional(),
    forcePathStyle: z.boolean().optional(),
    sampleObjectsPerPrefix: z.number().int().min(0).max(1000).default(5),
    maxObjectBytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024),
    prefixDepth: z.number().int().min(1).max(16).default(3),
    /** IAM identity policies (AWS IAM or MinIO `mc admin policy info` JSON per principal), relative to sources.yaml; see s3/access.ts. */
    identityPolicies: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.dir !== undefined && (c.endpoint !== undefined || c.accessKeyIdEnv !== undefined || c.secretAccessKeyEnv !== undefined || c.forcePathStyle !== undefined)) {
      ctx.addIssue({ code: 'custom', path: ['dir'], message: `s3://${c.name}: "dir" (a copied store) cannot be combined with endpoint, credentials or forcePathStyle — use one or the other` });
    }
    if ((c.accessKeyIdEnv === undefined) !== (c.secretAccessKeyEnv === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['accessKeyIdEnv'], message: `s3://${c.name}: set both accessKeyIdEnv and secretAccessKeyEnv, or neither to use the AWS default credential chain` });
    }
  });

export type S3SourceConfig = z.output<typeof s3ConfigSchema>;
export type S3SourceConfigInput = z.input<typeof s3ConfigSchema>;
