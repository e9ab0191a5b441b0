/**
 * The CLI straight from its TypeScript sources, for development (no build step, slower start):
 *   node --import tsx scripts/cli/dev.ts <command> …
 * Everything else runs the compiled CLI (scripts/cli/bin.mjs).
 */
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
