import { layoutGraph, type ElkLike, type LayoutResult } from '../../core/layout/layout.js';
import { groupKeyOf, groupLabel } from '../../core/model/groups.js';
import type { Graph, GraphNode } from '../../core/model/graph.js';
import { datasetUrn, parseUrn } from '../../core/model/urn.js';
import { COLORS, type ReportWriter } from './pdf-writer.js';

/** Above this many datasets the diagram is drawn per group (database, cluster, bucket, namespace). */
export const MAX_DATASET_BOXES = 36;
/** Even grouped, more boxes than this are unreadable on one A4 page: the least connected are left out. */
export const MAX_GROUP_BOXES = 48;
/** Edge kinds that move data; `contains` is folded away when fields become their dataset. */
const FLOW_KINDS = new Set(['cdc', 'sinks', 'reads', 'writes', 'same-values']);

export interface DiagramBox { id: string; label: string; sublabel: string; pii: boolean; region?: string }
export interface DiagramArrow { from: string; to: string; crossBorder: boolean }
export interface Diagram {
  level: 'dataset' | 'group';
  boxes: DiagramBox[];
  arrows: DiagramArrow[];
  datasets: number;
  /** Boxes before capping (group level). */
  totalBoxes: number;
}

const safeParse = (urn: string) => {
  try {
    return parseUrn(urn);
  } catch {
    return undefined;
  }
};

/**
 * Reduces the workspace graph to what a page can show: columns and fields fold into their dataset
 * (table, topic, prefix); only data-flow edges remain; past MAX_DATASET_BOXES datasets fold into
 * their group (shared/core/model/groups.ts, the studio's own aggregation).
 */
export function buildDiagram(graph: Graph): Diagram {
  const byUrn = new Map(graph.nodes.map((n) => [n.urn, n]));
  const datasetOf = (urn: string): string => (byUrn.get(urn)?.kind === 'column' || byUrn.get(urn)?.kind === 'field' || urn.includes('#') ? datasetUrn(urn) : urn);
  const piiDatasets = new Set(graph.nodes.filter((n) => n.pii?.length).map((n) => datasetOf(n.urn)));

  const arrows = new Map<string, { from: string; to: string }>();
  for (const e of graph.edges) {
    if (!FLOW_KINDS.has(e.kind)) continue;
    // A workload's `reads` edge points at what it reads; the diagram draws where the data goes.
    const [from, to] = e.kind === 'reads' ? [datasetOf(e.to), datasetOf(e.from)] : [datasetOf(e.from), datasetOf(e.to)];
    if (from !== to) arrows.set(`${from}\n${to}`, { from, to });
  }
  const datasetIds = new Set<string>([...piiDatasets]);
  for (const a of arrows.values()) datasetIds.add(a.from).add(a.to);
  // A dataset's region is its own, else that of any of its fields (one pass: graphs run to 50,000 nodes).
  const fieldRegion = new Map<string, string>();
  for (const n of graph.nodes) if (n.region && !fieldRegion.has(datasetOf(n.urn))) fieldRegion.set(datasetOf(n.urn), n.region);
  const regionOf = (urn: string): string | undefined => byUrn.get(urn)?.region ?? fieldRegion.get(urn);
  const cross = (a: string, b: string) => {
    const ra = regionOf(a), rb = regionOf(b);
    return !!ra && !!rb && ra !== rb;
  };

  if (datasetIds.size <= MAX_DATASET_BOXES) {
    const boxes = [...datasetIds].map((urn): DiagramBox => {
      const node: GraphNode | undefined = byUrn.get(urn);
      const p = safeParse(urn);
      const name = node?.name ?? p?.segments[p.segments.length - 1] ?? urn;
      const region = regionOf(urn);
      return { id: urn, label: `${p?.source ?? ''} · ${name}`, sublabel: [node?.kind ?? p?.scheme, region].filter(Boolean).join(' · '), pii: piiDatasets.has(urn), region };
    });
    return { level: 'dataset', boxes, arrows: [...arrows.values()].map((a) => ({ ...a, crossBorder: cross(a.from, a.to) })), datasets: datasetIds.size, totalBoxes: boxes.length };
  }

  const groupOf = (urn: string): string => {
    try {
      return groupKeyOf(urn);
    } catch {
      return urn;
    }
  };
  const groups = new Map<string, { members: number; pii: boolean; regions: Set<string> }>();
  for (const d of datasetIds) {
    const g = groups.get(groupOf(d)) ?? { members: 0, pii: false, regions: new Set<string>() };
    g.members++;
    g.pii ||= piiDatasets.has(d);
    const r = regionOf(d);
    if (r) g.regions.add(r);
    groups.set(groupOf(d), g);
  }
  const groupArrows = new Map<string, DiagramArrow>();
  for (const a of arrows.values()) {
    const from = groupOf(a.from), to = groupOf(a.to);
    if (from === to) continue;
    const key = `${from}\n${to}`;
    const prev = groupArrows.get(key);
    groupArrows.set(key, { from, to, crossBorder: (prev?.crossBorder ?? false) || cross(a.from, a.to) });
  }
  const degree = new Map<string, number>();
  for (const a of groupArrows.values()) for (const k of [a.from, a.to]) degree.set(k, (degree.get(k) ?? 0) + 1);
  const kept = [...groups.keys()].sort((a, b) => Number(groups.get(b)!.pii) - Number(groups.get(a)!.pii) || (degree.get(b) ?? 0) - (degree.get(a) ?? 0) || (a < b ? -1 : 1)).slice(0, MAX_GROUP_BOXES);
  const keep = new Set(kept);
  return {
    level: 'group',
    boxes: kept.map((k) => {
      const g = groups.get(k)!;
      return { id: k, label: `${groupLabel(k)} (${g.members})`, sublabel: [...g.regions].join(', '), pii: g.pii, region: g.regions.size === 1 ? [...g.regions][0] : undefined };
    }),
    arrows: [...groupArrows.values()].filter((a) => keep.has(a.from) && keep.has(a.to)),
    datasets: datasetIds.size,
    totalBoxes: groups.size,
  };
}

