import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineSource } from '../shared/node/sources/source.js';
import { registerSource } from '../shared/node/sources/registry.js';
import { startStudio, type Studio } from './harness.js';

/**
 * A source kind that captures slowly, so the studio's progress and Cancel can be watched for real.
 * (The real sources are tested against real servers; this one exists to make a scan take time.)
 */
registerSource(defineSource({
  kind: 'slow-test',
  configSchema: z.object({ name: z.string(), kind: z.literal('slow-test'), region: z.string(), items: z.number().int().max(100_000) }),
  testConnection: async () => ({ ok: true, message: 'reachable' }),
  async *capture(config, ctx) {
    for (let i = 0; i < config.items && !ctx.signal.aborted; i++) {
      await new Promise((r) => setTimeout(r, 20));
      ctx.progress({ done: i + 1, total: config.items, item: `table t${i}` });
      yield { type: 'node', node: { urn: `mysql://${ctx.sourceName}/db/t${i}`, kind: 'table', name: `t${i}`, source: ctx.sourceName } };
    }
  },
}));

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({ empty: true });
  studio.store.upsertSource({ name: 'slow-db', kind: 'slow-test', region: 'cn-north-1', config: { name: 'slow-db', kind: 'slow-test', region: 'cn-north-1', items: 3000 }, baseDir: process.cwd() });
}, 120_000);
afterAll(async () => { await studio?.close(); });

describe('a long scan in the studio (e2e, chromium)', () => {
  it('shows live progress with rate and ETA, and cancels, keeping what was captured', async () => {
    const page = await studio.open({ view: 'sources' });
    await page.locator('[data-source="slow-db"] [data-testid="scan-now"]').click();
    const progress = page.getByTestId('scan-progress');
    await progress.waitFor();
    // Progress keeps moving: wait for a two-digit count, not the first event.
    await expect.poll(async () => (await progress.innerText()), { timeout: 20_000 }).toMatch(/\b\d{2,} of 3,000/);
    expect(await progress.innerText()).toMatch(/ETA|remaining|left/i);
    await studio.screenshot(page, 'scan-progress');
    await page.getByTestId('scan-cancel').click();
    await page.getByTestId('scan-result').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('scan-result').innerText()).toMatch(/cancelled/i);
    const snapshots = studio.store.snapshots.list('slow-db');
    expect(snapshots.at(-1)?.status).toBe('cancelled');
    const kept = studio.store.graph.nodesWhere({ source: 'slow-db' }).length;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(3000);
    await page.context().close();
  });
});
