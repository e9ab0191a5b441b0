/**
 * A small layered (Sugiyama-style) layout, left to right, that runs synchronously anywhere: the
 * studio lays out what it shows with it on the main thread, so the first paint never waits for the
 * ELK worker, and the same function can lay out the report's diagram.
 *
 * What it guarantees, because the studio's legibility rules rest on it:
 * - boxes never overlap (each layer is a stack with gaps; layers are side by side);
 * - an edge label is a node of its own in the gap between two layers, so labels never cover a box
 *   or each other, and the edge is routed through it;
 * - given the order keys of an earlier layout (`keepOrder`), boxes keep their layer and their order
 *   in it: a box that grows (a group expanded in place) pushes its neighbours aside, nothing reorders.
 *
 * Steps: cycles broken by DFS, longest-path layers (sources pulled next to their targets), one
 * dummy per layer an edge spans (the first one carries the label), barycenter ordering, then
 * vertical placement by isotonic regression (each box as near the mean of its neighbours as the
 * minimum gaps allow). Disconnected parts are stacked; isolated boxes form a grid below them.
 */

export interface LayoutBox {
  id: string;
  width: number;
  height: number;
}

export interface LayoutLink {
  id: string;
  from: string;
  to: string;
  /** Size of the label drawn on the link; the label becomes a node in the gap it crosses first. */
  label?: { width: number; height: number };
}

export interface LayeredOptions {
  /** Horizontal space between a layer of boxes and the next (a label gap is as wide as its widest label plus this). */
  layerGap?: number;
  /** Vertical space between two boxes of a layer. */
  nodeGap?: number;
  /** Space between disconnected parts. */
  componentGap?: number;
  /** Isolated boxes are laid out in a grid this wide at most. */
  gridWidth?: number;
  /** Order keys from an earlier layout: boxes that have one keep their relative order. */
  keepOrder?: ReadonlyMap<string, number>;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface LayeredLayout {
  boxes: Map<string, Rect>;
  /** Where each labelled link's label sits. */
  labels: Map<string, Rect>;
  /** Points a link passes between its source's right side and its target's left side. */
  routes: Map<string, { x: number; y: number }[]>;
  width: number;
  height: number;
  /** Order keys to pass back as `keepOrder` next time, so the arrangement stays. */
  order: Map<string, number>;
}

const DUMMY_HEIGHT = 4;
const MAX_SWEEPS = 8;

interface Slot {
  id: string;
  width: number;
  height: number;
  kind: 'box' | 'label' | 'dummy';
  layer: number;
  /** Neighbours in the previous and next layer (slot indices). */
  up: number[];
  down: number[];
  key: number;
  y: number;
}

/** Lays out boxes and links; unknown link ends and self-links are ignored. */
export function layeredLayout(boxes: readonly LayoutBox[], links: readonly LayoutLink[], options: LayeredOptions = {}): LayeredLayout {
  const layerGap = options.layerGap ?? 56;
  const nodeGap = options.nodeGap ?? 20;
  const componentGap = options.componentGap ?? 40;
  const byId = new Map(boxes.map((b) => [b.id, b]));
  const usable = links.filter((l) => byId.has(l.from) && byId.has(l.to) && l.from !== l.to);

  const result: LayeredLayout = { boxes: new Map(), labels: new Map(), routes: new Map(), width: 0, height: 0, order: new Map() };
  const components = connectedComponents(boxes, usable);
  const connected = components.filter((c) => c.boxes.length > 1);
  const isolated = components.filter((c) => c.boxes.length === 1).map((c) => c.boxes[0]);
  // Stable order of parts: by the smallest order key they hold, else by input order.
  const inputIndex = new Map(boxes.map((b, i) => [b.id, i]));
  const rankOf = (c: Component) => Math.min(...c.boxes.map((b) => options.keepOrder?.get(b.id) ?? 1e9 + inputIndex.get(b.id)!));
  connected.sort((a, b) => rankOf(a) - rankOf(b));

  let y = 0;
  let orderBase = 0;
  for (const component of connected) {
    const part = layoutComponent(component.boxes, component.links, { layerGap, nodeGap, keepOrder: options.keepOrder });
    for (const [id, r] of part.boxes) result.boxes.set(id, { ...r, y: r.y + y });
    for (const [id, r] of part.labels) result.labels.set(id, { ...r, y: r.y + y });
    for (const [id, pts] of part.routes) result.routes.set(id, pts.map((p) => ({ x: p.x, y: p.y + y })));
    for (const [id, k] of part.order) result.order.set(id, orderBase + k);
    orderBase += part.order.size + 1;
    result.width = Math.max(result.width, part.width);
    y += part.height + componentGap;
  }

  if (isolated.length > 0) {
    isolated.sort((a, b) => (options.keepOrder?.get(a.id) ?? 1e9 + inputIndex.get(a.id)!) - (options.keepOrder?.get(b.id) ?? 1e9 + inputIndex.get(b.id)!));
    const grid = gridLayout(isolated, { gap: nodeGap, colGap: layerGap, maxWidth: Math.max(options.gridWidth ?? result.width, ...isolated.map((b) => b.width)) });
    for (const [id, r] of grid.boxes) result.boxes.set(id, { ...r, y: r.y + y });
    isolated.forEach((b, i) => result.order.set(b.id, orderBase + i));
    result.width = Math.max(result.width, grid.width);
    y += grid.height + componentGap;
  }
  result.height = Math.max(0, y - componentGap);
  return result;
}

interface Component {
  boxes: LayoutBox[];
  links: LayoutLink[];
}

function connectedComponents(boxes: readonly LayoutBox[], links: readonly LayoutLink[]): Component[] {
  const parent = new Map(boxes.map((b) => [b.id, b.id]));
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root)!;
    for (let cur = id; parent.get(cur) !== root;) {
      const next = parent.get(cur)!;
      parent.set(cur, root);
      cur = next;
    }
    return root;
  };
  for (const l of links) parent.set(find(l.from), find(l.to));
  const byRoot = new Map<string, Component>();
  for (const b of boxes) {
    const root = find(b.id);
    let c = byRoot.get(root);
    if (!c) byRoot.set(root, (c = { boxes: [], links: [] }));
    c.boxes.push(b);
  }
  for (const l of links) byRoot.get(find(l.from))!.links.push(l);
  return [...byRoot.values()];
}

