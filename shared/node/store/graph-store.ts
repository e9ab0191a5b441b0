import type Database from 'better-sqlite3';
import { AppError } from '../../core/api/errors.js';
import { parseUrn } from '../../core/model/urn.js';
import { groupKeyOfParsed, validGroupKeyOf } from '../../core/model/groups.js';
import type { EdgeKind, Graph, GraphEdge, GraphNode, GraphNodeInput, PiiTag } from '../../core/model/graph.js';

interface NodeRow { id: number; urn: string; kind: string; name: string; source: string; region: string | null; parent: string | null; props_json: string; pii_json: string | null }
interface EdgeRow { from_urn: string; to_urn: string; kind: string; confidence: number; evidence_json: string }

export const rowToNode = (r: NodeRow): GraphNode => ({
  urn: r.urn,
  kind: r.kind as GraphNode['kind'],
  name: r.name,
  source: r.source,
  ...(r.region ? { region: r.region } : {}),
  ...(r.parent ? { parent: r.parent } : {}),
  // Most nodes have no properties: skip the parse for them.
  props: r.props_json === '{}' ? {} : JSON.parse(r.props_json),
  ...(r.pii_json ? { pii: JSON.parse(r.pii_json) as PiiTag[] } : {}),
});
const rowToEdge = (r: EdgeRow): GraphEdge => ({ from: r.from_urn, to: r.to_urn, kind: r.kind as EdgeKind, confidence: r.confidence, evidence: JSON.parse(r.evidence_json) });

const EDGE_SELECT = `SELECT f.urn AS from_urn, t.urn AS to_urn, e.kind, e.confidence, e.evidence_json FROM edges e JOIN nodes f ON f.id = e.from_id JOIN nodes t ON t.id = e.to_id`;

/** A group of nodes as `graph:overview` shows it: counts kept by the store (migrations/002_group_counts.sql). */
export interface GroupCount { key: string; source: string; region: string | null; nodes: number; piiNodes: number }
/** Edges of one kind from one group to another. */
export interface GroupEdgeCount { from: string; to: string; kind: string; edges: number }

// New rows (ids in (@from, @to]) summed per group; the group comes from the URN where a writer left it empty.
const NODE_GROUP_DELTA = `
  SELECT c.group_key, c.source, r.region, c.nodes, c.pii_nodes FROM
    (SELECT coalesce(group_key, driftline_group_key(urn)) AS group_key, min(source) AS source, count(*) AS nodes, count(pii_json) AS pii_nodes
     FROM nodes WHERE id > @from AND id <= @to GROUP BY 1) c
  LEFT JOIN
    (SELECT coalesce(group_key, driftline_group_key(urn)) AS group_key, region, min(id) FROM nodes
     WHERE id > @from AND id <= @to AND region IS NOT NULL GROUP BY 1) r USING (group_key)`;
const EDGE_GROUP_DELTA = `
  SELECT coalesce(f.group_key, driftline_group_key(f.urn)) AS from_group, coalesce(t.group_key, driftline_group_key(t.urn)) AS to_group, e.kind, count(*) AS edges
  FROM edges e JOIN nodes f ON f.id = e.from_id JOIN nodes t ON t.id = e.to_id
  WHERE e.id > @from AND e.id <= @to AND from_group <> to_group GROUP BY 1, 2, 3`;

/** Edge kinds that carry data from one place to another: the ones lineage closures follow. */
export const DATA_FLOW_EDGES: EdgeKind[] = ['contains', 'cdc', 'sinks', 'writes', 'reads', 'same-values'];

/**
 * The graph half of the workspace: nodes by URN, edges between them, closures and search.
 * Statements are prepared once per store; callers batch writes inside their own transaction.
 */
export class GraphStore {
  private readonly upsertNodeStmt;
  private readonly insertNodeStmt;
  private readonly updateNodeStmt;
  /** Whether the last node written already existed (a re-scan), choosing the faster statement for the next. */
  private nodesExist = false;
  private writesSinceProbe = 0;
  private readonly nodeIdStmt;
  private readonly placeholderStmt;
  private readonly upsertEdgeStmt;
  private readonly getNodeStmt;

