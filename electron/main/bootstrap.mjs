// Electron's entry point: runs the TypeScript main process through tsx (no build step, same as the CLI).
import { register } from 'tsx/esm/api';

register();
await import('./index.ts');
