import { mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join, matchesGlob, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { useTempHome } from '../testing/temp.js';
import type { Metafile } from './build.mjs';
import { DIST, ROOT, ensureBuilt, staleReason } from './freshness.mjs';

/**
 * What the compiled entry points load, read from esbuild's metafile of the last build (dist/meta.json):
 * which chunk imports which chunk or npm package, statically or through a dynamic import().
 */
let meta: Metafile;
beforeAll(async () => {
  await ensureBuilt({ log: () => {} });
  meta = JSON.parse(readFileSync(join(DIST, 'meta.json'), 'utf8')) as Metafile;
});

/** Packages that make a start slow or heavy: only the code that uses them may load them, when it runs. */
const HEAVY_PACKAGES = ['kafkajs', 'mysql2', '@vlasky/zongji', '@aws-sdk/client-s3', '@kubernetes/client-node', 'pdfkit', 'svg-to-pdfkit', 'elkjs', 'avsc', 'protobufjs', 'hyparquet', '@embedpdf/fonts-sc'];
const packageOf = (specifier: string) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const outputOf = (source: string): string => {
  const found = Object.entries(meta.outputs).find(([, o]) => o.entryPoint === source);
  if (!found) throw new Error(`no compiled output for ${source}`);
  return found[0];
};

/** The chunks and npm packages an output loads: statically only, or also through dynamic imports. */
function reach(output: string, { dynamic }: { dynamic: boolean }): { chunks: Set<string>; packages: Set<string> } {
  const chunks = new Set<string>();
  const packages = new Set<string>();
  const stack = [output];
  while (stack.length) {
    const file = stack.pop()!;
    if (chunks.has(file)) continue;
    chunks.add(file);
    for (const i of meta.outputs[file].imports) {
      if (i.kind === 'dynamic-import' && !dynamic) continue;
      if (!i.external) stack.push(i.path);
      else if (!i.path.startsWith('node:') && !builtinModules.includes(i.path)) packages.add(packageOf(i.path));
    }
  }
  return { chunks, packages };
}

describe('compiled entry points', () => {
  it('`driftline --help` loads no npm package at all: commands load when they run', () => {
    const cli = reach(outputOf('scripts/cli/main.ts'), { dynamic: false });
    expect([...cli.packages]).toEqual([]);
    const bytes = [...cli.chunks].reduce((n, f) => n + meta.outputs[f].bytes, 0);
    expect(bytes).toBeLessThan(20_000);
  });

  it('no command and not the Electron main process loads a source SDK, the PDF stack or ELK before it is needed', () => {
    const commands = Object.values(meta.outputs).map((o) => o.entryPoint).filter((e): e is string => !!e && e.startsWith('scripts/cli/commands/'));
    expect(commands).toEqual(expect.arrayContaining(['scripts/cli/commands/scan.ts', 'scripts/cli/commands/findings.ts', 'scripts/cli/commands/lineage.ts', 'scripts/cli/commands/report.ts']));
    for (const entry of [...commands, 'electron/main/index.ts']) {
      const loaded = [...reach(outputOf(entry), { dynamic: false }).packages];
      expect(loaded.filter((p) => HEAVY_PACKAGES.includes(p)), entry).toEqual([]);
    }
  });

  it('still reaches every SDK through a dynamic import (the scan and the report do load them, when they run)', () => {
    const scan = reach(outputOf('scripts/cli/commands/scan.ts'), { dynamic: true }).packages;
    for (const sdk of ['kafkajs', 'mysql2', '@vlasky/zongji', '@aws-sdk/client-s3', '@kubernetes/client-node', 'avsc', 'protobufjs', 'hyparquet']) expect(scan, sdk).toContain(sdk);
    const report = reach(outputOf('scripts/cli/commands/report.ts'), { dynamic: true }).packages;
    for (const lib of ['pdfkit', 'elkjs']) expect(report, lib).toContain(lib);
  });

  it('runs from dist/: `driftline --help` through the package bin', () => {
    const out = execFileSync(process.execPath, [join(ROOT, 'scripts', 'cli', 'bin.mjs'), '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toMatch(/^driftline — /);
    expect(out).toMatch(/\n {2}scan {2,}capture every source/);
  });
});

describe('freshness of dist/', () => {
  const tmp = useTempHome();

  it('is stale when a compiled source changed or vanished, fresh otherwise, and always fresh without sources', () => {
    const root = tmp.path('checkout');
    mkdirSync(join(root, 'scripts', 'cli'), { recursive: true });
    mkdirSync(join(root, 'dist'), { recursive: true });
    writeFileSync(join(root, 'scripts', 'cli', 'main.ts'), 'export {};\n');
    for (const f of ['cli.mjs', 'electron-main.mjs', 'preload.cjs']) writeFileSync(join(root, 'dist', f), '');
    expect(staleReason(root)).toBe('not built yet');
    const builtAt = Date.now();
    writeFileSync(join(root, 'dist', 'build-info.json'), JSON.stringify({ builtAt, inputs: ['scripts/cli/main.ts'] }));
    utimesSync(join(root, 'scripts', 'cli', 'main.ts'), new Date(builtAt - 5000), new Date(builtAt - 5000));
    expect(staleReason(root)).toBeUndefined();
    utimesSync(join(root, 'scripts', 'cli', 'main.ts'), new Date(builtAt + 5000), new Date(builtAt + 5000));
    expect(staleReason(root)).toBe('scripts/cli/main.ts changed');
    writeFileSync(join(root, 'dist', 'build-info.json'), JSON.stringify({ builtAt, inputs: ['scripts/cli/gone.ts'] }));
    expect(staleReason(root)).toBe('scripts/cli/gone.ts was removed');
    const installed = tmp.path('installed');
    mkdirSync(installed, { recursive: true });
    expect(staleReason(installed)).toBeUndefined();
  });

  it('lists every compiled source of this checkout, and this checkout is fresh after the build', () => {
    const info = JSON.parse(readFileSync(join(DIST, 'build-info.json'), 'utf8')) as { inputs: string[] };
    expect(info.inputs).toEqual(expect.arrayContaining(['scripts/cli/main.ts', 'electron/main/index.ts', 'electron/preload/index.ts', 'shared/node/store/workspace.ts']));
    expect(info.inputs.some((i) => i.includes('node_modules/better-sqlite3'))).toBe(false);
    expect(staleReason()).toBeUndefined();
  });
});

describe('the packaged desktop app (electron-builder.yml)', () => {
  const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as { files: string[]; asarUnpack: string[] };
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; dependencies: Record<string, string>; devDependencies: Record<string, string> };
  /** electron-builder's rule: a path ships when it matches an include pattern and no later "!" pattern. */
  const ships = (path: string) => {
    let selected = false;
    for (const pattern of config.files) {
      if (pattern.startsWith('!')) selected &&= !matchesGlob(path, pattern.slice(1)) && !matchesGlob(path, `${pattern.slice(1)}/**`);
      else selected ||= matchesGlob(path, pattern);
    }
    return selected;
  };
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [relative(ROOT, join(dir, d.name))]));

  it('starts the compiled main process, which ships with its chunks and the preload', () => {
    expect(pkg.main).toBe('dist/electron-main.mjs');
    const electronMain = reach(outputOf('electron/main/index.ts'), { dynamic: true });
    expect(electronMain.chunks.size).toBeGreaterThan(1);
    for (const chunk of [...electronMain.chunks, 'dist/preload.cjs']) expect(ships(chunk), chunk).toBe(true);
    for (const data of ['shared/node/store/migrations/001_init.sql', 'renderer/dist/index.html', 'resources/rules/pii/x.yaml', 'package.json']) expect(ships(data), data).toBe(true);
  });

  it('ships no TypeScript source and no build tool: every package the main process can load is a production dependency', () => {
    const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    const candidates = [...tracked, ...walk(DIST)];
    const shipped = candidates.filter(ships);
    expect(shipped.filter((f) => /\.(ts|svelte|tsx)$/.test(f))).toEqual([]);
    expect(shipped).toContain('dist/electron-main.mjs');
    const loaded = reach(outputOf('electron/main/index.ts'), { dynamic: true }).packages;
    for (const p of loaded) {
      if (p === 'electron') continue; // provided by the runtime itself
      expect(pkg.dependencies, `${p} is loaded by the main process but is not a production dependency`).toHaveProperty([p]);
    }
    for (const devOnly of ['tsx', 'esbuild', 'vite', 'vitest']) expect(pkg.dependencies).not.toHaveProperty([devOnly]);
  });
});
