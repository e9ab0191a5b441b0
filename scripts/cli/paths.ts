import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { appRoot } from '../../shared/node/services/index.js';

/** The repository/install root (found by its package.json: this code also runs compiled from dist/). */
export const ROOT = appRoot();
export const RENDERER_DIST = join(ROOT, 'renderer', 'dist');
export const DEMO_WORKSPACE = join(ROOT, 'resources', 'demo', 'demo.driftline');

export const rendererBuilt = () => existsSync(join(RENDERER_DIST, 'index.html'));
