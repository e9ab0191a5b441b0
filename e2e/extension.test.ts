import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerRecognizer } from '../shared/core/pii/registry.js';
import { registerLineageRule } from '../shared/core/lineage/rules/registry.js';
import { entityLabel, schemeLabel } from '../shared/core/i18n/index.js';
import { groupKeyOf } from '../shared/core/model/groups.js';
import { registerSource } from '../shared/node/sources/registry.js';
import { DriftlineService } from '../shared/node/services/driftline-service.js';
import { runScan } from '../shared/node/services/scan.js';
import { Store } from '../shared/node/store/index.js';
import { useTempHome } from '../scripts/testing/temp.js';
import { loyaltyCardRecognizer } from './extension/loyalty-card-recognizer.js';
import { ledgerSource } from './extension/ledger-source.js';
import { ledgerExportRule } from './extension/ledger-export-rule.js';
import { startStudio, waitForLineage, type Studio } from './harness.js';

/**
 * The one-file extension points (issue #16, Must show): a recognizer, a source kind and a lineage
 * rule, each written in ONE file under e2e/extension/ and registered through the registry API the
 * built-in ones use (one line each, below). Nothing else in Driftline is edited for them, and they
 * must show in a scan, in the studio's generated form (real Chromium), in the labels (en + zh-CN
 * from the recognizer's own metadata) and in the PDF report (pdftotext).
 */
registerRecognizer(loyaltyCardRecognizer);
registerSource(ledgerSource);
registerLineageRule(ledgerExportRule);

const tmp = useTempHome('driftline-extension-');
const WORKSPACE = tmp.path('extension.driftline');

/** `LC` + 13 digits + their Luhn check digit. */
function loyaltyCard(seed: number): string {
  const body = String(4_000_000_000_000 + seed * 7_919).padStart(13, '0');
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = Number(body[body.length - 1 - i]);
    if (i % 2 === 0) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return `LC${body}${(10 - (sum % 10)) % 10}`;
}

const cards = Array.from({ length: 40 }, (_, i) => loyaltyCard(i + 1));
const members = (from: number) => cards.map((card, i) => ({ member_card: card, points: (from + i) * 10, tier: i % 3 === 0 ? 'gold' : 'silver' }));

let pdfEn = '';
let pdfZh = '';
let storeSummary: { columns: string[]; pii: string[]; edges: string[]; flows: { from: string; to: string; entities: string[] }[]; findings: { entity?: string; examples?: string[] }[] };

beforeAll(async () => {
  const cn = tmp.path('cn-ledger.json');
  const eu = tmp.path('eu-ledger.json');
  writeFileSync(cn, JSON.stringify({ books: { '2026': { members: { exportsTo: 'ledger://eu-ledger/2026/members', rows: members(1) } } } }));
  writeFileSync(eu, JSON.stringify({ books: { '2026': { members: { rows: members(1) } } } }));
  const store = Store.open(WORKSPACE, { create: true });
  const sources = [
    { name: 'cn-ledger', kind: 'ledger', region: 'cn-north-1', config: { name: 'cn-ledger', kind: 'ledger', region: 'cn-north-1', file: cn }, baseDir: tmp.dir },
    { name: 'eu-ledger', kind: 'ledger', region: 'eu-west-1', config: { name: 'eu-ledger', kind: 'ledger', region: 'eu-west-1', file: eu }, baseDir: tmp.dir },
  ];
  for (const s of sources) store.upsertSource(s);
  const result = await runScan({ store, sources });
  expect(result.ok, JSON.stringify(result.snapshots.map((s) => s.report))).toBe(true);

  const nodes = store.graph.nodesWhere({ source: 'cn-ledger' });
  const all = store.graph.all({});
  storeSummary = {
    columns: nodes.filter((n) => n.kind === 'column').map((n) => n.urn),
    pii: nodes.flatMap((n) => (n.pii ?? []).map((p) => `${n.urn} ${p.entity}`)),
    edges: all.edges.filter((e) => e.evidence.rule === 'lineage.ledger-export').map((e) => `${e.from} -> ${e.to}`),
    flows: store.findings.list({ type: 'flow' }).map((f) => f.finding as unknown as { from: string; to: string; entities: string[] }),
    findings: store.findings.list({ type: 'pii' }).map((f) => f.finding as unknown as { entity?: string; examples?: string[] }),
  };

  const service = new DriftlineService(store);
  for (const [lang, set] of [['en', (t: string) => (pdfEn = t)], ['zh-CN', (t: string) => (pdfZh = t)]] as const) {
    const r = await service.dispatch('report:export', { lang, fileName: `extension-${lang}.pdf` });
    if (!r.ok) throw new Error(r.error.message);
    set(execFileSync('pdftotext', ['-layout', (r.value as { path: string }).path, '-'], { encoding: 'utf8' }));
  }
  store.close();
}, 180_000);
afterAll(() => tmp.cleanup());

