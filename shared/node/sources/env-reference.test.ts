import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { Store } from '../store/index.js';
import { DriftlineService } from '../services/driftline-service.js';
import { parseSourcesYaml } from './sources-file.js';

// A password pasted where the NAME of its environment variable belongs must be refused without
// being repeated in the message, and never stored (issue #10, point 6).
const PASTED = 'Hunter2_Correct_Horse';
const tmp = useTempHome();
afterAll(() => tmp.cleanup());

const entries: [string, string][] = [
  ['mysql passwordEnv', `- name: db\n  kind: mysql\n  region: eu-west-1\n  host: 127.0.0.1\n  user: audit\n  passwordEnv: ${PASTED}\n`],
  ['kafka sasl.passwordEnv', `- name: bus\n  kind: kafka\n  region: eu-west-1\n  brokers: ['127.0.0.1:9092']\n  sasl: { mechanism: plain, username: audit, passwordEnv: ${PASTED} }\n`],
  ['kafka schemaRegistry.passwordEnv', `- name: bus\n  kind: kafka\n  region: eu-west-1\n  brokers: ['127.0.0.1:9092']\n  schemaRegistry: { url: 'http://127.0.0.1:8081', usernameEnv: SR_USER, passwordEnv: ${PASTED} }\n`],
  ['kafka-connect passwordEnv', `- name: connect\n  kind: kafka-connect\n  region: eu-west-1\n  url: http://127.0.0.1:8083\n  usernameEnv: CONNECT_USER\n  passwordEnv: ${PASTED}\n`],
  ['s3 secretAccessKeyEnv', `- name: lake\n  kind: s3\n  region: eu-west-1\n  endpoint: http://127.0.0.1:9000\n  accessKeyIdEnv: S3_KEY\n  secretAccessKeyEnv: ${PASTED}\n`],
];

describe('credentials by environment variable name', () => {
  it.each(entries)('%s holding what looks like the password itself is refused, and the message does not repeat it', (_what, yaml) => {
    let message = '';
    try {
      parseSourcesYaml(`sources:\n${yaml}`);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/NAME of an environment variable/);
    expect(message).not.toContain(PASTED);
    // A real variable name in the same place is accepted.
    expect(() => parseSourcesYaml(`sources:\n${yaml.replace(PASTED, 'AUDIT_SECRET')}`)).not.toThrow();
  });

  it('the studio refuses to save such a source: the error does not repeat it and the workspace never holds it', async () => {
    const store = Store.open(tmp.path('w.driftline'), { create: true });
    const service = new DriftlineService(store);
    const entry = { name: 'db', kind: 'mysql', region: 'eu-west-1', host: '127.0.0.1', user: 'audit', passwordEnv: PASTED };
    const err = await Promise.resolve().then(() => service.handlers['sources:save']({ entry })).then(() => undefined, (e: Error) => e);
    expect(err).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(err!.message).not.toContain(PASTED);
    expect(service.handlers['sources:list']({})).toEqual([]);
    store.close();
    for (const f of readdirSync(tmp.dir).filter((n) => n.startsWith('w.driftline'))) expect(readFileSync(tmp.path(f)).includes(PASTED), f).toBe(false);
  });
});
