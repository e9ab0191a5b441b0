/**
 * Workspace graph at scale: insert 1M nodes + 2M edges, upstream closures of depth 10 from random
 * nodes, and FTS search. Prints throughputs; asserts nothing (DESIGN.md: benchmarks, not tests).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../shared/node/store/index.js';

const NODES = Number(process.env.BENCH_NODES ?? 1_000_000);
const EDGES_PER_NODE = 2;
const WIDTH = 1000; // nodes per lineage layer

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  const store = Store.open(join(dir, 'bench.driftline'), { create: true });
  const random = rng(42);
  const urn = (i: number) => `mysql://bench/db${Math.floor(i / WIDTH)}/t${i % WIDTH}#c`;
  try {
    let t = performance.now();
    const BATCH = 50_000;
    for (let start = 0; start < NODES; start += BATCH) {
      store.transaction(() => {
        for (let i = start; i < Math.min(NODES, start + BATCH); i++) store.graph.upsertNode({ urn: urn(i), kind: 'column', name: `c${i}`, source: 'bench' });
      });
    }
    const nodeSecs = (performance.now() - t) / 1000;
    console.log(`insert ${fmt(NODES)} nodes: ${nodeSecs.toFixed(1)} s (${fmt(NODES / nodeSecs)} nodes/s, FTS index maintained)`);

    t = performance.now();
    let edges = 0;
    for (let start = WIDTH; start < NODES; start += BATCH) {
      store.transaction(() => {
        for (let i = start; i < Math.min(NODES, start + BATCH); i++) {
          const layerStart = (Math.floor(i / WIDTH) - 1) * WIDTH;
          for (let k = 0; k < EDGES_PER_NODE; k++) {
            store.graph.upsertEdge({ from: urn(layerStart + Math.floor(random() * WIDTH)), to: urn(i), kind: 'cdc', confidence: 0.9, evidence: { rule: 'bench', detail: 'synthetic' } });
            edges++;
          }
        }
      });
    }
    const edgeSecs = (performance.now() - t) / 1000;
    console.log(`insert ${fmt(edges)} edges: ${edgeSecs.toFixed(1)} s (${fmt(edges / edgeSecs)} edges/s)`);

    const closureMs: number[] = [];
    let sizes = 0;
    for (let i = 0; i < 50; i++) {
      const from = urn(Math.floor(NODES / 2 + random() * (NODES / 2 - 1)));
      const s = performance.now();
      const g = store.graph.closure(from, 'upstream', { depth: 10, limit: 100_000 });
      closureMs.push(performance.now() - s);
      sizes += g.nodes.length;
    }
    console.log(`upstream closure depth 10 (50 random starts): p50 ${pct(closureMs, 0.5).toFixed(1)} ms, p95 ${pct(closureMs, 0.95).toFixed(1)} ms, mean ${fmt(sizes / 50)} nodes reached`);

    const depth5: number[] = [];
    for (let i = 0; i < 200; i++) {
      const s = performance.now();
      store.graph.closure(urn(Math.floor(random() * NODES)), 'downstream', { depth: 3, limit: 100_000 });
      depth5.push(performance.now() - s);
    }
    console.log(`downstream closure depth 3 (200 starts): p50 ${pct(depth5, 0.5).toFixed(2)} ms, p95 ${pct(depth5, 0.95).toFixed(2)} ms`);

    const ftsMs: number[] = [];
    for (let i = 0; i < 100; i++) {
      const q = `t${Math.floor(random() * WIDTH)}#`;
      const s = performance.now();
      store.graph.search(q, 50);
      ftsMs.push(performance.now() - s);
    }
    console.log(`FTS search over ${fmt(NODES)} URNs (100 queries, 50 hits max): p50 ${pct(ftsMs, 0.5).toFixed(2)} ms, p95 ${pct(ftsMs, 0.95).toFixed(2)} ms`);
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
