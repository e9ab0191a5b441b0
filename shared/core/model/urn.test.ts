import { describe, expect, it } from 'vitest';
import { datasetUrn, formatUrn, k8sUrn, kafkaUrn, mysqlUrn, parseUrn, s3Urn, scanPlainUrn, urnLabel } from './urn.js';
import { groupKeyOf, groupLabel, validGroupKeyOf } from './groups.js';

describe('URNs', () => {
  it.each([
    ['k8s://prod-cn/shop/Deployment/web', { scheme: 'k8s', source: 'prod-cn', segments: ['shop', 'Deployment', 'web'] }],
    ['k8s://prod-cn/_/ClusterRole/admin', { scheme: 'k8s', source: 'prod-cn', segments: ['_', 'ClusterRole', 'admin'] }],
    ['mysql://shop-db/shop/users#phone', { scheme: 'mysql', source: 'shop-db', segments: ['shop', 'users'], field: 'phone' }],
    ['kafka://events/shop.shop.users#after.email', { scheme: 'kafka', source: 'events', segments: ['shop.shop.users'], field: 'after.email' }],
    ['s3://lake/lake-eu/topics/shop.shop.users#email', { scheme: 's3', source: 'lake', segments: ['lake-eu', 'topics', 'shop.shop.users'], field: 'email' }],
    ['app://prod-cn/shop/checkout', { scheme: 'app', source: 'prod-cn', segments: ['shop', 'checkout'] }],
  ])('parses %s', (urn, expected) => {
    expect(parseUrn(urn)).toEqual(expected);
  });

  it.each([
    ['', 'empty string is not a URN'],
    ['users', 'no scheme'],
    ['ftp://x/y', 'unknown scheme'],
    ['k8s://prod/shop/Deployment', 'k8s needs namespace, kind and name'],
    ['mysql://db', 'mysql needs at least a database'],
    ['kafka://events/a/b', 'a topic is one segment'],
    ['mysql://db/shop//users', 'empty segment'],
    ['mysql://db/shop/users#', 'empty field'],
    ['mysql://db/shop/%E0%A4%A', 'bad percent-encoding'],
  ])('rejects %j (%s)', (urn) => {
    expect(() => parseUrn(urn)).toThrowError(expect.objectContaining({ code: 'INVALID_URN' }));
  });

  it('round-trips names with slashes, hashes, spaces and Chinese', () => {
    const urn = k8sUrn('prod', 'shop', 'ConfigMap', 'a/b#c d 用户');
    expect(parseUrn(urn).segments).toEqual(['shop', 'ConfigMap', 'a/b#c d 用户']);
    expect(formatUrn(parseUrn(urn))).toBe(urn);
    const field = kafkaUrn('ev', 't', 'payload.a#b');
    expect(parseUrn(field).field).toBe('payload.a#b');
  });

  it('builds dataset URNs and labels', () => {
    expect(datasetUrn(mysqlUrn('db', 'shop', 'users', 'phone'))).toBe('mysql://db/shop/users');
    expect(urnLabel('mysql://db/shop/users#phone')).toBe('users.phone');
    expect(s3Urn('lake', 'b', 'topics/x/')).toBe('s3://lake/b/topics/x');
  });

  it('groups nodes by namespace, database, bucket or cluster', () => {
    expect(groupKeyOf('k8s://prod/shop/Deployment/web')).toBe('k8s://prod/shop');
    expect(groupKeyOf('mysql://db/shop/users#phone')).toBe('mysql://db/shop');
    expect(groupKeyOf('kafka://ev/t#f')).toBe('kafka://ev');
    expect(groupKeyOf('s3://lake/b/topics/x#f')).toBe('s3://lake/b');
  });

  it('labels groups for people, naming the cluster-scoped one', () => {
    expect(groupLabel('mysql://db/shop')).toBe('db / shop');
    expect(groupLabel(groupKeyOf('k8s://prod/_/ClusterRole/admin'))).toBe('prod / cluster-scoped');
    expect(groupLabel('kafka://ev')).toBe('ev');
  });

  it('scans escape-free URNs exactly as parseUrn accepts them (the store validates every URN with the scan)', () => {
    let seed = 11;
    const pick = <T,>(xs: readonly T[]): T => xs[(seed = (seed * 1103515245 + 12345) >>> 0) % xs.length];
    const parts = ['a', 'shop', 'db-1', 'x y', '_', 'Deployment', 'c#d', '', 'é', '%41', 'p\nq', 'user.name'];
    const shapes = ['k8s', 'git', 'mysql', 'kafka', 's3', 'app', 'MYSQL', 'ftp', '', 'k8s:'];
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const path = Array.from({ length: 1 + (i % 5) }, () => pick(parts)).join(pick(['/', '/', '/', '//']));
      const field = pick(['', '', '#col', '#after.phone', '#', '#a#b', '#x\ny', '#%23']);
      const urn = `${pick(shapes)}${pick(['://', '://', ':/'])}${path}${field}`;
      let parsed: ReturnType<typeof parseUrn> | undefined;
      try { parsed = parseUrn(urn); } catch { parsed = undefined; }
      const scanned = scanPlainUrn(urn);
      if (urn.includes('%')) {
        expect(scanned, urn).toBeUndefined();
        if (parsed) expect(validGroupKeyOf(urn), urn).toBe(groupKeyOf(urn));
      } else if (parsed) {
        accepted++;
        expect(scanned, urn).toEqual({ scheme: parsed.scheme, source: parsed.source, first: parsed.segments[0] });
        expect(validGroupKeyOf(urn), urn).toBe(groupKeyOf(urn));
      } else {
        expect(scanned, urn).toBeUndefined();
        expect(() => validGroupKeyOf(urn), urn).toThrowError(expect.objectContaining({ code: 'INVALID_URN' }));
      }
    }
    expect(accepted).toBeGreaterThan(200);
  });
});
