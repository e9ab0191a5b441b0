import type { GraphNode } from '../model/graph.js';

/**
 * URN → PII entities it holds, itself or through what it contains (a field's entities count for
 * its topic, prefix, bucket, table and database), following `parent` links.
 */
export function piiHolders(nodes: GraphNode[]): Map<string, Set<string>> {
  const byUrn = new Map(nodes.map((n) => [n.urn, n]));
  const out = new Map<string, Set<string>>();
  for (const node of nodes) {
    if (!node.pii?.length) continue;
    let cur: GraphNode | undefined = node;
    // Bounded: a parent cycle in bad data must not hang the analyzer.
    for (let depth = 0; cur && depth < 10; depth++, cur = cur.parent ? byUrn.get(cur.parent) : undefined) {
      const set = out.get(cur.urn) ?? new Set<string>();
      for (const t of node.pii) set.add(t.entity);
      out.set(cur.urn, set);
    }
  }
  return out;
}
