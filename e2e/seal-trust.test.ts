import { afterEach, describe, expect, it } from 'vitest';
import { trustSigner } from '../shared/node/store/bundle/index.js';
import { startStudio, type Studio } from './harness.js';

/** The studio banner says trusted / untrusted-but-intact / broken, from verify's verdict and the local trust store. */
const FINGERPRINT = '9f2c4be1d07a55c3e0b1f6a4d2c8e7f19f2c4be1d07a55c3e0b1f6a4d2c8e7f1';
const seal = (verified: boolean) => ({ signer: 'root', fingerprint: FINGERPRINT, manifestHash: 'b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78', verified });

let studio: Studio | undefined;
afterEach(async () => {
  await studio?.close();
  studio = undefined;
});

describe('the seal banner', () => {
  it.each([
    ['untrusted', true, false, 'Intact, but the signer is not in your trust store', 'root'],
    ['trusted', true, true, 'Trusted signer', 'Li Wei, audit team'],
    ['broken', false, true, 'Broken: the seal does not verify', 'root'],
  ])('shows %s (verified %s, key trusted %s)', async (trust, verified, trusted, verdict, signerShown) => {
    studio = await startStudio({ bundle: seal(verified) });
    if (trusted) trustSigner(FINGERPRINT, 'Li Wei, audit team');
    const page = await studio.open({ view: 'sources' });
    const banner = page.locator('[data-testid="read-only-banner"]');
    await banner.waitFor();
    expect(await banner.getAttribute('data-trust')).toBe(trust);
    const text = await banner.innerText();
    expect(text).toContain(verdict);
    expect(text).toContain(signerShown);
    await studio.screenshot(page, `seal-banner-${trust}`);
    const zh = await studio.open({ view: 'sources', locale: 'zh-CN' });
    await zh.locator('[data-testid="read-only-banner"]').waitFor();
    expect(await zh.locator('[data-testid="read-only-banner"]').innerText()).toContain({ untrusted: '内容完整，但签名者不在您的信任列表中', trusted: '受信任的签名者', broken: '已损坏：封印校验未通过' }[trust as 'trusted']);
    await page.context().close();
    await zh.context().close();
  });
});
