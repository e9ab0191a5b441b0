import type { ElkNode, ElkExtendedEdge, LayoutOptions } from 'elkjs/lib/elk-api.js';
import type { Graph } from '../model/graph.js';
import { urnLabel } from '../model/urn.js';

/**
 * graph → elkjs → positions. One function for the UI's worker, the CLI and the PDF report, so the
 * report's diagram is the studio's diagram. The ELK instance is injected: a Web Worker ELK in the
 * browser, the bundled one in Node.
 */
export interface ElkLike {
  layout(graph: ElkNode, args?: { layoutOptions?: LayoutOptions }): Promise<ElkNode>;
}

export interface LayoutInputNode {
  id: string;
  label: string;
  width?: number;
  height?: number;
}
export interface LayoutInputEdge {
  id: string;
  from: string;
  to: string;
}
export interface PositionedNode {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface PositionedEdge {
  id: string;
  from: string;
  to: string;
  points: { x: number; y: number }[];
}
export interface LayoutResult {
  nodes: PositionedNode[];
  edges: PositionedEdge[];
  width: number;
  height: number;
}

/**
 * Settings measured on this machine (ENVIRONMENT.md): layered, left to right, thoroughness 1,
 * greedy switch off and simple node placement keep 1,000 nodes at ~2–3 s; the defaults are far slower.
 */
export const LINEAGE_LAYOUT_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.spacing.nodeNode': '18',
  'elk.layered.spacing.nodeNodeBetweenLayers': '60',
  'elk.edgeRouting': 'POLYLINE',
};

/** Width of a node box for a label, without measuring text (monospace-ish estimate, CJK counted double). */
export function estimateLabelWidth(label: string, charWidth = 7): number {
  let units = 0;
  for (const ch of label) units += /[\u2E80-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/.test(ch) ? 2 : 1;
  return Math.min(360, Math.max(80, units * charWidth + 24));
}

export async function layoutNodes(elk: ElkLike, nodes: LayoutInputNode[], edges: LayoutInputEdge[], options: LayoutOptions = {}): Promise<LayoutResult> {
  const ids = new Set(nodes.map((n) => n.id));
  const elkGraph: ElkNode = {
    id: 'root',
    layoutOptions: { ...LINEAGE_LAYOUT_OPTIONS, ...options },
    children: nodes.map((n) => ({ id: n.id, width: n.width ?? estimateLabelWidth(n.label), height: n.height ?? 32 })),
    // Edges to nodes outside the set (e.g. collapsed groups) would make ELK throw.
    edges: edges.filter((e) => ids.has(e.from) && ids.has(e.to) && e.from !== e.to).map<ElkExtendedEdge>((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })),
  };
  const out = await elk.layout(elkGraph);
  const byId = new Map(edges.map((e) => [e.id, e]));
  return {
    nodes: (out.children ?? []).map((c) => ({ id: c.id, x: c.x ?? 0, y: c.y ?? 0, width: c.width ?? 0, height: c.height ?? 0 })),
    edges: ((out.edges ?? []) as ElkExtendedEdge[]).map((e) => {
      const s = e.sections?.[0];
      const points = s ? [s.startPoint, ...(s.bendPoints ?? []), s.endPoint] : [];
      const src = byId.get(e.id)!;
      return { id: e.id, from: src.from, to: src.to, points };
    }),
    width: out.width ?? 0,
    height: out.height ?? 0,
  };
}

/** Lays out a workspace graph (nodes keyed by URN). */
export function layoutGraph(elk: ElkLike, graph: Graph, options: LayoutOptions = {}): Promise<LayoutResult> {
  return layoutNodes(
    elk,
    graph.nodes.map((n) => ({ id: n.urn, label: n.kind === 'column' || n.kind === 'field' ? urnLabel(n.urn) : n.name })),
    graph.edges.map((e) => ({ id: `${e.from}|${e.kind}|${e.to}`, from: e.from, to: e.to })),
    options,
  );
}
