import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildDemo } from '../scripts/build-demo.js';
import { useTempHome } from '../scripts/testing/temp.js';
import { startStudio, type Studio } from './harness.js';
import { measureLegibility, settle, type Legibility } from './legibility.js';

/**
 * The lineage canvas stays readable at fit (issue #13): no label renders under 11 px and no label
 * overlaps another, on the demo workspace and on a 10,000-node / ~20,000-edge one, at 1440×900 and
 * 1024×768, in both languages, before and after opening a group. When that cannot hold the canvas
 * must show fewer, larger things — these tests fail if it shrinks text instead.
 */
const SIZES = [{ width: 1440, height: 900 }, { width: 1024, height: 768 }] as const;
const LOCALES = ['en', 'zh-CN'] as const;

function expectLegible(l: Legibility, where: string): void {
  expect(l.labels, `${where}: labels drawn`).toBeGreaterThan(2);
  expect(l.minFontPx, `${where}: smallest label "${l.smallest}" at zoom ${l.zoom.toFixed(3)}`).toBeGreaterThanOrEqual(11);
  expect(l.overlaps, `${where}: overlapping labels`).toEqual([]);
}

/** Opens the group (or cluster of groups) holding the most personal data: the one an auditor opens first. */
async function openBiggestPiiGroup(page: Page): Promise<string> {
  const id = await page.locator('.svelte-flow__node:has([data-node-type="group"]), .svelte-flow__node:has([data-node-type="cluster"])').evaluateAll((els) => {
    const pii = (e: Element) => Number(/(\d+)\s*$/.exec(e.querySelector('.pii-count')?.textContent ?? '')?.[1] ?? 0);
    return [...els].sort((a, b) => pii(b) - pii(a))[0]?.getAttribute('data-id') ?? '';
  });
  expect(id).not.toBe('');
  await page.locator(`.svelte-flow__node[data-id="${id}"] button[aria-expanded="false"]`).click();
  await page.waitForSelector(`.svelte-flow__node[data-id="${id}"] [data-node-type="frame"]`, { timeout: 60_000 });
  await settle(page);
  return id;
}

// The demo is built from its captures into a temp dir: the one under resources/ may be stale.
const tmp = useTempHome('driftline-e2e-legibility-');
afterAll(() => tmp.cleanup());

for (const subject of [{ name: 'demo' }, { name: '10k' }] as const) {
  describe(`lineage legibility at fit: ${subject.name} workspace (e2e, chromium)`, () => {
    let studio: Studio;
    beforeAll(async () => {
      if (subject.name === 'demo') {
        const path = tmp.path('demo.driftline');
        await buildDemo(path, { quiet: true });
        studio = await startStudio({ workspacePath: path });
      } else {
        studio = await startStudio({ extraNodes: 10_000 });
      }
    }, 240_000);
    afterAll(async () => {
      await studio?.close();
    });

    it('is a workspace of the announced size', () => {
      const { nodes, edges } = studio.store.graph.counts();
      if (subject.name === '10k') {
        expect(nodes).toBeGreaterThanOrEqual(10_000);
        expect(edges).toBeGreaterThanOrEqual(19_000);
      } else {
        expect(studio.usesDemo).toBe(true);
      }
    });

    for (const locale of LOCALES) {
      for (const size of SIZES) {
        it(`${locale} ${size.width}×${size.height}: overview and an opened group`, async () => {
          const page = await studio.open({ view: 'lineage', locale });
          await page.setViewportSize(size);
          await settle(page);
          expectLegible(await measureLegibility(page), 'overview');
          await studio.screenshot(page, `legibility-${subject.name}-${locale}-${size.width}-overview`);
          await openBiggestPiiGroup(page);
          expectLegible(await measureLegibility(page), 'opened group');
          await studio.screenshot(page, `legibility-${subject.name}-${locale}-${size.width}-opened`);
          await page.context().close();
        }, 180_000);
      }
    }
  });
}
