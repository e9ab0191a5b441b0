import type { CallOutput } from '../../../../shared/core/api/contract';
import type { Evidence, Graph, GraphNode } from '../../../../shared/core/model/graph';
import { groupKeyOf, groupLabel } from '../../../../shared/core/model/groups';
import { urnLabel } from '../../../../shared/core/model/urn';

/**
 * What the lineage canvas draws: groups (collapsed namespaces, databases, buckets, topics…) and
 * the nodes of the groups the auditor expanded. Pure functions, so the rules — aggregation above a
 * node budget, filters, cross-region detection — are tested without a browser.
 */

/** Above this many visible nodes the graph stays aggregated: ELK and the DOM both slow down past it. */
export const MAX_VISIBLE_NODES = 1500;

export type Overview = CallOutput<'graph:overview'>;
export type GroupSummary = Overview['groups'][number];

export interface VisibleNode {
  id: string;
  type: 'group' | 'item';
  label: string;
  /** Secondary line: the URN's dataset or the group's source. */
  sublabel: string;
  kind: string;
  source: string;
  region?: string;
  groupKey: string;
  /** For groups: how many nodes it holds. */
  count?: number;
  piiCount: number;
  entities: string[];
  expanded?: boolean;
  urn?: string;
  width: number;
  height: number;
}

export interface VisibleEdge {
  id: string;
  from: string;
  to: string;
  kind: string;
  count: number;
  confidence?: number;
  evidence?: Evidence;
  crossRegion: boolean;
  fromRegion?: string;
  toRegion?: string;
}

export interface VisibleGraph {
  nodes: VisibleNode[];
  edges: VisibleEdge[];
}

export interface LineageFilters {
  sources: string[];
  kinds: string[];
  entities: string[];
  regions: string[];
  piiOnly: boolean;
}

export const EMPTY_FILTERS: LineageFilters = { sources: [], kinds: [], entities: [], regions: [], piiOnly: false };

const GROUP_HEIGHT = 60;
const ITEM_HEIGHT = 46;

/** Text width without measuring (the layout runs in a worker, before anything is drawn); CJK counts double. */
function textUnits(text: string): number {
  let units = 0;
  for (const ch of text) units += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 2 : 1;
  return units;
}

/**
 * A node box wide enough for its label (12.5px semibold ≈ 7.6px a character), its second line,
 * the kind tag on the left and the PII badge/expander on the right, so nothing is cut off.
 */
export function nodeBoxWidth(label: string, meta: string, rightBadges: number): number {
  const text = Math.max(textUnits(label) * 7.6, textUnits(meta) * 6.4);
  return Math.round(Math.min(420, Math.max(150, 20 + 36 + 8 + text + rightBadges + 6)));
}

/** Group ids are prefixed: a group key such as mysql://shop-db/shop is also the database node's URN. */
export const groupNodeId = (key: string): string => `group:${key}`;
export const isGroupNodeId = (id: string): boolean => id.startsWith('group:');
export const groupKeyFromNodeId = (id: string): string => id.slice('group:'.length);

/** Node kinds a group of a given URN scheme can hold, so the kind filter also applies to collapsed groups. */
const KINDS_BY_SCHEME: Record<string, string[]> = {
  mysql: ['database', 'table', 'column'],
  kafka: ['topic', 'field', 'connector'],
  s3: ['bucket', 'prefix', 'field'],
  k8s: ['k8s-object', 'secret', 'configmap', 'subject', 'workload', 'connector'],
  app: ['workload'],
  git: ['git-file'],
};

const crossesRegion = (a?: string, b?: string): boolean => !!a && !!b && a !== b;

export function nodeLabel(node: Pick<GraphNode, 'urn' | 'kind' | 'name'>): string {
  return node.kind === 'column' || node.kind === 'field' ? urnLabel(node.urn) : node.name;
}

