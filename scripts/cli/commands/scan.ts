import { AppError } from '../../../shared/core/api/errors.js';
import { readSourcesFile, runScan } from '../../../shared/node/services/index.js';
import { parseCommandArgs, requireOption, requirePositional, type Command } from '../args.js';
import { createProgressPrinter } from '../progress-bar.js';
import { withStore } from '../workspace.js';

/** How long a scan waits by default for another writer (a scan started a moment earlier) to finish. */
const DEFAULT_WAIT_SECONDS = 30;

export const scanCommand: Command = {
  name: 'scan',
  usage: `Usage: driftline scan <sources.yaml> --workspace <file> [--source <name>]… [--wait <seconds>]

Captures each source named in sources.yaml into a new immutable snapshot of the workspace
(created if missing), then derives PII findings, lineage, drift, flows, exposure and anomalies.
Progress goes to stderr; a summary to stdout. Exit code 0 when every source was captured,
1 when at least one failed (what was captured is kept).

Options:
  --workspace <file>   the .driftline workspace file
  --source <name>      capture only this source (repeatable)
  --wait <seconds>     when another scan is writing the workspace, wait this long for it (default 30;
                       0 refuses at once). A workspace has one writer at a time; readers never wait.
`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs('scan', argv, { workspace: { type: 'string' }, source: { type: 'string', multiple: true }, wait: { type: 'string' } });
    const wait = values.wait === undefined ? DEFAULT_WAIT_SECONDS : Number(values.wait);
    if (!Number.isFinite(wait) || wait < 0 || wait > 24 * 3600) throw new AppError('INVALID_INPUT', `--wait takes a number of seconds (0–86400), not "${String(values.wait)}"`);
    const file = readSourcesFile(requirePositional('scan', positionals, 0, '<sources.yaml>'));
    const workspace = requireOption('scan', values.workspace, 'workspace');
    const only = values.source as string[] | undefined;
    const chosen = only?.length ? file.sources.filter((s) => only.includes(s.name)) : file.sources;
    if (only?.length && chosen.length !== only.length) {
      const missing = only.filter((n) => !file.sources.some((s) => s.name === n));
      throw new Error(`no source named ${missing.map((m) => `"${m}"`).join(', ')} in ${file.path}`);
    }
    const controller = new AbortController();
    const onSigint = () => { io.err('\ncancelling… (what was captured so far is kept)\n'); controller.abort(); };
    process.once('SIGINT', onSigint);
    try {
      return await withStore(workspace, async (store) => {
        const result = await runScan({
          store,
          sources: chosen.map((s) => ({ name: s.name, kind: s.kind, region: s.region, config: s.config, baseDir: file.baseDir })),
          signal: controller.signal,
          regionMap: file.regions,
          onProgress: createProgressPrinter(io),
        });
        for (const s of result.snapshots) {
          const counts = Object.entries(s.stats).map(([k, v]) => `${v} ${k}`).join(', ');
          io.out(`${s.source}: snapshot ${s.id} ${s.status}${counts ? ` (${counts})` : ''}${s.report.error ? ` — ${s.report.error}` : ''}\n`);
          for (const f of s.report.failures.slice(0, 10)) io.out(`  failed: ${f.item}: ${f.message}\n`);
          for (const w of s.report.warnings.slice(0, 10)) io.out(`  warning: ${w.item}: ${w.message}\n`);
          for (const g of s.report.gaps.slice(0, 10)) io.out(`  gap: ${g.item}: ${g.reason}\n`);
          const more = s.report.failures.length + s.report.warnings.length + s.report.gaps.length - 30 + s.report.dropped.failures + s.report.dropped.warnings + s.report.dropped.gaps;
          if (more > 0) io.out(`  … and ${more} more (see the Sources view)\n`);
        }
        const counts = store.findings.countsBySeverity();
        io.out(`findings: ${Object.entries(counts).map(([t, bySev]) => `${t} ${Object.values(bySev).reduce((a, b) => a + b, 0)}`).join(', ') || 'none'}\n`);
        return result.ok ? 0 : 1;
      }, { create: true, waitMs: wait * 1000, purpose: 'driftline scan', onWait: (holder) => io.err(`${workspace} is being written by ${holder}; waiting up to ${wait} s…\n`) });
    } finally {
      process.off('SIGINT', onSigint);
    }
  },
};
