import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startStudio, waitForLineage, type Studio } from './harness.js';
import { FIXTURE_URNS } from './fixtures/make-fixture-workspace.js';

/** Every view of the studio, driven in Chromium against `driftline serve` over the fixture workspace. */
describe('studio views (e2e, chromium)', () => {
  let studio: Studio;
  beforeAll(async () => {
    studio = await startStudio();
  });
  afterAll(async () => {
    await studio?.close();
  });

  const rowCount = (page: Page) => page.locator('[data-testid="findings-table"] tbody tr').count();

  it('Findings: sorts, filters, shows masked examples, and opens a finding in Lineage', async () => {
    const page = await studio.open({ view: 'findings' });
    await page.waitForSelector('[data-testid="findings-table"]');
    expect(await rowCount(page)).toBe(12);
    // Default order: most severe first.
    expect(await page.locator('tbody tr').first().locator('[data-severity]').getAttribute('data-severity')).toBe('critical');
    await page.locator('[data-testid="findings-type"]').selectOption('pii');
    expect(await rowCount(page)).toBe(4);
    const text = await page.locator('[data-testid="findings-table"]').innerText();
    expect(text).toContain('138****5678');
    expect(text).toMatch(/998\/1,000 sampled/);
    // Sort by confidence, ascending on the second click.
    await page.getByRole('button', { name: 'Sort by Confidence' }).click();
    await page.getByRole('button', { name: 'Sort by Confidence' }).click();
    expect(await page.locator('tbody tr').first().innerText()).toContain('81%');
    await studio.screenshot(page, 'findings');

    await page.locator('[data-testid="findings-text"]').fill('id_card');
    expect(await rowCount(page)).toBe(1);
    await page.locator('tbody tr').first().click();
    await page.waitForSelector('main[data-view="lineage"]');
    await page.waitForSelector('[data-testid="details-panel"]');
    // The column is a row of its table's card, badged with its entity's name (the code in the tooltip).
    await page.waitForSelector('[data-row="mysql://shop-db/shop/users#id_card"]');
    expect(await page.locator('[data-testid="details-panel"]').innerText()).toContain('Chinese resident ID number');
    await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"]');
    await studio.screenshot(page, 'findings-open-in-lineage');
    await page.context().close();
  });

  it('Drift: groups by object, highlights desired vs live, marks ignored, lists exposure, compares snapshots', async () => {
    const page = await studio.open({ view: 'drift' });
    await page.waitForSelector('[data-testid="drift-object"]');
    expect(await page.locator('[data-testid="drift-object"]').count()).toBe(2);
    const checkout = page.locator('[data-testid="drift-object"]', { hasText: FIXTURE_URNS.checkout });
    expect(await checkout.locator('.finding').count()).toBe(3);
    expect(await checkout.locator('[data-ignored="true"]').count()).toBe(1);
    expect(await checkout.locator('[data-ignored="true"]').innerText()).toContain('Ignored');
    // The changed image line is highlighted on both sides; unchanged lines are not.
    const image = checkout.locator('.finding', { hasText: '/spec/template/spec/containers/0' });
    expect(await image.locator('[data-side="desired"] .line.del').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('1.8.2')]));
    expect(await image.locator('[data-side="live"] .line.add').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('1.9.0-hotfix')]));
    expect(await image.locator('[data-side="live"] .line:not(.add)').allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('"name": "checkout"')]));
    expect(await page.locator('[data-testid="drift-object"]', { hasText: 'deny-egress' }).innerText()).toContain('Missing in the cluster');
    await studio.screenshot(page, 'drift');

    await page.locator('[data-tab="exposure"]').click();
    const subject = page.locator('[data-testid="exposure-subject"]');
    expect(await subject.count()).toBe(1);
    expect(await subject.innerText()).toContain('ServiceAccount shop/reporting');
    expect(await subject.locator('tr').count()).toBe(2);
    await studio.screenshot(page, 'drift-exposure');

    await page.locator('[data-tab="compare"]').click();
    await page.locator('[data-testid="compare-run"]').click();
    const result = page.locator('[data-testid="compare-result"]');
    await result.waitFor();
    const text = await result.innerText();
    expect(text).toContain(FIXTURE_URNS.checkout);
    expect(text).toContain('/spec/replicas');
    expect(text).toContain('ConfigMap/checkout-config');
    // Old → new for a replace, not only the new value.
    const replicas = result.locator('[data-testid="compare-fields"] li', { hasText: '/spec/replicas' });
    expect(await replicas.locator('[data-side="old"]').innerText()).toBe('3');
    expect(await replicas.locator('[data-side="new"]').innerText()).toBe('5');
    // Only snapshots of the chosen source are offered as the other side.
    const offered = await page.locator('[data-testid="compare-to"] option').allInnerTexts();
    expect(offered.filter((o) => o !== '—').every((o) => o.includes('prod-cn'))).toBe(true);
    await studio.screenshot(page, 'drift-compare');
    await page.context().close();
  });

  it('Timeline: orders changes by time, shows authors, patches and the anomaly explanation, filters by prefix', async () => {
    const page = await studio.open({ view: 'timeline' });
    await page.waitForSelector('[data-testid="timeline"]');
    const changes = page.locator('[data-testid="change"]');
    expect(await changes.count()).toBe(3);
    const times = await page.locator('[data-testid="change"] time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')!));
    expect([...times].sort().reverse()).toEqual(times);
    const anomaly = page.locator('[data-testid="anomaly"]');
    expect(await anomaly.count()).toBe(1);
    expect(await anomaly.innerText()).toContain('Saturday');
    // The same reasons in Chinese: they are kept as codes with their numbers.
    const zhPage = await studio.open({ view: 'timeline', locale: 'zh-CN' });
    await zhPage.waitForSelector('[data-testid="anomaly"]');
    expect(await zhPage.locator('[data-testid="anomaly"]').innerText()).toMatch(/于周六 03:10 变更；该对象通常在工作日 10–18 变更/);
    // Early warnings from the workspace's own history, with their reasons, in both languages.
    const warnings = page.locator('[data-testid="early-warnings"]');
    await warnings.waitFor();
    expect(await warnings.innerText()).toContain('Early warnings');
    expect(await page.locator('[data-testid="early-warning"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-testid="early-warning"]').first().innerText()).toMatch(/Change \d+%[\s\S]*(changed|created|no change|usually)/);
    await zhPage.locator('[data-testid="early-warning"]').first().waitFor();
    expect(await zhPage.locator('[data-testid="early-warnings"]').innerText()).toMatch(/早期预警[\s\S]*变更 \d+%/);
    await zhPage.context().close();
    expect(await page.locator('[data-testid="change"]', { has: anomaly }).innerText()).toContain('system:serviceaccount:ops:deployer');
    await studio.screenshot(page, 'timeline');

    await page.locator('[data-testid="timeline-scope"]').selectOption('prefix');
    await page.locator('[data-testid="timeline-query"]').fill('k8s://prod-cn/shop/ConfigMap/');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="change"]').length === 1);
    expect(await changes.first().innerText()).toContain('checkout-config');
    await page.context().close();
  });

  it('Snapshots: lists status, hash, stats and report; compares two ticked snapshots', async () => {
    const page = await studio.open({ view: 'snapshots' });
    await page.waitForSelector('[data-testid="snapshots-table"]');
    const rows = page.locator('[data-testid="snapshots-table"] tbody tr');
    expect(await rows.count()).toBe(5);
    const table = await page.locator('[data-testid="snapshots-table"]').innerText();
    expect(table).toContain('Complete');
    expect(table).toMatch(/Warnings 1\s+Failures 0\s+Gaps 0/);
    expect(table).toMatch(/Warnings 0\s+Failures 1\s+Gaps 0/);
    // A snapshot's report unfolds to the items themselves, not only their counts.
    const failing = rows.filter({ hasText: /Failures 1/ }).first();
    await failing.locator('[data-testid="snapshot-report-toggle"]').click();
    const report = page.locator('[data-testid="snapshot-report"]');
    await report.waitFor();
    expect(await report.innerText()).toMatch(/Failures[\s\S]+—/);
    await studio.screenshot(page, 'snapshots-report');
    await failing.locator('[data-testid="snapshot-report-toggle"]').click();
    const prodRows = page.locator('[data-testid="snapshots-table"] tbody tr').filter({ hasText: 'prod-cn' });
    await prodRows.nth(0).locator('[data-testid="snapshot-pick"]').check();
    await prodRows.nth(1).locator('[data-testid="snapshot-pick"]').check();
    await page.locator('[data-testid="compare-run"]').click();
    await page.locator('[data-testid="compare-result"]').waitFor();
    expect(await page.locator('[data-testid="compare-result"]').innerText()).toContain('Modified');
    await studio.screenshot(page, 'snapshots');
    await page.context().close();
  });

  it('never shows a raw PII value, anywhere', async () => {
    expect(studio.rawValues.length).toBeGreaterThan(5);
    const page = await studio.open();
    await waitForLineage(page);
    const seen: string[] = [];
    const collect = async () => seen.push(await page.content(), await page.locator('body').innerText());
    // Every group opened in turn, and the details of every PII column or field in it opened.
    const groups = await page.locator('.svelte-flow__node:has([data-node-type="group"])').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')!));
    expect(groups.length).toBeGreaterThan(2);
    let piiRows = 0;
    for (const id of groups) {
      await page.locator(`.svelte-flow__node[data-id="${id}"] [data-node-type="group"]`).click();
      await page.waitForSelector(`.svelte-flow__node[data-id="${id}"] [data-node-type="frame"]`);
      await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"]');
      const rows = await page.locator('[data-row].pii').evaluateAll((els) => els.map((e) => e.getAttribute('data-row')!));
      piiRows += rows.length;
      for (const urn of rows) {
        // Some rows sit outside the viewport once the panel is open; a DOM click still selects them.
        await page.locator(`[data-row="${urn}"]`).first().dispatchEvent('click');
        await page.waitForSelector('[data-testid="details-panel"] [data-testid="focus-lineage"]');
        await collect();
      }
      await collect();
      await page.locator(`.svelte-flow__node[data-id="${id}"] button[aria-expanded="true"]`).dispatchEvent('click');
      await page.waitForSelector(`.svelte-flow__node[data-id="${id}"] [data-node-type="group"]`);
    }
    expect(piiRows).toBeGreaterThan(5);
    for (const view of ['sources', 'findings', 'drift', 'timeline', 'snapshots']) {
      await page.locator(`nav [data-view="${view}"]`).click();
      await page.waitForSelector(`main[data-view="${view}"] h1`);
      await page.waitForLoadState('networkidle');
      await collect();
    }
    const everything = seen.join('\n');
    expect(everything).toContain('****'); // masked values are there…
    for (const raw of studio.rawValues) expect(everything).not.toContain(raw); // …raw ones never.
    await page.context().close();
  });

  it('Sources: lists sources with their last scan report, tests a connection, adds a source and scans it with live progress', async () => {
    const page = await studio.open({ view: 'sources' });
    await page.waitForSelector('[data-testid="source-card"]');
    expect(await page.locator('[data-testid="source-card"]').count()).toBe(4);
    const lake = page.locator('[data-testid="source-card"][data-source="lake"]');
    expect(await lake.innerText()).toContain('eu-west-1');
    await lake.locator('summary').click();
    expect(await lake.innerText()).toContain('listing denied (403)');
    await studio.screenshot(page, 'sources');

    // Nothing listens on the fixture's MariaDB port: the test reports why, it does not hang.
    const db = page.locator('[data-testid="source-card"][data-source="shop-db"]');
    await db.getByRole('button', { name: 'Test connection' }).click();
    await db.locator('p.test').waitFor({ timeout: 30_000 });
    expect(await db.locator('p.test').innerText()).toMatch(/^Connection (works|failed): .+/);

    // A new Kubernetes source from a `kubectl get -o json` dump, through the form (sources:save).
    const dump = join(dirname(studio.store.workspace.path), 'prod-eu.json');
    writeFileSync(dump, JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'billing-config', namespace: 'billing' }, data: { MODE: 'live' } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'billing', namespace: 'billing' }, spec: { replicas: 2, selector: { matchLabels: { app: 'billing' } }, template: { metadata: { labels: { app: 'billing' } }, spec: { containers: [{ name: 'billing', image: 'registry.example.com/billing:2.0.0' }] } } } },
    ] }));
    await page.locator('[data-testid="add-source"]').click();
    const form = page.locator('[data-testid="source-form"]');
    await form.locator('input[name="name"]').fill('prod-eu');
    await form.locator('select[name="kind"]').selectOption('kubernetes');
    await form.locator('input[name="region"]').fill('eu-central-1');
    await form.locator('input[name="file"]').fill(dump);
    await studio.screenshot(page, 'sources-form');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="source-card"][data-source="prod-eu"]').waitFor();
    expect(await page.locator('[data-testid="source-card"]').count()).toBe(5);

    const card = page.locator('[data-testid="source-card"][data-source="prod-eu"]');
    expect(await card.innerText()).toContain('Not scanned yet');
    // Progress arrives over the WebSocket (the panel shows while the scan runs, too briefly on a
    // two-object dump to catch reliably, so the frames themselves are counted); the list refreshes
    // on scan:finished.
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => frames.push(String(f.payload))));
    await page.reload();
    await page.waitForSelector('[data-testid="source-card"][data-source="prod-eu"]');
    await card.locator('[data-testid="scan-now"]').click();
    await page.locator('[data-testid="scan-result"]').waitFor({ timeout: 60_000 });
    const events = frames.map((f) => JSON.parse(f) as { event: string; payload: { source?: string; phase?: string } });
    expect(events.some((e) => e.event === 'scan:progress' && e.payload.source === 'prod-eu')).toBe(true);
    expect(events.some((e) => e.event === 'scan:finished')).toBe(true);
    await page.waitForFunction(() => !document.querySelector('[data-source="prod-eu"]')?.textContent?.includes('Not scanned yet'));
    expect(await card.innerText()).toMatch(/Complete|Failed|Cancelled/);
    await studio.screenshot(page, 'sources-after-scan');
    await page.context().close();
  });
});
