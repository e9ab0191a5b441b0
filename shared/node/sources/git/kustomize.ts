import { execFile } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, posix } from 'node:path';
import { AppError } from '../../../core/api/errors.js';

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
      execFile(kubectl, ['kustomize', dir], { timeout: 60_000, maxBuffer: 256 << 20, signal, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err) reject(new AppError('SOURCE_BAD_DATA', `kubectl kustomize failed: ${(stderr || err.message).trim().split('\n')[0].replaceAll(root, '<dir>')}`, { cause: err }));
        else resolve(stdout);
      });
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
