import { AppError } from '../../../shared/core/api/errors.js';
import { parseCommandArgs, requireOption, type Command } from '../args.js';
import { withStore } from '../workspace.js';
import { loadReportModule } from '../../../shared/node/services/index.js';

const LANGS = ['en', 'zh-CN'] as const;
/** node:util parseArgs types every value loosely; string options are strings or absent. */
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export const reportCommand: Command = {
  name: 'report',
  usage: `Usage: driftline report --workspace <file> --out <report.pdf> [--lang en|zh-CN] [--title <text>]
                        [--findings-json <file>] [--findings-csv <file>] [--openlineage <file>]

Writes the audit report as a PDF: cover (scope, sources, snapshots with their content hashes, the
signer when the workspace was opened from a snapshot bundle), contents, executive summary, PII
inventory, lineage diagram, cross-border flows, transfer-path coverage, exposure, access matrix,
configuration drift, change timeline and an appendix on method. Only masked examples are printed, never raw values.

Options:
  --workspace <file>       the workspace (*.driftline), opened read-only
  --out <report.pdf>       the PDF to write
  --lang en|zh-CN          report language (default en); Chinese values print in both
  --title <text>           a title for the cover instead of the default
  --findings-json <file>   also write every finding as one JSON array (as "driftline findings --json")
  --findings-csv <file>    also write every finding as CSV (UTF-8 with BOM, one row per finding)
  --openlineage <file>     also write the data flows as OpenLineage RunEvents, one JSON per line

At least one of --out, --findings-json, --findings-csv, --openlineage is needed.

Examples:
  driftline report --workspace audit.driftline --out audit.pdf --lang zh-CN
  driftline snapshot open evidence.dlbundle --workspace sealed.driftline && \\
    driftline report --workspace sealed.driftline --out sealed.pdf      # the cover carries the seal
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('report', argv, {
      workspace: { type: 'string' }, out: { type: 'string' }, lang: { type: 'string' }, title: { type: 'string' },
      'findings-json': { type: 'string' }, 'findings-csv': { type: 'string' }, openlineage: { type: 'string' },
    });
    const workspace = requireOption('report', values.workspace, 'workspace');
    const [out, json, csv, openlineage, title] = [values.out, values['findings-json'], values['findings-csv'], values.openlineage, values.title].map(str);
    const lang = str(values.lang) ?? 'en';
    if (!(LANGS as readonly string[]).includes(lang)) throw new AppError('INVALID_INPUT', `--lang ${lang} is not supported; use en or zh-CN`);
    if (!out && !json && !csv && !openlineage) {
      throw new AppError('INVALID_INPUT', 'driftline report: give --out <report.pdf> (or an export: --findings-json, --findings-csv, --openlineage). See "driftline report --help".');
    }
    // The PDF stack (pdfkit, fonts) loads only when a report is asked for.
    const { exportReport, exportFindings, exportOpenLineage } = await loadReportModule();
    return withStore(workspace, async (store) => {
      if (out) {
        // A workspace made by "driftline snapshot open" carries its bundle's seal; exportReport prints it.
        const r = await exportReport(store, { out, lang: lang as (typeof LANGS)[number], title });
        io.out(`report: ${r.path} (${r.pages} pages, ${(r.bytes / 1024).toFixed(0)} KB, ${lang})\n`);
      }
      if (json) {
        const r = await exportFindings(store, json, 'json');
        io.out(`findings: ${r.path} (${r.findings} findings, JSON)\n`);
      }
      if (csv) {
        const r = await exportFindings(store, csv, 'csv');
        io.out(`findings: ${r.path} (${r.findings} findings, CSV)\n`);
      }
      if (openlineage) {
        const r = await exportOpenLineage(store, openlineage);
        const left = r.omitted.map((o) => `${o.edges} ${o.reason === 'direction-unproven' ? 'read(s) of unknown direction' : o.reason === 'not-a-dataset' ? 'edge(s) not between datasets' : 'edge(s) with no process'}`);
        io.out(`openlineage: ${r.path} (${r.events} run events${left.length ? `; left out: ${left.join(', ')}` : ''})\n`);
      }
      return 0;
    }, { readOnly: true });
  },
};
