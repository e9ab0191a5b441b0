import { translate } from '../../../shared/core/i18n/index.js';
import { parseCommandArgs, requireOption, type Command } from '../args.js';
import { withService } from '../workspace.js';

export const coverageCommand: Command = {
  name: 'coverage',
  usage: `Usage: driftline coverage --workspace <file> [--json]

For every dataset holding PII, its outbound paths — pipelines, replication (S3, MirrorMaker, MySQL
replicas), egress (Connect sinks, workloads naming external endpoints), readers (workloads,
consumer groups) and principals — each classified known-domestic, known-cross-border or unknown,
with the evidence, or the reason and the fix. Unknowns first. Prints "transfer-path coverage:
N of M PII datasets fully accounted for". --json prints {"accounted","total","datasets":[…]}.
Regions of outside hosts, buckets and principals come from the regions: section of sources.yaml.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('coverage', argv, { workspace: { type: 'string' }, json: { type: 'boolean' } });
    return withService(requireOption('coverage', values.workspace, 'workspace'), async (service) => {
      const report = await service.handlers['coverage:get']({});
      if (values.json) {
        io.out(JSON.stringify(report, null, 2) + '\n');
        return 0;
      }
      io.out(translate('en', 'coverage.summary', { accounted: report.accounted, total: report.total }) + '\n');
      for (const d of report.datasets) {
        io.out(`\n${d.status === 'unknown' ? 'UNKNOWN ' : 'OK      '} ${d.urn} [${d.entities.join(', ')}] ${d.region ?? '?'}\n`);
        for (const p of d.paths) {
          io.out(`  ${p.class.padEnd(12)} ${p.kind.padEnd(10)} → ${[...p.via, p.to].join(' → ')}${p.toRegion ? ` (${p.toRegion})` : ''}\n`);
          if (p.reason) io.out(`      ${p.reason}\n`);
        }
      }
      return 0;
    }, { readOnly: true });
  },
};
