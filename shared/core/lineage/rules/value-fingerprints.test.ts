import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../model/graph.js';
import { kafkaUrn, mysqlUrn, s3Urn } from '../../model/urn.js';
import { view } from '../../../../scripts/testing/fixtures/lineage-graphs.js';
import { valueFingerprints } from './value-fingerprints.js';

const fp = (i: number) => `f${String(i).padStart(31, '0')}`;
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => fp(a + i));
const field = (urn: string, fingerprints: string[]): GraphNode => ({ urn, kind: urn.startsWith('mysql') ? 'column' : 'field', name: urn, source: 's', props: { fingerprints } });
const COL = mysqlUrn('db', 'shop', 'users', 'phone');

describe('value-fingerprints', () => {
  it.each([
    { why: '8 of 10 shared', other: s3Urn('lake', 'b', 'p', 'mobile'), fps: range(2, 12), shared: 8 },
    { why: 'exactly the minimum (3 shared, Jaccard 0.3)', other: kafkaUrn('k', 't', 'after.phone'), fps: range(7, 13), shared: 3 },
  ])('links the column to another dataset when $why', ({ other, fps, shared }) => {
    const edges = valueFingerprints.infer(view([field(COL, range(0, 10)), field(other, fps)]));
    expect(edges).toHaveLength(1);
    // Upstream first: the database column, then the copy.
    expect(edges[0]).toMatchObject({ from: COL, to: other, kind: 'same-values', evidence: { shared } });
  });

  it.each([
    { why: 'only 2 shared', other: s3Urn('lake', 'b', 'p', 'x'), fps: range(8, 12) },
    { why: 'Jaccard below 0.2 (3 of 57)', other: s3Urn('lake', 'b', 'p', 'x'), fps: range(7, 57) },
    { why: 'the same dataset (two columns of one table)', other: mysqlUrn('db', 'shop', 'users', 'phone2'), fps: range(0, 10) },
  ])('infers nothing when $why', ({ other, fps }) => {
    expect(valueFingerprints.infer(view([field(COL, range(0, 10)), field(other, fps)]))).toEqual([]);
  });

  it('ignores a fingerprint so common that it is no trace of one dataset', () => {
    const common = range(0, 3);
    const nodes = Array.from({ length: 60 }, (_, i) => field(s3Urn('lake', 'b', `p${i}`, 'x'), common));
    expect(valueFingerprints.infer(view(nodes))).toEqual([]);
  });
});
