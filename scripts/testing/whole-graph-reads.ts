import type { EdgeKind, GraphNode } from '../../shared/core/model/graph.js';
import type { AnalysisReads } from '../../shared/node/store/analysis-reads.js';
import type { Store } from '../../shared/node/store/index.js';

/**
 * The analyzers as they read the graph before they became store queries: every node and every
 * edge (containment included) held in memory, children and fields found in those lists. Kept
 * for tests only: to show the streamed reads give the same answers, and hold less.
 */
export function wholeGraphReads(store: Store): AnalysisReads {
  let byParent = new Map<string, GraphNode[]>();
  let byDataset = new Map<string, GraphNode[]>();
  const push = (m: Map<string, GraphNode[]>, k: string, n: GraphNode) => m.set(k, [...(m.get(k) ?? []), n]);
  const reads = {
    *relevantNodes() {
      const all = store.graph.nodesWhere();
      byParent = new Map();
      byDataset = new Map();
      for (const n of all) {
        if (n.parent) push(byParent, n.parent, n);
        if ((n.kind === 'field' || n.kind === 'column') && n.urn.includes('#')) push(byDataset, n.urn.slice(0, n.urn.indexOf('#')), n);
      }
      yield* all;
    },
    *flowEdges(kinds?: readonly EdgeKind[]) {
      yield* store.graph.allEdges(kinds ? [...kinds] : undefined);
    },
    node: (urn: string) => store.graph.nodesByUrn([urn])[0],
    children: (urn: string) => byParent.get(urn) ?? [],
    fieldsOf: (dataset: string) => byDataset.get(dataset) ?? [],
  };
  return reads as unknown as AnalysisReads;
}

