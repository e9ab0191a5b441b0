// Is dist/ up to date with the TypeScript it was compiled from? Cheap enough for every launch: one
// small JSON read and a stat per source file (~300), no compiler loaded. Plain JavaScript because it
// runs before anything is compiled.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or install) root: two folders above scripts/build. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Where the compiled entry points and their chunks go. */
export const DIST = join(ROOT, 'dist');
/** What the last build read: `{ builtAt, inputs: [root-relative paths] }`. */
export const BUILD_INFO = join(DIST, 'build-info.json');
/** The files every build must produce; a launch needs them all. */
export const ENTRY_FILES = ['cli.mjs', 'electron-main.mjs', 'preload.cjs'];

/**
 * Why `<root>/dist` must be (re)built, or undefined when it is fresh. An install without sources
 * (the packaged app) is always fresh: there is nothing to build from.
 */
export function staleReason(root = ROOT) {
  if (!existsSync(join(root, 'scripts', 'cli', 'main.ts'))) return undefined;
  const dist = join(root, 'dist');
  const buildInfo = join(dist, 'build-info.json');
  if (!ENTRY_FILES.every((f) => existsSync(join(dist, f))) || !existsSync(buildInfo)) return 'not built yet';
  let info;
  try {
    info = JSON.parse(readFileSync(buildInfo, 'utf8'));
  } catch {
    return 'build-info.json is unreadable';
  }
  if (!Array.isArray(info.inputs) || typeof info.builtAt !== 'number') return 'build-info.json is from another version';
  for (const input of info.inputs) {
    let mtime;
    try {
      mtime = statSync(join(root, input)).mtimeMs;
    } catch {
      return `${input} was removed`;
    }
    if (mtime > info.builtAt) return `${input} changed`;
  }
  return undefined;
}

const LOCK = join(ROOT, '.cache', 'build.lock');
const LOCK_STALE_MS = 120_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds dist/ when it is missing or older than its sources, so `npm start`, `npx driftline` and
 * every test that spawns the CLI run what the sources say. Concurrent launches (test workers) build
 * once: the first takes a lock folder, the others wait for it (bounded) and re-check.
 */
export async function ensureBuilt({ log = (m) => process.stderr.write(m) } = {}) {
  const deadline = Date.now() + LOCK_STALE_MS;
  for (;;) {
    const reason = staleReason();
    if (!reason) return false;
    mkdirSync(dirname(LOCK), { recursive: true });
    try {
      mkdirSync(LOCK);
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      // Someone else is building. A lock older than LOCK_STALE_MS was left by a killed build.
      let age = 0;
      try {
        age = Date.now() - statSync(LOCK).mtimeMs;
      } catch {
        continue;
      }
      if (age > LOCK_STALE_MS || Date.now() > deadline) rmSync(LOCK, { recursive: true, force: true });
      else await sleep(100);
      continue;
    }
    try {
      if (!staleReason()) return false;
      log(`driftline: compiling (${reason})…\n`);
      const { build } = await import('./build.mjs');
      await build({ clean: false });
      return true;
    } finally {
      rmSync(LOCK, { recursive: true, force: true });
    }
  }
}
