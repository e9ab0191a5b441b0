import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { s3Urn } from '../../../core/model/urn.js';
import { flattenRecord, PrefixSample, redactKey } from './sampling.js';

const flat = (v: unknown) => {
  const out: [string, string | null][] = [];
  flattenRecord(v, (p, x) => out.push([p, x]));
  return out;
};

describe('flattenRecord', () => {
  it.each([
    ['nested objects as a.b', { a: { b: 'x' } }, [['a.b', 'x']]],
    ['arrays as items[]', { items: [{ sku: 1 }, { sku: 2 }] }, [['items[].sku', '1'], ['items[].sku', '2']]],
    ['numbers and booleans as strings, null kept as null', { n: 13812345678, ok: true, z: null }, [['n', '13812345678'], ['ok', 'true'], ['z', null]]],
    ['a scalar record as $', 'plain', [['$', 'plain']]],
    ['an array of scalars at the root', ['a', 'b'], [['$[]', 'a'], ['$[]', 'b']]],
  ])('%s', (_why, input, expected) => expect(flat(input)).toEqual(expected));
});

describe('PrefixSample', () => {
  const ctx = { sourceName: 'lake', fingerprint: (v: string) => createHmac('sha256', 'k').update(v).digest('hex') };

  it('replaces keys that are themselves PII, so no raw value reaches a field path or URN', () => {
    const s = new PrefixSample('b', 'p');
    s.addObject([{ 'alice.w@example.com': { plan: 'gold' } }, { 'bob.k@example.com': { plan: 'free' } }]);
    const records = s.toRecords(ctx, s3Urn('lake', 'b', 'p'), 'eu-west-1');
    const urns = records.flatMap((r) => (r.type === 'node' ? [r.node.urn] : []));
    expect(urns).toEqual([s3Urn('lake', 'b', 'p', '<EMAIL>.plan')]);
    expect(JSON.stringify(records)).not.toMatch(/alice|bob/);
  });

  it('counts objects per field once, and unwraps Kafka Connect {schema, payload} records', () => {
    const s = new PrefixSample('b', 'p');
    s.addObject([{ schema: { type: 'struct' }, payload: { email: 'a.b@example.com' } }, { schema: {}, payload: { email: 'c.d@example.com' } }]);
    s.addObject([{ other: 1 }]);
    const field = s.toRecords(ctx, s3Urn('lake', 'b', 'p'), 'eu-west-1').find((r) => r.type === 'node' && r.node.name === 'email');
    expect(field).toMatchObject({ node: { props: { objectsSampled: 1, valuesSampled: 2 }, pii: [{ entity: 'EMAIL', matches: 2 }] } });
  });
});

describe('redactKey', () => {
  it.each([
    ['keeps ordinary keys', 'topics/shop.shop.users/partition=0/shop.shop.users+0+0000000000.json', false],
    ['masks an email used as a file name', 'users/alice.w@example.com.json', true],
    ['masks a mobile number used as a folder', 'by-phone/13812345678/profile.json', true],
  ])('%s', (_why, key, masked) => {
    const out = redactKey(key);
    expect(out === key).toBe(!masked);
    if (masked) expect(out).not.toMatch(/alice\.w@example\.com|13812345678/);
  });
});
