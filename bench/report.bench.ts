/**
 * Sealed bundles and the PDF at scale: export + verify + open of a bundle holding 100,000 objects
 * (50,000 nodes and 50,000 config versions over 10 snapshots), and a report with 5,000 findings.
 * Prints times, sizes and throughputs; asserts nothing (DESIGN.md: benchmarks, not tests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    for (const lang of ['en', 'zh-CN'] as const) {
      t = performance.now();
      const r = await exportReport(store, { out: join(dir, `report-${lang}.pdf`), lang });
      const s = since(t);
      console.log(`report ${lang.padEnd(5)}: ${s.toFixed(2)} s for ${fmt(FINDINGS)} findings (+ ${fmt(OBJECTS / 2)} nodes graph), ${r.pages} pages, ${(r.bytes / 1024).toFixed(0)} KB, ${(r.pages / s).toFixed(1)} pages/s`);
    }
    t = performance.now();
    const csv = await exportFindings(store, join(dir, 'f.csv'), 'csv');
    console.log(`findings CSV: ${since(t).toFixed(2)} s, ${(csv.bytes / 1024).toFixed(0)} KB`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