describe('one-file extensions: a recognizer, a source kind and a lineage rule', () => {
  it('the scan: the ledger source yields its columns, the recognizer fires, the rule draws the export edges', () => {
    expect(storeSummary.columns).toContain('ledger://cn-ledger/2026/members#member_card');
    expect(storeSummary.pii).toEqual(['ledger://cn-ledger/2026/members#member_card LOYALTY_CARD']);
    expect(storeSummary.edges).toEqual(expect.arrayContaining([
      'ledger://cn-ledger/2026/members -> ledger://eu-ledger/2026/members',
      'ledger://cn-ledger/2026/members#member_card -> ledger://eu-ledger/2026/members#member_card',
    ]));
    // The recognizer's own masker: examples keep the last four digits, never a whole number.
    const finding = storeSummary.findings.find((f) => f.entity === 'LOYALTY_CARD');
    expect(finding?.examples?.length).toBeGreaterThan(0);
    for (const example of finding!.examples!) expect(example).toMatch(/^LC\*{10}\d{4}$/);
    // The new edge carries the new entity across a border: a flow finding, CN → EU.
    expect(storeSummary.flows.some((f) => f.entities.includes('LOYALTY_CARD') && f.from.startsWith('ledger://cn-ledger') && f.to.startsWith('ledger://eu-ledger'))).toBe(true);
  });

  it('the URN scheme the source declared parses and groups like a built-in one', () => {
    expect(groupKeyOf('ledger://cn-ledger/2026/members#member_card')).toBe('ledger://cn-ledger/2026');
    expect([schemeLabel('ledger', 'en'), schemeLabel('ledger', 'zh-CN')]).toEqual(['Ledger', '账簿']);
  });

  it('the labels: en and zh-CN come from the recognizer file', () => {
    expect(entityLabel('LOYALTY_CARD', 'en')).toBe('loyalty card number');
    expect(entityLabel('LOYALTY_CARD', 'zh-CN')).toBe('会员卡号');
  });

  it('the report: the PDF names the new entity and shows the new edge, in English and Chinese', () => {
    const squash = (s: string) => s.replace(/\s+/g, '');
    expect(pdfEn).toMatch(/loyalty card number/i);
    expect(squash(pdfEn)).toContain(squash('ledger://cn-ledger/2026/members'));
    expect(squash(pdfEn)).toContain(squash('ledger://eu-ledger/2026/members'));
    expect(pdfEn).toMatch(/ledger export of members/);
    expect(squash(pdfZh)).toContain('会员卡号');
    for (const card of cards) expect(pdfEn + pdfZh).not.toContain(card);
  });
});

