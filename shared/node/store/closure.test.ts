import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EdgeKind, GraphEdge } from '../../core/model/graph.js';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { DATA_FLOW_EDGES } from './graph-store.js';
import { Store } from './index.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

const LAYERS = 12;
const WIDTH = 40;
const urn = (layer: number, i: number) => `mysql://db/l${layer}/t${i}`;

/** Deterministic pseudo-random numbers: the same graph every run. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/**
 * The closure as a reader would compute it by hand: breadth-first over every edge in memory,
 * nearest first, then the edges among the nodes reached. The store's one-statement closure must
 * give the same nodes and edges.
 */
function referenceClosure(edges: GraphEdge[], start: string, direction: 'upstream' | 'downstream', depth: number, kinds: EdgeKind[]) {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (!kinds.includes(e.kind)) continue;
    const [a, b] = direction === 'downstream' ? [e.from, e.to] : [e.to, e.from];
    next.set(a, [...(next.get(a) ?? []), b]);
  }
  const seen = new Set([start]);
  let frontier = [start];
  for (let d = 0; d < depth && frontier.length; d++) {
    const following: string[] = [];
    for (const u of frontier) for (const v of next.get(u) ?? []) if (!seen.has(v)) { seen.add(v); following.push(v); }
    frontier = following;
  }
  const key = (e: GraphEdge) => `${e.from} ${e.to} ${e.kind}`;
  return { nodes: [...seen].sort(), edges: edges.filter((e) => seen.has(e.from) && seen.has(e.to)).map(key).sort() };
}

describe('closure in one statement', () => {
  let store: Store;
  let edges: GraphEdge[];
  beforeAll(() => {
    store = Store.open(tmp.path('closure.driftline'), { create: true });
    const random = rng(11);
    const kinds: EdgeKind[] = ['cdc', 'sinks', 'reads', 'grants'];
    store.transaction(() => {
      for (let l = 0; l < LAYERS; l++) for (let i = 0; i < WIDTH; i++) store.graph.upsertNode({ urn: urn(l, i), kind: 'table', name: `t${i}`, source: 'db', props: i % 3 ? { rows: i } : undefined });
      for (let l = 1; l < LAYERS; l++) {
        for (let i = 0; i < WIDTH; i++) {
          for (let k = 0; k < 2; k++) {
            store.graph.upsertEdge({ from: urn(l - 1, Math.floor(random() * WIDTH)), to: urn(l, i), kind: kinds[Math.floor(random() * kinds.length)], confidence: 0.9, evidence: { rule: 'test', detail: `${l}/${i}/${k}` } });
          }
        }
      }
      // Back edges: cycles the walk must not follow forever.
      for (let i = 0; i < 5; i++) store.graph.upsertEdge({ from: urn(LAYERS - 1, i), to: urn(0, i), kind: 'cdc', confidence: 0.5, evidence: { rule: 'test', detail: 'back' } });
    });
    edges = store.graph.allEdges();
  });
  afterAll(() => store.close());

  it('returns the same nodes and edges as a breadth-first walk over all edges, both directions, at every depth', () => {
    let compared = 0;
    for (const direction of ['downstream', 'upstream'] as const) {
      for (const depth of [0, 1, 3, 6, 50]) {
        for (const start of [urn(0, 1), urn(5, 7), urn(LAYERS - 1, 3)]) {
          const got = store.graph.closure(start, direction, { depth, limit: 100_000 });
          const want = referenceClosure(edges, start, direction, depth, DATA_FLOW_EDGES);
          expect(got.nodes.map((n) => n.urn).sort()).toEqual(want.nodes);
          expect(got.edges.map((e) => `${e.from} ${e.to} ${e.kind}`).sort()).toEqual(want.edges);
          expect(got.truncated).toBe(false);
          compared += got.nodes.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(LAYERS * WIDTH); // the walks reached a good part of the graph
  });

  it('loads every node whole (properties, evidence) as getNode and allEdges do', () => {
    const got = store.graph.closure(urn(6, 2), 'upstream', { depth: 3 });
    for (const n of got.nodes) expect(n).toEqual(store.graph.getNode(n.urn));
    const byKey = new Map(edges.map((e) => [`${e.from} ${e.to} ${e.kind}`, e]));
    for (const e of got.edges) expect(e).toEqual(byKey.get(`${e.from} ${e.to} ${e.kind}`));
  });

  it('follows only the edge kinds asked for', () => {
    const got = store.graph.closure(urn(LAYERS - 1, 0), 'upstream', { depth: 50, edgeKinds: ['grants'] });
    expect(got.nodes.map((n) => n.urn).sort()).toEqual(referenceClosure(edges, urn(LAYERS - 1, 0), 'upstream', 50, ['grants']).nodes);
    expect(got.edges.every((e) => e.kind === 'grants' || got.nodes.some((n) => n.urn === e.from))).toBe(true);
  });

  it('cuts at the cap, keeps the nearest nodes and only edges among them, and says so', () => {
    const start = urn(LAYERS - 1, 3);
    const full = referenceClosure(edges, start, 'upstream', 50, DATA_FLOW_EDGES);
    const got = store.graph.closure(start, 'upstream', { depth: 50, limit: 10 });
    expect(got.truncated).toBe(true);
    expect(got.nodes).toHaveLength(10);
    expect(got.nodes.map((n) => n.urn)).toContain(start);
    const kept = new Set(got.nodes.map((n) => n.urn));
    expect(got.edges.every((e) => kept.has(e.from) && kept.has(e.to))).toBe(true);
    expect(full.nodes.length).toBeGreaterThan(10);
    // Exactly the cap is not a cut.
    expect(store.graph.closure(start, 'upstream', { depth: 50, limit: full.nodes.length }).truncated).toBe(false);
  });

  it('names a start that is not in the workspace', () => {
    expect(() => store.graph.closure('mysql://db/none/t0', 'downstream')).toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(() => store.graph.closure('not a urn', 'downstream')).toThrowError(expect.objectContaining({ code: 'INVALID_URN' }));
  });
});
