import { FINDING_TYPES, type FindingType } from '../../../shared/core/model/finding.js';
import { AppError } from '../../../shared/core/api/errors.js';
import { parseCommandArgs, requireOption, type Command } from '../args.js';
import { withService } from '../workspace.js';

export const findingsCommand: Command = {
  name: 'findings',
  usage: `Usage: driftline findings --workspace <file> [--type pii|drift|flow|exposure|anomaly] [--json]

--json prints one JSON array; every finding has type, rule, urn, severity, confidence and evidence,
plus fields by type (see DESIGN.md "the CLI's JSON"). Masked examples only; never a raw value.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('findings', argv, { workspace: { type: 'string' }, type: { type: 'string' }, json: { type: 'boolean' } });
    const type = values.type as string | undefined;
    if (type && !(FINDING_TYPES as readonly string[]).includes(type)) throw new AppError('INVALID_INPUT', `--type must be one of ${FINDING_TYPES.join(', ')}, not "${type}"`);
    return withService(requireOption('findings', values.workspace, 'workspace'), async (service) => {
      const list = await service.call('findings:list', { type: type as FindingType | undefined });
      if (values.json) {
        io.out(JSON.stringify(list.map((f) => f.finding), null, 2) + '\n');
        return 0;
      }
      if (list.length === 0) {
        io.out('no findings' + (type ? ` of type ${type}` : '') + '\n');
        return 0;
      }
      for (const { finding: f } of list) {
        io.out(`${f.severity.toUpperCase().padEnd(8)} ${f.type.padEnd(8)} ${f.rule.padEnd(24)} ${f.urn}\n         ${f.evidence} (confidence ${f.confidence.toFixed(2)})\n`);
        if (f.type === 'anomaly') io.out(`         why unusual: ${f.explanation}\n`);
      }
      io.out(`${list.length} finding(s)\n`);
      return 0;
    }, { readOnly: true });
  },
};
