import { toAppError } from '../../shared/core/api/errors.js';
import { processIo, type Io } from './args.js';
import { COMMANDS, type CommandEntry } from './commands/index.js';

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'driftline — PII lineage, configuration drift and sealed evidence for auditors',
    '',
    'Usage: driftline <command> [options]    (every command has --help)',
    '',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
  ].join('\n');
}

/** Runs the CLI; returns the exit code. Errors go to stderr as one actionable line. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '--version') {
    io.out('driftline 0.1.0\n');
    return 0;
  }
  const entry: CommandEntry | undefined = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`driftline: unknown command "${name}". Run "driftline --help" for the list.\n`);
    return 2;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.usage.trimEnd() + '\n');
      return 0;
    }
    return await command.run(rest, io);
  } catch (err) {
    const e = toAppError(err);
    io.err(`driftline ${name}: ${e.message}${e.code === 'INTERNAL' && process.env.DRIFTLINE_DEBUG ? `\n${(err as Error).stack}` : ''}\n`);
    return e.code === 'INVALID_INPUT' ? 2 : 1;
  }
}
