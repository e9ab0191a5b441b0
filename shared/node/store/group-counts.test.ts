import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { groupKeyOf } from '../../core/model/groups.js';
import type { EdgeKind } from '../../core/model/graph.js';
import { useTempHome } from '../../../scripts/testing/temp.js';
import { loadMigrations, APPLICATION_ID } from './workspace.js';
import { Store } from './index.js';
import type { GroupCount, GroupEdgeCount } from './graph-store.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

/** A stable order for comparing group and edge lists. */
const byKey = <T extends { key?: string; from?: string; to?: string; kind?: string }>(a: T, b: T) => (JSON.stringify([a.key, a.from, a.to, a.kind]) < JSON.stringify([b.key, b.from, b.to, b.kind]) ? -1 : 1);

/** The overview the old way: one pass over every node and edge, grouped in JavaScript. The reference. */
function countByHand(db: Database.Database): { groups: Omit<GroupCount, 'region'>[]; edges: GroupEdgeCount[] } {
  const groups = new Map<string, Omit<GroupCount, 'region'>>();
  const groupOf = new Map<number, string>();
  for (const r of db.prepare(`SELECT id, urn, source, pii_json FROM nodes`).all() as { id: number; urn: string; source: string; pii_json: string | null }[]) {
    const key = groupKeyOf(r.urn);
    groupOf.set(r.id, key);
    const g = groups.get(key) ?? { key, source: r.source, nodes: 0, piiNodes: 0 };
    g.nodes++;
    if (r.pii_json) g.piiNodes++;
    groups.set(key, g);
  }
  const edges = new Map<string, GroupEdgeCount>();
  for (const e of db.prepare(`SELECT from_id, to_id, kind FROM edges`).all() as { from_id: number; to_id: number; kind: string }[]) {
    const [from, to] = [groupOf.get(e.from_id)!, groupOf.get(e.to_id)!];
    if (from === to) continue;
    const k = `${from}|${to}|${e.kind}`;
    const c = edges.get(k) ?? { from, to, kind: e.kind, edges: 0 };
    c.edges++;
    edges.set(k, c);
  }
  return { groups: [...groups.values()].sort(byKey), edges: [...edges.values()].sort(byKey) };
}

function fromStore(store: Store) {
  const { groups, edges } = store.graph.groupCounts();
  return { groups: groups.map(({ region: _region, ...g }) => g).sort(byKey), edges: [...edges].sort(byKey) };
}

const SOURCES = ['shop-db', 'events', 'lake', 'prod'];
const urnOf = (i: number): string => {
  switch (i % 4) {
    case 0: return `mysql://shop-db/db${i % 7}/t${i % 13}#c${i}`;
    case 1: return `kafka://events/topic-${i % 5}#f${i}`;
    case 2: return `s3://lake/bucket-${i % 3}/p${i % 11}#f${i}`;
    default: return `k8s://prod/ns-${i % 6}/ConfigMap/cm-${i}`;
  }
};
const pii = [{ entity: 'EMAIL', confidence: 0.9, matches: 9, sampled: 10, examples: ['a***@x.org'] }];

