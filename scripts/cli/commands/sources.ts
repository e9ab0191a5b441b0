import { AppError } from '../../../shared/core/api/errors.js';
import { readSourcesFile, testSourceConnection } from '../../../shared/node/services/index.js';
import { parseCommandArgs, requirePositional, type Command } from '../args.js';

export const sourcesCommand: Command = {
  name: 'sources',
  usage: `Usage: driftline sources test <sources.yaml> [--source <name>]…

Validates sources.yaml and, for each source, checks that it can be reached and read with the
credentials it names (kubeconfig, environment variables, the AWS chain) — before a scan, so an
auditor learns of a missing grant at once. Exit code 0 when every source answered.
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('sources', argv, { source: { type: 'string', multiple: true } });
    const verb = requirePositional('sources', positionals, 0, 'a verb (test)');
    if (verb !== 'test') throw new AppError('INVALID_INPUT', `unknown verb "${verb}"; use "driftline sources test <sources.yaml>"`);
    const file = readSourcesFile(requirePositional('sources', positionals, 1, '<sources.yaml>'));
    const only = values.source as string[] | undefined;
    let failed = 0;
    for (const s of file.sources.filter((x) => !only?.length || only.includes(x.name))) {
      const result = await testSourceConnection({ kind: s.kind, config: s.config, baseDir: file.baseDir });
      if (!result.ok) failed++;
      io.out(`${result.ok ? 'ok  ' : 'FAIL'}  ${s.name.padEnd(20)} ${s.kind.padEnd(10)} ${result.message}\n`);
    }
    return failed === 0 ? 0 : 1;
  },
};