/**
 * Isolated boxes in rows of a fixed column count: when one grows, its column widens and its row
 * deepens, but every box keeps its cell.
 */
export function gridLayout(boxes: readonly LayoutBox[], o: { gap: number; colGap: number; maxWidth: number }): { boxes: Map<string, Rect>; width: number; height: number } {
  const typical = boxes.reduce((n, b) => n + b.width, 0) / Math.max(1, boxes.length);
  const columns = Math.max(1, Math.min(boxes.length, Math.floor((o.maxWidth + o.colGap) / (typical + o.colGap))));
  const colWidth = Array.from({ length: columns }, () => 0);
  const rowHeight: number[] = [];
  boxes.forEach((b, i) => {
    const c = i % columns;
    const r = Math.floor(i / columns);
    colWidth[c] = Math.max(colWidth[c], b.width);
    rowHeight[r] = Math.max(rowHeight[r] ?? 0, b.height);
  });
  const colX = colWidth.map((_, c) => colWidth.slice(0, c).reduce((a, w) => a + w + o.colGap, 0));
  const rowY = rowHeight.map((_, r) => rowHeight.slice(0, r).reduce((a, h) => a + h + o.gap, 0));
  const out = new Map<string, Rect>();
  boxes.forEach((b, i) => out.set(b.id, { x: colX[i % columns], y: rowY[Math.floor(i / columns)], width: b.width, height: b.height }));
  return {
    boxes: out,
    width: colWidth.reduce((a, w) => a + w, 0) + o.colGap * (columns - 1),
    height: rowHeight.reduce((a, h) => a + h, 0) + o.gap * Math.max(0, rowHeight.length - 1),
  };
}

