import { layeredLayout, type LayoutLink, type Rect } from '../../../../shared/core/layout/layered';
import type { Lang } from '../../../../shared/core/i18n';
import { SIZES, estimateText, linkLabel, type Measure, type Scene, type SceneEdge, type SceneNode } from './scene';

/**
 * Positions for a scene, container by container: an expanded group's contents are laid out
 * inside it first, the group then takes that size in its own container's layout. Given the order
 * keys of the previous layout, every container keeps its arrangement, so expanding a group opens
 * it where it was and pushes its neighbours aside; nothing already on screen changes places.
 */

export interface PlacedLabel extends Rect {
  id: string;
  lines: string[];
  /** Scene edges routed through this label. */
  edges: string[];
  crossRegion: boolean;
  pii: boolean;
  masked: boolean;
}

export interface SceneLayout {
  /** Absolute rectangles of every node (containers included). */
  nodes: Map<string, Rect>;
  labels: PlacedLabel[];
  /** Absolute points each laid-out edge passes (through its label), source side first. */
  routes: Map<string, { x: number; y: number }[]>;
  width: number;
  height: number;
  /** Order keys per container ('' for the top), to pass back for a stable next layout. */
  order: Map<string, Map<string, number>>;
}

const ROOT = '';
const isOpenContainer = (n: SceneNode | undefined): boolean => (n?.type === 'group' || n?.type === 'cluster') && n.expanded;

