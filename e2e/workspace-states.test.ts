import { afterEach, describe, expect, it } from 'vitest';
import { startStudio, waitForLineage, type Studio } from './harness.js';

/** What the auditor sees when there is nothing yet, and when the workspace is sealed evidence. */
describe('workspace states (e2e, chromium)', () => {
  let studio: Studio | undefined;
  afterEach(async () => {
    await studio?.close();
    studio = undefined;
  });

  it('an empty workspace says what to do next in every view', async () => {
    studio = await startStudio({ empty: true });
    const page = await studio.open({ view: 'sources' });
    await page.waitForSelector('[data-state="empty"]');
    expect(await page.locator('main').innerText()).toContain('No sources yet');
    expect(await page.locator('main').innerText()).toContain('driftline scan sources.yaml');
    await studio.screenshot(page, 'empty-sources');
    const expectations: Record<string, string> = {
      lineage: 'The graph is empty',
      findings: 'No findings',
      drift: 'No drift',
      timeline: 'No changes',
      snapshots: 'No snapshots yet',
    };
    for (const [view, text] of Object.entries(expectations)) {
      await page.locator(`nav [data-view="${view}"]`).click();
      await page.waitForSelector('main [data-state="empty"]');
      expect(await page.locator('main').innerText()).toContain(text);
    }
    await studio.screenshot(page, 'empty-snapshots');
    await page.context().close();
  });

  it('a sealed bundle shows the read-only banner with signer and hashes, and disables changes', async () => {
    studio = await startStudio({ bundle: { signer: 'Li Auditor <li@audit.example>', fingerprint: 'SHA256:9f2c4be1d07a55c3e0b1f6a4d2c8e7f1', manifestHash: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78', verified: true } });
    const page = await studio.open({ view: 'sources' });
    const banner = page.locator('[data-testid="read-only-banner"]');
    await banner.waitFor();
    const text = await banner.innerText();
    expect(text).toContain('Sealed snapshot — read-only');
    expect(text).toContain('Li Auditor');
    expect(text).toContain('b5d4045c3f466fa9');
    expect(text).toContain('Intact, but the signer is not in your trust store');
    await page.waitForSelector('[data-testid="source-card"]');
    expect(await page.locator('[data-testid="add-source"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-testid="scan-now"]').first().isDisabled()).toBe(true);
    await page.locator('nav [data-view="lineage"]').click();
    expect(await waitForLineage(page)).toBeGreaterThan(0);
    await studio.screenshot(page, 'bundle-read-only');
    await page.context().close();
  });
});
