import { AppError } from '../../../shared/core/api/errors.js';
import { translate } from '../../../shared/core/i18n/index.js';
import type { CallOutput } from '../../../shared/core/api/contract.js';
import { parseCommandArgs, requireOption, type Command, type Io } from '../args.js';
import { withService } from '../workspace.js';

export const accessCommand: Command = {
  name: 'access',
  usage: `Usage: driftline access --workspace <file> <urn> [--json]
       driftline access --workspace <file> --principal <name> [--json]

For a field (mysql://shop-db/shop/users#email) or a dataset (its PII fields): every principal that
can read it — database accounts, Kafka principals, AWS principals, and the Kubernetes subjects and
workloads that hold their credentials — with the chain of evidence hop by hop; the principals a
deny rule stops; and why the answer may be incomplete. --principal lists the PII fields a
principal (report@%, User:etl, ServiceAccount:shop/reporting) can read.
--json prints the answers as JSON (see shared/core/access/schema.ts).
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('access', argv, { workspace: { type: 'string' }, principal: { type: 'string' }, json: { type: 'boolean' } });
    const workspace = requireOption('access', values.workspace, 'workspace');
    const principal = values.principal as string | undefined;
    const urn = positionals[0];
    if (!principal === !urn) throw new AppError('INVALID_INPUT', 'driftline access: give a <urn> or --principal <name>, not both. See "driftline access --help".');
    return withService(workspace, async (service) => {
      if (principal) {
        const list = await service.handlers['access:principal']({ principal });
        if (values.json) {
          io.out(JSON.stringify(list, null, 2) + '\n');
          return 0;
        }
        io.out(translate('en', 'access.cli.principalHeader', { principal, count: list.length }) + '\n');
        for (const item of list) {
          io.out(`  ${item.field} [${item.entities.join(', ')}]${item.entry.conditions.length ? ` (${item.entry.conditions.join('; ')})` : ''}\n`);
          for (const hop of item.entry.chain) io.out(`      ${hop.text}\n`);
        }
        return 0;
      }
      const answers = await service.handlers['access:field']({ urn });
      if (values.json) {
        io.out(JSON.stringify(answers, null, 2) + '\n');
        return 0;
      }
      if (answers.length === 0) io.out(`${urn}: ${translate('en', 'access.noFields')}\n`);
      for (const a of answers) printAnswer(io, a);
      return 0;
    }, { readOnly: true });
  },
};

function printAnswer(io: Io, a: CallOutput<'access:field'>[number]): void {
  io.out(translate('en', 'access.cli.header', { urn: a.urn, entities: a.entities.join(', ') || '-', count: new Set(a.readers.map((r) => r.principal)).size }) + '\n');
  for (const r of a.readers) {
    io.out(`  ${r.principal}${r.everyone ? ' (anyone)' : ''} — ${translate('en', `access.via.${r.via}`)}${r.conditions.length ? ` (${r.conditions.join('; ')})` : ''}\n`);
    for (const hop of r.chain) io.out(`      ${hop.text}\n`);
  }
  if (a.denied.length) io.out(`  ${translate('en', 'access.denied', { names: a.denied.map((d) => d.principal).join(', ') })}\n`);
  for (const u of a.unknown) io.out(`  ${translate('en', 'access.unknownReaders', { reason: u.reason })}\n`);
}
