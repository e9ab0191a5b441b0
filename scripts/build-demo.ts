/**
 * Builds resources/demo/demo.driftline from the captures in resources/demo/inputs, by running the
 * real scan pipeline on them (no row is written by hand): first the cluster as it was on 1 November,
 * then every source as it is now, so the demo has a timeline, drift, lineage and findings.
 * Run: npm run demo:build   (npm start runs it on first start)
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readSourcesFile, runScan, Store } from '../shared/node/services/index.js';
import { DEMO_WORKSPACE, ROOT } from './cli/paths.js';

const INPUTS = join(ROOT, 'resources', 'demo', 'inputs');
export { DEMO_WORKSPACE };

/** Replays gitops/commits/NNN into a real git repository, one commit each, with its author and date. */
export function buildGitopsRepo(target = join(INPUTS, '.gitops-repo')): string {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const git = (args: string[], env: Record<string, string> = {}) => execFileSync('git', args, { cwd: target, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  git(['init', '-q', '-b', 'main']);
  const commitsDir = join(INPUTS, 'gitops', 'commits');
  for (const n of readdirSync(commitsDir).sort()) {
    const meta = JSON.parse(readFileSync(join(commitsDir, n, 'commit.json'), 'utf8')) as { author: string; email: string; date: string; message: string };
    for (const entry of readdirSync(target)) if (entry !== '.git') rmSync(join(target, entry), { recursive: true, force: true });
    cpSync(join(commitsDir, n, 'tree'), target, { recursive: true });
    git(['add', '-A']);
    git(['commit', '-q', '-m', meta.message], {
      GIT_AUTHOR_NAME: meta.author, GIT_AUTHOR_EMAIL: meta.email, GIT_AUTHOR_DATE: meta.date,
      GIT_COMMITTER_NAME: meta.author, GIT_COMMITTER_EMAIL: meta.email, GIT_COMMITTER_DATE: meta.date,
    });
  }
  return target;
}

const LOCK = join(tmpdir(), 'driftline-demo-build.lock');
const LOCK_WAIT_MS = 300_000;
const LOCK_STALE_MS = 600_000;

/**
 * Runs `build` while holding a lock shared by every process on this machine: the build replays the
 * GitOps history into a fixed folder (resources/demo/inputs/.gitops-repo, named by sources.yaml), so
 * two builds at once — vitest runs test files in parallel — would collide. A lock older than ten
 * minutes is from a run that died and is taken over; the wait is bounded.
 */
async function withDemoBuildLock<T>(build: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > LOCK_STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released between the two calls: try again.
      }
      if (Date.now() - started > LOCK_WAIT_MS) throw new Error(`another demo build has held ${LOCK} for over ${LOCK_WAIT_MS / 1000} s; remove it if no build is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await build();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds the demo workspace into `out` from the captures, one build at a time on this machine. */
export function buildDemo(out = DEMO_WORKSPACE, options: { quiet?: boolean } = {}): Promise<void> {
  return withDemoBuildLock(() => buildDemoUnlocked(out, options));
}

async function buildDemoUnlocked(out: string, options: { quiet?: boolean }): Promise<void> {
  const log = options.quiet ? () => {} : console.log;
  buildGitopsRepo();
  for (const suffix of ['', '-wal', '-shm']) rmSync(out + suffix, { force: true });
  mkdirSync(dirname(out), { recursive: true });
  const store = Store.open(out, { create: true });
  try {
    for (const file of ['sources-2026-11-01.yaml', 'sources.yaml']) {
      const sources = readSourcesFile(join(INPUTS, file));
      const result = await runScan({
        store,
        sources: sources.sources.map((s) => ({ name: s.name, kind: s.kind, region: s.region, config: s.config, baseDir: sources.baseDir })),
        onProgress: (p) => { if (p.phase === 'done' || p.phase === 'failed') log(`  ${p.source}: ${p.phase} (${p.done})${p.item && p.phase === 'failed' ? ` ${p.item}` : ''}`); },
      });
      for (const s of result.snapshots) if (s.status !== 'complete') throw new Error(`${s.source}: ${s.status} — ${s.report.error ?? 'see the scan report'}`);
    }
    const counts = store.graph.counts();
    log(`demo workspace: ${out}\n  ${counts.nodes} nodes, ${counts.edges} edges, findings: ${JSON.stringify(store.findings.countsBySeverity())}`);
  } finally {
    store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!existsSync(INPUTS)) throw new Error(`${INPUTS} is missing`);
  await buildDemo();
}
