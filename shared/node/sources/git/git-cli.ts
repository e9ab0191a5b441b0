import { execFile, spawn } from 'node:child_process';
import { AppError } from '../../../core/api/errors.js';

/** The only git subcommands Driftline runs: all of them read (DESIGN.md "Sources: read-only, always"). */
export type ReadOnlyGitCommand = 'log' | 'ls-tree' | 'cat-file' | 'rev-parse' | 'check-ref-format';
const READ_ONLY = new Set<string>(['log', 'ls-tree', 'cat-file', 'rev-parse', 'check-ref-format']);
const TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 512 * 1024 * 1024;

/**
 * Configuration that wins over anything a scanned repository (or the user's global/system config)
 * sets. A repository is input from a stranger: its `.git/config` can name programs that git runs
 * while reading (gpg.program through log.showSignature, fsmonitor, pagers, external diff, textconv,
 * filters, hooks, ssh and credential helpers). Command-line `-c` has the highest precedence of all
 * config scopes (git-config(1) "SCOPES"), so each of these is pinned to a harmless value. Keys with a
 * driver name in them (diff.<driver>.textconv, filter.<driver>.clean) cannot be pinned one by one:
 * they only act through attributes, which our commands never apply (`log --raw` shows no content,
 * `cat-file --batch` is run without --textconv/--filters) and whose file we point at /dev/null.
 */
export const SAFE_GIT_CONFIG: readonly string[] = [
  'core.fsmonitor=false',
  'core.hooksPath=/dev/null',
  'core.pager=cat',
  'core.editor=false',
  'core.askPass=',
  'core.sshCommand=false',
  'core.gitProxy=',
  'core.attributesFile=/dev/null',
  'core.alternateRefsCommand=',
  'core.quotePath=false',
  'core.untrackedCache=false',
  'log.showSignature=false',
  'log.decorate=false',
  'log.mailmap=false',
  'gpg.program=false',
  'gpg.openpgp.program=false',
  'gpg.x509.program=false',
  'gpg.ssh.program=false',
  'gpg.ssh.defaultKeyCommand=',
  'diff.external=',
  'diff.renames=false',
  'color.ui=never',
  'pager.log=false',
  'credential.helper=',
  'protocol.allow=never',
  'gc.auto=0',
  'maintenance.auto=false',
  'uploadpack.packObjectsHook=',
];

/** The environment git runs in: the caller's GIT_* variables are dropped, global and system config ignored. */
export function safeGitEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) if (!/^GIT_/i.test(k)) env[k] = v;
  return {
    ...env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_TERMINAL_PROMPT: '0',
    GIT_PAGER: 'cat',
    GIT_NO_REPLACE_OBJECTS: '1',
    GIT_LITERAL_PATHSPECS: '1',
    LC_ALL: 'C',
  };
}

/** Refs we accept in sources.yaml: a commit id, or a name `git check-ref-format` accepts (no revision syntax). */
const COMMIT_ID = /^[0-9a-f]{7,64}$/i;

/**
 * Runs read-only git commands in one checkout, with a fixed safe configuration (SAFE_GIT_CONFIG,
 * safeGitEnv): nothing a repository configures can make git run a program or write. Values that come
 * from the user or the repository follow `--end-of-options`, so none is ever read as an option.
 */
export class GitCli {
  private safeDirectories?: string[];

  constructor(readonly repo: string, private readonly label: string, private readonly signal?: AbortSignal) {}

  private argv(sub: ReadOnlyGitCommand, args: readonly string[]): string[] {
    if (!READ_ONLY.has(sub)) throw new AppError('INTERNAL', `git ${sub} is not a read-only command`);
    const safe = SAFE_GIT_CONFIG.flatMap((c) => ['-c', c]);
    const trusted = (this.safeDirectories ?? []).flatMap((d) => ['-c', `safe.directory=${d}`]);
    return ['-C', this.repo, ...safe, ...trusted, '--no-pager', '--no-replace-objects', sub, ...args];
  }

