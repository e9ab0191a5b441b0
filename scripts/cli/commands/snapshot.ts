import { AppError, isAppError } from '../../../shared/core/api/errors.js';
import { distrustSigner, exportBundle, listTrustedSigners, openBundle, trustSigner, trustStoreFile, verifyBundle, type TrustStatus } from '../../../shared/node/services/index.js';
import { parseCommandArgs, requireOption, requirePositional, type Command, type Io } from '../args.js';
import { withStore } from '../workspace.js';

/** node:util parseArgs types every value loosely; string options are strings or absent. */
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strs = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined);

const USAGE = `Usage: driftline snapshot export --workspace <file> --out <bundle> [--source <name>]… [--since <iso>] [--until <iso>]
       driftline snapshot verify <bundle> [--expect-signer <fingerprint>] [--json]
       driftline snapshot open <bundle> [--workspace <file>] [--expect-signer <fingerprint>] [--require-trusted]
       driftline snapshot trust add <fingerprint> [--name <who>]
       driftline snapshot trust list [--json]
       driftline snapshot trust remove <fingerprint>

Sealed snapshot bundles: one file an auditor can carry, holding the captured data of the chosen
snapshots (gzip NDJSON parts), a manifest with the SHA-256 of every part, a hash chain linking each
snapshot to its predecessor, and an Ed25519 signature over the manifest.

A signer is its key's fingerprint: the name in a manifest is whatever its author typed. A bundle is
  trusted     intact, and signed by a key in your trust store;
  untrusted   intact, but signed by a key you have not trusted (anyone can reseal altered data
              with a key of their own: check the fingerprint with the signer before you trust it);
  broken      a hash, the chain or the signature does not verify.

  export   seals the finished snapshots of a workspace (all, or those of --source, repeatable, and
           started between --since and --until) into <bundle>. It is signed with your key, created on
           first use in $DRIFTLINE_HOME/signing (0600) and trusted by you; the signer name is
           $DRIFTLINE_SIGNER or your user name. Give the printed fingerprint to whoever will verify.
  verify   checks every part hash, the chain and the signature, prints each problem and the trust
           verdict. --expect-signer <fingerprint> also requires that key. Exit code 0 when trusted,
           3 when intact but untrusted, 1 when broken.
  open     verifies, then materializes the bundle into a NEW read-only workspace (--workspace, or a
           temporary file) and prints its path and trust verdict; use it with "driftline findings",
           "lineage", "report"…. A broken bundle is refused; --require-trusted also refuses an
           untrusted one.
  trust    your trust store ($DRIFTLINE_HOME/trust/signers.json): add a signer's fingerprint (after
           checking it with them, out of band) under a name of your choosing, list, or remove one.

Examples:
  driftline snapshot export --workspace audit.driftline --out 2026-11-prod.dlbundle --source prod-cn
  driftline snapshot trust add 3f9a…(64 hex digits) --name "Li Wei, audit team"
  driftline snapshot verify 2026-11-prod.dlbundle
  driftline snapshot open 2026-11-prod.dlbundle --workspace sealed.driftline --require-trusted
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

/** Exit codes of verify: a script can tell the three verdicts apart. */
const VERIFY_EXIT: Record<TrustStatus, number> = { trusted: 0, broken: 1, untrusted: 3 };

/** The trust line of verify and open: the verdict, and who the signer is (by key, not by its claim). */
function trustLines(r: { trust: TrustStatus; trustedName: string | null; signer: string; fingerprint: string }): string {
  const verdict = r.trust === 'trusted'
    ? `trusted — ${JSON.stringify(r.trustedName)} in your trust store`
    : r.trust === 'untrusted'
      ? 'UNTRUSTED — intact, but the signing key is not in your trust store'
      : 'BROKEN — does not verify';
  return `trust:         ${verdict}\nsigner:        claims to be ${JSON.stringify(r.signer)} (self-declared; the key below is the identity)\nfingerprint:   ${r.fingerprint}\n`
    + (r.trust === 'untrusted' ? `               check this fingerprint with the signer, then: driftline snapshot trust add ${r.fingerprint} --name <who>\n` : '');
}

async function verifySub(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('snapshot verify', argv, { 'expect-signer': { type: 'string' }, json: { type: 'boolean' } });
  const path = requirePositional('snapshot verify', positionals, 0, 'the bundle file');
  try {
    const r = await verifyBundle(path, { expectFingerprint: str(values['expect-signer']) });
    if (values.json) io.out(JSON.stringify(r, null, 2) + '\n');
    else {
      io.out(`${r.ok ? 'OK' : 'FAILED'}: ${path}\n${trustLines(r)}manifest hash: ${r.manifestHash}\nsnapshots:     ${r.snapshots}\n`);
      for (const p of r.problems) io.out(`  ✗ ${p.problem}\n`);
    }
    return VERIFY_EXIT[r.trust];
  } catch (err) {
    // A bundle too damaged to read a manifest from is a failed verification, not a crash.
    if (!isAppError(err, 'BUNDLE_INVALID')) throw err;
    if (values.json) io.out(JSON.stringify({ ok: false, trust: 'broken', problems: [{ problem: err.message }] }, null, 2) + '\n');
    else io.out(`FAILED: ${path}\ntrust:         BROKEN — does not verify\n  ✗ ${err.message}\n`);
    return VERIFY_EXIT.broken;
  }
}

async function openSub(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('snapshot open', argv, { workspace: { type: 'string' }, 'expect-signer': { type: 'string' }, 'require-trusted': { type: 'boolean' } });
  const path = requirePositional('snapshot open', positionals, 0, 'the bundle file');
  const { store, bundle } = await openBundle(path, str(values.workspace), { expectFingerprint: str(values['expect-signer']), requireTrusted: !!values['require-trusted'] });
  try {
    const counts = store.graph.counts();
    io.out(`workspace:     ${store.workspace.path} (read-only)\n${trustLines(bundle)}manifest hash: ${bundle.manifestHash}\nsnapshots:     ${store.snapshots.list().map((s) => `${s.id}:${s.contentHash?.slice(0, 12) ?? '—'}`).join(' ')}\ncontents:      ${counts.nodes} nodes, ${counts.edges} edges, ${store.findings.list({ limit: 10_000_000 }).length} findings\n`);
  } finally {
    store.close();
  }
  return 0;
}

async function trustSub(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommandArgs('snapshot trust', argv, { name: { type: 'string' }, json: { type: 'boolean' } });
  const verb = requirePositional('snapshot trust', positionals, 0, 'add, list or remove');
  if (verb === 'list') {
    const signers = listTrustedSigners();
    if (values.json) io.out(JSON.stringify(signers, null, 2) + '\n');
    else if (signers.length === 0) io.out(`no trusted signers yet (${trustStoreFile()}); add one with "driftline snapshot trust add <fingerprint> --name <who>"\n`);
    else for (const s of signers) io.out(`${s.fingerprint}  ${s.name}  (added ${s.addedAt})\n`);
    return 0;
  }
  const fingerprint = requirePositional(`snapshot trust ${verb}`, positionals, 1, 'the signer\'s key fingerprint (64 hex digits)');
  if (verb === 'add') {
    const s = trustSigner(fingerprint, str(values.name) ?? '');
    io.out(`trusted: ${s.fingerprint} as ${JSON.stringify(s.name)}\n`);
    return 0;
  }
  if (verb === 'remove') {
    const s = distrustSigner(fingerprint);
    io.out(s ? `no longer trusted: ${s.fingerprint} (${JSON.stringify(s.name)})\n` : `${fingerprint} was not in your trust store\n`);
    return s ? 0 : 1;
  }
  throw new AppError('INVALID_INPUT', `driftline snapshot trust: unknown verb "${verb}"; use add, list or remove`);
}

const SUBCOMMANDS: Record<string, (argv: string[], io: Io) => Promise<number>> = { export: exportSub, verify: verifySub, open: openSub, trust: trustSub };

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
    if (!run) throw new AppError('INVALID_INPUT', `driftline snapshot: unknown subcommand "${sub}"; use export, verify, open or trust. See "driftline snapshot --help".`);
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(USAGE);
      return 0;
    }
    return run(rest, io);
  },
};
