/**
 * Drift prediction on a real GitOps history: ../shared/corpora/gitops-history (4,487 commits of the
 * kubernetes/ folder of bjw-s-labs/home-ops, 2025-01 → 2026-08, Apache-2.0, people pseudonymised).
 * The bundle is cloned, scanned as a git source (the same capture as `driftline scan`), and backtested
 * with rolling origins (train on history before each test block, forecast 72 h ahead, no look-ahead):
 * ROC AUC, precision@10, recall@10 and Brier for all objects and for ConfigMaps, next to the two
 * baselines "most recently changed first" and "most frequently changed first".
 * Run: node --import tsx bench/predict.bench.ts   (the scanned workspace is cached in the temp folder,
 * keyed by the bundle's hash and the git source's code, so a re-run only repeats the backtest)
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Store, runScan, backtestChanges } from '../shared/node/services/index.js';
import { loadHistory } from '../shared/node/services/predict.js';
import { corpus } from '../scripts/testing/corpora.js';
import { formatBacktest } from '../scripts/cli/commands/predict.js';

/** A commit changing this many objects at once is a bulk update (see the test-window line). */
const BULK_COMMIT = 20;
const here = fileURLToPath(new URL('.', import.meta.url));

function hashOf(paths: string[]): string {
  const h = createHash('sha256');
  for (const p of paths) h.update(readFileSync(p));
  return h.digest('hex').slice(0, 16);
}

async function scannedWorkspace(): Promise<{ path: string; cached: boolean; seconds: number }> {
  const bundle = corpus('gitops-history', 'home-ops-kubernetes-2025.bundle');
  const gitCode = readdirSync(join(here, '../shared/node/sources/git')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => join(here, '../shared/node/sources/git', f));
  const key = hashOf([bundle, ...gitCode, join(here, '../shared/node/services/config-versions.ts')]);
  const dir = join(tmpdir(), `driftline-bench-gitops-${key}`);
  const workspace = join(dir, 'home-ops.driftline');
  if (existsSync(join(dir, 'done'))) return { path: workspace, cached: true, seconds: 0 };
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync('git', ['clone', '-q', '-b', 'slice', bundle, join(dir, 'repo')]);
  const started = Date.now();
  const store = Store.open(workspace, { create: true });
  try {
    store.upsertSource({ name: 'home-ops', kind: 'git', region: 'eu-west-1', config: { name: 'home-ops', kind: 'git', region: 'eu-west-1', path: join(dir, 'repo') }, baseDir: dir });
    const r = await runScan({ store, sources: store.sources(), analyze: false });
    const snap = r.snapshots[0];
    console.log(`scanned ${snap.stats.config ?? 0} desired versions from the history (${snap.report.failures.length + snap.report.dropped.failures} items failed, ${snap.report.warnings.length + snap.report.dropped.warnings} warnings) in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    store.close();
  }
  writeFileSync(join(dir, 'done'), new Date().toISOString());
  return { path: workspace, cached: false, seconds: (Date.now() - started) / 1000 };
}

export async function run(): Promise<void> {
  const ws = await scannedWorkspace();
  console.log(`workspace: ${ws.path}${ws.cached ? ' (cached scan)' : ''}`);
  // A cache from before a schema migration is upgraded once (a writable open migrates it).
  Store.open(ws.path).close();
  const store = Store.open(ws.path, { readOnly: true });
  try {
    const started = Date.now();
    const report = backtestChanges(store, { horizonHours: 72, kinds: ['ConfigMap', 'HelmRelease', 'OCIRepository', 'Kustomization'] });
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(formatBacktest(report));
    const all = report.subsets[0];
    const cm = report.subsets.find((s) => s.subset === 'ConfigMap')!;
    const ratio = (a: number | null, b: number | null) => (a !== null && b ? (a / b).toFixed(2) : 'n/a');
    console.log(`\nsummary: all objects AUC ${all.model.auc?.toFixed(3)} vs recency ${all.recency.auc?.toFixed(3)} (×${ratio(all.model.auc, all.recency.auc)}) and frequency ${all.frequency.auc?.toFixed(3)}; precision@10 ${all.model.precisionAt10?.toFixed(3)} vs ${all.recency.precisionAt10?.toFixed(3)} / ${all.frequency.precisionAt10?.toFixed(3)}`);
    console.log(`summary: ConfigMaps AUC ${cm.model.auc?.toFixed(3)} vs recency ${cm.recency.auc?.toFixed(3)} and frequency ${cm.frequency.auc?.toFixed(3)}; precision@10 ${cm.model.precisionAt10?.toFixed(3)} (best possible ${cm.precisionAt10Ceiling?.toFixed(3)}: ${cm.positives} ConfigMap changes in ${report.origins} windows)`);
    // Why the ceiling is what it is: changes that arrive in one commit with dozens of others (a shared
    // chart bumped everywhere when upstream releases it, a refactor) are timed by events outside the history.
    const history = loadHistory(store);
    const from = Date.parse(report.testFrom);
    const bySize = new Map<string, number>();
    for (const c of history.changes) bySize.set(c.group, (bySize.get(c.group) ?? 0) + 1);
    const tested = history.changes.filter((c) => c.time > from && c.change !== 'added');
    const bulk = tested.filter((c) => (bySize.get(c.group) ?? 0) >= BULK_COMMIT);
    console.log(`test window: ${bulk.length.toLocaleString('en')} of ${tested.length.toLocaleString('en')} changes (${((100 * bulk.length) / Math.max(1, tested.length)).toFixed(0)}%) came in ${new Set(bulk.map((c) => c.group)).size} commits that changed ${BULK_COMMIT} or more objects at once`);
    console.log(`backtest: ${report.origins} origins, ${all.samples.toLocaleString('en')} object-windows in ${seconds.toFixed(1)} s = ${Math.round(all.samples / seconds).toLocaleString('en')} forecasts/s (retrains: ${report.retrains}, trees ${report.trees.join('/')})`);
  } finally {
    store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
