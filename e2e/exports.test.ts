import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type Studio } from './harness.js';

let studio: Studio;
beforeAll(async () => { studio = await startStudio(); }, 120_000);
afterAll(async () => { await studio?.close(); });

/** The studio's exports go through the same report and bundle code as the CLI (one path). */
describe('exports from the studio (e2e, chromium)', () => {
  it('exports the PDF report in Chinese and downloads it', async () => {
    const page = await studio.open({ locale: 'zh-CN' });
    await page.getByTestId('export-report').click();
    const link = page.getByTestId('export-report-download');
    await link.waitFor({ timeout: 60_000 });
    await expect(page.getByTestId('export-report-result').textContent()).resolves.toMatch(/report-zh-CN\.pdf 已生成/);
    const href = await link.getAttribute('href');
    const res = await fetch(href!);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    await studio.screenshot(page, 'export-report');
    await page.context().close();
  });

  it('exports a sealed bundle from the Snapshots view', async () => {
    const page = await studio.open({ view: 'snapshots' });
    await page.getByTestId('export-bundle').click();
    await page.getByTestId('export-bundle-download').waitFor({ timeout: 60_000 });
    const href = await page.getByTestId('export-bundle-download').getAttribute('href');
    const body = Buffer.from(await (await fetch(href!)).arrayBuffer());
    expect(body.subarray(0, 17).toString()).toBe('DRIFTLINE-BUNDLE\n');
    await page.context().close();
  });
});