/** Layers by longest path from the sources over an acyclic orientation of the links. */
function assignLayers(ids: string[], links: readonly LayoutLink[]): { layer: Map<string, number>; reversed: Set<string> } {
  const out = new Map<string, LayoutLink[]>(ids.map((id) => [id, []]));
  for (const l of links) out.get(l.from)!.push(l);
  // Back edges of an iterative DFS (in input order) are reversed: what remains has no cycle.
  const state = new Map<string, 0 | 1 | 2>();
  const reversed = new Set<string>();
  for (const start of ids) {
    if (state.get(start)) continue;
    const stack: { id: string; next: number }[] = [{ id: start, next: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1];
      const edges = out.get(top.id)!;
      if (top.next >= edges.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const l = edges[top.next++];
      const s = state.get(l.to) ?? 0;
      if (s === 1) reversed.add(l.id);
      else if (s === 0) {
        state.set(l.to, 1);
        stack.push({ id: l.to, next: 0 });
      }
    }
  }
  const preds = new Map<string, string[]>(ids.map((id) => [id, []]));
  const succs = new Map<string, string[]>(ids.map((id) => [id, []]));
  for (const l of links) {
    const [a, b] = reversed.has(l.id) ? [l.to, l.from] : [l.from, l.to];
    succs.get(a)!.push(b);
    preds.get(b)!.push(a);
  }
  const indegree = new Map(ids.map((id) => [id, preds.get(id)!.length]));
  const queue = ids.filter((id) => indegree.get(id) === 0);
  const topo: string[] = [];
  const layer = new Map<string, number>();
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    topo.push(id);
    layer.set(id, Math.max(0, ...preds.get(id)!.map((p) => layer.get(p)! + 1)));
    for (const s of succs.get(id)!) {
      indegree.set(s, indegree.get(s)! - 1);
      if (indegree.get(s) === 0) queue.push(s);
    }
  }
  // A source feeding only later layers sits just before the first of them (shorter edges).
  for (const id of [...topo].reverse()) {
    if (preds.get(id)!.length > 0 || succs.get(id)!.length === 0) continue;
    layer.set(id, Math.min(...succs.get(id)!.map((s) => layer.get(s)!)) - 1);
  }
  const min = Math.min(...layer.values());
  for (const [id, l] of layer) layer.set(id, l - min);
  return { layer, reversed };
}

