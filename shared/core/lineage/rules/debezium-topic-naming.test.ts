import { describe, expect, it } from 'vitest';
import { kafkaUrn, mysqlUrn } from '../../model/urn.js';
import { pii, table, topic, view } from '../../../../scripts/testing/fixtures/lineage-graphs.js';
import { debeziumTopicNaming, parseDebeziumTopicName } from './debezium-topic-naming.js';

const users = table('db', 'shop', 'users', { email: [pii('EMAIL')], id: [] });

describe('debezium-topic-naming', () => {
  it.each([
    ['shop.shop.users', { prefix: 'shop', db: 'shop', table: 'users' }],
    ['prod.cn.shop.users', { prefix: 'prod.cn', db: 'shop', table: 'users' }],
  ])('parses %s', (name, expected) => expect(parseDebeziumTopicName(name)).toEqual(expected));

  it.each([
    ['shop.users', 'two parts: no prefix'],
    ['shop..users', 'an empty segment'],
    ['users', 'a plain topic name'],
  ])('rejects %s (%s)', (name) => expect(parseDebeziumTopicName(name)).toBeUndefined());

  it.each([
    { why: 'name and envelope agree', name: 'shop.shop.users', debezium: { db: 'shop', table: 'users', name: 'shop' }, confidence: 0.98, detail: 'envelope source.db=shop source.table=users' },
    { why: 'name only', name: 'shop.shop.users', debezium: undefined, confidence: 0.6, detail: 'no Debezium envelope sampled' },
    { why: 'envelope only (topic renamed by a router)', name: 'cdc-users', debezium: { db: 'shop', table: 'users' }, confidence: 0.85, detail: 'topic cdc-users' },
  ])('infers table → topic and column → field when $why', ({ name, debezium, confidence, detail }) => {
    const v = view([...users, ...topic('k', name, { 'after.email': [], 'before.email': [], 'after.id': [], 'source.table': [] }, debezium ? { debezium } : {})]);
    const edges = debeziumTopicNaming.infer(v);
    const tableEdge = edges.find((e) => e.from === mysqlUrn('db', 'shop', 'users'))!;
    expect(tableEdge).toMatchObject({ to: kafkaUrn('k', name), kind: 'cdc', confidence });
    expect(tableEdge.evidence.detail).toContain(detail);
    expect(tableEdge.evidence.fieldMap).toEqual({ email: 'after.email', id: 'after.id' });
    expect(edges.filter((e) => e.from.includes('#')).map((e) => `${e.from.split('#')[1]}→${e.to.split('#')[1]}`).sort()).toEqual(['email→after.email', 'email→before.email', 'id→after.id']);
  });

  it.each([
    { why: 'no captured table of that name', nodes: topic('k', 'shop.shop.orders', { 'after.id': [] }) },
    { why: 'the envelope names another table than the topic name', nodes: topic('k', 'shop.shop.users', { 'after.id': [] }, { debezium: { db: 'shop', table: 'orders' } }) },
    { why: 'not a Debezium-shaped name and no envelope', nodes: topic('k', 'users', { 'after.id': [] }) },
  ])('infers nothing when $why', ({ nodes }) => {
    expect(debeziumTopicNaming.infer(view([...users, ...nodes]))).toEqual([]);
  });

  it('lowers confidence when two captured tables share db.table', () => {
    const v = view([...users, ...table('db2', 'shop', 'users', { email: [] }), ...topic('k', 'shop.shop.users', {})]);
    const tableEdges = debeziumTopicNaming.infer(v).filter((e) => !e.from.includes('#'));
    expect(tableEdges).toHaveLength(2);
    expect(tableEdges.every((e) => e.confidence < 0.6 && e.evidence.detail.includes('2 captured tables'))).toBe(true);
  });
});
