import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, posix } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { AppError } from '../../../core/api/errors.js';
import { safeGitEnv } from './git-cli.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kubectl on PATH, or undefined: kustomize rendering needs it (`kubectl kustomize`, built in since 1.14). */
export function findKubectl(): string | undefined {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    if (!d) continue;
    const p = join(d, 'kubectl');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

/**
 * Renders a kustomize directory as it was at one commit: the files it needs (path → content,
 * relative to the repository root, or to the directory when `entry` is omitted) are written to a
 * temporary directory and `kubectl kustomize` builds `entry` there, so the checkout on disk is
 * never touched and each commit is rendered from its own tree.
 */
export async function renderKustomization(kubectl: string, files: Map<string, Buffer>, signal?: AbortSignal, entry = '.'): Promise<string> {
  const remote = remoteReferences(files);
  if (remote.length > 0) {
    throw new AppError('SOURCE_BAD_DATA', `kustomization refers to remote content (${remote.slice(0, 3).join(', ')}${remote.length > 3 ? ', …' : ''}), which Driftline does not fetch: it audits what the repository holds — vendor the remote base into the repository to include it`);
  }
  const root = mkdtempSync(join(tmpdir(), 'driftline-kustomize-'));
  try {
    for (const [rel, content] of files) {
      const target = join(root, ...rel.split(posix.sep));
      if (!target.startsWith(root)) continue; // a path climbing out of the tree
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
    }
    return await new Promise((resolve, reject) => {
      const dir = join(root, ...entry.split(posix.sep));
      if (!dir.startsWith(root)) throw new AppError('INVALID_INPUT', `kustomize entry "${entry}" climbs out of the repository`);
      // Plugins, helm and exec functions stay off (kubectl's defaults, stated so they cannot drift), files
      // load from the rendered directory only, and kubectl gets an empty home: no kubeconfig, no git config.
      const args = ['kustomize', '--load-restrictor=LoadRestrictionsRootOnly', '--enable-helm=false', '--enable-alpha-plugins=false', dir];
      execFile(kubectl, args, { timeout: 60_000, maxBuffer: 256 << 20, signal, encoding: 'utf8', env: isolatedEnv(root), cwd: root }, (err, stdout, stderr) => {
        if (err) reject(new AppError('SOURCE_BAD_DATA', `kubectl kustomize failed: ${(stderr || err.message).trim().split('\n')[0].replaceAll(root, '<dir>')}`, { cause: err }));
        else resolve(stdout);
      });
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/i;

/**
 * Remote bases and resources (`https://…`, `github.com/org/repo//dir?ref=…`, `git@…`) named by the
 * kustomization files of a directory. kustomize would clone or download them: content the audited
 * repository does not hold, fetched by a program we start. They are refused instead.
 */
export function remoteReferences(files: Map<string, Buffer>): string[] {
  const found = new Set<string>();
  for (const [rel, content] of files) {
    if (!KUSTOMIZATION_FILES.includes(posix.basename(rel))) continue;
    let docs: unknown[];
    try {
      docs = parseAllDocuments(content.toString('utf8')).map((d) => d.toJS({ maxAliasCount: 100 }));
    } catch {
      continue; // kubectl reports the broken file itself
    }
    const stack: unknown[] = [...docs].reverse(); // popped in document order
    for (let steps = 0; stack.length > 0 && steps < 100_000; steps++) {
      const v = stack.pop();
      if (typeof v === 'string') {
        if (REMOTE.test(v.trim())) found.add(v.trim().slice(0, 120));
      } else if (Array.isArray(v)) stack.push(...[...v].reverse());
      else if (v && typeof v === 'object') stack.push(...Object.values(v).reverse());
    }
  }
  return [...found];
}

function isolatedEnv(home: string): NodeJS.ProcessEnv {
  return { ...safeGitEnv(), HOME: home, XDG_CONFIG_HOME: home, KUBECONFIG: '/dev/null', GIT_ALLOW_PROTOCOL: 'none' };
}
