import { AppError } from '../../../shared/core/api/errors.js';
import { parseCommandArgs, requireOption, type Command } from '../args.js';
import { withService } from '../workspace.js';

const snapshotId = (v: unknown, flag: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new AppError('INVALID_INPUT', `${flag} takes a snapshot id (a whole number); list them with "driftline diff --workspace <file> --snapshots"`);
  return n;
};

export const diffCommand: Command = {
  name: 'diff',
  usage: `Usage: driftline diff --workspace <file> [--from <snapshot> --to <snapshot>] [--snapshots] [--json]

Without --from/--to: every drift finding (desired in git vs live), ignored differences marked.
With --from/--to: the objects added, removed and modified between two snapshots, with JSON patches.
--snapshots lists the snapshots and their ids.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('diff', argv, { workspace: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, snapshots: { type: 'boolean' }, json: { type: 'boolean' } });
    return withService(requireOption('diff', values.workspace, 'workspace'), async (service) => {
      if (values.snapshots) {
        const snaps = await service.call('snapshots:list', {});
        if (values.json) io.out(JSON.stringify(snaps, null, 2) + '\n');
        else for (const s of snaps) io.out(`${String(s.id).padStart(4)}  ${s.source.padEnd(20)} ${s.status.padEnd(9)} ${s.startedAt}  ${s.contentHash?.slice(0, 16) ?? ''}\n`);
        return 0;
      }
      if ((values.from === undefined) !== (values.to === undefined)) throw new AppError('INVALID_INPUT', 'give both --from and --to (snapshot ids), or neither for drift');
      if (values.from !== undefined) {
        const changes = await service.call('diff:snapshots', { from: snapshotId(values.from, '--from'), to: snapshotId(values.to, '--to') });
        if (values.json) { io.out(JSON.stringify(changes, null, 2) + '\n'); return 0; }
        for (const c of changes) {
          io.out(`${c.change.padEnd(9)} ${c.urn}\n`);
          for (const op of c.patch as Array<{ op: string; path: string; value?: unknown }>) io.out(`    ${op.op} ${op.path}${'value' in op ? ` = ${JSON.stringify(op.value).slice(0, 120)}` : ''}\n`);
        }
        io.out(`${changes.length} change(s)\n`);
        return 0;
      }
      const drift = (await service.call('findings:list', { type: 'drift' })).map((f) => f.finding);
      if (values.json) { io.out(JSON.stringify(drift, null, 2) + '\n'); return 0; }
      for (const f of drift) {
        if (f.type !== 'drift') continue;
        io.out(`${f.ignored ? 'IGNORED ' : ''}${f.rule.padEnd(20)} ${f.urn}${f.path ? ` ${f.path}` : ''}\n    desired: ${JSON.stringify(f.desired)?.slice(0, 160)}\n    live:    ${JSON.stringify(f.live)?.slice(0, 160)}${f.since ? `\n    since:   ${f.since}` : ''}\n`);
      }
      io.out(`${drift.length} drift finding(s)\n`);
      return 0;
    }, { readOnly: true });
  },
};