function layoutComponent(boxes: readonly LayoutBox[], links: readonly LayoutLink[], o: { layerGap: number; nodeGap: number; keepOrder?: ReadonlyMap<string, number> }): LayeredLayout {
  const ids = boxes.map((b) => b.id);
  const { layer, reversed } = assignLayers(ids, links);
  const slots: Slot[] = [];
  const slotOf = new Map<string, number>();
  for (const b of boxes) {
    slotOf.set(b.id, slots.length);
    slots.push({ id: b.id, width: b.width, height: b.height, kind: 'box', layer: 2 * layer.get(b.id)!, up: [], down: [], key: 0, y: 0 });
  }
  // Each link becomes a chain of slots through the gaps it crosses; the first gap holds its label.
  const chains = new Map<string, number[]>();
  for (const l of links) {
    const rev = reversed.has(l.id);
    const [a, b] = rev ? [l.to, l.from] : [l.from, l.to];
    const from = slotOf.get(a)!, to = slotOf.get(b)!;
    const chain: number[] = [];
    let prev = from;
    for (let lay = slots[from].layer + 1; lay < slots[to].layer; lay++) {
      const isLabel = chain.length === 0 && !!l.label;
      // Labels of reversed links sit in the gap nearest their real source.
      const slot: Slot = { id: `${l.id}@${lay}`, width: isLabel ? l.label!.width : 0, height: isLabel ? l.label!.height : DUMMY_HEIGHT, kind: isLabel ? 'label' : 'dummy', layer: lay, up: [prev], down: [], key: 0, y: 0 };
      slots.push(slot);
      slots[prev].down.push(slots.length - 1);
      chain.push(slots.length - 1);
      prev = slots.length - 1;
    }
    slots[prev].down.push(to);
    slots[to].up.push(prev);
    chains.set(l.id, rev ? [...chain].reverse() : chain);
  }

  const layerCount = Math.max(...slots.map((s) => s.layer)) + 1;
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  slots.forEach((s, i) => layers[s.layer].push(i));

  const keep = o.keepOrder;
  const mean = (xs: number[], of: (i: number) => number): number | undefined => (xs.length ? xs.reduce((a, i) => a + of(i), 0) / xs.length : undefined);
  if (keep && boxes.every((b) => keep.has(b.id))) {
    // The earlier arrangement holds: boxes by their old keys, chains by their ends.
    for (const s of slots) if (s.kind === 'box') s.key = keep.get(s.id)!;
    for (let lay = 0; lay < layerCount; lay++) for (const i of layers[lay]) if (slots[i].kind !== 'box') slots[i].key = slots[slots[i].up[0]].key + 0.001 * (mean(slots[i].down, (j) => slots[j].key) ?? 0);
    for (const l of layers) l.sort((a, b) => slots[a].key - slots[b].key);
  } else {
    // Initial order: earlier keys (boxes a previous layout knew), then input order.
    for (const l of layers) {
      l.sort((a, b) => (keep?.get(slots[a].id) ?? 1e9 + a) - (keep?.get(slots[b].id) ?? 1e9 + b));
      l.forEach((i, pos) => (slots[i].key = pos));
    }
    for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
      const down = sweep % 2 === 0;
      for (let step = 1; step < layerCount; step++) {
        const lay = down ? step : layerCount - 1 - step;
        const l = layers[lay];
        for (const i of l) {
          const bc = mean(down ? slots[i].up : slots[i].down, (j) => slots[j].key);
          if (bc !== undefined) slots[i].key = bc;
        }
        l.sort((a, b) => slots[a].key - slots[b].key || a - b);
        l.forEach((i, pos) => (slots[i].key = pos));
      }
    }
  }

  // x: layers side by side; boxes left-aligned in their layer, labels centred in their gap.
  const layerWidth = layers.map((l) => Math.max(0, ...l.map((i) => slots[i].width)));
  const layerX: number[] = [];
  let x = 0;
  for (let lay = 0; lay < layerCount; lay++) {
    layerX[lay] = x;
    x += layerWidth[lay] + o.layerGap / 2;
  }
  const width = x - o.layerGap / 2;
  const slotX = (i: number) => (slots[i].kind === 'box' ? layerX[slots[i].layer] : layerX[slots[i].layer] + (layerWidth[slots[i].layer] - slots[i].width) / 2);

  // y: stacked first, then each slot pulled towards its neighbours within the gaps.
  const gapOf = (i: number) => (slots[i].kind === 'dummy' ? 6 : o.nodeGap);
  for (const l of layers) {
    let y = 0;
    for (const i of l) {
      slots[i].y = y;
      y += slots[i].height + gapOf(i);
    }
  }
  const centre = (i: number) => slots[i].y + slots[i].height / 2;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    const order = sweep % 2 === 0 ? layers : [...layers].reverse();
    for (const l of order) {
      const desired = l.map((i) => {
        const c = mean([...slots[i].up, ...slots[i].down], centre);
        return (c ?? centre(i)) - slots[i].height / 2;
      });
      const placed = isotonicPlacement(desired, l.map((i) => slots[i].height), l.map((i) => gapOf(i)));
      l.forEach((i, k) => (slots[i].y = placed[k]));
    }
  }
  const minY = Math.min(...slots.map((s) => s.y));
  for (const s of slots) s.y -= minY;
  const height = Math.max(...slots.map((s) => s.y + s.height));

  const out: LayeredLayout = { boxes: new Map(), labels: new Map(), routes: new Map(), width, height, order: new Map() };
  for (const s of slots) if (s.kind === 'box') out.boxes.set(s.id, { x: slotX(slotOf.get(s.id)!), y: s.y, width: s.width, height: s.height });
  for (const l of links) {
    const chain = chains.get(l.id)!;
    const pts: { x: number; y: number }[] = [];
    for (const i of chain) {
      const s = slots[i];
      const sx = slotX(i);
      if (s.kind === 'label') {
        out.labels.set(l.id, { x: sx, y: s.y, width: s.width, height: s.height });
        pts.push({ x: sx, y: s.y + s.height / 2 }, { x: sx + s.width, y: s.y + s.height / 2 });
      } else {
        pts.push({ x: layerX[s.layer], y: s.y + s.height / 2 }, { x: layerX[s.layer] + layerWidth[s.layer], y: s.y + s.height / 2 });
      }
    }
    // A reversed link runs right to left: its points are listed from its own source.
    out.routes.set(l.id, reversed.has(l.id) ? pts.reverse() : pts);
  }
  // Order keys: layer-major, so a box keeps its place among the boxes of its layer.
  let k = 0;
  for (const l of layers) for (const i of l) if (slots[i].kind === 'box') out.order.set(slots[i].id, k++);
  return out;
}

/**
 * Tops for an ordered stack: as close as possible (least squares) to `desired` while each item
 * stays at least its height plus gap above the next. Pool Adjacent Violators on the offsets.
 */
export function isotonicPlacement(desired: number[], heights: number[], gaps: number[]): number[] {
  const offset: number[] = [];
  let acc = 0;
  for (let i = 0; i < desired.length; i++) {
    offset.push(acc);
    acc += heights[i] + gaps[i];
  }
  // With z_i = y_i - offset_i the constraint is z non-decreasing: fit it by pooling.
  const blocks: { sum: number; count: number }[] = [];
  for (let i = 0; i < desired.length; i++) {
    blocks.push({ sum: desired[i] - offset[i], count: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 2].sum / blocks[blocks.length - 2].count > blocks[blocks.length - 1].sum / blocks[blocks.length - 1].count) {
      const last = blocks.pop()!;
      blocks[blocks.length - 1].sum += last.sum;
      blocks[blocks.length - 1].count += last.count;
    }
  }
  const out: number[] = [];
  for (const b of blocks) for (let j = 0; j < b.count; j++) out.push(b.sum / b.count + offset[out.length]);
  return out;
}
