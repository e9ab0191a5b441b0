import { describe, expect, it } from 'vitest';
import { capturesTable, changeKey, debeziumRow, debeziumValue, parseDebeziumConfig } from './debezium-envelope.js';
import { sinkObjectKey, unwrapChange } from './s3-sink.js';

/** The pure half of the CDC stand-ins; the e2e test (e2e/cdc-chain.test.ts) runs them on real servers. */
const base = { 'topic.prefix': 'shop', 'database.server.id': '184054' };

describe('Debezium stand-in config', () => {
  it('selects tables by the include lists as anchored, case-insensitive regexes', () => {
    const s = parseDebeziumConfig({ ...base, 'database.include.list': 'shop', 'table.include.list': 'shop\\.user.*' });
    expect(capturesTable(s, 'shop', 'users')).toBe(true);
    expect(capturesTable(s, 'SHOP', 'Users')).toBe(true);
    expect(capturesTable(s, 'shop', 'orders')).toBe(false); // not in table.include.list
    expect(capturesTable(s, 'shopx', 'users')).toBe(false); // database.include.list is anchored
  });

  it.each([
    ['column.exclude.list', { 'column.exclude.list': 'shop.users.phone' }, /does not implement column.exclude.list/], // would drop data the stand-in keeps
    ['a transform', { transforms: 'route' }, /does not implement transforms/], // would rename topics
    ['decimal.handling.mode=precise', { 'decimal.handling.mode': 'precise' }, /only decimal.handling.mode=string/], // bytes encoding not implemented
    ['no topic.prefix', { 'topic.prefix': '' }, /topic.prefix/], // topics could not be named
  ])('refuses a config it cannot honour: %s', (_why, extra, error) => {
    expect(() => parseDebeziumConfig({ ...base, ...extra })).toThrow(error);
  });

  it('masks matching columns with N asterisks and leaves nulls null', () => {
    const s = parseDebeziumConfig({ ...base, 'column.mask.with.12.chars': 'shop.users.id_card' });
    expect(debeziumRow(s, 'shop', 'users', { id: 1, id_card: '110105199001011234', phone: '13800138000' }, new Map())).toEqual({ id: 1, id_card: '************', phone: '13800138000' });
    expect(debeziumRow(s, 'shop', 'users', { id: 2, id_card: null }, new Map())).toEqual({ id: 2, id_card: null });
  });
});

describe('Debezium value encodings', () => {
  it.each([
    ['DATE as days since the epoch', '1990-01-02', 10, 7306],
    ['DATETIME as epoch ms of the wall clock', '2025-03-04 05:06:07', 18, Date.UTC(2025, 2, 4, 5, 6, 7)],
    ['DECIMAL as text (decimal.handling.mode=string)', 12.5, 246, '12.5'],
    ['bytes as base64', Buffer.from('hi'), 252, 'aGk='],
    ['strings unchanged', '王伟', 15, '王伟'],
  ])('%s', (_name, value, type, expected) => {
    expect(debeziumValue(value, type)).toEqual(expected);
  });

  it('keys by the primary key, or null without one', () => {
    expect(changeKey({ id: 7, name: 'x' }, ['id'])).toEqual({ id: 7 });
    expect(changeKey({ id: 7 }, [])).toBeNull();
  });
});

describe('S3 sink stand-in', () => {
  it('names objects as the Confluent S3 sink does', () => {
    expect(sinkObjectKey('topics', 'shop.shop.users', 1, '42')).toBe('topics/shop.shop.users/partition=1/shop.shop.users+1+0000000042.json');
  });

  it.each([
    ['create → after', { op: 'c', before: null, after: { id: 1 } }, { id: 1 }],
    ['update → after', { op: 'u', before: { id: 1, a: 1 }, after: { id: 1, a: 2 } }, { id: 1, a: 2 }],
    ['delete → dropped (delete.handling.mode=drop)', { op: 'd', before: { id: 1 }, after: null }, undefined],
    ['tombstone → dropped (drop.tombstones=true)', null, undefined],
  ])('ExtractNewRecordState: %s', (_name, value, expected) => {
    expect(unwrapChange(value === null ? null : Buffer.from(JSON.stringify(value)))).toEqual(expected);
  });
});
