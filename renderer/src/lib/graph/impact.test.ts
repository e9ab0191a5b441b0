import { describe, expect, it } from 'vitest';
import type { Graph, GraphEdge, GraphNode } from '../../../../shared/core/model/graph';
import { impactCsv, impactList } from './impact';
import { panelProperties } from './properties';

const node = (urn: string, kind: string, region: string, pii: string[] = []): GraphNode =>
  ({ urn, kind, name: urn.slice(urn.lastIndexOf('/') + 1), source: 'test', region, props: {}, pii: pii.map((entity) => ({ entity, confidence: 0.9, matches: 1, sampled: 1, examples: [] })) }) as unknown as GraphNode;
const edge = (from: string, to: string, kind: string, evidence: Record<string, unknown> = {}): GraphEdge =>
  ({ from, to, kind, confidence: 0.9, evidence: { rule: 'r', detail: 'd', ...evidence } }) as GraphEdge;

const TABLE = 'mysql://db/shop/users', CDC = 'connect://cn/cdc', TOPIC = 'kafka://events/users', PREFIX = 's3://lake/eu/users/', APP = 'app://prod/shop/report';
const graph: Graph = {
  truncated: false,
  nodes: [node(TABLE, 'table', 'cn-north-1'), node(`${TABLE}#phone`, 'column', 'cn-north-1', ['CN_MOBILE']), node(CDC, 'connector', 'cn-north-1'), node(TOPIC, 'topic', 'cn-north-1'), node(`${TOPIC}#after.phone`, 'field', 'cn-north-1', ['CN_MOBILE']), node(PREFIX, 'prefix', 'eu-west-1'), node(APP, 'workload', 'cn-north-1')],
  edges: [
    edge(TABLE, CDC, 'cdc'), edge(CDC, TOPIC, 'cdc'), edge(`${TABLE}#phone`, `${TOPIC}#after.phone`, 'cdc', { via: CDC }),
    edge(TOPIC, PREFIX, 'sinks'),
    edge(APP, TOPIC, 'reads'), // the workload reads the topic: data moves topic → workload
    edge(PREFIX, TABLE, 'uses'), // not a data flow: no loop back
  ],
};

describe('impactList', () => {
  it('lists everything downstream once, by fewest hops, a process counting as a hop, reads followed the way data moves', () => {
    const rows = impactList(graph, `${TABLE}#phone`);
    expect(rows.map((r) => [r.urn, r.hops])).toEqual([[CDC, 1], [TOPIC, 2], [APP, 3], [PREFIX, 3]]);
    expect(rows.find((r) => r.urn === CDC)?.process).toBe(true);
    expect(rows.find((r) => r.urn === TOPIC)?.entities).toEqual(['CN_MOBILE']);
    expect(rows.find((r) => r.urn === PREFIX)?.region).toBe('eu-west-1');
  });

  it('is empty for a node nothing flows out of', () => {
    expect(impactList(graph, PREFIX)).toEqual([]);
  });
});

describe('impactCsv', () => {
  it('writes RFC 4180 CSV: every cell quoted, quotes doubled, CRLF lines', () => {
    const csv = impactCsv([{ urn: 'kafka://e/t"x', name: 'a, "b"', kind: 'topic', store: 'events', region: 'cn-north-1', hops: 2, entities: ['EMAIL', 'CN_MOBILE'], process: false }],
      { hops: 'Hops', name: 'Name', kind: 'Kind', store: 'Store', region: 'Region', entities: 'Personal data', urn: 'URN' });
    expect(csv).toBe('"Hops","Name","Kind","Store","Region","Personal data","URN"\r\n"2","a, ""b""","topic","events","cn-north-1","EMAIL CN_MOBILE","kafka://e/t""x"\r\n');
  });
});

describe('panelProperties', () => {
  it('hides empty values, folds fingerprints into a count, flattens nested objects, keeps a git commit id', () => {
    const p = panelProperties({
      key: '', comment: null, engine: null, tags: [], type: 'varchar(32)',
      fingerprints: ['a'.repeat(64), 'b'.repeat(64)], sample: { hmac: 'c'.repeat(64), size: 3 }, commit: 'd'.repeat(40),
      cdc: { connector: 'shop-cdc', snapshot: { mode: 'initial' } },
    });
    expect(p.fingerprints).toBe(3);
    expect(p.lines).toEqual([
      { key: 'type', value: 'varchar(32)' },
      { key: 'sample.size', value: '3' },
      { key: 'commit', value: 'd'.repeat(40) },
      { key: 'cdc.connector', value: 'shop-cdc' },
      { key: 'cdc.snapshot.mode', value: 'initial' },
    ]);
  });
});
