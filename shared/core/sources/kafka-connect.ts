import { z } from 'zod';
import { envVarName } from './env-reference.js';
import { formField } from './field.js';

/**
 * The `kind: kafka-connect` entry of sources.yaml: a Kafka Connect cluster, read through its REST API
 * (`url`) with GET /connectors, /connectors/{name}/config and /connectors/{name}/status only, or
 * offline (`file`) from the JSON those calls return.
 */
export const kafkaConnectConfigSchema = z
  .object({
    name: z.string().min(1),
    kind: z.literal('kafka-connect'),
    region: z.string().min(1),
    url: formField(z.string().url().refine((u) => /^https?:/i.test(u), 'the Connect REST url must be http(s)').optional(), { input: 'text', label: 'sourceForm.kafkaConnect.url', example: 'http://127.0.0.1:8083' }),
    /** Basic-auth credentials by environment variable name only. */
    usernameEnv: formField(envVarName().optional(), { input: 'secret-env', label: 'sourceForm.kafkaConnect.usernameEnv', example: 'CONNECT_USER' }),
    passwordEnv: formField(envVarName().optional(), { input: 'secret-env', label: 'sourceForm.kafkaConnect.passwordEnv', help: 'sourceForm.secretEnvHelp', example: 'CONNECT_PASSWORD' }),
    /**
     * Offline: a JSON file, relative to sources.yaml — `GET /connectors?expand=info&expand=status`
     * output, or `{ "<name>": { "config": {…}, "status": {…} } }` built from the per-connector calls.
     */
    file: formField(z.string().min(1).optional(), { input: 'path', label: 'sourceForm.kafkaConnect.file', help: 'sourceForm.kafkaConnect.fileHelp', example: './dumps/connectors.json' }),
  })
  .strict()
  .refine((c) => (c.url === undefined) !== (c.file === undefined), { message: 'set exactly one of url (a live Connect cluster) or file (its REST answers as JSON)', path: ['url'] })
  .refine((c) => (c.usernameEnv === undefined) === (c.passwordEnv === undefined), { message: 'set both usernameEnv and passwordEnv, or neither', path: ['passwordEnv'] });

export type KafkaConnectSourceConfig = z.infer<typeof kafkaConnectConfigSchema>;
