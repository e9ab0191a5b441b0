import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../../shared/core/api/errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses a command's arguments strictly: an unknown flag is an error that names the command's --help. */
export function parseCommandArgs(command: string, argv: string[], options: Options): { values: Record<string, string | boolean | (string | boolean)[] | undefined>; positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | (string | boolean)[] | undefined>, positionals };
  } catch (err) {
    throw new AppError('INVALID_INPUT', `${(err as Error).message}. See "driftline ${command} --help".`);
  }
}

export function requireOption(command: string, value: string | boolean | undefined | (string | boolean)[], name: string): string {
  if (typeof value !== 'string' || value === '') throw new AppError('INVALID_INPUT', `driftline ${command}: --${name} is required. See "driftline ${command} --help".`);
  return value;
}

export function requirePositional(command: string, positionals: string[], index: number, what: string): string {
  const v = positionals[index];
  if (!v) throw new AppError('INVALID_INPUT', `driftline ${command}: missing ${what}. See "driftline ${command} --help".`);
  return v;
}

/** Output streams, injectable so tests run commands in-process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  isTTY: boolean;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  isTTY: !!process.stderr.isTTY,
};

/** A command's implementation, loaded when it runs (its one-line summary is in commands/index.ts). */
export interface Command {
  name: string;
  usage: string;
  run(argv: string[], io: Io): Promise<number>;
}