function itemNode(node: GraphNode): VisibleNode {
  const label = nodeLabel(node);
  const entities = [...new Set((node.pii ?? []).map((p) => p.entity))];
  return {
    id: node.urn,
    type: 'item',
    label,
    sublabel: node.kind,
    kind: node.kind,
    source: node.source,
    region: node.region,
    groupKey: groupKeyOf(node.urn),
    piiCount: entities.length > 0 ? 1 : 0,
    entities,
    urn: node.urn,
    width: nodeBoxWidth(label, `${node.kind} · ${node.region ?? ''}`, entities.length ? 40 : 0),
    height: ITEM_HEIGHT,
  };
}

function groupNode(group: GroupSummary, expanded: boolean): VisibleNode {
  return {
    id: groupNodeId(group.key),
    type: 'group',
    label: group.label,
    sublabel: group.source,
    kind: group.kind,
    source: group.source,
    region: group.region,
    groupKey: group.key,
    count: group.count,
    piiCount: group.piiCount,
    entities: [],
    expanded,
    // Right side: "PII 12" badge and the +/− expander.
    width: nodeBoxWidth(group.label, `${group.count} nodes · ${group.region ?? ''}`, (group.piiCount ? 62 : 0) + 28),
    height: GROUP_HEIGHT,
  };
}

function groupPasses(group: GroupSummary, f: LineageFilters): boolean {
  if (f.sources.length && !f.sources.includes(group.source)) return false;
  if (f.regions.length && !(group.region && f.regions.includes(group.region))) return false;
  if ((f.piiOnly || f.entities.length) && group.piiCount === 0) return false;
  if (f.kinds.length && !(KINDS_BY_SCHEME[group.kind] ?? []).some((k) => f.kinds.includes(k))) return false;
  return true;
}

function itemPasses(node: GraphNode, f: LineageFilters): boolean {
  if (f.sources.length && !f.sources.includes(node.source)) return false;
  if (f.regions.length && !(node.region && f.regions.includes(node.region))) return false;
  if (f.kinds.length && !f.kinds.includes(node.kind)) return false;
  const entities = (node.pii ?? []).map((p) => p.entity);
  if (f.piiOnly && entities.length === 0) return false;
  if (f.entities.length && !entities.some((e) => f.entities.includes(e))) return false;
  return true;
}

function edgeBetween(from: VisibleNode, to: VisibleNode, kind: string, count: number, extra: Partial<VisibleEdge> = {}): VisibleEdge {
  return {
    id: `${from.id}|${kind}|${to.id}`,
    from: from.id,
    to: to.id,
    kind,
    count,
    crossRegion: crossesRegion(from.region, to.region),
    fromRegion: from.region,
    toRegion: to.region,
    ...extra,
  };
}

/**
 * The overview: one node per group, except expanded groups, which show their nodes next to a
 * header node that keeps the group's edges to other (collapsed) groups.
 */
export function buildOverviewGraph(overview: Overview, expanded: ReadonlyMap<string, Graph>, filters: LineageFilters = EMPTY_FILTERS): VisibleGraph {
  const nodes: VisibleNode[] = [];
  const byId = new Map<string, VisibleNode>();
  const add = (n: VisibleNode) => {
    nodes.push(n);
    byId.set(n.id, n);
  };
  const edges: VisibleEdge[] = [];

  for (const group of overview.groups) {
    if (!groupPasses(group, filters) && !expanded.has(group.key)) continue;
    add(groupNode(group, expanded.has(group.key)));
  }
  // Several relations between the same two groups (sinks and same-values, say) are drawn as one
  // edge naming them all: overlapping edges would hide each other and their labels.
  const pairs = new Map<string, { from: string; to: string; kinds: string[]; count: number }>();
  for (const group of overview.edges) {
    const key = `${group.from}\u0000${group.to}`;
    const pair = pairs.get(key) ?? { from: group.from, to: group.to, kinds: [], count: 0 };
    pair.kinds.push(group.kind);
    pair.count += group.count;
    pairs.set(key, pair);
  }
  for (const pair of pairs.values()) {
    const from = byId.get(groupNodeId(pair.from));
    const to = byId.get(groupNodeId(pair.to));
    if (from && to) edges.push(edgeBetween(from, to, pair.kinds.join(', '), pair.count));
  }
  for (const [key, graph] of expanded) {
    const header = byId.get(groupNodeId(key));
    if (!header) continue;
    const inGroup = new Set<string>();
    for (const node of graph.nodes) {
      if (!itemPasses(node, filters)) continue;
      add(itemNode(node));
      inGroup.add(node.urn);
    }
    const hasParentInGroup = new Set<string>();
    for (const e of graph.edges) {
      const from = byId.get(e.from);
      const to = byId.get(e.to);
      if (!from || !to) continue;
      if (e.kind === 'contains') hasParentInGroup.add(e.to);
      edges.push(edgeBetween(from, to, e.kind, 1, { confidence: e.confidence, evidence: e.evidence }));
    }
    // The header holds the roots of the group (a database, a namespace's objects) so the layout
    // keeps the group together and next to the groups it exchanges data with.
    for (const urn of inGroup) {
      if (hasParentInGroup.has(urn)) continue;
      edges.push(edgeBetween(header, byId.get(urn)!, 'member', 1));
    }
  }
  return { nodes, edges };
}