  /** Raw output (Buffer): NUL-separated answers are split by the caller, never decoded as a whole first. */
  private exec(sub: ReadOnlyGitCommand, args: readonly string[]): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      execFile('git', this.argv(sub, args), { env: safeGitEnv(), maxBuffer: MAX_OUTPUT, timeout: TIMEOUT_MS, signal: this.signal, encoding: 'buffer' }, (err, stdout, stderr) => {
        if (err) return reject(this.explain(err as NodeJS.ErrnoException, stderr.toString('utf8'), sub));
        resolve(stdout);
      });
    });
  }

  /**
   * The `safe.directory` entries of the user's own global and system config. Our runs ignore those
   * files (they may name programs), but a user's decision to trust a checkout owned by someone else
   * is kept: it is passed back on the command line, the one other scope git honours it from.
   */
  private async loadSafeDirectories(): Promise<void> {
    if (this.safeDirectories) return;
    this.safeDirectories = [];
    const out = await new Promise<string>((resolve) => {
      const env: NodeJS.ProcessEnv = {};
      for (const [k, v] of Object.entries(process.env)) if (!/^GIT_/i.test(k)) env[k] = v;
      // `git config --get-all` only reads files; it runs nothing they name.
      execFile('git', ['config', '--includes', '-z', '--get-all', 'safe.directory'], { env: { ...env, LC_ALL: 'C' }, cwd: '/', timeout: 10_000, signal: this.signal, encoding: 'utf8' }, (_err, stdout) => resolve(stdout ?? ''));
    });
    this.safeDirectories = out.split('\0').filter((d) => d !== '').slice(0, 1000);
  }

  /** Text output of a read-only command (UTF-8). */
  async run(sub: ReadOnlyGitCommand, args: readonly string[]): Promise<string> {
    await this.loadSafeDirectories();
    return (await this.exec(sub, args)).toString('utf8');
  }

  /** The fields of a NUL-separated answer (`-z`), decoded one by one. */
  async runNul(sub: ReadOnlyGitCommand, args: readonly string[]): Promise<string[]> {
    await this.loadSafeDirectories();
    const out = await this.exec(sub, args);
    const fields: string[] = [];
    let start = 0;
    for (let i = 0; i < out.length; i++) {
      if (out[i] !== 0) continue;
      fields.push(out.subarray(start, i).toString('utf8'));
      start = i + 1;
    }
    if (start < out.length) fields.push(out.subarray(start).toString('utf8'));
    return fields;
  }

  /**
   * Checks a ref from sources.yaml and resolves it to a commit id. Only a commit id or a plain
   * ref name is accepted (validated by `git check-ref-format`): never anything starting with "-"
   * (it would be read as an option) nor revision syntax (`@{…}`, `~`, `^`, `:`).
   */
  async resolveCommit(ref: string): Promise<string> {
    const bad = (why: string) => new AppError('CONFIG_INVALID', `${this.label}: ref ${JSON.stringify(ref.slice(0, 80))} ${why} — set \`ref\` in sources.yaml to a branch, a tag or a commit id`);
    if (ref === '' || ref.startsWith('-') || /[\u0000-\u001f\u007f]/.test(ref)) throw bad('is not a branch, tag or commit id');
    if (!COMMIT_ID.test(ref)) {
      try {
        await this.run('check-ref-format', ['--allow-onelevel', ref]);
      } catch (err) {
        if (err instanceof AppError && err.code === 'CANCELLED') throw err;
        throw bad('is not a valid ref name (git check-ref-format refused it)');
      }
    }
    try {
      return (await this.run('rev-parse', ['--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).trim();
    } catch (err) {
      if (err instanceof AppError && (err.code === 'CANCELLED' || err.code === 'SOURCE_UNREACHABLE' || err.code === 'SOURCE_PERMISSION')) throw err;
      if (err instanceof AppError && /is not a git checkout/.test(err.message)) throw err;
      throw new AppError('CONFIG_INVALID', `${this.label}: unknown revision ${JSON.stringify(ref.slice(0, 80))} in ${this.repo} — check \`ref\` in sources.yaml`, { cause: err });
    }
  }

  /** Reads many blobs through one `git cat-file --batch` process (no --textconv, no --filters). */
  async readBlobs(shas: string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(shas)].filter((s) => /^[0-9a-f]{40,64}$/.test(s));
    if (unique.length === 0) return new Map();
    await this.loadSafeDirectories();
    return new Promise((resolve, reject) => {
      const child = spawn('git', this.argv('cat-file', ['--batch']), { env: safeGitEnv(), signal: this.signal, timeout: TIMEOUT_MS });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.on('error', (err) => reject(this.explain(err as NodeJS.ErrnoException, stderr, 'cat-file')));
      child.on('close', (code) => {
        if (code !== 0) return reject(this.explain(Object.assign(new Error(`exit ${code}`), { code: String(code) }), stderr, 'cat-file'));
        const out = Buffer.concat(chunks);
        const blobs = new Map<string, Buffer>();
        let pos = 0;
        for (const sha of unique) {
          const nl = out.indexOf(0x0a, pos);
          if (nl < 0) break;
          const header = out.subarray(pos, nl).toString('utf8');
          const [, type, size] = header.split(' ');
          if (type === 'missing' || type === undefined || !/^\d+$/.test(size ?? '')) {
            pos = nl + 1;
            continue;
          }
          const start = nl + 1;
          blobs.set(sha, out.subarray(start, start + Number(size)));
          pos = start + Number(size) + 1;
        }
        resolve(blobs);
      });
      child.stdin.end(unique.join('\n') + '\n');
    });
  }

  private explain(err: NodeJS.ErrnoException, stderr: string, sub: string): AppError {
    if (err.code === 'ENOENT') return new AppError('SOURCE_UNREACHABLE', `${this.label}: the git program was not found — install git (apt-get install -y git)`, { cause: err });
    if (err.name === 'AbortError') return new AppError('CANCELLED', `${this.label}: capture cancelled`, { cause: err });
    const first = stderr.trim().split('\n')[0] ?? err.message;
    if (/not a git repository/i.test(stderr)) return new AppError('CONFIG_INVALID', `${this.label}: ${this.repo} is not a git checkout — point \`path\` at a clone`, { cause: err });
    if (/dubious ownership/i.test(stderr)) return new AppError('SOURCE_PERMISSION', `${this.label}: git refuses ${this.repo} (owned by another user) — run \`git config --global --add safe.directory ${this.repo}\` if you trust it`, { cause: err });
    if (/unknown revision|bad revision|ambiguous argument|not a valid object name/i.test(stderr)) return new AppError('CONFIG_INVALID', `${this.label}: ${first} — check \`ref\` in sources.yaml`, { cause: err });
    return new AppError('SOURCE_BAD_DATA', `${this.label}: git ${sub} failed: ${first || err.message}`, { cause: err });
  }
}
