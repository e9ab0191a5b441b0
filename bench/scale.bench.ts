/**
 * A scan at scale (default 1M nodes, BENCH_SCALE_NODES to change) through the real pipeline —
 * a generated estate source (scripts/testing/fixtures/scale-source.ts: MySQL-, Kafka-, S3- and
 * Kubernetes-shaped records) → batched store writes → every analyzer — in a child process, so its
 * peak RSS is the scan's own and not this bench's. Prints the capture time, every analyzer's time,
 * the scan's peak RSS beside the same child's RSS doing nothing (the anchor: Node, tsx and the
 * modules), and `graph:overview` on the result beside one GROUP BY pass over the nodes.
 * Asserts nothing (DESIGN.md: benchmarks, not tests). The data are synthetic: speed and memory
 * only, never accuracy.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DriftlineService } from '../shared/node/services/driftline-service.js';
import { Store } from '../shared/node/store/index.js';

const NODES = Number(process.env.BENCH_SCALE_NODES ?? 1_000_000);
/** BENCH_SCALE_HEAP_MB: run the scan child with this V8 heap cap (default none, as the CLI runs). */
const HEAP_MB = process.env.BENCH_SCALE_HEAP_MB ? Number(process.env.BENCH_SCALE_HEAP_MB) : undefined;
const ROOT = resolve(import.meta.dirname, '..');
const CHILD = join(ROOT, 'scripts', 'testing', 'scale-child.ts');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

function child(args: string[], heapMb?: number): Record<string, any> {
  const r = spawnSync(process.execPath, [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), '--import', 'tsx', CHILD, ...args], { cwd: ROOT, encoding: 'utf8', env: process.env, timeout: 3_600_000, maxBuffer: 16 * 2 ** 20 });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`scale child failed (${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
  return JSON.parse(last);
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-scale-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  const path = join(dir, 'scale.driftline');
  try {
    const idle = child([join(dir, 'idle.driftline')]);
    const t = performance.now();
    const scan = child([path, '--scan', String(NODES), '--analyze', 'streamed'], HEAP_MB);
    const wallMs = performance.now() - t;
    const analyzers = Object.entries(scan.analyzerMs as Record<string, number>);
    const analyzeMs = analyzers.reduce((s, [, ms]) => s + ms, 0);
    console.log(`scan of a generated estate: ${fmt(scan.nodes)} nodes, ${fmt(scan.edges)} edges, ${fmt(scan.findings)} findings; capture ${(scan.captureMs / 1000).toFixed(1)} s (${fmt(scan.nodes / (scan.captureMs / 1000))} nodes/s), analyzers ${(analyzeMs / 1000).toFixed(1)} s, child wall ${(wallMs / 1000).toFixed(1)} s`);
    console.log(`analyzers at ${fmt(scan.nodes)} nodes: ${analyzers.map(([name, ms]) => `${name} ${fmt(ms)} ms`).join(', ')}${Object.keys(scan.errors).length ? `; FAILED: ${JSON.stringify(scan.errors)}` : ''}`);
    console.log(`scan peak RSS (capture + analyzers, own process${HEAP_MB ? `, heap capped at ${HEAP_MB} MB` : ', no heap cap'}): ${fmt(scan.peakRssMb)} MB; anchor: the same process opening an empty workspace ${fmt(idle.peakRssMb)} MB → ${fmt(scan.peakRssMb - idle.peakRssMb)} MB for the workspace (${(statSync(path).size / 2 ** 20).toFixed(0)} MB file); after each analyzer: ${Object.entries(scan.peakRssMbAfter as Record<string, number>).map(([n, mb]) => `${n} ${mb}`).join(', ')}`);

    const store = Store.open(path, { readOnly: true });
    try {
      const service = new DriftlineService(store);
      const overviewMs: number[] = [];
      let groups = 0;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        groups = (await service.call('graph:overview', {})).groups.length;
        overviewMs.push(performance.now() - t0);
      }
      const t1 = performance.now();
      store.db.prepare(`SELECT group_key, count(*), count(pii_json) FROM nodes GROUP BY group_key`).all();
      const groupByMs = performance.now() - t1;
      console.log(`graph:overview after the scan (${fmt(groups)} groups): p50 ${pct(overviewMs, 0.5).toFixed(1)} ms, max ${Math.max(...overviewMs).toFixed(1)} ms; anchor: one GROUP BY pass over the nodes ${fmt(groupByMs)} ms`);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
