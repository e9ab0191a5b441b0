import { parseCommandArgs, requireOption, requirePositional, type Command } from '../args.js';
import { withService } from '../workspace.js';

export const explainCommand: Command = {
  name: 'explain',
  usage: `Usage: driftline explain --workspace <file> <kind> [field.path] [--json]

Like "kubectl explain", from the OpenAPI document and CRD schemas captured during scans, so it
works on a snapshot without a cluster. Example: driftline explain --workspace w.driftline Deployment spec.replicas
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('explain', argv, { workspace: { type: 'string' }, json: { type: 'boolean' } });
    const kind = requirePositional('explain', positionals, 0, '<kind>');
    return withService(requireOption('explain', values.workspace, 'workspace'), async (service) => {
      const e = await service.call('explain:get', { kind, path: positionals[1] });
      if (values.json) { io.out(JSON.stringify(e, null, 2) + '\n'); return 0; }
      io.out(`KIND:  ${e.kind}\n${e.path ? `FIELD: ${e.path}${e.type ? ` <${e.type}>` : ''}\n` : ''}\nDESCRIPTION:\n  ${e.description ?? '(none)'}\n`);
      if (e.fields.length) {
        io.out('\nFIELDS:\n');
        for (const f of e.fields) io.out(`  ${f.name}\t<${f.type ?? '?'}>\n    ${(f.description ?? '').split('\n')[0].slice(0, 200)}\n`);
      }
      return 0;
    }, { readOnly: true });
  },
};
