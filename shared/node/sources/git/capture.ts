import { posix } from 'node:path';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { AppError } from '../../../core/api/errors.js';
import { gitUrn, k8sUrn } from '../../../core/model/urn.js';
import { isClusterScoped } from '../kubernetes/kinds.js';
import { protectValues } from '../kubernetes/secret-values.js';
import { expandLists, yamlDocuments } from '../kubernetes/dump-capture.js';
import { resolveConfigPath } from '../kubernetes/paths.js';
import { assertShallow } from '../kubernetes/object-records.js';
import { GitCli } from './git-cli.js';
import { logArgs, lsTreeArgs, parseLog, parseTree, type GitCommit } from './history.js';
import { KUSTOMIZATION_FILES, findKubectl, renderKustomization } from './kustomize.js';
import type { GitSourceConfig } from './config.js';

const MANIFEST = /\.(ya?ml|json)$/i;
const MAX_OBJECTS_PER_FILE_NODE = 200;

interface FileState {
  /** URNs the file (or rendered kustomize dir) defines now, with the JSON of each. */
  objects: Map<string, string>;
  lastCommit?: GitCommit;
}

/**
 * Reads a GitOps checkout's history and yields the desired state: one `config` record (origin
 * 'desired') per object per commit that changed it, with author, time, message and revision; a
 * `git-file` node per manifest file in `ref`'s tree. URNs are minted for the kubernetes source this
 * repository describes (`desiredFor`), with "default" for namespaced objects without a namespace —
 * what `kubectl apply` would do — so drift can pair desired with live. An object that disappears
 * from the repository gets a final record with `content: null` (removed from the desired state).
 */
export async function* captureGit(config: GitSourceConfig, ctx: CaptureContext): AsyncGenerator<CaptureRecord> {
  const label = `git://${config.name}`;
  const repo = resolveConfigPath(config.path, ctx.baseDir);
  const git = new GitCli(repo, label, ctx.signal);
  // Resolved once, after validation: every later command gets this commit id, never the text from sources.yaml.
  const head = await git.resolveCommit(config.ref ?? 'HEAD');
  const dir = config.dir?.replace(/^\.?\/+|\/+$/g, '') || undefined;
  const target = config.desiredFor ?? config.name;

  // The tree at ref tells which directories are kustomizations (their files are rendered, not parsed).
  const tree = parseTree(await git.runNul('ls-tree', lsTreeArgs(head, dir)));
  const kustomizeDirs = tree.filter((e) => KUSTOMIZATION_FILES.includes(posix.basename(e.path))).map((e) => posix.dirname(e.path));
  const kustomizeDirOf = (p: string) => kustomizeDirs.filter((d) => d === '.' || p.startsWith(d + '/')).sort((a, b) => b.length - a.length)[0];
  const kubectl = kustomizeDirs.length ? findKubectl() : undefined;
  if (kustomizeDirs.length && !kubectl) {
    ctx.warn(`${label}/${kustomizeDirs.join(',')}`, `${label}: ${kustomizeDirs.length} kustomize director${kustomizeDirs.length === 1 ? 'y' : 'ies'} (${kustomizeDirs.join(', ')}) not rendered — install kubectl (it has kustomize built in) to include them`);
  }

  const commits = parseLog(await git.runNul('log', logArgs(head, dir)));
  const files = new Map<string, FileState>(); // path (or kustomize dir) → state
  const definedBy = new Map<string, Set<string>>(); // urn → paths defining it
  const lastEmitted = new Map<string, string>();
  const crdScopes = new Set<string>();

  const objectsOf = (text: string, where: string): Map<string, string> => {
    const out = new Map<string, string>();
    for (const doc of yamlDocuments(text, where)) {
      if (doc.error) {
        ctx.fail(doc.where, doc.error);
        continue;
      }
      for (const obj of expandLists(doc.value, doc.listKind, doc.listApiVersion)) {
        // YAML that is not a Kubernetes object (CI config, Helm values, kustomization.yaml) is not a manifest.
        if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string' || obj.kind === 'Kustomization') continue;
        const name = obj.metadata?.name;
        if (typeof name !== 'string' || !name) {
          ctx.fail(doc.where, new AppError('SOURCE_BAD_DATA', `${doc.where}: ${obj.kind} has no metadata.name`));
          continue;
        }
        try {
          assertShallow(obj, `${doc.where}: ${obj.kind} ${name}`);
        } catch (err) {
          ctx.fail(doc.where, err);
          continue;
        }
        if (obj.kind === 'CustomResourceDefinition' && obj.spec?.scope === 'Cluster' && obj.spec?.names?.kind) crdScopes.add(obj.spec.names.kind);
        const ns = isClusterScoped(obj.kind, crdScopes) ? undefined : obj.metadata?.namespace || 'default';
        const content = protectValues(obj, ctx.fingerprint);
        out.set(k8sUrn(target, ns, obj.kind, name), JSON.stringify(content));
      }
    }
    return out;
  };

  for (const [index, commit] of commits.entries()) {
    if (ctx.signal.aborted) throw new AppError('CANCELLED', `${label}: capture cancelled`);
    ctx.progress({ done: index, total: commits.length, item: `${label}: ${commit.sha.slice(0, 12)}` });
    const touched = new Map<string, Map<string, string>>(); // path → objects after this commit
    const plain = commit.changes.filter((c) => MANIFEST.test(c.path) && !kustomizeDirOf(c.path));
    const blobs = await git.readBlobs(plain.filter((c) => c.status !== 'D').map((c) => c.blob));
    for (const change of plain) {
      const where = `${change.path}@${commit.sha.slice(0, 12)}`;
      if (change.status === 'D') {
        touched.set(change.path, new Map());
        continue;
      }
      const blob = blobs.get(change.blob);
      if (!blob) continue;
      if (blob.subarray(0, 8000).includes(0)) {
        ctx.fail(where, new AppError('SOURCE_BAD_DATA', `${label}/${change.path} at ${commit.sha.slice(0, 12)}: binary file, not a YAML manifest — skipped`));
        touched.set(change.path, new Map());
        continue;
      }
      touched.set(change.path, objectsOf(blob.toString('utf8'), where));
    }
    if (kubectl) {
      const dirty = new Set(commit.changes.map((c) => kustomizeDirOf(c.path)).filter((d): d is string => d !== undefined));
      for (const kdir of dirty) touched.set(kdir, await renderAt(git, kubectl, commit, kdir, ctx, label, objectsOf));
    }
    yield* applyCommit(commit, touched, files, definedBy, lastEmitted);
  }

  // A git-file node per manifest in ref's tree, with the objects it defines.
  for (const entry of tree) {
    if (entry.type !== 'blob' || !(MANIFEST.test(entry.path) || KUSTOMIZATION_FILES.includes(posix.basename(entry.path)))) continue;
    const kdir = kustomizeDirOf(entry.path);
    const state = files.get(kdir ?? entry.path);
    const objects = [...(state?.objects.keys() ?? [])];
    yield {
      type: 'node',
      node: {
        urn: gitUrn(config.name, entry.path), kind: 'git-file', name: posix.basename(entry.path), source: config.name, region: config.region,
        props: {
          path: entry.path, blob: entry.blob, ...(kdir ? { kustomization: kdir } : {}),
          lastCommit: state?.lastCommit?.sha, lastAuthor: state?.lastCommit?.author, lastTime: state?.lastCommit?.time,
          objects: objects.slice(0, MAX_OBJECTS_PER_FILE_NODE), objectCount: objects.length,
        },
      },
    };
  }
  ctx.progress({ done: commits.length, total: commits.length, item: `${label}: done` });
}

