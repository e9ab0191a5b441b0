#!/usr/bin/env node
// The `driftline` command. TypeScript runs through tsx so there is no build step between an edit and a run.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv.slice(2));
