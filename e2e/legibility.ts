import type { Page } from 'playwright-core';

/** What a reader sees of the lineage canvas at one moment: the smallest text and any labels that collide. */
export interface Legibility {
  /** Labels measured (every `[data-label]` inside a drawn node or edge label). */
  labels: number;
  /** The smallest rendered font size, in CSS pixels on screen (font size × canvas zoom). */
  minFontPx: number;
  /** The label whose font is smallest, for the failure message. */
  smallest: string;
  /** Pairs of labels whose boxes overlap on screen by more than half a pixel each way. */
  overlaps: string[];
  zoom: number;
}

/** Waits for a finished layout and the viewport it fits to (the fit is applied after the layout). */
export async function settle(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"] .svelte-flow__node', { timeout: 120_000 });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForTimeout(400); // a centring animation runs 200 ms
}

/**
 * Measures, in the page, every text label of the canvas: its font size as rendered (the CSS font
 * size times the viewport's scale) and its box on screen, then every pair of labels that overlap.
 * A label and the label it sits inside (a badge inside a row) are not a collision.
 */
export function measureLegibility(page: Page): Promise<Legibility> {
  return page.evaluate(() => {
    const viewport = document.querySelector<HTMLElement>('.svelte-flow__viewport');
    const zoom = viewport ? new DOMMatrixReadOnly(getComputedStyle(viewport).transform).a : 1;
    const els = [...document.querySelectorAll<HTMLElement>('.svelte-flow__node [data-label]')].filter((el) => el.textContent?.trim());
    let minFontPx = Infinity;
    let smallest = '';
    const boxes: { el: HTMLElement; r: DOMRect; text: string }[] = [];
    for (const el of els) {
      const px = parseFloat(getComputedStyle(el).fontSize) * zoom;
      const text = el.textContent!.trim();
      if (px < minFontPx) { minFontPx = px; smallest = text; }
      // The text's own box (a label's element may be wider than its text, e.g. a flex row).
      const range = document.createRange();
      range.selectNodeContents(el);
      const r = range.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) boxes.push({ el, r, text });
    }
    const overlaps: string[] = [];
    for (let i = 0; i < boxes.length && overlaps.length < 20; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i], b = boxes[j];
        if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
        const dx = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const dy = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (dx > 0.5 && dy > 0.5) overlaps.push(`"${a.text}" × "${b.text}"`);
      }
    }
    return { labels: els.length, minFontPx, smallest, overlaps, zoom };
  });
}
