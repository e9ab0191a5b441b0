/**
 * How fast the compiled `driftline` command starts and answers, against `node -e 0` measured in the
 * same run (the floor: starting Node itself). On the demo workspace (built if missing):
 *   driftline --help, driftline findings --json, driftline lineage <urn> --json
 * Median wall time of several runs each, and the peak RSS of the process. Targets (issue #16):
 * each ≤ 0.5 s wall here, --help ≤ 80 MB. Prints figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../scripts/build/freshness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 9);
const BIN = join(ROOT, 'scripts', 'cli', 'bin.mjs');
const DEMO = join(ROOT, 'resources', 'demo', 'demo.driftline');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function run(): Promise<void> {
  await ensureBuilt();
  if (!existsSync(DEMO)) {
    const { buildDemo } = await import('../scripts/build-demo.js');
    await buildDemo(DEMO, { quiet: true });
  }
  const dir = mkdtempSync(join(tmpdir(), 'driftline-bench-cli-'));
  // A preload that records the process's peak RSS when it exits (no output of its own on stdout).
  const rssHook = join(dir, 'rss.mjs');
  writeFileSync(rssHook, `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n`);
  const rssFile = join(dir, 'rss');
  const measure = (args: string[]) => {
    const walls: number[] = [];
    const rss: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, ['--import', rssHook, ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, BENCH_RSS_FILE: rssFile }, maxBuffer: 64 * 1024 * 1024 });
      walls.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
      rss.push(Number(readFileSync(rssFile, 'utf8')) / 1024);
    }
    return { wall: median(walls), rss: Math.max(...rss) };
  };
  try {
    const floor = measure(['-e', '0']);
    console.log(`anchor: node -e 0 — ${floor.wall.toFixed(0)} ms, ${floor.rss.toFixed(0)} MB peak RSS (median of ${RUNS})`);
    const commands: [string, string[]][] = [
      ['driftline --help', ['--help']],
      ['driftline findings --json (demo)', ['findings', '--workspace', DEMO, '--json']],
      ['driftline lineage <urn> --json (demo)', ['lineage', '--workspace', DEMO, 'mysql://shop-db/shop/users#phone', '--json']],
      ['driftline check (demo)', ['check', '--workspace', DEMO]],
    ];
    for (const [label, args] of commands) {
      const m = measure([BIN, ...args]);
      console.log(`${label.padEnd(40)} ${m.wall.toFixed(0).padStart(5)} ms (${(m.wall / floor.wall).toFixed(1)}× node -e 0), ${m.rss.toFixed(0)} MB peak RSS`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
