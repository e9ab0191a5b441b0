import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// A sandboxed preload can require only 'electron', so it is bundled into one self-contained CJS file.
// The main process needs no bundle: electron/main/bootstrap.mjs runs its TypeScript through tsx,
// like the CLI, so migrations and resources resolve from their real paths.
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, 'dist'),
    emptyOutDir: true,
    target: 'node20',
    ssr: true,
    lib: { entry: { preload: resolve(import.meta.dirname, 'preload/index.ts') }, formats: ['cjs'], fileName: () => 'preload.cjs' },
    rollupOptions: { external: ['electron'], output: { codeSplitting: false } },
  },
  ssr: { noExternal: true },
});
