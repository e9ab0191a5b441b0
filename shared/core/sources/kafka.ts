import { z } from 'zod';
import { envVarName } from './env-reference.js';
import { formField } from './field.js';

/** The `kind: kafka` entry of sources.yaml. Exactly one of `brokers` (live) or `file` (a kcat -J dump). */
export const kafkaConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('kafka'),
    region: z.string().min(1),
    brokers: formField(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'a broker is host:port')).min(1).optional(), { input: 'list', label: 'sourceForm.kafka.brokers', help: 'sourceForm.kafka.brokersHelp', example: '127.0.0.1:9092' }),
    /** A `kcat -C -J` dump: one JSON object per line. Relative to the directory of sources.yaml. */
    file: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.kafka.file', help: 'sourceForm.kafka.fileHelp', example: './dumps/events.jsonl' }),
    /** Topics to capture; default: every non-internal topic. */
    topics: formField(z.array(z.string().min(1)).optional(), { input: 'list', label: 'sourceForm.kafka.topics', help: 'sourceForm.kafka.topicsHelp' }),
    /** Messages sampled per topic, spread over its partitions and offset range. */
    sampleMessages: formField(z.number().int().positive().max(100_000).default(200), { input: 'number', label: 'sourceForm.kafka.sampleMessages' }),
    ssl: formField(z.boolean().optional(), { input: 'boolean', label: 'sourceForm.kafka.ssl' }),
    sasl: formField(
      z
        .object({
          mechanism: formField(z.enum(['plain', 'scram-sha-256', 'scram-sha-512']), { input: 'enum', label: 'sourceForm.kafka.saslMechanism' }),
          username: formField(z.string().min(1), { input: 'text', label: 'sourceForm.kafka.saslUsername' }),
          /** Name of the environment variable holding the password: secrets by reference only. */
          passwordEnv: formField(envVarName(), { input: 'secret-env', label: 'sourceForm.kafka.saslPasswordEnv', help: 'sourceForm.secretEnvHelp', example: 'KAFKA_PASSWORD' }),
        })
        .strict()
        .optional(),
      { input: 'group', label: 'sourceForm.kafka.sasl' },
    ),
    /** ACLs as `kafka-acls --list` printed them (or JSON), relative to sources.yaml: used instead of DescribeAcls, and offline. */
    aclsFile: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.kafka.aclsFile', help: 'sourceForm.kafka.aclsFileHelp', example: './acls.txt' }),
    /**
     * A Confluent-compatible schema registry, read with GETs only, to decode schema-framed messages.
     * Basic-auth credentials by environment variable name only, as sasl.passwordEnv.
     */
    schemaRegistry: formField(
      z
        .object({
          url: formField(z.string().url().refine((u) => /^https?:/i.test(u), 'the schema registry url must be http(s)'), { input: 'text', label: 'sourceForm.kafka.schemaRegistryUrl', example: 'http://127.0.0.1:8081' }),
          usernameEnv: formField(envVarName().optional(), { input: 'secret-env', label: 'sourceForm.kafka.schemaRegistryUsernameEnv', example: 'SR_USER' }),
          passwordEnv: formField(envVarName().optional(), { input: 'secret-env', label: 'sourceForm.kafka.schemaRegistryPasswordEnv', help: 'sourceForm.secretEnvHelp', example: 'SR_PASSWORD' }),
        })
        .strict()
        .refine((r) => (r.usernameEnv === undefined) === (r.passwordEnv === undefined), { message: 'set both usernameEnv and passwordEnv, or neither', path: ['passwordEnv'] })
        .optional(),
      { input: 'group', label: 'sourceForm.kafka.schemaRegistry' },
    ),
  })
  .strict()
  .refine((c) => (c.brokers === undefined) !== (c.file === undefined), {
    message: 'set exactly one of brokers (a live cluster) or file (a kcat -J dump)',
    path: ['brokers'],
  });

export type KafkaSourceConfig = z.infer<typeof kafkaConfigSchema>;
