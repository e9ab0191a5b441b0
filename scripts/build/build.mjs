// Compiles Driftline's Node entry points ahead of time (esbuild), so no command pays for TypeScript
// compilation when it starts (DESIGN.md "Build"):
//   dist/cli.mjs            the `driftline` command (scripts/cli/main.ts)
//   dist/electron-main.mjs  the Electron main process (electron/main/index.ts)
//   dist/chunks/*.mjs       code shared by them or loaded on demand (one chunk per dynamic import)
//   dist/preload.cjs        the sandboxed preload: one CommonJS file that requires only 'electron'
// npm packages stay external (loaded from node_modules as they are), so a package is loaded only
// when a chunk that imports it is: a source's SDK is imported by the chunk of its capture code.
//
// Run: node scripts/build/build.mjs      (npm run build; `driftline` builds by itself when stale)
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUILD_INFO, DIST, ROOT } from './freshness.mjs';

/** The ESM entry points, by output name. */
export const ENTRIES = {
  cli: 'scripts/cli/main.ts',
  'electron-main': 'electron/main/index.ts',
};
export const PRELOAD_ENTRY = 'electron/preload/index.ts';

/**
 * npm packages compiled into the chunks instead of loaded from node_modules: pure ESM libraries
 * that every command needs, whose hundreds of small files cost more to load one by one (zod alone
 * ~130 ms) than bundled. Everything else stays external: native modules (better-sqlite3), Electron,
 * and the SDKs and PDF stack, which only the chunks of the code that uses them import.
 */
export const BUNDLED_PACKAGES = ['zod', 'yaml'];

/** The npm package a bare import names: `@aws-sdk/client-s3/x` → `@aws-sdk/client-s3`. */
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** Keeps every npm package external except {@link BUNDLED_PACKAGES}. */
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || BUNDLED_PACKAGES.includes(packageOf(args.path))) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/** Writes a file whole or not at all: a process starting meanwhile never reads half a chunk. */
function writeAtomically(path, contents) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, contents);
  renameSync(tmp, path);
}

/**
 * Builds dist/. `clean` first removes it (npm run build); the automatic rebuild of a stale dist/
 * keeps old chunks, because a process started from the previous build may still load one lazily.
 * Returns esbuild's metafile of the ESM build (which chunk imports what), used by the tests.
 */
export async function build({ clean = true } = {}) {
  const esbuild = await import('esbuild');
  const builtAt = Date.now();
  if (clean) rmSync(DIST, { recursive: true, force: true });
  const common = {
    absWorkingDir: ROOT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    sourcemap: 'linked',
    legalComments: 'none',
    logLevel: 'warning',
  };
  const [main, preload] = await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ENTRIES,
      format: 'esm',
      splitting: true,
      plugins: [externalPackages],
      outdir: DIST,
      outExtension: { '.js': '.mjs' },
      chunkNames: 'chunks/[name]-[hash]',
      // A bundled CommonJS package (yaml's Node build) calls require() for Node built-ins; ESM has none.
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    }),
    esbuild.build({ ...common, entryPoints: { preload: PRELOAD_ENTRY }, format: 'cjs', external: ['electron'], outdir: DIST, outExtension: { '.js': '.cjs' } }),
  ]);
  // Chunks first, entry points last: an entry never names a chunk that is not on disk yet.
  const files = [...main.outputFiles, ...preload.outputFiles];
  const isEntry = (p) => !relative(DIST, p).startsWith('chunks');
  for (const f of files.filter((f) => !isEntry(f.path))) writeAtomically(f.path, f.contents);
  for (const f of files.filter((f) => isEntry(f.path))) writeAtomically(f.path, f.contents);
  const inputs = [...new Set([...Object.keys(main.metafile.inputs), ...Object.keys(preload.metafile.inputs)])].sort();
  writeAtomically(join(DIST, 'meta.json'), JSON.stringify(main.metafile));
  writeAtomically(BUILD_INFO, JSON.stringify({ builtAt, inputs }, null, 1));
  return main.metafile;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  await build({ clean: true });
  process.stdout.write(`dist/ built in ${Date.now() - started} ms\n`);
}