/** Lays the diagram out with the studio's layout (layoutGraph over a graph of boxes). */
export function layoutDiagram(elk: ElkLike, diagram: Diagram): Promise<LayoutResult> {
  const graph: Graph = {
    // Box kind 'table' keeps layoutGraph from relabelling: it labels only columns/fields by URN.
    nodes: diagram.boxes.map((b) => ({ urn: b.id, kind: 'table', name: b.label, source: '', props: {} })),
    edges: diagram.arrows.map((a) => ({ from: a.from, to: a.to, kind: 'cdc', confidence: 1, evidence: { rule: 'report', detail: '' } })),
    truncated: false,
  };
  return layoutGraph(elk, graph, { 'elk.spacing.nodeNode': '24', 'elk.layered.spacing.nodeNodeBetweenLayers': '70' }).then((r) => ({
    ...r,
    nodes: r.nodes.map((n) => ({ ...n, height: Math.max(n.height, 34) })),
  }));
}

/** Cuts a label to a width, with an ellipsis, using the current font. */
function fit(doc: PDFKit.PDFDocument, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let lo = 0, hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(text.slice(0, mid) + '…') <= width) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo) + '…';
}

/** Draws a laid-out diagram as vector graphics into a box of the current page, scaled to fit. */
export function drawDiagram(w: ReportWriter, diagram: Diagram, layout: LayoutResult, box: { x: number; y: number; width: number; height: number }): void {
  const doc = w.doc;
  const scale = Math.min(1.2, box.width / Math.max(1, layout.width), box.height / Math.max(1, layout.height));
  const ox = box.x + (box.width - layout.width * scale) / 2;
  const oy = box.y;
  const X = (x: number) => ox + x * scale;
  const Y = (y: number) => oy + y * scale;
  const byId = new Map(diagram.boxes.map((b) => [b.id, b]));
  const crossing = new Set(diagram.arrows.filter((a) => a.crossBorder).map((a) => `${a.from}\n${a.to}`));

  for (const e of layout.edges) {
    if (e.points.length < 2) continue;
    const red = crossing.has(`${e.from}\n${e.to}`);
    const color = red ? COLORS.severity.high : '#7b8794';
    doc.save().lineWidth(red ? 1.4 : 0.8).strokeColor(color);
    doc.moveTo(X(e.points[0].x), Y(e.points[0].y));
    for (const p of e.points.slice(1)) doc.lineTo(X(p.x), Y(p.y));
    doc.stroke();
    // Arrowhead along the last segment.
    const a = e.points[e.points.length - 2], b = e.points[e.points.length - 1];
    const ang = Math.atan2(b.y - a.y, b.x - a.x);
    const len = 6;
    doc.polygon([X(b.x), Y(b.y)], [X(b.x) - len * Math.cos(ang - 0.4), Y(b.y) - len * Math.sin(ang - 0.4)], [X(b.x) - len * Math.cos(ang + 0.4), Y(b.y) - len * Math.sin(ang + 0.4)]).fill(color);
    doc.restore();
  }
  const font = Math.max(4.5, Math.min(9, 9 * scale));
  for (const n of layout.nodes) {
    const b = byId.get(n.id);
    if (!b) continue;
    const x = X(n.x), y = Y(n.y), width = n.width * scale, height = n.height * scale;
    doc.save().roundedRect(x, y, width, height, 3 * scale).lineWidth(b.pii ? 1.2 : 0.7)
      .fillAndStroke(b.pii ? '#fdecea' : '#eef3fb', b.pii ? COLORS.severity.high : '#4a6fa5').restore();
    // Two lines (name, kind · region) centred vertically: their line boxes are ~1.45 and ~1.2 font sizes tall.
    const top = y + (height - font * 2.45) / 2;
    doc.font('bold').fontSize(font).fillColor(COLORS.text);
    doc.text(fit(doc, b.label, width - 6), x + 4, top, { lineBreak: false });
    doc.font('body').fontSize(font * 0.82).fillColor(COLORS.muted);
    doc.text(fit(doc, b.sublabel, width - 6), x + 4, top + font * 1.4, { lineBreak: false });
  }
  doc.fillColor(COLORS.text).font('body').fontSize(9);
}

/** The legend under the diagram. */
export function drawLegend(w: ReportWriter, y: number): void {
  const doc = w.doc;
  let x = w.margin;
  const item = (draw: () => void, label: string) => {
    draw();
    doc.font('body').fontSize(8).fillColor(COLORS.text).text(label, x + 26, y, { lineBreak: false });
    x += 36 + doc.widthOfString(label);
  };
  item(() => doc.save().roundedRect(x, y, 20, 10, 2).lineWidth(1.2).fillAndStroke('#fdecea', COLORS.severity.high).restore(), w.tr('report.legendPii'));
  item(() => doc.save().roundedRect(x, y, 20, 10, 2).lineWidth(0.7).fillAndStroke('#eef3fb', '#4a6fa5').restore(), w.tr('report.legendPlain'));
  item(() => doc.save().moveTo(x, y + 5).lineTo(x + 20, y + 5).lineWidth(1.4).strokeColor(COLORS.severity.high).stroke().restore(), w.tr('report.legendCross'));
  item(() => doc.save().moveTo(x, y + 5).lineTo(x + 20, y + 5).lineWidth(0.8).strokeColor('#7b8794').stroke().restore(), w.tr('report.legendFlow'));
}
