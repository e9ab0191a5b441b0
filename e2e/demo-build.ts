import { mkdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemo } from '../scripts/build-demo.js';

const LOCK = join(tmpdir(), 'driftline-demo-build.lock');
const WAIT_MS = 300_000;
const STALE_MS = 600_000;

/**
 * Builds the demo workspace into `out`, one build at a time across test files: the build works in
 * a fixed folder under resources/demo/inputs, so two at once (vitest runs files in parallel) collide.
 * A lock older than ten minutes is from a run that died and is taken over.
 */
export async function buildDemoExclusive(out: string): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released between the two calls: try again.
      }
      if (Date.now() - started > WAIT_MS) throw new Error(`another demo build has held ${LOCK} for over ${WAIT_MS / 1000} s; remove it if no test is running`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await buildDemo(out, { quiet: true });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
