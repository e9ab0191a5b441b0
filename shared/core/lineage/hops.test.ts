import { describe, expect, it } from 'vitest';
import type { Finding } from '../model/finding.js';
import type { GraphEdge, GraphNode } from '../model/graph.js';
import { datasetHops, flowSteps, isProcessUrn, processOf } from './hops.js';

/**
 * A Debezium chain as the graph holds it after #11: table → connector → topic → sink connector →
 * prefix, dataset-level hops through the process nodes, field edges naming the process as `via`.
 */
const TABLE = 'mysql://shop-db/shop/users';
const CDC = 'connect://cn/shop-cdc';
const TOPIC = 'kafka://events/shop.shop.users';
const SINK = 'connect://cn/lake-sink';
const PREFIX = 's3://lake/lake-eu/users/';

const node = (urn: string, kind: GraphNode['kind'], region: string, pii: string[] = []): GraphNode =>
  ({ urn, kind, name: urn, source: 'test', region, props: {}, pii: pii.map((entity) => ({ entity, confidence: 0.9, matches: 10, sampled: 10, examples: [] })) }) as unknown as GraphNode;
const edge = (from: string, to: string, kind: GraphEdge['kind'], confidence: number, evidence: Record<string, unknown> = {}): GraphEdge =>
  ({ from, to, kind, confidence, evidence: { rule: 'test-rule', detail: `${from} → ${to}`, ...evidence } }) as GraphEdge;

const nodes = [
  node(TABLE, 'table', 'cn-north-1'), node(`${TABLE}#phone`, 'column', 'cn-north-1', ['CN_MOBILE']), node(`${TABLE}#id`, 'column', 'cn-north-1'),
  node(CDC, 'connector', 'cn-north-1'), node(SINK, 'connector', 'eu-west-1'),
  node(TOPIC, 'topic', 'cn-north-1'), node(`${TOPIC}#after.phone`, 'field', 'cn-north-1', ['CN_MOBILE']),
  node(PREFIX, 'prefix', 'eu-west-1'),
];
const edges = [
  edge(TABLE, CDC, 'cdc', 0.95), edge(CDC, TOPIC, 'cdc', 0.95),
  edge(`${TABLE}#phone`, `${TOPIC}#after.phone`, 'cdc', 0.95, { via: CDC }),
  edge(`${TABLE}#id`, `${TOPIC}#after.id`, 'cdc', 0.95, { via: CDC, mask: { kind: 'hash', detail: 'column.mask.hash' } }),
  edge(TOPIC, SINK, 'sinks', 0.9), edge(SINK, PREFIX, 'sinks', 0.85),
  edge(TABLE, 'k8s://prod/shop/Secret/db', 'references', 1), // configuration, not data flow
];

describe('processes', () => {
  it('knows a process by its URN or kind', () => {
    expect(isProcessUrn(CDC)).toBe(true);
    expect(isProcessUrn('k8s://prod-cn/shop/apps/v1/Deployment/checkout')).toBe(true);
    expect(isProcessUrn(TOPIC)).toBe(false);
    expect(isProcessUrn('x://y', 'workload')).toBe(true);
  });

  it('reads the process of a field edge from via, never one of its own ends', () => {
    expect(processOf(edges[2])).toBe(CDC);
    expect(processOf(edge(TABLE, CDC, 'cdc', 1, { via: CDC }))).toBeUndefined();
    expect(processOf(edge(TOPIC, PREFIX, 'sinks', 1, { config: SINK }))).toBe(SINK);
    expect(processOf(edge(TOPIC, PREFIX, 'sinks', 1, { config: 'k8s://prod/shop/v1/ConfigMap/x' }))).toBeUndefined();
  });
});

describe('datasetHops', () => {
  it('folds field edges into one hop per dataset pair and process, with its masks; configuration edges are not hops', () => {
    const hops = datasetHops(edges);
    const fieldHop = hops.find((h) => h.from === TABLE && h.to === TOPIC)!;
    expect(fieldHop.via).toBe(CDC);
    expect(fieldHop.fieldEdges).toHaveLength(2);
    expect(fieldHop.masks).toEqual([{ field: `${TABLE}#id`, mask: { kind: 'hash', detail: 'column.mask.hash' } }]);
    expect(hops.some((h) => h.to.startsWith('k8s://'))).toBe(false);
    expect(hops.find((h) => h.from === SINK && h.to === PREFIX)?.confidence).toBe(0.85);
  });
});

describe('flowSteps', () => {
  const finding = {
    type: 'flow', rule: 'cross-border', urn: TABLE, severity: 'high', confidence: 0.85, evidence: 'CN_MOBILE moves from cn-north-1 to eu-west-1',
    from: TABLE, to: PREFIX, fromRegion: 'cn-north-1', toRegion: 'eu-west-1', entities: ['CN_MOBILE'], path: [TABLE, CDC, TOPIC, SINK, PREFIX],
  } as Extract<Finding, { type: 'flow' }>;

  it('gives every hop of the path with its regions, jurisdictions, confidence and evidence, and marks where it leaves the jurisdiction', () => {
    const steps = flowSteps(finding, { nodes, edges });
    expect(steps.map((s) => [s.from, s.to])).toEqual([[TABLE, CDC], [CDC, TOPIC], [TOPIC, SINK], [SINK, PREFIX]]);
    expect(steps.map((s) => s.crossesBorder)).toEqual([false, false, true, false]);
    expect(steps[2]).toMatchObject({ fromJurisdiction: 'CN', toJurisdiction: 'EU', kinds: ['sinks'], confidence: 0.9 });
    expect(steps[3].evidence).toEqual([{ kind: 'sinks', from: SINK, to: PREFIX, rule: 'test-rule', detail: `${SINK} → ${PREFIX}`, confidence: 0.85, mask: undefined }]);
  });

  it('returns a hop the graph does not hold with no evidence, rather than inventing one', () => {
    const steps = flowSteps({ ...finding, path: [TABLE, 'kafka://elsewhere/t', PREFIX] }, { nodes, edges });
    expect(steps).toHaveLength(2);
    expect(steps[0].evidence).toEqual([]);
    expect(steps[0].confidence).toBe(0);
  });
});
