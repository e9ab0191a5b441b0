import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temp folder for one test file, with DRIFTLINE_HOME pointed inside it so workspace keys and
 * signing keys never touch the developer's real ~/.config/driftline.
 */
export function useTempHome(prefix = 'driftline-test-'): { dir: string; path(name: string): string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.env.DRIFTLINE_HOME = join(dir, 'home');
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
