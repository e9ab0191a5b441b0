import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, waitForLineage, type Studio } from './harness.js';

/**
 * The studio shell against the real server and Chromium: the page loads over `driftline serve`,
 * the token leaves the URL, the lineage graph is laid out (in the worker) and drawn, the keyboard
 * works, and Chinese replaces English everywhere.
 */
describe('studio shell (e2e, chromium)', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio();
  });
  afterAll(async () => {
    await studio?.close();
  });

  it('loads, hides the token, and draws the aggregated lineage graph', async () => {
    const page = await studio.open();
    expect(page.url()).not.toContain('token=');
    await expect(page.locator('[data-testid="workspace-name"]').textContent()).resolves.toBe('fixture.driftline');
    const header = await page.locator('header').innerText();
    expect(header).toMatch(/\d+ nodes/);
    const drawn = await waitForLineage(page);
    expect(drawn).toBeGreaterThan(0);
    // One box per group: the MariaDB database, the Kafka cluster, the S3 bucket, the K8s namespace, the app namespace.
    const groups = await page.locator('.svelte-flow__node:has([data-node-type="group"])').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    expect(groups).toEqual(expect.arrayContaining(['group:mysql://shop-db/shop', 'group:s3://lake/lake-eu']));
    // PII groups stand out.
    expect(await page.locator('.svelte-flow__node [data-node-type="group"].pii').count()).toBeGreaterThan(0);
    await studio.screenshot(page, 'lineage');
    await page.context().close();
  });

  it('expands a group, shows its nodes with PII and cross-region edges, and collapses again', async () => {
    const page = await studio.open();
    await waitForLineage(page);
    await page.locator('.svelte-flow__node[data-id="group:mysql://shop-db/shop"] [data-node-type="group"]').click();
    await page.waitForSelector('.svelte-flow__node[data-id="group:mysql://shop-db/shop"] [data-node-type="frame"]');
    await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"]');
    // Tables are cards with their columns as rows, PII columns badged.
    await page.waitForSelector('[data-row="mysql://shop-db/shop/users#email"]');
    expect(await page.locator('[data-row].pii').count()).toBeGreaterThan(3);
    await page.locator('.svelte-flow__node[data-id="group:s3://lake/lake-eu"] [data-node-type="group"]').click();
    await page.waitForSelector('.svelte-flow__node[data-id="s3://lake/lake-eu/raw/users"]');
    await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"]');
    await studio.screenshot(page, 'lineage-expanded');

    // Focus on a column's downstream lineage: the CDC field and the S3 field in eu-west-1, with a cross-region edge.
    await page.locator('[data-row="mysql://shop-db/shop/users#email"]').dispatchEvent('click');
    await page.waitForSelector('[data-testid="details-panel"] [data-testid="focus-lineage"]');
    expect(await page.locator('[data-testid="details-panel"]').innerText()).toContain('Email address');
    await page.locator('[data-testid="details-panel"] select').selectOption('downstream');
    await page.locator('[data-testid="focus-lineage"]').click();
    await page.waitForSelector('[data-testid="back-to-overview"]');
    await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"]');
    // The focus draws datasets as cards: the S3 object the email lands in, in eu-west-1.
    await page.waitForSelector('.svelte-flow__node[data-id="s3://lake/lake-eu/raw/users"]');
    expect(await page.locator('.svelte-flow__edge.cross-region').count()).toBeGreaterThan(0);
    await studio.screenshot(page, 'lineage-focus');

    // Esc closes the details panel.
    await page.locator('body').press('Escape');
    await page.waitForSelector('[data-testid="details-panel"]', { state: 'detached' });

    await page.locator('[data-testid="back-to-overview"]').click();
    await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"]');
    await page.context().close();
  });

  it('searches with "/" and jumps to the node', async () => {
    const page = await studio.open();
    await waitForLineage(page);
    await page.locator('body').press('/');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('graph-search');
    await page.keyboard.type('id_card');
    await page.waitForSelector('#graph-search-results [role="option"]');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="details-panel"]');
    await page.waitForFunction(() => !!document.querySelector('.svelte-flow__node.selected, .svelte-flow__node [class*="selected"]'));
    expect(await page.locator('[data-testid="details-panel"]').innerText()).toMatch(/id_card/);
    await studio.screenshot(page, 'lineage-search');
    await page.context().close();
  });

  it('reaches the nav with Tab and shows a visible focus ring', async () => {
    const page = await studio.open({ view: 'sources' });
    let found = false;
    for (let i = 0; i < 12 && !found; i++) {
      await page.keyboard.press('Tab');
      found = await page.evaluate(() => document.activeElement?.closest('nav') !== null && document.activeElement?.getAttribute('data-view') === 'sources');
    }
    expect(found).toBe(true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('main[data-view="lineage"]');
    await page.context().close();
  });

  it('switches to Simplified Chinese and back', async () => {
    const page = await studio.open({ view: 'findings' });
    await page.waitForSelector('[data-testid="findings-table"]');
    await page.locator('[data-testid="language-select"]').selectOption('zh-CN');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    const nav = await page.locator('nav').innerText();
    for (const label of ['数据源', '血缘', '发现', '漂移', '时间线', '快照']) expect(nav).toContain(label);
    const main = await page.locator('main').innerText();
    expect(main).toContain('严重程度');
    expect(main).toContain('置信度');
    expect(main).not.toContain('Severity');
    // A PII verdict's evidence is said in Chinese too (its parts are structured).
    expect(main).toMatch(/抽样的 [\d,]+ 个值中有 [\d,]+ 个符合手机号码的特征/);
    expect(main).toMatch(/Git 中为 .+，集群中为 /);
    await studio.screenshot(page, 'findings-zh-CN');
    await page.locator('[data-view="lineage"]').click();
    await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"] .svelte-flow__node');
    expect(await page.locator('main').innerText()).toContain('个节点');
    await studio.screenshot(page, 'lineage-zh-CN');
    await page.locator('[data-testid="language-select"]').selectOption('en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    expect(await page.locator('nav').innerText()).toContain('Lineage');
    await page.context().close();
  });

  it('toggles the dark theme', async () => {
    const page = await studio.open();
    await waitForLineage(page);
    await page.locator('[data-testid="theme-toggle"]').click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"] .svelte-flow__node');
    await studio.screenshot(page, 'lineage-dark');
    await page.context().close();
  });
});
