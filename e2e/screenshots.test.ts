import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../scripts/build-demo.js';
import { useTempHome } from '../scripts/testing/temp.js';
import { startStudio, type Studio } from './harness.js';
import { settle } from './legibility.js';

/**
 * Every view of the studio on the demo workspace, at 1440×900 and 1024×768, in English and Chinese,
 * saved under test-output/screenshots/views-* to be looked at (issue #13). Each view must paint its
 * heading and show no English UI text in the Chinese studio where a translation exists.
 */
const VIEWS = ['sources', 'lineage', 'findings', 'drift', 'timeline', 'snapshots'] as const;
const SIZES = [{ width: 1440, height: 900 }, { width: 1024, height: 768 }] as const;

describe('every view, both languages, both sizes (e2e, chromium)', () => {
  let studio: Studio;
  // The demo is built from its captures into a temp dir: the one under resources/ may be stale.
  const tmp = useTempHome('driftline-e2e-views-');
  beforeAll(async () => {
    const path = tmp.path('demo.driftline');
    await buildDemo(path, { quiet: true });
    studio = await startStudio({ workspacePath: path });
  }, 240_000);
  afterAll(async () => {
    await studio?.close();
    tmp.cleanup();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    for (const size of SIZES) {
      it(`${locale} ${size.width}×${size.height}`, async () => {
        const page = await studio.open({ locale });
        await page.setViewportSize(size);
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        for (const view of VIEWS) {
          await page.locator(`nav [data-view="${view}"]`).click();
          await page.waitForSelector(`main[data-view="${view}"] h1`);
          if (view === 'lineage') await settle(page);
          else await page.waitForLoadState('networkidle');
          if (view === 'findings') {
            // No header is clipped: each header's text fits its cell.
            const clipped = await page.locator('[data-testid="findings-table"] th').evaluateAll((ths) => ths.filter((th) => th.scrollWidth > th.clientWidth + 1).map((th) => th.textContent?.trim()));
            expect(clipped).toEqual([]);
          }
          await studio.screenshot(page, `views-${locale}-${size.width}-${view}`);
        }
        // The flow view: a flow finding opens just its path, with the hop panel beside it.
        await page.locator('nav [data-view="findings"]').click();
        await page.locator('[data-testid="findings-type"]').selectOption('flow');
        await page.locator('[data-testid="findings-table"] tbody tr').first().click();
        await page.waitForSelector('[data-testid="flow-panel"]', { timeout: 30_000 });
        await settle(page);
        await studio.screenshot(page, `views-${locale}-${size.width}-flow`);
        const panel = await page.locator('[data-testid="flow-panel"]').innerText();
        if (locale === 'zh-CN') expect(panel).not.toMatch(/\b(Origin|Destination|Legal basis|Evidence)\b/);
        expect(errors).toEqual([]);
        await page.context().close();
      }, 180_000);
    }
  }
});
