import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { fileURLToPath } from 'node:url';

const rendererRoot = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = fileURLToPath(new URL('..', import.meta.url));

/**
 * The studio's build. `base: './'` because the same files are loaded from file:// by Electron and
 * from http://127.0.0.1 by `driftline serve`. elkjs is imported only by the layout worker, so its
 * 1.6 MB stays out of the main bundle and is fetched when the first layout is needed.
 */
export default defineConfig({
  root: rendererRoot,
  base: './',
  plugins: [svelte()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The worker chunk carries elkjs (~1.6 MB) on purpose; warn only above that.
    chunkSizeWarningLimit: 2000,
    sourcemap: false,
  },
  worker: { format: 'es' },
  server: { fs: { allow: [repoRoot] } },
});
