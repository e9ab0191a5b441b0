import { posix } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CaptureContext, CaptureRecord } from '../source.js';
import { AppError } from '../../../core/api/errors.js';
import { gitUrn, k8sUrn, parseUrn } from '../../../core/model/urn.js';
import { isClusterScoped, nodeKindFor } from '../kubernetes/kinds.js';
import { workloadReferenceEdges } from '../kubernetes/workload-refs.js';
import { protectValues } from '../kubernetes/secret-values.js';
import { expandLists, yamlDocuments } from '../kubernetes/dump-capture.js';
import { resolveConfigPath } from '../kubernetes/paths.js';
import { assertShallow } from '../kubernetes/object-records.js';
import { GitCli } from './git-cli.js';
import { logArgs, lsTreeArgs, parseLog, parseTree, type GitCommit } from './history.js';
import { KUSTOMIZATION_FILES, findKubectl, renderKustomization } from './kustomize.js';
import { FluxRenderer } from './flux-capture.js';
import { isFluxKustomization } from './flux.js';
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
    ctx.warn(`${label}/${kustomizeDirs.join(',')}`, `${label}: ${kustomizeDirs.length} kustomize director${kustomizeDirs.length === 1 ? 'y' : 'ies'} (${kustomizeDirs.join(', ')}) found; only those that just list their files are read without kubectl — install kubectl (it has kustomize built in) to render the others`);
  }

  const commits = parseLog(await git.runNul('log', logArgs(head, dir)));
  const files = new Map<string, FileState>(); // path (or kustomize dir) → state
  const definedBy = new Map<string, Set<string>>(); // urn → paths defining it
  const lastEmitted = new Map<string, string>();
  const crdScopes = new Set<string>();
  const kustomizeDeps = new Map<string, string[]>(); // kustomize dir → directories outside it that it builds from

  const flux = new FluxRenderer({ git, kubectl: () => kubectl ?? findKubectl(), target, label, ctx, objectsOf: (text, where) => objectsOf(text, where) });
  let variableNamed: { path: string; message: string }[] = [];
  const objectsOf = (text: string, where: string): Map<string, string> => {
    const out = new Map<string, string>();
    for (const doc of yamlDocuments(text, where)) {
      if (doc.error) {
        ctx.fail(doc.where, doc.error);
        continue;
      }
      for (const obj of expandLists(doc.value, doc.listKind, doc.listApiVersion)) {
        // YAML that is not a Kubernetes object (CI config, Helm values, kustomization.yaml) is not a manifest.
        // A Flux Kustomization is a cluster object (and says how Flux builds a folder); a kustomization file is not.
        if (!obj || typeof obj !== 'object' || typeof obj.kind !== 'string' || typeof obj.apiVersion !== 'string' || (obj.kind === 'Kustomization' && !isFluxKustomization(obj))) continue;
        const name = obj.metadata?.name;
        if (typeof name !== 'string' || !name) {
          ctx.fail(doc.where, new AppError('SOURCE_BAD_DATA', `${doc.where}: ${obj.kind} has no metadata.name`));
          continue;
        }
        // Flux substitutes ${VAR} from its Kustomization's postBuild when it applies the folder; the
        // repository alone does not say what the name becomes, so such objects cannot be named.
        if (/\$\{/.test(name) || /\$\{/.test(String(obj.metadata?.namespace ?? ''))) {
          // Held until the commit's Flux builds are known: a file one of them reads is named by that build.
          variableNamed.push({ path: doc.where.replace(/@.*$/, ''), message: `${label}: ${doc.where}: ${obj.kind} "${name}" is named with variables that no Flux Kustomization of this repository fills in (or whose values it cannot know) — left out` });
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
        const urn = k8sUrn(target, ns, obj.kind, name);
        flux.observe(urn, obj, ns);
        const content = protectValues(obj, ctx.fingerprint);
        out.set(urn, JSON.stringify(content));
      }
    }
    return out;
  };

  for (const [index, commit] of commits.entries()) {
    if (ctx.signal.aborted) throw new AppError('CANCELLED', `${label}: capture cancelled`);
    ctx.progress({ done: index, total: commits.length, item: `${label}: ${commit.sha.slice(0, 12)}` });
    const touched = new Map<string, Map<string, string>>(); // path → objects after this commit
    // Files and folders a Flux Kustomization builds are read through that build, not on their own.
    const plain = commit.changes.filter((c) => MANIFEST.test(c.path) && !kustomizeDirOf(c.path) && !flux.governs(c.path));
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
    if (kustomizeDirs.length) {
      const dirty = new Set(commit.changes.map((c) => kustomizeDirOf(c.path)).filter((d): d is string => d !== undefined));
      // A directory that includes files from elsewhere (`../../components/x`) is rebuilt when those change.
      for (const [kdir, deps] of kustomizeDeps) if (commit.changes.some((c) => deps.some((d) => c.path.startsWith(d + '/')))) dirty.add(kdir);
      for (const kdir of dirty) {
        if (flux.governs(kdir)) continue;
        const rendered = await renderAt(git, kubectl, commit, kdir, ctx, label, objectsOf);
        // A build that failed says nothing about the objects: the directory keeps its last known state.
        if (!rendered) continue;
        touched.set(kdir, rendered.objects);
        if (rendered.dependencies.length) kustomizeDeps.set(kdir, rendered.dependencies);
        else kustomizeDeps.delete(kdir);
      }
    }
    await flux.applyCommit(commit, files, touched);
    for (const w of variableNamed) if (!flux.governs(w.path) && !flux.governs(kustomizeDirOf(w.path) ?? w.path)) ctx.warn(w.path, w.message);
    variableNamed = [];
    yield* applyCommit(commit, touched, files, definedBy, lastEmitted);
  }

  yield* desiredObjectRecords(target, config, files, lastEmitted, (key) => flux.folderOf(key) ?? key);

  // A git-file node per manifest in ref's tree, with the objects it defines.
  for (const entry of tree) {
    if (entry.type !== 'blob' || !(MANIFEST.test(entry.path) || KUSTOMIZATION_FILES.includes(posix.basename(entry.path)))) continue;
    const kdir = kustomizeDirOf(entry.path);
    const state = files.get(kdir ?? entry.path)?.objects.size ? files.get(kdir ?? entry.path) : files.get(flux.builderOf(entry.path) ?? kdir ?? entry.path);
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

/**
 * The objects the repository defines at `ref` become graph nodes of their own (under the cluster
 * the repository describes), with their namespace, the folder that defines them and the references
 * between workloads and their ConfigMaps/Secrets: a repository-only audit then has a graph, a
 * timeline and a forecast, and a later live scan of the same cluster fills in the same nodes.
 */
function* desiredObjectRecords(target: string, config: GitSourceConfig, files: Map<string, FileState>, lastEmitted: Map<string, string>, pathOf: (key: string) => string): Generator<CaptureRecord> {
  const namespaces = new Set<string>();
  const defining = new Map<string, string>(); // urn → path (or kustomize dir) that defines it
  for (const [path, state] of [...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    for (const urn of state.objects.keys()) if (!defining.has(urn)) defining.set(urn, path);
  }
  for (const [urn, path] of defining) {
    const json = lastEmitted.get(urn);
    if (!json) continue;
    const obj = JSON.parse(json);
    const { segments } = parseUrn(urn);
    const namespace = segments[0] === '_' ? undefined : segments[0];
    const nsUrn = namespace ? k8sUrn(target, undefined, 'Namespace', namespace) : undefined;
    if (namespace) namespaces.add(namespace);
    yield {
      type: 'node',
      node: {
        urn, kind: nodeKindFor(obj.kind), name: obj.metadata.name, source: target, region: config.region, parent: nsUrn,
        props: { apiVersion: obj.apiVersion, kind: obj.kind, namespace, labels: obj.metadata?.labels ?? {}, desiredIn: config.name, gitPath: pathOf(path) },
      },
    };
    if (nsUrn) yield { type: 'edge', edge: { from: nsUrn, to: urn, kind: 'contains', confidence: 1, evidence: { rule: 'k8s.namespace', detail: `metadata.namespace: ${namespace} (desired in ${config.name})` } } };
    for (const edge of workloadReferenceEdges(target, { ...obj, metadata: { ...obj.metadata, namespace } }, urn)) yield { type: 'edge', edge };
  }
  for (const ns of namespaces) {
    const urn = k8sUrn(target, undefined, 'Namespace', ns);
    if (defining.has(urn)) continue;
    yield { type: 'node', node: { urn, kind: 'k8s-object', name: ns, source: target, region: config.region, props: { apiVersion: 'v1', kind: 'Namespace', inferred: true } } };
  }
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

/** What a kustomize directory holds at one commit, and the directories outside it it was built from. */
interface Rendered {
  objects: Map<string, string>;
  dependencies: string[];
}

const MAX_KUSTOMIZE_DEPENDENCIES = 32;

async function listTree(git: GitCli, sha: string, path: string): Promise<{ blob: string; path: string }[]> {
  return parseTree(await git.runNul('ls-tree', lsTreeArgs(sha, path === '.' ? undefined : path))).filter((e) => e.type === 'blob');
}

/** resources/components/bases entries of a kustomization, as written. */
function kustomizationRefs(k: Record<string, unknown>): string[] {
  return ['resources', 'components', 'bases'].flatMap((key) => (Array.isArray(k[key]) ? (k[key] as unknown[]).filter((v): v is string => typeof v === 'string') : []));
}

/** A remote base or resource: renderKustomization refuses the directory, naming them all. */
const isRemote = (ref: string): boolean => /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)/i.test(ref.trim());

/**
 * The local files of a kustomization that only lists its own manifests (`resources:` of files in
 * the directory, nothing else): building it with kustomize would give exactly their objects, so
 * they are read directly — most GitOps app folders look like this, and it saves a kubectl run per commit.
 */
function plainResourceFiles(k: Record<string, unknown>): string[] | undefined {
  const keys = Object.keys(k).filter((key) => key !== 'apiVersion' && key !== 'kind');
  if (keys.some((key) => key !== 'resources')) return undefined;
  const refs = kustomizationRefs(k);
  if (refs.some(isRemote)) return undefined;
  if (!refs.every((r) => /\.(ya?ml|json)$/i.test(r) && !posix.normalize(r).startsWith('..') && !posix.isAbsolute(r))) return undefined;
  return refs.map((r) => posix.normalize(r));
}

/**
 * The objects a kustomize directory renders to at one commit: an empty map if the directory is gone,
 * undefined if it cannot be built (the failure is reported; the caller keeps the last known state).
 * Directories outside it that it names (`../../components/x`) are written beside it, so relative
 * references resolve as in the checkout; remote references are refused (no network access, see kustomize.ts).
 */
async function renderAt(git: GitCli, kubectl: string | undefined, commit: GitCommit, kdir: string, ctx: CaptureContext, label: string, objectsOf: (text: string, where: string) => Map<string, string>): Promise<Rendered | undefined> {
  const short = commit.sha.slice(0, 12);
  const where = `${kdir}@${short}`;
  const fail = (message: string, cause?: unknown): undefined => {
    ctx.fail(where, new AppError('SOURCE_BAD_DATA', `${label}/${kdir} at ${short}: ${message}`, { cause }));
    return undefined;
  };
  const listing = await listTree(git, commit.sha, kdir === '.' ? '.' : kdir);
  const kfile = listing.find((e) => KUSTOMIZATION_FILES.includes(posix.basename(e.path)) && posix.dirname(e.path) === kdir);
  if (!kfile) return { objects: new Map(), dependencies: [] };
  const blobs = await git.readBlobs(listing.map((e) => e.blob));
  let kustomization: Record<string, unknown>;
  try {
    const parsed = parseYaml(blobs.get(kfile.blob)?.toString('utf8') ?? '');
    kustomization = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch (err) {
    return fail(`${posix.basename(kfile.path)} is not valid YAML (${(err as Error).message.split('\n')[0]})`, err);
  }

  const plain = plainResourceFiles(kustomization);
  if (plain) {
    const objects = new Map<string, string>();
    for (const rel of plain) {
      const path = kdir === '.' ? rel : `${kdir}/${rel}`;
      const entry = listing.find((e) => e.path === path);
      const blob = entry ? blobs.get(entry.blob) : undefined;
      if (!blob) return fail(`${posix.basename(kfile.path)} lists ${rel}, which does not exist at this commit`);
      for (const [urn, json] of objectsOf(blob.toString('utf8'), `${path}@${short}`)) objects.set(urn, json);
    }
    return { objects, dependencies: [] };
  }
  if (!kubectl) return undefined; // warned once for the whole capture

  // Directories outside kdir that it (or what it includes) names, followed a few levels deep.
  const files = new Map<string, Buffer>();
  for (const e of listing) { const b = blobs.get(e.blob); if (b) files.set(e.path, b); }
  const dependencies: string[] = [];
  const queue: { dir: string; k: Record<string, unknown> }[] = [{ dir: kdir, k: kustomization }];
  while (queue.length) {
    const { dir, k } = queue.shift()!;
    for (const ref of kustomizationRefs(k)) {
      if (isRemote(ref)) continue; // refused by renderKustomization, with every remote reference named
      const target = posix.normalize(posix.join(dir, ref));
      if (target.startsWith('..') || target === kdir || target.startsWith(kdir + '/') || dependencies.some((d) => target === d || target.startsWith(d + '/'))) continue;
      if (dependencies.length >= MAX_KUSTOMIZE_DEPENDENCIES) return fail(`includes more than ${MAX_KUSTOMIZE_DEPENDENCIES} directories from elsewhere in the repository`);
      const entries = await listTree(git, commit.sha, target);
      if (entries.length === 0) return fail(`"${ref}" (${target}) does not exist at this commit`);
      dependencies.push(target);
      const depBlobs = await git.readBlobs(entries.map((e) => e.blob));
      for (const e of entries) { const b = depBlobs.get(e.blob); if (b) files.set(e.path, b); }
      const depK = entries.find((e) => KUSTOMIZATION_FILES.includes(posix.basename(e.path)) && posix.dirname(e.path) === target);
      if (depK) {
        try {
          const parsed = parseYaml(depBlobs.get(depK.blob)?.toString('utf8') ?? '');
          if (parsed && typeof parsed === 'object') queue.push({ dir: target, k: parsed as Record<string, unknown> });
        } catch {
          // kubectl reports the broken file with its own message
        }
      }
    }
  }
  try {
    return { objects: objectsOf(await renderKustomization(kubectl, files, ctx.signal, kdir), `${where} (kustomize output)`), dependencies };
  } catch (err) {
    return fail((err as Error).message, err);
  }
}
