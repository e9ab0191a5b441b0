import { describe, expect, it } from 'vitest';
import type { Graph, GraphNode } from '../../../../shared/core/model/graph';
import { aggregateByGroup, buildFocusGraph, buildOverviewGraph, EMPTY_FILTERS, groupNodeId, MAX_VISIBLE_NODES, type Overview } from './visible-graph';

const overview: Overview = {
  groups: [
    { key: 'mysql://shop-db/shop', label: 'shop-db / shop', source: 'shop-db', kind: 'mysql', count: 3, piiCount: 1, region: 'cn-north-1' },
    { key: 'kafka://events', label: 'events', source: 'events', kind: 'kafka', count: 2, piiCount: 1, region: 'cn-north-1' },
    { key: 's3://lake/lake-eu', label: 'lake / lake-eu', source: 'lake', kind: 's3', count: 2, piiCount: 0, region: 'eu-west-1' },
  ],
  edges: [
    { from: 'mysql://shop-db/shop', to: 'kafka://events', kind: 'cdc', count: 2 },
    { from: 'kafka://events', to: 's3://lake/lake-eu', kind: 'sinks', count: 1 },
  ],
  totalNodes: 7,
};

const node = (urn: string, kind: GraphNode['kind'], extra: Partial<GraphNode> = {}): GraphNode => ({ urn, kind, name: urn.split(/[/#]/).pop()!, source: urn.split('/')[2], props: {}, region: 'cn-north-1', ...extra });
const shop: Graph = {
  nodes: [
    node('mysql://shop-db/shop', 'database'),
    node('mysql://shop-db/shop/users', 'table'),
    node('mysql://shop-db/shop/users#email', 'column', { pii: [{ entity: 'EMAIL', confidence: 0.9, matches: 9, sampled: 10, examples: ['a***@x.com'] }] }),
  ],
  edges: [
    { from: 'mysql://shop-db/shop', to: 'mysql://shop-db/shop/users', kind: 'contains', confidence: 1, evidence: { rule: 'schema', detail: '' } },
    { from: 'mysql://shop-db/shop/users', to: 'mysql://shop-db/shop/users#email', kind: 'contains', confidence: 1, evidence: { rule: 'schema', detail: '' } },
  ],
  truncated: false,
};

describe('buildOverviewGraph', () => {
  it('draws one node per group and marks cross-region group edges', () => {
    const g = buildOverviewGraph(overview, new Map());
    expect(g.nodes.map((n) => n.id)).toEqual(overview.groups.map((x) => groupNodeId(x.key)));
    const sink = g.edges.find((e) => e.kind === 'sinks')!;
    expect(sink).toMatchObject({ crossRegion: true, fromRegion: 'cn-north-1', toRegion: 'eu-west-1', count: 1 });
    expect(g.edges.find((e) => e.kind === 'cdc')!.crossRegion).toBe(false);
  });

  it('draws several relations between the same two groups as one edge naming them all', () => {
    const g = buildOverviewGraph({ ...overview, edges: [...overview.edges, { from: 'kafka://events', to: 's3://lake/lake-eu', kind: 'same-values', count: 3 }] }, new Map());
    const between = g.edges.filter((e) => e.from === groupNodeId('kafka://events') && e.to === groupNodeId('s3://lake/lake-eu'));
    expect(between).toHaveLength(1);
    expect(between[0]).toMatchObject({ kind: 'sinks, same-values', count: 4, crossRegion: true });
  });

  it('keeps an expanded group header (its edges to other groups) and hangs the group roots under it', () => {
    const g = buildOverviewGraph(overview, new Map([['mysql://shop-db/shop', shop]]));
    // The database node's URN equals its group key: ids must not collide.
    expect(new Set(g.nodes.map((n) => n.id)).size).toBe(g.nodes.length);
    expect(g.nodes.filter((n) => n.type === 'item')).toHaveLength(3);
    expect(g.edges.filter((e) => e.kind === 'member').map((e) => e.to)).toEqual(['mysql://shop-db/shop']);
    expect(g.nodes.find((n) => n.id === 'mysql://shop-db/shop/users#email')!.entities).toEqual(['EMAIL']);
  });

  it.each([
    { why: 'source filter keeps only that source', filters: { sources: ['lake'] }, groups: ['s3://lake/lake-eu'] },
    { why: 'region filter keeps groups of that region', filters: { regions: ['cn-north-1'] }, groups: ['mysql://shop-db/shop', 'kafka://events'] },
    { why: 'PII only drops groups without PII', filters: { piiOnly: true }, groups: ['mysql://shop-db/shop', 'kafka://events'] },
    { why: 'kind filter maps node kinds to the schemes that hold them', filters: { kinds: ['topic'] }, groups: ['kafka://events'] },
  ])('$why', ({ filters, groups }) => {
    const g = buildOverviewGraph(overview, new Map(), { ...EMPTY_FILTERS, ...filters });
    expect(g.nodes.map((n) => n.groupKey)).toEqual(groups);
    // Edges never point at filtered-out nodes.
    const ids = new Set(g.nodes.map((n) => n.id));
    for (const e of g.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
  });

  it('filters the nodes of an expanded group by PII entity', () => {
    const g = buildOverviewGraph(overview, new Map([['mysql://shop-db/shop', shop]]), { ...EMPTY_FILTERS, entities: ['EMAIL'] });
    expect(g.nodes.filter((n) => n.type === 'item').map((n) => n.id)).toEqual(['mysql://shop-db/shop/users#email']);
  });
});

describe('buildFocusGraph', () => {
  it('draws every node of a small closure', () => {
    const g = buildFocusGraph(shop, EMPTY_FILTERS, 'mysql://shop-db/shop/users');
    expect(g.aggregated).toBe(false);
    expect(g.nodes).toHaveLength(3);
    expect(g.edges).toHaveLength(2);
  });

  it(`aggregates by group above ${MAX_VISIBLE_NODES} nodes instead of one giant layout`, () => {
    const big: Graph = { nodes: [], edges: [], truncated: false };
    for (let i = 0; i < MAX_VISIBLE_NODES + 10; i++) {
      big.nodes.push(node(`mysql://db${i % 4}/app/t#c${i}`, 'column', { source: `db${i % 4}`, region: i % 4 === 3 ? 'eu-west-1' : 'cn-north-1' }));
      if (i > 0) big.edges.push({ from: big.nodes[i - 1].urn, to: big.nodes[i].urn, kind: 'cdc', confidence: 1, evidence: { rule: 'r', detail: '' } });
    }
    const g = buildFocusGraph(big);
    expect(g.aggregated).toBe(true);
    expect(g.nodes).toHaveLength(4);
    expect(g.nodes.reduce((sum, n) => sum + (n.count ?? 0), 0)).toBe(MAX_VISIBLE_NODES + 10);
    expect(g.edges.some((e) => e.crossRegion)).toBe(true);
  });
});

describe('aggregateByGroup', () => {
  it('counts nodes, PII nodes and edges between groups, dropping edges inside a group', () => {
    const g = aggregateByGroup(shop);
    expect(g.nodes).toHaveLength(1);
    expect(g.nodes[0]).toMatchObject({ count: 3, piiCount: 1, groupKey: 'mysql://shop-db/shop' });
    expect(g.edges).toHaveLength(0);
  });
});
