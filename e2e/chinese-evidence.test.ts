import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemo } from '../scripts/build-demo.js';
import { englishSentences } from '../scripts/testing/english-sentences.js';
import { useTempHome } from '../scripts/testing/temp.js';
import { Store } from '../shared/node/store/index.js';
import { exportReport } from '../shared/node/report/index.js';
import { SCREENSHOT_DIR, startStudio, type Studio } from './harness.js';

/**
 * The demo built from its captures (grants, Kafka ACLs, bucket policies, RBAC), read in Chinese:
 * the Access view answers who can read the phone column with the evidence chain hop by hop, and
 * neither the studio (Access, coverage, Drift, Findings) nor the PDF report leaves an English
 * sentence in zh-CN — stored evidence is said from its phrase, not printed as stored.
 */
const tmp = useTempHome('driftline-e2e-zh-');
let workspace: string;
let studio: Studio;

const PHONE = 'mysql://shop-db/shop/users#phone';

beforeAll(async () => {
  if (!existsSync('/usr/bin/pdftotext')) throw new Error('pdftotext is missing: apt-get install -y poppler-utils');
  workspace = tmp.path('demo.driftline');
  await buildDemo(workspace, { quiet: true });
  studio = await startStudio({ workspacePath: workspace });
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
}, 240_000);

afterAll(async () => {
  await studio?.close();
  tmp.cleanup();
});

const mainText = (page: Page) => page.evaluate(() => (document.querySelector('main') as HTMLElement).innerText);
const sentences = (text: string) => englishSentences(text).map((f) => `${f.run}  ⟵  ${f.line.slice(0, 200)}`);

/** Opens the Access view filtered to the phone column and expands the chain of `principal`. */
async function phoneChain(page: Page, principal: string): Promise<string[]> {
  await page.waitForSelector('[data-testid="access-matrix"]', { timeout: 30_000 });
  await page.fill('[data-testid="access-filter"]', 'users#phone');
  const row = page.locator('[data-testid="access-matrix"] tbody tr', { hasText: PHONE });
  await expect(row.count()).resolves.toBe(1);
  await row.locator('button.linkish', { hasText: principal }).click();
  return row.locator('ol.chain li').allInnerTexts();
}

