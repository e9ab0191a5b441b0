import type Database from 'better-sqlite3';
import { AppError } from '../../core/api/errors.js';
import { parseUrn } from '../../core/model/urn.js';
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
  props: JSON.parse(r.props_json),
  ...(r.pii_json ? { pii: JSON.parse(r.pii_json) as PiiTag[] } : {}),
});
const rowToEdge = (r: EdgeRow): GraphEdge => ({ from: r.from_urn, to: r.to_urn, kind: r.kind as EdgeKind, confidence: r.confidence, evidence: JSON.parse(r.evidence_json) });

const EDGE_SELECT = `SELECT f.urn AS from_urn, t.urn AS to_urn, e.kind, e.confidence, e.evidence_json FROM edges e JOIN nodes f ON f.id = e.from_id JOIN nodes t ON t.id = e.to_id`;

/** Edge kinds that carry data from one place to another: the ones lineage closures follow. */
export const DATA_FLOW_EDGES: EdgeKind[] = ['contains', 'cdc', 'sinks', 'writes', 'reads', 'same-values'];

/**
 * The graph half of the workspace: nodes by URN, edges between them, closures and search.
 * Statements are prepared once per store; callers batch writes inside their own transaction.
 */
export class GraphStore {
  private readonly upsertNodeStmt;
  private readonly nodeIdStmt;
  private readonly placeholderStmt;
  private readonly upsertEdgeStmt;
  private readonly getNodeStmt;

  constructor(private readonly db: Database.Database) {
    this.upsertNodeStmt = db.prepare(`
      INSERT INTO nodes (urn, kind, name, source, region, parent, props_json, pii_json, first_snapshot, last_snapshot)
      VALUES (@urn, @kind, @name, @source, @region, @parent, @props, @pii, @snapshot, @snapshot)
      ON CONFLICT(urn) DO UPDATE SET kind = excluded.kind, name = excluded.name, region = excluded.region,
        parent = excluded.parent, props_json = excluded.props_json,
        pii_json = COALESCE(excluded.pii_json, nodes.pii_json), last_snapshot = excluded.last_snapshot`);
    this.nodeIdStmt = db.prepare(`SELECT id FROM nodes WHERE urn = ?`).pluck();
    // An edge may name a node another source has not captured yet: keep a placeholder, filled in later.
    this.placeholderStmt = db.prepare(`INSERT INTO nodes (urn, kind, name, source, props_json) VALUES (?, ?, ?, ?, '{"placeholder":true}') ON CONFLICT(urn) DO NOTHING`);
    this.upsertEdgeStmt = db.prepare(`
      INSERT INTO edges (from_id, to_id, kind, confidence, evidence_json, first_snapshot, last_snapshot)
      VALUES (@from, @to, @kind, @confidence, @evidence, @snapshot, @snapshot)
      ON CONFLICT(from_id, to_id, kind) DO UPDATE SET confidence = excluded.confidence,
        evidence_json = excluded.evidence_json, last_snapshot = excluded.last_snapshot`);
    this.getNodeStmt = db.prepare(`SELECT * FROM nodes WHERE urn = ?`);
  }

  upsertNode(node: GraphNodeInput, snapshotId: number | null = null): void {
    parseUrn(node.urn);
    this.upsertNodeStmt.run({
      urn: node.urn, kind: node.kind, name: node.name, source: node.source, region: node.region ?? null,
      parent: node.parent ?? null, props: JSON.stringify(node.props ?? {}), pii: node.pii ? JSON.stringify(node.pii) : null, snapshot: snapshotId,
    });
  }

  /** Sets (or clears) a node's PII verdicts, e.g. when lineage propagates an inherited entity. */
  setNodePii(urn: string, pii: PiiTag[] | null): void {
    this.db.prepare(`UPDATE nodes SET pii_json = ? WHERE urn = ?`).run(pii && pii.length ? JSON.stringify(pii) : null, urn);
  }

  private nodeId(urn: string): number {
    const id = this.nodeIdStmt.get(urn) as number | undefined;
    if (id !== undefined) return id;
    const parsed = parseUrn(urn);
    this.placeholderStmt.run(urn, parsed.field ? 'field' : 'k8s-object', parsed.field ?? parsed.segments[parsed.segments.length - 1], parsed.source);
    return this.nodeIdStmt.get(urn) as number;
  }

  upsertEdge(edge: GraphEdge, snapshotId: number | null = null): void {
    this.upsertEdgeStmt.run({
      from: this.nodeId(edge.from), to: this.nodeId(edge.to), kind: edge.kind,
      confidence: edge.confidence, evidence: JSON.stringify(edge.evidence), snapshot: snapshotId,
    });
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
   * Upstream or downstream closure over data-flow edges: one recursive CTE, cycle-safe because
   * UNION (not UNION ALL) drops rows already seen, bounded by depth and by a node cap.
   */
  closure(urn: string, direction: 'upstream' | 'downstream', options: { depth?: number; limit?: number; edgeKinds?: EdgeKind[] } = {}): Graph {
    const start = this.getNode(urn);
    if (!start) throw new AppError('NOT_FOUND', `${urn} is not in this workspace`);
    const depth = Math.max(0, Math.min(options.depth ?? 50, 1000));
    const limit = Math.max(1, Math.min(options.limit ?? 5000, 100_000));
    const kinds = options.edgeKinds ?? DATA_FLOW_EDGES;
    const kindList = kinds.map(() => '?').join(',');
    const [near, far] = direction === 'downstream' ? ['from_id', 'to_id'] : ['to_id', 'from_id'];
    const ids = this.db.prepare(`
      WITH RECURSIVE walk(id, depth) AS (
        SELECT id, 0 FROM nodes WHERE urn = ?
        UNION
        SELECT e.${far}, w.depth + 1 FROM walk w JOIN edges e ON e.${near} = w.id
        WHERE w.depth < ? AND e.kind IN (${kindList})
      )
      SELECT id FROM walk GROUP BY id ORDER BY MIN(depth) LIMIT ?`).pluck().all(urn, depth, ...kinds, limit + 1) as number[];
    const truncated = ids.length > limit;
    const kept = ids.slice(0, limit);
    return { ...this.subgraph(kept), truncated };
  }

  /** Nodes with the given ids and all edges among them. */
  subgraph(ids: number[]): Graph {
    if (ids.length === 0) return { nodes: [], edges: [], truncated: false };
    this.db.exec(`CREATE TEMP TABLE IF NOT EXISTS sel(id INTEGER PRIMARY KEY)`);
    this.db.exec(`DELETE FROM temp.sel`);
    const ins = this.db.prepare(`INSERT OR IGNORE INTO temp.sel(id) VALUES (?)`);
    this.db.transaction(() => ids.forEach((id) => ins.run(id)))();
    const nodes = (this.db.prepare(`SELECT n.* FROM temp.sel s JOIN nodes n ON n.id = s.id`).all() as NodeRow[]).map(rowToNode);
    // Driven from the selection through the (from_id, …) index, never a scan of all edges: the temp
    // table has no statistics, so CROSS JOIN fixes the join order (SQLite keeps it as written).
    const edges = (this.db.prepare(`SELECT f.urn AS from_urn, t.urn AS to_urn, e.kind, e.confidence, e.evidence_json
      FROM temp.sel s CROSS JOIN edges e ON e.from_id = s.id CROSS JOIN temp.sel s2 ON s2.id = e.to_id
      JOIN nodes f ON f.id = e.from_id JOIN nodes t ON t.id = e.to_id`).all() as EdgeRow[]).map(rowToEdge);
    return { nodes, edges, truncated: false };
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
