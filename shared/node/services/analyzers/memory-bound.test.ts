import { spawnSync } from 'node:child_process';
import { copyFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTempHome } from '../../../../scripts/testing/temp.js';

const tmp = useTempHome();
afterAll(() => tmp.cleanup());

const ROOT = resolve(import.meta.dirname, '..', '..', '..', '..');
const CHILD = resolve(ROOT, 'scripts', 'testing', 'scale-child.ts');
/** A generated estate of this many nodes (most of them plain columns), captured by the real scan. */
const NODES = 200_000;
/**
 * The heap cap for the analyzers' process. Measured here: over this estate the streamed analyzers
 * run in 96 MB of heap, reading the whole graph as before needs more than 192 MB — the cap sits
 * between, so the bound shows, and a change that loads the whole graph again fails this test.
 */
const HEAP_MB = 128;

function child(args: string[], heapMb?: number) {
  const r = spawnSync(process.execPath, [...(heapMb ? [`--max-old-space-size=${heapMb}`] : []), '--import', 'tsx', CHILD, ...args], {
    cwd: ROOT, encoding: 'utf8', timeout: 300_000, env: { ...process.env }, maxBuffer: 16 * 2 ** 20,
  });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return { status: r.status, signal: r.signal, stderr: r.stderr, out: last.startsWith('{') ? (JSON.parse(last) as Record<string, unknown>) : undefined };
}

describe('analyzer memory is bounded by what carries data, not by the workspace', () => {
  let estate: string;
  beforeAll(() => {
    estate = tmp.path('estate.driftline');
    const r = child([estate, '--scan', String(NODES)]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.out?.nodes).toBeGreaterThanOrEqual(NODES * 0.95);
  }, 300_000);

  it(`runs every analyzer over a ${NODES.toLocaleString('en-US')}-node workspace in ${HEAP_MB} MB of heap`, () => {
    const copy = tmp.path('streamed.driftline');
    copyFileSync(estate, copy);
    const r = child([copy, '--analyze', 'streamed'], HEAP_MB);
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    expect(r.out?.errors).toEqual({});
    expect(r.out?.findings).toBeGreaterThan(1000);
  }, 300_000);

  it('where reading the whole graph into memory, as the analyzers did before, runs out of heap', () => {
    const copy = tmp.path('whole.driftline');
    copyFileSync(estate, copy);
    const r = child([copy, '--analyze', 'whole'], HEAP_MB);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/heap out of memory/i);
  }, 300_000);
});
