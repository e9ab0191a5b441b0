import { describe, expect, it } from 'vitest';
import { kafkaUrn, mysqlUrn } from '../../model/urn.js';
import { pii, table, topic, view } from '../../../../scripts/testing/fixtures/lineage-graphs.js';
import { jdbcDatabase, jdbcTargetTable, kafkaConnectJdbcSink } from './kafka-connect-jdbc-sink.js';

const nodes = [...topic('k', 'shop.shop.users', { 'after.email': [pii('EMAIL')], 'after.id': [] }), ...table('dw', 'warehouse', 'users', { email: [], id: [] }, 'eu-west-1')];
const rest = (config: Record<string, string>) => ({ urn: 'git://g/connect/jdbc.json', content: { name: 'jdbc', config: { 'connector.class': 'io.confluent.connect.jdbc.JdbcSinkConnector', ...config } } });

describe('kafka-connect-jdbc-sink', () => {
  it.each([
    ['jdbc:mysql://db:3306/warehouse?useSSL=true', 'warehouse'],
    ['jdbc:mariadb://db/warehouse', 'warehouse'],
  ])('%s → database %s', (url, db) => expect(jdbcDatabase(url)).toBe(db));

  it.each([
    ['jdbc:postgresql://db/warehouse', 'another database engine'],
    ['jdbc:mysql://db:3306', 'no database in the URL'],
  ])('%s → none (%s)', (url) => expect(jdbcDatabase(url)).toBeUndefined());

  it.each([
    [{ 'connection.url': 'jdbc:mysql://db/warehouse', 'table.name.format': 'users' }, 'x.y.z', { db: 'warehouse', table: 'users' }],
    [{ 'table.name.format': 'warehouse.${topic}' }, 'users', { db: 'warehouse', table: 'users' }],
    [{ 'connection.url': 'jdbc:mysql://db/warehouse' }, 'users', { db: 'warehouse', table: 'users' }],
  ])('%j with topic %s → %j', (config, t, expected) => expect(jdbcTargetTable(config as Record<string, string>, t)).toEqual(expected));

  it('writes topic → table and field → column edges', () => {
    const edges = kafkaConnectJdbcSink.infer(view(nodes, [rest({ topics: 'shop.shop.users', 'connection.url': 'jdbc:mysql://dw:3306/warehouse', 'table.name.format': 'users' })]));
    expect(edges.map((e) => `${e.from} → ${e.to}`).sort()).toEqual([
      `${kafkaUrn('k', 'shop.shop.users')} → ${mysqlUrn('dw', 'warehouse', 'users')}`,
      `${kafkaUrn('k', 'shop.shop.users', 'after.email')} → ${mysqlUrn('dw', 'warehouse', 'users', 'email')}`,
      `${kafkaUrn('k', 'shop.shop.users', 'after.id')} → ${mysqlUrn('dw', 'warehouse', 'users', 'id')}`,
    ]);
    expect(edges.every((e) => e.kind === 'sinks' && e.evidence.rule === 'lineage.kafka-connect-jdbc-sink')).toBe(true);
  });

  it.each([
    ['the table it names was not captured', { topics: 'shop.shop.users', 'connection.url': 'jdbc:mysql://dw/warehouse', 'table.name.format': 'customers' }],
    ['no database anywhere', { topics: 'shop.shop.users', 'table.name.format': 'users' }],
  ])('infers nothing when %s', (_why, config) => expect(kafkaConnectJdbcSink.infer(view(nodes, [rest(config)]))).toEqual([]));
});