describe('the demo in Chinese', () => {
  it('answers who can read users.phone with a chain: RBAC → Secret → database account → grant (zh-CN and en)', async () => {
    const zh = await studio.open({ view: 'access', locale: 'zh-CN' });
    const chain = await phoneChain(zh, 'Group:shop-ops');
    expect(chain).toHaveLength(3);
    expect(chain[0]).toMatch(/^Group:shop-ops 可以读取 Secret shop\/shop-db-credentials：/);
    expect(chain[1]).toMatch(/^Secret shop\/shop-db-credentials 中保存着 shop_app@% 的凭据/);
    expect(chain[2]).toMatch(/^shop_app@%：对 shop\.\* 的 SELECT 权限［grantsFile \.\/mysql\/shop-grants\.txt/);
    expect(sentences(chain.join('\n'))).toEqual([]);
    // The other readers the grants prove, each with its way in.
    const readers = await zh.locator('[data-testid="access-matrix"] tbody tr', { hasText: PHONE }).locator('button.linkish').allInnerTexts();
    for (const who of ['debezium@%', 'shop_app@%', 'support@10.8.%', 'ServiceAccount:shop/analytics-export', 'Deployment shop/checkout']) expect(readers.join('\n')).toContain(who);
    expect(readers.find((r) => r.includes('support@10.8.%'))).toContain('仅限从主机 10.8.% 访问');
    await zh.screenshot({ path: join(SCREENSHOT_DIR, 'access-phone-zh.png') });
    await zh.context().close();

    const en = await studio.open({ view: 'access', locale: 'en' });
    const chainEn = await phoneChain(en, 'Group:shop-ops');
    expect(chainEn[1]).toMatch(/^Secret shop\/shop-db-credentials holds the credential of shop_app@% \[key "DATABASE_USER"/);
    await en.context().close();
  }, 120_000);

  it('leaves no English sentence in the Access view, its coverage reasons, flow hops, Drift and Findings (zh-CN)', async () => {
    const page = await studio.open({ view: 'access', locale: 'zh-CN' });
    await page.waitForSelector('[data-testid="access-matrix"]', { timeout: 30_000 });
    // Every unknown transfer path with its reason, and every reader's chain.
    const more = page.locator('[data-testid="coverage-summary"] button', { hasText: /^\+\d+$/ });
    if (await more.count()) await more.click();
    const texts = [await mainText(page)];
    const buttons = page.locator('[data-testid="access-matrix"] button.linkish');
    const count = await buttons.count();
    expect(count).toBeGreaterThan(20);
    for (let i = 0; i < count && i < 400; i++) {
      await buttons.nth(i).click();
      texts.push((await page.locator('[data-testid="access-matrix"] ol.chain').allInnerTexts()).join('\n'));
    }
    expect(sentences(texts.join('\n'))).toEqual([]);
    await page.context().close();

    // A flow opened from Findings: every hop's rule evidence and the flow's recorded evidence, all expanded.
    const flows = await studio.open({ view: 'findings', locale: 'zh-CN' });
    await flows.locator('[data-testid="findings-type"]').selectOption('flow');
    const rows = flows.locator('[data-testid="findings-table"] tbody tr');
    const flowCount = await rows.count();
    expect(flowCount).toBeGreaterThan(1);
    for (let i = 0; i < flowCount && i < 20; i++) {
      await rows.nth(i).click();
      await flows.waitForSelector('[data-testid="flow-panel"]', { timeout: 30_000 });
      await flows.locator('[data-testid="flow-panel"] details').evaluateAll((all) => all.forEach((d) => ((d as HTMLDetailsElement).open = true)));
      const panel = await flows.locator('[data-testid="flow-panel"]').innerText();
      expect(panel).toMatch(/流经环节：/);
      expect(sentences(panel), `flow ${i + 1}`).toEqual([]);
      await flows.locator('nav [data-view="findings"]').click();
      await flows.locator('[data-testid="findings-type"]').selectOption('flow');
    }
    await flows.context().close();

    for (const view of ['drift', 'findings']) {
      const p = await studio.open({ view, locale: 'zh-CN' });
      await p.waitForTimeout(1500);
      const text = await mainText(p);
      expect(text.length, view).toBeGreaterThan(500);
      expect(sentences(text), view).toEqual([]);
      await p.screenshot({ path: join(SCREENSHOT_DIR, `${view}-zh.png`) });
      await p.context().close();
    }
  }, 180_000);

  it('leaves no English sentence in the zh-CN report (pdftotext), and the English report still says it in English', async () => {
    const store = Store.open(workspace, { readOnly: true });
    try {
      const zh = tmp.path('demo-zh.pdf');
      await exportReport(store, { out: zh, lang: 'zh-CN' });
      const text = execFileSync('pdftotext', ['-layout', zh, '-'], { encoding: 'utf8' });
      expect(text).toContain('访问权限矩阵');
      expect(text.replace(/\s+/g, '')).toContain('中保存着shop_app@%的凭据');
      expect(sentences(text)).toEqual([]);
      const en = tmp.path('demo-en.pdf');
      await exportReport(store, { out: en, lang: 'en' });
      const english = execFileSync('pdftotext', ['-layout', en, '-'], { encoding: 'utf8' });
      // The detector is not blind: the same evidence in English is full of sentences.
      expect(englishSentences(english).length).toBeGreaterThan(50);
      expect(english.replace(/\s+/g, ' ')).toContain('holds the credential of shop_app@%');
    } finally {
      store.close();
    }
  }, 180_000);
});