export function layoutScene(scene: Scene, o: { lang: Lang; measure?: Measure; keepOrder?: ReadonlyMap<string, ReadonlyMap<string, number>> }): SceneLayout {
  const m = o.measure ?? estimateText;
  const byId = new Map(scene.nodes.map((n) => [n.id, n]));
  const children = new Map<string, SceneNode[]>();
  for (const n of scene.nodes) {
    const p = n.parent && byId.has(n.parent) ? n.parent : ROOT;
    children.set(p, [...(children.get(p) ?? []), n]);
  }
  const parentOf = (id: string): string => {
    const p = byId.get(id)?.parent;
    return p && byId.has(p) ? p : ROOT;
  };
  const chain = (id: string): string[] => {
    const out = [id];
    for (let cur = id; cur !== ROOT;) {
      cur = parentOf(cur);
      out.push(cur);
    }
    return out;
  };

  // Each drawn edge becomes a link at the lowest container holding both ends, between the two
  // children of it that contain them; data-flow edges between the same two children share one label.
  interface Link { id: string; container: string; from: string; to: string; edges: SceneEdge[]; flow: boolean }
  const links = new Map<string, Link>();
  const linkOfEdge = new Map<string, string>();
  const externallyLinked = new Set<string>();
  for (const e of scene.edges) {
    if (e.rowLevel) continue;
    const a = chain(e.from), b = chain(e.to);
    const container = a.find((x) => b.includes(x)) ?? ROOT;
    const childA = a[a.indexOf(container) - 1], childB = b[b.indexOf(container) - 1];
    if (!childA || !childB || childA === childB) continue;
    // Containers an edge leaves on its way out (between its end and the container it joins at).
    for (const x of a.slice(1, a.indexOf(container))) externallyLinked.add(x);
    for (const x of b.slice(1, b.indexOf(container))) externallyLinked.add(x);
    const id = `${container}|${childA}→${childB}|${e.dataFlow ? 'flow' : 'structure'}`;
    let link = links.get(id);
    if (!link) links.set(id, (link = { id, container, from: childA, to: childB, edges: [], flow: e.dataFlow }));
    link.edges.push(e);
    linkOfEdge.set(e.id, id);
  }
  const labelText = new Map<string, string[]>();
  for (const link of links.values()) {
    const lines = link.flow ? linkLabel(link.edges, o.lang) : undefined;
    if (lines) labelText.set(link.id, lines);
  }

  const relative = new Map<string, { boxes: Map<string, Rect>; labels: Map<string, Rect>; routes: Map<string, { x: number; y: number }[]> }>();
  const size = new Map<string, { width: number; height: number }>();
  const order = new Map<string, Map<string, number>>();

  const layoutContainer = (container: string): { width: number; height: number } => {
    const kids = children.get(container) ?? [];
    const boxes = kids.map((k) => {
      const s = isOpenContainer(k) && (children.get(k.id)?.length ?? 0) > 0 ? layoutContainer(k.id) : { width: k.width, height: k.height };
      size.set(k.id, s);
      return { id: k.id, ...s };
    });
    const mine = [...links.values()].filter((l) => l.container === container);
    const layoutLinks: LayoutLink[] = mine.map((l) => {
      const lines = labelText.get(l.id);
      return { id: l.id, from: l.from, to: l.to, label: lines ? { width: Math.ceil(Math.max(...lines.map((x, i) => m(x, i === 0 ? 'badge' : 'label'))) + 2 * SIZES.labelPad + 2), height: lines.length * SIZES.labelLine + 2 * SIZES.labelPad } : undefined };
    });
    // Inside a group whose members connect outwards, unconnected members stand in one column: a
    // wire from a card then never crosses a sibling on its way out.
    const single = container !== ROOT && externallyLinked.has(container);
    const laid = layeredLayout(boxes, layoutLinks, {
      keepOrder: o.keepOrder?.get(container),
      gridWidth: container === ROOT ? 1100 : single ? 0 : 760,
      layerGap: 24,
      nodeGap: container === ROOT ? 20 : 14,
    });
    relative.set(container, { boxes: laid.boxes, labels: laid.labels, routes: laid.routes });
    order.set(container, laid.order);
    if (container === ROOT) return { width: laid.width, height: laid.height };
    const self = byId.get(container)!;
    return {
      width: Math.ceil(Math.max(self.width, self.frameWidth ?? 0, laid.width + 2 * SIZES.framePad)),
      height: Math.ceil(SIZES.frameHeader + laid.height + SIZES.framePad),
    };
  };
  const rootSize = layoutContainer(ROOT);

  // Absolute positions, top-down.
  const nodes = new Map<string, Rect>();
  const origin = new Map<string, { x: number; y: number }>([[ROOT, { x: 0, y: 0 }]]);
  const place = (container: string) => {
    const base = origin.get(container)!;
    const rel = relative.get(container);
    if (!rel) return;
    for (const [id, r] of rel.boxes) {
      const abs = { x: base.x + r.x, y: base.y + r.y, width: r.width, height: r.height };
      nodes.set(id, abs);
      if (relative.has(id)) {
        origin.set(id, { x: abs.x + SIZES.framePad, y: abs.y + SIZES.frameHeader });
        place(id);
      }
    }
  };
  place(ROOT);

  const labels: PlacedLabel[] = [];
  const routes = new Map<string, { x: number; y: number }[]>();
  for (const link of links.values()) {
    const base = origin.get(link.container);
    const rel = relative.get(link.container);
    if (!base || !rel) continue;
    const pts = (rel.routes.get(link.id) ?? []).map((p) => ({ x: p.x + base.x, y: p.y + base.y }));
    const lab = rel.labels.get(link.id);
    if (lab) {
      labels.push({
        id: link.id, lines: labelText.get(link.id)!, x: lab.x + base.x, y: lab.y + base.y, width: lab.width, height: lab.height,
        edges: link.edges.map((e) => e.id), crossRegion: link.edges.some((e) => e.crossRegion), pii: link.edges.some((e) => e.pii), masked: link.edges.some((e) => e.masked),
      });
    }
    for (const e of link.edges) routes.set(e.id, pts);
  }
  let width = rootSize.width, height = rootSize.height;
  for (const r of nodes.values()) {
    width = Math.max(width, r.x + r.width);
    height = Math.max(height, r.y + r.height);
  }
  return { nodes, labels, routes, width, height, order };
}

/** The zoom at which the whole layout fits a canvas, with padding in pixels on each side. */
export function fitZoom(layout: Pick<SceneLayout, 'width' | 'height'>, canvas: { width: number; height: number }, padding = 24): number {
  if (layout.width <= 0 || layout.height <= 0) return 1;
  return Math.min((canvas.width - 2 * padding) / layout.width, (canvas.height - 2 * padding) / layout.height);
}
