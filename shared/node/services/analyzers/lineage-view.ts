import { buildLineageView, type LineageView } from '../../../core/lineage/index.js';
import type { Store } from '../../store/index.js';

/** The lineage view of a workspace: every node and edge, and the latest live configuration objects. */
export function lineageViewOf(store: Store, options: { withoutRulePrefix?: string } = {}): LineageView {
  const prefix = options.withoutRulePrefix;
  const edges = store.graph.allEdges().filter((e) => !prefix || !e.evidence.rule.startsWith(prefix));
  const configs = store.configs.latestAll('live').map((v) => ({ urn: v.urn, content: v.content }));
  return buildLineageView(store.graph.nodesWhere(), edges, configs);
}
