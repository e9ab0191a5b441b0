import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', '.bin', 'depcruise');

/** Runs the project's real rules over a tiny tree; returns the violated rule names. */
function violations(files: Record<string, string>): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'driftline-lint-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', allowJs: true } }));
  let out: string;
  try {
    const roots = [...new Set(Object.keys(files).map((p) => p.split('/')[0]))];
    out = execFileSync(DEPCRUISE, ['--config', '.dependency-cruiser.cjs', '--output-type', 'json', ...roots], { cwd: dir, encoding: 'utf8' });
  } catch (err) {
    out = (err as { stdout: string }).stdout;
  }
  const result = JSON.parse(out) as { summary: { violations: { rule: { name: string } }[] } };
  return result.summary.violations.map((v) => v.rule.name).sort();
}

describe('import rules (npm run lint)', () => {
  // Each row is a violation DESIGN.md forbids; the lint must name the rule.
  const rows: { why: string; files: Record<string, string>; rule: string }[] = [
    { why: 'core must not use Node built-ins', files: { 'shared/core/a.ts': `import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n` }, rule: 'core-is-portable' },
    { why: 'core must not import shared/node', files: { 'shared/core/a.ts': `import { b } from '../node/b';\nexport const a = b;\n`, 'shared/node/b.ts': `export const b = 1;\n` }, rule: 'core-stays-in-core' },
    { why: 'the renderer must not import Node code', files: { 'renderer/src/a.ts': `import { b } from '../../shared/node/b';\nexport const a = b;\n`, 'shared/node/b.ts': `export const b = 1;\n` }, rule: 'renderer-only-core' },
    { why: 'sources yield data, they never import the store', files: { 'shared/node/sources/x/index.ts': `import { s } from '../../store/s';\nexport const x = s;\n`, 'shared/node/store/s.ts': `export const s = 1;\n` }, rule: 'sources-yield-not-store' },
    { why: 'shared must not import scripts', files: { 'shared/node/a.ts': `import { c } from '../../scripts/c';\nexport const a = c;\n`, 'scripts/c.ts': `export const c = 1;\n` }, rule: 'shared-never-imports-hosts' },
  ];
  it.each(rows)('flags: $why', ({ files, rule }) => {
    expect(violations(files)).toContain(rule);
  });

  it('passes a tree that follows the rules', () => {
    expect(violations({ 'shared/core/a.ts': `import { b } from './b';\nexport const a = b;\n`, 'shared/core/b.ts': `export const b = 1;\n`, 'shared/node/c.ts': `import { a } from '../core/a';\nexport const c = a;\n` })).toEqual([]);
  });
});
