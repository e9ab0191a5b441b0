import type Database from 'better-sqlite3';
import type { EdgeKind, GraphEdge, GraphNode } from '../../core/model/graph.js';
import { rowToNode } from './graph-store.js';

type NodeTuple = [number, string, string, string, string, string | null, string | null, string, string | null];
type EdgeTuple = [string, string, string, number, string];

const NODE_COLUMNS = `n.id, n.urn, n.kind, n.name, n.source, n.region, n.parent, n.props_json, n.pii_json`;
const toNode = ([id, urn, kind, name, source, region, parent, props, pii]: NodeTuple): GraphNode =>
  rowToNode({ id, urn, kind, name, source, region, parent, props_json: props, pii_json: pii });

/**
 * The fields and columns an analyzer has to visit one by one: those with PII verdicts, value
 * fingerprints (the value-fingerprints lineage rule compares them) or any edge besides their
 * `contains`. Every other node kind (databases, tables, topics, buckets, prefixes, connectors,
 * workloads, subjects…) is a dataset or an actor, and always visited. What is left out — plain
 * fields with nothing but a parent, most of a large workspace — is looked up when a rule names it
 * (by URN, by parent, by dataset), never held.
 */
const RELEVANT_NODES = `
  SELECT ${NODE_COLUMNS} FROM nodes n
  WHERE n.kind NOT IN ('field', 'column') OR n.pii_json IS NOT NULL
     OR (instr(n.props_json, '"fingerprints"') > 0 AND json_array_length(n.props_json, '$.fingerprints') > 0)
     OR EXISTS (SELECT 1 FROM edges e WHERE e.from_id = n.id AND e.kind <> 'contains')
     OR EXISTS (SELECT 1 FROM edges e WHERE e.to_id = n.id AND e.kind <> 'contains')
  ORDER BY n.id`;

/**
 * What the analyzers read from the graph, as indexed queries streamed row by row (better-sqlite3
 * `iterate`, so no second array of raw rows is built): the nodes they visit, the edges they follow
 * (all but `contains`, which `parent` already says), and lookups for everything else. Memory then
 * grows with a workspace's datasets and data-carrying fields, not with its plain columns and their
 * containment edges (shared/node/services/analyzers/memory-bound.test.ts shows the difference).
 */
export class AnalysisReads {
  private readonly relevantStmt;
  private readonly flowEdgesStmt;
  private readonly byUrnStmt;
  private readonly childrenStmt;
  private readonly fieldsStmt;

  constructor(db: Database.Database) {
    this.relevantStmt = db.prepare(RELEVANT_NODES).raw(true);
    // Ordered by id, as a scan of the edges table returns them: analyzers see edges in capture order.
    this.flowEdgesStmt = db.prepare(`SELECT f.urn, t.urn, e.kind, e.confidence, e.evidence_json
      FROM edges e JOIN nodes f ON f.id = e.from_id JOIN nodes t ON t.id = e.to_id WHERE e.kind <> 'contains' ORDER BY e.id`).raw(true);
    this.byUrnStmt = db.prepare(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.urn = ?`).raw(true);
    this.childrenStmt = db.prepare(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.parent = ? ORDER BY n.id`).raw(true);
    // A dataset's fields are the URNs '<dataset>#…': a range of the unique URN index ('$' follows '#').
    this.fieldsStmt = db.prepare(`SELECT ${NODE_COLUMNS} FROM nodes n WHERE n.urn > ? AND n.urn < ? AND n.kind IN ('field', 'column') ORDER BY n.id`).raw(true);
  }

  /** Every node an analyzer visits one by one (see RELEVANT_NODES), in id order. */
  *relevantNodes(): IterableIterator<GraphNode> {
    for (const row of this.relevantStmt.iterate() as IterableIterator<NodeTuple>) yield toNode(row);
  }

  /** Every edge except `contains`, optionally only some kinds, in id order. */
  *flowEdges(kinds?: readonly EdgeKind[]): IterableIterator<GraphEdge> {
    for (const [from, to, kind, confidence, evidence] of this.flowEdgesStmt.iterate() as IterableIterator<EdgeTuple>) {
      if (kinds && !kinds.includes(kind as EdgeKind)) continue;
      yield { from, to, kind: kind as EdgeKind, confidence, evidence: JSON.parse(evidence) };
    }
  }

  /** The node with this URN, or undefined — also for a string that is not a URN (a lookup, not a check). */
  node(urn: string): GraphNode | undefined {
    const row = this.byUrnStmt.get(urn) as NodeTuple | undefined;
    return row ? toNode(row) : undefined;
  }

  /** Nodes whose parent is `urn`, in id order. */
  children(urn: string): GraphNode[] {
    return (this.childrenStmt.all(urn) as NodeTuple[]).map(toNode);
  }

  /** Fields and columns of a dataset (URNs `<dataset>#…`, nested ones too), in id order. */
  fieldsOf(dataset: string): GraphNode[] {
    return (this.fieldsStmt.all(`${dataset}#`, `${dataset}$`) as NodeTuple[]).map(toNode);
  }
}
