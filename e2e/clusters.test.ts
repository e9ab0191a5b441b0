import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type Studio } from './harness.js';

let studio: Studio;
beforeAll(async () => {
  studio = await startStudio({ empty: true });
  // Findings as the rbac-compare analyzer writes them (its own tests cover how they are derived).
  studio.store.findings.add({
    type: 'drift', rule: 'drift.rbac-mismatch', urn: 'k8s://prod-cn/shop/ServiceAccount/reporting', severity: 'high', confidence: 1,
    evidence: 'ServiceAccount shop/reporting: only in prod-cn: get/list secrets in namespace shop. Only in prod-eu: nothing.',
    path: '', desired: ['get/list secrets in namespace shop'], live: [],
  }, 'rbac-compare');
  studio.store.findings.add({
    type: 'drift', rule: 'drift.cluster-mismatch', urn: 'k8s://prod-cn/shop/Deployment/checkout', severity: 'high', confidence: 1,
    evidence: 'Deployment shop/checkout differs between prod-cn (snapshot 4) and prod-eu (snapshot 6) at /spec/template/spec/containers/0/image.',
    path: '/spec/template/spec/containers/0/image', desired: 'registry.example.cn/shop/checkout:1.8.2', live: 'registry.example.eu/shop/checkout:1.7.0',
  }, 'rbac-compare');
}, 120_000);
afterAll(async () => { await studio?.close(); });

describe('Drift ▸ Cluster vs cluster (e2e, chromium)', () => {
  it('lists RBAC differences first, then same-named objects, side by side', async () => {
    const page = await studio.open({ view: 'drift' });
    await page.locator('[data-tab="clusters"]').click();
    const cards = page.getByTestId('cluster-mismatch');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    expect(await cards.nth(0).innerText()).toMatch(/Effective RBAC rights differ[\s\S]+ServiceAccount shop\/reporting/);
    expect(await cards.nth(1).innerText()).toMatch(/Same-named object differs[\s\S]+checkout:1\.8\.2[\s\S]+checkout:1\.7\.0/);
    // Those findings are not repeated among git-vs-live drift.
    await page.locator('[data-tab="drift"]').click();
    expect(await page.getByTestId('drift-object').count()).toBe(0);
    await page.locator('[data-tab="clusters"]').click();
    await studio.screenshot(page, 'drift-clusters');
    await page.context().close();
  });
});
