/**
 * The workspace graph at scale (default 1M nodes + ~2M edges, BENCH_NODES to change), every figure
 * beside its anchor measured in the same run on the same rows:
 * - inserts through the Store vs raw prepared better-sqlite3 INSERTs into the same schema (same
 *   indexes and group-count triggers), and what the group counts cost (raw inserts without them);
 * - the FTS index, counted where it is built (the scan builds it after each saved batch);
 * - `graph:overview` from the pre-aggregated group counts vs one GROUP BY pass over the nodes;
 * - upstream closures (depth 10) vs the bare recursive CTE that finds the same ids;
 * - opening the workspace after a clean close vs with quick_check (what every open used to pay).
 * Prints throughputs and ratios; asserts nothing (DESIGN.md: benchmarks, not tests).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupKeyOf } from '../shared/core/model/groups.js';
import { DATA_FLOW_EDGES } from '../shared/node/store/graph-store.js';
import { Store } from '../shared/node/store/index.js';
import { DriftlineService } from '../shared/node/services/driftline-service.js';

const NODES = Number(process.env.BENCH_NODES ?? 1_000_000);
const EDGES_PER_NODE = 2;
const WIDTH = 1000; // nodes per lineage layer (one database per layer: 1,000 groups at 1M)
const BATCH = 50_000;
const EVIDENCE = { rule: 'bench', detail: 'synthetic' };

function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (t: number) => performance.now() - t;
const urn = (i: number) => `mysql://bench/db${Math.floor(i / WIDTH)}/t${i % WIDTH}#c`;
/** The same edges in every run: each node of layer k gets two edges from random nodes of layer k-1. */
function* edgePairs(): Generator<[number, number]> {
  const random = rng(42);
  for (let i = WIDTH; i < NODES; i++) {
    const layerStart = (Math.floor(i / WIDTH) - 1) * WIDTH;
    for (let k = 0; k < EDGES_PER_NODE; k++) yield [layerStart + Math.floor(random() * WIDTH), i];
  }
}

/**
 * The anchor: raw prepared better-sqlite3 statements writing the same rows (every column bound) into
 * a workspace of the same schema; edges repeat, so they upsert as the store does.
 */
function rawWriter(path: string) {
  Store.open(path, { create: true }).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  const node = db.prepare(`INSERT INTO nodes (urn, kind, name, source, region, parent, props_json, pii_json, group_key, first_snapshot, last_snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const edge = db.prepare(`INSERT INTO edges (from_id, to_id, kind, confidence, evidence_json, first_snapshot, last_snapshot) VALUES ((SELECT id FROM nodes WHERE urn = ?), (SELECT id FROM nodes WHERE urn = ?), ?, ?, ?, ?, ?)
    ON CONFLICT (from_id, to_id, kind) DO UPDATE SET confidence = excluded.confidence, evidence_json = excluded.evidence_json, last_snapshot = excluded.last_snapshot`);
  const evidence = JSON.stringify(EVIDENCE);
  // The same search index and group counts as the store's file, built on the same schedule but not
  // timed: both files then grow alike, and only the insert statements are compared.
  const derived = Store.open(path);
  return {
    catchUp: () => derived.transaction(() => derived.graph.refreshDerived()),
    nodes: (from: number, to: number) => db.transaction(() => { for (let i = from; i < to; i++) node.run(urn(i), 'column', `c${i}`, 'bench', null, null, '{}', null, `mysql://bench/db${Math.floor(i / WIDTH)}`, null, null); })(),
    edges: (pairs: [number, number][]) => db.transaction(() => { for (const [a, b] of pairs) edge.run(urn(a), urn(b), 'cdc', 0.9, evidence, null, null); })(),
    close: () => { derived.close(); db.close(); },
  };
}

