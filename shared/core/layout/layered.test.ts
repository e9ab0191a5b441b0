import { describe, expect, it } from 'vitest';
import { isotonicPlacement, layeredLayout, type LayoutBox, type LayoutLink, type Rect } from './layered.js';

const overlaps = (a: Rect, b: Rect) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

function assertNoOverlap(rects: Rect[]): void {
  for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) expect(overlaps(rects[i], rects[j]), `${JSON.stringify(rects[i])} vs ${JSON.stringify(rects[j])}`).toBe(false);
}

/** A lineage-shaped graph: a table feeding a topic feeding two buckets, one of them also fed directly. */
const boxes: LayoutBox[] = [
  { id: 'table', width: 180, height: 120 },
  { id: 'topic', width: 200, height: 160 },
  { id: 'bucket-cn', width: 170, height: 90 },
  { id: 'bucket-eu', width: 170, height: 90 },
  { id: 'lonely-a', width: 150, height: 56 },
  { id: 'lonely-b', width: 150, height: 56 },
];
const label = { width: 90, height: 24 };
const links: LayoutLink[] = [
  { id: 'cdc', from: 'table', to: 'topic', label },
  { id: 'sink-cn', from: 'topic', to: 'bucket-cn', label },
  { id: 'sink-eu', from: 'topic', to: 'bucket-eu', label },
  { id: 'same', from: 'table', to: 'bucket-eu', label },
];

describe('layeredLayout', () => {
  it('puts boxes in layers left to right along the links, with labels in the gaps, nothing overlapping', () => {
    const l = layeredLayout(boxes, links);
    const x = (id: string) => l.boxes.get(id)!.x;
    expect(x('table')).toBeLessThan(x('topic'));
    expect(x('topic')).toBeLessThan(x('bucket-cn'));
    expect(x('bucket-cn')).toBe(x('bucket-eu'));
    // The label of cdc lies between the table's right side and the topic's left side.
    const cdc = l.labels.get('cdc')!;
    expect(cdc.x).toBeGreaterThanOrEqual(x('table') + 180);
    expect(cdc.x + cdc.width).toBeLessThanOrEqual(x('topic'));
    assertNoOverlap([...l.boxes.values(), ...l.labels.values()]);
    // The long link passes the topic's layer beside the topic, not through it.
    const route = l.routes.get('same')!;
    expect(route.length).toBeGreaterThan(2);
    expect(l.width).toBeGreaterThan(0);
    expect(l.height).toBeGreaterThan(0);
  });

  it('keeps the order of an earlier layout when a box grows (expand in place)', () => {
    const first = layeredLayout(boxes, links);
    const grown = boxes.map((b) => (b.id === 'topic' ? { ...b, width: 420, height: 600 } : b));
    const second = layeredLayout(grown, links, { keepOrder: first.order });
    const orderIn = (l: typeof first, ids: string[]) => [...ids].sort((a, b) => l.boxes.get(a)!.y - l.boxes.get(b)!.y);
    expect(orderIn(second, ['bucket-cn', 'bucket-eu'])).toEqual(orderIn(first, ['bucket-cn', 'bucket-eu']));
    // Left of the grown box nothing moves sideways; right of it everything shifts by the growth.
    expect(second.boxes.get('table')!.x).toBe(first.boxes.get('table')!.x);
    expect(second.boxes.get('bucket-cn')!.x - first.boxes.get('bucket-cn')!.x).toBe(220);
    assertNoOverlap([...second.boxes.values(), ...second.labels.values()]);
  });

  it('lays out cycles (reversed for layering) and isolated boxes in a grid below', () => {
    const l = layeredLayout(
      [{ id: 'a', width: 100, height: 40 }, { id: 'b', width: 100, height: 40 }, { id: 'c', width: 100, height: 40 }, { id: 'd', width: 100, height: 40 }],
      [{ id: 'ab', from: 'a', to: 'b' }, { id: 'ba', from: 'b', to: 'a' }, { id: 'self', from: 'c', to: 'c' }, { id: 'dangling', from: 'a', to: 'nowhere' }],
    );
    assertNoOverlap([...l.boxes.values()]);
    expect(l.boxes.size).toBe(4);
    expect(l.boxes.get('c')!.y).toBeGreaterThan(l.boxes.get('a')!.y + 40);
    expect(l.routes.has('dangling')).toBe(false);
  });

  it('handles 1,500 boxes without overlap', () => {
    const many: LayoutBox[] = Array.from({ length: 1500 }, (_, i) => ({ id: `n${i}`, width: 120 + (i % 5) * 10, height: 40 + (i % 3) * 20 }));
    const manyLinks: LayoutLink[] = [];
    for (let i = 0; i < 1500 - 30; i++) manyLinks.push({ id: `e${i}`, from: `n${i}`, to: `n${i + 10 + (i % 20)}`, label: i % 4 === 0 ? label : undefined });
    const l = layeredLayout(many, manyLinks);
    const rects = [...l.boxes.values()].sort((a, b) => a.x - b.x || a.y - b.y);
    // Sweep by x band: boxes of one layer share x; check each layer's stack.
    const byX = new Map<number, Rect[]>();
    for (const r of rects) {
      const stack = byX.get(r.x);
      if (stack) stack.push(r);
      else byX.set(r.x, [r]);
    }
    for (const stack of byX.values()) for (let i = 1; i < stack.length; i++) expect(stack[i].y).toBeGreaterThanOrEqual(stack[i - 1].y + stack[i - 1].height);
  });
});

describe('isotonicPlacement', () => {
  it.each([
    { desired: [0, 0, 0], heights: [10, 10, 10], gaps: [5, 5, 5], expected: [-15, 0, 15], why: 'three at one spot spread around it' },
    { desired: [0, 100], heights: [10, 10], gaps: [5, 5], expected: [0, 100], why: 'already apart: unchanged' },
    { desired: [50, 0], heights: [10, 10], gaps: [0, 0], expected: [20, 30], why: 'crossing wishes meet in the middle' },
  ])('$why', ({ desired, heights, gaps, expected }) => {
    expect(isotonicPlacement(desired, heights, gaps)).toEqual(expected);
  });
});
