import { describe, expect, it } from 'vitest';
import { canonicalJson, contentHash } from './canonical-json.js';
import { sha256Hex } from './sha256.js';

describe('canonicalJson', () => {
  it.each([
    ['sorts keys at every depth', { b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } }, '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}'],
    ['writes no whitespace and escapes like JSON', { 'k"ey': 'line\nbreak', n: 1.5e-7 }, '{"k\\"ey":"line\\nbreak","n":1.5e-7}'],
    ['drops undefined members like JSON.stringify', { a: undefined, b: 2 }, '{"b":2}'],
    ['turns undefined array items into null like JSON.stringify', [1, undefined, 3], '[1,null,3]'],
    ['writes non-finite numbers as null (they are not JSON)', { x: Number.NaN }, '{"x":null}'],
    ['orders keys by code unit, not locale', { b: 1, B: 2, ä: 3 }, '{"B":2,"b":1,"ä":3}'],
    ['keeps primitives', 'text', '"text"'],
  ])('%s', (_reason, value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it('gives the same text and hash whatever the key order', () => {
    const a = { metadata: { name: 'web', labels: { app: 'web', tier: 'front' } }, kind: 'Service' };
    const b = { kind: 'Service', metadata: { labels: { tier: 'front', app: 'web' }, name: 'web' } };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(contentHash(a)).toBe(sha256Hex(canonicalJson(b)));
    expect(contentHash(a)).not.toBe(contentHash({ ...b, kind: 'ConfigMap' }));
  });
});
