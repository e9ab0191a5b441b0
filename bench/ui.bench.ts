import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { RENDERER_DIST, startStudio, waitForLineage } from '../e2e/harness.js';

/**
 * UI benchmarks in Debian's Chromium against the built studio and `driftline serve`:
 * 1. elkjs layout time in the layout worker for lineage-shaped graphs of 500 and 2,000 nodes;
 * 2. on a 10,000-node / ~20,000-edge workspace: page open → first painted aggregated graph, and
 *    group expansion → its painted layout.
 * Prints figures; asserts nothing about time (DESIGN.md: tests never assert on time).
 */

interface LayoutFigure { nodes: number; edges: number; ms: number }

/** Runs the built worker (the studio's own file) from inside the page, as the studio does. */
async function layoutInPage(page: Page, workerFile: string, nodeCount: number): Promise<LayoutFigure> {
  return page.evaluate(async ({ workerFile, nodeCount }) => {
    // Lineage-shaped: 5 layers (table → topic → bucket…), each node feeding 1–2 nodes of the next layer.
    const layers = 5;
    const perLayer = Math.ceil(nodeCount / layers);
    const nodes = Array.from({ length: nodeCount }, (_, i) => ({ id: `n${i}`, label: `dataset_${i}.field_${i % 37}`, width: 180, height: 46 }));
    const edges: { id: string; from: string; to: string }[] = [];
    for (let i = 0; i < nodeCount; i++) {
      const layer = Math.floor(i / perLayer);
      if (layer === layers - 1) continue;
      const next = (layer + 1) * perLayer;
      for (const k of [0, 7]) {
        const j = next + ((i * 3 + k) % perLayer);
        if (j < nodeCount) edges.push({ id: `e${i}-${j}`, from: `n${i}`, to: `n${j}` });
      }
    }
    const worker = new Worker(`./assets/${workerFile}`, { type: 'module' });
    const started = performance.now();
    const ms = await new Promise<number>((resolve, reject) => {
      worker.onmessage = (e: MessageEvent<{ ok: boolean; message?: string }>) => (e.data.ok ? resolve(performance.now() - started) : reject(new Error(e.data.message)));
      worker.onerror = (e) => reject(new Error(e.message));
      worker.postMessage({ id: 1, nodes, edges });
    });
    worker.terminate();
    return { nodes: nodes.length, edges: edges.length, ms };
  }, { workerFile, nodeCount });
}

export async function run(): Promise<void> {
  const workerFile = readdirSync(join(RENDERER_DIST, 'assets')).find((f) => /^layout\.worker-.*\.js$/.test(f));
  if (!workerFile) throw new Error('renderer/dist has no layout worker: run "npm run build:renderer" first');

  const buildStarted = performance.now();
  const studio = await startStudio({ extraNodes: 10_000 });
  const counts = studio.store.graph.counts();
  console.log(`ui bench: workspace of ${counts.nodes.toLocaleString('en')} nodes / ${counts.edges.toLocaleString('en')} edges built in ${Math.round(performance.now() - buildStarted)} ms`);
  try {
    // 1. Worker layout times. A warm-up first: the first ELK call in a worker pays its start-up.
    const page = await studio.open({ view: 'sources' });
    const warm = await layoutInPage(page, workerFile, 50);
    console.log(`  worker layout (warm-up, first ELK call) ${warm.nodes} nodes: ${Math.round(warm.ms)} ms`);
    for (const n of [500, 2000]) {
      const f = await layoutInPage(page, workerFile, n);
      console.log(`  worker layout ${f.nodes.toLocaleString('en')} nodes / ${f.edges.toLocaleString('en')} edges: ${Math.round(f.ms).toLocaleString('en')} ms (${Math.round(f.nodes / (f.ms / 1000))} nodes/s)`);
    }
    await page.context().close();

    // 2. Open → first painted aggregated graph.
    const context = await studio.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const lineage = await context.newPage();
    const opened = performance.now();
    await lineage.goto(`${studio.server.url}#token=${studio.server.token}&view=lineage`);
    const groups = await waitForLineage(lineage, 120_000);
    await lineage.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const firstPaint = performance.now() - opened;
    await studio.screenshot(lineage, 'bench-10k-overview');
    console.log(`  open → first painted aggregated graph (${groups} groups of ${counts.nodes.toLocaleString('en')} nodes): ${Math.round(firstPaint).toLocaleString('en')} ms`);

    // 3. Expand one generated group (250 nodes) → painted layout.
    const before = await lineage.locator('.svelte-flow__node').count();
    const clicked = performance.now();
    await lineage.locator('.svelte-flow__node[data-id^="group:mysql://gen-db-0"]').dispatchEvent('click');
    await lineage.waitForFunction((n) => document.querySelectorAll('.svelte-flow__node').length > n && document.querySelector('[data-testid="lineage-stage"]')?.getAttribute('data-layout-state') === 'ready', before, { timeout: 120_000 });
    await lineage.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const expanded = performance.now() - clicked;
    const after = await lineage.locator('.svelte-flow__node').count();
    await studio.screenshot(lineage, 'bench-10k-expanded');
    const elk = await lineage.locator('.statusbar .faint').innerText().catch(() => '');
    console.log(`  expand a group → painted layout (${before} → ${after} drawn nodes): ${Math.round(expanded).toLocaleString('en')} ms (${elk} of it in the worker)`);
    await context.close();
  } finally {
    await studio.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
