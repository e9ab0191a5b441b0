import { z } from 'zod';
import { envVarName } from '../env-reference.js';

/** The `kind: kafka` entry of sources.yaml. Exactly one of `brokers` (live) or `file` (a kcat -J dump). */
export const kafkaConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('kafka'),
    region: z.string().min(1),
    brokers: z.array(z.string().regex(/^[^\s:]+:\d+$/, 'a broker is host:port')).min(1).optional(),
    /** A `kcat -C -J` dump: one JSON object per line. Relative to the directory of sources.yaml. */
    file: z.string().min(1).optional(),
    /** Topics to capture; default: every non-internal topic. */
    topics: z.array(z.string().min(1)).optional(),
    /** Messages sampled per topic, spread over its partitions and offset range. */
    sampleMessages: z.number().int().positive().max(100_000).default(200),
    ssl: z.boolean().optional(),
    sasl: z
      .object({
        mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
        username: z.string().min(1),
        /** Name of the environment variable holding the password: secrets by reference only. */
        passwordEnv: envVarName(),
      })
      .strict()
      .optional(),
    /** ACLs as `kafka-acls --list` printed them (or JSON), relative to sources.yaml: used instead of DescribeAcls, and offline. */
    aclsFile: z.string().min(1).optional(),
    /**
     * A Confluent-compatible schema registry, read with GETs only, to decode schema-framed messages.
     * Basic-auth credentials by environment variable name only, as sasl.passwordEnv.
     */
    schemaRegistry: z
      .object({
        url: z.string().url().refine((u) => /^https?:/i.test(u), 'the schema registry url must be http(s)'),
        usernameEnv: envVarName().optional(),
        passwordEnv: envVarName().optional(),
      })
      .strict()
      .refine((r) => (r.usernameEnv === undefined) === (r.passwordEnv === undefined), { message: 'set both usernameEnv and passwordEnv, or neither', path: ['passwordEnv'] })
      .optional(),
  })
  .strict()
  .refine((c) => (c.brokers === undefined) !== (c.file === undefined), {
    message: 'set exactly one of brokers (a live cluster) or file (a kcat -J dump)',
    path: ['brokers'],
  });

export type KafkaSourceConfig = z.infer<typeof kafkaConfigSchema>;

/** Largest record batch a sampling fetch may bring per partition; bigger messages are reported, not read. */
export const PARTITION_MAX_BYTES = 1024 * 1024;
/** Cap of a whole fetch response (KIP-74 `max_bytes`). */
export const FETCH_MAX_BYTES = 4 * 1024 * 1024;
/** Longest kcat dump line read into memory; longer lines are skipped as oversize. */
export const MAX_DUMP_LINE_BYTES = 4 * 1024 * 1024;
