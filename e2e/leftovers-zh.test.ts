import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { englishSentences } from '../scripts/testing/english-sentences.js';
import { buildTestWorkspace } from '../scripts/testing/fixtures/report-workspace.js';
import { useTempHome } from '../scripts/testing/temp.js';
import { spoken } from '../shared/core/i18n/phrase.js';
import { translate } from '../shared/core/i18n/index.js';
import { SCREENSHOT_DIR, startStudio, type Studio } from './harness.js';

/**
 * What a Chinese reader sees of the leftovers of #11, #14 and #15 (real Chromium, the real renderer):
 * drift's unknown places with why and the fix, scan-report gaps in Sources and Snapshots, the
 * source form's Kind dropdown named from the catalogue. Screenshots land in test-output/screenshots.
 */
const tmp = useTempHome('driftline-e2e-leftovers-');
let studio: Studio;

beforeAll(async () => {
  const path = tmp.path('leftovers.driftline');
  const { store } = buildTestWorkspace(path);
  // A later scan of the cluster and of the database, each with a gap as the sources record them.
  const forbidden = spoken('gap.k8s.forbidden', { label: 'k8s://prod-cn', resource: 'secrets', user: 'system:serviceaccount:audit:driftline', message: 'secrets is forbidden: User "system:serviceaccount:audit:driftline" cannot list resource "secrets" in API group "" at the cluster scope' });
  const binlog = spoken('gap.binlog.live', { count: 30, from: 'mariadb-bin.000002:4', to: 'mariadb-bin.000002:9120', reason: { key: 'gap.schema.startsAtOldest', params: { position: 'mariadb-bin.000002:4' } } });
  const report = (item: string, said: { text: string; phrase: unknown }) => ({ warnings: [], failures: [], gaps: [{ item, reason: said.text, phrase: said.phrase as never }], dropped: { warnings: 0, failures: 0, gaps: 0 } });
  const k8s = store.snapshots.begin('prod-cn', '2026-11-03T08:00:00Z');
  store.snapshots.finish(k8s, 'complete', { contentHash: '7'.repeat(64), stats: { node: 4, config: 4 }, report: report('k8s://prod-cn/secrets', forbidden) });
  const db = store.snapshots.begin('shop-db', '2026-11-03T09:00:00Z');
  store.snapshots.finish(db, 'complete', { contentHash: '6'.repeat(64), stats: { node: 2, checkpoint: 1 }, report: report('mysql://shop-db/shop/users', binlog) });
  store.close();
  studio = await startStudio({ workspacePath: path });
}, 120_000);

afterAll(async () => {
  await studio?.close();
  tmp.cleanup();
});

const sentences = (text: string) => englishSentences(text).map((f) => `${f.run}  ⟵  ${f.line.slice(0, 160)}`);
const textOfSelector = (page: Page, selector: string) => page.locator(selector).innerText();

