import { AppError } from '../../../shared/core/api/errors.js';
import { parseCommandArgs, requireOption, type Command } from '../args.js';
import { withService } from '../workspace.js';
import { isLang, translate, type Lang } from '../../../shared/core/i18n/index.js';
import type { DriftUnknowns } from '../../../shared/core/drift/drift-unknowns.js';

const snapshotId = (v: unknown, flag: string): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new AppError('INVALID_INPUT', `${flag} takes a snapshot id (a whole number); list them with "driftline diff --workspace <file> --snapshots"`);
  return n;
};

export const diffCommand: Command = {
  name: 'diff',
  usage: `Usage: driftline diff --workspace <file> [--from <snapshot> --to <snapshot>] [--snapshots] [--unknowns] [--json] [--lang en|zh-CN]

Without --from/--to: every drift finding (desired in git vs live), ignored differences marked, then
the places drift cannot judge ("unknown": a Flux variable only the cluster holds, a SOPS-encrypted
value), each with why and the fix; they are never counted as drift. --json prints the findings;
--unknowns --json prints the unknown places ({"total","items":[{urn,path,reason,git,cluster}]}).
With --from/--to: the objects added, removed and modified between two snapshots, with JSON patches.
--snapshots lists the snapshots and their ids.
`,
  async run(argv, io) {
    const { values } = parseCommandArgs('diff', argv, { workspace: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, snapshots: { type: 'boolean' }, unknowns: { type: 'boolean' }, json: { type: 'boolean' }, lang: { type: 'string' } });
    const lang = values.lang ?? 'en';
    if (!isLang(lang)) throw new AppError('INVALID_INPUT', `driftline diff: --lang must be en or zh-CN, not "${lang}"`);
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
      const unknowns = await service.call('drift:unknowns', {});
      if (values.unknowns && values.json) { io.out(JSON.stringify(unknowns, null, 2) + '\n'); return 0; }
      const drift = (await service.call('findings:list', { type: 'drift' })).map((f) => f.finding);
      if (values.json) { io.out(JSON.stringify(drift, null, 2) + '\n'); return 0; }
      // The field labels come from the catalogue so a zh-CN reader gets no English words; the rule
      // code (drift.modified…) stays as it is, it is an identifier the findings list uses too.
      const desiredLabel = translate(lang, 'drift.desired');
      const liveLabel = translate(lang, 'drift.live');
      const colon = lang === 'zh-CN' ? '：' : ': ';
      const shown = (value: unknown): string => value === undefined ? translate(lang, 'drift.absent') : JSON.stringify(value).slice(0, 160);
      for (const f of drift) {
        if (f.type !== 'drift') continue;
        const ignored = f.ignored ? `${translate(lang, 'drift.ignored').toLocaleUpperCase('en')} ` : '';
        io.out(`${ignored}${f.rule.padEnd(20)} ${f.urn}${f.path ? ` ${f.path}` : ''}\n    ${desiredLabel}${colon}${shown(f.desired)}\n    ${liveLabel}${colon}${shown(f.live)}${f.since ? `\n    ${translate(lang, 'drift.since', { time: f.since })}` : ''}\n`);
      }
      printUnknowns(io.out, unknowns, lang);
      io.out(translate(lang, 'driftUnknown.cliCount', { count: drift.length, unknown: unknowns.total }) + '\n');
      return 0;
    }, { readOnly: true });
  },
};

/** The places drift cannot judge, grouped by reason, each reason with its fix. */
function printUnknowns(out: (text: string) => void, unknowns: DriftUnknowns, lang: Lang): void {
  if (unknowns.total === 0) return;
  const badge = translate(lang, 'driftUnknown.badge').toLocaleUpperCase('en');
  out(`\n${translate(lang, 'driftUnknown.cliHeader', { count: unknowns.total })}\n`);
  for (const reason of [...new Set(unknowns.items.map((u) => u.reason))]) {
    out(`  ${translate(lang, `driftUnknown.reason.${reason}`)}\n  ${translate(lang, 'driftUnknown.fixLine', { fix: translate(lang, `driftUnknown.fix.${reason}`) })}\n`);
    for (const u of unknowns.items.filter((item) => item.reason === reason)) out(`    ${badge}  ${u.urn} ${u.path}\n`);
  }
  if (unknowns.items.length < unknowns.total) out(`  ${translate(lang, 'driftUnknown.truncated', { shown: unknowns.items.length, total: unknowns.total })}\n`);
}

