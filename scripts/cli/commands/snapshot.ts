import { AppError, isAppError } from '../../../shared/core/api/errors.js';
import { exportBundle, openBundle, verifyBundle } from '../../../shared/node/services/index.js';
import { parseCommandArgs, requireOption, requirePositional, type Command, type Io } from '../args.js';
import { withStore } from '../workspace.js';

/** node:util parseArgs types every value loosely; string options are strings or absent. */
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

const USAGE = `Usage: driftline snapshot export --workspace <file> --out <bundle> [--source <name>]… [--since <iso>] [--until <iso>]
       driftline snapshot verify <bundle> [--expect-signer <fingerprint>] [--json]
       driftline snapshot open <bundle> [--workspace <file>] [--expect-signer <fingerprint>]

Sealed snapshot bundles: one file an auditor can carry, holding the captured data of the chosen
snapshots (gzip NDJSON parts), a manifest with the SHA-256 of every part, a hash chain linking each
snapshot to its predecessor, and an Ed25519 signature over the manifest.

  export   seals the finished snapshots of a workspace (all, or those of --source, repeatable, and
           started between --since and --until) into <bundle>. It is signed with your key, created on
           first use in $DRIFTLINE_HOME/signing (0600); the signer name is $DRIFTLINE_SIGNER or your
           user name. The key fingerprint is printed: give it to whoever will verify the bundle.
  verify   checks every part hash, the chain and the signature, and prints each problem.
           --expect-signer <fingerprint> also requires the bundle to be signed by that key (a bundle
           re-signed by someone else is otherwise self-consistent). Exit code 0 when it verifies, 1 if not.
  open     verifies, then materializes the bundle into a NEW read-only workspace (--workspace, or a
           temporary file) and prints its path; use it with "driftline findings", "lineage", "report"….
           A bundle that does not verify is refused.

Examples:
  driftline snapshot export --workspace audit.driftline --out 2026-11-prod.dlbundle --source prod-cn
  driftline snapshot verify 2026-11-prod.dlbundle --expect-signer 3f9a…
  driftline snapshot open 2026-11-prod.dlbundle --workspace sealed.driftline
`;

async function exportSub(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommandArgs('snapshot export', argv, { workspace: { type: 'string' }, out: { type: 'string' }, source: { type: 'string', multiple: true }, since: { type: 'string' }, until: { type: 'string' } });
  const workspace = requireOption('snapshot export', values.workspace, 'workspace');
  const out = requireOption('snapshot export', values.out, 'out');
  const since = str(values.since), until = str(values.until);
  for (const [flag, v] of [['since', since], ['until', until]] as const) {
    if (v !== undefined && Number.isNaN(Date.parse(v))) throw new AppError('INVALID_INPUT', `--${flag} takes an ISO date or time (e.g. 2026-11-01 or 2026-11-01T08:00:00Z), not "${v}"`);
  }
  const r = await withStore(workspace, (store) => exportBundle(store, out, { sources: strs(values.source), since, until }), { readOnly: true });
  io.out(`bundle:        ${r.path}\nsnapshots:     ${r.snapshots}\nparts:         ${r.parts}\nsize:          ${r.bytes} bytes\nmanifest hash: ${r.manifestHash}\nsigner:        ${r.signer}\nfingerprint:   ${r.fingerprint}\n`);
  return 0;
}

async function verifySub(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('snapshot verify', argv, { 'expect-signer': { type: 'string' }, json: { type: 'boolean' } });
  const path = requirePositional('snapshot verify', positionals, 0, 'the bundle file');
  try {
    const r = await verifyBundle(path, { expectFingerprint: str(values['expect-signer']) });
    if (values.json) io.out(JSON.stringify(r, null, 2) + '\n');
    else {
      io.out(`${r.ok ? 'OK' : 'FAILED'}: ${path}\nsigner:        ${r.signer}\nfingerprint:   ${r.fingerprint}\nmanifest hash: ${r.manifestHash}\nsnapshots:     ${r.snapshots}\n`);
      for (const p of r.problems) io.out(`  ✗ ${p.problem}\n`);
    }
    return r.ok ? 0 : 1;
  } catch (err) {
    // A bundle too damaged to read a manifest from is a failed verification, not a crash.
    if (!isAppError(err, 'BUNDLE_INVALID')) throw err;
    if (values.json) io.out(JSON.stringify({ ok: false, problems: [{ problem: err.message }] }, null, 2) + '\n');
    else io.out(`FAILED: ${path}\n  ✗ ${err.message}\n`);
    return 1;
  }
}

async function openSub(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('snapshot open', argv, { workspace: { type: 'string' }, 'expect-signer': { type: 'string' } });
  const path = requirePositional('snapshot open', positionals, 0, 'the bundle file');
  const { store, bundle } = await openBundle(path, str(values.workspace), { expectFingerprint: str(values['expect-signer']) });
  try {
    const counts = store.graph.counts();
    io.out(`workspace:     ${store.workspace.path} (read-only)\nsigner:        ${bundle.signer}\nfingerprint:   ${bundle.fingerprint}\nmanifest hash: ${bundle.manifestHash}\nsnapshots:     ${store.snapshots.list().map((s) => `${s.id}:${s.contentHash?.slice(0, 12) ?? '—'}`).join(' ')}\ncontents:      ${counts.nodes} nodes, ${counts.edges} edges, ${store.findings.list({ limit: 10_000_000 }).length} findings\n`);
  } finally {
    store.close();
  }
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = { export: exportSub, verify: verifySub, open: openSub };

export const snapshotCommand: Command = {
  name: 'snapshot',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.out(USAGE);
      return sub ? 0 : 2;
    }
    const run = SUBCOMMANDS[sub];
    if (!run) throw new AppError('INVALID_INPUT', `driftline snapshot: unknown subcommand "${sub}"; use export, verify or open. See "driftline snapshot --help".`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    return run(rest, io);
  },
};