describe('leftovers, read in Chinese', () => {
  it("the drift view lists the places drift cannot judge — with why and the fix — apart from drift, in Chinese and in English", async () => {
    const zh = await studio.open({ view: 'drift', locale: 'zh-CN' });
    await zh.waitForSelector('[data-testid="drift-unknowns"]', { timeout: 30_000 });
    const section = await textOfSelector(zh, '[data-testid="drift-unknowns"]');
    expect(section).toContain(translate('zh-CN', 'driftUnknown.title'));
    expect(section).toContain(translate('zh-CN', 'driftUnknown.intro', { count: 2 }));
    expect(section).toContain(translate('zh-CN', 'driftUnknown.fix.sops-encrypted'));
    expect(await zh.locator('[data-testid="drift-unknown-object"]').count()).toBe(2);
    // The drift list above still counts the one object with proven differences.
    expect(await zh.locator('[data-testid="drift-object"]').count()).toBe(1);
    expect(sentences(section)).toEqual([]);
    // The SOPS-encrypted Secret value is named as hidden, never printed as its keyed hash.
    expect(section).toContain(translate('zh-CN', 'security.valueHidden'));
    expect(section).not.toMatch(/[0-9a-f]{32,}/);
    await zh.locator('[data-testid="drift-unknowns"]').scrollIntoViewIfNeeded();
    await zh.screenshot({ path: join(SCREENSHOT_DIR, 'drift-unknown-zh.png'), fullPage: true });
    await zh.context().close();

    const en = await studio.open({ view: 'drift', locale: 'en' });
    await en.waitForSelector('[data-testid="drift-unknowns"]', { timeout: 30_000 });
    expect(await textOfSelector(en, '[data-testid="drift-unknowns"]')).toContain('Not provable from the repository');
    await en.context().close();
  }, 90_000);

  it('the Sources view says each gap in Chinese', async () => {
    const page = await studio.open({ view: 'sources', locale: 'zh-CN' });
    await page.waitForSelector('[data-testid="source-card"]', { timeout: 30_000 });
    for (const source of ['prod-cn', 'shop-db']) {
      const card = page.locator(`[data-testid="source-card"][data-source="${source}"]`);
      await card.locator('details.report summary').click();
      const gaps = await card.locator('details.report li').allInnerTexts();
      expect(gaps.length, source).toBe(1);
      expect(sentences(gaps.join('\n'))).toEqual([]);
    }
    const text = await page.locator('[data-testid="source-card"][data-source="shop-db"] details.report').innerText();
    expect(text).toContain('之间的 30 条行镜像已计数但未分类');
    expect(text).toContain('SET GLOBAL binlog_row_metadata=FULL');
    // What a scan captured is counted by record type, named in Chinese.
    const captured = await page.locator('[data-testid="source-card"][data-source="prod-cn"] .stats').innerText();
    expect(captured).toContain(translate('zh-CN', 'sources.stat.node'));
    expect(captured).toContain(translate('zh-CN', 'sources.stat.config'));
    expect(sentences(captured)).toEqual([]);
    expect(captured).not.toMatch(/node|config/);
    await studio.screenshot(page, 'sources-gaps-zh');
    await page.context().close();
  }, 90_000);

  it('the Snapshots view says each gap in Chinese', async () => {
    const page = await studio.open({ view: 'snapshots', locale: 'zh-CN' });
    await page.waitForSelector('[data-testid="snapshot-report-toggle"]', { timeout: 30_000 });
    const toggles = page.locator('[data-testid="snapshot-report-toggle"]');
    const texts: string[] = [];
    for (let i = 0; i < (await toggles.count()); i++) {
      await toggles.nth(i).click();
      texts.push(await page.locator('[data-testid="snapshot-report"]').innerText());
    }
    expect(texts.join('\n')).toContain('无权列出 secrets');
    expect(sentences(texts.join('\n'))).toEqual([]);
    await studio.screenshot(page, 'snapshots-gaps-zh');
    await page.context().close();
  }, 90_000);

  it("the source form's Kind dropdown names each kind, with its code beside it", async () => {
    const page = await studio.open({ view: 'sources', locale: 'zh-CN' });
    await page.locator('[data-testid="add-source"]').click();
    const options = await page.locator('[data-testid="source-form"] select[name="kind"] option').allInnerTexts();
    expect(options).toEqual(expect.arrayContaining(['Kafka Connect 集群 · kafka-connect', 'S3 兼容对象存储 · s3', 'Kubernetes 集群 · kubernetes', 'MySQL / MariaDB 数据库 · mysql']));
    await studio.screenshot(page, 'source-form-kinds-zh');
    await page.context().close();
    const en = await studio.open({ view: 'sources', locale: 'en' });
    await en.locator('[data-testid="add-source"]').click();
    expect(await en.locator('[data-testid="source-form"] select[name="kind"] option').allInnerTexts()).toEqual(expect.arrayContaining(['Kafka Connect cluster · kafka-connect', 'S3-compatible object store · s3']));
    await en.context().close();
  }, 90_000);
});
