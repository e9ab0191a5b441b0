import { z } from 'zod';
import { envVarName } from './env-reference.js';
import { formField } from './field.js';

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
    endpoint: formField(z.url().optional(), { input: 'text', label: 'sourceForm.s3.endpoint', help: 'sourceForm.s3.endpointHelp', example: 'http://127.0.0.1:9000' }),
    dir: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.s3.dir', help: 'sourceForm.s3.dirHelp', example: './dumps/lake' }),
    buckets: formField(z.array(z.string().min(1)).min(1).optional(), { input: 'list', label: 'sourceForm.s3.buckets', example: 'lake-eu' }),
    accessKeyIdEnv: formField(envVarName().optional(), { input: 'secret-env', label: 'sourceForm.s3.accessKeyIdEnv', example: 'LAKE_ACCESS_KEY_ID' }),
    secretAccessKeyEnv: formField(envVarName().optional(), { input: 'secret-env', label: 'sourceForm.s3.secretAccessKeyEnv', help: 'sourceForm.s3.credentialsHelp', example: 'LAKE_SECRET_ACCESS_KEY' }),
    forcePathStyle: formField(z.boolean().optional(), { input: 'boolean', label: 'sourceForm.s3.forcePathStyle' }),
    sampleObjectsPerPrefix: formField(z.number().int().min(0).max(1000).default(5), { input: 'number', label: 'sourceForm.s3.sampleObjectsPerPrefix' }),
    maxObjectBytes: formField(z.number().int().min(1024).max(256 * 1024 * 1024).default(1024 * 1024), { input: 'number', label: 'sourceForm.s3.maxObjectBytes' }),
    prefixDepth: formField(z.number().int().min(1).max(16).default(3), { input: 'number', label: 'sourceForm.s3.prefixDepth' }),
    /** IAM identity policies (AWS IAM or MinIO `mc admin policy info` JSON per principal), relative to sources.yaml; see s3/access.ts. */
    identityPolicies: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.s3.identityPolicies', help: 'sourceForm.s3.identityPoliciesHelp', example: './policies' }),
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
