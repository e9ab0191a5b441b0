import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../core/api/errors.js';
import type { ApiDocResource } from '../../core/explain/api-docs.js';
import { ReferenceTranslator } from '../../core/explain/translate.js';

const RESOURCE = join('resources', 'explain', 'k8s-api-docs.json');
let cached: { docs: ApiDocResource; translator: ReferenceTranslator } | undefined;

/** Where the app's resources are: walking up from this module (source tree or compiled build). */
function resourcePath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, RESOURCE);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) throw new AppError('INTERNAL', `the offline Kubernetes API reference (${RESOURCE}) is missing from this installation; regenerate it with "npm run explain:build"`);
    dir = up;
  }
}

/** The offline API reference (generated from the official zh-CN pages) and its translator, read once. */
export function apiReference(): { docs: ApiDocResource; translator: ReferenceTranslator } {
  if (!cached) {
    const docs = JSON.parse(readFileSync(resourcePath(), 'utf8')) as ApiDocResource;
    cached = { docs, translator: new ReferenceTranslator(docs) };
  }
  return cached;
}
