import { describe, expect, it } from 'vitest';
import type { GraphNode } from '../../model/graph.js';
import { kafkaUrn, mysqlUrn, s3Urn } from '../../model/urn.js';
import { view } from '../../../../scripts/testing/fixtures/lineage-graphs.js';
import { binomialTail, valueFingerprints } from './value-fingerprints.js';

const fp = (i: number) => `f${String(i).padStart(31, '0')}`;
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => fp(a + i));
const field = (urn: string, fingerprints: string[]): GraphNode => ({ urn, kind: urn.startsWith('mysql') ? 'column' : 'field', name: urn, source: 's', props: { fingerprints } });
const COL = mysqlUrn('db', 'shop', 'users', 'phone');

describe('value-fingerprints', () => {
  it.each([
    { why: '8 of 10 shared', other: s3Urn('lake', 'b', 'p', 'mobile'), fps: range(2, 12), shared: 8 },
    { why: '6 of 10 shared (p ≈ 2e-10)', other: kafkaUrn('k', 't', 'after.phone'), fps: range(4, 14), shared: 6 },
  ])('links the column to another dataset when $why', ({ other, fps, shared }) => {
    const edges = valueFingerprints.infer(view([field(COL, range(0, 10)), field(other, fps)]));
    expect(edges).toHaveLength(1);
    // Upstream first: the database column, then the copy.
    expect(edges[0]).toMatchObject({ from: COL, to: other, kind: 'same-values', evidence: { shared } });
  });

  it.each([
    { why: 'only 2 shared', other: s3Urn('lake', 'b', 'p', 'x'), fps: range(8, 12) },
    { why: '3 shared of 57 compared: as likely as coincidence allows (p ≈ 0.02)', other: s3Urn('lake', 'b', 'p', 'x'), fps: range(7, 57) },
    { why: '3 shared of 50 compared (p ≈ 0.014): the false 0.88 edges of issue 11', other: s3Urn('lake', 'b', 'p', 'x'), fps: [...range(7, 10), ...range(100, 137)] },
    { why: 'the same dataset (two columns of one table)', other: mysqlUrn('db', 'shop', 'users', 'phone2'), fps: range(0, 10) },
  ])('infers nothing when $why', ({ other, fps }) => {
    expect(valueFingerprints.infer(view([field(COL, range(0, 10)), field(other, fps)]))).toEqual([]);
  });

  it('never links values of an uncertain decode, nor fields of non-identifying entities only', () => {
    const other = s3Urn('lake', 'b', 'p', 'x');
    expect(valueFingerprints.infer(view([field(COL, range(0, 10)), { ...field(other, range(0, 10)), props: { fingerprints: range(0, 10), decodeUncertain: true } }]))).toEqual([]);
    const names = (urn: string): GraphNode => ({ ...field(urn, range(0, 10)), pii: [{ entity: 'PERSON_NAME', confidence: 0.9, matches: 10, sampled: 10, examples: [] }] });
    expect(valueFingerprints.infer(view([names(COL), names(other)]))).toEqual([]);
  });

  it('states the test: the binomial tail', () => {
    expect(binomialTail(3, 50, 0.01)).toBeCloseTo(0.0138, 3);
    expect(binomialTail(0, 50, 0.01)).toBe(1);
    expect(binomialTail(51, 50, 0.01)).toBe(0);
  });

  it('ignores a fingerprint so common that it is no trace of one dataset', () => {
    const common = range(0, 3);
    const nodes = Array.from({ length: 60 }, (_, i) => field(s3Urn('lake', 'b', `p${i}`, 'x'), common));
    expect(valueFingerprints.infer(view(nodes))).toEqual([]);
  });
});
