import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../store/index.js';
import { exportReport, exportFindings, exportOpenLineage } from './index.js';
import { SECTION } from './sections.js';
import { buildDiagram, MAX_DATASET_BOXES } from './lineage-diagram.js';
import { buildTestWorkspace, FLOW_HOP_DETAILS, MASKED, RAW_VALUES, type TestWorkspace } from '../../../scripts/testing/fixtures/report-workspace.js';
import type { Graph } from '../../core/model/graph.js';
import { entityLabel, translate } from '../../core/i18n/index.js';

const OUTPUT = join(process.cwd(), 'test-output', 'report');
let dir: string;
let ws: TestWorkspace;

const pdfText = (file: string): string => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
const pdfPages = (file: string): number => Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))![1]);
const pdfFonts = (file: string): string => execFileSync('pdffonts', [file], { encoding: 'utf8' });
/** pdftotext -layout may put spaces between CJK glyphs of one line; compare without whitespace. */
const squash = (s: string): string => s.replace(/\s+/g, '');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftline-report-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  ws = buildTestWorkspace(join(dir, 'ws.driftline'));
  mkdirSync(OUTPUT, { recursive: true });
});
afterAll(() => {
  ws.store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(['en', 'zh-CN'] as const)('exportReport (%s)', (lang) => {
  const tr = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate(lang, key, params);
  let file: string;
  let text: string;
  let result: { path: string; pages: number; bytes: number };

  beforeAll(async () => {
    file = join(OUTPUT, `report-${lang}.pdf`);
    rmSync(file, { force: true });
    result = await exportReport(ws.store, { out: file, lang, bundle: { signer: 'auditor 李', fingerprint: 'f'.repeat(64), manifestHash: 'e'.repeat(64) } });
    text = pdfText(file);
    // Pages kept for a human to look at (test-output/report/<lang>-N.png).
    for (const f of readdirSync(OUTPUT)) if (f.startsWith(`${lang}-`) && f.endsWith('.png')) rmSync(join(OUTPUT, f));
    execFileSync('pdftoppm', ['-png', '-r', '60', file, join(OUTPUT, lang)]);
  }, 120_000);

  it('has every section heading, listed in the contents with a page number', () => {
    const flat = squash(text);
    expect(flat).toContain(squash(tr('report.section.toc')));
    for (const heading of Object.values(SECTION).map((key) => tr(key))) {
      expect(text, heading).toMatch(new RegExp(`${heading.replace(/[()：:]/g, '.')}\\s*\\d+`));
    }
  });

  it('has the early-warning section: the likely changes with their reasons, and the backtest or why there is none', () => {
    const flat = squash(text);
    expect(flat).toContain(squash(translate(lang, 'predict.report.title', { hours: 72 })));
    expect(text).toMatch(new RegExp(`${translate(lang, 'predict.report.title', { hours: 72 }).replace(/[()：:]/g, '.')}\\s*\\d+`));
    const hasBacktest = flat.includes(squash(translate(lang, 'predict.report.noBacktest'))) || /ROCAUC\d\.\d{3}/.test(flat);
    expect(hasBacktest).toBe(true);
    expect(flat).toContain(squash(translate(lang, 'predict.col.reasons')));
  });

  it('prints every flow with all its hops, their confidence and full evidence, and its legal basis; nothing cut with "…"', () => {
    const flat = squash(text);
    for (const detail of FLOW_HOP_DETAILS) expect(flat).toContain(squash(detail));
    expect(flat).toContain(squash(tr('report.flowHop', { n: 2, from: 'kafka://events/shop.users#after.phone', to: 's3://lake/lake-eu/users#phone', kind: lang === 'en' ? 'sink' : '落地', confidence: '90%' })));
    expect(flat).toContain(squash(lang === 'en' ? 'PIPL art. 38–40' : '《个人信息保护法》第三十八条'));
    expect(flat).toContain(squash('MaskField$Value id_card replaced with its SHA-256'));
    expect(text).not.toContain('…');
  });

  it('numbers every page "N of M" and reports the page count pdfinfo sees', () => {
    const pages = pdfPages(file);
    expect(result.pages).toBe(pages);
    expect(pages).toBeGreaterThanOrEqual(10); // cover, contents, 8 sections
    for (let n = 1; n <= pages; n++) expect(squash(text)).toContain(squash(tr('report.page', { n, total: pages })));
    expect(result.bytes).toBeGreaterThan(10_000);
  });

  it('prints the masked Chinese values and the seal, with the CJK font embedded as a subset', () => {
    const flat = squash(text);
    for (const v of [MASKED.phone, MASKED.name, MASKED.address, MASKED.idCard, '上海市浦东新区', '张伟']) expect(flat).toContain(squash(v));
    expect(flat).toContain('f'.repeat(64));
    expect(flat).toContain('a'.repeat(64)); // a snapshot content hash on the cover
    expect(text).toContain('auditor 李');
    expect(pdfFonts(file)).toMatch(/[A-Z]{6}\+NotoSansHans-Regular\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
  });

  it('never prints a raw PII value or a keyed fingerprint', () => {
    const flat = squash(text);
    for (const raw of Object.values(RAW_VALUES)) expect(flat).not.toContain(raw);
    expect(flat).not.toContain('建国路');
    for (const fp of ws.fingerprints) expect(flat).not.toContain(fp);
  });

  it('has the PII inventory rows, the cross-border flow and the drift values', () => {
    const flat = squash(text);
    expect(flat).toContain('981/1000(98.1%)');
    expect(flat).toContain(squash('cn-north-1 → eu-west-1'));
    expect(flat).toContain('/data/office');
    expect(flat).toContain(squash(entityLabel('CN_RESIDENT_ID', lang)));
    expect(flat).toContain(squash(tr('severity.critical')));
  });

  it('prints a real access matrix: the grants, ACLs and credential chain of the fixture, the DENY that stops User:bob', () => {
    const flat = squash(text);
    const start = flat.indexOf(squash(tr('report.access.intro')));
    expect(start).toBeGreaterThan(0);
    const access = flat.slice(start, flat.indexOf(squash(tr('coverage.title')), start));
    for (const principal of ['report@%', 'shop_app@10.8.%', 'ServiceAccount:shop/reporter', 'User:*']) expect(access).toContain(squash(principal));
    expect(access).toContain(squash(tr('ev.cond.fromHost', { hosts: '10.8.%' })));
    expect(access).toContain(squash(tr('access.via.credential')));
    expect(access).toContain(squash(tr('access.denied', { names: 'User:bob' })));
    // Table cells wrap beside other columns: the exception is looked for up to where its cell may wrap.
    const except = squash(tr('accessDeny.exceptPrincipal', { principal: 'User:bob', origin: '' }));
    expect(access).toContain(except.slice(except.indexOf('User:bob')).replace(/[(（][)）]$/, ''));
    // An account with USAGE only reads nothing, and is not listed.
    expect(access).not.toContain('monitor@');
  });

  it('lists the places drift cannot judge apart from drift, each with why and the fix, never counted as drift', () => {
    const flat = squash(text);
    // The drift section: from its introduction to the next section's heading.
    const start = flat.indexOf(squash(tr('report.driftIntro')));
    expect(start).toBeGreaterThan(0);
    const drift = flat.slice(start, flat.indexOf(squash(tr('report.section.timeline')), start));
    expect(drift).toContain(squash(tr('driftUnknown.title')));
    expect(drift).toContain(squash(tr('driftUnknown.intro', { count: 2 })));
    for (const reason of ['unresolved-substitution', 'sops-encrypted'] as const) {
      expect(drift).toContain(squash(tr(`driftUnknown.reason.${reason}`)));
      expect(drift).toContain(squash(tr(`driftUnknown.fix.${reason}`)));
    }
    // The desired value with its placeholder (table cells wrap, so its parts are looked for).
    expect(drift).toContain('<unknown:');
    expect(drift).toContain('${ORDER_TAG}>');
    // The drift table and the summary still count the two proven differences only.
    expect(ws.store.findings.list({ type: 'drift' })).toHaveLength(2);
  });

  if (lang === 'zh-CN') {
    it('labels in Simplified Chinese', () => {
      const flat = squash(text);
      for (const label of ['个人信息清单', '严重程度', '脱敏示例', '命中率', '跨境数据流动', '附录：方法与规则', '异常变更', '手机号码']) expect(flat).toContain(label);
      expect(flat).not.toContain('Executive summary');
      // The most severe findings are summed up in Chinese from their structured fields.
      expect(flat).toMatch(/抽样的\d+个值中有\d+个符合[^，。]+的特征/);
      expect(flat).not.toMatch(/sampledvalueslooklike/);
    });
  }
});

describe('lineage diagram aggregation', () => {
  it('draws datasets while they fit, and groups past the limit', () => {
    const small = buildDiagram(ws.store.graph.all());
    expect(small.level).toBe('dataset');
    expect(small.boxes.map((b) => b.id)).toEqual(expect.arrayContaining(['mysql://shop-db/shop/users', 'kafka://events/shop.users', 's3://lake/lake-eu/users']));
    expect(small.arrows.find((a) => a.from === 'kafka://events/shop.users' && a.to === 's3://lake/lake-eu/users')?.crossBorder).toBe(true);

    const n = MAX_DATASET_BOXES * 3;
    const big: Graph = { nodes: [], edges: [], truncated: false };
    for (let i = 0; i < n; i++) {
      big.nodes.push({ urn: `mysql://db${i % 3}/shop${i % 3}/t${i}`, kind: 'table', name: `t${i}`, source: `db${i % 3}`, region: 'cn-north-1', props: {} });
      big.nodes.push({ urn: `kafka://bus/t${i}`, kind: 'topic', name: `t${i}`, source: 'bus', region: 'eu-west-1', props: {} });
      big.edges.push({ from: `mysql://db${i % 3}/shop${i % 3}/t${i}`, to: `kafka://bus/t${i}`, kind: 'cdc', confidence: 1, evidence: { rule: 'r', detail: '' } });
    }
    const grouped = buildDiagram(big);
    expect(grouped.level).toBe('group');
    expect(grouped.boxes.map((b) => b.label).sort()).toEqual(['bus (108)', 'db0 / shop0 (36)', 'db1 / shop1 (36)', 'db2 / shop2 (36)']);
    expect(grouped.arrows).toHaveLength(3);
    expect(grouped.arrows.every((a) => a.crossBorder)).toBe(true);
  });

  it('renders a large workspace grouped, with the grouping explained', async () => {
    const path = join(dir, 'big.driftline');
    const store = Store.open(path, { create: true });
    try {
      store.upsertSource({ name: 'db', kind: 'mysql', region: 'cn-north-1', config: {}, baseDir: '/' });
      store.transaction(() => {
        for (let i = 0; i < 120; i++) {
          store.graph.upsertNode({ urn: `mysql://db/s${i % 6}/t${i}`, kind: 'table', name: `t${i}`, source: 'db', region: 'cn-north-1' });
          store.graph.upsertNode({ urn: `s3://lake/b${i % 4}/p${i}`, kind: 'prefix', name: `p${i}`, source: 'lake', region: 'eu-west-1' });
          store.graph.upsertEdge({ from: `mysql://db/s${i % 6}/t${i}`, to: `s3://lake/b${i % 4}/p${i}`, kind: 'sinks', confidence: 1, evidence: { rule: 'r', detail: '' } });
        }
      });
      const out = join(OUTPUT, 'report-grouped.pdf');
      await exportReport(store, { out, lang: 'en' });
      const flat = squash(pdfText(out));
      expect(flat).toContain(squash(translate('en', 'report.lineageGrouped', { datasets: 240, groups: 10 })));
      expect(flat).toContain('db/s0(20)');
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '5', '-l', '5', out, join(OUTPUT, 'grouped')]);
    } finally {
      store.close();
    }
  }, 120_000);
});

describe('long tables', () => {
  it('break across pages with the header row repeated, long values wrapped in full', async () => {
    const path = join(dir, 'long.driftline');
    const store = Store.open(path, { create: true });
    try {
      store.upsertSource({ name: 'crm', kind: 'mysql', region: 'cn-north-1', config: {}, baseDir: '/' });
      store.transaction(() => {
        for (let i = 0; i < 260; i++) {
          store.findings.add({ type: 'pii', rule: 'pii.cn-mobile', urn: `mysql://crm/sales/customer_${i}#mobile_${'x'.repeat(i % 7 === 0 ? 200 : 4)}`, severity: 'high', confidence: 0.9, evidence: 'sampled',
            entity: 'CN_MOBILE', matches: 90, sampled: 100, examples: ['138****5678', `地址${i}：北京市朝阳区****`] }, 'crm');
        }
      });
      const out = join(OUTPUT, 'report-long.pdf');
      const r = await exportReport(store, { out, lang: 'zh-CN' });
      const pages = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' }).split('\f').map(squash);
      const first = pages.findIndex((p) => p.startsWith('个人信息清单'));
      const last = pages.findIndex((p) => p.startsWith('数据血缘图')) - 1;
      expect(last - first).toBeGreaterThanOrEqual(3); // the inventory spans several pages
      // pdftotext's reading order across columns varies; every header cell must be on every page.
      for (let p = first; p <= last; p++) for (const h of ['列/字段', '信息类别', '命中率（命中/抽样）', '置信度', '脱敏示例']) expect(pages[p], `page ${p + 1}`).toContain(h);
      const rows = pages.slice(first, last + 1).join('').match(/90\/100\(90\.0%\)/g) ?? [];
      expect(rows).toHaveLength(260); // every row printed once: none lost or split at a page break
      expect(pages.join('')).not.toContain('…'); // the 200-character URNs wrap, never cut…
      // …and are printed whole: every x of the 38 long URNs is on the page (wrapped lines interleave with other columns).
      expect((pages.join('').match(/x/g) ?? []).length).toBeGreaterThanOrEqual(38 * 200);
      expect(r.pages).toBe(pages.filter((p) => p.length).length);
      execFileSync('pdftoppm', ['-png', '-r', '60', '-f', String(first + 2), '-l', String(first + 2), out, join(OUTPUT, 'long')]);
    } finally {
      store.close();
    }
  }, 120_000);
});

describe('exports', () => {
  it('writes findings as JSON and as CSV (BOM, quoted, formula-safe)', async () => {
    const json = join(dir, 'f.json');
    const csv = join(dir, 'f.csv');
    expect((await exportFindings(ws.store, json, 'json')).findings).toBe(10);
    const parsed = JSON.parse(readFileSync(json, 'utf8'));
    expect(parsed.map((f: { type: string }) => f.type).sort()).toEqual(['anomaly', 'drift', 'drift', 'exposure', 'flow', 'pii', 'pii', 'pii', 'pii', 'pii']);
    await exportFindings(ws.store, csv, 'csv');
    const text = readFileSync(csv, 'utf8');
    expect(text.startsWith('\uFEFFtype,rule,urn,severity')).toBe(true);
    const lines = text.trim().split('\r\n');
    expect(lines).toHaveLength(11);
    expect(text).toContain(`${MASKED.phone}; 139****0001`);
    expect(text).toContain('"""上海市浦东新区"""'); // drift values as JSON text, CSV-quoted
    expect(text).not.toContain(RAW_VALUES.phone);
  });

  it('writes one OpenLineage RunEvent per CDC/sink job with column lineage (schema checks: openlineage.test.ts)', async () => {
    const out = join(dir, 'lineage.jsonl');
    const r = await exportOpenLineage(ws.store, out);
    const events = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(r.events).toBe(3); // the CDC, the sink, and the workload that reads users
    const cdc = events.find((e) => e.job.name.startsWith('cdc:'));
    // The fixture's sources name no server: Driftline's own namespace, never a guessed host.
    expect(cdc).toMatchObject({
      eventType: 'COMPLETE',
      inputs: [{ namespace: 'driftline://shop-db', name: 'shop.users' }],
      outputs: [{ namespace: 'driftline://events', name: 'shop.users', facets: { columnLineage: { fields: {
        'after.phone': { inputFields: [{ namespace: 'driftline://shop-db', name: 'shop.users', field: 'phone' }] },
        'after.name': { inputFields: [{ namespace: 'driftline://shop-db', name: 'shop.users', field: 'name' }] },
      } } } }],
    });
    expect(cdc.run.runId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const sink = events.find((e) => e.job.name.startsWith('sinks:'));
    expect(sink.outputs[0]).toMatchObject({ namespace: 's3://lake-eu', name: 'users' });
    expect(Object.keys(sink.outputs[0].facets.columnLineage.fields).sort()).toEqual(['name', 'phone']);
  });
});