/** Runs `a` and `b` on the same input, alternating which goes first, so machine load hits both alike. */
function sideBySide(round: number, a: () => void, b: () => void): [number, number] {
  const times = [0, 0];
  const order = round % 2 === 0 ? [0, 1] : [1, 0];
  for (const which of order) {
    const t = performance.now();
    (which === 0 ? a : b)();
    times[which] = ms(t);
  }
  return [times[0], times[1]];
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-'));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  const path = join(dir, 'bench.driftline');
  try {
    const raw = rawWriter(join(dir, 'raw.driftline'));
    const store = Store.open(path, { create: true });
    // Batches as the scan saves them: each in a transaction, derived indexes brought up to date after it.
    const time = { storeNodes: 0, rawNodes: 0, storeEdges: 0, rawEdges: 0, fts: 0, groups: 0 };
    const derived = () => {
      let t = performance.now();
      store.transaction(() => store.graph.indexSearch());
      time.fts += ms(t);
      t = performance.now();
      store.transaction(() => store.graph.refreshGroupCounts());
      time.groups += ms(t);
      raw.catchUp();
    };
    let round = 0;
    for (let start = 0; start < NODES; start += BATCH) {
      const end = Math.min(NODES, start + BATCH);
      const [s, r] = sideBySide(round++,
        () => store.transaction(() => { for (let i = start; i < end; i++) store.graph.upsertNode({ urn: urn(i), kind: 'column', name: `c${i}`, source: 'bench' }); }),
        () => raw.nodes(start, end));
      time.storeNodes += s;
      time.rawNodes += r;
      derived();
    }
    let edges = 0;
    const pairs = edgePairs();
    for (let done = false; !done;) {
      const chunk: [number, number][] = [];
      for (let n = 0; n < BATCH * EDGES_PER_NODE; n++) {
        const next = pairs.next();
        if (next.done) { done = true; break; }
        chunk.push(next.value);
      }
      if (chunk.length === 0) break;
      const [s, r] = sideBySide(round++,
        () => store.transaction(() => { for (const [a, b] of chunk) store.graph.upsertEdge({ from: urn(a), to: urn(b), kind: 'cdc', confidence: 0.9, evidence: EVIDENCE }); }),
        () => raw.edges(chunk));
      time.storeEdges += s;
      time.rawEdges += r;
      edges += chunk.length;
      derived();
    }
    raw.close();
    const rate = (n: number, msTotal: number) => fmt(n / (msTotal / 1000));
    console.log(`insert ${fmt(NODES)} nodes: store ${rate(NODES, time.storeNodes)}/s vs raw prepared INSERT ${rate(NODES, time.rawNodes)}/s → ${(time.rawNodes / time.storeNodes).toFixed(2)}× raw (same schema, batches of ${fmt(BATCH)} alternated)`);
    console.log(`insert ${fmt(edges)} edges: store ${rate(edges, time.storeEdges)}/s vs raw prepared INSERT ${rate(edges, time.rawEdges)}/s → ${(time.rawEdges / time.storeEdges).toFixed(2)}× raw (URN → id lookups in both)`);
    console.log(`brought up to date after each batch, as the scan does: search index ${(time.fts / 1000).toFixed(1)} s, group counts ${(time.groups / 1000).toFixed(1)} s → store with them ${rate(NODES + edges, time.storeNodes + time.storeEdges + time.fts + time.groups)} rows/s (raw inserts alone ${rate(NODES + edges, time.rawNodes + time.rawEdges)} rows/s)`);

    let t = performance.now();
    const service = new DriftlineService(store);
    const overviewMs: number[] = [];
    let groups = 0;
    for (let i = 0; i < 5; i++) {
      t = performance.now();
      const r = await service.call('graph:overview', {});
      overviewMs.push(ms(t));
      groups = r.groups.length;
    }
    t = performance.now();
    store.db.prepare(`SELECT group_key, count(*), count(pii_json) FROM nodes GROUP BY group_key`).all();
    const groupByMs = ms(t);
    console.log(`graph:overview at ${fmt(NODES)} nodes (${fmt(groups)} groups): p50 ${pct(overviewMs, 0.5).toFixed(1)} ms from group counts; anchor: one GROUP BY pass over the nodes ${fmt(groupByMs)} ms`);

    const random = rng(7);
    const starts = Array.from({ length: 50 }, () => urn(Math.floor(NODES / 2 + random() * (NODES / 2 - 1))));
    const kinds = DATA_FLOW_EDGES.map(() => '?').join(',');
    const bareCte = store.db.prepare(`WITH RECURSIVE walk(id, depth) AS (
        SELECT id, 0 FROM nodes WHERE urn = ?
        UNION SELECT e.from_id, w.depth + 1 FROM walk w JOIN edges e ON e.to_id = w.id WHERE w.depth < ? AND e.kind IN (${kinds}))
      SELECT id FROM walk GROUP BY id ORDER BY MIN(depth) LIMIT ?`).pluck();
    const cteMs: number[] = [];
    const closureMs: number[] = [];
    let reached = 0;
    for (const start of starts) {
      t = performance.now();
      reached += bareCte.all(start, 10, ...DATA_FLOW_EDGES, 100_001).length;
      cteMs.push(ms(t));
      t = performance.now();
      store.graph.closure(start, 'upstream', { depth: 10, limit: 100_000 });
      closureMs.push(ms(t));
    }
    console.log(`upstream closure depth 10 (50 starts, mean ${fmt(reached / starts.length)} nodes): p50 ${pct(closureMs, 0.5).toFixed(1)} ms, p95 ${pct(closureMs, 0.95).toFixed(1)} ms; bare recursive CTE (ids only) p50 ${pct(cteMs, 0.5).toFixed(1)} ms → ${(pct(closureMs, 0.5) / pct(cteMs, 0.5)).toFixed(1)}× the CTE (nodes and edges loaded and parsed)`);

    const ftsMs: number[] = [];
    for (let i = 0; i < 100; i++) {
      const q = `t${Math.floor(random() * WIDTH)}#`;
      t = performance.now();
      store.graph.search(q, 50);
      ftsMs.push(ms(t));
    }
    console.log(`FTS search over ${fmt(NODES)} URNs (100 queries, 50 hits max): p50 ${pct(ftsMs, 0.5).toFixed(2)} ms, p95 ${pct(ftsMs, 0.95).toFixed(2)} ms (index already built)`);
    store.close();

    t = performance.now();
    Store.open(path, { readOnly: true }).close();
    const cleanOpen = ms(t);
    t = performance.now();
    Store.open(path, { readOnly: true, integrityCheck: 'always' }).close();
    const checkedOpen = ms(t);
    console.log(`open after a clean close: ${cleanOpen.toFixed(1)} ms; with quick_check (after a crash, or on demand): ${fmt(checkedOpen)} ms (${(statSync(path).size / 2 ** 20).toFixed(0)} MB workspace)`);
    console.log(`peak RSS of this bench: ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
