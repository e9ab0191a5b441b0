import { execFile, spawn } from 'node:child_process';
import { AppError } from '../../../core/api/errors.js';

/** The only git subcommands Driftline runs: all of them read (DESIGN.md "Sources: read-only, always"). */
const READ_ONLY = new Set(['log', 'show', 'ls-tree', 'cat-file']);
const TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 512 * 1024 * 1024;

/**
 * Runs read-only git commands in one checkout. Options that could make git write or run repository
 * configured programs are turned off: no optional locks (index refresh), no fsmonitor hook, no
 * terminal prompts; blobs are read with cat-file (never textconv filters).
 */
export class GitCli {
  constructor(readonly repo: string, private readonly label: string, private readonly signal?: AbortSignal) {}

  private argv(sub: string, args: string[]): string[] {
    if (!READ_ONLY.has(sub)) throw new AppError('INTERNAL', `git ${sub} is not a read-only command`);
    return ['-C', this.repo, '-c', 'core.fsmonitor=false', '-c', 'core.quotePath=false', '--no-pager', sub, ...args];
  }

  private get env(): NodeJS.ProcessEnv {
    return { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C' };
  }

  run(sub: 'log' | 'show' | 'ls-tree' | 'cat-file', args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      execFile('git', this.argv(sub, args), { env: this.env, maxBuffer: MAX_OUTPUT, timeout: TIMEOUT_MS, signal: this.signal, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err) return reject(this.explain(err as NodeJS.ErrnoException, stderr, sub));
        resolve(stdout);
      });
    });
  }

  /** Reads many blobs through one `git cat-file --batch` process. */
  readBlobs(shas: string[]): Promise<Map<string, Buffer>> {
    const unique = [...new Set(shas)];
    if (unique.length === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      const child = spawn('git', this.argv('cat-file', ['--batch']), { env: this.env, signal: this.signal, timeout: TIMEOUT_MS });
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
          const header = out.subarray(pos, nl).toString('utf8');
          const [, type, size] = header.split(' ');
          if (type === 'missing' || type === undefined) {
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
