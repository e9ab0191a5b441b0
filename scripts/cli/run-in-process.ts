import type { Io } from './args.js';
import { main } from './main.js';

/** What one in-process CLI run printed and returned. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs `driftline <argv…>` in this process (the same `main` bin.mjs calls) and collects what it
 * printed, for tests: faster than a child process, and the exit code comes back as a value.
 */
export async function runCliInProcess(...argv: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => { out += t; }, err: (t) => { err += t; }, isTTY: false };
  const code = await main(argv, io);
  return { code, out, err };
}