/** Applies one commit's file states: yields a version for every object whose content changed, and tombstones. */
function* applyCommit(commit: GitCommit, touched: Map<string, Map<string, string>>, files: Map<string, FileState>, definedBy: Map<string, Set<string>>, lastEmitted: Map<string, string>): Generator<CaptureRecord> {
  const meta = { origin: 'desired' as const, author: commit.author, time: commit.time, message: commit.message, revision: commit.sha };
  const removed = new Set<string>();
  for (const [path, objects] of touched) {
    const state: FileState = files.get(path) ?? { objects: new Map() };
    for (const urn of state.objects.keys()) {
      if (!objects.has(urn)) {
        definedBy.get(urn)?.delete(path);
        removed.add(urn);
      }
    }
    for (const [urn, json] of objects) {
      if (!definedBy.has(urn)) definedBy.set(urn, new Set());
      definedBy.get(urn)!.add(path);
      if (lastEmitted.get(urn) !== json) {
        lastEmitted.set(urn, json);
        yield { type: 'config', urn, content: JSON.parse(json), ...meta };
      }
    }
    state.objects = objects;
    state.lastCommit = commit;
    files.set(path, state);
  }
  for (const urn of removed) {
    if ((definedBy.get(urn)?.size ?? 0) > 0 || !lastEmitted.has(urn)) continue;
    lastEmitted.delete(urn);
    yield { type: 'config', urn, content: null, ...meta, message: `${commit.message} (removed from the desired state)` };
  }
}

/** The objects a kustomize directory renders to at one commit (empty if the directory is gone or fails to build). */
async function renderAt(git: GitCli, kubectl: string, commit: GitCommit, kdir: string, ctx: CaptureContext, label: string, objectsOf: (text: string, where: string) => Map<string, string>): Promise<Map<string, string>> {
  const where = `${kdir}@${commit.sha.slice(0, 12)}`;
  const listing = parseTree(await git.runNul('ls-tree', lsTreeArgs(commit.sha, kdir === '.' ? undefined : kdir)));
  if (!listing.some((e) => KUSTOMIZATION_FILES.includes(posix.basename(e.path)) && posix.dirname(e.path) === kdir)) return new Map();
  const blobs = await git.readBlobs(listing.map((e) => e.blob));
  const files = new Map<string, Buffer>();
  for (const e of listing) {
    const content = blobs.get(e.blob);
    if (content) files.set(kdir === '.' ? e.path : e.path.slice(kdir.length + 1), content);
  }
  try {
    return objectsOf(await renderKustomization(kubectl, files, ctx.signal), `${where} (kustomize output)`);
  } catch (err) {
    ctx.fail(where, new AppError('SOURCE_BAD_DATA', `${label}/${kdir} at ${commit.sha.slice(0, 12)}: ${(err as Error).message}`, { cause: err }));
    return new Map();
  }
}
