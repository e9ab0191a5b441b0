import { defineConfig } from 'vite';
import { resolve } from 'node:path';

// Electron loads main as CommonJS and a sandboxed preload as one self-contained script, so both are
// bundled here (electron and Node built-ins stay external).
export default defineConfig({
  build: {
    outDir: resolve(__dirname, 'dist'),
    emptyOutDir: true,
    target: 'node20',
    ssr: true,
    lib: {
      entry: { main: resolve(__dirname, 'main/index.ts'), preload: resolve(__dirname, 'preload/index.ts') },
      formats: ['cjs'],
      fileName: (_format, name) => `${name}.cjs`,
    },
    rollupOptions: { external: ['electron', 'better-sqlite3', /^node:/] },
  },
});