/**
 * A lineage closure (graph:lineage) as drawn: every node when it fits the budget, aggregated by
 * group when it does not (never one giant ELK call).
 */
export function buildFocusGraph(graph: Graph, filters: LineageFilters = EMPTY_FILTERS, focusUrn?: string): VisibleGraph & { aggregated: boolean } {
  const kept = graph.nodes.filter((n) => n.urn === focusUrn || itemPasses(n, filters));
  if (kept.length <= MAX_VISIBLE_NODES) {
    const nodes = kept.map(itemNode);
    const byId = new Map(nodes.map((n) => [n.id, n]));
    const edges: VisibleEdge[] = [];
    for (const e of graph.edges) {
      const from = byId.get(e.from);
      const to = byId.get(e.to);
      if (from && to) edges.push(edgeBetween(from, to, e.kind, 1, { confidence: e.confidence, evidence: e.evidence }));
    }
    return { nodes, edges, aggregated: false };
  }
  return { ...aggregateByGroup({ ...graph, nodes: kept }), aggregated: true };
}

/** Collapses a node-level graph into its groups, counting nodes, PII nodes and edges. */
export function aggregateByGroup(graph: Graph): VisibleGraph {
  const groups = new Map<string, GroupSummary>();
  const groupOf = new Map<string, string>();
  for (const n of graph.nodes) {
    const key = groupKeyOf(n.urn);
    groupOf.set(n.urn, key);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, label: groupLabel(key), source: n.source, kind: key.slice(0, key.indexOf(':')), count: 0, piiCount: 0, region: n.region }));
    g.count++;
    if (n.pii?.length) g.piiCount++;
  }
  const counts = new Map<string, { from: string; to: string; kind: string; count: number }>();
  for (const e of graph.edges) {
    const from = groupOf.get(e.from);
    const to = groupOf.get(e.to);
    if (!from || !to || from === to) continue;
    const k = `${from}\u0000${to}\u0000${e.kind}`;
    const c = counts.get(k) ?? { from, to, kind: e.kind, count: 0 };
    c.count++;
    counts.set(k, c);
  }
  return buildOverviewGraph({ groups: [...groups.values()], edges: [...counts.values()], totalNodes: graph.nodes.length }, new Map());
}

/** The distinct values the filter menus offer. */
export function filterOptions(overview: Overview | null, expanded: ReadonlyMap<string, Graph>): { sources: string[]; regions: string[]; kinds: string[]; entities: string[] } {
  const sources = new Set<string>();
  const regions = new Set<string>();
  const kinds = new Set<string>();
  const entities = new Set<string>();
  for (const g of overview?.groups ?? []) {
    sources.add(g.source);
    if (g.region) regions.add(g.region);
    for (const k of KINDS_BY_SCHEME[g.kind] ?? []) kinds.add(k);
  }
  for (const graph of expanded.values()) {
    for (const n of graph.nodes) for (const p of n.pii ?? []) entities.add(p.entity);
  }
  const sorted = (s: Set<string>) => [...s].sort((a, b) => a.localeCompare(b));
  return { sources: sorted(sources), regions: sorted(regions), kinds: sorted(kinds), entities: sorted(entities) };
}
