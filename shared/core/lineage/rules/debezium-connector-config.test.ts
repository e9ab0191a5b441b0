import { describe, expect, it } from 'vitest';
import { k8sUrn, kafkaUrn, mysqlUrn } from '../../model/urn.js';
import { edgeMask } from '../rule.js';
import { pii, table, topic, view } from '../../../../scripts/testing/fixtures/lineage-graphs.js';
import { capturesTable, debeziumConnectorConfig } from './debezium-connector-config.js';

const CR = k8sUrn('prod', 'kafka', 'KafkaConnector', 'cdc');
const cr = (config: Record<string, unknown>, cls = 'io.debezium.connector.mysql.MySqlConnector') => ({ urn: CR, content: { kind: 'KafkaConnector', metadata: { name: 'cdc', namespace: 'kafka' }, spec: { class: cls, config } } });
const nodes = [
  ...table('db', 'shop', 'users', { email: [pii('EMAIL')], id_card: [pii('CN_RESIDENT_ID')], phone: [pii('CN_MOBILE')] }),
  ...table('db', 'shop', 'orders', { id: [] }),
  ...topic('k', 'shop.shop.users', { 'after.email': [], 'after.id_card': [], 'after.phone': [] }),
  ...topic('k', 'users-unwrapped', { email: [], id_card: [], phone: [] }),
];
const col = (c: string) => mysqlUrn('db', 'shop', 'users', c);

describe('debezium-connector-config', () => {
  it.each([
    [{ 'table.include.list': 'shop\\.users' }, 'shop', 'users', true],
    [{ 'table.include.list': 'shop\\.(users|orders)' }, 'shop', 'orders', true],
    [{ 'table.include.list': 'SHOP.USERS' }, 'shop', 'users', true],
    [{ 'database.include.list': 'shop' }, 'shop', 'users', true],
    [{ 'table.exclude.list': 'shop.orders' }, 'shop', 'users', true],
    [{}, 'shop', 'users', true],
  ])('captures with %j: %s.%s', (config, db, t, captured) => expect(capturesTable(config as Record<string, string>, db, t).captured).toBe(captured));

  it.each([
    [{ 'table.include.list': 'shop\\.users' }, 'shop', 'orders', 'not in table.include.list'],
    [{ 'table.include.list': 'shop.user' }, 'shop', 'users', 'regex is anchored: a prefix does not match'],
    [{ 'database.include.list': 'billing' }, 'shop', 'users', 'database not included'],
    [{ 'table.exclude.list': 'shop\\.users' }, 'shop', 'users', 'excluded'],
  ])('does not capture with %j: %s.%s (%s)', (config, db, t, _why) => expect(capturesTable(config as Record<string, string>, db, t).captured).toBe(false));

  it('maps columns to envelope fields and records each mask on its edge', () => {
    const edges = debeziumConnectorConfig.infer(view(nodes, [cr({
      'topic.prefix': 'shop', 'table.include.list': 'shop.users',
      'column.mask.with.12.chars': 'shop.users.id_card', 'column.mask.hash.SHA-256.with.salt.s3cr3t': 'shop\\.users\\.phone',
    })]));
    const byFrom = new Map(edges.map((e) => [e.from, e]));
    expect(byFrom.get(mysqlUrn('db', 'shop', 'users'))).toMatchObject({ to: kafkaUrn('k', 'shop.shop.users'), kind: 'cdc', evidence: { config: CR } });
    expect(edgeMask(byFrom.get(col('email'))!)).toBeUndefined();
    expect(edgeMask(byFrom.get(col('id_card'))!)).toMatchObject({ kind: 'mask-with-chars' });
    expect(edgeMask(byFrom.get(col('phone'))!)).toMatchObject({ kind: 'hash' });
    // The salt is a secret of the pipeline: never copied into evidence.
    expect(JSON.stringify(edges)).not.toContain('s3cr3t');
    expect(edges.some((e) => e.from === mysqlUrn('db', 'shop', 'orders'))).toBe(false);
  });

  it('follows RegexRouter renames, unwrapped fields, MaskField and column.exclude.list', () => {
    const edges = debeziumConnectorConfig.infer(view(nodes, [cr({
      'database.server.name': 'shop', 'table.include.list': 'shop.users', 'column.exclude.list': 'shop.users.phone',
      transforms: 'route,unwrap,mask',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter', 'transforms.route.regex': 'shop\\.shop\\.(.*)', 'transforms.route.replacement': '$1-unwrapped',
      'transforms.unwrap.type': 'io.debezium.transforms.ExtractNewRecordState',
      'transforms.mask.type': 'org.apache.kafka.connect.transforms.MaskField$Value', 'transforms.mask.fields': 'email',
    })]));
    const fieldEdges = edges.filter((e) => e.from.includes('#'));
    expect(fieldEdges.map((e) => `${e.from.split('#')[1]}→${e.to}`).sort()).toEqual([
      `email→${kafkaUrn('k', 'users-unwrapped', 'email')}`,
      `id_card→${kafkaUrn('k', 'users-unwrapped', 'id_card')}`,
    ]);
    expect(edgeMask(fieldEdges.find((e) => e.from === col('email'))!)).toMatchObject({ kind: 'mask-field' });
  });

  it.each([
    ['a JDBC sink from the Debezium package', cr({ 'topic.prefix': 'shop' }, 'io.debezium.connector.jdbc.JdbcSinkConnector')],
    ['no topic.prefix nor database.server.name', cr({ 'table.include.list': 'shop.users' })],
    ['the topic it would write was not captured', cr({ 'topic.prefix': 'other', 'table.include.list': 'shop.users' })],
  ])('infers nothing for %s', (_why, config) => expect(debeziumConnectorConfig.infer(view(nodes, [config]))).toEqual([]));
});
