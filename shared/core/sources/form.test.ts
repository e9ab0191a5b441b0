import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeSourceForm, type FormFieldDescription } from './form.js';
import { formField } from './field.js';
import { gitConfigSchema } from './git.js';
import { kafkaConfigSchema } from './kafka.js';
import { kafkaConnectConfigSchema } from './kafka-connect.js';
import { kubernetesConfigSchema } from './kubernetes.js';
import { mysqlConfigSchema } from './mysql.js';
import { s3ConfigSchema } from './s3.js';
import { sourceFormMessages } from '../i18n/messages/source-form.js';

const KINDS = [
  { kind: 'git', configSchema: gitConfigSchema },
  { kind: 'kafka', configSchema: kafkaConfigSchema },
  { kind: 'kafka-connect', configSchema: kafkaConnectConfigSchema },
  { kind: 'kubernetes', configSchema: kubernetesConfigSchema },
  { kind: 'mysql', configSchema: mysqlConfigSchema },
  { kind: 's3', configSchema: s3ConfigSchema },
];

const flat = (fields: FormFieldDescription[], prefix = ''): [string, FormFieldDescription][] =>
  fields.flatMap((f) => [[prefix + f.key, f] as [string, FormFieldDescription], ...flat(f.fields ?? [], `${prefix}${f.key}.`)]);

describe('source forms generated from the config schemas', () => {
  it('describes the mysql form: inputs, required, defaults and the binlog group from the schema itself', () => {
    const form = describeSourceForm(KINDS.find((k) => k.kind === 'mysql')!);
    const byKey = Object.fromEntries(flat(form.fields));
    expect(byKey.port).toMatchObject({ input: 'number', required: false, defaultValue: 3306, label: { en: 'Port', 'zh-CN': '端口' } });
    expect(byKey.passwordEnv).toMatchObject({ input: 'secret-env', example: 'SHOP_DB_PASSWORD' });
    expect(byKey.databases.input).toBe('list');
    expect(byKey.binlog.input).toBe('group');
    expect(byKey['binlog.serverId']).toMatchObject({ input: 'number', required: true });
    expect(byKey['binlog.from']).toMatchObject({ input: 'enum', options: ['current', 'earliest'], defaultValue: 'current' });
    // name, kind and region are every source's: the form shows them itself, once.
    expect(Object.keys(byKey)).not.toContain('name');
    // A field without metadata (binlog.maxEvents, replicas) stays out of the form, not out of sources.yaml.
    expect(Object.keys(byKey)).not.toContain('replicas');
    expect(Object.keys(byKey)).not.toContain('binlog.maxEvents');
  });

  it('asks every credential as an environment variable NAME: each *Env field is secret-env, in every kind', () => {
    for (const def of KINDS) {
      const fields = flat(describeSourceForm(def).fields);
      expect(fields.length, def.kind).toBeGreaterThan(2);
      for (const [key, field] of fields) {
        if (/Env$/.test(key)) expect(field.input, `${def.kind}.${key}`).toBe('secret-env');
        if (field.input === 'secret-env') expect(key, `${def.kind}.${key}`).toMatch(/Env$/);
        expect(field.label.en, `${def.kind}.${key}`).not.toMatch(/^sourceForm\./);
        expect(field.label['zh-CN'], `${def.kind}.${key}`).toMatch(/[\u4e00-\u9fff]|^[A-Za-z ]+$/);
      }
    }
  });

  it('form text holds no "|": the catalogue reads it as a plural form and would show half the sentence', () => {
    for (const table of [sourceFormMessages.en, sourceFormMessages['zh-CN']]) {
      for (const [key, text] of Object.entries(table)) expect(text, key).not.toContain('|');
    }
  });

  it('a git source requires its checkout path; nothing else is required', () => {
    const required = flat(describeSourceForm(KINDS[0]).fields).filter(([, f]) => f.required).map(([k]) => k);
    expect(required).toEqual(['path']);
  });

  it('refuses metadata that does not fit the field, naming the kind and the field', () => {
    const bad = z.object({ name: z.string(), kind: z.literal('x'), region: z.string(), port: formField(z.string().optional(), { input: 'number', label: { en: 'Port', 'zh-CN': '端口' } }) });
    expect(() => describeSourceForm({ kind: 'x', configSchema: bad })).toThrow(/x\.port is marked "number" but its schema is a string/);
  });

  it('takes inline English and Chinese labels for a kind whose text is not in the catalogue', () => {
    const schema = z.object({ name: z.string(), kind: z.literal('y'), region: z.string(), host: formField(z.string(), { input: 'text', label: { en: 'Host', 'zh-CN': '主机' } }) });
    expect(describeSourceForm({ kind: 'y', configSchema: schema }).fields).toEqual([{ key: 'host', input: 'text', label: { en: 'Host', 'zh-CN': '主机' }, required: true }]);
  });
});
