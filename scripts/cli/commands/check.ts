import { Store } from '../../../shared/node/services/index.js';
import { parseCommandArgs, requireOption, type Command } from '../args.js';

export const checkCommand: Command = {
  name: 'check',
  usage: `Usage: driftline check --workspace <file>

Checks the workspace file page by page (SQLite quick_check), read-only. Opening a workspace does
this by itself only after its last writer did not close it cleanly (a crash or a kill); run this
after copying a workspace between machines, or whenever you doubt the disk. Exit code 1 and the
damage found when it is not intact.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('check', argv, { workspace: { type: 'string' } });
    const path = requireOption('check', values.workspace, 'workspace');
    // Opening with integrityCheck 'always' runs the check and throws WORKSPACE_CORRUPT naming the damage.
    const store = Store.open(path, { readOnly: true, integrityCheck: 'always' });
    const counts = store.graph.counts();
    store.close();
    io.out(`${path}: intact (${counts.nodes} nodes, ${counts.edges} edges)\n`);
    return 0;
  },
};
