import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The install root: the nearest folder above this module whose package.json is Driftline's. The same
 * code runs from its TypeScript sources (vitest, tsx) and compiled into dist/ (CLI, Electron main,
 * inside an asar archive), at different depths, so files shipped beside the code (migrations, rule
 * packs, the built studio) are found from the root, never by counting `..`.
 */
export function appRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 32; i++) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && isDriftlineManifest(manifest)) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`Driftline's package.json was not found above ${fileURLToPath(import.meta.url)}; reinstall Driftline`);
}

function isDriftlineManifest(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === 'driftline';
  } catch {
    return false;
  }
}
