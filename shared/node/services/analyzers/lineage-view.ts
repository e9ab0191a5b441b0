import { fieldPath, indexView, presetIndex, type ViewIndex } from '../../../core/lineage/view-index.js';
import type { LineageView } from '../../../core/lineage/index.js';
import type { GraphNode } from '../../../core/model/graph.js';
import type { AnalysisReads } from '../../store/analysis-reads.js';
import type { Store } from '../../store/index.js';

/** Nodes looked up in the workspace are kept this many at a time (the most recent), per view. */
const LOOKUP_CACHE = 4096;
/** Datasets whose fields (by path) are kept at a time, per view. */
const DATASET_CACHE = 512;

/** A small most-recently-used cache: Map keeps insertion order, so the oldest key is the first. */
function remember<K, V>(cache: Map<K, V>, key: K, value: V, cap: number): V {
  cache.set(key, value);
  if (cache.size > cap) cache.delete(cache.keys().next().value as K);
  return value;
}

/**
 * The view's nodes by URN: those it visits in memory, any other looked up in the workspace when a
 * rule names it (a plain column a connector config points at), a bounded number kept.
 */
class NodesByUrn extends Map<string, GraphNode> {
  private readonly looked = new Map<string, GraphNode | null>();

  constructor(private readonly reads: AnalysisReads, nodes: GraphNode[]) {
    super();
    for (const n of nodes) super.set(n.urn, n);
  }

  override get(urn: string): GraphNode | undefined {
    const held = super.get(urn);
    if (held) return held;
    const known = this.looked.get(urn);
    if (known !== undefined) return known ?? undefined;
    return remember(this.looked, urn, this.reads.node(urn) ?? null, LOOKUP_CACHE) ?? undefined;
  }

  override has(urn: string): boolean {
    return this.get(urn) !== undefined;
  }
}

/** Children by parent URN, read from the workspace's parent index when asked (the rules only call get). */
class ChildrenInStore extends Map<string, GraphNode[]> {
  private readonly looked = new Map<string, GraphNode[] | undefined>();

  constructor(private readonly reads: AnalysisReads) {
    super();
  }

  override get(urn: string): GraphNode[] | undefined {
    if (this.looked.has(urn)) return this.looked.get(urn);
    const children = this.reads.children(urn);
    return remember(this.looked, urn, children.length ? children : undefined, DATASET_CACHE);
  }

  override has(urn: string): boolean {
    return this.get(urn) !== undefined;
  }
}

/**
 * The index the lineage rules use, over the workspace: datasets by name from the nodes in memory
 * (every dataset is), children and a dataset's fields from indexed queries, a few hundred datasets'
 * worth kept at a time. Same answers as indexView over every node.
 */
function storeIndex(reads: AnalysisReads, inMemory: LineageView): ViewIndex {
  const byName = indexView(inMemory);
  const fieldsByDataset = new Map<string, Map<string, GraphNode>>();
  return {
    topicsByName: byName.topicsByName,
    tablesByName: byName.tablesByName,
    databasesByName: byName.databasesByName,
    bucketsByName: byName.bucketsByName,
    childrenOf: new ChildrenInStore(reads),
    fieldOf(dataset, path) {
      let byPath = fieldsByDataset.get(dataset);
      if (!byPath) {
        // Later rows win, as when the index is built over all nodes in id order.
        byPath = new Map(reads.fieldsOf(dataset).map((f) => [fieldPath(f), f]));
        remember(fieldsByDataset, dataset, byPath, DATASET_CACHE);
      }
      return byPath.get(path);
    },
  };
}

/**
 * The lineage view of a workspace, read for analysis: the nodes analyzers visit (datasets, actors,
 * fields with PII, fingerprints or edges — AnalysisReads.relevantNodes), every edge but `contains`,
 * and the latest live configuration objects; any other node is looked up in the workspace when a
 * rule asks. Memory grows with what carries data, not with a workspace's plain columns.
 */
export function lineageViewOf(store: Store, options: { withoutRulePrefix?: string } = {}): LineageView {
  const prefix = options.withoutRulePrefix;
  const nodes = [...store.analysis.relevantNodes()];
  const edges = [];
  for (const e of store.analysis.flowEdges()) if (!prefix || !e.evidence.rule.startsWith(prefix)) edges.push(e);
  const configs = store.configs.latestAll('live').map((v) => ({ urn: v.urn, content: v.content }));
  const view: LineageView = { nodes, byUrn: new NodesByUrn(store.analysis, nodes), configs, edges };
  // The name maps come from the datasets in memory (fields are never looked up by name), built on a
  // throwaway view so this one gets the store-backed index.
  const datasets = nodes.filter((n) => n.kind !== 'field' && n.kind !== 'column');
  return presetIndex(view, storeIndex(store.analysis, { ...view, nodes: datasets }));
}
