import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStudio, type Studio } from './harness.js';

// Issue #10 point 2: a drift between hidden config values reads "changed (value hidden)" in the
// studio, in English and Chinese, instead of the stored placeholder ({$hash, $preview}) as JSON.
const hidden = (hash: string) => ({ $hash: hash, $preview: '****', $why: ['credential-key'] });
let studio: Studio;

beforeAll(async () => {
  studio = await startStudio();
  studio.store.findings.add({
    type: 'drift', rule: 'drift.modified', urn: 'k8s://prod/shop/Deployment/api', severity: 'high', confidence: 1,
    evidence: 'desired and live differ', path: '/spec/template/spec/containers/0/env/0/value',
    desired: hidden('a'.repeat(64)), live: hidden('b'.repeat(64)),
  }, 'test');
}, 60_000);
afterAll(async () => studio?.close());

describe('hidden config values in the studio', () => {
  it.each([
    ['en', 'containers/0/env/0/value: changed (value hidden)'],
    ['zh-CN', 'containers/0/env/0/value：已更改（值已隐藏）'],
  ] as const)('the findings view says the value changed without showing it (%s)', async (locale, sentence) => {
    const page = await studio.open({ view: 'findings', locale });
    await page.waitForSelector('main[data-view="findings"] h1');
    await page.getByText(sentence).first().waitFor({ timeout: 15_000 });
    const text = await page.locator('main').innerText();
    expect(text).not.toContain('$hash');
    expect(text).not.toContain('a'.repeat(12));
    await studio.screenshot(page, `findings-value-hidden-${locale}`);
    await page.context().close();
  });
});
