/**
 * Sealed bundles and the PDF at scale: export + verify + open of a bundle holding 100,000 objects
 * (50,000 nodes and 50,000 config versions over 10 snapshots), and a report with 5,000 findings.
 * Anchors measured in the same run: bare pdfkit writing the same findings' text with the same CJK
 * font (what any PDF of them costs), and raw ELK laying out the same graph the layout module does.
 * Prints times, sizes and throughputs; asserts nothing (DESIGN.md: benchmarks, not tests).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import ELK from 'elkjs/lib/elk.bundled.js';
import { layoutNodes, LINEAGE_LAYOUT_OPTIONS, estimateLabelWidth, type ElkLike } from '../shared/core/layout/layout.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Store } from '../shared/node/store/index.js';
import { exportBundle, generateSigningKey, openBundle, verifyBundle } from '../shared/node/store/bundle/index.js';
import { exportReport, exportFindings } from '../shared/node/report/index.js';
import type { Finding } from '../shared/core/model/finding.js';

const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100_000);
const FINDINGS = Number(process.env.BENCH_FINDINGS ?? 5_000);
const SNAPSHOTS = 10;
const EMPTY = { warnings: [], failures: [], gaps: [], dropped: { warnings: 0, failures: 0, gaps: 0 } };

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const mb = (b: number) => (b / 2 ** 20).toFixed(1);
const since = (t: number) => (performance.now() - t) / 1000;

function fillWorkspace(store: Store): void {
  store.upsertSource({ name: 'shop-db', kind: 'mysql', region: 'cn-north-1', config: {}, baseDir: '/' });
  const perSnapshot = OBJECTS / 2 / SNAPSHOTS;
  store.transaction(() => {
    for (let s = 0; s < SNAPSHOTS; s++) {
      const id = store.snapshots.begin('shop-db');
      for (let i = 0; i < perSnapshot; i++) {
        const n = s * perSnapshot + i;
        const urn = `mysql://shop-db/db${n % 50}/t${Math.floor(n / 10)}#c${n % 10}`;
        store.graph.upsertNode({ urn, kind: 'column', name: `c${n % 10}`, source: 'shop-db', region: 'cn-north-1', props: { type: 'varchar(64)' },
          pii: n % 20 === 0 ? [{ entity: 'CN_MOBILE', confidence: 0.9, matches: 90, sampled: 100, examples: ['138****5678'] }] : undefined }, id);
        const content = JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${n}`, namespace: 'shop' }, data: { key: `value-${n}`, city: '北京市朝阳区' } });
        store.configs.add({ urn: `k8s://prod/shop/ConfigMap/cm-${n}`, origin: 'live', snapshotId: id, contentHash: String(n).padStart(64, '0'), contentJson: content, author: null, time: new Date().toISOString(), message: null, revision: null });
      }
      store.snapshots.finish(id, 'complete', { contentHash: String(s).padStart(64, 'a'), stats: { objects: perSnapshot * 2 }, report: EMPTY });
    }
  });
}

function findingAt(i: number): Finding {
  const urn = `mysql://shop-db/db${i % 50}/t${i}#phone`;
  const base = { urn, severity: (['info', 'low', 'medium', 'high', 'critical'] as const)[i % 5], confidence: 0.9, evidence: `evidence ${i}` };
  switch (i % 5) {
    case 0: return { ...base, type: 'pii', rule: 'pii.cn-mobile', entity: 'CN_MOBILE', matches: 90, sampled: 100, examples: ['138****5678', '张*'] };
    case 1: return { ...base, type: 'drift', rule: 'drift.modified', path: '/data/city', desired: '上海市浦东新区', live: '北京市朝阳区' };
    case 2: return { ...base, type: 'flow', rule: 'flow.cross-border', from: urn, to: `s3://lake/eu/t${i}#phone`, fromRegion: 'cn-north-1', toRegion: 'eu-west-1', entities: ['CN_MOBILE'], path: [urn, `s3://lake/eu/t${i}#phone`] };
    case 3: return { ...base, type: 'exposure', rule: 'exposure.read', subject: `ServiceAccount shop/sa-${i}`, verbs: ['get', 'list'], resource: urn };
    default: return { ...base, type: 'anomaly', rule: 'anomaly.change', score: 0.9, explanation: `凌晨修改 ${i}` };
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-report-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  try {
    const store = Store.open(join(dir, 'bench.driftline'), { create: true });
    let t = performance.now();
    fillWorkspace(store);
    console.log(`workspace: ${fmt(OBJECTS)} objects (nodes + config versions) over ${SNAPSHOTS} snapshots in ${since(t).toFixed(1)} s`);

    const key = generateSigningKey('bench');
    const bundle = join(dir, 'bench.dlbundle');
    t = performance.now();
    const exported = await exportBundle(store, bundle, { signingKey: key });
    const exportS = since(t);
    console.log(`export:  ${exportS.toFixed(2)} s, ${fmt(OBJECTS / exportS)} objects/s, ${exported.parts} parts, ${mb(exported.bytes)} MB`);

    t = performance.now();
    const verified = await verifyBundle(bundle, { expectFingerprint: key.fingerprint });
    const verifyS = since(t);
    console.log(`verify:  ${verifyS.toFixed(2)} s, ${mb(exported.bytes / verifyS)} MB/s, ok=${verified.ok}`);

    t = performance.now();
    const opened = await openBundle(bundle, join(dir, 'opened.driftline'));
    const openS = since(t);
    const counts = opened.store.graph.counts();
    console.log(`open:    ${openS.toFixed(2)} s, ${fmt(OBJECTS / openS)} objects/s (verify + materialize; ${fmt(counts.nodes)} nodes restored)`);
    opened.store.close();

    store.transaction(() => {
      for (let i = 0; i < FINDINGS; i++) store.findings.add(findingAt(i), 'bench');
    });
    let reportS = 0;
    for (const lang of ['en', 'zh-CN'] as const) {
      t = performance.now();
      const r = await exportReport(store, { out: join(dir, `report-${lang}.pdf`), lang });
      const s = since(t);
      reportS = s;
      console.log(`report ${lang.padEnd(5)}: ${s.toFixed(2)} s for ${fmt(FINDINGS)} findings (+ ${fmt(OBJECTS / 2)} nodes graph), ${r.pages} pages, ${(r.bytes / 1024).toFixed(0)} KB, ${(r.pages / s).toFixed(1)} pages/s`);
    }
    // Anchor: bare pdfkit, the same font, one line per finding with the same text, no layout work.
    t = performance.now();
    const bare = new PDFDocument({ size: 'A4', margin: 48 });
    const fonts = join(dirname(createRequire(import.meta.url).resolve('pdfkit')), '..', '..', '@embedpdf', 'fonts-sc', 'fonts');
    bare.registerFont('body', join(fonts, 'NotoSansHans-Regular.otf'));
    bare.font('body').fontSize(9);
    const out = createWriteStream(join(dir, 'bare.pdf'));
    bare.pipe(out);
    let barePages = 1;
    bare.on('pageAdded', () => barePages++);
    for (const f of store.findings.list({ limit: FINDINGS }).map((x) => x.finding)) bare.text(`${f.severity} ${f.type} ${f.rule} ${f.urn} ${f.evidence}`, { width: 499 });
    bare.end();
    await finished(out);
    const bareS = since(t);
    console.log(`anchor: bare pdfkit, the same ${fmt(FINDINGS)} findings as text lines in the same font: ${bareS.toFixed(2)} s, ${barePages} pages → the zh-CN report costs ${(reportS / bareS).toFixed(1)}× (tables, diagram, contents, both fonts)`);

    // The layout module against raw ELK, on one lineage-shaped graph of 500 nodes (a warm-up first:
    // the first ELK call in a process pays its start-up).
    const nodes = Array.from({ length: 500 }, (_, i) => ({ id: `n${i}`, label: `dataset_${i}.field_${i % 37}` }));
    const edges = nodes.slice(100).flatMap((n, i) => [0, 7].map((k) => ({ id: `e${i}-${k}`, from: `n${(i * 3 + k) % (i + 100)}`, to: n.id })));
    const elk = new ELK() as unknown as ElkLike;
    await elk.layout({ id: 'warm', children: [{ id: 'a', width: 10, height: 10 }], edges: [] });
    // Alternated, three rounds, medians: ELK's JIT warms up over the first big layouts.
    const rawTimes: number[] = [];
    const moduleTimes: number[] = [];
    for (let round = 0; round < 3; round++) {
      t = performance.now();
      await elk.layout({ id: 'root', layoutOptions: LINEAGE_LAYOUT_OPTIONS, children: nodes.map((n) => ({ id: n.id, width: estimateLabelWidth(n.label), height: 32 })), edges: edges.map((e) => ({ id: e.id, sources: [e.from], targets: [e.to] })) });
      rawTimes.push(performance.now() - t);
      t = performance.now();
      await layoutNodes(elk, nodes, edges);
      moduleTimes.push(performance.now() - t);
    }
    const mid = (xs: number[]) => [...xs].sort((x, y) => x - y)[1];
    const [rawMs, moduleMs] = [mid(rawTimes), mid(moduleTimes)];
    console.log(`layout of ${nodes.length} nodes / ${edges.length} edges: layout module ${moduleMs.toFixed(0)} ms vs raw ELK on the same graph ${rawMs.toFixed(0)} ms → ${(moduleMs / rawMs).toFixed(2)}×`);

    t = performance.now();
    const csv = await exportFindings(store, join(dir, 'f.csv'), 'csv');
    console.log(`findings CSV: ${since(t).toFixed(2)} s, ${(csv.bytes / 1024).toFixed(0)} KB`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