describe('the ledger kind in the studio (e2e, chromium)', () => {
  let studio: Studio;
  beforeAll(async () => {
    if (spawnSync('pdftotext', ['-v']).error) throw new Error('pdftotext is missing: apt-get install -y poppler-utils');
    studio = await startStudio({ workspacePath: WORKSPACE });
  }, 120_000);
  afterAll(async () => { await studio?.close(); });

  it('renders the form generated from its schema, in English and Chinese, and saves through it', async () => {
    const errors: string[] = [];
    const page = await studio.open({ view: 'sources' });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.locator('[data-testid="add-source"]').click();
    const form = page.locator('[data-testid="source-form"]');
    await form.locator('select[name="kind"]').selectOption('ledger');
    await form.locator('[data-field="file"]').waitFor();
    expect(await form.locator('[data-field="file"]').innerText()).toContain('Ledger export file');
    expect(await form.locator('[data-field="file"]').innerText()).toMatch(/required/i);
    expect(await form.locator('[data-field="tokenEnv"]').getAttribute('data-input')).toBe('secret-env');
    expect(await form.locator('input[name="maxRows"]').getAttribute('placeholder')).toBe('500');
    expect(await form.locator('select[name="currency"] option').allInnerTexts()).toEqual(['(not set)', 'CNY', 'EUR', 'USD']);
    expect(await form.locator('input[type="password"]').count()).toBe(0);

    await form.locator('input[name="name"]').fill('hk-ledger');
    await form.locator('input[name="region"]').fill('ap-east-1');
    await form.locator('input[name="file"]').fill('./hk-ledger.json');
    // A secret typed where its variable's name belongs is refused before it is sent, and not repeated.
    await form.locator('input[name="tokenEnv"]').fill('s3cr3t token');
    await form.getByRole('button', { name: 'Save' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/API token environment variable: must be the NAME/);
    expect(await alert.innerText()).not.toContain('s3cr3t');
    await form.locator('input[name="tokenEnv"]').fill('HK_LEDGER_TOKEN');
    await form.locator('select[name="currency"]').selectOption('CNY');
    await studio.screenshot(page, 'extension-ledger-form');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.locator('[data-testid="source-card"][data-source="hk-ledger"]').waitFor();
    // Saved as the schema parsed it (its default maxRows filled in).
    const saved = studio.store.sources().find((s) => s.name === 'hk-ledger');
    expect(saved?.config).toEqual({ name: 'hk-ledger', kind: 'ledger', region: 'ap-east-1', file: './hk-ledger.json', tokenEnv: 'HK_LEDGER_TOKEN', currency: 'CNY', maxRows: 500 });
    await page.context().close();

    const zh = await studio.open({ view: 'sources', locale: 'zh-CN' });
    zh.on('pageerror', (e) => errors.push(e.message));
    await zh.locator('[data-testid="add-source"]').click();
    const zhForm = zh.locator('[data-testid="source-form"]');
    await zhForm.locator('select[name="kind"]').selectOption('ledger');
    await zhForm.locator('[data-field="file"]').waitFor();
    expect(await zhForm.locator('[data-field="file"]').innerText()).toContain('账簿导出文件');
    expect(await zhForm.locator('[data-field="currency"]').innerText()).toContain('记账币种');
    await studio.screenshot(zh, 'extension-ledger-form-zh');
    await zh.context().close();
    expect(errors).toEqual([]);
  });

  it('shows the ledger datasets in the lineage view, opened down to their PII rows (the studio learned the scheme from sources:kinds)', async () => {
    const errors: string[] = [];
    const page = await studio.open({ view: 'lineage' });
    page.on('pageerror', (e) => errors.push(e.message));
    await waitForLineage(page);
    const group = 'group:ledger://cn-ledger/2026';
    // The group is named by the scheme's own label, from the source file (through sources:kinds).
    expect(await page.locator(`.svelte-flow__node[data-id="${group}"] [data-node-type="group"]`).getAttribute('title')).toMatch(/^Ledger — /);
    await page.locator(`.svelte-flow__node[data-id="${group}"] [data-node-type="group"]`).click();
    await page.waitForSelector(`.svelte-flow__node[data-id="${group}"] [data-node-type="frame"]`);
    await page.waitForSelector('[data-testid="lineage-stage"][data-layout-state="ready"]');
    // The table's card lists its columns; the loyalty card column is marked as personal data.
    const piiRows = await page.locator('[data-row].pii').evaluateAll((els) => els.map((e) => e.getAttribute('data-row')));
    expect(piiRows).toContain('ledger://cn-ledger/2026/members#member_card');
    expect(await page.locator('[data-row="ledger://cn-ledger/2026/members#member_card"]').first().innerText()).toContain('LOYALTY_CARD');
    await studio.screenshot(page, 'extension-ledger-lineage');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
