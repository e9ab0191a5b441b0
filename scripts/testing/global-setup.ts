import { ensureBuilt } from '../build/freshness.mjs';

/**
 * Runs once before the test files: compiles dist/ when its sources changed, so every test that
 * spawns `driftline` (CLI tests, `driftline serve` for the browser tests) runs the code under test,
 * including commands added since the last build, with no extra step.
 */
export default async function setup(): Promise<void> {
  await ensureBuilt({ log: (m) => process.stdout.write(m) });
}
