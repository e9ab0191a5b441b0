import { describe, expect, it } from 'vitest';
import type { Graph, GraphEdge, GraphNode } from '../../../../shared/core/model/graph';
import { FULL_DETAIL, buildCardScene, isEnvelopeField, type SceneNode } from './scene';
import { layoutScene } from './scene-layout';

const node = (urn: string, kind: string, region: string, pii: string[] = []): GraphNode =>
  ({ urn, kind, name: urn.slice(urn.lastIndexOf('/') + 1), source: 'test', region, props: {}, pii: pii.map((entity) => ({ entity, confidence: 0.9, matches: 1, sampled: 1, examples: [] })) }) as unknown as GraphNode;
const edge = (from: string, to: string, kind: string, evidence: Record<string, unknown> = {}): GraphEdge =>
  ({ from, to, kind, confidence: 0.9, evidence: { rule: 'r', detail: 'd', ...evidence } }) as GraphEdge;

const TABLE = 'mysql://db/shop/users', CDC = 'connect://cn/cdc', TOPIC = 'kafka://events/shop.shop.users', PREFIX = 's3://lake/lake-eu/users/';
const graph: Graph = {
  truncated: false,
  nodes: [
    node(TABLE, 'table', 'cn-north-1'), node(`${TABLE}#phone`, 'column', 'cn-north-1', ['CN_MOBILE']), node(`${TABLE}#id`, 'column', 'cn-north-1'),
    node(CDC, 'connector', 'cn-north-1'),
    node(TOPIC, 'topic', 'cn-north-1'), node(`${TOPIC}#after.phone`, 'field', 'cn-north-1', ['CN_MOBILE']), node(`${TOPIC}#after.id`, 'field', 'cn-north-1'),
    node(`${TOPIC}#source.pos`, 'field', 'cn-north-1'), node(`${TOPIC}#ts_ms`, 'field', 'cn-north-1'), node(`${TOPIC}#op`, 'field', 'cn-north-1'),
    node(PREFIX, 'prefix', 'eu-west-1'),
  ],
  edges: [edge(TABLE, CDC, 'cdc'), edge(CDC, TOPIC, 'cdc'), edge(`${TABLE}#phone`, `${TOPIC}#after.phone`, 'cdc', { via: CDC }), edge(TOPIC, PREFIX, 'sinks')],
};
const card = (nodes: SceneNode[], id: string) => nodes.find((n) => n.id === id) as Extract<SceneNode, { type: 'card' }>;

describe('card scene', () => {
  it('knows Debezium envelope and technical fields, but not the data under after.*', () => {
    expect(['source.pos', 'ts_ms', 'op'].every(isEnvelopeField)).toBe(true);
    expect(isEnvelopeField('after.phone')).toBe(false);
  });

  it('draws datasets as cards with their fields as rows, PII badged, envelope fields folded, the connector as a process between', () => {
    const scene = buildCardScene({ graph, detail: FULL_DETAIL, unfolded: new Set(), lang: 'en' });
    const topic = card(scene.nodes, TOPIC);
    expect(topic.type).toBe('card');
    expect(topic.rows.map((r) => r.name)).toEqual(['after.phone', 'after.id']);
    expect(topic.rows[0].entities).toEqual(['CN_MOBILE']);
    expect(topic.folded).toEqual({ count: 3, reason: 'envelope' });
    expect(topic.piiCount).toBe(1);
    expect(scene.nodes.find((n) => n.id === CDC)?.type).toBe('process');
    const drawn = scene.edges.filter((e) => !e.rowLevel).map((e) => [e.from, e.to]);
    expect(drawn).toEqual(expect.arrayContaining([[TABLE, CDC], [CDC, TOPIC], [TOPIC, PREFIX]]));
    expect(scene.edges.find((e) => e.from === TOPIC && e.to === PREFIX)?.crossRegion).toBe(true);
  });

  it('unfolds a card on request, and keeps a selected field drawn even when rows are reduced to none', () => {
    const open = buildCardScene({ graph, detail: FULL_DETAIL, unfolded: new Set([TOPIC]), lang: 'en' });
    expect(card(open.nodes, TOPIC).rows).toHaveLength(5);
    const kept = buildCardScene({ graph, detail: { rows: 'none', maxChildren: Infinity }, unfolded: new Set(), keepRows: new Set([`${TABLE}#phone`, `${TOPIC}#after.phone`]), lang: 'en' });
    expect(card(kept.nodes, TABLE).rows.map((r) => r.name)).toEqual(['phone']);
    expect(card(kept.nodes, TOPIC).rows.map((r) => r.name)).toEqual(['after.phone']);
    // The column-level edge runs row to row.
    expect(kept.edges.some((e) => e.rowLevel && e.fromHandle === `out:${TABLE}#phone`)).toBe(true);
  });

  it('names entities in Chinese in a Chinese scene', () => {
    const scene = buildCardScene({ graph, detail: FULL_DETAIL, unfolded: new Set(), lang: 'zh-CN' });
    expect(card(scene.nodes, TABLE).meta).toContain('表');
  });

  it('lays out left to right along the flow without overlapping boxes', () => {
    const scene = buildCardScene({ graph, detail: FULL_DETAIL, unfolded: new Set(), lang: 'en' });
    const layout = layoutScene(scene, { lang: 'en' });
    const x = (id: string) => layout.nodes.get(id)!.x;
    expect(x(TABLE)).toBeLessThan(x(CDC));
    expect(x(CDC)).toBeLessThan(x(TOPIC));
    expect(x(TOPIC)).toBeLessThan(x(PREFIX));
    const boxes = [...layout.nodes.entries()];
    for (const [ida, a] of boxes) for (const [idb, b] of boxes) {
      if (ida === idb) continue;
      const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
      expect(overlap, `${ida} overlaps ${idb}`).toBe(false);
    }
  });
});
