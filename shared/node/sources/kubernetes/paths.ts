import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** Resolves a path from sources.yaml: `~/` is the home directory; relative paths are relative to sources.yaml's directory. */
export function resolveConfigPath(p: string, baseDir: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return isAbsolute(p) ? p : resolve(baseDir, p);
}
