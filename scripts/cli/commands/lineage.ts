import { AppError } from '../../../shared/core/api/errors.js';
import { parseCommandArgs, requireOption, requirePositional, type Command } from '../args.js';
import { withService } from '../workspace.js';

export const lineageCommand: Command = {
  name: 'lineage',
  usage: `Usage: driftline lineage --workspace <file> <urn> [--upstream|--downstream] [--depth N] [--json]

Follows contains/cdc/sinks/reads/writes/same-values edges from <urn> (both directions by default),
at most N hops (default 10). --json prints {"nodes":[{urn,kind,…}],"edges":[{from,to,kind,confidence,evidence}]}.
Example: driftline lineage --workspace demo.driftline 'mysql://shop-db/shop/users#phone' --downstream
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('lineage', argv, { workspace: { type: 'string' }, upstream: { type: 'boolean' }, downstream: { type: 'boolean' }, depth: { type: 'string' }, json: { type: 'boolean' } });
    const urn = requirePositional('lineage', positionals, 0, '<urn>');
    if (values.upstream && values.downstream) throw new AppError('INVALID_INPUT', 'choose --upstream or --downstream, not both (omit both for both directions)');
    const depth = values.depth === undefined ? 10 : Number(values.depth);
    if (!Number.isInteger(depth) || depth < 0 || depth > 100) throw new AppError('INVALID_INPUT', `--depth must be a whole number from 0 to 100, not "${String(values.depth)}"`);
    const direction = values.upstream ? 'upstream' : values.downstream ? 'downstream' : 'both';
    return withService(requireOption('lineage', values.workspace, 'workspace'), async (service) => {
      const g = await service.call('graph:lineage', { urn, direction, depth });
      if (values.json) {
        io.out(JSON.stringify({ nodes: g.nodes, edges: g.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind, confidence: e.confidence, evidence: e.evidence })) }, null, 2) + '\n');
        return 0;
      }
      io.out(`${g.nodes.length} node(s), ${g.edges.length} edge(s) ${direction} of ${urn}${g.truncated ? ' (truncated)' : ''}\n`);
      for (const e of g.edges) io.out(`  ${e.from} -[${e.kind} ${e.confidence.toFixed(2)}]-> ${e.to}\n      ${e.evidence.detail}\n`);
      return 0;
    }, { readOnly: true });
  },
};
