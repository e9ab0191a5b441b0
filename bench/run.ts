/**
 * `npm run bench`: runs every benchmark and prints its figures (throughputs and ratios).
 * Benchmarks are not tests: nothing here asserts on time. Run one alone with
 * `node --import tsx bench/<name>.bench.ts`, or name some: `npm run bench -- store pii`.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort()
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const started = Date.now();
  try {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { run?: () => Promise<void> };
    if (typeof mod.run !== 'function') throw new Error('exports no run()');
    await mod.run();
    console.log(`(${file}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  } catch (err) {
    console.log(`${file} FAILED: ${(err as Error).stack ?? err}`);
    process.exitCode = 1;
  }
}
