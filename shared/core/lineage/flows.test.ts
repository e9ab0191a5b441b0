import { describe, expect, it } from 'vitest';
import type { GraphEdge } from '../model/graph.js';
import { k8sUrn, kafkaUrn, mysqlUrn, s3Urn } from '../model/urn.js';
import { findCrossBorderFlows } from './flows.js';
import { jurisdictionOf } from './regions.js';
import { bucket, pii, table, topic, view } from '../../../scripts/testing/fixtures/lineage-graphs.js';

const T = mysqlUrn('db', 'shop', 'users');
const col = (c: string) => mysqlUrn('db', 'shop', 'users', c);
const TOPIC = kafkaUrn('k', 't');
const tf = (p: string) => kafkaUrn('k', 't', p);
const P = s3Urn('lake', 'b', 'p');
const sf = (p: string) => s3Urn('lake', 'b', 'p', p);
const edge = (from: string, to: string, kind: GraphEdge['kind'] = 'cdc', masked = false): GraphEdge =>
  ({ from, to, kind, confidence: 0.9, evidence: { rule: `lineage.${kind}`, detail: `${kind} hop`, ...(masked ? { mask: { kind: 'mask-with-chars', detail: 'masked' } } : {}) } });

const pipeline = (bucketRegion: string) => ({
  nodes: [
    ...table('db', 'shop', 'users', { email: [pii('EMAIL')], id_card: [pii('CN_RESIDENT_ID')] }, 'cn-north-1'),
    ...topic('k', 't', { 'after.email': [], 'after.id_card': [] }, {}, 'cn-north-1'),
    ...bucket('lake', 'b', 'p', { email: [pii('EMAIL')], id_card: [] }, bucketRegion),
  ],
  edges: [
    edge(T, TOPIC), edge(col('email'), tf('after.email')), edge(col('id_card'), tf('after.id_card'), 'cdc', true),
    edge(TOPIC, P, 'sinks'), edge(tf('after.email'), sf('email'), 'sinks'), edge(tf('after.id_card'), sf('id_card'), 'sinks'),
  ],
});

describe('jurisdictionOf', () => {
  it.each([
    ['cn-north-1', 'CN'], ['cn-hangzhou', 'CN'], ['cn-hongkong', 'HK'], ['eu-west-1', 'EU'], ['eu-west-2', 'UK'],
    ['europe-west1', 'EU'], ['us-east-1', 'US'], ['ap-southeast-1', 'SG'], ['ap-south-9', 'APAC'], ['EU-CENTRAL-1', 'EU'],
  ])('%s → %s', (region, j) => expect(jurisdictionOf(region)).toBe(j));
  it.each([[undefined, 'no region'], ['local', 'unknown name'], ['', 'empty']] as [string | undefined, string][])('%s → undefined (%s)', (region, _why) => expect(jurisdictionOf(region)).toBeUndefined());
});

describe('findCrossBorderFlows', () => {
  it('reports table → prefix across CN → EU with the entities that pass, the path and each hop', () => {
    const { nodes, edges } = pipeline('eu-west-1');
    const flows = findCrossBorderFlows(view(nodes), edges);
    // The bucket's own EMAIL and the topic → prefix crossing are covered by the table's flow.
    expect(flows).toHaveLength(1);
    expect(flows[0]).toMatchObject({
      from: T, to: P, fromRegion: 'cn-north-1', toRegion: 'eu-west-1', fromJurisdiction: 'CN', toJurisdiction: 'EU',
      entities: ['EMAIL'], path: [T, TOPIC, P], severity: 'high', confidence: 0.81,
      fieldPairs: [{ from: col('email'), to: sf('email'), entities: ['EMAIL'] }],
    });
    expect(flows[0].law).toContain('PIPL');
    expect(flows[0].hops.map((h) => h.rule)).toEqual(['lineage.cdc', 'lineage.sinks']);
  });

  it.each([
    ['cn-northwest-1', 0, 'same jurisdiction'],
    ['local', 0, 'unknown region: no claim either way'],
  ])('reports nothing when the bucket is in %s (%s)', (region, count) => {
    const { nodes, edges } = pipeline(region);
    expect(findCrossBorderFlows(view(nodes), edges)).toHaveLength(count);
  });

  it('grades US → EU as medium (no export law on the origin side)', () => {
    const { nodes, edges } = pipeline('eu-west-1');
    const us = nodes.map((n) => (n.region === 'cn-north-1' ? { ...n, region: 'us-east-1' } : n));
    expect(findCrossBorderFlows(view(us), edges)[0]).toMatchObject({ severity: 'medium', fromJurisdiction: 'US' });
  });

  it('does not carry a masked column, even over the dataset-level edge of the same hop', () => {
    const { nodes, edges } = pipeline('eu-west-1');
    const onlyId = edges.filter((e) => !e.from.includes('email'));
    expect(findCrossBorderFlows(view(nodes), onlyId)).toEqual([]);
  });

  it('follows a workload in another region reading a PII topic (dataset-level reads edge)', () => {
    const { nodes } = pipeline('cn-north-1');
    const app = k8sUrn('eu-cluster', 'shop', 'Deployment', 'reader');
    const withApp = [...nodes, { urn: app, kind: 'workload' as const, name: 'reader', source: 'eu-cluster', region: 'eu-central-1', props: {} }];
    const flows = findCrossBorderFlows(view(withApp), [edge(col('email'), tf('after.email')), edge(T, TOPIC), edge(app, TOPIC, 'reads')]);
    expect(flows).toMatchObject([{ from: T, to: app, path: [T, TOPIC, app], entities: ['EMAIL'] }]);
  });
});
