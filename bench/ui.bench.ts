import type { Page } from 'playwright-core';
import { startStudio, waitForLineage, type Studio } from '../e2e/harness.js';
import { buildDemo } from '../scripts/build-demo.js';
import { useTempHome } from '../scripts/testing/temp.js';

/**
 * UI benchmarks in Debian's Chromium against the built studio and `driftline serve` (issue #13):
 * navigation → first painted lineage graph, and opening a group → its painted layout, on the demo
 * workspace and on a 10,000-node / ~20,000-edge one. Targets: ≤ 1.5 s (demo) and ≤ 3 s (10k) to the
 * painted graph, ≤ 1 s to expand. Each line states how many nodes were actually drawn, and the
 * anchor measured in the same page: navigation → the Sources view painted (the studio's fixed
 * start-up without any graph), so a ratio shows what the graph itself costs.
 * Prints figures; asserts nothing about time (DESIGN.md: tests never assert on time).
 */

const paint = (page: Page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
const drawn = (page: Page) => page.locator('.svelte-flow__node').count();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function openMs(studio: Studio, view: 'sources' | 'lineage'): Promise<{ ms: number; page: Page }> {
  const context = await studio.browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  const started = performance.now();
  await page.goto(`${studio.server.url}#token=${studio.server.token}&view=${view}`);
  if (view === 'lineage') await waitForLineage(page, 120_000);
  else await page.waitForSelector('[data-testid="source-card"], main[data-view="sources"] h1', { timeout: 60_000 });
  await paint(page);
  return { ms: performance.now() - started, page };
}

async function benchWorkspace(name: string, studio: Studio, target: number): Promise<void> {
  const counts = studio.store.graph.counts();
  const anchors: number[] = [];
  const firsts: number[] = [];
  let page: Page | undefined;
  for (let i = 0; i < 3; i++) {
    const a = await openMs(studio, 'sources');
    anchors.push(a.ms);
    await a.page.context().close();
    const l = await openMs(studio, 'lineage');
    firsts.push(l.ms);
    if (i < 2) await l.page.context().close();
    else page = l.page;
  }
  const shown = await drawn(page!);
  const first = median(firsts), anchor = median(anchors);
  console.log(`  ${name} (${counts.nodes.toLocaleString('en')} nodes / ${counts.edges.toLocaleString('en')} edges): navigation → painted graph of ${shown} drawn canvas nodes (boxes and edge labels): median ${Math.round(first)} ms (min ${Math.round(Math.min(...firsts))}, max ${Math.round(Math.max(...firsts))}; target ≤ ${target} ms); anchor navigation → Sources painted ${Math.round(anchor)} ms; ratio ${(first / anchor).toFixed(2)}×`);

  // Open the group or cluster with the most personal data → painted layout.
  // No named helpers inside evaluate: tsx would wrap them in a __name() the page does not have.
  const id = await page!.locator('.svelte-flow__node:has([data-node-type="group"]), .svelte-flow__node:has([data-node-type="cluster"])').evaluateAll((els) => els
    .map((e) => ({ id: e.getAttribute('data-id') ?? '', pii: Number(/(\d+)\s*$/.exec(e.querySelector('.pii-count')?.textContent ?? '')?.[1] ?? 0) }))
    .sort((a, b) => b.pii - a.pii)[0]?.id ?? '');
  const before = shown;
  const clicked = performance.now();
  await page!.locator(`.svelte-flow__node[data-id="${id}"] button[aria-expanded="false"]`).click();
  await page!.waitForSelector(`.svelte-flow__node[data-id="${id}"] [data-node-type="frame"]`, { timeout: 60_000 });
  await paint(page!);
  const expand = performance.now() - clicked;
  const layoutMs = Number(await page!.locator('[data-testid="lineage-stage"]').getAttribute('data-layout-ms').catch(() => null));
  console.log(`  ${name}: open ${id} → painted layout (${before} → ${await drawn(page!)} drawn canvas nodes): ${Math.round(expand)} ms (target ≤ 1000 ms)${Number.isFinite(layoutMs) && layoutMs > 0 ? `, of it layout ${Math.round(layoutMs)} ms` : ''}`);
  await studio.screenshot(page!, `bench-${name}-expanded`);
  await page!.context().close();
}

export async function run(): Promise<void> {
  // The demo built from its captures into a temp dir (the one under resources/ may be stale).
  const tmp = useTempHome('driftline-bench-ui-');
  await buildDemo(tmp.path('demo.driftline'), { quiet: true });
  const demo = await startStudio({ workspacePath: tmp.path('demo.driftline') });
  try {
    await benchWorkspace('demo', demo, 1500);
  } finally {
    await demo.close();
    tmp.cleanup();
  }
  const buildStarted = performance.now();
  const large = await startStudio({ extraNodes: 10_000 });
  console.log(`  10k workspace built in ${Math.round(performance.now() - buildStarted)} ms`);
  try {
    await benchWorkspace('10k', large, 3000);
  } finally {
    await large.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
