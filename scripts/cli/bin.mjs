#!/usr/bin/env node
// The `driftline` command: runs the CLI compiled into dist/ (scripts/build/build.mjs). In a checkout
// whose sources are newer than dist/, it compiles first, so what runs is always what the sources say.
// Development without a build step: node --import tsx scripts/cli/dev.ts <command> …
import { ensureBuilt } from '../build/freshness.mjs';

await ensureBuilt();
const { main } = await import('../../dist/cli.mjs');
process.exitCode = await main(process.argv.slice(2));
