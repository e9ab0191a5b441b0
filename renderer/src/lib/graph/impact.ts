import type { Graph } from '../../../../shared/core/model/graph';
import { DATA_FLOW_KINDS, datasetOf, flowEnds, isProcessUrn, processOf } from '../../../../shared/core/lineage/hops';
import { nodeName, nodeStore } from './scene';

/** One thing downstream of a node, with how many hops away it is. */
export interface ImpactRow {
  urn: string;
  name: string;
  kind: string;
  store: string;
  region: string;
  hops: number;
  entities: string[];
  /** A process (connector, workload) rather than a dataset. */
  process: boolean;
}

/**
 * Everything downstream of `start` in a lineage closure, one row per dataset or process, with the
 * fewest hops it takes to get there (a process between two datasets counts as a hop of its own).
 * Breadth-first, so the hop count is the shortest path.
 */
export function impactList(graph: Graph, start: string): ImpactRow[] {
  const out = new Map<string, { to: string }[]>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    out.set(a, [...(out.get(a) ?? []), { to: b }]);
  };
  for (const e of graph.edges) {
    if (!DATA_FLOW_KINDS.has(e.kind)) continue;
    const [a, b] = flowEnds(e);
    const from = datasetOf(a), to = datasetOf(b);
    const via = processOf(e);
    if (via) {
      link(from, via);
      link(via, to);
    } else link(from, to);
  }
  const byUrn = new Map(graph.nodes.map((n) => [n.urn, n]));
  const origin = datasetOf(start);
  const hops = new Map<string, number>([[origin, 0]]);
  const queue = [origin];
  for (let i = 0; i < queue.length && i < 100_000; i++) {
    const cur = queue[i];
    for (const { to } of out.get(cur) ?? []) {
      if (hops.has(to)) continue;
      hops.set(to, hops.get(cur)! + 1);
      queue.push(to);
    }
  }
  const entitiesOf = (dataset: string): string[] => {
    const set = new Set<string>();
    for (const n of graph.nodes) if (datasetOf(n.urn) === dataset) for (const p of n.pii ?? []) set.add(p.entity);
    return [...set].sort();
  };
  return [...hops.entries()]
    .filter(([urn]) => urn !== origin)
    .map(([urn, h]) => {
      const node = byUrn.get(urn);
      const region = node?.region ?? graph.nodes.find((n) => datasetOf(n.urn) === urn && n.region)?.region ?? '';
      return {
        urn, hops: h, region,
        name: node ? nodeName(node) : urn.slice(urn.lastIndexOf('/') + 1),
        kind: node?.kind ?? (isProcessUrn(urn) ? 'connector' : ''),
        store: nodeStore(urn),
        entities: entitiesOf(urn),
        process: isProcessUrn(urn, node?.kind),
      };
    })
    .sort((a, b) => a.hops - b.hops || a.urn.localeCompare(b.urn));
}

/** RFC 4180 CSV of the impact list (a quote doubles; every cell quoted). */
export function impactCsv(rows: readonly ImpactRow[], header: { hops: string; name: string; kind: string; store: string; region: string; entities: string; urn: string }): string {
  const cell = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  const lines = [[header.hops, header.name, header.kind, header.store, header.region, header.entities, header.urn].map(cell).join(',')];
  for (const r of rows) lines.push([r.hops, r.name, r.kind, r.store, r.region, r.entities.join(' '), r.urn].map(cell).join(','));
  return lines.join('\r\n') + '\r\n';
}