  constructor(private readonly db: Database.Database) {
    // Positional parameters: better-sqlite3 binds them markedly faster than named ones.
    this.upsertNodeStmt = db.prepare(`
      INSERT INTO nodes (urn, kind, name, source, region, parent, props_json, pii_json, group_key, first_snapshot, last_snapshot)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(urn) DO UPDATE SET kind = excluded.kind, name = excluded.name, region = excluded.region,
        parent = excluded.parent, props_json = excluded.props_json,
        pii_json = COALESCE(excluded.pii_json, nodes.pii_json), last_snapshot = excluded.last_snapshot`);
    // The same write in two statements: for a new row INSERT OR IGNORE costs half the UPSERT above.
    this.insertNodeStmt = db.prepare(`
      INSERT OR IGNORE INTO nodes (urn, kind, name, source, region, parent, props_json, pii_json, group_key, first_snapshot, last_snapshot)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.updateNodeStmt = db.prepare(`
      UPDATE nodes SET kind = ?, name = ?, region = ?, parent = ?, props_json = ?, pii_json = COALESCE(?, pii_json), last_snapshot = ?
      WHERE urn = ?`);
    this.nodeIdStmt = db.prepare(`SELECT id FROM nodes WHERE urn = ?`).pluck();
    // An edge may name a node another source has not captured yet: keep a placeholder, filled in later.
    this.placeholderStmt = db.prepare(`INSERT INTO nodes (urn, kind, name, source, group_key, props_json) VALUES (?, ?, ?, ?, ?, '{"placeholder":true}') ON CONFLICT(urn) DO NOTHING`);
    this.upsertEdgeStmt = db.prepare(`
      INSERT INTO edges (from_id, to_id, kind, confidence, evidence_json, first_snapshot, last_snapshot)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT(from_id, to_id, kind) DO UPDATE SET confidence = excluded.confidence,
        evidence_json = excluded.evidence_json, last_snapshot = excluded.last_snapshot`);
    this.getNodeStmt = db.prepare(`SELECT * FROM nodes WHERE urn = ?`);
  }

  /**
   * Inserts a node, or updates the one with its URN (keeping its PII verdicts when the new record
   * has none). A first capture inserts nearly every row and a re-scan updates nearly every row, so
   * the store uses whichever statement the previous row needed — INSERT OR IGNORE (then UPDATE if it
   * existed) while rows are new, the UPSERT while they exist, probing every 64th row — inserting at
   * the speed of a raw prepared INSERT (bench/store.bench.ts).
   */
  upsertNode(node: GraphNodeInput, snapshotId: number | null = null): void {
    const group = validGroupKeyOf(node.urn); // throws INVALID_URN before anything is written
    const region = node.region ?? null;
    const parent = node.parent ?? null;
    const props = node.props ? JSON.stringify(node.props) : '{}';
    const pii = node.pii ? JSON.stringify(node.pii) : null;
    if (this.nodesExist && ++this.writesSinceProbe % 64 !== 0) {
      this.upsertNodeStmt.run(node.urn, node.kind, node.name, node.source, region, parent, props, pii, group, snapshotId, snapshotId);
      return;
    }
    const inserted = this.insertNodeStmt.run(node.urn, node.kind, node.name, node.source, region, parent, props, pii, group, snapshotId, snapshotId).changes === 1;
    if (!inserted) this.updateNodeStmt.run(node.kind, node.name, region, parent, props, pii, snapshotId, node.urn);
    this.nodesExist = !inserted;
  }

  /** Replaces a node's props (and nothing else), e.g. when an analyzer takes back what it wrote. */
  setNodeProps(urn: string, props: Record<string, unknown>): void {
    this.db.prepare(`UPDATE nodes SET props_json = ? WHERE urn = ?`).run(JSON.stringify(props), urn);
  }

  /** Sets (or clears) a node's PII verdicts, e.g. when lineage propagates an inherited entity. */
  setNodePii(urn: string, pii: PiiTag[] | null): void {
    this.db.prepare(`UPDATE nodes SET pii_json = ? WHERE urn = ?`).run(pii && pii.length ? JSON.stringify(pii) : null, urn);
  }

  private nodeId(urn: string): number {
    const id = this.nodeIdStmt.get(urn) as number | undefined;
    if (id !== undefined) return id;
    const parsed = parseUrn(urn);
    this.placeholderStmt.run(urn, parsed.field ? 'field' : 'k8s-object', parsed.field ?? parsed.segments[parsed.segments.length - 1], parsed.source, groupKeyOfParsed(parsed));
    return this.nodeIdStmt.get(urn) as number;
  }

  upsertEdge(edge: GraphEdge, snapshotId: number | null = null): void {
    this.upsertEdgeStmt.run(this.nodeId(edge.from), this.nodeId(edge.to), edge.kind, edge.confidence, JSON.stringify(edge.evidence), snapshotId, snapshotId);
  }

  getNode(urn: string): GraphNode | undefined {
    parseUrn(urn);
    const row = this.getNodeStmt.get(urn) as NodeRow | undefined;
    return row ? rowToNode(row) : undefined;
  }

  requireNode(urn: string): GraphNode {
    const node = this.getNode(urn);
    if (!node) throw new AppError('NOT_FOUND', `${urn} is not in this workspace; search for it with "driftline lineage" or the studio's search`);
    return node;
  }

  /** Direct neighbours in both directions. */
  neighbours(urn: string): Graph {
    const id = this.nodeId(urn);
    const edges = (this.db.prepare(`${EDGE_SELECT} WHERE e.from_id = ? OR e.to_id = ?`).all(id, id) as EdgeRow[]).map(rowToEdge);
    return { nodes: this.nodesByUrn([urn, ...edges.flatMap((e) => [e.from, e.to])]), edges, truncated: false };
  }

  /**
   * Upstream or downstream closure over data-flow edges, loaded in one pass: a recursive CTE
   * (cycle-safe because UNION drops rows already seen, bounded by depth and by a node cap) writes
   * the ids it reaches straight into a temp table inside SQLite, and the closure's node rows and the
   * edges among them are read from there once each. No id travels to JavaScript and back, no query
   * runs per row. (One statement returning nodes and edges as a union measured ~15% slower here:
   * its CTE tables have no index for the edge-end test; bench/store.bench.ts compares with the bare CTE.)
   */
  closure(urn: string, direction: 'upstream' | 'downstream', options: { depth?: number; limit?: number; edgeKinds?: EdgeKind[] } = {}): Graph {
    parseUrn(urn);
    const depth = Math.max(0, Math.min(options.depth ?? 50, 1000));
    const limit = Math.max(1, Math.min(options.limit ?? 5000, 100_000));
    const kinds = options.edgeKinds ?? DATA_FLOW_EDGES;
    const s = this.selectionStatements();
    s.clear.run();
    const reached = this.closureFill(direction, kinds.length).run(urn, depth, ...kinds, limit + 1).changes;
    if (reached === 0) throw new AppError('NOT_FOUND', `${urn} is not in this workspace`);
    const truncated = reached > limit;
    if (truncated) s.dropFarthest.run();
    return { ...this.readSelection(), truncated };
  }

  /** The statement filling temp.sel with a closure's ids, by direction and number of edge kinds, prepared once each. */
  private closureFill(direction: 'upstream' | 'downstream', kindCount: number): Database.Statement {
    const key = `${direction}:${kindCount}`;
    const cached = this.closureStatements.get(key);
    if (cached) return cached;
    this.selectionStatements(); // creates temp.sel
    const [near, far] = direction === 'downstream' ? ['from_id', 'to_id'] : ['to_id', 'from_id'];
    const kindList = Array.from({ length: kindCount }, () => '?').join(',');
    const stmt = this.db.prepare(`
      INSERT INTO temp.sel(id, depth)
      WITH RECURSIVE walk(id, depth) AS (
        SELECT id, 0 FROM nodes WHERE urn = ?
        UNION
        SELECT e.${far}, w.depth + 1 FROM walk w JOIN edges e ON e.${near} = w.id
        WHERE w.depth < ? AND e.kind IN (${kindList})
      )
      SELECT id, min(depth) FROM walk GROUP BY id ORDER BY min(depth) LIMIT ?`);
    this.closureStatements.set(key, stmt);
    return stmt;
  }

  /**
   * Nodes with the given ids and all edges among them, in one pass: the ids go into a temp table in
   * one statement, each node row is read once, and edge ends are named from those rows (no second
   * lookup of each end's URN).
   */
  subgraph(ids: number[]): Graph {
    if (ids.length === 0) return { nodes: [], edges: [], truncated: false };
    const s = this.selectionStatements();
    s.clear.run();
    s.fill.run(JSON.stringify(ids));
    return this.readSelection();
  }

  /** The nodes in temp.sel and the edges among them. */
  private readSelection(): Graph {
    const s = this.selectionStatements();
    // Rows as arrays, only the columns a node needs: half the cost of named row objects.
    const nodes: GraphNode[] = [];
    const urnOf = new Map<number, string>();
    for (const [id, urn, kind, name, source, region, parent, props, pii] of s.nodes.all() as [number, string, string, string, string, string | null, string | null, string, string | null][]) {
      urnOf.set(id, urn);
      nodes.push(rowToNode({ id, urn, kind, name, source, region, parent, props_json: props, pii_json: pii }));
    }
    const edges: GraphEdge[] = [];
    for (const [from, to, kind, confidence, evidence] of s.edges.all() as [number, number, string, number, string][]) {
      edges.push({ from: urnOf.get(from)!, to: urnOf.get(to)!, kind: kind as EdgeKind, confidence, evidence: JSON.parse(evidence) });
    }
    return { nodes, edges, truncated: false };
  }

  private readonly closureStatements = new Map<string, Database.Statement>();
  private selection?: { clear: Database.Statement; fill: Database.Statement; dropFarthest: Database.Statement; nodes: Database.Statement; edges: Database.Statement };

  /** Statements over the temp table of selected node ids, prepared once per store. */
  private selectionStatements() {
    if (this.selection) return this.selection;
    // depth: a closure's distance from its start, so a cut drops the farthest node.
    this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS sel(id INTEGER PRIMARY KEY, depth INTEGER)`);
    this.selection = {
      clear: this.db.prepare(`DELETE FROM temp.sel`),
      fill: this.db.prepare(`INSERT OR IGNORE INTO temp.sel(id) SELECT value FROM json_each(?)`),
      dropFarthest: this.db.prepare(`DELETE FROM temp.sel WHERE id = (SELECT id FROM temp.sel ORDER BY depth DESC, id DESC LIMIT 1)`),
      nodes: this.db.prepare(`SELECT n.id, n.urn, n.kind, n.name, n.source, n.region, n.parent, n.props_json, n.pii_json FROM temp.sel s JOIN nodes n ON n.id = s.id`).raw(true),
      // Driven from the selection through the (from_id, …) index, never a scan of all edges: the temp
      // table has no statistics, so CROSS JOIN fixes the join order (SQLite keeps it as written).
      edges: this.db.prepare(`SELECT e.from_id, e.to_id, e.kind, e.confidence, e.evidence_json
        FROM temp.sel s CROSS JOIN edges e ON e.from_id = s.id CROSS JOIN temp.sel s2 ON s2.id = e.to_id`).raw(true),
    };
    return this.selection;
  }

  /**
   * Data-flow edges with exactly one end among the given ids (a group's edges to the rest of the
   * graph), so an expanded group draws its tables' own edges to other groups.
   */
  boundaryEdges(ids: number[]): GraphEdge[] {
    if (ids.length === 0) return [];
    this.subgraph(ids); // fills temp.sel with the ids
    const kinds = DATA_FLOW_EDGES.filter((k) => k !== 'contains');
    const list = kinds.map(() => '?').join(',');
    const out = this.db.prepare(`SELECT f.urn AS from_urn, t.urn AS to_urn, e.kind, e.confidence, e.evidence_json
      FROM temp.sel s CROSS JOIN edges e ON e.from_id = s.id JOIN nodes f ON f.id = e.from_id JOIN nodes t ON t.id = e.to_id
      WHERE e.kind IN (${list}) AND e.to_id NOT IN (SELECT id FROM temp.sel)`).all(...kinds) as EdgeRow[];
    const inn = this.db.prepare(`SELECT f.urn AS from_urn, t.urn AS to_urn, e.kind, e.confidence, e.evidence_json
      FROM temp.sel s CROSS JOIN edges e ON e.to_id = s.id JOIN nodes f ON f.id = e.from_id JOIN nodes t ON t.id = e.to_id
      WHERE e.kind IN (${list}) AND e.from_id NOT IN (SELECT id FROM temp.sel)`).all(...kinds) as EdgeRow[];
    return [...out, ...inn].map(rowToEdge);
  }

  nodesByUrn(urns: string[]): GraphNode[] {
    const unique = [...new Set(urns)];
    const stmt = this.getNodeStmt;
    return unique.map((u) => stmt.get(u) as NodeRow | undefined).filter((r): r is NodeRow => !!r).map(rowToNode);
  }

  /**
   * Adds nodes created since the last call to the search index, in one bulk statement (ten times
   * faster than a trigger per row). The scan calls it after each batch; search() before it reads.
   */
  indexSearch(): number {
    if (this.db.readonly) return 0;
    const upto = Number(this.db.prepare(`SELECT value FROM meta WHERE key = 'fts_indexed_upto'`).pluck().get() ?? 0);
    const max = (this.db.prepare(`SELECT MAX(id) FROM nodes`).pluck().get() as number | null) ?? 0;
    if (max <= upto) return 0;
    return this.db.transaction(() => {
      const added = this.db.prepare(`INSERT INTO nodes_fts(rowid, urn, name) SELECT id, urn, name FROM nodes WHERE id > ? AND id <= ?`).run(upto, max).changes;
      this.db.prepare(`UPDATE meta SET value = ? WHERE key = 'fts_indexed_upto'`).run(String(max));
      return added;
    })();
  }

  /** Ids of the nodes of one group (group_key), at most `limit`, in insertion order. */
  idsInGroup(group: string, limit: number): number[] {
    return this.db.prepare(`SELECT id FROM nodes WHERE coalesce(group_key, driftline_group_key(urn)) = ? ORDER BY id LIMIT ?`).pluck().all(group, limit) as number[];
  }

  /**
   * Brings what is derived from the saved rows up to date in bulk: the search index and the group
   * counts. The scan calls it after each saved batch (inside the batch's transaction).
   */
  refreshDerived(): void {
    this.indexSearch();
    this.refreshGroupCounts();
  }

  /**
   * Counts the nodes and edges added since the last call into the group tables, in bulk (like the
   * search index: a trigger per inserted row made inserts 35% slower). The scan calls it after
   * each saved batch; groupCounts() adds what is still uncounted when it reads.
   */
  refreshGroupCounts(): void {
    if (this.db.readonly) return;
    const range = this.uncountedRange();
    if (!range) return;
    this.db.transaction(() => {
      this.db.prepare(`UPDATE nodes SET group_key = driftline_group_key(urn) WHERE id > ? AND id <= ? AND group_key IS NULL`).run(range.nodes.from, range.nodes.to);
      this.db.prepare(`INSERT INTO group_counts (group_key, source, region, nodes, pii_nodes) ${NODE_GROUP_DELTA} WHERE true
        ON CONFLICT (group_key) DO UPDATE SET nodes = nodes + excluded.nodes, pii_nodes = pii_nodes + excluded.pii_nodes, region = coalesce(region, excluded.region)`).run(range.nodes);
      this.db.prepare(`INSERT INTO group_edge_counts (from_group, to_group, kind, edges) ${EDGE_GROUP_DELTA}
        ON CONFLICT (from_group, to_group, kind) DO UPDATE SET edges = edges + excluded.edges`).run(range.edges);
      const setMeta = this.db.prepare(`UPDATE meta SET value = ? WHERE key = ?`);
      setMeta.run(String(range.nodes.to), 'groups_nodes_upto');
      setMeta.run(String(range.edges.to), 'groups_edges_upto');
    })();
  }

  /** Node and edge id ranges not yet in the group counts, or undefined when all are counted. */
  private uncountedRange(): { nodes: { from: number; to: number }; edges: { from: number; to: number } } | undefined {
    const upto = (key: string) => Number(this.db.prepare(`SELECT value FROM meta WHERE key = ?`).pluck().get(key) ?? 0);
    const maxId = (table: 'nodes' | 'edges') => (this.db.prepare(`SELECT MAX(id) FROM ${table}`).pluck().get() as number | null) ?? 0;
    const nodes = { from: upto('groups_nodes_upto'), to: maxId('nodes') };
    const edges = { from: upto('groups_edges_upto'), to: maxId('edges') };
    return nodes.to > nodes.from || edges.to > edges.from ? { nodes, edges } : undefined;
  }

  /**
   * Every group with its node and PII counts, and the edge counts between groups: read from the
   * pre-aggregated tables (a few thousand rows whatever the workspace's size) plus the rows added
   * since they were last brought up to date (none after a scan; summed here, read-only safe).
   */
  groupCounts(): { groups: GroupCount[]; edges: GroupEdgeCount[] } {
    this.refreshGroupCounts();
    const groups = new Map<string, GroupCount>();
    for (const r of this.db.prepare(`SELECT group_key, source, region, nodes, pii_nodes FROM group_counts WHERE nodes > 0 ORDER BY group_key`).all() as { group_key: string; source: string; region: string | null; nodes: number; pii_nodes: number }[]) {
      groups.set(r.group_key, { key: r.group_key, source: r.source, region: r.region, nodes: r.nodes, piiNodes: r.pii_nodes });
    }
    const edges = new Map<string, GroupEdgeCount>();
    const addEdges = (rows: { from_group: string; to_group: string; kind: string; edges: number }[]) => {
      for (const r of rows) {
        const k = `${r.from_group}\u0000${r.to_group}\u0000${r.kind}`;
        const e = edges.get(k);
        if (e) e.edges += r.edges;
        else edges.set(k, { from: r.from_group, to: r.to_group, kind: r.kind, edges: r.edges });
      }
    };
    addEdges(this.db.prepare(`SELECT from_group, to_group, kind, edges FROM group_edge_counts WHERE edges > 0 ORDER BY from_group, to_group, kind`).all() as never);
    const range = this.uncountedRange();
    if (range) {
      for (const r of this.db.prepare(NODE_GROUP_DELTA).all(range.nodes) as { group_key: string; source: string; region: string | null; nodes: number; pii_nodes: number }[]) {
        const g = groups.get(r.group_key);
        if (g) Object.assign(g, { nodes: g.nodes + r.nodes, piiNodes: g.piiNodes + r.pii_nodes, region: g.region ?? r.region });
        else groups.set(r.group_key, { key: r.group_key, source: r.source, region: r.region, nodes: r.nodes, piiNodes: r.pii_nodes });
      }
      addEdges(this.db.prepare(EDGE_GROUP_DELTA).all(range.edges) as never);
    }
    return { groups: [...groups.values()], edges: [...edges.values()].filter((e) => groups.has(e.from) && groups.has(e.to)) };
  }

  /** Full-text search over URNs and names (FTS5 trigram: substrings, Chinese included). */
  search(query: string, limit = 50): GraphNode[] {
    this.indexSearch();
    const q = query.trim();
    if (q.length === 0) return [];
    if (q.length < 3) {
      // Trigrams need three characters; short queries fall back to a prefix scan of names.
      return (this.db.prepare(`SELECT * FROM nodes WHERE name LIKE ? ESCAPE '\\' ORDER BY length(urn) LIMIT ?`).all(q.replace(/[%_\\]/g, '\\$&') + '%', limit) as NodeRow[]).map(rowToNode);
    }
    const phrase = '"' + q.replace(/"/g, '""') + '"';
    return (this.db.prepare(`SELECT n.* FROM nodes_fts f JOIN nodes n ON n.id = f.rowid WHERE nodes_fts MATCH ? ORDER BY rank LIMIT ?`).all(phrase, limit) as NodeRow[]).map(rowToNode);
  }

  /** Every node and edge, capped; the UI aggregates beyond its own limits. */
  all(options: { limit?: number; sources?: string[] } = {}): Graph {
    const limit = options.limit ?? 20_000;
    const where = options.sources?.length ? `WHERE source IN (${options.sources.map(() => '?').join(',')})` : '';
    const rows = this.db.prepare(`SELECT * FROM nodes ${where} ORDER BY id LIMIT ?`).all(...(options.sources ?? []), limit + 1) as NodeRow[];
    const truncated = rows.length > limit;
    const ids = rows.slice(0, limit).map((r) => r.id);
    return { ...this.subgraph(ids), truncated };
  }

  allEdges(kinds?: EdgeKind[]): GraphEdge[] {
    const where = kinds?.length ? `WHERE e.kind IN (${kinds.map(() => '?').join(',')})` : '';
    return (this.db.prepare(`${EDGE_SELECT} ${where}`).all(...(kinds ?? [])) as EdgeRow[]).map(rowToEdge);
  }

  nodesWhere(filter: { kind?: string; source?: string; withPii?: boolean } = {}): GraphNode[] {
    const clauses: string[] = [];
    const args: unknown[] = [];
    if (filter.kind) { clauses.push('kind = ?'); args.push(filter.kind); }
    if (filter.source) { clauses.push('source = ?'); args.push(filter.source); }
    if (filter.withPii) clauses.push('pii_json IS NOT NULL');
    const where = clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
    return (this.db.prepare(`SELECT * FROM nodes ${where} ORDER BY id`).all(...args) as NodeRow[]).map(rowToNode);
  }

  counts(): { nodes: number; edges: number } {
    return {
      nodes: this.db.prepare(`SELECT count(*) FROM nodes`).pluck().get() as number,
      edges: this.db.prepare(`SELECT count(*) FROM edges`).pluck().get() as number,
    };
  }

  /** Removes edges produced by an analyzer (rule prefix in evidence) before it runs again. */
  deleteEdgesByRulePrefix(prefix: string): number {
    return this.db.prepare(`DELETE FROM edges WHERE json_extract(evidence_json, '$.rule') LIKE ? || '%'`).run(prefix).changes;
  }
}
