import { defineSource } from '../source.js';
import { toAppError } from '../../../core/api/errors.js';
import { resolveConfigPath } from '../kubernetes/paths.js';
import { gitConfigSchema, type GitSourceConfig } from './config.js';
import { GitCli } from './git-cli.js';
import { captureGit } from './capture.js';

export { gitConfigSchema, type GitSourceConfig } from './config.js';

/**
 * A GitOps checkout, read with the git CLI (log, ls-tree, cat-file, rev-parse, check-ref-format only; a fixed
 * safe configuration, see git-cli.ts): the desired state of a
 * cluster and who changed it when. Kustomize directories are rendered with `kubectl kustomize`.
 */
export const gitSource = defineSource<GitSourceConfig>({
  kind: 'git',
  configSchema: gitConfigSchema,
  async testConnection(config, ctx) {
    const label = `git://${config.name}`;
    const repo = resolveConfigPath(config.path, ctx.baseDir);
    try {
      const git = new GitCli(repo, label, ctx.signal);
      const commit = await git.resolveCommit(config.ref ?? 'HEAD');
      const [sha, time] = await git.runNul('log', ['-1', '-z', '--no-show-signature', '--format=%H%x00%aI', '--end-of-options', commit, '--']);
      return { ok: true, message: `${label}: ${repo} at ${sha.slice(0, 12)} (${time})` };
    } catch (err) {
      return { ok: false, message: toAppError(err, 'SOURCE_UNREACHABLE').message };
    }
  },
  capture: (config, ctx) => captureGit(config, ctx),
});

export default gitSource;
