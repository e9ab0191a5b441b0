import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository/install root (two levels above scripts/cli). */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIST = join(ROOT, 'renderer', 'dist');
export const DEMO_WORKSPACE = join(ROOT, 'resources', 'demo', 'demo.driftline');

export const rendererBuilt = () => existsSync(join(RENDERER_DIST, 'index.html'));