describe('pre-aggregated group counts (graph:overview)', () => {
  it('equal a pass over every node and edge through inserts, PII changes, deletes and re-added edges, counted or not yet', () => {
    const store = Store.open(tmp.path('groups.driftline'), { create: true });
    let seed = 7;
    const random = (n: number) => ((seed = (seed * 1664525 + 1013904223) >>> 0) % n);
    const kinds: EdgeKind[] = ['cdc', 'sinks', 'reads', 'contains'];
    for (let round = 0; round < 6; round++) {
      store.transaction(() => {
        for (let i = 0; i < 300; i++) {
          const n = random(2000);
          store.graph.upsertNode({ urn: urnOf(n), kind: 'field', name: `n${n}`, source: SOURCES[n % 4], region: n % 3 ? 'cn-north-1' : undefined, pii: random(4) === 0 ? pii : undefined });
        }
        // Edges to nodes never captured leave placeholders, which belong to their group too.
        for (let i = 0; i < 400; i++) store.graph.upsertEdge({ from: urnOf(random(2000)), to: urnOf(random(2000)), kind: kinds[random(4)], confidence: 0.5, evidence: { rule: random(2) ? 'lineage.x' : 'capture', detail: '' } });
        for (let i = 0; i < 40; i++) store.graph.setNodePii(urnOf(random(2000)), random(2) ? pii : null);
        if (round % 2 === 1) store.graph.deleteEdgesByRulePrefix('lineage.');
        if (round === 3) store.db.prepare(`DELETE FROM nodes WHERE id IN (SELECT id FROM nodes n WHERE NOT EXISTS (SELECT 1 FROM edges WHERE from_id = n.id OR to_id = n.id) LIMIT 25)`).run();
        // Every other round the counts are brought up to date, as the scan does after a batch;
        // otherwise groupCounts() must add what is not counted yet.
        if (round % 3 !== 2) store.graph.refreshGroupCounts();
      });
      expect(fromStore(store), `round ${round}`).toEqual(countByHand(store.db));
    }
    const { groups } = store.graph.groupCounts();
    expect(groups.length).toBeGreaterThanOrEqual(10);
    expect(groups.find((g) => g.key === 'mysql://shop-db/db1')).toMatchObject({ source: 'shop-db', region: 'cn-north-1' });
    store.close();
  });

  it('are read without writing from a read-only workspace whose last rows were not counted yet', () => {
    const path = tmp.path('ro-groups.driftline');
    const store = Store.open(path, { create: true });
    store.transaction(() => {
      for (let i = 0; i < 200; i++) store.graph.upsertNode({ urn: urnOf(i), kind: 'field', name: `n${i}`, source: SOURCES[i % 4], pii: i % 5 === 0 ? pii : undefined });
      for (let i = 0; i < 199; i++) store.graph.upsertEdge({ from: urnOf(i), to: urnOf(i + 1), kind: 'cdc', confidence: 1, evidence: { rule: 'r', detail: '' } });
    });
    store.close();
    const ro = Store.open(path, { readOnly: true });
    expect(fromStore(ro)).toEqual(countByHand(ro.db));
    expect(ro.db.prepare(`SELECT count(*) FROM group_counts`).pluck().get()).toBe(0);
    ro.close();
  });

  it('fill the group of rows written without one (a bundle from an older version, another writer)', () => {
    const store = Store.open(tmp.path('no-group.driftline'), { create: true });
    store.db.prepare(`INSERT INTO nodes (urn, kind, name, source, props_json) VALUES (?, 'table', 'users', 'shop-db', '{}')`).run('mysql://shop-db/shop/users');
    store.db.prepare(`INSERT INTO nodes (urn, kind, name, source, props_json) VALUES (?, 'topic', 't', 'events', '{}')`).run('kafka://events/shop.users');
    store.db.prepare(`INSERT INTO edges (from_id, to_id, kind, confidence, evidence_json) SELECT f.id, t.id, 'cdc', 1, '{}' FROM nodes f, nodes t WHERE f.name = 'users' AND t.name = 't'`).run();
    expect(store.graph.groupCounts()).toEqual({
      groups: [
        { key: 'kafka://events', source: 'events', region: null, nodes: 1, piiNodes: 0 },
        { key: 'mysql://shop-db/shop', source: 'shop-db', region: null, nodes: 1, piiNodes: 0 },
      ],
      edges: [{ from: 'mysql://shop-db/shop', to: 'kafka://events', kind: 'cdc', edges: 1 }],
    });
    expect(store.db.prepare(`SELECT group_key FROM nodes ORDER BY id`).pluck().all()).toEqual(['mysql://shop-db/shop', 'kafka://events']);
    store.close();
  });

  it('are built for a workspace made before they existed, when it is opened writable', () => {
    const path = tmp.path('v1.driftline');
    const db = new Database(path);
    db.exec(loadMigrations().find((m) => m.version === 1)!.sql);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.pragma('user_version = 1');
    db.prepare(`INSERT INTO meta (key, value) VALUES ('workspace_id', '00000000-0000-4000-8000-000000000001')`).run();
    const node = db.prepare(`INSERT INTO nodes (urn, kind, name, source, props_json, pii_json) VALUES (?, 'column', 'c', 'shop-db', '{}', ?)`);
    for (let i = 0; i < 30; i++) node.run(`mysql://shop-db/db${i % 3}/t#c${i}`, i % 2 ? JSON.stringify(pii) : null);
    db.prepare(`INSERT INTO edges (from_id, to_id, kind, confidence, evidence_json) VALUES (1, 2, 'cdc', 1, '{}')`).run();
    db.close();
    const store = Store.open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(2);
    expect(fromStore(store)).toEqual(countByHand(store.db));
    expect(store.graph.groupCounts().groups.map((g) => [g.key, g.nodes, g.piiNodes])).toEqual([['mysql://shop-db/db0', 10, 5], ['mysql://shop-db/db1', 10, 5], ['mysql://shop-db/db2', 10, 5]]);
    store.close();
  });
});
