import { describe, expect, it } from 'vitest';
import type { GraphEdge } from '../model/graph.js';
import { kafkaUrn, mysqlUrn, s3Urn } from '../model/urn.js';
import { mergeEdges } from './infer.js';
import { mergePii, propagatePii } from './propagate.js';
import type { InferredEdge } from './rule.js';
import { bucket, pii, table, topic, view } from '../../../scripts/testing/fixtures/lineage-graphs.js';

const col = (c: string) => mysqlUrn('db', 'shop', 'users', c);
const tf = (p: string) => kafkaUrn('k', 't', p);
const sf = (p: string) => s3Urn('lake', 'b', 'p', p);
const edge = (from: string, to: string, kind: GraphEdge['kind'] = 'cdc', confidence = 0.9, mask?: { kind: string; detail: string }): InferredEdge =>
  ({ from, to, kind, confidence, evidence: { rule: 'lineage.test', detail: 'test', ...(mask ? { mask } : {}) } });
const nodes = [
  ...table('db', 'shop', 'users', { email: [pii('EMAIL')], id_card: [pii('CN_RESIDENT_ID')], phone: [pii('CN_MOBILE')] }),
  ...topic('k', 't', { 'after.email': [], 'after.id_card': [], 'after.phone': [pii('CN_MOBILE', 0.7)] }),
  ...bucket('lake', 'b', 'p', { email: [], id_card: [], phone: [] }),
];

describe('propagatePii', () => {
  const edges = [
    edge(col('email'), tf('after.email')), edge(tf('after.email'), sf('email'), 'sinks'),
    edge(col('id_card'), tf('after.id_card'), 'cdc', 0.9, { kind: 'mask-with-chars', detail: 'column.mask.with.12.chars' }), edge(tf('after.id_card'), sf('id_card'), 'sinks'),
    edge(col('phone'), tf('after.phone')), edge(tf('after.phone'), sf('phone'), 'sinks'),
  ];
  const result = propagatePii(view(nodes), edges);

  it('carries an entity down cdc and sinks hops to fields sampling missed, with the path it took', () => {
    expect(result.inherited.get(tf('after.email'))).toMatchObject([{ entity: 'EMAIL', inherited: true, via: col('email'), origin: col('email'), confidence: 0.81 }]);
    expect(result.inherited.get(sf('email'))).toMatchObject([{ entity: 'EMAIL', via: tf('after.email'), origin: col('email'), confidence: 0.729 }]);
  });

  it('stops at a masked hop and reports what the mask held back', () => {
    expect(result.inherited.has(tf('after.id_card'))).toBe(false);
    expect(result.inherited.has(sf('id_card'))).toBe(false);
    expect(result.blocked).toEqual([{ from: col('id_card'), to: tf('after.id_card'), entities: ['CN_RESIDENT_ID'], mask: { kind: 'mask-with-chars', detail: 'column.mask.with.12.chars' }, rule: 'lineage.test' }]);
  });

  it('does not add an entity a field was sampled as, but passes it on at the better confidence', () => {
    expect(result.inherited.has(tf('after.phone'))).toBe(false);
    // 0.9 (column) × 0.9 × 0.9 beats 0.7 (topic's own) × 0.9.
    expect(result.inherited.get(sf('phone'))).toMatchObject([{ entity: 'CN_MOBILE', confidence: 0.729, origin: col('phone') }]);
  });

  it('runs same-values both ways, and drops chains too weak to be evidence', () => {
    const r = propagatePii(view(nodes), [edge(sf('email'), col('email'), 'same-values', 0.3), edge(col('phone'), tf('after.email'), 'same-values', 0.15)]);
    expect(r.inherited.get(sf('email'))).toMatchObject([{ entity: 'EMAIL', confidence: 0.27 }]);
    expect(r.inherited.has(tf('after.email'))).toBe(false);
  });

  it('forgets inherited verdicts of an earlier run: only sampled ones are evidence', () => {
    const stale = nodes.map((n) => (n.urn === sf('id_card') ? { ...n, pii: [{ ...pii('CN_RESIDENT_ID'), inherited: true }] } : n));
    const r = propagatePii(view(stale), edges);
    expect(r.inherited.has(sf('id_card'))).toBe(false);
    expect(mergePii(stale.find((n) => n.urn === sf('id_card')), r.inherited.get(sf('id_card')))).toEqual([]);
  });
});

describe('mergeEdges', () => {
  it('keeps one edge per from/to/kind with the strongest evidence, the corroborating rules and any mask', () => {
    const a: InferredEdge = { ...edge(col('id_card'), tf('after.id_card'), 'cdc', 0.6), evidence: { rule: 'lineage.a', detail: 'named' } };
    const b: InferredEdge = { ...edge(col('id_card'), tf('after.id_card'), 'cdc', 0.9, { kind: 'hash', detail: 'hashed' }), evidence: { rule: 'lineage.b', detail: 'config', mask: { kind: 'hash', detail: 'hashed' } } };
    const merged = mergeEdges([a, b, edge(col('x'), tf('x'))]);
    expect(merged).toHaveLength(2);
    expect(merged[0]).toMatchObject({ confidence: 0.96, evidence: { rule: 'lineage.b', corroboratedBy: ['lineage.a'], mask: { kind: 'hash' }, detail: 'config | named' } });
  });
});
